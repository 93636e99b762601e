/* cmocka tests of the runner's judging side: expressions over profile
 * limits, value encoding, outcome comparison (kind, reject code, category,
 * payload, one-of readings), the text shown for failures, and counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* after the headers it relies on */
#include <cmocka.h>

#include "canister.h"
#include "profile_file.h"
#include "runner.h"

/* A vector with one update step whose expectation is `expect`. */
static cmr_vector parse_with(const char *expect) {
  char text[2048];
  snprintf(text, sizeof text,
           "(vector \"t\" (rules SM-2))\n"
           "(module $c (memory 1))\n"
           "(update \"m\")\n%s\n",
           expect);
  cmr_vector v;
  cmr_error err;
  if (!cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err))
    fail_msg("%u:%u: %s", err.line, err.column, err.message);
  return v;
}

static canmem_profile small_profile(void) {
  canmem_profile p;
  cm_profile_defaults(&p);
  const char *text = "name = small\nmax_stable_memory = 64 pages\n"
                     "max_stable_memory_32 = 16 pages\n";
  char err[200];
  assert_true(cm_profile_parse(&p, text, strlen(text), "t", err, sizeof err));
  return p;
}

/* The value of the i64 argument of the first step of `expr` */
static uint64_t eval_text(const char *expr, const canmem_profile *p) {
  char step[512];
  snprintf(step, sizeof step, "(expect reply (i64 %s))", expr);
  cmr_vector v = parse_with(step);
  uint64_t x = 0;
  cmr_error err;
  if (!cmr_expr_eval(v.steps[0].expect.payload[0].expr, p, &x, &err))
    fail_msg("%s: %s", expr, err.message);
  cmr_vector_free(&v);
  return x;
}

static void test_expressions_follow_the_profile(void **state) {
  (void)state;
  canmem_profile small = small_profile(), current;
  cm_profile_defaults(&current);
  assert_int_equal(eval_text("(pages max_stable_memory)", &small), 64);
  assert_int_equal(eval_text("(pages max_stable_memory)", &current),
                   500ull * 1024 * 16); /* 500 GiB */
  assert_int_equal(eval_text("(+ (pages max_stable_memory_32) 1)", &small), 17);
  assert_int_equal(eval_text("(pages max_stable_memory_32)", &current), 65536);
  assert_int_equal(eval_text("page", &small), 65536);
  assert_int_equal(eval_text("(* 3 page)", &small), 3 * 65536);
  assert_int_equal(eval_text("-1", &small), UINT64_MAX);
  assert_int_equal(eval_text("(- 0 1)", &small), UINT64_MAX);
  assert_int_equal(eval_text("(- 5)", &small), (uint64_t)0 - 5);
  assert_int_equal(eval_text("0x1_0000", &small), 65536);
  assert_int_equal(eval_text("4GiB", &small), 4ull << 30);
  assert_int_equal(eval_text("(/ 10 3)", &small), 3);
  assert_int_equal(eval_text("(min 4 2 9)", &small), 2);
  assert_int_equal(eval_text("(max 4 2 9)", &small), 9);
}

static void test_expression_errors(void **state) {
  (void)state;
  cmr_vector v = parse_with("(expect reply (i64 (/ 1 (- 1 1))))");
  canmem_profile p = small_profile();
  uint64_t x;
  cmr_error err;
  assert_false(cmr_expr_eval(v.steps[0].expect.payload[0].expr, &p, &x, &err));
  assert_non_null(strstr(err.message, "division by zero"));
  cmr_vector_free(&v);

  const char *bad[] = {
      "99999999999999999999", "1_", "0x", "12XiB", "(pages)", "(frob 1)", "()"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char text[512];
    snprintf(text, sizeof text,
             "(vector \"t\" (rules SM-2))\n(module $c (memory 1))\n"
             "(update \"m\" (arg i64 %s))\n",
             bad[i]);
    cmr_vector w;
    if (cmr_vector_parse(&w, "t.wast", text, strlen(text), NULL, &err))
      fail_msg("'%s' should not parse", bad[i]);
    assert_int_equal(err.line, 3);
    cmr_vector_free(&w);
  }
}

