/* cmocka tests of the runner's reading side: s-expressions, vectors,
 * rule lists, expectation files, the prelude and gzip. Malformed input
 * must come back as an error at the right line and column. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* after the headers it relies on */
#include <cmocka.h>

#include "runner.h"
#include "wasm.h"

/* ---- s-expressions ---- */

static void test_sexpr_positions_and_strings(void **state) {
  (void)state;
  const char *src =
      ";; comment\n(a \"x\\n\\41\\u{e9}\" (; block (; nested ;) ;)\n"
      "  (b c))";
  cmr_sx *forms;
  size_t count;
  cmr_error err;
  assert_true(cmr_sx_parse(src, strlen(src), &forms, &count, &err));
  assert_int_equal(count, 1);
  const cmr_sx *list = &forms[0];
  assert_int_equal(list->kind, CMR_SX_LIST);
  assert_int_equal(list->line, 2);
  assert_int_equal(list->column, 1);
  assert_int_equal(list->count, 3);
  assert_string_equal(cmr_sx_atom(&list->items[0]), "a");
  assert_int_equal(list->items[1].kind, CMR_SX_STRING);
  assert_int_equal(list->items[1].size, 5); /* x \n A and two bytes of é */
  assert_memory_equal(list->items[1].text, "x\nA\xc3\xa9", 5);
  assert_true(cmr_sx_is_form(&list->items[2], "b"));
  assert_int_equal(list->items[2].line, 3);
  assert_int_equal(list->items[2].column, 3);
  /* the source range covers the parentheses */
  assert_int_equal(src[list->start], '(');
  assert_int_equal(src[list->end - 1], ')');
  cmr_sx_free_all(forms, count);
}

static void expect_sexpr_error(const char *src, uint32_t line, uint32_t column,
                               const char *fragment) {
  cmr_sx *forms;
  size_t count;
  cmr_error err;
  memset(&err, 0, sizeof err);
  assert_false(cmr_sx_parse(src, strlen(src), &forms, &count, &err));
  if (err.line != line || err.column != column ||
      !strstr(err.message, fragment))
    fail_msg("%s: got %u:%u %s, want %u:%u ...%s...", src, err.line, err.column,
             err.message, line, column, fragment);
}

static void test_sexpr_errors(void **state) {
  (void)state;
  expect_sexpr_error("(a\n (b)", 1, 1, "never closed");
  expect_sexpr_error("(a))", 1, 4, "without a matching");
  expect_sexpr_error("(a \"b\\q\")", 1, 6, "unknown escape");
  expect_sexpr_error("(a \"b\n\")", 1, 4, "unterminated string");
  expect_sexpr_error("x (; never ends", 1, 3, "block comment");
  expect_sexpr_error("(\"\\u{d800}\")", 1, 3, "Unicode");
}

static void test_sexpr_depth_limit(void **state) {
  (void)state;
  char deep[1200];
  memset(deep, '(', 600);
  memset(deep + 600, ')', 600);
  cmr_sx *forms;
  size_t count;
  cmr_error err;
  assert_false(cmr_sx_parse(deep, 1200, &forms, &count, &err));
  assert_non_null(strstr(err.message, "nested deeper"));
}

/* ---- vectors ---- */

static cmr_rule_list known_rules(void) {
  const char *text = "# test rules\nSM-2 stable starts empty\n"
                     "SM64-GROW-1 grow returns the old size\n"
                     "EDGE-ORDER check order\n";
  cmr_rule_list rules;
  cmr_error err;
  assert_true(cmr_rule_list_parse(&rules, text, strlen(text), "rules", &err));
  assert_int_equal(rules.count, 3);
  return rules;
}

static const char full_vector[] =
    "(vector \"everything at once\"\n"
    "  (rules SM-2 SM64-GROW-1)\n"
    "  (requires profile-limits)\n"
    "  (tags basic boundary)\n"
    "  (notes \"first\" \"second\"))\n"
    "(module $a (memory 1)\n"
    "  (@custom \"icp:private x\" \"abc\")\n"
    "  (func (export \"canister_update g\")\n"
    "    (call $reply_i64 (call $ic0.stable64_grow (i64.const 1)))))\n"
    "(module $w (memory i64 1))\n"
    "(module $bin binary \"\\00asm\" \"\\01\\00\\00\\00\")\n"
    "(install $a (arg i64 5) (gzip))\n"
    "(upgrade $w (skip_pre_upgrade true) (wasm_memory_persistence keep))\n"
    "(update \"g\" (arg (i32 1) (bytes \"xy\")))  (expect reply (i64 0))\n"
    "(query \"g\")  (expect reject canister-reject explicit-trap (text "
    "\"no\"))\n"
    "(replicated-query \"g\") (expect trap stable-out-of-bounds)\n"
    "(inspect-message \"g\") (expect no-reply)\n"
    "(system-task on_low_wasm_memory)\n"
    "(settings (wasm_memory_limit (* 2 page)) (wasm_memory_threshold 0))\n"
    "(probe stable-bytes 0 8) (expect reply (bytes \"\"))\n"
    "(uninstall)\n"
    "(reinstall $bin) (expect install-rejected invalid-module)\n"
    "(update \"g\")\n"
    "(expect one-of (formal trap heap-out-of-bounds)\n"
    "               (stable-first trap stable-out-of-bounds))\n"
    "(outgoing-calls (call (callee (bytes \"a\")) (method \"m\") (arg i32 1)\n"
    "  (cycles 5) (best-effort 10) (cleanup)))\n"
    "(respond 1 (reply (i32 1))) (expect pending)\n"
    "(respond 1 (reject sys-unknown \"gone\")) (expect returned "
    "call-context-deleted)\n"
    "(respond 2 timeout) (expect reject sys-transient)\n";

