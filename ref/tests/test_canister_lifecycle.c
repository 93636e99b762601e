/* cmocka tests of the canister model's module rules (MOD-*), lifecycle
 * (INST-*, UPG-*, UNI-*, EOP-*), transactions (TXN-*) and the low-memory
 * hook (LOW-*). Each test is named after the rule of
 * ../shared/reference/ic-memory-rules.md it checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "calls.h"
#include "support.h"

#define EOP_SECTION "icp:private enhanced-orthogonal-persistence"

/* Methods that change all three kinds of state at once: the heap at 100,
 * the global $g and the first 8 bytes of stable memory. */
static const char *const stateful =
    "(global $g (mut i64) (i64.const 0))\n"
    "(func $set\n"
    "  (i64.store (i32.const 100) (call $arg (i32.const 0)))\n"
    "  (global.set $g (call $arg (i32.const 1)))\n"
    "  (if (i64.eqz (call $stable64_size))\n"
    "    (then (drop (call $stable64_grow (i64.const 1)))))\n"
    "  (i64.store (i32.const 108) (call $arg (i32.const 2)))\n"
    "  (call $stable64_write (i64.const 0) (i64.const 108) (i64.const 8)))\n"
    "(func (export \"canister_update set\") (call $set) (call $reply_none))\n"
    "(func (export \"canister_update set_trap\") (call $set) unreachable)\n"
    "(func (export \"canister_update set_no_reply\") (call $set))\n"
    "(func (export \"canister_query qset\") (call $set) (call $reply_none))\n"
    "(func (export \"canister_update get_global\")\n"
    "  (call $reply (global.get $g)))\n"
    "(func (export \"canister_update version\")\n"
    "  (call $reply (call $canister_version)))\n";

static uint64_t heap_u64(cm_canister *c, uint64_t addr) {
  uint8_t b[8];
  assert_true(cm_canister_read_heap(c, addr, b, 8));
  uint64_t v = 0;
  for (int k = 7; k >= 0; k--)
    v = v << 8 | b[k];
  return v;
}

static uint64_t stable_u64(cm_canister *c, uint64_t addr) {
  uint8_t b[8];
  if (!cm_canister_read_stable(c, addr, b, 8))
    return UINT64_MAX;
  uint64_t v = 0;
  for (int k = 7; k >= 0; k--)
    v = v << 8 | b[k];
  return v;
}

static canmem_outcome install_body(cm_canister *c, uint32_t mode, int is64,
                                   const char *memory, const char *body) {
  char *wat = canister_wat(is64, memory, body);
  canmem_outcome o = install_wat(c, mode, wat);
  free(wat);
  return o;
}

static canmem_outcome upgrade_body(cm_canister *c, const char *memory,
                                   const char *body, int skip,
                                   uint32_t persistence) {
  char *wat = canister_wat(0, memory, body);
  canmem_outcome o = upgrade_wat(c, wat, skip, persistence);
  free(wat);
  return o;
}

static cm_canister *stateful_canister(const char *overrides) {
  cm_canister *c = new_canister(overrides);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", stateful));
  return c;
}

/* ==== MOD-* ==== */

static void test_MOD_FMT_1_gzip_and_magic(void **state) {
  (void)state;
  size_t size, gz_size;
  char *wat = canister_wat(0, "(memory 1)", stateful);
  uint8_t *wasm = wat_to_wasm(wat, &size);
  free(wat);
  uint8_t *gz = gzip_bytes(wasm, size, &gz_size);
  cm_canister *c = new_canister(NULL);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, gz, gz_size, NULL, 0));
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  cm_canister_free(c);
  /* a damaged stream, bytes that are not wasm, gzip switched off */
  c = new_canister(NULL);
  gz[gz_size - 5] ^= 0xff; /* the length trailer */
  expect_refused(install_wasm(c, CANMEM_MODE_INSTALL, gz, gz_size, NULL, 0),
                 CANMEM_CAT_INVALID_MODULE);
  gz[gz_size - 5] ^= 0xff;
  expect_refused(install_wasm(c, CANMEM_MODE_INSTALL,
                              (const uint8_t *)"\x01" "asm", 4, NULL, 0),
                 CANMEM_CAT_INVALID_MODULE);
  expect_refused(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size - 1, NULL, 0),
                 CANMEM_CAT_INVALID_MODULE);
  assert_true(state_is_empty(c));
  cm_canister_free(c);
  c = new_canister("feature.gzip = no");
  expect_refused(install_wasm(c, CANMEM_MODE_INSTALL, gz, gz_size, NULL, 0),
                 CANMEM_CAT_INVALID_MODULE);
  cm_canister_free(c);
  free(gz);
  free(wasm);
}

static void test_MOD_MEM_1_at_most_one_memory(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (memory 1) (memory 1))"),
                 CANMEM_CAT_MODULE_MEMORY);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"env\" \"memory\" (memory 1))\n"
                             "  (memory 1))"),
                 CANMEM_CAT_MODULE_MEMORY);
  assert_true(state_is_empty(c));
  cm_canister_free(c);
}

static void test_MOD_MEM_2_pointer_width_follows_the_memory(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  /* no memory: I = i32 */
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (import \"ic0\" \"msg_arg_data_size\"\n"
                           "  (func (result i32))))"));
  expect_refused(install_wat(c, CANMEM_MODE_REINSTALL,
                             "(module (import \"ic0\" \"msg_arg_data_size\"\n"
                             "  (func (result i64))))"),
                 CANMEM_CAT_MODULE_IMPORT_SIGNATURE);
  expect_reply(install_wat(c, CANMEM_MODE_REINSTALL,
                           "(module (import \"ic0\" \"msg_arg_data_size\"\n"
                           "  (func (result i64))) (memory i64 1))"));
  cm_canister_free(c);
}

static const char *const imported_memory =
    "(module\n"
    "  (import \"ic0\" \"msg_reply\" (func $reply))\n"
    "  (import \"somewhere\" \"heap\" (memory 1))\n"
    "  (func (export \"canister_update poke\")\n"
    "    (i32.store (i32.const 100) (i32.const 42)) (call $reply)))";

static void test_MOD_MEM_3_memory_may_be_imported_exported_or_internal(
    void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, imported_memory));
  expect_reply(update(c, "poke", 0));
  assert_int_equal(heap_u64(c, 100), 42);
  expect_reply(install_wat(c, CANMEM_MODE_REINSTALL,
                           "(module (memory (export \"anything\") 2))"));
  assert_int_equal(cm_canister_heap_pages(c), 2);
  expect_reply(install_wat(c, CANMEM_MODE_REINSTALL, "(module (memory 3))"));
  assert_int_equal(cm_canister_heap_pages(c), 3);
  cm_canister_free(c);
  /* until 2023-06 an imported memory had to be env.memory */
  c = new_canister("feature.any_memory_import = no");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL, imported_memory),
                 CANMEM_CAT_MODULE_IMPORT);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (import \"env\" \"memory\" (memory 1)))"));
  cm_canister_free(c);
}

static void test_MOD_MEM_4_older_reading_traps_without_memory(
    void **state) {
  (void)state;
  static const char *const body =
      "(func (export \"canister_update r\")\n"
      "  (call $msg_reply_data_append (i32.const 0) (i32.const 0))\n"
      "  (call $msg_reply))\n";
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "", body));
  expect_reply(update(c, "r", 0));
  cm_canister_free(c);
  c = new_canister("reading.memoryless_heap = trap");
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "", body));
  expect_trap(update(c, "r", 0), CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_MOD_TBL_1_tables_are_not_restricted(void **state) {
  (void)state;
  /* The rules do not forbid several tables (EDGE-MULTITABLE); the model
   * accepts them, and imported tables get a fresh table. */
  cm_canister *c = new_canister(NULL);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (import \"env\" \"t\" (table 1 funcref))\n"
                           "  (table 1 funcref) (table 2 externref))"));
  cm_canister_free(c);
}

static void test_MOD_IMP_1_only_listed_ic0_functions(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"env\" \"msg_reply\" (func)))"),
                 CANMEM_CAT_MODULE_IMPORT);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"ic0\" \"stable_shrink\"\n"
                             "  (func (param i32))))"),
                 CANMEM_CAT_MODULE_IMPORT);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (import \"ic0\" \"msg_reply\" (func)))"));
  cm_canister_free(c);
}

static void test_MOD_IMP_2_wasm32_only_functions_in_wasm64(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"ic0\" \"stable_grow\"\n"
                             "  (func (param i32) (result i32)))\n"
                             "  (memory i64 1))"),
                 CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY);
  cm_canister_free(c);
}

