/* Shared by the benchmark programs, which are compiled to freestanding
 * wasm32 (clang --target=wasm32 -nostdlib -fno-builtin, see run-bench.sh).
 * Each program exports `int run(void)`: 0 when its result checks out,
 * otherwise the number of the check that failed. */
#ifndef CANMEM_BENCH_H
#define CANMEM_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Read through a volatile so the optimizer cannot fold the whole
 * computation into a constant at compile time. */
#define BENCH_SEED 2463534242u
static volatile uint32_t bench_seed = BENCH_SEED;

/* The result a program computed, kept visible for native calibration runs
 * that print it (the expected values in the programs come from there). */
uint32_t bench_fingerprint;

/* xorshift32: a cheap, deterministic input generator. */
static inline uint32_t bench_next(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

/* clang may call these for aggregate copies even with -fno-builtin; there
 * is no libc, so the module brings its own. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
}

#endif