static bool has(char *const *list, size_t count, const char *s) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(list[i], s) == 0)
      return true;
  return false;
}

static void test_vector_everything(void **state) {
  (void)state;
  cmr_rule_list rules = known_rules();
  cmr_vector v;
  cmr_error err;
  bool ok = cmr_vector_parse(&v, "vectors/area/name.wast", full_vector,
                             strlen(full_vector), &rules, &err);
  if (!ok)
    fail_msg("%u:%u: %s", err.line, err.column, err.message);
  assert_string_equal(v.id, "area/name");
  assert_string_equal(v.area, "area");
  assert_string_equal(v.title, "everything at once");
  assert_int_equal(v.rule_count, 2);
  assert_int_equal(v.tag_count, 2);
  assert_string_equal(v.notes, "first second");
  /* explicit and implied requirements */
  assert_true(has(v.requires, v.require_count, "profile-limits"));
  assert_true(has(v.requires, v.require_count, "gzip"));
  assert_true(has(v.requires, v.require_count, "wasm64"));
  assert_true(has(v.requires, v.require_count, "skip-pre-upgrade"));
  assert_true(has(v.requires, v.require_count, "wasm-memory-persistence"));
  assert_true(has(v.requires, v.require_count, "replicated-query"));
  assert_true(has(v.requires, v.require_count, "inspect-message"));
  assert_true(has(v.requires, v.require_count, "system-tasks"));
  assert_true(has(v.requires, v.require_count, "low-memory-hook"));
  assert_true(has(v.requires, v.require_count, "wasm-memory-limit"));
  assert_true(has(v.requires, v.require_count, "probes"));
  assert_true(has(v.requires, v.require_count, "stable64"));

  assert_int_equal(v.module_count, 3);
  assert_false(v.modules[0].wasm64);
  assert_int_equal(v.modules[0].section_count, 1);
  assert_string_equal(v.modules[0].sections[0].name, "icp:private x");
  assert_int_equal(v.modules[0].sections[0].size, 3);
  assert_true(v.modules[1].wasm64);
  assert_true(v.modules[2].binary);
  assert_int_equal(v.modules[2].size, 8);

  assert_true(has(v.requires, v.require_count, "calls"));
  assert_int_equal(v.step_count, 16);
  const cmr_step *s = v.steps;
  assert_int_equal(s[0].kind, CMR_STEP_INSTALL);
  assert_true(s[0].gzip);
  assert_int_equal(s[0].arg_count, 1);
  assert_true(s[0].expect.implicit);
  assert_int_equal(s[0].expect.kind, CMR_EXPECT_REPLY);
  assert_int_equal(s[1].kind, CMR_STEP_UPGRADE);
  assert_int_equal(s[1].module, 1);
  assert_int_equal(s[1].skip_pre_upgrade, 1);
  assert_int_equal(s[1].wasm_memory_persistence, CANMEM_PERSISTENCE_KEEP);
  assert_int_equal(s[2].kind, CMR_STEP_UPDATE);
  assert_string_equal(s[2].method, "g");
  assert_int_equal(s[2].arg_count, 2);
  assert_int_equal(s[2].expect.kind, CMR_EXPECT_REPLY);
  assert_true(s[2].expect.has_payload);
  assert_int_equal(s[3].expect.kind, CMR_EXPECT_REJECT);
  assert_int_equal(s[3].expect.reject_code, CANMEM_REJECT_CANISTER_REJECT);
  assert_true(s[3].expect.has_category);
  assert_int_equal(s[3].expect.category, CANMEM_CAT_EXPLICIT_TRAP);
  assert_int_equal(s[3].expect.payload_count, 1);
  assert_int_equal(s[4].kind, CMR_STEP_REPLICATED_QUERY);
  assert_int_equal(s[4].expect.kind, CMR_EXPECT_TRAP);
  assert_int_equal(s[5].kind, CMR_STEP_INSPECT);
  assert_int_equal(s[5].expect.kind, CMR_EXPECT_NO_REPLY);
  assert_int_equal(s[6].kind, CMR_STEP_SYSTEM_TASK);
  assert_string_equal(s[6].method, "canister_on_low_wasm_memory");
  assert_true(s[6].expect.implicit);
  assert_int_equal(s[6].expect.kind, CMR_EXPECT_NO_REPLY);
  assert_int_equal(s[7].kind, CMR_STEP_SETTINGS);
  assert_int_equal(s[7].settings_fields,
                   CANMEM_SETTING_WASM_MEMORY_LIMIT |
                       CANMEM_SETTING_WASM_MEMORY_THRESHOLD);
  assert_int_equal(s[8].kind, CMR_STEP_PROBE);
  assert_int_equal(s[8].probe, CMR_PROBE_STABLE_BYTES);
  assert_int_equal(s[9].kind, CMR_STEP_UNINSTALL);
  assert_int_equal(s[10].kind, CMR_STEP_REINSTALL);
  assert_int_equal(s[10].expect.kind, CMR_EXPECT_INSTALL_REJECTED);
  assert_int_equal(s[10].expect.category, CANMEM_CAT_INVALID_MODULE);
  assert_int_equal(s[11].expect.kind, CMR_EXPECT_ONE_OF);
  assert_int_equal(s[11].expect.alternative_count, 2);
  assert_string_equal(s[11].expect.alternatives[1].reading, "stable-first");
  assert_int_equal(s[11].expect.line, 24);
  assert_int_equal(s[11].line, 23);
  assert_int_equal(s[12].kind, CMR_STEP_OUTGOING_CALLS);
  assert_non_null(s[12].calls);
  assert_int_equal(s[13].kind, CMR_STEP_RESPOND);
  assert_int_equal(s[13].response_kind, CANMEM_RESPONSE_REPLY);
  assert_int_equal(s[13].arg_count, 1);
  assert_int_equal(s[13].expect.kind, CMR_EXPECT_PENDING);
  assert_int_equal(s[14].response_kind, CANMEM_RESPONSE_REJECT);
  assert_int_equal(s[14].response_code, CANMEM_REJECT_SYS_UNKNOWN);
  assert_int_equal(s[14].reject_text->size, 4);
  assert_int_equal(s[14].expect.kind, CMR_EXPECT_RETURNED);
  assert_int_equal(s[14].expect.category, CANMEM_CAT_CALL_CONTEXT_DELETED);
  assert_true(s[15].response_timeout);
  assert_int_equal(s[15].expect.reject_code, CANMEM_REJECT_SYS_TRANSIENT);
  cmr_vector_free(&v);
  cmr_rule_list_free(&rules);
}