static void test_MOD_IMP_3_signatures_must_match_exactly(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"ic0\" \"msg_reply\"\n"
                             "  (func (param i32))))"),
                 CANMEM_CAT_MODULE_IMPORT_SIGNATURE);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"ic0\" \"stable64_grow\"\n"
                             "  (func (param i64))))"),
                 CANMEM_CAT_MODULE_IMPORT_SIGNATURE);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"ic0\" \"msg_reject\"\n"
                             "  (func (param i32 i32))) (memory i64 1))"),
                 CANMEM_CAT_MODULE_IMPORT_SIGNATURE);
  cm_canister_free(c);
}

static void test_MOD_IMP_4_global_imports_cannot_be_satisfied(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  expect_refused(install_wat(c, CANMEM_MODE_REINSTALL,
                             "(module (import \"env\" \"g\" (global i32)))"),
                 CANMEM_CAT_MODULE_IMPORT);
  /* the refused reinstall left the canister as it was */
  assert_int_equal(heap_u64(c, 100), 1);
  assert_int_equal(stable_u64(c, 0), 3);
  cm_canister_free(c);
}

static const char *const start_and_init =
    "(func $start (i32.store (i32.const 200)\n"
    "  (i32.add (i32.load (i32.const 200)) (i32.const 1))))\n"
    "(start $start)\n"
    "(func (export \"canister_init\")\n"
    "  (i32.store (i32.const 204) (i32.add (i32.load (i32.const 200))\n"
    "    (i32.const 10))))\n"
    "(func (export \"canister_post_upgrade\")\n"
    "  (i32.store (i32.const 208) (i32.add (i32.load (i32.const 200))\n"
    "    (i32.const 20))))\n"
    "(func (export \"start\") unreachable)\n";

static void test_MOD_START_1_start_runs_before_init_and_post_upgrade(
    void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            start_and_init));
  /* start ran once, then init saw its effect; the export "start" is an
   * ordinary export that never runs (EDGE-START-NAME) */
  assert_int_equal(heap_u64(c, 200) & 0xffffffff, 1);
  assert_int_equal(heap_u64(c, 204) & 0xffffffff, 11);
  expect_reply(upgrade_body(c, "(memory 1)", start_and_init, 0, 0));
  assert_int_equal(heap_u64(c, 200) & 0xffffffff, 1);
  assert_int_equal(heap_u64(c, 204) & 0xffffffff, 0); /* init not run */
  assert_int_equal(heap_u64(c, 208) & 0xffffffff, 21);
  cm_canister_free(c);
}

static void test_MOD_EXP_1_entry_points_have_type_unit(void **state) {
  (void)state;
  static const char *const bad[] = {
      "(module (func (export \"canister_init\") (param i32)))",
      "(module (func (export \"canister_update f\") (result i32) (i32.const 0)))",
      "(module (func (export \"canister_pre_upgrade\") (param i64)))",
      "(module (global (export \"canister_query g\") i32 (i32.const 0)))",
      "(module (memory (export \"canister_heartbeat\") 1))",
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cm_canister *c = new_canister(NULL);
    expect_refused(install_wat(c, CANMEM_MODE_INSTALL, bad[i]),
                   CANMEM_CAT_MODULE_EXPORT);
    cm_canister_free(c);
  }
}

static void test_MOD_EXP_2_method_names_are_unique(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (func $f)\n"
                             "  (export \"canister_update same\" (func $f))\n"
                             "  (export \"canister_query same\" (func $f)))"),
                 CANMEM_CAT_MODULE_DUPLICATE_METHOD);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (func $f)\n"
                             "  (export \"canister_query x\" (func $f))\n"
                             "  (export \"canister_composite_query x\" (func $f)))"),
                 CANMEM_CAT_MODULE_DUPLICATE_METHOD);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (func $f)\n"
                           "  (export \"canister_update a\" (func $f))\n"
                           "  (export \"canister_query b\" (func $f)))"));
  cm_canister_free(c);
}

static void test_MOD_EXP_3_other_canister_names_are_reserved(void **state) {
  (void)state;
  static const char *const bad[] = {"canister_foo", "canister_updatex",
                                    "canister_start", "canister_query"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    cm_canister *c = new_canister(NULL);
    char wat[200];
    snprintf(wat, sizeof wat, "(module (func (export \"%s\")))", bad[i]);
    expect_refused(install_wat(c, CANMEM_MODE_INSTALL, wat),
                   CANMEM_CAT_MODULE_EXPORT);
    cm_canister_free(c);
  }
  cm_canister *c = new_canister(NULL);
  expect_reply(install_wat(
      c, CANMEM_MODE_INSTALL,
      "(module (func (export \"canister_on_low_wasm_memory\"))\n"
      "  (func (export \"canister_global_timer\"))\n"
      "  (func (export \"canister_heartbeat\"))\n"
      "  (func (export \"canister_inspect_message\"))\n"
      "  (func (export \"not_canister_anything\")))"));
  cm_canister_free(c);
  /* before the hook existed its name was reserved like any other */
  c = new_canister("feature.low_memory_hook = no");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (func (export "
                             "\"canister_on_low_wasm_memory\")))"),
                 CANMEM_CAT_MODULE_EXPORT);
  cm_canister_free(c);
}

static canmem_outcome install_with_sections(cm_canister *c,
                                            const char *const *names,
                                            size_t n) {
  size_t size;
  uint8_t *wasm = wat_to_wasm("(module)", &size);
  for (size_t i = 0; i < n; i++) {
    size_t next_size;
    uint8_t *next = with_custom_section(wasm, size, names[i], "data",
                                        &next_size);
    free(wasm);
    wasm = next;
    size = next_size;
  }
  canmem_outcome o = install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0);
  free(wasm);
  return o;
}

static void test_MOD_CS_1_icp_custom_sections(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  static const char *const clash[] = {"icp:public x", "icp:private x"};
  expect_refused(install_with_sections(c, clash, 2),
                 CANMEM_CAT_MODULE_CUSTOM_SECTION);
  static const char *const unknown[] = {"icp:secret y"};
  expect_refused(install_with_sections(c, unknown, 1),
                 CANMEM_CAT_MODULE_CUSTOM_SECTION);
  static const char *const fine[] = {"icp:public x", "icp:private y",
                                     "name", "anything:else"};
  expect_reply(install_with_sections(c, fine, 4));
  cm_canister_free(c);
}

static void test_MOD_LIM_1_profile_bounds_on_modules(void **state) {
  (void)state;
  cm_canister *c = new_canister("max_functions = 2");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (func) (func) (func))"),
                 CANMEM_CAT_MODULE_LIMIT);
  cm_canister_free(c);
  c = new_canister("max_globals = 1");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (global i32 (i32.const 0))\n"
                             "  (global i32 (i32.const 0)))"),
                 CANMEM_CAT_MODULE_LIMIT);
  cm_canister_free(c);
  c = new_canister("max_exported_methods = 1");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (func $f)\n"
                             "  (export \"canister_update a\" (func $f))\n"
                             "  (export \"canister_update b\" (func $f)))"),
                 CANMEM_CAT_MODULE_LIMIT);
  cm_canister_free(c);
  c = new_canister("max_method_names_size = 3");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (func $f)\n"
                             "  (export \"canister_update abcd\" (func $f)))"),
                 CANMEM_CAT_MODULE_LIMIT);
  cm_canister_free(c);
  c = new_canister("max_icp_sections = 1");
  static const char *const two[] = {"icp:public a", "icp:public b"};
  expect_refused(install_with_sections(c, two, 2), CANMEM_CAT_MODULE_LIMIT);
  cm_canister_free(c);
  c = new_canister("max_icp_sections_size = 4");
  static const char *const big[] = {"icp:public ab"}; /* "ab" + "data" */
  expect_refused(install_with_sections(c, big, 1), CANMEM_CAT_MODULE_LIMIT);
  cm_canister_free(c);
}

static void test_MOD_LIM_2_module_size_limit(void **state) {
  (void)state;
  cm_canister *c = new_canister("max_module_size = 64");
  char *wat = canister_wat(0, "(memory 1)", stateful);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL, wat),
                 CANMEM_CAT_MODULE_LIMIT);
  /* also after decompression: a small gzip of a large module */
  size_t size, gz_size;
  uint8_t *wasm = wat_to_wasm(wat, &size);
  uint8_t *gz = gzip_bytes(wasm, size, &gz_size);
  canmem_outcome o = install_wasm(c, CANMEM_MODE_INSTALL, gz, gz_size, NULL, 0);
  assert_int_equal(o.kind, CANMEM_OUTCOME_INSTALL_REJECTED);
  free(gz);
  free(wasm);
  free(wat);
  cm_canister_free(c);
}