static void test_values_encode_little_endian(void **state) {
  (void)state;
  cmr_vector v = parse_with("(expect reply (i32 0x01020304) (i64 -2) "
                            "(bytes \"\\00\\ff\" \"z\") (text \"\\u{e9}\"))");
  canmem_profile p = small_profile();
  uint8_t *out;
  size_t size;
  cmr_error err;
  assert_true(
      cmr_values_encode(v.steps[0].expect.payload, 4, &p, &out, &size, &err));
  const uint8_t want[] = {4,    3,    2,    1,    0xfe, 0xff, 0xff, 0xff, 0xff,
                          0xff, 0xff, 0xff, 0x00, 0xff, 'z',  0xc3, 0xa9};
  assert_int_equal(size, sizeof want);
  assert_memory_equal(out, want, sizeof want);
  free(out);
  cmr_vector_free(&v);

  /* a literal out of range fails at parse (test_runner_parse); an
   * expression of profile limits when it is evaluated: 64 pages * 1024 */
  v = parse_with("(expect reply (i32 (* max_stable_memory 1024)))");
  assert_false(
      cmr_values_encode(v.steps[0].expect.payload, 1, &p, &out, &size, &err));
  assert_non_null(strstr(err.message, "the expression's value 4294967296 "
                                      "(4294967296 as signed) is out of the "
                                      "i32 range"));
  cmr_vector_free(&v);
  v = parse_with("(expect reply (i32 -1))"); /* all ones fits */
  assert_true(
      cmr_values_encode(v.steps[0].expect.payload, 1, &p, &out, &size, &err));
  assert_int_equal(size, 4);
  assert_int_equal(out[3], 0xff);
  free(out);
  cmr_vector_free(&v);
}

static cmr_outcome outcome(uint32_t kind, uint32_t code, uint32_t category,
                           const void *payload, size_t size) {
  cmr_outcome o;
  memset(&o, 0, sizeof o);
  o.status = CANMEM_OK;
  o.kind = kind;
  o.reject_code = code;
  o.category = category;
  o.payload = (uint8_t *)payload;
  o.payload_size = size;
  snprintf(o.message, sizeof o.message, "a message that is never compared");
  return o;
}

static bool matches(const char *expect, cmr_outcome o, int *alternative) {
  cmr_vector v = parse_with(expect);
  canmem_profile p = small_profile();
  cmr_error err;
  int alt = -2;
  bool same = cmr_compare(&v.steps[0].expect, &o, &p, &alt, &err);
  if (!same && err.message[0])
    fail_msg("evaluation error: %s", err.message);
  if (alternative)
    *alternative = alt;
  cmr_vector_free(&v);
  return same;
}

static void test_compare_kinds_codes_categories(void **state) {
  (void)state;
  const uint8_t five[8] = {5};
  cmr_outcome reply5 =
      outcome(CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, five, 8);
  assert_true(matches("(expect reply (i64 5))", reply5, NULL));
  assert_false(matches("(expect reply (i64 6))", reply5, NULL));
  assert_false(matches("(expect reply (i32 5))", reply5, NULL)); /* size */
  assert_true(matches("(expect reply)", reply5, NULL)); /* any payload */
  assert_true(matches("", reply5, NULL));               /* implicit */
  assert_false(matches("(expect no-reply)", reply5, NULL));

  cmr_outcome rejected =
      outcome(CANMEM_OUTCOME_REJECT, 4, CANMEM_CAT_NONE, "no thanks", 9);
  assert_true(matches("(expect reject 4)", rejected, NULL));
  assert_true(matches("(expect reject canister-reject)", rejected, NULL));
  assert_true(matches("(expect reject canister-reject (text \"no thanks\"))",
                      rejected, NULL));
  assert_false(
      matches("(expect reject canister-reject (text \"no\"))", rejected, NULL));
  assert_false(matches("(expect reject canister-error)", rejected, NULL));
  assert_false(matches("(expect reject 4 method-not-found)", rejected, NULL));
  assert_false(matches("", rejected, NULL));

  cmr_outcome trap =
      outcome(CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_STABLE_OUT_OF_BOUNDS, NULL, 0);
  assert_true(matches("(expect trap stable-out-of-bounds)", trap, NULL));
  assert_true(matches("(expect trap)", trap, NULL)); /* any category */
  assert_false(matches("(expect trap heap-out-of-bounds)", trap, NULL));
  assert_false(
      matches("(expect install-rejected stable-out-of-bounds)", trap, NULL));

  cmr_outcome none = outcome(CANMEM_OUTCOME_NO_REPLY, 5, 0, NULL, 0);
  assert_true(matches("(expect no-reply)", none, NULL));

  cmr_outcome refused = outcome(CANMEM_OUTCOME_INSTALL_REJECTED, 5,
                                CANMEM_CAT_INVALID_MODULE, NULL, 0);
  assert_true(
      matches("(expect install-rejected invalid-module)", refused, NULL));
  assert_false(
      matches("(expect install-rejected module-memory)", refused, NULL));

  /* the adapter failing is never a match, whatever was expected */
  cmr_outcome broken = reply5;
  broken.status = CANMEM_ERR_INTERNAL;
  assert_false(matches("(expect reply)", broken, NULL));
}