typedef struct {
  const char *text;
  uint32_t line, column;
  const char *fragment;
} bad_case;

#define HEAD "(vector \"t\" (rules SM-2))\n"
#define MOD HEAD "(module $c (memory 1))\n"

static const bad_case bad_cases[] = {
    {"", 1, 1, "empty file"},
    {"(module $c)", 1, 1, "starts with its header"},
    {"(vector (rules SM-2))", 1, 9, "title"},
    {"(vector \"t\")\n(install $c)", 1, 1, "needs (rules"},
    {"(vector \"t\" (rules SM-2 SM-2))", 1, 25, "listed twice"},
    {"(vector \"t\" (rules sm-2))", 1, 20, "rule ID"},
    {"(vector \"t\" (rules NOPE-9))", 1, 20, "unknown rule ID"},
    {"(vector \"t\" (rules SM-2) (requires teleport))", 1, 36,
     "unknown capability"},
    {"(vector \"t\" (rules SM-2) (colour red))", 1, 26, "unknown header"},
    {"(vector \"t\" (rules SM-2) (history))", 1, 26, "at least one name"},
    {"(vector \"t\" (rules SM-2) (history teleport))", 1, 35,
     "unknown capability"},
    {"(vector \"t\" (rules SM-2) (history probes))", 1, 35,
     "no profile feature"},
    {"(vector \"t\" (rules SM-2) (history gzip gzip))", 1, 40,
     "listed twice"},
    {"(vector \"t\" (rules SM-2) (history gzip))\n(module $c (memory 1))\n"
     "(install $c)",
     1, 1, "does not need gzip"},
    {HEAD "(module (memory 1))", 2, 9, "module name"},
    {MOD "(module $c)", 3, 9, "defined twice"},
    {MOD "(install $d)", 3, 10, "no module named"},
    {MOD "(install)", 3, 1, "name of a module"},
    {MOD "(install $c (turbo))", 3, 13, "expected (arg"},
    {MOD "(upgrade $c (skip_pre_upgrade maybe))", 3, 13, "true|false"},
    {MOD "(upgrade $c (wasm_memory_persistence all))", 3, 13, "keep|replace"},
    {MOD "(update grow)", 3, 9, "method name as a string"},
    {MOD "(update \"g\" (arg (i65 1)))", 3, 19, "unknown value type"},
    {MOD "(update \"g\" (arg i64 1 2))", 3, 18, "exactly one"},
    {MOD "(update \"g\" (arg (i64 (% 1 2))))", 3, 24, "unknown operator"},
    {MOD "(update \"g\" (arg (text \"\\ff\")))", 3, 24, "UTF-8"},
    /* as written, not as 2^64 - 2^31 - 1 (issue 16) */
    {MOD "(update \"g\" (arg (i32 -2147483649)))", 3, 23,
     "-2147483649 is out of the i32 range (-2147483648 to 4294967295)"},
    {MOD "(update \"g\" (arg (i32 0x100000000)))", 3, 23,
     "0x100000000 is out of the i32 range"},
    {MOD "(system-task nap)", 3, 14, "heartbeat"},
    {MOD "(settings (memory_allocation 5))", 3, 11, "wasm_memory_limit"},
    {MOD "(probe everything)", 3, 8, "stable-size"},
    {MOD "(probe stable-bytes 0)", 3, 1, "takes 2 operands"},
    {MOD "(expect reply)", 3, 1, "must follow a step"},
    {MOD "(uninstall) (expect reply) (expect reply)", 3, 28,
     "already has an expectation"},
    {MOD "(uninstall) (expect reply-ish)", 3, 21, "unknown outcome"},
    {MOD "(uninstall) (expect reject 9)", 3, 28, "reject code"},
    {MOD "(uninstall) (expect trap too-hot)", 3, 26, "category"},
    {MOD "(uninstall) (expect no-reply (i64 1))", 3, 30, "nothing more"},
    {MOD "(uninstall) (expect one-of (a reply))", 3, 21, "two readings"},
    {MOD "(uninstall) (expect one-of (a reply) (a trap))", 3, 39,
     "named twice"},
    {MOD "(uninstall) (expect one-of (a one-of (b reply) (c reply)) "
         "(d reply))",
     3, 31, "unknown outcome"},
    {MOD "(install $c) (module $d)", 3, 14, "modules come before"},
    {MOD "(bogus)", 3, 1, "unknown form 'bogus'"},
    {MOD "42", 3, 1, "bare value"},
    {HEAD "(module $c (func (call $ic0.nonsense)))\n(install $c)", 2, 24,
     "unknown System API function ic0.nonsense"},
    {MOD, 1, 1, "no steps"},
    {HEAD "(module $f file)", 2, 1, "one file name after 'file'"},
    {HEAD "(module $f file \"a.wasm\" \"b.wasm\")", 2, 26,
     "one file name after 'file'"},
    {HEAD "(module $f file c)", 2, 1, "one file name"},
    {HEAD "(module $f file \"\")", 2, 17, "non-empty"},
    {HEAD "(module $f file \"../x.wasm\")", 2, 17, "without '..'"},
    {HEAD "(module $f file \"/abs/x.wasm\")", 2, 17, "relative"},
    /* the calls steps (callsteps.c) */
    {MOD "(outgoing-calls (cal))", 3, 17, "expected (call (callee"},
    {MOD "(outgoing-calls (call (method \"m\")))", 3, 17,
     "needs (callee VALUE...) and (method"},
    {MOD "(outgoing-calls (call (callee (bytes \"\")) (method m)))", 3, 43,
     "expected (call (callee"},
    {MOD "(outgoing-calls (call (callee (i65 1)) (method \"m\")))", 3, 32,
     "unknown value type"},
    {MOD "(outgoing-calls (call (callee) (method \"m\") (cycles (% 1))))",
     3, 54, "unknown operator"},
    {MOD "(respond 1)", 3, 1, "expected (respond N (reply"},
    {MOD "(respond 1 (answer))", 3, 12, "expected (respond N (reply"},
    {MOD "(respond 1 (reject boom \"x\"))", 3, 20, "sys-unknown or 1-6"},
    {MOD "(respond 1 (reply (i65 1)))", 3, 20, "unknown value type"},
    {MOD "(respond (% 1) timeout)", 3, 11, "unknown operator"},
    {MOD "(uninstall) (expect pending (i64 1))", 3, 29, "expected a category"},
    {MOD "(uninstall) (expect returned none none)", 3, 35, "only a category"},
};