static void test_MOD_TYPE_1_globals_of_every_type_persist(void **state) {
  (void)state;
  static const char *const body =
      "(global $a (mut i32) (i32.const 1))\n"
      "(global $b (mut i64) (i64.const 2))\n"
      "(global $c (mut f32) (f32.const 3))\n"
      "(global $d (mut f64) (f64.const 4))\n"
      "(func $bump\n"
      "  (global.set $a (i32.add (global.get $a) (i32.const 1)))\n"
      "  (global.set $b (i64.add (global.get $b) (i64.const 1)))\n"
      "  (global.set $c (f32.add (global.get $c) (f32.const 1)))\n"
      "  (global.set $d (f64.add (global.get $d) (f64.const 1))))\n"
      "(func (export \"canister_update bump\") (call $bump) (call $reply_none))\n"
      "(func (export \"canister_update bump_trap\") (call $bump) unreachable)\n"
      "(func (export \"canister_update sum\")\n"
      "  (call $reply (i64.add (i64.add (i64.extend_i32_u (global.get $a))\n"
      "    (global.get $b)) (i64.add (i64.trunc_f32_u (global.get $c))\n"
      "    (i64.trunc_f64_u (global.get $d))))))\n";
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", body));
  expect_u64(update(c, "sum", 0), 10);
  expect_reply(update(c, "bump", 0));
  expect_u64(update(c, "sum", 0), 14);
  expect_trap(update(c, "bump_trap", 0), CANMEM_CAT_UNREACHABLE);
  expect_u64(update(c, "sum", 0), 14);
  cm_canister_free(c);
}

/* ==== INST-*, UNI-* ==== */

static const char *const init_with_arg =
    "(func (export \"canister_init\")\n"
    "  (call $msg_arg_data_copy (i32.const 100) (i32.const 0)\n"
    "    (call $msg_arg_data_size)))\n";

static void test_INST_1_install_needs_an_empty_canister(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  size_t size;
  char *wat = canister_wat(0, "(memory 1)", init_with_arg);
  uint8_t *wasm = wat_to_wasm(wat, &size);
  free(wat);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size,
                            (const uint8_t *)"argument", 8));
  uint8_t b[8];
  assert_true(cm_canister_read_heap(c, 100, b, 8));
  assert_memory_equal(b, "argument", 8);
  expect_refused(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0),
                 CANMEM_CAT_CANISTER_NOT_EMPTY);
  assert_true(cm_canister_read_heap(c, 100, b, 8));
  assert_memory_equal(b, "argument", 8);
  free(wasm);
  cm_canister_free(c);
}

static void test_INST_2_reinstall_replaces_code_and_state(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  char *wat = canister_wat(0, "(memory 1)", stateful);
  /* reinstall works on an empty canister too */
  expect_reply(install_wat(c, CANMEM_MODE_REINSTALL, wat));
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  uint64_t version = state_version(c);
  expect_reply(install_wat(c, CANMEM_MODE_REINSTALL, wat));
  assert_int_equal(heap_u64(c, 100), 0);
  expect_u64(update(c, "get_global", 0), 0);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  assert_true(state_version(c) > version);
  /* a reinstall that fails leaves the old state */
  expect_reply(update(c, "set", 3, 4ull, 5ull, 6ull));
  expect_refused(install_body(c, CANMEM_MODE_REINSTALL, 0, "(memory 1)",
                              "(func (export \"canister_init\") unreachable)"),
                 CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 100), 4);
  expect_u64(update(c, "get_global", 0), 5);
  assert_int_equal(stable_u64(c, 0), 6);
  free(wat);
  cm_canister_free(c);
}

static void test_INST_3_wasm_memory_limit_checked_after_init(void **state) {
  (void)state;
  cm_canister *c = new_canister("wasm_memory_limit = 2 pages");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL, "(module (memory 3))"),
                 CANMEM_CAT_WASM_MEMORY_LIMIT);
  expect_refused(
      install_wat(c, CANMEM_MODE_INSTALL,
                  "(module (memory 1) (func (export \"canister_init\")\n"
                  "  (drop (memory.grow (i32.const 2)))))"),
      CANMEM_CAT_WASM_MEMORY_LIMIT);
  assert_true(state_is_empty(c));
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, "(module (memory 2))"));
  cm_canister_free(c);
}

static void test_UNI_1_uninstall_empties_the_canister(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  uint64_t version = state_version(c);
  expect_reply(install_wasm(c, CANMEM_MODE_UNINSTALL, NULL, 0, NULL, 0));
  assert_true(state_is_empty(c));
  assert_int_equal(state_version(c), version + 1);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  assert_int_equal(state_certified_size(c), 0);
  expect_reject(update(c, "set", 3, 1ull, 2ull, 3ull),
                CANMEM_CAT_CANISTER_EMPTY);
  char *wat = canister_wat(0, "(memory 1)", stateful);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, wat));
  free(wat);
  assert_int_equal(heap_u64(c, 100), 0);
  cm_canister_free(c);
}

static void test_UNI_2_cycles_are_not_consumed(void **state) {
  (void)state;
  /* Running out of cycles (which uninstalls) is not modelled: the
   * balance is the profile's constant. */
  cm_canister *c = new_canister("cycle_balance = 12345");
  expect_reply(install_body(
      c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
      "(func (export \"canister_update balance\")\n"
      "  (call $reply (call $canister_cycle_balance)))\n"
      "(func (export \"canister_update balance128\")\n"
      "  (call $canister_cycle_balance128 (i32.const 100))\n"
      "  (call $reply (i64.load (i32.const 100))))\n"));
  expect_u64(update(c, "balance", 0), 12345);
  expect_u64(update(c, "balance128", 0), 12345);
  expect_u64(update(c, "balance", 0), 12345);
  cm_canister_free(c);
}

/* ==== UPG-* ==== */

/* pre_upgrade copies heap[100] into stable memory and marks the heap;
 * post_upgrade copies stable memory to heap[140] and the argument to 120. */
static const char *const upgrade_hooks =
    "(func (export \"canister_update put\")\n"
    "  (i64.store (i32.const 100) (call $arg (i32.const 0)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_pre_upgrade\")\n"
    "  (if (i64.eqz (call $stable64_size))\n"
    "    (then (drop (call $stable64_grow (i64.const 1)))))\n"
    "  (call $stable64_write (i64.const 0) (i64.const 100) (i64.const 8))\n"
    "  (i64.store (i32.const 112) (i64.const 0xdead))\n"
    "  (i64.store (i32.const 16) (call $canister_version))\n"
    "  (call $stable64_write (i64.const 8) (i64.const 16) (i64.const 8)))\n"
    "(func (export \"canister_post_upgrade\")\n"
    "  (call $stable64_read (i64.const 140) (i64.const 0) (i64.const 8))\n"
    "  (call $msg_arg_data_copy (i32.const 120) (i32.const 0)\n"
    "    (call $msg_arg_data_size))\n"
    "  (i64.store (i32.const 16) (call $canister_version))\n"
    "  (call $stable64_write (i64.const 16) (i64.const 16) (i64.const 8)))\n"
    "(func (export \"canister_init\") (i64.store (i32.const 128) (i64.const 1)))\n";

static void test_UPG_1_pre_upgrade_then_fresh_instance_then_post_upgrade(
    void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  char *wat = canister_wat(0, "(memory 1)", upgrade_hooks);
  size_t size;
  uint8_t *wasm = wat_to_wasm(wat, &size);
  free(wat);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  expect_reply(update(c, "put", 1, 0x77ull));
  expect_reply(upgrade_wasm(c, wasm, size, 0, 0, (const uint8_t *)"ARG!", 4));
  assert_int_equal(heap_u64(c, 100), 0);      /* fresh heap */
  assert_int_equal(heap_u64(c, 140), 0x77);   /* via stable memory */
  assert_int_equal(heap_u64(c, 112), 0);      /* pre_upgrade's heap gone */
  assert_int_equal(heap_u64(c, 128), 0);      /* canister_init not run */
  uint8_t b[4];
  assert_true(cm_canister_read_heap(c, 120, b, 4));
  assert_memory_equal(b, "ARG!", 4);
  free(wasm);
  cm_canister_free(c);
}

static void test_UPG_2_versions_seen_by_pre_and_post_upgrade(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            upgrade_hooks));
  uint64_t v = state_version(c);
  expect_reply(upgrade_body(c, "(memory 1)", upgrade_hooks, 0, 0));
  assert_int_equal(stable_u64(c, 8), v);      /* pre_upgrade: old */
  assert_int_equal(stable_u64(c, 16), v + 1); /* post_upgrade: new */
  assert_int_equal(state_version(c), v + 1);
  cm_canister_free(c);
}

