/* Benchmark: sorting. Quicksort (median of three, insertion sort below 16
 * elements) of pseudo-random 32-bit keys, several rounds. Checks: every
 * round's output is ascending and holds the same keys (sum and xor), and the
 * final fingerprint equals the value computed natively. */
#include "bench.h"

#define COUNT 50000
#define ROUNDS 5
#define EXPECTED_FINGERPRINT 0x4418775bu

static uint32_t keys[COUNT];

static void insertion_sort(uint32_t *a, int n) {
  for (int i = 1; i < n; i++) {
    uint32_t v = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap(uint32_t *a, uint32_t *b) {
  uint32_t t = *a;
  *a = *b;
  *b = t;
}

static void quicksort(uint32_t *a, int n) {
  while (n > 16) {
    int mid = n / 2;
    if (a[mid] < a[0]) swap(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap(&a[n - 1], &a[mid]);
    uint32_t pivot = a[mid];
    int i = 0, j = n - 1;
    for (;;) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i >= j) break;
      swap(&a[i], &a[j]);
      i++;
      j--;
    }
    /* Recurse into the smaller side, loop on the larger: depth stays log n. */
    int left = j + 1;
    if (left < n - left) {
      quicksort(a, left);
      a += left;
      n -= left;
    } else {
      quicksort(a + left, n - left);
      n = left;
    }
  }
  insertion_sort(a, n);
}

int run(void) {
  uint32_t state = bench_seed;
  uint32_t fingerprint = 0;
  for (int round = 0; round < ROUNDS; round++) {
    uint32_t sum = 0, xor = 0;
    for (int i = 0; i < COUNT; i++) {
      keys[i] = bench_next(&state) % (COUNT * 4u);
      sum += keys[i];
      xor ^= keys[i];
    }
    quicksort(keys, COUNT);
    uint32_t sorted_sum = 0, sorted_xor = 0;
    for (int i = 0; i < COUNT; i++) {
      if (i > 0 && keys[i - 1] > keys[i])
        return 1;
      sorted_sum += keys[i];
      sorted_xor ^= keys[i];
    }
    if (sorted_sum != sum || sorted_xor != xor)
      return 2;
    fingerprint = fingerprint * 31u + keys[COUNT / 3] + keys[COUNT - 1];
  }
  bench_fingerprint = fingerprint;
  return fingerprint == EXPECTED_FINGERPRINT ? 0 : 3;
}