static void test_compare_one_of_names_the_reading(void **state) {
  (void)state;
  const char *expect = "(expect one-of (formal trap heap-out-of-bounds)\n"
                       "  (stable-first trap stable-out-of-bounds))";
  int alt;
  assert_true(matches(
      expect,
      outcome(CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_HEAP_OUT_OF_BOUNDS, NULL, 0),
      &alt));
  assert_int_equal(alt, 0);
  assert_true(matches(
      expect,
      outcome(CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_STABLE_OUT_OF_BOUNDS, NULL, 0),
      &alt));
  assert_int_equal(alt, 1);
  assert_false(matches(
      expect, outcome(CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_UNREACHABLE, NULL, 0),
      &alt));
  assert_int_equal(alt, -1);
}

static void test_compare_payload_uses_the_profile(void **state) {
  (void)state;
  const uint8_t sixty_five[8] = {65};
  assert_true(matches("(expect reply (i64 (+ (pages max_stable_memory) 1)))",
                      outcome(CANMEM_OUTCOME_REPLY, 0, 0, sixty_five, 8),
                      NULL));
}

static void test_format_side_by_side_text(void **state) {
  (void)state;
  canmem_profile p = small_profile();
  char buf[512];
  cmr_vector v = parse_with("(expect reply (i64 (pages max_stable_memory)) "
                            "(i32 -1))");
  cmr_format_expectation(&v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "reply (i64 64) (i32 -1)");
  /* an outcome of the same size is shown in the expectation's shape */
  const uint8_t bytes[12] = {3, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f};
  cmr_outcome o = outcome(CANMEM_OUTCOME_REPLY, 0, 0, bytes, 12);
  cmr_format_outcome(&o, &v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "reply (i64 3) (i32 2147483647)");
  cmr_vector_free(&v);

  v = parse_with("(expect one-of (a trap) (b reject canister-error "
                 "invalid-settings))");
  cmr_format_expectation(&v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "one of: a = trap | b = reject canister-error "
                           "(5) invalid-settings");
  cmr_vector_free(&v);

  v = parse_with("");
  cmr_format_expectation(&v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "reply (the step succeeds)");
  o = outcome(CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_WASM_MEMORY_LIMIT, NULL, 0);
  cmr_format_outcome(&o, &v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "trap wasm-memory-limit");
  o = outcome(CANMEM_OUTCOME_REPLY, 0, 0, "hi\"", 3);
  cmr_format_outcome(&o, &v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "reply (text \"hi\\\"\")");
  o = outcome(CANMEM_OUTCOME_REPLY, 0, 0, "\x01\x00\x00\x00", 4);
  cmr_format_outcome(&o, &v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "reply (bytes \"\\01\\00\\00\\00\") = (i32 1)");
  o.status = CANMEM_ERR_UNSUPPORTED;
  cmr_format_outcome(&o, &v.steps[0].expect, &p, buf, sizeof buf);
  assert_string_equal(buf, "adapter error CANMEM_ERR_UNSUPPORTED");
  cmr_vector_free(&v);
}