static const char *const timer_and_certified =
    "(func (export \"canister_pre_upgrade\")\n"
    "  (drop (call $global_timer_set (i64.const 111)))\n"
    "  (call $certified_data_set (i32.const 0) (i32.const 3)))\n"
    "(func (export \"canister_post_upgrade\")\n"
    "  (if (i64.ne (call $arg (i32.const 0)) (i64.const 0))\n"
    "    (then (drop (call $global_timer_set (i64.const 222))))))\n"
    "(func (export \"canister_update arm\")\n"
    "  (drop (call $global_timer_set (i64.const 5)))\n"
    "  (call $certified_data_set (i32.const 0) (i32.const 1))\n"
    "  (call $reply_none))\n";

static void test_UPG_3_timer_and_certified_data_across_upgrade(
    void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  size_t size;
  char *wat = canister_wat(0, "(memory 1)", timer_and_certified);
  uint8_t *wasm = wat_to_wasm(wat, &size);
  free(wat);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  expect_reply(update(c, "arm", 0));
  assert_int_equal(state_global_timer(c), 5);
  assert_int_equal(state_certified_size(c), 1);
  uint8_t zero[8] = {0}, one[8] = {1};
  expect_reply(upgrade_wasm(c, wasm, size, 0, 0, zero, 8));
  /* pre_upgrade's timer is lost, the upgrade resets it; its certified
   * data stays because post_upgrade set none */
  assert_int_equal(state_global_timer(c), 0);
  assert_int_equal(state_certified_size(c), 3);
  expect_reply(upgrade_wasm(c, wasm, size, 0, 0, one, 8));
  assert_int_equal(state_global_timer(c), 222);
  free(wasm);
  cm_canister_free(c);
}

static const char *const trapping_pre_upgrade =
    "(func (export \"canister_update fill\")\n"
    "  (drop (call $stable64_grow (i64.const 1)))\n"
    "  (i64.store (i32.const 100) (i64.const 0x61626364))\n"
    "  (call $stable64_write (i64.const 0) (i64.const 100) (i64.const 8))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_pre_upgrade\")\n"
    "  (call $stable64_write (i64.const 0) (i64.const 200) (i64.const 8))\n"
    "  unreachable)\n";

static void test_UPG_4_skip_pre_upgrade(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            trapping_pre_upgrade));
  expect_reply(update(c, "fill", 0));
  expect_refused(upgrade_body(c, "(memory 1)", trapping_pre_upgrade, 0, 0),
                 CANMEM_CAT_UNREACHABLE);
  assert_int_equal(stable_u64(c, 0), 0x61626364);
  expect_reply(upgrade_body(c, "(memory 1)", trapping_pre_upgrade, 1, 0));
  assert_int_equal(stable_u64(c, 0), 0x61626364);
  cm_canister_free(c);
  /* not every profile has the option */
  c = new_canister("feature.skip_pre_upgrade = no");
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", ""));
  expect_refused(upgrade_body(c, "(memory 1)", "", 1, 0),
                 CANMEM_CAT_UNSUPPORTED);
  cm_canister_free(c);
}

static void test_UPG_5_upgrade_needs_installed_code(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(upgrade_body(c, "(memory 1)", "", 0, 0),
                 CANMEM_CAT_CANISTER_EMPTY);
  assert_true(state_is_empty(c));
  cm_canister_free(c);
}

static void test_UPG_6_upgrade_needs_no_stopping(void **state) {
  (void)state;
  /* With no calls modelled nothing is outstanding: an upgrade between two
   * messages just takes effect. */
  cm_canister *c = stateful_canister(NULL);
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  expect_reply(upgrade_body(c, "(memory 1)", stateful, 0, 0));
  expect_reply(update(c, "set", 3, 4ull, 5ull, 6ull));
  assert_int_equal(stable_u64(c, 0), 6);
  cm_canister_free(c);
}

/* ==== EOP-* ==== */

static const char *const eop_body =
    "(global $g (mut i64) (i64.const 7))\n"
    "(data (i32.const 300) \"\\05\")\n"
    "(func (export \"canister_update put\")\n"
    "  (i64.store (i32.const 100) (call $arg (i32.const 0)))\n"
    "  (i64.store (i32.const 300) (i64.const 9))\n"
    "  (global.set $g (i64.const 8))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update get_global\")\n"
    "  (call $reply (global.get $g)))\n"
    "(func (export \"canister_pre_upgrade\")\n"
    "  (i64.store (i32.const 108) (i64.const 0xbeef)))\n";

static uint8_t *eop_wasm(const char *memory, size_t *size) {
  char *wat = canister_wat(0, memory, eop_body);
  uint8_t *wasm = wat_with_custom_section(wat, EOP_SECTION, size);
  free(wat);
  return wasm;
}

static void test_EOP_1_keep_preserves_the_heap(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  size_t size;
  uint8_t *wasm = eop_wasm("(memory 1)", &size);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  expect_reply(update(c, "put", 1, 0x42ull));
  expect_reply(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_KEEP, NULL,
                            0));
  assert_int_equal(heap_u64(c, 100), 0x42);
  assert_int_equal(heap_u64(c, 108), 0xbeef); /* after pre_upgrade */
  expect_u64(update(c, "get_global", 0), 7);  /* globals are fresh */
  /* keep with skip_pre_upgrade keeps the heap as it is */
  expect_reply(update(c, "put", 1, 0x43ull));
  expect_reply(upgrade_wasm(c, wasm, size, 1, CANMEM_PERSISTENCE_KEEP, NULL,
                            0));
  assert_int_equal(heap_u64(c, 100), 0x43);
  free(wasm);
  cm_canister_free(c);
}

static void test_EOP_2_eop_canister_needs_the_option(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  size_t size;
  uint8_t *wasm = eop_wasm("(memory 1)", &size);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  expect_reply(update(c, "put", 1, 0x42ull));
  expect_refused(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_ABSENT,
                              NULL, 0),
                 CANMEM_CAT_UPGRADE_OPTION);
  assert_int_equal(heap_u64(c, 100), 0x42);
  /* replace is explicit: the heap is discarded */
  expect_reply(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_REPLACE,
                            NULL, 0));
  assert_int_equal(heap_u64(c, 100), 0);
  free(wasm);
  cm_canister_free(c);
}

static void test_EOP_3_keep_needs_an_eop_module(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  char *wat = canister_wat(0, "(memory 1)", stateful);
  expect_refused(upgrade_wat(c, wat, 0, CANMEM_PERSISTENCE_KEEP),
                 CANMEM_CAT_UPGRADE_OPTION);
  free(wat);
  /* only the private section counts */
  size_t size;
  char *w2 = canister_wat(0, "(memory 1)", eop_body);
  uint8_t *pub = wat_to_wasm(w2, &size);
  size_t psize;
  uint8_t *wasm = with_custom_section(
      pub, size, "icp:public enhanced-orthogonal-persistence", "", &psize);
  expect_refused(upgrade_wasm(c, wasm, psize, 0, CANMEM_PERSISTENCE_KEEP,
                              NULL, 0),
                 CANMEM_CAT_UPGRADE_OPTION);
  free(w2);
  free(pub);
  free(wasm);
  cm_canister_free(c);
}

static void test_EOP_4_kept_heap_and_data_segments(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  size_t size;
  uint8_t *wasm = eop_wasm("(memory 1)", &size);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  assert_int_equal(heap_u64(c, 300), 5);
  expect_reply(update(c, "put", 1, 1ull));
  expect_reply(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_KEEP, NULL,
                            0));
  assert_int_equal(heap_u64(c, 300), 9); /* not re-applied (newest formal) */
  cm_canister_free(c);
  c = new_canister("reading.keep_data_segments = reapplied");
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  expect_reply(update(c, "put", 1, 1ull));
  expect_reply(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_KEEP, NULL,
                            0));
  assert_int_equal(heap_u64(c, 300), 5);
  assert_int_equal(heap_u64(c, 100), 1);
  cm_canister_free(c);
  /* a kept heap must fit the new memory's limits; beyond the maximum the
   * upgrade fails as the replica's IC0521 (dfinity/ic#10593) */
  c = new_canister(NULL);
  uint8_t *big = eop_wasm("(memory 3)", &size);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, big, size, NULL, 0));
  free(big);
  uint8_t *small = eop_wasm("(memory 1 2)", &size);
  expect_refused(upgrade_wasm(c, small, size, 0, CANMEM_PERSISTENCE_KEEP,
                              NULL, 0),
                 CANMEM_CAT_WASM_ENGINE);
  assert_int_equal(cm_canister_heap_pages(c), 3);
  free(small);
  /* and the same kind of memory: wasm32 to wasm64 cannot keep it */
  char *wat64 = canister_wat(1, "(memory i64 3)", "");
  uint8_t *w64 = wat_with_custom_section(wat64, EOP_SECTION, &size);
  expect_refused(upgrade_wasm(c, w64, size, 0, CANMEM_PERSISTENCE_KEEP, NULL,
                              0),
                 CANMEM_CAT_UPGRADE_OPTION);
  free(w64);
  free(wat64);
  free(wasm);
  cm_canister_free(c);
}