static void test_vector_errors(void **state) {
  (void)state;
  cmr_rule_list rules = known_rules();
  for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
    const bad_case *c = &bad_cases[i];
    cmr_vector v;
    cmr_error err;
    bool ok = cmr_vector_parse(&v, "bad.wast", c->text, strlen(c->text), &rules,
                               &err);
    if (ok)
      fail_msg("case %zu parsed but should not: %s", i, c->text);
    if (err.line != c->line || err.column != c->column ||
        !strstr(err.message, c->fragment))
      fail_msg("case %zu (%s): got %u:%u '%s', want %u:%u '...%s...'", i,
               c->text, err.line, err.column, err.message, c->line, c->column,
               c->fragment);
    cmr_vector_free(&v);
  }
  cmr_rule_list_free(&rules);
}

/* ---- snapshot and log steps (snapstep.c) ---- */

static bool requires(const cmr_vector *v, const char *name) {
  for (size_t i = 0; i < v->require_count; i++)
    if (strcmp(v->requires[i], name) == 0)
      return true;
  return false;
}

static void test_snapshot_steps(void **state) {
  (void)state;
  const char *text =
      "(vector \"t\" (rules SM-2))\n"
      "(module $m (memory 1))\n"
      "(install $m)\n"
      "(take-snapshot $a (replace $b) (uninstall))\n"
      "(load-snapshot $b)\n"
      "(list-snapshots) (expect reply (i64 1))\n"
      "(snapshot-metadata $a global 0)\n"
      "(snapshot-metadata $a module_is $m)\n"
      "(snapshot-data $a heap 0 (* 2 page))\n"
      "(upload-snapshot-metadata $c (wasm_module_size $m)\n"
      "  (wasm_memory_size page) (globals (i32 1) (f64 2))\n"
      "  (global_timer (active 5)) (hook_status ready)\n"
      "  (certified_data \"x\"))\n"
      "(upload-snapshot-data $c module $m)\n"
      "(upload-snapshot-data $c stable 8 (i64 1) (text \"ab\"))\n"
      "(delete-snapshot $c)\n"
      "(canister-logs content 2)\n";
  cmr_vector v;
  cmr_error err;
  if (!cmr_vector_parse(&v, "snap.wast", text, strlen(text), NULL, &err))
    fail_msg("%u:%u %s", err.line, err.column, err.message);
  assert_int_equal(v.step_count, 12);
  assert_int_equal(v.steps[1].kind, CMR_STEP_TAKE_SNAPSHOT);
  assert_int_equal(v.steps[2].kind, CMR_STEP_LOAD_SNAPSHOT);
  assert_int_equal(v.steps[3].kind, CMR_STEP_LIST_SNAPSHOTS);
  assert_int_equal(v.steps[7].kind, CMR_STEP_UPLOAD_SNAPSHOT_METADATA);
  assert_int_equal(v.steps[11].kind, CMR_STEP_CANISTER_LOGS);
  assert_string_equal(cmr_step_kind_name(v.steps[8].kind),
                      "upload-snapshot-data");
  /* names in the order of first use */
  assert_int_equal(v.snapshot_name_count, 3);
  assert_string_equal(v.snapshot_names[0], "$a");
  assert_string_equal(v.snapshot_names[1], "$b");
  assert_string_equal(v.snapshot_names[2], "$c");
  assert_true(requires(&v, "snapshots"));
  assert_true(requires(&v, "snapshot-data"));
  assert_true(requires(&v, "snapshot-uninstall"));
  assert_true(requires(&v, "logs"));
  cmr_vector_free(&v);
}

