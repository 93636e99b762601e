/* Unit tests of the strict JSON reader (ref/tools/json.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"

static cm_json_doc *parse(const char *text) {
  cm_json_error err;
  return cm_json_parse(text, strlen(text), &err);
}

/* Parsing must fail at line:column with a message containing `needle`. */
static void expect_error(const char *text, size_t size, uint32_t line,
                         uint32_t column, const char *needle) {
  cm_json_error err;
  cm_json_doc *doc = cm_json_parse(text, size, &err);
  if (doc != NULL) {
    cm_json_free(doc);
    fail_msg("accepted invalid JSON: %s", text);
  }
  if (strstr(err.message, needle) == NULL)
    fail_msg("message \"%s\" lacks \"%s\" for input %s", err.message, needle,
             text);
  if (err.line != line || err.column != column)
    fail_msg("error at %u:%u, expected %u:%u (%s) for input %s",
             (unsigned)err.line, (unsigned)err.column, (unsigned)line,
             (unsigned)column, err.message, text);
}

#define EXPECT_ERROR(text, line, column, needle)                               \
  expect_error((text), strlen(text), (line), (column), (needle))

static void test_scalars(void **state) {
  (void)state;
  cm_json_doc *doc = parse(" true ");
  assert_non_null(doc);
  assert_int_equal(cm_json_root(doc)->kind, CM_JSON_BOOL);
  assert_true(cm_json_root(doc)->as.boolean);
  cm_json_free(doc);

  doc = parse("false");
  assert_non_null(doc);
  assert_false(cm_json_root(doc)->as.boolean);
  cm_json_free(doc);

  doc = parse("null");
  assert_non_null(doc);
  assert_int_equal(cm_json_root(doc)->kind, CM_JSON_NULL);
  cm_json_free(doc);
}

static void test_numbers(void **state) {
  (void)state;
  static const struct {
    const char *text;
    double value;
  } cases[] = {
      {"0", 0.0},       {"-0", -0.0},       {"12", 12.0},
      {"-3.25", -3.25}, {"1e3", 1000.0},    {"2.5E-1", 0.25},
      {"1E+2", 100.0},  {"0.125", 0.125},   {"123456789", 123456789.0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cm_json_doc *doc = parse(cases[i].text);
    assert_non_null(doc);
    const cm_json *n = cm_json_root(doc);
    assert_int_equal(n->kind, CM_JSON_NUMBER);
    assert_true(n->as.number.value == cases[i].value);
    assert_string_equal(n->as.number.text, cases[i].text);
    cm_json_free(doc);
  }
}

static void test_uint64_exact(void **state) {
  (void)state;
  uint64_t v = 0;
  cm_json_doc *doc = parse("[18446744073709551615, 18446744073709551616, "
                           "-1, 1.0, 1e2, 0, 42]");
  assert_non_null(doc);
  const cm_json *a = cm_json_root(doc);
  assert_int_equal(a->as.array.count, 7);
  assert_true(cm_json_uint64(a->as.array.items[0], &v));
  assert_true(v == UINT64_MAX);
  assert_false(cm_json_uint64(a->as.array.items[1], &v)); /* overflows */
  assert_false(cm_json_uint64(a->as.array.items[2], &v));
  assert_false(cm_json_uint64(a->as.array.items[3], &v));
  assert_false(cm_json_uint64(a->as.array.items[4], &v));
  assert_true(cm_json_uint64(a->as.array.items[5], &v));
  assert_true(v == 0);
  assert_true(cm_json_uint64(a->as.array.items[6], &v));
  assert_true(v == 42);
  assert_false(cm_json_uint64(a, &v)); /* not a number */
  assert_false(cm_json_uint64(NULL, &v));
  cm_json_free(doc);
}

static void test_strings_and_escapes(void **state) {
  (void)state;
  cm_json_doc *doc =
      parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0041\\u00e9\\u20AC\"");
  assert_non_null(doc);
  const cm_json *s = cm_json_root(doc);
  assert_int_equal(s->kind, CM_JSON_STRING);
  const char expected[] = "a\"b\\c/d\b\f\n\r\tA\xc3\xa9\xe2\x82\xac";
  assert_int_equal(s->as.string.length, sizeof expected - 1);
  assert_memory_equal(s->as.string.bytes, expected, sizeof expected);
  cm_json_free(doc);
}