/* Resident memory of this process in KiB, or -1 where /proc is absent. */
static long resident_kib(void) {
  FILE *f = fopen("/proc/self/statm", "r");
  long size, resident;
  int n = f ? fscanf(f, "%ld %ld", &size, &resident) : 0;
  if (f)
    fclose(f);
  return n == 2 ? resident * 4 : -1;
}

static const char *const keep_body =
    "(func (export \"canister_update grow\")\n"
    "  (call $reply (i64.extend_i32_s (memory.grow\n"
    "    (i32.wrap_i64 (call $arg (i32.const 0)))))))\n"
    "(func (export \"canister_update poke\")\n"
    "  (i64.store (i32.wrap_i64 (call $arg (i32.const 0)))\n"
    "    (call $arg (i32.const 1)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update poke_trap\")\n"
    "  (i64.store (i32.wrap_i64 (call $arg (i32.const 0)))\n"
    "    (call $arg (i32.const 1)))\n"
    "  unreachable)\n"
    "(func (export \"canister_pre_upgrade\")\n"
    "  (i64.store (i32.const 108) (i64.const 0xbeef)))\n";

/* The new module writes into the kept heap at both ends, in the middle
 * and in a page it grows, then traps. */
static const char *const keep_post_upgrade_traps =
    "(func (export \"canister_post_upgrade\")\n"
    "  (i64.store (i32.const 100) (i64.const -1))\n"
    "  (i64.store (i32.const 0x3ffffff8) (i64.const -1))\n"
    "  (memory.fill (i32.const 0x20000000) (i32.const 0xee) (i32.const 65536))\n"
    "  (drop (memory.grow (i32.const 1)))\n"
    "  (i64.store (i32.const 0x40000000) (i64.const -1))\n"
    "  unreachable)\n";

/* EOP-1 with a 1 GiB heap: keep hands the heap to the new module without
 * copying it (the process does not grow by the heap's size), and a trap
 * in post_upgrade after writes into the kept heap leaves the old bytes. */
static void test_EOP_1_keep_adopts_the_heap_and_rolls_back_exactly(
    void **state) {
  (void)state;
  const uint64_t gib_pages = 16384, end = (UINT64_C(1) << 30) - 8;
  cm_canister *c = new_canister(NULL);
  size_t size, trap_size;
  char *wat = canister_wat(0, "(memory 1)", keep_body);
  uint8_t *wasm = wat_with_custom_section(wat, EOP_SECTION, &size);
  free(wat);
  wat = canister_wat(0, "(memory 1)", keep_post_upgrade_traps);
  uint8_t *traps = wat_with_custom_section(wat, EOP_SECTION, &trap_size);
  free(wat);
  expect_reply(install_wasm(c, CANMEM_MODE_INSTALL, wasm, size, NULL, 0));
  expect_u64(update(c, "grow", 1, gib_pages - 1), 1);
  expect_reply(update(c, "poke", 2, 100ull, 0x42ull));
  expect_reply(update(c, "poke", 2, end, 0x43ull));
  long rss_before = resident_kib();

  expect_refused(upgrade_wasm(c, traps, trap_size, 0, CANMEM_PERSISTENCE_KEEP,
                              NULL, 0),
                 CANMEM_CAT_UNREACHABLE);
  assert_int_equal(cm_canister_heap_pages(c), gib_pages);
  assert_int_equal(heap_u64(c, 100), 0x42);
  assert_int_equal(heap_u64(c, end), 0x43);
  assert_int_equal(heap_u64(c, 108), 0); /* pre_upgrade's write is gone */
  assert_int_equal(heap_u64(c, 0x20000000), 0);
  /* the old code still runs on its heap, journaled as before */
  expect_trap(update(c, "poke_trap", 2, 200ull, 7ull), CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 200), 0);

  expect_reply(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_KEEP, NULL,
                            0));
  expect_reply(upgrade_wasm(c, wasm, size, 0, CANMEM_PERSISTENCE_KEEP, NULL,
                            0));
  assert_int_equal(cm_canister_heap_pages(c), gib_pages);
  assert_int_equal(heap_u64(c, 100), 0x42);
  assert_int_equal(heap_u64(c, end), 0x43);
  assert_int_equal(heap_u64(c, 108), 0xbeef);
  /* the new code's messages commit and roll back on the adopted heap */
  expect_reply(update(c, "poke", 2, 200ull, 8ull));
  expect_trap(update(c, "poke_trap", 2, 200ull, 9ull), CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 200), 8);
  long rss_after = resident_kib();
  if (rss_before >= 0) /* a copy would add the heap's 1 GiB */
    assert_true(rss_after - rss_before < 64 * 1024);
  free(wasm);
  free(traps);
  cm_canister_free(c);
}

static void test_EOP_5_replace_is_allowed_for_any_canister(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  expect_reply(upgrade_body(c, "(memory 1)", stateful, 0,
                            CANMEM_PERSISTENCE_REPLACE));
  assert_int_equal(heap_u64(c, 100), 0);
  assert_int_equal(stable_u64(c, 0), 3);
  cm_canister_free(c);
  c = new_canister("feature.wasm_memory_persistence = no");
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", ""));
  expect_refused(upgrade_body(c, "(memory 1)", "", 0,
                              CANMEM_PERSISTENCE_REPLACE),
                 CANMEM_CAT_UNSUPPORTED);
  cm_canister_free(c);
}

/* ==== TXN-* ==== */

static void test_TXN_1_trap_discards_heap_globals_and_stable(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  uint64_t version = state_version(c);
  expect_trap(update(c, "set_trap", 3, 4ull, 5ull, 6ull),
              CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 100), 1);
  expect_u64(update(c, "get_global", 0), 2);
  assert_int_equal(stable_u64(c, 0), 3);
  assert_int_equal(state_version(c), version + 1); /* get_global */
  cm_canister_free(c);
  /* stable size too: a grow that traps leaves the size */
  c = stateful_canister(NULL);
  expect_trap(update(c, "set_trap", 3, 1ull, 2ull, 3ull),
              CANMEM_CAT_UNREACHABLE);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  cm_canister_free(c);
}

static void test_TXN_2_violated_limit_discards_like_a_trap(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(
      c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
      "(func (export \"canister_update grow_and_write\")\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (drop (memory.grow (i32.const 1)))\n"
      "  (call $reply_none))\n"));
  expect_reply(set_limit(c, PAGE));
  expect_trap(update(c, "grow_and_write", 0), CANMEM_CAT_WASM_MEMORY_LIMIT);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  assert_int_equal(cm_canister_heap_pages(c), 1);
  cm_canister_free(c);
}

static void test_TXN_3_trapped_call_has_no_response(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            "(func (export \"canister_update f\")\n"
                            "  (call $reply (i64.const 1)) unreachable)\n"));
  canmem_outcome o = update(c, "f", 0);
  expect_trap(o, CANMEM_CAT_UNREACHABLE);
  assert_int_equal(o.payload_size, 0);
  assert_int_equal(o.reject_code, CANMEM_REJECT_CANISTER_ERROR);
  cm_canister_free(c);
}

static void test_TXN_4_failed_install_leaves_the_canister_empty(
    void **state) {
  (void)state;
  static const char *const init_traps =
      "(func (export \"canister_init\")\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (call $trap (i32.const 0) (i32.const 0)))\n";
  static const char *const start_traps =
      "(func $s (drop (call $stable64_grow (i64.const 1))) unreachable)\n"
      "(start $s)\n";
  cm_canister *c = new_canister(NULL);
  expect_refused(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                              init_traps),
                 CANMEM_CAT_EXPLICIT_TRAP);
  assert_true(state_is_empty(c));
  assert_int_equal(cm_canister_stable_pages(c), 0);
  expect_refused(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                              start_traps),
                 CANMEM_CAT_UNREACHABLE);
  assert_true(state_is_empty(c));
  assert_int_equal(state_version(c), 0);
  cm_canister_free(c);
}