static void test_snapshot_step_errors(void **state) {
  (void)state;
  static const struct {
    const char *step, *fragment;
    uint32_t column;
  } cases[] = {
      {"(take-snapshot a)", "snapshot's name", 16},
      {"(take-snapshot $a (again))", "(replace $name)", 19},
      {"(load-snapshot $a $b)", "only the snapshot's name", 19},
      {"(list-snapshots $a)", "takes nothing", 17},
      {"(snapshot-metadata $a colour)", "metadata field", 23},
      {"(snapshot-metadata $a global)", "wrong number", 1},
      {"(snapshot-metadata $a module_is $nope)", "module's name", 33},
      {"(snapshot-data $a disk 0 1)", "module, heap or stable", 19},
      {"(snapshot-data $a heap 0)", "OFFSET SIZE", 1},
      {"(upload-snapshot-data $a heap $m)", "no module named", 31},
      {"(upload-snapshot-metadata $a (wasm_memory_size 1))",
       "needs (wasm_module_size", 1},
      {"(upload-snapshot-metadata $a (wasm_module_size 1) (colour 1))",
       "expected (wasm_module_size", 51},
      {"(upload-snapshot-metadata $a (wasm_module_size 1) "
       "(globals (v128 1)))",
       "expected a global", 60},
      {"(upload-snapshot-metadata $a (wasm_module_size 1) "
       "(globals (i32 1 2)))",
       "expected a global", 60},
      {"(canister-logs content)", "canister-logs count", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[400];
    snprintf(text, sizeof text,
             "(vector \"t\" (rules SM-2))\n(module $m (memory 1))\n%s\n",
             cases[i].step);
    cmr_vector v;
    cmr_error err;
    memset(&err, 0, sizeof err);
    if (cmr_vector_parse(&v, "bad.wast", text, strlen(text), NULL, &err))
      fail_msg("case %zu parsed but should not: %s", i, cases[i].step);
    if (err.line != 3 || err.column != cases[i].column ||
        !strstr(err.message, cases[i].fragment))
      fail_msg("case %zu (%s): got %u:%u '%s', want 3:%u '...%s...'", i,
               cases[i].step, err.line, err.column, err.message,
               cases[i].column, cases[i].fragment);
    cmr_vector_free(&v);
  }
}

/* ---- module files and what a binary implies ---- */

static void write_bytes(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(data, 1, size, f), size);
  assert_int_equal(fclose(f), 0);
}

/* magic, version, memory section: one memory, flags 0x04 (i64), min 1 */
static const uint8_t memory64_module[] = {0,    'a', 's', 'm', 1, 0, 0,
                                          0,    5,   3,   1,   4, 1};

typedef struct {
  char root[96]; /* a fresh folder: src/vectors/corpus/x/, build/ */
  char vector[192], beside[192], mirror[192];
} file_tree;

static void make_tree(file_tree *t) {
  const char *tmp = getenv("TMPDIR");
  snprintf(t->root, sizeof t->root, "%s/cmr-files-XXXXXX",
           tmp && tmp[0] && strlen(tmp) < 40 ? tmp : "/tmp");
  assert_non_null(mkdtemp(t->root));
  char cmd[400];
  snprintf(cmd, sizeof cmd,
           "mkdir -p %s/src/vectors/corpus/x %s/build/vectors/corpus/x",
           t->root, t->root);
  assert_int_equal(system(cmd), 0);
  snprintf(t->vector, sizeof t->vector, "%s/src/vectors/corpus/x/v.wast",
           t->root);
  snprintf(t->beside, sizeof t->beside, "%s/src/vectors/corpus/x/m.wasm",
           t->root);
  snprintf(t->mirror, sizeof t->mirror, "%s/build/vectors/corpus/x/m.wasm",
           t->root);
}

static void remove_tree(file_tree *t) {
  char cmd[200];
  snprintf(cmd, sizeof cmd, "rm -rf %s", t->root);
  assert_int_equal(system(cmd), 0);
}

static const char file_vector[] = "(vector \"t\" (rules SM-2))\n"
                                  "(module $m file \"m.wasm\")\n"
                                  "(install $m)\n";

/* Parse file_vector at t->vector and load its files with the build tree. */
static bool load_tree_vector(file_tree *t, cmr_vector *v, cmr_error *err) {
  char build[128];
  snprintf(build, sizeof build, "%s/build", t->root);
  const char *dirs[] = {build};
  cmr_file_lookup lookup = {dirs, 1};
  assert_true(cmr_vector_parse(v, t->vector, file_vector,
                               strlen(file_vector), NULL, err));
  assert_non_null(v->modules[0].file);
  assert_null(v->modules[0].bytes);
  return cmr_vector_load_files(v, &lookup, err);
}

