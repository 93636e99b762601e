/* Benchmark: floating point. Multiplies N x N matrices of doubles, several
 * rounds. The entries are small integers, so every product and sum is exact
 * and can be checked in integer arithmetic: the total of C = A x B must equal
 * sum over k of (column k of A summed) x (row k of B summed), and a few
 * entries are recomputed one by one. */
#include "bench.h"

#define N 96
#define ROUNDS 8
#define EXPECTED_FINGERPRINT 0x2f1288fau

static double a[N][N], b[N][N], c[N][N];

static void multiply(void) {
  for (int i = 0; i < N; i++) {
    for (int j = 0; j < N; j++)
      c[i][j] = 0.0;
    for (int k = 0; k < N; k++) {
      double aik = a[i][k];
      for (int j = 0; j < N; j++)
        c[i][j] += aik * b[k][j];
    }
  }
}

int run(void) {
  uint32_t state = bench_seed;
  uint32_t fingerprint = 0;
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        a[i][j] = (double)(int)(bench_next(&state) % 32) - 16.0;
        b[i][j] = (double)(int)(bench_next(&state) % 32) - 16.0;
      }
    multiply();

    int64_t expected_total = 0, total = 0;
    for (int k = 0; k < N; k++) {
      int64_t column_a = 0, row_b = 0;
      for (int i = 0; i < N; i++) {
        column_a += (int64_t)a[i][k];
        row_b += (int64_t)b[k][i];
      }
      expected_total += column_a * row_b;
    }
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++)
        total += (int64_t)c[i][j];
    if (total != expected_total)
      return 1;
    for (int probe = 0; probe < 8; probe++) {
      int i = (int)(bench_next(&state) % N), j = (int)(bench_next(&state) % N);
      int64_t entry = 0;
      for (int k = 0; k < N; k++)
        entry += (int64_t)a[i][k] * (int64_t)b[k][j];
      if ((double)entry != c[i][j])
        return 2;
    }
    fingerprint = fingerprint * 31u + (uint32_t)total;
  }
  bench_fingerprint = fingerprint;
  return fingerprint == EXPECTED_FINGERPRINT ? 0 : 3;
}