static void test_TXN_5_upgrade_is_atomic(void **state) {
  (void)state;
  static const char *const post_traps =
      "(func (export \"canister_post_upgrade\")\n"
      "  (drop (call $stable64_grow (i64.const 5)))\n"
      "  (call $stable64_write (i64.const 0) (i64.const 100) (i64.const 8))\n"
      "  unreachable)\n";
  static const char *const pre_writes =
      "(global $g (mut i64) (i64.const 0))\n"
      "(func (export \"canister_update set\")\n"
      "  (i64.store (i32.const 100) (call $arg (i32.const 0)))\n"
      "  (global.set $g (call $arg (i32.const 0)))\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (call $stable64_write (i64.const 0) (i64.const 100) (i64.const 8))\n"
      "  (call $reply_none))\n"
      "(func (export \"canister_update get_global\")\n"
      "  (call $reply (global.get $g)))\n"
      "(func (export \"canister_pre_upgrade\")\n"
      "  (global.set $g (i64.const 99))\n"
      "  (i64.store (i32.const 100) (i64.const 99))\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (call $stable64_write (i64.const 8) (i64.const 100) (i64.const 8)))\n";
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            pre_writes));
  expect_reply(update(c, "set", 1, 5ull));
  uint64_t version = state_version(c);
  expect_refused(upgrade_body(c, "(memory 1)", post_traps, 0, 0),
                 CANMEM_CAT_UNREACHABLE);
  /* pre_upgrade's and post_upgrade's changes are all gone */
  assert_int_equal(state_version(c), version);
  assert_int_equal(heap_u64(c, 100), 5);
  assert_int_equal(cm_canister_stable_pages(c), 1);
  assert_int_equal(stable_u64(c, 0), 5);
  assert_int_equal(stable_u64(c, 8), 0);
  expect_u64(update(c, "get_global", 0), 5);
  /* a trap in the new module's (start) too */
  expect_refused(upgrade_body(c, "(memory 1)",
                              "(func $s unreachable) (start $s)", 0, 0),
                 CANMEM_CAT_UNREACHABLE);
  assert_int_equal(stable_u64(c, 8), 0);
  expect_u64(update(c, "get_global", 0), 5);
  cm_canister_free(c);
}

static void test_TXN_6_refused_install_code_has_no_effect(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  expect_reply(update(c, "set", 3, 1ull, 2ull, 3ull));
  uint64_t version = state_version(c);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL, "(module)"),
                 CANMEM_CAT_CANISTER_NOT_EMPTY);
  expect_refused(upgrade_wat(c, "(module (func (export \"canister_x\")))", 0,
                             0),
                 CANMEM_CAT_MODULE_EXPORT);
  assert_int_equal(state_version(c), version);
  assert_int_equal(heap_u64(c, 100), 1);
  assert_int_equal(stable_u64(c, 0), 3);
  cm_canister_free(c);
}

static void test_TXN_7_queries_never_commit(void **state) {
  (void)state;
  cm_canister *c = stateful_canister(NULL);
  uint64_t version = state_version(c);
  expect_reply(query(c, "qset", 3, 1ull, 2ull, 3ull));
  expect_reply(call(c, CANMEM_CALL_REPLICATED_QUERY, "qset",
                    (uint64_t[]){1, 2, 3}, 3));
  expect_reply(update(c, "qset", 3, 1ull, 2ull, 3ull)); /* replicated */
  assert_int_equal(state_version(c), version);
  assert_int_equal(heap_u64(c, 100), 0);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  expect_u64(update(c, "get_global", 0), 0);
  cm_canister_free(c);
}

static void test_TXN_8_composite_queries_discard_too(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(
      c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
      "(func (export \"canister_composite_query cq\")\n"
      "  (i64.store (i32.const 100) (i64.const 1))\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (call $reply (i64.extend_i32_u (call $in_replicated_execution))))\n"));
  expect_u64(query(c, "cq", 0), 0);
  assert_int_equal(heap_u64(c, 100), 0);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  cm_canister_free(c);
}

static void test_TXN_9_inspect_message_discards_its_changes(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(
      c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
      "(func (export \"canister_inspect_message\")\n"
      "  (i64.store (i32.const 100) (i64.const 1))\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (call $accept_message))\n"));
  expect_reply(call(c, CANMEM_CALL_INSPECT_MESSAGE, "m", NULL, 0));
  assert_int_equal(heap_u64(c, 100), 0);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  cm_canister_free(c);
}

/* One call from "call" (argument 1: best-effort), its reply callback at
 * table index 0 writes 7 at 100 and traps, the cleanup at index 1 copies
 * what it finds at 100 to 108 and counts its runs at 116. */
static const char *const cleanup_body =
    "(table 2 funcref)\n"
    "(elem (i32.const 0) $callback $cleanup)\n"
    "(func (export \"canister_update call\")\n"
    "  (call $call_new (i32.const 0) (i32.const 0) (i32.const 0)\n"
    "    (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)\n"
    "    (i32.const 0))\n"
    "  (if (i64.eqz (call $arg (i32.const 0))) (then)\n"
    "    (else (call $call_with_best_effort_response (i32.const 3))))\n"
    "  (call $call_on_cleanup (i32.const 1) (i32.const 0))\n"
    "  (drop (call $call_perform)))\n"
    "(func $callback (param i32)\n"
    "  (i64.store (i32.const 100) (i64.const 7))\n"
    "  (unreachable))\n"
    "(func $cleanup (param i32)\n"
    "  (i64.store (i32.const 108) (i64.load (i32.const 100)))\n"
    "  (i64.store (i32.const 116)\n"
    "    (i64.add (i64.load (i32.const 116)) (i64.const 1))))\n";

static uint64_t only_call(cm_canister *c, uint32_t *flags) {
  canmem_outgoing_call calls[2];
  calls[0].struct_size = calls[1].struct_size = sizeof calls[0];
  uint64_t count = 0;
  assert_int_equal(cm_calls_list(c, calls, 2, &count), CANMEM_OK);
  assert_int_equal(count, 1);
  *flags = calls[0].flags;
  return calls[0].id;
}

static void test_TXN_10_cleanup_runs_on_the_state_before(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            cleanup_body));
  canmem_outcome out = update(c, "call", 1, 0);
  assert_int_equal(out.kind, CANMEM_OUTCOME_PENDING);
  uint32_t flags;
  uint64_t id = only_call(c, &flags);
  assert_int_equal(flags, CANMEM_CALL_FLAG_CLEANUP);
  uint64_t version = state_version(c);
  canmem_response r = {sizeof r, CANMEM_RESPONSE_REPLY, 0, 0, NULL, 0};
  assert_int_equal(cm_calls_respond(c, id, &r, &out), CANMEM_OK);
  expect_trap(out, CANMEM_CAT_UNREACHABLE);
  assert_int_equal(out.reject_code, CANMEM_REJECT_CANISTER_ERROR);
  /* the callback's 7 is gone; the cleanup saw 0 and committed */
  assert_int_equal(heap_u64(c, 100), 0);
  assert_int_equal(heap_u64(c, 108), 0);
  assert_int_equal(heap_u64(c, 116), 1);
  assert_int_equal(state_version(c), version + 1);
  /* the call is answered: no second response */
  assert_int_equal(cm_calls_respond(c, id, &r, &out), CANMEM_ERR_ARGUMENT);
  cm_canister_free(c);
}

/* The reference adapter refuses malformed requests of the calls
 * operations; the model refuses a timeout of a call that has none. */
static void test_CALL_BEST_EFFORT_1_timeout_needs_best_effort(void **state) {
  (void)state;
  const canmem_adapter *a = cm_ref_adapter();
  cm_canister *c = new_canister(NULL);
  canmem_canister *ac = (canmem_canister *)c;
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)",
                            cleanup_body));
  assert_int_equal(update(c, "call", 1, 0).kind, CANMEM_OUTCOME_PENDING);
  uint32_t flags;
  uint64_t id = only_call(c, &flags);
  canmem_outcome out;
  canmem_response timeout = {sizeof timeout, CANMEM_RESPONSE_REJECT,
                             CANMEM_REJECT_SYS_UNKNOWN, 0, NULL, 0};
  assert_int_equal(a->respond(ac, id, &timeout, &out), CANMEM_ERR_ARGUMENT);
  canmem_response bad = timeout;
  bad.kind = 9;
  assert_int_equal(a->respond(ac, id, &bad, &out), CANMEM_ERR_ARGUMENT);
  bad = timeout;
  bad.reject_code = 7;
  assert_int_equal(a->respond(ac, id, &bad, &out), CANMEM_ERR_ARGUMENT);
  bad = timeout;
  bad.struct_size = 8;
  assert_int_equal(a->respond(ac, id, &bad, &out), CANMEM_ERR_ARGUMENT);
  canmem_outgoing_call small = {.struct_size = 8};
  uint64_t count;
  assert_int_equal(a->outgoing_calls(ac, &small, 1, &count),
                   CANMEM_ERR_ARGUMENT);
  /* a best-effort call may time out: the reject callback traps here, the
   * cleanup runs */
  assert_int_equal(update(c, "call", 1, 1).kind, CANMEM_OUTCOME_PENDING);
  canmem_outgoing_call calls[2];
  calls[0].struct_size = calls[1].struct_size = sizeof calls[0];
  assert_int_equal(a->outgoing_calls(ac, calls, 2, &count), CANMEM_OK);
  assert_int_equal(count, 2);
  assert_int_equal(calls[1].flags,
                   CANMEM_CALL_FLAG_CLEANUP | CANMEM_CALL_FLAG_BEST_EFFORT);
  assert_int_equal(calls[1].timeout_seconds, 3);
  assert_int_equal(a->respond(ac, calls[1].id, &timeout, &out), CANMEM_OK);
  expect_trap(out, CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 116), 1);
  cm_canister_free(c);
}

