/* cmocka tests of the canister model's parts on their own: sparse journaled
 * stable memory (stable.c), gzip (gzip.c), the Wasm feature rule
 * (modcheck.c), and the costs of rollback at the canister level. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "stable.h"
#include "support.h"

/* ==== stable.c ==== */

static void test_stable_sparse_500_GiB_three_pages(void **state) {
  (void)state;
  cm_stable *s = cm_stable_new(500 * GIB / PAGE);
  assert_non_null(s);
  assert_int_equal(cm_stable_grow(s, 500 * GIB / PAGE), 0);
  uint8_t byte = 0xab;
  assert_true(cm_stable_write(s, 0, &byte, 1));
  assert_true(cm_stable_write(s, 250 * GIB, &byte, 1));
  assert_true(cm_stable_write(s, 500 * GIB - 1, &byte, 1));
  assert_int_equal(cm_stable_resident_pages(s), 3);
  uint8_t buf[16];
  cm_stable_read(s, 500 * GIB - 16, buf, 16);
  assert_int_equal(buf[15], 0xab);
  assert_int_equal(buf[0], 0);
  cm_stable_read(s, 100 * GIB, buf, 16); /* never written: zeros */
  for (int i = 0; i < 16; i++)
    assert_int_equal(buf[i], 0);
  cm_stable_free(s);
}

static void test_stable_grow_limits_without_wrap(void **state) {
  (void)state;
  cm_stable *s = cm_stable_new(10);
  assert_int_equal(cm_stable_grow(s, 11), UINT64_MAX);
  assert_int_equal(cm_stable_grow(s, 4), 0);
  assert_int_equal(cm_stable_grow(s, UINT64_MAX), UINT64_MAX);
  assert_int_equal(cm_stable_grow(s, 7), UINT64_MAX);
  assert_int_equal(cm_stable_grow(s, 6), 4);
  assert_int_equal(cm_stable_pages(s), 10);
  cm_stable_free(s);
}

static void test_stable_rollback_restores_contents_and_size(void **state) {
  (void)state;
  cm_stable *s = cm_stable_new(100);
  cm_stable_grow(s, 2);
  uint8_t a[8] = "AAAAAAA", b[8] = "BBBBBBB", got[8];
  assert_true(cm_stable_write(s, PAGE - 4, a, 8));
  cm_stable_begin(s);
  assert_true(cm_stable_write(s, PAGE - 4, b, 8)); /* two pages */
  assert_true(cm_stable_write(s, PAGE - 4, b, 8)); /* saved once */
  assert_int_equal(cm_stable_journal_pages(s), 2);
  assert_int_equal(cm_stable_grow(s, 3), 2);
  assert_true(cm_stable_write(s, 4 * PAGE, b, 8)); /* a new page */
  assert_int_equal(cm_stable_journal_pages(s), 3);
  cm_stable_rollback(s);
  assert_int_equal(cm_stable_pages(s), 2);
  cm_stable_read(s, PAGE - 4, got, 8);
  assert_memory_equal(got, a, 8);
  assert_int_equal(cm_stable_resident_pages(s), 2);
  /* commit keeps the new bytes and frees the old copies */
  cm_stable_begin(s);
  assert_true(cm_stable_write(s, PAGE - 4, b, 8));
  assert_int_equal(cm_stable_resident_pages(s), 4);
  cm_stable_commit(s);
  assert_int_equal(cm_stable_resident_pages(s), 2);
  cm_stable_read(s, PAGE - 4, got, 8);
  assert_memory_equal(got, b, 8);
  cm_stable_free(s);
}

static void test_stable_whole_page_writes_and_large_copies(void **state) {
  (void)state;
  cm_stable *s = cm_stable_new(64);
  cm_stable_grow(s, 64);
  size_t n = 10 * PAGE + 123;
  uint8_t *src = malloc(n), *dst = malloc(n);
  assert_non_null(src);
  assert_non_null(dst);
  for (size_t i = 0; i < n; i++)
    src[i] = (uint8_t)(i * 7 + 3);
  cm_stable_begin(s);
  assert_true(cm_stable_write(s, 77, src, n));
  cm_stable_commit(s);
  cm_stable_read(s, 77, dst, n);
  assert_memory_equal(src, dst, n);
  cm_stable_begin(s); /* overwrite everything, then roll back */
  memset(dst, 0x5a, n);
  assert_true(cm_stable_write(s, 77, dst, n));
  cm_stable_rollback(s);
  cm_stable_read(s, 77, dst, n);
  assert_memory_equal(src, dst, n);
  free(src);
  free(dst);
  cm_stable_free(s);
}

/* ==== gzip.c ==== */