static void test_module_file_found_in_build_then_beside(void **state) {
  (void)state;
  file_tree t;
  make_tree(&t);
  cmr_vector v;
  cmr_error err;
  /* beside the vector (a file committed with it) */
  write_bytes(t.beside, "\0asm\1\0\0\0", 8);
  assert_true(load_tree_vector(&t, &v, &err));
  assert_string_equal(v.modules[0].found, t.beside);
  assert_int_equal(v.modules[0].size, 8);
  assert_false(has(v.requires, v.require_count, "wasm64"));
  assert_null(v.unavailable);
  cmr_vector_free(&v);
  /* the build tree's mirror of the vector's folder comes first */
  write_bytes(t.mirror, memory64_module, sizeof memory64_module);
  assert_true(load_tree_vector(&t, &v, &err));
  assert_string_equal(v.modules[0].found, t.mirror);
  assert_int_equal(v.modules[0].size, sizeof memory64_module);
  /* the bytes imply wasm64, as a text memory64 module would */
  assert_true(has(v.requires, v.require_count, "wasm64"));
  cmr_vector_free(&v);
  remove_tree(&t);
}

static void test_module_file_missing(void **state) {
  (void)state;
  file_tree t;
  make_tree(&t);
  cmr_vector v;
  cmr_error err;
  memset(&err, 0, sizeof err);
  assert_false(load_tree_vector(&t, &v, &err));
  /* at the module's line and column, naming both paths tried */
  assert_int_equal(err.line, 2);
  assert_int_equal(err.column, 1);
  if (!strstr(err.message, "module $m: file \"m.wasm\" not found") ||
      !strstr(err.message, t.beside) || !strstr(err.message, t.mirror))
    fail_msg("unexpected message: %s", err.message);
  cmr_vector_free(&v);
  /* the build left a reason: the vector is skipped, not broken */
  char marker[200];
  snprintf(marker, sizeof marker, "%s.skip", t.mirror);
  const char reason[] = "clang-14 not found (./bootstrap installs it)\n";
  write_bytes(marker, reason, strlen(reason));
  assert_true(load_tree_vector(&t, &v, &err));
  assert_non_null(v.unavailable);
  if (!strstr(v.unavailable, "m.wasm was not built: clang-14 not found") ||
      strchr(v.unavailable, '\n'))
    fail_msg("unexpected reason: %s", v.unavailable);
  cmr_vector_free(&v);
  remove_tree(&t);
}

static void test_wasm_features_from_declarations(void **state) {
  (void)state;
  assert_int_equal(cmr_wasm_features(memory64_module, sizeof memory64_module),
                   CM_FEATURE_MEMORY64);
  /* a 64-bit table (flags 0x04) that an engine without table64 refuses:
   * the declaration scan still finds it */
  static const uint8_t table64[] = {0, 'a', 's', 'm', 1, 0, 0, 0,
                                    4, 4,   1,   0x70, 4, 2};
  assert_int_equal(cmr_wasm_features(table64, sizeof table64) &
                       CM_FEATURE_TABLE64,
                   CM_FEATURE_TABLE64);
  /* an imported 64-bit memory and a function type with a v128 result */
  static const uint8_t imports[] = {
      0,   'a', 's', 'm', 1, 0, 0, 0,
      1,   5,   1,   0x60, 0, 1, 0x7b,              /* type: () -> v128 */
      2,   10,  1,   3,   'e', 'n', 'v', 1, 'm', 2, 4, 1}; /* env.m memory */
  uint32_t f = cmr_wasm_features(imports, sizeof imports);
  assert_true(f & CM_FEATURE_MEMORY64);
  assert_true(f & CM_FEATURE_SIMD);
  /* an import of ic0.stable64_size implies stable64; ic0.stable_size not */
  static const uint8_t stable64_import[] = {
      0, 'a', 's', 'm', 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 21, 1,
      3, 'i', 'c', '0', 13, 's', 't', 'a', 'b', 'l', 'e', '6', '4', '_',
      's', 'i', 'z', 'e', 0, 0};
  cmr_vector v;
  memset(&v, 0, sizeof v);
  assert_true(cmr_vector_imply_from_wasm(&v, stable64_import,
                                         sizeof stable64_import));
  assert_true(has(v.requires, v.require_count, "stable64"));
  cmr_vector_free(&v);
  uint8_t stable32_import[sizeof stable64_import - 2];
  memcpy(stable32_import, stable64_import, 14);
  memcpy(stable32_import + 14, "\2\23\1\3ic0\13stable_size\0\0", 21);
  memset(&v, 0, sizeof v);
  assert_true(cmr_vector_imply_from_wasm(&v, stable32_import,
                                         sizeof stable32_import));
  assert_int_equal(v.require_count, 0);
  cmr_vector_free(&v);
  /* truncated or garbage input: no crash, nothing found */
  for (size_t n = 0; n < sizeof imports; n++)
    (void)cmr_wasm_features(imports, n);
  assert_int_equal(cmr_wasm_features((const uint8_t *)"garbage", 7), 0);
}

static void test_binary_module_implies_requirements(void **state) {
  (void)state;
  const char text[] = "(vector \"t\" (rules SM-2))\n"
                      "(module $m binary \"\\00asm\\01\\00\\00\\00\" "
                      "\"\\05\\03\\01\\04\\01\")\n"
                      "(install $m)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "b.wast", text, strlen(text), NULL, &err));
  assert_true(has(v.requires, v.require_count, "wasm64"));
  cmr_vector_free(&v);
}

static void test_user_defined_ic0_import_is_kept(void **state) {
  (void)state;
  /* A module may declare an ic0 import itself, also under an unknown name
   * (to test that install refuses it); the prelude adds nothing then. */
  const char *text =
      HEAD "(module $c\n"
           "  (import \"ic0\" \"nonsense\" (func $ic0.nonsense))\n"
           "  (func (export \"canister_update x\") (call $ic0.nonsense)))\n"
           "(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  char *out;
  size_t size;
  uint32_t first;
  assert_true(cmr_module_text(&v, &v.modules[0], &out, &size, &first, &err));
  assert_null(strstr(out, "canmem prelude"));
  free(out);
  cmr_vector_free(&v);
}