static void test_surrogate_pair_to_utf8(void **state) {
  (void)state;
  /* U+1F600 as an escaped pair and as raw UTF-8 decode to the same bytes. */
  cm_json_doc *doc = parse("[\"\\ud83d\\ude00\", \"\xf0\x9f\x98\x80\"]");
  assert_non_null(doc);
  const cm_json *a = cm_json_root(doc);
  for (size_t i = 0; i < 2; i++) {
    const cm_json *s = a->as.array.items[i];
    assert_int_equal(s->as.string.length, 4);
    assert_memory_equal(s->as.string.bytes, "\xf0\x9f\x98\x80", 4);
  }
  cm_json_free(doc);
}

static void test_embedded_nul(void **state) {
  (void)state;
  cm_json_doc *doc = parse("{\"k\\u0000x\": \"a\\u0000b\"}");
  assert_non_null(doc);
  const cm_json *o = cm_json_root(doc);
  assert_int_equal(o->as.object.members[0].key_length, 3);
  assert_null(cm_json_get(o, "k")); /* a C-string key does not match */
  const cm_json *v = o->as.object.members[0].value;
  assert_int_equal(v->as.string.length, 3);
  assert_memory_equal(v->as.string.bytes, "a\0b", 4);
  cm_json_free(doc);
}

static void test_arrays_objects_and_lookup(void **state) {
  (void)state;
  cm_json_doc *doc = parse("{\"source_filename\": \"i32.wast\",\n"
                           " \"commands\": [\n"
                           "  {\"type\": \"module\", \"line\": 3},\n"
                           "  {\"type\": \"assert_return\", \"line\": 37, "
                           "\"expected\": []}\n"
                           " ], \"empty\": {}}");
  assert_non_null(doc);
  const cm_json *root = cm_json_root(doc);
  assert_string_equal(cm_json_string(cm_json_get(root, "source_filename")),
                      "i32.wast");
  const cm_json *commands = cm_json_get(root, "commands");
  assert_non_null(commands);
  assert_int_equal(commands->kind, CM_JSON_ARRAY);
  assert_int_equal(commands->as.array.count, 2);
  const cm_json *second = commands->as.array.items[1];
  assert_int_equal(second->line, 4);
  assert_int_equal(second->column, 3);
  uint64_t line = 0;
  assert_true(cm_json_uint64(cm_json_get(second, "line"), &line));
  assert_int_equal(line, 37);
  const cm_json *expected = cm_json_get(second, "expected");
  assert_int_equal(expected->kind, CM_JSON_ARRAY);
  assert_int_equal(expected->as.array.count, 0);
  assert_int_equal(cm_json_get(root, "empty")->as.object.count, 0);
  assert_null(cm_json_get(root, "missing"));
  assert_null(cm_json_get(commands, "type")); /* not an object */
  assert_null(cm_json_get(NULL, "type"));
  assert_null(cm_json_string(commands));
  cm_json_free(doc);
}

static void test_duplicate_keys_first_wins(void **state) {
  (void)state;
  cm_json_doc *doc = parse("{\"a\": 1, \"a\": 2}");
  assert_non_null(doc);
  uint64_t v = 0;
  assert_true(cm_json_uint64(cm_json_get(cm_json_root(doc), "a"), &v));
  assert_int_equal(v, 1);
  cm_json_free(doc);
}