static const char *const tasks =
    "(func (export \"canister_update arm\")\n"
    "  (drop (call $global_timer_set (call $arg (i32.const 0))))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_global_timer\")\n"
    "  (i64.store (i32.const 100) (i64.const 1))\n"
    "  (drop (call $global_timer_set (i64.const 77)))\n"
    "  (if (i64.eq (i64.load (i32.const 200)) (i64.const 1))\n"
    "    (then unreachable)))\n"
    "(func (export \"canister_update make_timer_trap\")\n"
    "  (i64.store (i32.const 200) (i64.const 1)) (call $reply_none))\n"
    "(func (export \"canister_heartbeat\")\n"
    "  (i64.store (i32.const 108)\n"
    "    (i64.add (i64.load (i32.const 108)) (i64.const 1))))\n";

static void test_TXN_11_system_tasks_commit_and_consume_the_timer(
    void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", tasks));
  expect_no_reply(task(c, "canister_heartbeat"));
  expect_no_reply(task(c, "canister_heartbeat"));
  assert_int_equal(heap_u64(c, 108), 2);
  expect_reject(task(c, "canister_global_timer"),
                CANMEM_CAT_TASK_NOT_SCHEDULED);
  expect_reply(update(c, "arm", 1, 5ull));
  expect_no_reply(task(c, "canister_global_timer"));
  assert_int_equal(heap_u64(c, 100), 1);
  assert_int_equal(state_global_timer(c), 77); /* set again */
  /* a trapping timer stays deactivated (EDGE-TIMER-TRAP) */
  expect_reply(update(c, "make_timer_trap", 0));
  expect_trap(task(c, "canister_global_timer"), CANMEM_CAT_UNREACHABLE);
  assert_int_equal(state_global_timer(c), 0);
  expect_reject(task(c, "canister_global_timer"),
                CANMEM_CAT_TASK_NOT_SCHEDULED);
  cm_canister_free(c);
}

/* ==== LOW-* ==== */

static const char *const low_memory =
    "(func (export \"canister_update grow\")\n"
    "  (call $reply (i64.extend_i32_s\n"
    "    (memory.grow (i32.wrap_i64 (call $arg (i32.const 0)))))))\n"
    "(func (export \"canister_update hook_runs\")\n"
    "  (call $reply (i64.load (i32.const 100))))\n"
    "(func (export \"canister_on_low_wasm_memory\")\n"
    "  (i64.store (i32.const 100)\n"
    "    (i64.add (i64.load (i32.const 100)) (i64.const 1)))\n"
    "  (if (i32.eq (memory.grow (i32.load (i32.const 200))) (i32.const -1))\n"
    "    (then unreachable)))\n"
    "(func (export \"canister_update hook_grows\")\n"
    "  (i32.store (i32.const 200) (i32.wrap_i64 (call $arg (i32.const 0))))\n"
    "  (call $reply_none))\n";

static cm_canister *low_canister(const char *overrides, uint64_t limit,
                                 uint64_t threshold) {
  cm_canister *c = new_canister(overrides);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1 40)",
                            low_memory));
  expect_reply(set_limit(c, limit));
  expect_reply(set_threshold(c, threshold));
  return c;
}

static void test_LOW_1_hook_scheduled_when_remaining_drops_below(
    void **state) {
  (void)state;
  /* limit 20 pages, threshold 10 pages */
  cm_canister *c = low_canister(NULL, 20 * PAGE, 10 * PAGE);
  expect_u64(update(c, "grow", 1, 7ull), 1); /* 8 pages: 12 remain */
  assert_int_equal(state_low_memory(c),
                   CM_LOW_MEMORY_NOT_SATISFIED);
  expect_u64(update(c, "grow", 1, 2ull), 8); /* 10 pages: exactly 10 */
  assert_int_equal(state_low_memory(c),
                   CM_LOW_MEMORY_NOT_SATISFIED);
  expect_u64(update(c, "grow", 1, 1ull), 10); /* 9 remain < 10 */
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_READY);
  expect_no_reply(task(c, "canister_on_low_wasm_memory"));
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_EXECUTED);
  expect_u64(update(c, "hook_runs", 0), 1);
  cm_canister_free(c);
}

static void test_LOW_2_default_threshold_never_schedules(void **state) {
  (void)state;
  cm_canister *c = low_canister(NULL, 20 * PAGE, 0);
  expect_u64(update(c, "grow", 1, 19ull), 1);
  assert_int_equal(state_low_memory(c),
                   CM_LOW_MEMORY_NOT_SATISFIED);
  expect_reject(task(c, "canister_on_low_wasm_memory"),
                CANMEM_CAT_TASK_NOT_SCHEDULED);
  cm_canister_free(c);
}

static void test_LOW_3_condition_after_management_calls(void **state) {
  (void)state;
  /* raising the threshold is enough to schedule the hook */
  cm_canister *c = low_canister(NULL, 20 * PAGE, 0);
  expect_reply(set_threshold(c, 20 * PAGE));
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_READY);
  cm_canister_free(c);
  /* without a limit the capacity is the heap maximum (EDGE-LOWCAP) */
  c = low_canister("max_heap_wasm32 = 32 pages", 0, 30 * PAGE);
  assert_int_equal(state_low_memory(c),
                   CM_LOW_MEMORY_NOT_SATISFIED);
  expect_u64(update(c, "grow", 1, 2ull), 1); /* 3 of 32: 29 remain */
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_READY);
  cm_canister_free(c);
  /* the formal text's capacity 0 makes any heap "low" */
  c = low_canister("reading.low_memory_capacity_without_limit = zero", 0,
                   PAGE);
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_READY);
  cm_canister_free(c);
  /* a wasm64 canister without a limit: its own maximum (48 pages), or the
   * replica's 4 GiB, the wasm32 maximum (32 pages here) */
  static const char *const limits =
      "max_heap_wasm32 = 32 pages\nmax_heap_wasm64 = 48 pages\n";
  char overrides[200];
  for (int replica = 0; replica < 2; replica++) {
    snprintf(overrides, sizeof overrides, "%s%s", limits,
             replica ? "reading.low_memory_capacity_wasm64 = wasm32-maximum"
                     : "");
    c = new_canister(overrides);
    expect_reply(install_wat(c, CANMEM_MODE_INSTALL, "(module (memory i64 2))"));
    expect_reply(set_threshold(c, 31 * PAGE)); /* 2 + 31 pages: 33 */
    assert_int_equal(state_low_memory(c), replica
                                              ? CM_LOW_MEMORY_READY
                                              : CM_LOW_MEMORY_NOT_SATISFIED);
    cm_canister_free(c);
  }
}

static void test_LOW_4_runs_once_and_before_the_next_message(void **state) {
  (void)state;
  cm_canister *c = low_canister(NULL, 20 * PAGE, 10 * PAGE);
  expect_u64(update(c, "grow", 1, 10ull), 1);
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_READY);
  /* the next update finds the hook already run */
  expect_u64(update(c, "hook_runs", 0), 1);
  expect_u64(update(c, "grow", 1, 1ull), 11);
  expect_u64(update(c, "hook_runs", 0), 1); /* not again */
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_EXECUTED);
  /* re-armed once the condition clears, run again when it holds again */
  expect_reply(set_limit(c, 40 * PAGE));
  assert_int_equal(state_low_memory(c),
                   CM_LOW_MEMORY_NOT_SATISFIED);
  expect_u64(update(c, "grow", 1, 20ull), 12);
  expect_u64(update(c, "hook_runs", 0), 2);
  cm_canister_free(c);
}

static void test_LOW_5_hook_status_is_consumed_even_on_trap(void **state) {
  (void)state;
  /* Freezing is not modelled, so the hook is never delayed; a hook that
   * traps is still consumed (Executed) and its changes discarded. */
  cm_canister *c = low_canister(NULL, 20 * PAGE, 10 * PAGE);
  expect_reply(update(c, "hook_grows", 1, 100ull)); /* past (memory 1 40) */
  expect_u64(update(c, "grow", 1, 10ull), 1);
  expect_trap(task(c, "canister_on_low_wasm_memory"), CANMEM_CAT_UNREACHABLE);
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_EXECUTED);
  expect_u64(update(c, "hook_runs", 0), 0);
  expect_reject(task(c, "canister_on_low_wasm_memory"),
                CANMEM_CAT_TASK_NOT_SCHEDULED);
  cm_canister_free(c);
}