static void test_vector_ids(void **state) {
  (void)state;
  char *id = cmr_vector_id("vectors/stable/grow.wast");
  assert_string_equal(id, "stable/grow");
  free(id);
  id = cmr_vector_id("../x/vectors/a/vectors/b.wast");
  assert_string_equal(id, "b");
  free(id);
  id = cmr_vector_id("elsewhere/thing.wast");
  assert_string_equal(id, "elsewhere/thing");
  free(id);
  id = cmr_vector_id("./myvectors/t.wast"); /* not a vectors/ folder */
  assert_string_equal(id, "myvectors/t");
  free(id);
}

static void test_rule_list_errors(void **state) {
  (void)state;
  cmr_rule_list rules;
  cmr_error err;
  const char *dup = "SM-1 a\nSM-1 b\n";
  assert_false(cmr_rule_list_parse(&rules, dup, strlen(dup), "r", &err));
  assert_non_null(strstr(err.message, "r:2: rule SM-1 listed twice"));
  /* indented lines are catalogue fields of the rule above */
  const char *fields = "SM-1 a title\n  statement: text\n\tsource: x\n"
                       "SM-2 another\n";
  assert_true(cmr_rule_list_parse(&rules, fields, strlen(fields), "r", &err));
  assert_int_equal(rules.count, 2);
  assert_true(cmr_rule_list_contains(&rules, "SM-2"));
  cmr_rule_list_free(&rules);
  const char *bad = "# ok\nsm-1 lower case\n";
  assert_false(cmr_rule_list_parse(&rules, bad, strlen(bad), "r", &err));
  assert_non_null(strstr(err.message, "r:2:"));
}

/* ---- expectation files ---- */

static void test_expect_file(void **state) {
  (void)state;
  const char *text = "# runtime x\n"
                     "stable/grow-*   xfail  caps at 400 GiB (issue 12)\n"
                     "\n"
                     "heap/*          skip   no heap growth\n";
  cmr_expect_file f;
  cmr_error err;
  assert_true(cmr_expect_file_parse(&f, text, strlen(text), "x", &err));
  assert_int_equal(f.count, 2);
  cmr_expect_entry *e = cmr_expect_file_lookup(&f, "stable/grow-past-max");
  assert_non_null(e);
  assert_int_equal(e->mark, CMR_MARK_XFAIL);
  assert_string_equal(e->reason, "caps at 400 GiB (issue 12)");
  assert_int_equal(e->line, 2);
  e = cmr_expect_file_lookup(&f, "heap/a");
  assert_non_null(e);
  assert_int_equal(e->mark, CMR_MARK_SKIP);
  assert_null(cmr_expect_file_lookup(&f, "stable/fresh"));
  cmr_expect_file_free(&f);

  const char *no_reason = "a/b xfail\n";
  assert_false(
      cmr_expect_file_parse(&f, no_reason, strlen(no_reason), "x", &err));
  assert_non_null(strstr(err.message, "x:1:10: expected a reason"));
  const char *bad_mark = "# c\na/b maybe because\n";
  assert_false(
      cmr_expect_file_parse(&f, bad_mark, strlen(bad_mark), "x", &err));
  assert_non_null(strstr(err.message, "x:2:5: expected 'skip' or 'xfail'"));
}

/* ---- the prelude ---- */

static void test_prelude_splices_only_what_is_used(void **state) {
  (void)state;
  const char *text =
      HEAD "(module $c (memory 1)\n"
           "  (func (export \"canister_query a\")\n"
           "    (call $reply_i64 (call $arg_i64 (i32.const 0)))))\n"
           "(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  char *out;
  size_t size;
  uint32_t first;
  assert_true(cmr_module_text(&v, &v.modules[0], &out, &size, &first, &err));
  assert_non_null(strstr(out, "(import \"ic0\" \"msg_reply\" (func "
                              "$ic0.msg_reply))"));
  assert_non_null(strstr(out, "(import \"ic0\" \"msg_arg_data_copy\" (func "
                              "$ic0.msg_arg_data_copy (param i32 i32 i32))"));
  assert_non_null(strstr(out, "(func $reply_i64"));
  assert_non_null(strstr(out, "(func $append_i64")); /* a dependency */
  assert_null(strstr(out, "stable64"));
  assert_null(strstr(out, "$reply_i32"));
  /* the body keeps its line and column: line `first` of the output is
   * line 2 of the vector, with the text at the same column */
  const char *line = out;
  for (uint32_t i = 1; i < first; i++)
    line = strchr(line, '\n') + 1;
  assert_int_equal(strncmp(line, "           (memory 1)", 21), 0);
  assert_int_equal(v.modules[0].body_line, 2);
  free(out);
  cmr_vector_free(&v);
}

static void test_prelude_wasm64_and_custom_sections(void **state) {
  (void)state;
  const char *text =
      HEAD "(module $c (@custom \"icp:public n\" \"v\")\n"
           "  (memory i64 1)\n"
           "  (func (export \"canister_query a\")\n"
           "    (call $reply_data (i64.const 0) (i64.const 8))))\n"
           "(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  assert_true(v.modules[0].wasm64);
  char *out;
  size_t size;
  uint32_t first;
  assert_true(cmr_module_text(&v, &v.modules[0], &out, &size, &first, &err));
  assert_non_null(strstr(out, "$ic0.msg_reply_data_append (param i64 i64)"));
  assert_non_null(strstr(out, "(param $src i64) (param $size i64)"));
  assert_null(strstr(out, "@custom")); /* blanked: appended as bytes */
  const char *flags[4];
  assert_int_equal(cmr_module_flags(&v.modules[0], flags, 4), 1);
  assert_string_equal(flags[0], "--enable-memory64");
  free(out);
  cmr_vector_free(&v);
}

