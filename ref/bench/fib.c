/* Benchmark: calls. Naive doubly recursive Fibonacci, so nearly all the work
 * is function calls and returns. Checks: fib(N) against the value computed
 * by iteration and against its known value. */
#include "bench.h"

#define N 32
#define FIB_N 2178309u /* fib(32) */
#define ROUNDS 5

static uint32_t fib(uint32_t n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

int run(void) {
  /* bench_seed is volatile, so the argument is unknown at compile time. */
  uint32_t n = N + (bench_seed ^ BENCH_SEED);
  uint32_t previous = 0, current = 1;
  for (uint32_t i = 1; i < n; i++) {
    uint32_t next = previous + current;
    previous = current;
    current = next;
  }
  for (int round = 0; round < ROUNDS; round++) {
    uint32_t value = fib(n);
    bench_fingerprint = value;
    if (value != current)
      return 1;
  }
  return current == FIB_N ? 0 : 2;
}