static void test_LOW_6_limit_not_enforced_in_the_hook(void **state) {
  (void)state;
  cm_canister *c = low_canister(NULL, 20 * PAGE, 10 * PAGE);
  expect_reply(update(c, "hook_grows", 1, 15ull));
  expect_u64(update(c, "grow", 1, 10ull), 1);
  expect_no_reply(task(c, "canister_on_low_wasm_memory"));
  assert_int_equal(cm_canister_heap_pages(c), 26); /* past the 20 */
  cm_canister_free(c);
  c = low_canister("reading.wasm_memory_limit_in_low_memory_hook = yes",
                   20 * PAGE, 10 * PAGE);
  expect_reply(update(c, "hook_grows", 1, 15ull));
  expect_u64(update(c, "grow", 1, 10ull), 1);
  expect_trap(task(c, "canister_on_low_wasm_memory"),
              CANMEM_CAT_WASM_MEMORY_LIMIT);
  assert_int_equal(cm_canister_heap_pages(c), 11);
  cm_canister_free(c);
}

static void test_LOW_3_upgrade_reevaluates_the_condition(void **state) {
  (void)state;
  cm_canister *c = low_canister(NULL, 20 * PAGE, 10 * PAGE);
  expect_u64(update(c, "grow", 1, 15ull), 1);
  assert_int_equal(state_low_memory(c), CM_LOW_MEMORY_READY);
  /* a replace upgrade shrinks the heap to 1 page: no longer low */
  char *wat = canister_wat(0, "(memory 1 40)", low_memory);
  expect_reply(upgrade_wat(c, wat, 0, 0));
  free(wat);
  assert_int_equal(state_low_memory(c),
                   CM_LOW_MEMORY_NOT_SATISFIED);
  cm_canister_free(c);
}

/* ==== LIM-INSTR-1: instruction limits per execution ==== */

static const char *const loops =
    "(func $loop (param $n i32)\n"
    "  (loop $again\n"
    "    (local.set $n (i32.sub (local.get $n) (i32.const 1)))\n"
    "    (br_if $again (i32.ne (local.get $n) (i32.const 0)))))\n"
    "(func (export \"canister_update cost\")\n"
    "  (call $loop (i32.const 1000))\n"
    "  (call $reply (call $performance_counter (i32.const 0))))\n"
    "(func (export \"canister_update forever\")\n"
    "  (i64.store (i32.const 100) (i64.const 1))\n"
    "  (loop $again (br $again)))\n"
    "(func (export \"canister_pre_upgrade\") (call $loop (i32.const 1000)))\n"
    "(func (export \"canister_post_upgrade\") (call $loop (i32.const 1000)))\n";

static void test_LIM_INSTR_1_instruction_limits(void **state) {
  (void)state;
  cm_canister *c = new_canister("instructions_update = 100000");
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", loops));
  canmem_outcome o = update(c, "cost", 0);
  uint64_t cost = reply_u64(o, __FILE__, __LINE__);
  assert_true(cost >= 1000 && cost < 100000);
  expect_trap(update(c, "forever", 0), CANMEM_CAT_INSTRUCTION_LIMIT);
  assert_int_equal(heap_u64(c, 100), 0);
  cm_canister_free(c);
  /* pre_upgrade and post_upgrade share the budget of one upgrade: each
   * fits 1.5 times its cost, both together do not */
  char overrides[100];
  snprintf(overrides, sizeof overrides, "instructions_install = %llu",
           (unsigned long long)(cost + cost / 2));
  c = new_canister(overrides);
  expect_reply(install_body(c, CANMEM_MODE_INSTALL, 0, "(memory 1)", loops));
  expect_refused(upgrade_body(c, "(memory 1)", loops, 0, 0),
                 CANMEM_CAT_INSTRUCTION_LIMIT);
  expect_reply(upgrade_body(c, "(memory 1)", loops, 1, 0)); /* skip pre */
  cm_canister_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_MOD_FMT_1_gzip_and_magic),
      cmocka_unit_test(test_MOD_MEM_1_at_most_one_memory),
      cmocka_unit_test(test_MOD_MEM_2_pointer_width_follows_the_memory),
      cmocka_unit_test(test_MOD_MEM_3_memory_may_be_imported_exported_or_internal),
      cmocka_unit_test(test_MOD_MEM_4_older_reading_traps_without_memory),
      cmocka_unit_test(test_MOD_TBL_1_tables_are_not_restricted),
      cmocka_unit_test(test_MOD_IMP_1_only_listed_ic0_functions),
      cmocka_unit_test(test_MOD_IMP_2_wasm32_only_functions_in_wasm64),
      cmocka_unit_test(test_MOD_IMP_3_signatures_must_match_exactly),
      cmocka_unit_test(test_MOD_IMP_4_global_imports_cannot_be_satisfied),
      cmocka_unit_test(test_MOD_START_1_start_runs_before_init_and_post_upgrade),
      cmocka_unit_test(test_MOD_EXP_1_entry_points_have_type_unit),
      cmocka_unit_test(test_MOD_EXP_2_method_names_are_unique),
      cmocka_unit_test(test_MOD_EXP_3_other_canister_names_are_reserved),
      cmocka_unit_test(test_MOD_CS_1_icp_custom_sections),
      cmocka_unit_test(test_MOD_LIM_1_profile_bounds_on_modules),
      cmocka_unit_test(test_MOD_LIM_2_module_size_limit),
      cmocka_unit_test(test_MOD_TYPE_1_globals_of_every_type_persist),
      cmocka_unit_test(test_INST_1_install_needs_an_empty_canister),
      cmocka_unit_test(test_INST_2_reinstall_replaces_code_and_state),
      cmocka_unit_test(test_INST_3_wasm_memory_limit_checked_after_init),
      cmocka_unit_test(test_UNI_1_uninstall_empties_the_canister),
      cmocka_unit_test(test_UNI_2_cycles_are_not_consumed),
      cmocka_unit_test(test_UPG_1_pre_upgrade_then_fresh_instance_then_post_upgrade),
      cmocka_unit_test(test_UPG_2_versions_seen_by_pre_and_post_upgrade),
      cmocka_unit_test(test_UPG_3_timer_and_certified_data_across_upgrade),
      cmocka_unit_test(test_UPG_4_skip_pre_upgrade),
      cmocka_unit_test(test_UPG_5_upgrade_needs_installed_code),
      cmocka_unit_test(test_UPG_6_upgrade_needs_no_stopping),
      cmocka_unit_test(test_EOP_1_keep_preserves_the_heap),
      cmocka_unit_test(test_EOP_2_eop_canister_needs_the_option),
      cmocka_unit_test(test_EOP_3_keep_needs_an_eop_module),
      cmocka_unit_test(test_EOP_4_kept_heap_and_data_segments),
      cmocka_unit_test(test_EOP_1_keep_adopts_the_heap_and_rolls_back_exactly),
      cmocka_unit_test(test_EOP_5_replace_is_allowed_for_any_canister),
      cmocka_unit_test(test_TXN_1_trap_discards_heap_globals_and_stable),
      cmocka_unit_test(test_TXN_2_violated_limit_discards_like_a_trap),
      cmocka_unit_test(test_TXN_3_trapped_call_has_no_response),
      cmocka_unit_test(test_TXN_4_failed_install_leaves_the_canister_empty),
      cmocka_unit_test(test_TXN_5_upgrade_is_atomic),
      cmocka_unit_test(test_TXN_6_refused_install_code_has_no_effect),
      cmocka_unit_test(test_TXN_7_queries_never_commit),
      cmocka_unit_test(test_TXN_8_composite_queries_discard_too),
      cmocka_unit_test(test_TXN_9_inspect_message_discards_its_changes),
      cmocka_unit_test(test_TXN_10_cleanup_runs_on_the_state_before),
      cmocka_unit_test(test_CALL_BEST_EFFORT_1_timeout_needs_best_effort),
      cmocka_unit_test(test_TXN_11_system_tasks_commit_and_consume_the_timer),
      cmocka_unit_test(test_LOW_1_hook_scheduled_when_remaining_drops_below),
      cmocka_unit_test(test_LOW_2_default_threshold_never_schedules),
      cmocka_unit_test(test_LOW_3_condition_after_management_calls),
      cmocka_unit_test(test_LOW_3_upgrade_reevaluates_the_condition),
      cmocka_unit_test(test_LOW_4_runs_once_and_before_the_next_message),
      cmocka_unit_test(test_LOW_5_hook_status_is_consumed_even_on_trap),
      cmocka_unit_test(test_LOW_6_limit_not_enforced_in_the_hook),
      cmocka_unit_test(test_LIM_INSTR_1_instruction_limits),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