/* wat2wasm flags follow what the text uses: tail calls, folded or flat,
 * and only in functions (a name like $return_call_count is no call). */
static void test_module_flags_for_tail_calls(void **state) {
  (void)state;
  const char *text =
      HEAD "(module $flat (memory 1)\n"
           "  (func $f (param i32) (result i32) local.get 0 return_call $g)\n"
           "  (func $g (param i32) (result i32) (local.get 0)))\n"
           "(module $folded (memory 1)\n"
           "  (type $t (func))\n"
           "  (table 1 funcref)\n"
           "  (func (return_call_indirect (type $t) (i32.const 0))))\n"
           "(module $plain (memory 1)\n"
           "  (func $return_call_helper (call $h)) (func $h))\n"
           "(install $flat)\n";
  cmr_vector v;
  cmr_error err;
  if (!cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err))
    fail_msg("%s", err.message);
  const char *flags[4];
  assert_int_equal(cmr_module_flags(&v.modules[0], flags, 4), 1);
  assert_string_equal(flags[0], "--enable-tail-call");
  assert_int_equal(cmr_module_flags(&v.modules[1], flags, 4), 1);
  assert_string_equal(flags[0], "--enable-tail-call");
  assert_int_equal(cmr_module_flags(&v.modules[2], flags, 4), 0);
  cmr_vector_free(&v);
}

static void test_prelude_respects_user_definitions(void **state) {
  (void)state;
  const char *text =
      HEAD "(module $c (memory 1)\n"
           "  (func $reply_i64 (param i64) (call $ic0.msg_reply))\n"
           "  (func (export \"canister_query a\")\n"
           "    (call $reply_i64 (i64.const 1))))\n"
           "(install $c)\n";
  cmr_vector v;
  cmr_error err;
  assert_true(cmr_vector_parse(&v, "t.wast", text, strlen(text), NULL, &err));
  char *out;
  size_t size;
  uint32_t first;
  assert_true(cmr_module_text(&v, &v.modules[0], &out, &size, &first, &err));
  assert_null(strstr(out, "canmem prelude: helpers"));
  assert_null(strstr(out, "msg_reply_data_append"));
  assert_non_null(strstr(out, "\"msg_reply\""));
  free(out);
  cmr_vector_free(&v);
}

/* ---- gzip and hashing ---- */

static void test_gzip_stored_blocks(void **state) {
  (void)state;
  uint8_t *out;
  size_t size;
  assert_true(cmr_gzip((const uint8_t *)"123456789", 9, &out, &size));
  assert_int_equal(size, 10 + 5 + 9 + 8);
  assert_int_equal(out[0], 0x1f);
  assert_int_equal(out[1], 0x8b);
  assert_int_equal(out[2], 8);
  assert_int_equal(out[10], 1); /* final stored block */
  assert_int_equal(out[11], 9);
  assert_int_equal(out[13], 0xff - 9);
  /* CRC-32 of "123456789" is 0xcbf43926 */
  assert_int_equal(out[24], 0x26);
  assert_int_equal(out[25], 0x39);
  assert_int_equal(out[26], 0xf4);
  assert_int_equal(out[27], 0xcb);
  assert_int_equal(out[28], 9);
  free(out);

  /* more than one block */
  size_t n = 70000;
  uint8_t *big = calloc(1, n);
  assert_non_null(big);
  assert_true(cmr_gzip(big, n, &out, &size));
  assert_int_equal(size, 10 + 2 * 5 + n + 8);
  assert_int_equal(out[10], 0);             /* not final */
  assert_int_equal(out[10 + 5 + 65535], 1); /* final */
  free(out);
  free(big);
}

static void test_content_hash(void **state) {
  (void)state;
  char a[33], b[33], c[33];
  cmr_content_hash("abc", 3, a);
  cmr_content_hash("abc", 3, b);
  cmr_content_hash("abd", 3, c);
  assert_int_equal(strlen(a), 32);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sexpr_positions_and_strings),
      cmocka_unit_test(test_sexpr_errors),
      cmocka_unit_test(test_sexpr_depth_limit),
      cmocka_unit_test(test_vector_everything),
      cmocka_unit_test(test_vector_errors),
      cmocka_unit_test(test_snapshot_steps),
      cmocka_unit_test(test_snapshot_step_errors),
      cmocka_unit_test(test_module_file_found_in_build_then_beside),
      cmocka_unit_test(test_module_file_missing),
      cmocka_unit_test(test_wasm_features_from_declarations),
      cmocka_unit_test(test_binary_module_implies_requirements),
      cmocka_unit_test(test_user_defined_ic0_import_is_kept),
      cmocka_unit_test(test_vector_ids),
      cmocka_unit_test(test_rule_list_errors),
      cmocka_unit_test(test_expect_file),
      cmocka_unit_test(test_prelude_splices_only_what_is_used),
      cmocka_unit_test(test_prelude_wasm64_and_custom_sections),
      cmocka_unit_test(test_module_flags_for_tail_calls),
      cmocka_unit_test(test_prelude_respects_user_definitions),
      cmocka_unit_test(test_gzip_stored_blocks),
      cmocka_unit_test(test_content_hash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