static void test_structural_errors(void **state) {
  (void)state;
  EXPECT_ERROR("", 1, 1, "expected a value, got end of input");
  EXPECT_ERROR("   ", 1, 4, "expected a value");
  EXPECT_ERROR("[1,]", 1, 4, "expected a value");
  EXPECT_ERROR("[1 2]", 1, 4, "expected ',' or ']'");
  EXPECT_ERROR("[1", 1, 3, "expected ',' or ']' after an array element, got "
                           "end of input");
  EXPECT_ERROR("{\"a\":1,}", 1, 8, "expected '\"' to start a member name");
  EXPECT_ERROR("{\"a\" 1}", 1, 6, "expected ':' after member name \"a\"");
  EXPECT_ERROR("{\"a\":1 \"b\":2}", 1, 8, "expected ',' or '}'");
  EXPECT_ERROR("{a:1}", 1, 2, "expected '\"' to start a member name, got 'a'");
  EXPECT_ERROR("{\n  \"a\": tru }", 2, 8, "expected 'true'");
  EXPECT_ERROR("nul", 1, 1, "expected 'null'");
  EXPECT_ERROR("1 2", 1, 3, "expected end of input after the JSON value");
  EXPECT_ERROR("// comment\n1", 1, 1, "expected a value");
  EXPECT_ERROR("NaN", 1, 1, "expected a value");
  EXPECT_ERROR("\xef\xbb\xbf{}", 1, 1, "byte order mark");
}

static void test_number_errors(void **state) {
  (void)state;
  EXPECT_ERROR("01", 1, 2, "leading zeros");
  EXPECT_ERROR("-", 1, 2, "expected a digit after '-'");
  EXPECT_ERROR("-a", 1, 2, "expected a digit after '-', got 'a'");
  EXPECT_ERROR("1.", 1, 3, "expected a digit after '.'");
  EXPECT_ERROR("1.e5", 1, 3, "expected a digit after '.'");
  EXPECT_ERROR("1e", 1, 3, "expected a digit in the exponent");
  EXPECT_ERROR("1e+", 1, 4, "expected a digit in the exponent");
  EXPECT_ERROR("+1", 1, 1, "expected a value");
  EXPECT_ERROR(".5", 1, 1, "expected a value");
}

static void test_string_errors(void **state) {
  (void)state;
  EXPECT_ERROR("\"abc", 1, 1, "unterminated string");
  EXPECT_ERROR("[\"a\\\"]", 1, 2, "unterminated string");
  EXPECT_ERROR("\"a\tb\"", 1, 3, "control character U+0009");
  EXPECT_ERROR("\"a\nb\"", 1, 3, "control character U+000A");
  EXPECT_ERROR("\"\\x\"", 1, 2, "invalid escape");
  EXPECT_ERROR("\"\\u12\"", 1, 6, "expected 4 hex digits after \\u, got '\"'");
  EXPECT_ERROR("\"\\u12G4\"", 1, 6, "expected 4 hex digits");
  EXPECT_ERROR("\"\\ud800\"", 1, 2, "high surrogate \\uD800 must be followed");
  EXPECT_ERROR("\"\\ud800\\u0041\"", 1, 2, "expected a low surrogate");
  EXPECT_ERROR("\"\\udc00\"", 1, 2, "lone low surrogate");
  /* Raw UTF-8: overlong, surrogate, above U+10FFFF, truncated, stray. */
  EXPECT_ERROR("\"\xc0\xaf\"", 1, 2, "invalid UTF-8 byte 0xc0");
  EXPECT_ERROR("\"\xe0\x80\xaf\"", 1, 2, "invalid UTF-8 byte 0xe0");
  EXPECT_ERROR("\"\xed\xa0\x80\"", 1, 2, "invalid UTF-8 byte 0xed");
  EXPECT_ERROR("\"\xf4\x90\x80\x80\"", 1, 2, "invalid UTF-8 byte 0xf4");
  EXPECT_ERROR("\"\xe2\x82\"", 1, 2, "invalid UTF-8 byte 0xe2");
  EXPECT_ERROR("\"\x80\"", 1, 2, "invalid UTF-8 byte 0x80");
  /* A NUL byte inside the text is a control character, not an end. */
  expect_error("\"a\0b\"", 5, 1, 3, "control character U+0000");
}

static void test_columns_count_characters(void **state) {
  (void)state;
  /* "é" is two bytes but one column. */
  EXPECT_ERROR("[\"\xc3\xa9\" x]", 1, 6, "after an array element, got 'x'");
  EXPECT_ERROR("[1,\n\n   ]", 3, 4, "expected a value");
}

static char *nested(size_t depth, char open, char close) {
  char *text = malloc(2 * depth + 1);
  assert_non_null(text);
  memset(text, open, depth);
  memset(text + depth, close, depth);
  text[2 * depth] = '\0';
  return text;
}