static void test_names(void **state) {
  (void)state;
  uint32_t x;
  assert_true(cmr_category_by_name("stable-too-big-for-32-bit", &x));
  assert_int_equal(x, CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  assert_true(cmr_category_by_name("none", &x));
  assert_int_equal(x, CANMEM_CAT_NONE);
  assert_false(cmr_category_by_name("unknown", &x));
  assert_true(cmr_reject_code_by_name("destination-invalid", &x));
  assert_int_equal(x, 3);
  assert_true(cmr_reject_code_by_name("5", &x));
  assert_int_equal(x, 5);
  assert_false(cmr_reject_code_by_name("0", &x));
  assert_string_equal(cmr_reject_code_name(4), "canister-reject");
  assert_non_null(cmr_requirement_find("stable64"));
  assert_null(cmr_requirement_find("teleport"));
}

static void test_counts_decide_the_exit_status(void **state) {
  (void)state;
  cmr_counts c;
  memset(&c, 0, sizeof c);
  cmr_count(&c, CMR_PASS);
  cmr_count(&c, CMR_SKIP);
  cmr_count(&c, CMR_XFAIL);
  assert_true(cmr_counts_ok(&c));
  cmr_counts x = c;
  cmr_count(&x, CMR_XPASS); /* an unexpected pass fails the run */
  assert_false(cmr_counts_ok(&x));
  x = c;
  cmr_count(&x, CMR_ERROR);
  assert_false(cmr_counts_ok(&x));
  x = c;
  cmr_count(&x, CMR_FAIL);
  assert_false(cmr_counts_ok(&x));
  assert_int_equal(x.total, 4);
}

static void test_requirements_need_capability_and_feature(void **state) {
  (void)state;
  const char *text = "(vector \"t\" (rules SM-2) (requires wasm64 probes))\n"
                     "(module $c (memory 1))\n(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  cmr_adapter a;
  memset(&a, 0, sizeof a);
  a.capabilities = CANMEM_CAP_WASM64 | CMR_CAP_PROBES;
  canmem_profile p;
  cm_profile_defaults(&p);
  char why[200];
  assert_true(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  p.features &= ~CANMEM_FEATURE_WASM64;
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  assert_string_equal(why, "the profile lacks wasm64");
  cm_profile_defaults(&p);
  a.capabilities = 0;
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  assert_string_equal(why, "the runtime lacks wasm64; the runtime lacks "
                           "probes");
  cmr_vector_free(&v);
}

static void test_history_waives_the_feature_only(void **state) {
  (void)state;
  /* (history NAME): runs where the profile lacks the feature (to check the
   * refusal), still skipped where the runtime lacks the capability */
  const char *text = "(vector \"t\" (rules SM-2) (history skip-pre-upgrade))\n"
                     "(module $c (memory 1))\n(install $c)\n"
                     "(upgrade $c (skip_pre_upgrade true))\n"
                     "(settings (wasm_memory_limit 0))\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  assert_int_equal(v.history_count, 1);
  cmr_adapter a;
  memset(&a, 0, sizeof a);
  a.capabilities = CANMEM_CAP_SKIP_PRE_UPGRADE | CANMEM_CAP_WASM_MEMORY_LIMIT;
  canmem_profile p;
  cm_profile_defaults(&p);
  char why[200];
  p.features &= ~CANMEM_FEATURE_SKIP_PRE_UPGRADE;
  assert_true(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  p.features &= ~CANMEM_FEATURE_WASM_MEMORY_LIMIT; /* not in (history) */
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  assert_string_equal(why, "the profile lacks wasm-memory-limit");
  cm_profile_defaults(&p);
  a.capabilities = CANMEM_CAP_WASM_MEMORY_LIMIT;
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  assert_string_equal(why, "the runtime lacks skip-pre-upgrade");
  cmr_vector_free(&v);
}

static void test_minimum_limits(void **state) {
  (void)state;
  /* a real canister whose memory starts at 33 pages */
  const char *text = "(vector \"t\" (rules SM-2)\n"
                     "  (minimum (max_heap_wasm32 (* 33 page))\n"
                     "           (instructions_update 1000000000)))\n"
                     "(module $c (memory 1))\n(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  assert_int_equal(v.minimum_count, 2);
  cmr_adapter a;
  memset(&a, 0, sizeof a);
  canmem_profile p;
  cm_profile_defaults(&p);
  char why[300];
  assert_true(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  p.max_heap32_bytes = 33 * 65536ull; /* exactly the minimum: runs */
  assert_true(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  p.max_heap32_bytes = 32 * 65536ull;
  p.instructions_update = 100000000;
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  assert_string_equal(why, "the profile's max_heap_wasm32 is 2097152, below "
                           "the vector's minimum 2162688; the profile's "
                           "instructions_update is 100000000, below the "
                           "vector's minimum 1000000000");
  /* 0 is "no limit": it meets any minimum */
  p.max_heap32_bytes = 33 * 65536ull;
  p.instructions_update = 0;
  assert_true(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  cmr_vector_free(&v);
  /* a key that is no profile limit, a pair that is not one */
  const char *bad[] = {
      "(vector \"t\" (rules SM-2) (minimum (max_heap 1)))\n(uninstall)\n",
      "(vector \"t\" (rules SM-2) (minimum max_heap_wasm32))\n(uninstall)\n",
      "(vector \"t\" (rules SM-2) (minimum))\n(uninstall)\n"};
  const char *fragment[] = {"max_heap", "expected (KEY EXPR)",
                            "at least one limit"};
  for (size_t i = 0; i < 3; i++) {
    memset(&err, 0, sizeof err);
    assert_false(
        cmr_vector_parse(&v, "t.wast", bad[i], strlen(bad[i]), NULL, &err));
    if (err.line != 1 || !strstr(err.message, fragment[i]))
      fail_msg("case %zu: %u:%u %s", i, err.line, err.column, err.message);
    cmr_vector_free(&v);
  }
}

static void test_maximum_limits(void **state) {
  (void)state;
  /* a limit the vector must reach in little time */
  const char *text = "(vector \"t\" (rules LIM-INSTR-1)\n"
                     "  (maximum (instructions_query 1000000000)))\n"
                     "(module $c (memory 1))\n(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  assert_int_equal(v.maximum_count, 1);
  assert_int_equal(v.minimum_count, 0);
  cmr_adapter a;
  memset(&a, 0, sizeof a);
  canmem_profile p;
  cm_profile_defaults(&p);
  char why[300];
  p.instructions_query = 1000000000; /* exactly the maximum: runs */
  assert_true(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  p.instructions_query = 1000000001;
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  assert_string_equal(why, "the profile's instructions_query is 1000000001, "
                           "above the vector's maximum 1000000000");
  /* 0 is "no limit": above any maximum */
  p.instructions_query = 0;
  assert_false(cmr_requirements_met(&v, &a, &p, why, sizeof why));
  cmr_vector_free(&v);
  const char *bad = "(vector \"t\" (rules SM-2) (maximum))\n(uninstall)\n";
  memset(&err, 0, sizeof err);
  assert_false(cmr_vector_parse(&v, "t.wast", bad, strlen(bad), NULL, &err));
  assert_non_null(strstr(err.message, "(maximum (KEY EXPR) ...)"));
  cmr_vector_free(&v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_minimum_limits),
      cmocka_unit_test(test_maximum_limits),
      cmocka_unit_test(test_expressions_follow_the_profile),
      cmocka_unit_test(test_expression_errors),
      cmocka_unit_test(test_values_encode_little_endian),
      cmocka_unit_test(test_compare_kinds_codes_categories),
      cmocka_unit_test(test_compare_one_of_names_the_reading),
      cmocka_unit_test(test_compare_payload_uses_the_profile),
      cmocka_unit_test(test_format_side_by_side_text),
      cmocka_unit_test(test_names),
      cmocka_unit_test(test_counts_decide_the_exit_status),
      cmocka_unit_test(test_requirements_need_capability_and_feature),
      cmocka_unit_test(test_history_waives_the_feature_only),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
