/* cmocka tests of the profile file syntax (ref/profile/profile_file.c):
 * keys, units, errors that say where, and the files of suite/profiles. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canister.h"
#include "profile_file.h"

#ifndef CM_PROFILE_DIR
#define CM_PROFILE_DIR "suite/profiles"
#endif

#define PAGE 65536ull
#define GIB (1024ull * 1024 * 1024)

static void test_profile_keys_units_and_errors(void **state) {
  (void)state;
  canmem_profile p;
  cm_profile_defaults(&p);
  char err[300];
  const char *text = "# a comment\n"
                     "name = tiny   # trailing comment\n"
                     "max_stable_memory = 3 pages\n"
                     "max_heap_wasm64 = 1 GiB\n"
                     "wasm_memory_threshold = 0x10\n"
                     "feature.gzip = no\n"
                     "feature.tail_call = no\n"
                     "reading.keep_data_segments = reapplied\n";
  assert_true(cm_profile_parse(&p, text, strlen(text), "t", err, sizeof err));
  assert_string_equal(p.name, "tiny");
  assert_int_equal(p.max_stable_bytes, 3 * PAGE);
  assert_int_equal(p.max_heap64_bytes, GIB);
  assert_int_equal(p.wasm_memory_threshold, 16);
  assert_false(p.features & CANMEM_FEATURE_GZIP);
  assert_false(p.features & CANMEM_FEATURE_TAIL_CALL);
  assert_true(p.features & CANMEM_FEATURE_SIMD); /* untouched default */
  assert_true(p.readings & CANMEM_READING_KEEP_REAPPLIES_DATA);
  static const char *const bad[] = {
      "nonsense = 1",           "max_stable_memory = 100",
      "max_functions = 3 GiB",  "feature.gzip = maybe",
      "max_heap_wasm32 = 8 GiB", "reading.stable_check_order = random",
      "max_globals",            "wasm_memory_limit = -1",
      "time_step_ns = 99999999999999999999999",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    canmem_profile q;
    cm_profile_defaults(&q);
    err[0] = '\0';
    assert_false(
        cm_profile_parse(&q, bad[i], strlen(bad[i]), "bad", err, sizeof err));
    /* errors say where: the line, or the file for the whole profile */
    const char *where = i == 4 ? "bad: " : "bad:1: ";
    if (strncmp(err, where, strlen(where)) != 0)
      fail_msg("'%s': %s", bad[i], err);
  }
  /* format writes what parse reads */
  char text2[4096];
  size_t len = cm_profile_format(&p, text2, sizeof text2);
  assert_true(len < sizeof text2);
  canmem_profile r;
  cm_profile_defaults(&r);
  assert_true(cm_profile_parse(&r, text2, len, "formatted", err, sizeof err));
  assert_memory_equal(&p, &r, sizeof p);
}

static void test_profile_files_of_the_suite(void **state) {
  (void)state;
  static const struct {
    const char *file;
    uint64_t stable;
    bool wasm64;
    bool wasm_features; /* SIMD, tail calls, 64-bit tables: all or none */
  } expected[] = {
      {"ic-2021.profile", 8 * GIB, false, false},
      {"ic-2022.profile", 32 * GIB, false, false},
      {"ic-current.profile", 500 * GIB, true, true},
  };
  const uint64_t wasm_features = CANMEM_FEATURE_SIMD |
                                 CANMEM_FEATURE_TAIL_CALL |
                                 CANMEM_FEATURE_TABLE64;
  for (size_t i = 0; i < sizeof expected / sizeof *expected; i++) {
    char path[512], err[300];
    snprintf(path, sizeof path, "%s/%s", CM_PROFILE_DIR, expected[i].file);
    canmem_profile p;
    cm_profile_defaults(&p);
    if (!cm_profile_load(&p, path, err, sizeof err))
      fail_msg("%s", err);
    assert_int_equal(p.max_stable_bytes, expected[i].stable);
    assert_int_equal((p.features & CANMEM_FEATURE_WASM64) != 0,
                     expected[i].wasm64);
    assert_int_equal(p.features & wasm_features,
                     expected[i].wasm_features ? wasm_features : 0);
    assert_int_equal(p.max_stable32_bytes, 4 * GIB);
  }
  /* the file of the current IC spells out the built-in defaults */
  char path[512], err[300];
  snprintf(path, sizeof path, "%s/ic-current.profile", CM_PROFILE_DIR);
  canmem_profile file, builtin;
  cm_profile_defaults(&builtin);
  memset(&file, 0, sizeof file);
  file.struct_size = sizeof file;
  assert_true(cm_profile_load(&file, path, err, sizeof err));
  assert_memory_equal(&file, &builtin, sizeof file);
  /* ic-large-heaps is ic-current with an 18 GiB wasm64 heap, nothing else */
  snprintf(path, sizeof path, "%s/ic-large-heaps.profile", CM_PROFILE_DIR);
  cm_profile_defaults(&file);
  if (!cm_profile_load(&file, path, err, sizeof err))
    fail_msg("%s", err);
  assert_int_equal(file.max_heap64_bytes, 18 * GIB);
  assert_string_equal(file.name, "ic-large-heaps");
  file.max_heap64_bytes = builtin.max_heap64_bytes;
  memcpy(file.name, builtin.name, sizeof file.name);
  assert_memory_equal(&file, &builtin, sizeof file);
}

/* Writes text to a fresh file and loads it; returns the error or NULL. */
static const char *load_text(const char *text, char *err, size_t size) {
  char path[] = "/tmp/canmem-profile-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  canmem_profile p;
  cm_profile_defaults(&p);
  err[0] = '\0';
  bool ok = cm_profile_load(&p, path, err, size);
  unlink(path);
  /* the error names the file */
  if (!ok && strncmp(err, path, strlen(path)) != 0)
    fail_msg("the error does not name %s: %s", path, err);
  return ok ? NULL : err;
}

/* Issue 16's reproducers: each was accepted silently before. */
static void test_profile_file_errors(void **state) {
  (void)state;
  char err[400];
  const char *why;
  /* an empty file (or only comments) is not ic-current */
  assert_non_null(why = load_text("", err, sizeof err));
  assert_non_null(strstr(why, ": the profile is empty"));
  assert_non_null(why = load_text("# nothing\n\n", err, sizeof err));
  assert_non_null(strstr(why, ": the profile is empty"));
  /* a key set twice: file:line of the second, and the first's line */
  assert_non_null(why = load_text("name = x\nmax_globals = 3\n"
                                   "max_globals = 4\n",
                                   err, sizeof err));
  assert_non_null(strstr(why, ":3: 'max_globals' is set again (first at "
                              "line 2)"));
  /* the 32-bit API's maximum above the whole stable memory's */
  assert_non_null(why = load_text("name = x\nmax_stable_memory = 16 pages\n"
                                   "max_stable_memory_32 = 32 pages\n",
                                   err, sizeof err));
  assert_non_null(strstr(why, "max_stable_memory_32 (2097152 bytes) is above "
                              "max_stable_memory (1048576 bytes)"));
  /* equal maxima are fine */
  assert_null(load_text("name = x\nmax_stable_memory = 16 pages\n"
                        "max_stable_memory_32 = 16 pages\n",
                        err, sizeof err));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_profile_keys_units_and_errors),
      cmocka_unit_test(test_profile_files_of_the_suite),
      cmocka_unit_test(test_profile_file_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