static void test_nesting_limit(void **state) {
  (void)state;
  char *ok = nested(CM_JSON_MAX_DEPTH, '[', ']');
  cm_json_doc *doc = parse(ok);
  assert_non_null(doc);
  cm_json_free(doc);
  free(ok);

  char *deep = nested(CM_JSON_MAX_DEPTH + 1, '[', ']');
  EXPECT_ERROR(deep, 1, CM_JSON_MAX_DEPTH + 1, "nested deeper than");
  free(deep);

  /* Hostile input far beyond the limit fails cleanly, without recursion
   * proportional to its depth. */
  size_t huge = 1000000;
  char *hostile = malloc(huge + 1);
  assert_non_null(hostile);
  for (size_t i = 0; i < huge; i++)
    hostile[i] = (i % 2) ? '[' : '{';
  hostile[0] = '[';
  hostile[huge] = '\0';
  cm_json_error err;
  assert_null(cm_json_parse(hostile, huge, &err));
  free(hostile);
}

static void test_large_document(void **state) {
  (void)state;
  /* Many members and elements exercise the arena and the child stacks. */
  const size_t n = 20000;
  size_t capacity = n * 48 + 64;
  char *text = malloc(capacity);
  assert_non_null(text);
  size_t len = (size_t)snprintf(text, capacity, "{\"commands\": [");
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(text + len, capacity - len,
                            "%s{\"line\": %zu, \"v\": [\"%zu\"]}",
                            i ? "," : "", i, i * 7);
  len += (size_t)snprintf(text + len, capacity - len, "]}");
  cm_json_error err;
  cm_json_doc *doc = cm_json_parse(text, len, &err);
  assert_non_null(doc);
  const cm_json *commands = cm_json_get(cm_json_root(doc), "commands");
  assert_int_equal(commands->as.array.count, n);
  uint64_t line = 0;
  assert_true(cm_json_uint64(
      cm_json_get(commands->as.array.items[n - 1], "line"), &line));
  assert_int_equal(line, n - 1);
  const cm_json *v = cm_json_get(commands->as.array.items[123], "v");
  assert_string_equal(cm_json_string(v->as.array.items[0]), "861");
  cm_json_free(doc);
  free(text);
}

static void test_null_error_pointer_and_kind_names(void **state) {
  (void)state;
  assert_null(cm_json_parse("[", 1, NULL));
  cm_json_doc *doc = cm_json_parse("[]", 2, NULL);
  assert_non_null(doc);
  cm_json_free(doc);
  cm_json_free(NULL);
  assert_null(cm_json_root(NULL));
  assert_string_equal(cm_json_kind_name(CM_JSON_OBJECT), "object");
  assert_string_equal(cm_json_kind_name(CM_JSON_STRING), "string");
}

/* The parser must read only `size` bytes: the text need not be terminated. */
static void test_unterminated_buffer(void **state) {
  (void)state;
  char buf[4] = {'[', '1', ']', 'x'};
  cm_json_doc *doc = cm_json_parse(buf, 3, NULL);
  assert_non_null(doc);
  cm_json_free(doc);
  char str[2] = {'"', 'a'};
  assert_null(cm_json_parse(str, 2, NULL));
  char esc[3] = {'"', '\\', 'u'};
  assert_null(cm_json_parse(esc, 3, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_scalars),
      cmocka_unit_test(test_numbers),
      cmocka_unit_test(test_uint64_exact),
      cmocka_unit_test(test_strings_and_escapes),
      cmocka_unit_test(test_surrogate_pair_to_utf8),
      cmocka_unit_test(test_embedded_nul),
      cmocka_unit_test(test_arrays_objects_and_lookup),
      cmocka_unit_test(test_duplicate_keys_first_wins),
      cmocka_unit_test(test_structural_errors),
      cmocka_unit_test(test_number_errors),
      cmocka_unit_test(test_string_errors),
      cmocka_unit_test(test_columns_count_characters),
      cmocka_unit_test(test_nesting_limit),
      cmocka_unit_test(test_large_document),
      cmocka_unit_test(test_null_error_pointer_and_kind_names),
      cmocka_unit_test(test_unterminated_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