static void test_gzip_round_trip_and_damage(void **state) {
  (void)state;
  size_t n = 300000;
  uint8_t *data = malloc(n);
  assert_non_null(data);
  for (size_t i = 0; i < n; i++) /* compressible, with some noise */
    data[i] = (uint8_t)((i % 251) ^ (i % 3 == 0 ? i >> 7 : 0));
  size_t gz_size;
  uint8_t *gz = gzip_bytes(data, n, &gz_size);
  assert_true(cm_is_gzip(gz, gz_size));
  uint8_t *out;
  size_t out_size;
  char err[200];
  assert_int_equal(
      cm_gunzip(gz, gz_size, n, &out, &out_size, err, sizeof err),
      CM_GUNZIP_OK);
  assert_int_equal(out_size, n);
  assert_memory_equal(out, data, n);
  free(out);
  /* larger than allowed */
  assert_int_equal(
      cm_gunzip(gz, gz_size, n - 1, &out, &out_size, err, sizeof err),
      CM_GUNZIP_TOO_LARGE);
  /* truncated, damaged CRC, trailing bytes */
  assert_int_equal(
      cm_gunzip(gz, gz_size / 2, n, &out, &out_size, err, sizeof err),
      CM_GUNZIP_MALFORMED);
  gz[gz_size - 8] ^= 1;
  assert_int_equal(cm_gunzip(gz, gz_size, n, &out, &out_size, err, sizeof err),
                   CM_GUNZIP_MALFORMED);
  gz[gz_size - 8] ^= 1;
  uint8_t *longer = malloc(gz_size + 1);
  assert_non_null(longer);
  memcpy(longer, gz, gz_size);
  longer[gz_size] = 0;
  assert_int_equal(
      cm_gunzip(longer, gz_size + 1, n, &out, &out_size, err, sizeof err),
      CM_GUNZIP_MALFORMED);
  free(longer);
  free(gz);
  /* random bytes do not compress: gzip stores them */
  for (size_t i = 0; i < 70000; i++)
    data[i] = (uint8_t)((i * 2654435761u) >> 13);
  gz = gzip_bytes(data, 70000, &gz_size);
  assert_int_equal(cm_gunzip(gz, gz_size, n, &out, &out_size, err, sizeof err),
                   CM_GUNZIP_OK);
  assert_memory_equal(out, data, 70000);
  free(out);
  free(gz);
  free(data);
  assert_int_equal(cm_gunzip((const uint8_t *)"\x1f\x8b\x08", 3, 10, &out,
                             &out_size, err, sizeof err),
                   CM_GUNZIP_MALFORMED);
}

/* ==== rollback costs at the canister level ==== */

static void test_rollback_cost_follows_what_the_message_touched(
    void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  char *wat = canister_wat(
      0, "(memory 1)",
      "(func (export \"canister_update grow\")\n"
      "  (drop (call $stable64_grow (call $arg (i32.const 0))))\n"
      "  (call $reply_none))\n"
      "(func (export \"canister_update touch\")\n"
      "  (call $stable64_write (call $arg (i32.const 0)) (i64.const 0)\n"
      "    (i64.const 8))\n"
      "  (call $reply_none))\n"
      "(func (export \"canister_update touch_trap\")\n"
      "  (call $stable64_write (call $arg (i32.const 0)) (i64.const 0)\n"
      "    (i64.const 8))\n"
      "  unreachable)\n");
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, wat));
  free(wat);
  expect_reply(update(c, "grow", 1, 100 * GIB / PAGE)); /* 100 GiB */
  cm_canister_stats st;
  expect_reply(update(c, "touch", 1, 50 * GIB));
  cm_canister_last_stats(c, &st);
  assert_int_equal(st.stable_pages_journaled, 1);
  assert_int_equal(st.stable_pages_resident, 1);
  expect_trap(update(c, "touch_trap", 1, 70 * GIB), CANMEM_CAT_UNREACHABLE);
  cm_canister_last_stats(c, &st);
  assert_int_equal(st.stable_pages_journaled, 1);
  assert_int_equal(st.stable_pages_resident, 1);
  cm_canister_free(c);
}

/* ==== modcheck.c ==== */

/* MOD-FEAT-4: each Wasm feature a module uses must be enabled by the
 * profile. The engine reports the features it found (cm_module_features);
 * here they are set by hand on a plain module, so the rule is checked
 * whatever the engine decodes. */
static void test_features_the_profile_lacks_refuse_the_module(void **state) {
  (void)state;
  size_t size;
  uint8_t *wasm = wat_to_wasm(
      "(module (memory 1) (func (export \"canister_query q\")))", &size);
  cm_error err;
  memset(&err, 0, sizeof err);
  cm_module *m = cm_module_new(wasm, size, &err);
  assert_non_null(m);
  static const struct {
    uint32_t used;
    uint64_t enabled;
    const char *named;
  } cases[] = {
      {CM_FEATURE_SIMD, CANMEM_FEATURE_SIMD, "SIMD"},
      {CM_FEATURE_TAIL_CALL, CANMEM_FEATURE_TAIL_CALL, "tail calls"},
      {CM_FEATURE_TABLE64, CANMEM_FEATURE_TABLE64, "64-bit table"},
  };
  bool is64, eop;
  char why[200];
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    canmem_profile p;
    cm_profile_defaults(&p);
    m->features = cases[i].used;
    assert_int_equal(cm_modcheck(m, &p, &is64, &eop, why, sizeof why),
                     CANMEM_CAT_NONE);
    /* every other feature off: this one still passes */
    p.features &= ~(CANMEM_FEATURE_SIMD | CANMEM_FEATURE_TAIL_CALL |
                    CANMEM_FEATURE_TABLE64);
    p.features |= cases[i].enabled;
    assert_int_equal(cm_modcheck(m, &p, &is64, &eop, why, sizeof why),
                     CANMEM_CAT_NONE);
    p.features &= ~cases[i].enabled;
    why[0] = '\0';
    assert_int_equal(cm_modcheck(m, &p, &is64, &eop, why, sizeof why),
                     CANMEM_CAT_INVALID_MODULE);
    if (!strstr(why, cases[i].named) || !strstr(why, p.name))
      fail_msg("the refusal does not name %s and the profile: %s",
               cases[i].named, why);
  }
  cm_module_free(m);
  free(wasm);
}

/* ==== robustness: bad modules are refused, never a crash ==== */

static void test_truncated_and_mutated_modules_never_crash(void **state) {
  (void)state;
  /* few imports, so that most bytes are code and data */
  const char *wat =
      "(module\n"
      "  (import \"ic0\" \"stable64_grow\" (func $grow (param i64) (result i64)))\n"
      "  (import \"ic0\" \"stable64_write\" (func $write (param i64 i64 i64)))\n"
      "  (import \"ic0\" \"msg_reply\" (func $reply))\n"
      "  (memory 1 4)\n"
      "  (global $g (mut i64) (i64.const 0))\n"
      "  (table 2 funcref) (elem (i32.const 0) $s $s)\n"
      "  (data (i32.const 100) \"hello, world\")\n"
      "  (func $s (drop (call $grow (i64.const 1))))\n"
      "  (start $s)\n"
      "  (func (export \"canister_init\")\n"
      "    (call $write (i64.const 0) (i64.const 100) (i64.const 5)))\n"
      "  (func (export \"canister_update go\") (local $i i32)\n"
      "    (loop $l\n"
      "      (global.set $g (i64.add (global.get $g) (i64.const 3)))\n"
      "      (i64.store (i32.and (local.get $i) (i32.const 0xfff))\n"
      "        (global.get $g))\n"
      "      (local.set $i (i32.add (local.get $i) (i32.const 8)))\n"
      "      (br_if $l (i32.lt_u (local.get $i) (i32.const 256))))\n"
      "    (call_indirect (i32.const 1))\n"
      "    (drop (memory.grow (i32.const 1)))\n"
      "    (call $write (i64.const 8) (i64.const 0) (i64.const 64))\n"
      "    (call $reply))\n"
      "  (func (export \"canister_query q\")\n"
      "    (i64.store (i32.const 0) (i64.const 1)) (call $reply)))\n";
  size_t size;
  uint8_t *wasm = wat_to_wasm(wat, &size);
  const char *limits = "instructions_update = 100000\n"
                       "instructions_query = 100000\n"
                       "instructions_install = 100000\n";
  cm_canister *c = new_canister(limits);
  unsigned installed = 0;
  for (size_t n = 0; n < size; n++) {
    canmem_outcome o = install_wasm(c, CANMEM_MODE_REINSTALL, wasm, n, NULL, 0);
    installed += o.kind == CANMEM_OUTCOME_REPLY;
  }
  uint8_t *copy = malloc(size);
  assert_non_null(copy);
  uint32_t seed = 12345;
  for (int round = 0; round < 1500; round++) {
    memcpy(copy, wasm, size);
    for (int k = 0; k < 1 + round % 4; k++) {
      seed = seed * 1103515245u + 12345u;
      /* odd rounds hit only the second half: code and data */
      size_t at = round % 2 ? size / 2 + (seed >> 8) % (size - size / 2)
                            : (seed >> 8) % size;
      seed = seed * 1103515245u + 12345u;
      copy[at] = (uint8_t)(seed >> 16);
    }
    canmem_outcome o =
        install_wasm(c, CANMEM_MODE_REINSTALL, copy, size, NULL, 0);
    if (o.kind == CANMEM_OUTCOME_REPLY) {
      installed++;
      update(c, "go", 0);
      query(c, "q", 0);
      task(c, "canister_heartbeat");
      upgrade_wasm(c, copy, size, 0, 0, NULL, 0);
    }
  }
  assert_true(installed > 0); /* some mutations keep a valid module */
  free(copy);
  free(wasm);
  cm_canister_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_stable_sparse_500_GiB_three_pages),
      cmocka_unit_test(test_stable_grow_limits_without_wrap),
      cmocka_unit_test(test_stable_rollback_restores_contents_and_size),
      cmocka_unit_test(test_stable_whole_page_writes_and_large_copies),
      cmocka_unit_test(test_gzip_round_trip_and_damage),
      cmocka_unit_test(test_rollback_cost_follows_what_the_message_touched),
      cmocka_unit_test(test_features_the_profile_lacks_refuse_the_module),
      cmocka_unit_test(test_truncated_and_mutated_modules_never_crash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
