/* cmocka tests of the canister model's System API: stable memory (SM-*,
 * SM32-*, SM64-*), blob copies (COPY-*), the heap (HEAP-*), wasm64 (W64-*),
 * messaging (MSG-*) and availability (CTX-*). Each test is named after the
 * rule of ../shared/reference/ic-memory-rules.md it checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calls.h"
#include "support.h"

/* A wasm32 canister whose methods expose the stable and heap operations;
 * arguments are little-endian u64s, replies one u64. */
static const char *const methods32 =
    "(global $counter (mut i64) (i64.const 0))\n"
    "(func (export \"canister_update size32\")\n"
    "  (call $reply (i64.extend_i32_u (call $stable_size))))\n"
    "(func (export \"canister_update grow32\")\n"
    "  (call $reply (i64.extend_i32_u\n"
    "    (call $stable_grow (i32.wrap_i64 (call $arg (i32.const 0)))))))\n"
    "(func (export \"canister_update write32\")\n"
    "  (call $stable_write (i32.wrap_i64 (call $arg (i32.const 0)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 1)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 2))))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update read32\")\n"
    "  (call $stable_read (i32.wrap_i64 (call $arg (i32.const 0)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 1)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 2))))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update size64\")\n"
    "  (call $reply (call $stable64_size)))\n"
    "(func (export \"canister_update grow64\")\n"
    "  (call $reply (call $stable64_grow (call $arg (i32.const 0)))))\n"
    "(func (export \"canister_update grow64_trap\")\n"
    "  (drop (call $stable64_grow (call $arg (i32.const 0)))) unreachable)\n"
    "(func (export \"canister_update write64\")\n"
    "  (call $stable64_write (call $arg (i32.const 0)) (call $arg (i32.const 1))\n"
    "    (call $arg (i32.const 2)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update write64_trap\")\n"
    "  (call $stable64_write (call $arg (i32.const 0)) (call $arg (i32.const 1))\n"
    "    (call $arg (i32.const 2)))\n"
    "  unreachable)\n"
    "(func (export \"canister_update read64\")\n"
    "  (call $stable64_read (call $arg (i32.const 0)) (call $arg (i32.const 1))\n"
    "    (call $arg (i32.const 2)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update store\")\n"
    "  (i64.store (i32.wrap_i64 (call $arg (i32.const 0))) (call $arg (i32.const 1)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update store_trap\")\n"
    "  (i64.store (i32.wrap_i64 (call $arg (i32.const 0))) (call $arg (i32.const 1)))\n"
    "  unreachable)\n"
    "(func (export \"canister_update load\")\n"
    "  (call $reply (i64.load (i32.wrap_i64 (call $arg (i32.const 0))))))\n"
    "(func (export \"canister_update heap_grow\")\n"
    "  (call $reply (i64.extend_i32_s\n"
    "    (memory.grow (i32.wrap_i64 (call $arg (i32.const 0)))))))\n"
    "(func (export \"canister_update heap_size\")\n"
    "  (call $reply (i64.extend_i32_u (memory.size))))\n"
    "(func (export \"canister_update count\")\n"
    "  (global.set $counter (i64.add (global.get $counter) (i64.const 1)))\n"
    "  (call $reply (global.get $counter)))\n"
    "(func (export \"canister_update count_trap\")\n"
    "  (global.set $counter (i64.add (global.get $counter) (i64.const 1)))\n"
    "  unreachable)\n"
    "(func (export \"canister_query qcount\")\n"
    "  (global.set $counter (i64.add (global.get $counter) (i64.const 1)))\n"
    "  (call $reply (global.get $counter)))\n"
    "(func (export \"canister_query qsize64\")\n"
    "  (call $reply (call $stable64_size)))\n"
    "(func (export \"canister_query qgrow64\")\n"
    "  (call $reply (call $stable64_grow (call $arg (i32.const 0)))))\n"
    "(func (export \"canister_query qwrite64\")\n"
    "  (call $stable64_write (call $arg (i32.const 0)) (call $arg (i32.const 1))\n"
    "    (call $arg (i32.const 2)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_query qstore\")\n"
    "  (i64.store (i32.wrap_i64 (call $arg (i32.const 0))) (call $arg (i32.const 1)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_query qload\")\n"
    "  (call $reply (i64.load (i32.wrap_i64 (call $arg (i32.const 0))))))\n"
    "(func (export \"canister_query qheap_grow\")\n"
    "  (call $reply (i64.extend_i32_s\n"
    "    (memory.grow (i32.wrap_i64 (call $arg (i32.const 0)))))))\n"
    /* blob copies: arguments (dst, offset, size) of the argument itself */
    "(func (export \"canister_update copy_arg\")\n"
    "  (call $msg_arg_data_copy (i32.wrap_i64 (call $arg (i32.const 0)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 1)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 2))))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update append\")\n"
    "  (call $msg_reply_data_append (i32.wrap_i64 (call $arg (i32.const 0)))\n"
    "    (i32.wrap_i64 (call $arg (i32.const 1))))\n"
    "  (call $msg_reply))\n";

/* The same for a wasm64 canister (addresses are i64). */
static const char *const methods64 =
    "(func (export \"canister_update size64\")\n"
    "  (call $reply (call $stable64_size)))\n"
    "(func (export \"canister_update grow64\")\n"
    "  (call $reply (call $stable64_grow (call $arg (i32.const 0)))))\n"
    "(func (export \"canister_update write64\")\n"
    "  (call $stable64_write (call $arg (i32.const 0)) (call $arg (i32.const 1))\n"
    "    (call $arg (i32.const 2)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update read64\")\n"
    "  (call $stable64_read (call $arg (i32.const 0)) (call $arg (i32.const 1))\n"
    "    (call $arg (i32.const 2)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update store\")\n"
    "  (i64.store (call $arg (i32.const 0)) (call $arg (i32.const 1)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update load\")\n"
    "  (call $reply (i64.load (call $arg (i32.const 0)))))\n"
    "(func (export \"canister_update heap_grow\")\n"
    "  (call $reply (memory.grow (call $arg (i32.const 0)))))\n"
    "(func (export \"canister_update copy_arg\")\n"
    "  (call $msg_arg_data_copy (call $arg (i32.const 0))\n"
    "    (call $arg (i32.const 1)) (call $arg (i32.const 2)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update arg_size\")\n"
    "  (call $reply (call $msg_arg_data_size)))\n";

/* A canister with methods32 and the given memory, under overrides. */
static cm_canister *canister32(const char *overrides, const char *memory) {
  cm_canister *c = new_canister(overrides);
  char *wat = canister_wat(0, memory, methods32);
  canmem_outcome o = install_wat(c, CANMEM_MODE_INSTALL, wat);
  free(wat);
  expect_reply(o);
  return c;
}

static cm_canister *canister64(const char *overrides, const char *memory) {
  cm_canister *c = new_canister(overrides);
  char *wat = canister_wat(1, memory, methods64);
  canmem_outcome o = install_wat(c, CANMEM_MODE_INSTALL, wat);
  free(wat);
  expect_reply(o);
  return c;
}

/* A canister with just `body` (and the prelude). */
static cm_canister *canister_with(const char *overrides, int is64,
                                  const char *memory, const char *body) {
  cm_canister *c = new_canister(overrides);
  char *wat = canister_wat(is64, memory, body);
  canmem_outcome o = install_wat(c, CANMEM_MODE_INSTALL, wat);
  free(wat);
  expect_reply(o);
  return c;
}

/* Install `body` and return the outcome (for modules expected to fail). */
static canmem_outcome try_install(cm_canister *c, int is64, const char *memory,
                                  const char *body) {
  char *wat = canister_wat(is64, memory, body);
  canmem_outcome o = install_wat(c, CANMEM_MODE_INSTALL, wat);
  free(wat);
  return o;
}

/* ==== SM-*: stable memory in general ==== */

static void test_SM_1_stable_data_survives_upgrade(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x1122334455667788ull));
  expect_reply(update(c, "write64", 3, 8ull, 100ull, 8ull));
  char *wat = canister_wat(0, "(memory 1)", methods32);
  expect_reply(upgrade_wat(c, wat, 0, CANMEM_PERSISTENCE_ABSENT));
  free(wat);
  expect_u64(update(c, "load", 1, 100ull), 0); /* heap is fresh */
  expect_reply(update(c, "read64", 3, 200ull, 8ull, 8ull));
  expect_u64(update(c, "load", 1, 200ull), 0x1122334455667788ull);
  cm_canister_free(c);
}

static void test_SM_2_stable_memory_starts_empty(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "size32", 0), 0);
  expect_u64(update(c, "size64", 0), 0);
  /* an empty stable memory has no byte to write */
  expect_trap(update(c, "write64", 3, 0ull, 100ull, 1ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM_3_growth_is_in_pages_of_zeros(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 2ull), 0);
  assert_int_equal(cm_canister_stable_pages(c), 2);
  expect_reply(update(c, "store", 2, 100ull, ~0ull));
  expect_reply(update(c, "read64", 3, 100ull, 2 * PAGE - 8, 8ull));
  expect_u64(update(c, "load", 1, 100ull), 0);
  /* the last byte of page 2 exists, the next does not */
  expect_reply(update(c, "read64", 3, 100ull, 2 * PAGE - 1, 1ull));
  expect_trap(update(c, "read64", 3, 100ull, 2 * PAGE, 1ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM_4_both_apis_share_one_memory(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_u64(update(c, "size64", 0), 1);
  expect_u64(update(c, "grow64", 1, 1ull), 1);
  expect_u64(update(c, "size32", 0), 2);
  expect_reply(update(c, "store", 2, 100ull, 0xabcdull));
  expect_reply(update(c, "write32", 3, 70000ull, 100ull, 8ull));
  expect_reply(update(c, "read64", 3, 200ull, 70000ull, 8ull));
  expect_u64(update(c, "load", 1, 200ull), 0xabcd);
  expect_reply(update(c, "store", 2, 100ull, 0x5555ull));
  expect_reply(update(c, "write64", 3, 16ull, 100ull, 8ull));
  expect_reply(update(c, "read32", 3, 300ull, 16ull, 8ull));
  expect_u64(update(c, "load", 1, 300ull), 0x5555);
  cm_canister_free(c);
}

static void test_SM_5_stable_memory_never_shrinks(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 3ull), 0);
  expect_u64(update(c, "grow64", 1, NEG1), NEG1);
  expect_u64(update(c, "grow32", 1, NEG1_32), NEG1_32);
  expect_u64(update(c, "grow64", 1, 0ull), 3);
  expect_u64(update(c, "size64", 0), 3);
  cm_canister_free(c);
}

static void test_SM_6_reinstall_and_uninstall_drop_stable_memory(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  char *wat = canister_wat(0, "(memory 1)", methods32);
  expect_reply(install_wat(c, CANMEM_MODE_REINSTALL, wat));
  expect_u64(update(c, "size64", 0), 0);
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(install_wasm(c, CANMEM_MODE_UNINSTALL, NULL, 0, NULL, 0));
  assert_int_equal(cm_canister_stable_pages(c), 0);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, wat));
  expect_u64(update(c, "size64", 0), 0);
  free(wat);
  cm_canister_free(c);
}

static const char *const start_grows_stable =
    "(func $start (drop (call $stable64_grow (i64.const 1)))\n"
    "  (i32.store (i32.const 100) (i32.const 7))\n"
    "  (call $stable64_write (i64.const 0) (i64.const 100) (i64.const 4)))\n"
    "(start $start)\n";

static void test_SM_7_stable_api_callable_from_start(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", start_grows_stable);
  assert_int_equal(cm_canister_stable_pages(c), 1);
  uint8_t b[4];
  assert_true(cm_canister_read_stable(c, 0, b, 4));
  assert_int_equal(b[0], 7);
  cm_canister_free(c);
  /* before 0.19.0 the (start) function could not use it */
  c = new_canister("feature.stable_in_start = no");
  expect_refused(try_install(c, 0, "(memory 1)", start_grows_stable),
                 CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  assert_true(state_is_empty(c));
  cm_canister_free(c);
}

static void test_SM_8_deprecated_32_bit_api_still_works(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 42ull));
  expect_reply(update(c, "write32", 3, 0ull, 100ull, 8ull));
  expect_reply(update(c, "read32", 3, 200ull, 0ull, 8ull));
  expect_u64(update(c, "load", 1, 200ull), 42);
  cm_canister_free(c);
}

/* SM-9: the access limits count distinct 4 KiB pages, not bytes: 2 GiB
 * written over the same 16 pages stays far below ic-current's 2 GiB. */
static void test_SM_9_counts_pages_not_bytes(void **state) {
  (void)state;
  cm_canister *c = canister_with(
      NULL, 0, "(memory 1)",
      "(func (export \"canister_update write_a_lot\") (local $i i32)\n"
      "  (drop (call $stable64_grow (i64.const 1)))\n"
      "  (loop $again\n"
      "    (call $stable64_write (i64.const 0) (i64.const 0) (i64.const 65536))\n"
      "    (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
      "    (br_if $again (i32.lt_u (local.get $i) (i32.const 33000))))\n"
      "  (call $reply_none))\n");
  expect_reply(update(c, "write_a_lot", 0)); /* 33000 x 64 KiB > 2 GiB */
  cm_canister_stats stats;
  cm_canister_last_stats(c, &stats);
  assert_int_equal(stats.stable_pages_journaled, 1);
  cm_canister_free(c);
}

/* SM-9: a range counts every 4 KiB page it touches (5 bytes at 4094 are
 * two pages); pages already touched are free; the limit is per message. */
static void test_SM_9_range_straddling_pages(void **state) {
  (void)state;
  cm_canister *c = canister32("stable_access_limit_message = 8 KiB\n"
                              "stable_write_limit_message = 4 KiB",
                              "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "read64", 3, 100ull, 4094ull, 5ull)); /* 0, 1 */
  expect_trap(update(c, "read64", 3, 100ull, 4094ull, 4099ull),
              CANMEM_CAT_MEMORY_ACCESS_LIMIT); /* 0, 1, 2 */
  expect_reply(update(c, "write64", 3, 8191ull, 100ull, 1ull)); /* 1 */
  expect_trap(update(c, "write64", 3, 4095ull, 100ull, 2ull),
              CANMEM_CAT_MEMORY_ACCESS_LIMIT); /* writes 0 and 1 */
  /* out of bounds is checked first */
  expect_trap(update(c, "read64", 3, 100ull, 65536ull, 1ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

/* LIM-HEAP-ACCESS: written heap pages that existed at the start count;
 * with the limit off nothing is counted. */
static void test_LIM_HEAP_ACCESS_written_pages(void **state) {
  (void)state;
  cm_canister *c = canister32("heap_access_limit_message = 8 KiB",
                              "(memory 1)");
  expect_reply(update(c, "store", 2, 4000ull, 1ull)); /* page 0 */
  expect_reply(update(c, "store", 2, 4090ull, 1ull)); /* pages 0, 1 */
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  /* zeros from stable memory over heap pages 0, 1, 2: one too many */
  expect_trap(update(c, "read64", 3, 4090ull, 0ull, 4200ull),
              CANMEM_CAT_MEMORY_ACCESS_LIMIT);
  expect_u64(update(c, "load", 1, 4090ull), 1); /* rolled back */
  expect_reply(update(c, "read64", 3, 4090ull, 0ull, 4000ull)); /* 0, 1 */
  expect_u64(update(c, "load", 1, 4090ull), 0);
  cm_canister_free(c);
  /* off: a message may write the whole heap */
  c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "read64", 3, 0ull, 0ull, 65536ull));
  cm_canister_free(c);
}

/* ==== SM32-* ==== */

static void test_SM32_SIZE_1_size_in_pages(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 3ull), 0);
  expect_u64(update(c, "size32", 0), 3);
  cm_canister_free(c);
}

static void test_SM32_SIZE_2_traps_above_4_GiB_not_at(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 65536ull), 0);
  expect_u64(update(c, "size32", 0), 65536);
  expect_u64(update(c, "grow64", 1, 1ull), 65536);
  expect_trap(update(c, "size32", 0), CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  cm_canister_free(c);
}

static void test_SM32_GROW_1_grows_by_zero_pages(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 2ull), 0);
  expect_reply(update(c, "read64", 3, 100ull, PAGE, 8ull));
  expect_u64(update(c, "load", 1, 100ull), 0);
  cm_canister_free(c);
}

static void test_SM32_GROW_2_traps_when_previous_size_above_4_GiB(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 65537ull), 0);
  expect_trap(update(c, "grow32", 1, 0ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  cm_canister_free(c);
}

static void test_SM32_GROW_3_new_size_past_4_GiB_returns_minus_one(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 10ull), 0);
  expect_u64(update(c, "grow32", 1, 65527ull), NEG1_32);
  expect_u64(update(c, "grow32", 1, 0x80000000ull), NEG1_32); /* unsigned */
  expect_u64(update(c, "grow32", 1, 0xffffffffull), NEG1_32);
  expect_u64(update(c, "size32", 0), 10);
  expect_u64(update(c, "grow32", 1, 65526ull), 10); /* exactly 4 GiB */
  expect_u64(update(c, "grow32", 1, 1ull), NEG1_32); /* no trap at 4 GiB */
  expect_u64(update(c, "grow32", 1, 0ull), 65536);
  cm_canister_free(c);
}

static void test_SM32_GROW_4_returns_previous_size(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_u64(update(c, "grow32", 1, 5ull), 1);
  expect_u64(update(c, "size32", 0), 6);
  cm_canister_free(c);
}

static void test_SM32_GROW_5_failure_is_minus_one_and_no_change(
    void **state) {
  (void)state;
  /* the profile's stable maximum of 16 pages makes growing fail early */
  cm_canister *c = canister32("max_stable_memory = 16 pages", "(memory 1)");
  expect_u64(update(c, "grow32", 1, 17ull), NEG1_32);
  expect_u64(update(c, "size32", 0), 0);
  expect_u64(update(c, "grow32", 1, 16ull), 0);
  expect_u64(update(c, "grow32", 1, 1ull), NEG1_32);
  expect_u64(update(c, "size32", 0), 16);
  cm_canister_free(c);
}

static void test_SM32_WRITE_1_writes_heap_bytes_to_stable(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x0102030405060708ull));
  expect_reply(update(c, "write32", 3, 65532ull, 100ull, 4ull));
  uint8_t b[4];
  assert_true(cm_canister_read_stable(c, 65532, b, 4));
  assert_int_equal(b[0], 8);
  assert_int_equal(b[3], 5);
  cm_canister_free(c);
}

static void test_SM32_WRITE_2_traps_above_4_GiB(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 65537ull), 0);
  expect_trap(update(c, "write32", 3, 0ull, 0ull, 1ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  cm_canister_free(c);
}

static void test_SM32_WRITE_3_bounds_without_wrap_around(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_reply(update(c, "write32", 3, 65535ull, 0ull, 1ull));
  expect_trap(update(c, "write32", 3, 65536ull, 0ull, 1ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "write32", 3, 0xffffffffull, 0ull, 10ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "write32", 3, 1ull, 0ull, 0xffffffffull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "write32", 3, 0ull, 65536ull, 1ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM32_WRITE_3_offsets_are_unsigned(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 65536ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x99ull));
  expect_reply(update(c, "write32", 3, 4294967286ull, 100ull, 10ull));
  expect_reply(update(c, "read32", 3, 200ull, 4294967286ull, 8ull));
  expect_u64(update(c, "load", 1, 200ull), 0x99);
  cm_canister_free(c);
}

static void test_SM32_WRITE_4_check_order(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  /* both ranges out of bounds: the heap is checked first */
  expect_trap(update(c, "write32", 3, 65536ull, 65536ull, 1ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_u64(update(c, "grow64", 1, 65536ull), 1);
  /* above 4 GiB the size check comes before both */
  expect_trap(update(c, "write32", 3, 0xffffffffull, 65536ull, 1ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  cm_canister_free(c);
  /* the replica's order, as a named reading */
  c = canister32("reading.stable_check_order = stable-first", "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_trap(update(c, "write32", 3, 65536ull, 65536ull, 1ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM32_READ_1_reads_stable_bytes_into_heap(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x1234ull));
  expect_reply(update(c, "write32", 3, 40ull, 100ull, 8ull));
  expect_reply(update(c, "read32", 3, 500ull, 40ull, 8ull));
  expect_u64(update(c, "load", 1, 500ull), 0x1234);
  cm_canister_free(c);
}

static void test_SM32_READ_2_traps_above_4_GiB(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 65537ull), 0);
  expect_trap(update(c, "read32", 3, 0ull, 0ull, 1ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  cm_canister_free(c);
}

static void test_SM32_READ_3_bounds_without_wrap_around(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_reply(update(c, "read32", 3, 0ull, 0ull, 65536ull));
  expect_trap(update(c, "read32", 3, 0ull, 1ull, 65536ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "read32", 3, 0ull, 1ull, 0xffffffffull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "read32", 3, 0xffffffffull, 0ull, 2ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM32_READ_4_stable_checked_before_heap(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow32", 1, 1ull), 0);
  expect_trap(update(c, "read32", 3, 65536ull, 65536ull, 1ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM32_4G_1_every_32_bit_call_traps_above_4_GiB(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 65537ull), 0);
  expect_trap(update(c, "size32", 0), CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  expect_trap(update(c, "grow32", 1, 0ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  expect_trap(update(c, "write32", 3, 0ull, 0ull, 0ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  expect_trap(update(c, "read32", 3, 0ull, 0ull, 1ull),
              CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  /* the 64-bit API is unaffected */
  expect_u64(update(c, "size64", 0), 65537);
  cm_canister_free(c);
}

static void test_SM32_FORMAL_BUG_1_prose_checks_stable_not_heap(
    void **state) {
  (void)state;
  /* The formal text tests the heap size, which a wasm32 heap can never
   * exceed: it would never trap. The model follows the prose. A small
   * 32-bit limit in the profile shows the same rule cheaply. */
  cm_canister *c = canister32("max_stable_memory_32 = 2 pages", "(memory 4)");
  expect_u64(update(c, "grow64", 1, 2ull), 0);
  expect_u64(update(c, "size32", 0), 2);
  expect_u64(update(c, "grow64", 1, 1ull), 2);
  expect_trap(update(c, "size32", 0), CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT);
  cm_canister_free(c);
}

/* ==== SM64-* ==== */

static void test_SM64_SIZE_1_size_in_pages_never_traps(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "size64", 0), 0);
  expect_u64(update(c, "grow64", 1, 70000ull), 0);
  expect_u64(update(c, "size64", 0), 70000);
  cm_canister_free(c);
}

static void test_SM64_GROW_1_grows_past_4_GiB(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_u64(update(c, "grow64", 1, 65536ull), 1);
  expect_u64(update(c, "grow64", 1, 1ull), 65537);
  expect_reply(update(c, "store", 2, 100ull, 0xfeedull));
  expect_reply(update(c, "write64", 3, 4294967296ull, 100ull, 8ull));
  expect_reply(update(c, "read64", 3, 300ull, 4294967296ull, 8ull));
  expect_u64(update(c, "load", 1, 300ull), 0xfeed);
  cm_canister_free(c);
}

static void test_SM64_GROW_2_past_profile_maximum_returns_minus_one(
    void **state) {
  (void)state;
  cm_canister *c = canister32("max_stable_memory = 8 pages", "(memory 1)");
  expect_u64(update(c, "grow64", 1, 9ull), NEG1);
  expect_u64(update(c, "grow64", 1, 8ull), 0);
  expect_u64(update(c, "grow64", 1, 1ull), NEG1);
  cm_canister_free(c);
  /* the current default: 500 GiB */
  c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 500ull * GIB / PAGE + 1), NEG1);
  expect_u64(update(c, "grow64", 1, 500ull * GIB / PAGE), 0);
  cm_canister_free(c);
}

static void test_SM64_GROW_3_argument_is_unsigned_without_wrap(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_u64(update(c, "grow64", 1, NEG1), NEG1);
  expect_u64(update(c, "grow64", 1, 1ull << 63), NEG1);
  expect_u64(update(c, "grow64", 1, 0ull), 1);
  cm_canister_free(c);
}

static void test_SM64_GROW_4_failure_leaves_memory_unchanged(void **state) {
  (void)state;
  cm_canister *c = canister32("max_stable_memory = 4 pages", "(memory 1)");
  expect_u64(update(c, "grow64", 1, 3ull), 0);
  expect_u64(update(c, "grow64", 1, 2ull), NEG1);
  expect_u64(update(c, "size64", 0), 3);
  cm_canister_free(c);
}

static void test_SM64_WRITE_1_writes_across_pages(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 2ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x1122334455667788ull));
  expect_reply(update(c, "write64", 3, PAGE - 4, 100ull, 8ull));
  uint8_t b[8];
  assert_true(cm_canister_read_stable(c, PAGE - 4, b, 8));
  assert_int_equal(b[0], 0x88);
  assert_int_equal(b[7], 0x11);
  cm_canister_free(c);
}

static void test_SM64_WRITE_2_bounds_without_wrap_around(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "write64", 3, 65532ull, 0ull, 4ull));
  expect_trap(update(c, "write64", 3, 65533ull, 0ull, 4ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "write64", 3, NEG1, 0ull, 2ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "write64", 3, 0ull, 65533ull, 4ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "write64", 3, 0ull, NEG1, 2ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM64_READ_1_reads_across_pages(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 2ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x0807060504030201ull));
  expect_reply(update(c, "write64", 3, PAGE - 3, 100ull, 8ull));
  expect_reply(update(c, "read64", 3, 200ull, PAGE - 3, 8ull));
  expect_u64(update(c, "load", 1, 200ull), 0x0807060504030201ull);
  cm_canister_free(c);
}

/* stable_read fills the heap in slices of 256 KiB (sysapi.c): a read of
 * 1 MiB at unaligned offsets puts every byte where it belongs, across the
 * slice and page boundaries (heap bytes 0..8 hold each argument). */
static void test_SM64_READ_1_large_read_in_slices(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 16)");
  expect_u64(update(c, "grow64", 1, 17ull), 0);
  static const uint64_t at[] = {16, 262132, 262144, 524285, 786440,
                                1048560};
  const uint64_t n = sizeof at / sizeof at[0];
  for (uint64_t i = 0; i < n; i++)
    expect_reply(update(c, "store", 2, at[i], 0x0102030405060708ull + i));
  /* heap [0, 1 MiB) to stable [3, ...), then back to heap [5, ...) */
  expect_reply(update(c, "write64", 3, 3ull, 0ull, 16 * PAGE));
  for (uint64_t i = 0; i < n; i++)
    expect_reply(update(c, "store", 2, at[i], 0ull));
  expect_reply(update(c, "read64", 3, 5ull, 3ull, 16 * PAGE - 8));
  for (uint64_t i = 0; i < n; i++)
    if (at[i] + 5 + 8 <= 16 * PAGE)
      expect_u64(update(c, "load", 1, at[i] + 5), 0x0102030405060708ull + i);
  cm_canister_free(c);
}

static void test_SM64_READ_2_bounds_and_order(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "read64", 3, 65532ull, 0ull, 4ull));
  expect_trap(update(c, "read64", 3, 65533ull, 0ull, 4ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "read64", 3, 0ull, NEG1, 2ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  /* both out of bounds: the stable range is checked first */
  expect_trap(update(c, "read64", 3, NEG1, NEG1, 2ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM64_W32_1_heap_addresses_are_not_truncated(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 0ull, 0x77ull));
  expect_trap(update(c, "read64", 3, 1ull << 32, 0ull, 1ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "write64", 3, 0ull, 1ull << 32, 1ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_SM64_FORMAL_BUG_1_read_goes_from_stable_to_heap(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0xaaull));
  expect_reply(update(c, "write64", 3, 1000ull, 100ull, 8ull));
  expect_reply(update(c, "read64", 3, 2000ull, 1000ull, 8ull));
  expect_u64(update(c, "load", 1, 2000ull), 0xaa);
  /* the source of the read is untouched */
  uint8_t b[8];
  assert_true(cm_canister_read_stable(c, 1000, b, 8));
  assert_int_equal(b[0], 0xaa);
  cm_canister_free(c);
}

static void test_SM64_HIST_1_stable64_is_a_profile_feature(void **state) {
  (void)state;
  cm_canister *c = new_canister("feature.stable64 = no");
  expect_refused(try_install(c, 0, "(memory 1)", ""),
                 CANMEM_CAT_MODULE_IMPORT);
  cm_canister_free(c);
}

/* ==== COPY-* ==== */

static void test_COPY_1_copy_a_slice_of_the_argument(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  /* the argument is (dst=100, offset=8, size=8): bytes 8..16 hold 8 */
  expect_reply(update(c, "copy_arg", 3, 100ull, 8ull, 8ull));
  expect_u64(update(c, "load", 1, 100ull), 8);
  cm_canister_free(c);
}

static void test_COPY_2_source_range_must_be_in_the_heap(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_reply(update(c, "append", 2, 65528ull, 8ull));
  expect_trap(update(c, "append", 2, 65529ull, 8ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_COPY_3_blob_bound_then_heap_bound(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_trap(update(c, "copy_arg", 3, 65536ull, 20ull, 8ull),
              CANMEM_CAT_CONTRACT_VIOLATION);
  expect_trap(update(c, "copy_arg", 3, 65530ull, 0ull, 8ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_COPY_4_sums_never_wrap(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_trap(update(c, "copy_arg", 3, 0xffffffffull, 0ull, 2ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "copy_arg", 3, 100ull, 0xffffffffull, 2ull),
              CANMEM_CAT_CONTRACT_VIOLATION);
  cm_canister_free(c);
  c = canister64(NULL, "(memory i64 1)");
  expect_trap(update(c, "copy_arg", 3, NEG1, 0ull, 2ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "copy_arg", 3, 100ull, NEG1, 2ull),
              CANMEM_CAT_CONTRACT_VIOLATION);
  cm_canister_free(c);
}

static void test_COPY_5_zero_length_at_and_past_the_end(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_reply(update(c, "copy_arg", 3, 65536ull, 24ull, 0ull));
  expect_trap(update(c, "copy_arg", 3, 65537ull, 0ull, 0ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  expect_trap(update(c, "copy_arg", 3, 0ull, 25ull, 0ull),
              CANMEM_CAT_CONTRACT_VIOLATION);
  expect_reply(update(c, "append", 2, 65536ull, 0ull));
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "write64", 3, PAGE, 0ull, 0ull));
  expect_reply(update(c, "read64", 3, 65536ull, PAGE, 0ull));
  expect_trap(update(c, "write64", 3, PAGE + 1, 0ull, 0ull),
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  expect_trap(update(c, "read64", 3, 65537ull, 0ull, 0ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static const char *const memoryless_body =
    "(func (export \"canister_update empty_reply\")\n"
    "  (call $msg_reply_data_append (i32.const 0) (i32.const 0))\n"
    "  (call $msg_reply))\n"
    "(func (export \"canister_update stable_zero\")\n"
    "  (drop (call $stable64_grow (i64.const 1)))\n"
    "  (call $stable64_write (i64.const 0) (i64.const 0) (i64.const 0))\n"
    "  (call $msg_reply))\n"
    "(func (export \"canister_update stable_one\")\n"
    "  (drop (call $stable64_grow (i64.const 1)))\n"
    "  (call $stable64_write (i64.const 0) (i64.const 0) (i64.const 1))\n"
    "  (call $msg_reply))\n";

static void test_COPY_6_no_memory_is_an_empty_heap(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "", memoryless_body);
  canmem_outcome o = update(c, "empty_reply", 0);
  expect_reply(o);
  assert_int_equal(o.payload_size, 0);
  expect_reply(update(c, "stable_zero", 0));
  expect_trap(update(c, "stable_one", 0), CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
  /* the older reading: any call naming a heap range traps */
  c = canister_with("reading.memoryless_heap = trap", 0, "", memoryless_body);
  expect_trap(update(c, "empty_reply", 0), CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_COPY_7_blob_checked_before_heap(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  /* both out of range: the blob's bound decides the category */
  expect_trap(update(c, "copy_arg", 3, 0xffffffffull, 0xffffffffull, 2ull),
              CANMEM_CAT_CONTRACT_VIOLATION);
  cm_canister_free(c);
}

/* ==== HEAP-* ==== */

static void test_HEAP_1_heap_and_globals_persist(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_reply(update(c, "store", 2, 1000ull, 5ull));
  expect_u64(update(c, "count", 0), 1);
  expect_u64(update(c, "count", 0), 2);
  expect_u64(update(c, "load", 1, 1000ull), 5);
  cm_canister_free(c);
}

static void test_HEAP_2_empty_canister_has_no_memories(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  assert_true(state_is_empty(c));
  assert_int_equal(cm_canister_heap_pages(c), 0);
  assert_int_equal(cm_canister_stable_pages(c), 0);
  expect_reject(update(c, "size64", 0), CANMEM_CAT_CANISTER_EMPTY);
  cm_canister_free(c);
}

static void test_HEAP_3_memory_grow_returns_minus_one_at_the_maximum(
    void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1 2)");
  expect_u64(update(c, "heap_grow", 1, 1ull), 1);
  expect_u64(update(c, "heap_grow", 1, 1ull), NEG1);
  expect_u64(update(c, "heap_size", 0), 2);
  cm_canister_free(c);
  c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "heap_grow", 1, 65536ull), NEG1); /* past 4 GiB */
  cm_canister_free(c);
  c = canister32("max_heap_wasm32 = 4 pages", "(memory 1)");
  expect_u64(update(c, "heap_grow", 1, 4ull), NEG1);
  expect_u64(update(c, "heap_grow", 1, 3ull), 1);
  expect_u64(update(c, "heap_grow", 1, 0ull), 4);
  cm_canister_free(c);
}

static void test_HEAP_4_wasm_memory_limit_traps_updates(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_reply(set_limit(c, 2 * PAGE));
  expect_u64(update(c, "heap_grow", 1, 1ull), 1);
  expect_trap(update(c, "heap_grow", 1, 1ull), CANMEM_CAT_WASM_MEMORY_LIMIT);
  assert_int_equal(cm_canister_heap_pages(c), 2);
  /* 0 means no limit */
  expect_reply(set_limit(c, 0));
  expect_u64(update(c, "heap_grow", 1, 1ull), 2);
  cm_canister_free(c);
}

static void test_HEAP_4_wasm_memory_limit_ignored_in_queries(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_reply(set_limit(c, PAGE));
  expect_u64(query(c, "qheap_grow", 1, 3ull), 1);
  expect_u64(call(c, CANMEM_CALL_REPLICATED_QUERY, "qheap_grow",
                  (uint64_t[]){3}, 1),
             1);
  assert_int_equal(cm_canister_heap_pages(c), 1);
  cm_canister_free(c);
}

static const char *const timer_grows_heap =
    "(func (export \"canister_update arm\")\n"
    "  (drop (call $global_timer_set (i64.const 1))) (call $reply_none))\n"
    "(func (export \"canister_global_timer\") (drop (memory.grow (i32.const 2))))\n"
    "(func (export \"canister_heartbeat\") (drop (memory.grow (i32.const 2))))\n"
    "(func (export \"canister_update noop\") (call $reply_none))\n";

static void test_HEAP_5_limit_checked_on_the_resulting_heap(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", timer_grows_heap);
  expect_reply(set_limit(c, 2 * PAGE));
  expect_no_reply(task(c, "canister_heartbeat")); /* not enforced there */
  assert_int_equal(cm_canister_heap_pages(c), 3);
  /* every later update fails: its resulting heap is over the limit */
  expect_trap(update(c, "noop", 0), CANMEM_CAT_WASM_MEMORY_LIMIT);
  cm_canister_free(c);
  /* the alternative reading fails only messages that grow the heap */
  c = canister_with("reading.wasm_memory_limit_check = growth-only", 0,
                    "(memory 1)", timer_grows_heap);
  expect_reply(set_limit(c, 2 * PAGE));
  expect_no_reply(task(c, "canister_heartbeat"));
  expect_reply(update(c, "noop", 0));
  cm_canister_free(c);
}

/* EDGE-WMLIMIT, the replica's reading: an update already over the limit
 * fails before it runs (so its own trap is never reached), while system
 * tasks still run. */
static void test_EDGE_WMLIMIT_update_fails_at_start(void **state) {
  (void)state;
  static const char *const funcs =
      "(func (export \"canister_heartbeat\") (drop (memory.grow (i32.const 2))))\n"
      "(func (export \"canister_update fail\") unreachable)\n";
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", funcs);
  expect_reply(set_limit(c, 2 * PAGE));
  expect_no_reply(task(c, "canister_heartbeat"));
  expect_trap(update(c, "fail", 0), CANMEM_CAT_UNREACHABLE); /* it ran */
  cm_canister_free(c);
  c = canister_with("reading.wasm_memory_limit_at_start = yes", 0,
                    "(memory 1)", funcs);
  expect_reply(set_limit(c, 2 * PAGE));
  expect_no_reply(task(c, "canister_heartbeat"));
  expect_trap(update(c, "fail", 0), CANMEM_CAT_WASM_MEMORY_LIMIT);
  expect_no_reply(task(c, "canister_heartbeat")); /* tasks are exempt */
  assert_int_equal(cm_canister_heap_pages(c), 5);
  /* within the limit again (0 = none) the update runs */
  expect_reply(set_limit(c, 0));
  expect_trap(update(c, "fail", 0), CANMEM_CAT_UNREACHABLE);
  cm_canister_free(c);
}

static void test_HEAP_6_limit_below_the_heap_is_refused(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 3)");
  expect_reject(set_limit(c, 2 * PAGE), CANMEM_CAT_INVALID_SETTINGS);
  assert_int_equal(state_wasm_memory_limit(c), 0);
  expect_reply(set_limit(c, 3 * PAGE));
  /* LIM-SET-1: 0..2^48 inclusive since 0.64.0 */
  expect_reject(set_limit(c, (1ull << 48) + 1), CANMEM_CAT_INVALID_SETTINGS);
  expect_reply(set_limit(c, 1ull << 48));
  cm_canister_free(c);
  /* before 0.64.0 (ic-2025) the limit stopped at 2^48 - 1 */
  c = canister_with("max_wasm_memory_limit = 281474976710655", 0,
                    "(memory 3)", "");
  expect_reject(set_limit(c, 1ull << 48), CANMEM_CAT_INVALID_SETTINGS);
  expect_reply(set_limit(c, (1ull << 48) - 1));
  cm_canister_free(c);
}

static void test_HEAP_7_no_memory_allocation_cap(void **state) {
  (void)state;
  /* memory_allocation is not modelled: growth is only bounded by the
   * declared maximum, the profile and wasm_memory_limit. */
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_u64(update(c, "heap_grow", 1, 20ull), 1);
  expect_u64(update(c, "grow64", 1, 1000ull), 0);
  cm_canister_free(c);
}

static void test_HEAP_8_grow_failure_modes(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1 3)");
  expect_reply(set_limit(c, 2 * PAGE));
  /* past the declared maximum: -1, no trap */
  expect_u64(update(c, "heap_grow", 1, 5ull), NEG1);
  /* past wasm_memory_limit in an update: the message fails */
  expect_trap(update(c, "heap_grow", 1, 2ull), CANMEM_CAT_WASM_MEMORY_LIMIT);
  assert_int_equal(cm_canister_heap_pages(c), 1);
  cm_canister_free(c);
}

static void test_HEAP_9_trap_discards_heap_changes(void **state) {
  (void)state;
  cm_canister *c = canister32(NULL, "(memory 1)");
  expect_reply(update(c, "store", 2, 100ull, 1ull));
  expect_trap(update(c, "store_trap", 2, 100ull, 2ull),
              CANMEM_CAT_UNREACHABLE);
  expect_u64(update(c, "load", 1, 100ull), 1);
  cm_canister_free(c);
}

static void test_HEAP_10_instantiation_applies_data_segments(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  char *wat = canister_wat(0, "(memory 1)",
                           "(data (i32.const 100) \"\\01\\02\")\n"
                           "(func (export \"canister_update load\")\n"
                           "  (call $reply (i64.load (i32.const 100))))\n"
                           "(func (export \"canister_update store\")\n"
                           "  (i64.store (i32.const 100) (i64.const 9))\n"
                           "  (call $reply_none))\n");
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, wat));
  expect_u64(update(c, "load", 0), 0x0201);
  expect_reply(update(c, "store", 0));
  expect_u64(update(c, "load", 0), 9);
  expect_reply(upgrade_wat(c, wat, 0, CANMEM_PERSISTENCE_ABSENT));
  expect_u64(update(c, "load", 0), 0x0201); /* fresh heap again */
  free(wat);
  /* a segment out of bounds fails the install */
  cm_canister *d = new_canister(NULL);
  expect_refused(try_install(d, 0, "(memory 1)",
                             "(data (i32.const 65535) \"\\01\\02\")"),
                 CANMEM_CAT_INSTANTIATION_FAILED);
  assert_true(state_is_empty(d));
  cm_canister_free(d);
  cm_canister_free(c);
}

/* ==== W64-* ==== */

static void test_W64_1_pointers_are_i64_in_wasm64(void **state) {
  (void)state;
  cm_canister *c = canister64(NULL, "(memory i64 1)");
  expect_u64(update(c, "arg_size", 1, 0ull), 8);
  expect_u64(update(c, "grow64", 1, 1ull), 0);
  expect_reply(update(c, "store", 2, 100ull, 0x64ull));
  expect_reply(update(c, "write64", 3, 8ull, 100ull, 8ull));
  expect_reply(update(c, "read64", 3, 200ull, 8ull, 8ull));
  expect_u64(update(c, "load", 1, 200ull), 0x64);
  expect_reply(update(c, "copy_arg", 3, 300ull, 8ull, 8ull));
  expect_u64(update(c, "load", 1, 300ull), 8);
  expect_trap(update(c, "copy_arg", 3, 1ull << 32, 0ull, 8ull),
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  cm_canister_free(c);
}

static void test_W64_2_stable64_has_fixed_i64_types(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(
      install_wat(c, CANMEM_MODE_INSTALL,
                  "(module (import \"ic0\" \"stable64_read\"\n"
                  "  (func (param i32 i32 i32))) (memory 1))"),
      CANMEM_CAT_MODULE_IMPORT_SIGNATURE);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (import \"ic0\" \"stable64_read\"\n"
                           "  (func (param i64 i64 i64))) (memory 1))"));
  cm_canister_free(c);
}

static void test_W64_3_callback_pointers_follow_I(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL,
                             "(module (import \"ic0\" \"call_on_cleanup\"\n"
                             "  (func (param i32 i32))) (memory i64 1))"),
                 CANMEM_CAT_MODULE_IMPORT_SIGNATURE);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL,
                           "(module (import \"ic0\" \"call_on_cleanup\"\n"
                           "  (func (param i64 i64))) (memory i64 1))"));
  cm_canister_free(c);
}

static void test_W64_4_32_bit_stable_api_not_in_wasm64(void **state) {
  (void)state;
  static const char *const names[] = {
      "(import \"ic0\" \"stable_size\" (func (result i32)))",
      "(import \"ic0\" \"stable_grow\" (func (param i32) (result i32)))",
      "(import \"ic0\" \"stable_write\" (func (param i32 i32 i32)))",
      "(import \"ic0\" \"stable_read\" (func (param i32 i32 i32)))",
      "(import \"ic0\" \"msg_cycles_available\" (func (result i64)))",
      "(import \"ic0\" \"msg_cycles_refunded\" (func (result i64)))",
      "(import \"ic0\" \"msg_cycles_accept\" (func (param i64) (result i64)))",
      "(import \"ic0\" \"canister_cycle_balance\" (func (result i64)))",
      "(import \"ic0\" \"call_cycles_add\" (func (param i64)))",
  };
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    cm_canister *c = new_canister(NULL);
    char wat[300];
    snprintf(wat, sizeof wat, "(module %s (memory i64 1))", names[i]);
    expect_refused(install_wat(c, CANMEM_MODE_INSTALL, wat),
                   CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY);
    /* the same import is fine in wasm32 and without memory (I = i32) */
    snprintf(wat, sizeof wat, "(module %s (memory 1))", names[i]);
    expect_reply(install_wat(c, CANMEM_MODE_INSTALL, wat));
    snprintf(wat, sizeof wat, "(module %s)", names[i]);
    expect_reply(install_wat(c, CANMEM_MODE_REINSTALL, wat));
    cm_canister_free(c);
  }
}

static void test_W64_5_wasm64_is_a_profile_feature(void **state) {
  (void)state;
  cm_canister *c = new_canister("feature.wasm64 = no");
  expect_refused(try_install(c, 1, "(memory i64 1)", ""),
                 CANMEM_CAT_MODULE_MEMORY);
  cm_canister_free(c);
}

static void test_W64_6_wasm64_heap_maximum_is_a_parameter(void **state) {
  (void)state;
  cm_canister *c = canister64("max_heap_wasm64 = 8 pages", "(memory i64 1)");
  expect_u64(update(c, "heap_grow", 1, 8ull), NEG1);
  expect_u64(update(c, "heap_grow", 1, 7ull), 1);
  cm_canister_free(c);
  c = new_canister("max_heap_wasm64 = 8 pages");
  expect_refused(try_install(c, 1, "(memory i64 9)", ""),
                 CANMEM_CAT_MODULE_MEMORY);
  cm_canister_free(c);
  /* the default is 6 GiB */
  c = canister64(NULL, "(memory i64 1)");
  expect_u64(update(c, "heap_grow", 1, 6 * GIB / PAGE), NEG1);
  cm_canister_free(c);
}

/* ==== MSG-* ==== */

static const char *const messaging =
    "(func (export \"canister_update arg_size\")\n"
    "  (call $reply (i64.extend_i32_u (call $msg_arg_data_size))))\n"
    "(func (export \"canister_update caller\")\n"
    "  (call $msg_caller_copy (i32.const 100) (i32.const 0)\n"
    "    (call $msg_caller_size))\n"
    "  (call $msg_reply_data_append (i32.const 100) (call $msg_caller_size))\n"
    "  (call $msg_reply))\n"
    "(func (export \"canister_heartbeat\")\n"
    "  (i64.store (i32.const 200) (i64.extend_i32_u (call $msg_caller_size))))\n"
    "(func (export \"canister_update heartbeat_caller_size\")\n"
    "  (call $reply (i64.load (i32.const 200))))\n"
    "(func (export \"canister_update reply_twice\")\n"
    "  (i64.store (i32.const 300) (i64.const 1))\n"
    "  (call $msg_reply) (call $msg_reply))\n"
    "(func (export \"canister_update reply_then_reject\")\n"
    "  (i64.store (i32.const 300) (i64.const 1))\n"
    "  (call $msg_reply) (call $msg_reject (i32.const 0) (i32.const 0)))\n"
    "(func (export \"canister_update append_after_reply\")\n"
    "  (call $msg_reply)\n"
    "  (call $msg_reply_data_append (i32.const 0) (i32.const 1)))\n"
    "(func (export \"canister_update reject\")\n"
    "  (i32.store (i32.const 400) (i32.const 0x65706f6e))\n" /* "nope" */
    "  (call $msg_reply_data_append (i32.const 400) (i32.const 4))\n"
    "  (call $msg_reject (i32.const 400) (i32.const 4)))\n"
    "(func (export \"canister_update reject_bad_utf8\")\n"
    "  (i32.store (i32.const 400) (i32.const 0xff))\n"
    "  (call $msg_reject (i32.const 400) (i32.const 1)))\n"
    "(func (export \"canister_update big_reply\")\n"
    "  (call $msg_reply_data_append (i32.const 0)\n"
    "    (i32.wrap_i64 (call $arg (i32.const 0))))\n"
    "  (call $msg_reply))\n"
    "(func (export \"canister_update no_reply\")\n"
    "  (i64.store (i32.const 300) (i64.const 5)))\n"
    "(func (export \"canister_update load300\")\n"
    "  (call $reply (i64.load (i32.const 300))))\n"
    "(func (export \"canister_update trap_oob\")\n"
    "  (call $trap (i32.const -1) (i32.const 100)))\n"
    "(func (export \"canister_update trap_text\")\n"
    "  (i32.store (i32.const 400) (i32.const 0x21656562))\n" /* "bee!" */
    "  (call $trap (i32.const 400) (i32.const 4)))\n"
    "(func (export \"canister_update debug_oob\")\n"
    "  (call $debug_print (i32.const -1) (i32.const 100))\n"
    "  (call $debug_print (i32.const 65535) (i32.const 2))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update deadline\")\n"
    "  (call $reply (call $msg_deadline)))\n"
    "(func (export \"canister_update certify\")\n"
    "  (call $certified_data_set (i32.const 0)\n"
    "    (i32.wrap_i64 (call $arg (i32.const 0))))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_update certify_trap\")\n"
    "  (call $certified_data_set (i32.const 0) (i32.const 8)) unreachable)\n"
    "(func (export \"canister_query qcertify\")\n"
    "  (call $certified_data_set (i32.const 0) (i32.const 1))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_inspect_message\")\n"
    "  (call $msg_method_name_copy (i32.const 500) (i32.const 0)\n"
    "    (call $msg_method_name_size))\n"
    /* accept unless the method's name starts with 'n'; twice for 't' */
    "  (if (i32.ne (i32.load8_u (i32.const 500)) (i32.const 110))\n"
    "    (then (call $accept_message)))\n"
    "  (if (i32.eq (i32.load8_u (i32.const 500)) (i32.const 116))\n"
    "    (then (call $accept_message))))\n";

static void test_MSG_ARG_1_argument_size_and_copy(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_u64(update(c, "arg_size", 0), 0);
  expect_u64(update(c, "arg_size", 3, 1ull, 2ull, 3ull), 24);
  cm_canister_free(c);
}

static void test_MSG_CALLER_1_caller_of_calls_and_tasks(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  canmem_outcome o = update(c, "caller", 0);
  expect_reply(o);
  uint64_t size;
  const uint8_t *user = cm_user_principal(&size);
  assert_int_equal(o.payload_size, size);
  assert_memory_equal(o.payload, user, size);
  /* in a system task the caller is the management canister: empty */
  expect_no_reply(task(c, "canister_heartbeat"));
  expect_u64(update(c, "heartbeat_caller_size", 0), 0);
  cm_canister_free(c);
}

static void test_MSG_REJ_1_reject_code_only_in_callbacks(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  expect_reply(install_wat(
      c, CANMEM_MODE_INSTALL,
      "(module (import \"ic0\" \"msg_reject_code\" (func $code (result i32)))\n"
      "  (import \"ic0\" \"msg_reject_msg_size\" (func $size (result i32)))\n"
      "  (func (export \"canister_update code\") (drop (call $code)))\n"
      "  (func (export \"canister_update size\") (drop (call $size))))"));
  expect_trap(update(c, "code", 0), CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  expect_trap(update(c, "size", 0), CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  cm_canister_free(c);
}

static void test_MSG_REPLY_APPEND_1_size_limit_and_state(void **state) {
  (void)state;
  cm_canister *c =
      canister_with("max_reply_size = 16", 0, "(memory 1)", messaging);
  canmem_outcome o = update(c, "big_reply", 1, 16ull);
  expect_reply(o);
  assert_int_equal(o.payload_size, 16);
  expect_trap(update(c, "big_reply", 1, 17ull), CANMEM_CAT_CONTRACT_VIOLATION);
  expect_trap(update(c, "append_after_reply", 0),
              CANMEM_CAT_CONTRACT_VIOLATION);
  cm_canister_free(c);
}

static void test_MSG_REPLY_1_second_reply_traps(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_trap(update(c, "reply_twice", 0), CANMEM_CAT_CONTRACT_VIOLATION);
  expect_u64(update(c, "load300", 0), 0); /* rolled back */
  cm_canister_free(c);
}

static void test_MSG_REJECT_1_reject_message_and_code(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  canmem_outcome o = update(c, "reject", 0);
  expect_reject(o, CANMEM_CAT_NONE);
  assert_int_equal(o.reject_code, CANMEM_REJECT_CANISTER_REJECT);
  assert_int_equal(o.payload_size, 4);
  assert_memory_equal(o.payload, "nope", 4);
  expect_trap(update(c, "reject_bad_utf8", 0), CANMEM_CAT_CONTRACT_VIOLATION);
  cm_canister_free(c);
}

static void test_MSG_RESP_2_responding_twice_fails_the_message(
    void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_trap(update(c, "reply_then_reject", 0),
              CANMEM_CAT_CONTRACT_VIOLATION);
  expect_u64(update(c, "load300", 0), 0);
  cm_canister_free(c);
}

static void test_MSG_RESP_3_no_reply_still_commits(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  canmem_outcome o = update(c, "no_reply", 0);
  expect_no_reply(o);
  assert_int_equal(o.reject_code, CANMEM_REJECT_CANISTER_ERROR);
  expect_u64(update(c, "load300", 0), 5);
  cm_canister_free(c);
}

static void test_MSG_TRAP_1_trap_always_traps(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_trap(update(c, "trap_oob", 0), CANMEM_CAT_EXPLICIT_TRAP);
  canmem_outcome o = update(c, "trap_text", 0);
  expect_trap(o, CANMEM_CAT_EXPLICIT_TRAP);
  assert_non_null(strstr(o.message, "bee!"));
  cm_canister_free(c);
}

static void test_MSG_DBG_1_debug_print_never_traps(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_reply(update(c, "debug_oob", 0));
  cm_canister_free(c);
  /* also from (start) */
  c = canister_with(NULL, 0, "(memory 1)",
                    "(func $s (call $debug_print (i32.const 0) (i32.const 1)))\n"
                    "(start $s)");
  cm_canister_free(c);
}

static void test_MSG_INSPECT_1_accept_message(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  canmem_outcome o;
  o = call(c, CANMEM_CALL_INSPECT_MESSAGE, "yes", NULL, 0);
  expect_reply(o);
  o = call(c, CANMEM_CALL_INSPECT_MESSAGE, "no", NULL, 0);
  expect_reject(o, CANMEM_CAT_MESSAGE_NOT_ACCEPTED);
  o = call(c, CANMEM_CALL_INSPECT_MESSAGE, "twice", NULL, 0);
  expect_trap(o, CANMEM_CAT_CONTRACT_VIOLATION);
  cm_canister_free(c);
}

static void test_MSG_DEADLINE_1_zero_for_ingress(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_u64(update(c, "deadline", 0), 0);
  cm_canister_free(c);
}

static void test_MSG_CERT_1_certified_data(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", messaging);
  expect_reply(update(c, "certify", 1, 32ull));
  assert_int_equal(state_certified_size(c), 32);
  expect_trap(update(c, "certify", 1, 33ull), CANMEM_CAT_CONTRACT_VIOLATION);
  expect_trap(update(c, "certify_trap", 0), CANMEM_CAT_UNREACHABLE);
  assert_int_equal(state_certified_size(c), 32);
  expect_trap(query(c, "qcertify", 0),
              CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  cm_canister_free(c);
}

/* ==== CTX-*: availability ==== */

static void test_CTX_1_call_from_a_forbidden_context_traps(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  /* msg_reply in canister_init */
  expect_refused(try_install(c, 0, "(memory 1)",
                             "(func (export \"canister_init\") (call $msg_reply))"),
                 CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  /* msg_caller_size in (start) (`*` excludes start) */
  expect_refused(
      try_install(c, 0, "(memory 1)",
                  "(func $s (drop (call $msg_caller_size))) (start $s)"),
      CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  /* accept_message outside inspect_message */
  cm_canister_free(c);
  c = canister_with(NULL, 0, "(memory 1)",
                    "(func (export \"canister_update accept\")\n"
                    "  (call $accept_message) (call $reply_none))\n"
                    "(func (export \"canister_update timer\")\n"
                    "  (call $reply (call $global_timer_set (i64.const 5))))\n"
                    "(func (export \"canister_query qtimer\")\n"
                    "  (call $reply (call $global_timer_set (i64.const 5))))\n"
                    "(func (export \"canister_query qcert\")\n"
                    "  (call $reply (i64.extend_i32_u (call $data_certificate_size))))\n"
                    "(func (export \"canister_update cert\")\n"
                    "  (call $reply (i64.extend_i32_u (call $data_certificate_size))))\n"
                    "(func (export \"canister_heartbeat\")\n"
                    "  (drop (call $msg_arg_data_size)))\n");
  expect_trap(update(c, "accept", 0), CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  expect_u64(update(c, "timer", 0), 0);
  expect_trap(query(c, "qtimer", 0), CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  expect_trap(update(c, "cert", 0), CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  expect_trap(query(c, "qcert", 0), CANMEM_CAT_CONTRACT_VIOLATION);
  expect_trap(task(c, "canister_heartbeat"),
              CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  cm_canister_free(c);
}

static void test_CTX_2_replicated_and_non_replicated(void **state) {
  (void)state;
  cm_canister *c = canister_with(
      NULL, 0, "(memory 1)",
      "(func (export \"canister_query mode\")\n"
      "  (call $reply (i64.extend_i32_u (call $in_replicated_execution))))\n"
      "(func (export \"canister_update umode\")\n"
      "  (call $reply (i64.extend_i32_u (call $in_replicated_execution))))\n");
  expect_u64(query(c, "mode", 0), 0);
  expect_u64(call(c, CANMEM_CALL_REPLICATED_QUERY, "mode", NULL, 0), 1);
  expect_u64(update(c, "mode", 0), 1); /* an update call to a query */
  expect_u64(update(c, "umode", 0), 1);
  expect_reject(query(c, "umode", 0), CANMEM_CAT_METHOD_NOT_FOUND);
  cm_canister_free(c);
}

/* A call whose reply and reject callbacks (table index 0) trap, with the
 * cleanup at index 1; the cleanup's env comes from the update's
 * argument. */
static const char *const trapping_callback =
    "(table 2 funcref)\n"
    "(elem (i32.const 0) $callback $cleanup)\n"
    "(func (export \"canister_update call\")\n"
    "  (call $call_new (i32.const 0) (i32.const 0) (i32.const 0)\n"
    "    (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)\n"
    "    (i32.const 0))\n"
    "  (call $call_on_cleanup (i32.const 1) (i32.wrap_i64 (call $arg (i32.const 0))))\n"
    "  (drop (call $call_perform))\n"
    "  (call $reply (i64.const 0)))\n"
    "(func $callback (param i32) (unreachable))\n"
    /* env 0: records msg_reject_code + 1 and ic0.time; env 1: also
     * replies, which C may not */
    "(func $cleanup (param $env i32)\n"
    "  (i64.store (i32.const 100)\n"
    "    (i64.add (i64.extend_i32_u (call $msg_reject_code)) (i64.const 1)))\n"
    "  (i64.store (i32.const 108) (call $time))\n"
    "  (if (local.get $env) (then (call $msg_reply))))\n";

static uint64_t heap_u64(cm_canister *c, uint64_t addr) {
  uint8_t b[8];
  assert_true(cm_canister_read_heap(c, addr, b, 8));
  uint64_t v = 0;
  for (int k = 7; k >= 0; k--)
    v = v << 8 | b[k];
  return v;
}

/* The first outstanding call's id. */
static uint64_t first_call(cm_canister *c) {
  canmem_outgoing_call calls[1];
  uint64_t count = 0;
  calls[0].struct_size = sizeof calls[0];
  assert_int_equal(cm_calls_list(c, calls, 1, &count), CANMEM_OK);
  assert_true(count >= 1);
  return calls[0].id;
}

static canmem_outcome reject_first(cm_canister *c, uint32_t code) {
  canmem_response r = {sizeof r, CANMEM_RESPONSE_REJECT, code, 0,
                       (const uint8_t *)"no", 2};
  canmem_outcome out;
  assert_int_equal(cm_calls_respond(c, first_call(c), &r, &out), CANMEM_OK);
  return out;
}

/* CQ may call in the spec, but the model has no query calls to other
 * canisters: a composite query's call traps as not modelled. */
static void test_CTX_1_composite_query_calls_not_modelled(void **state) {
  (void)state;
  cm_canister *c = canister_with(
      NULL, 0, "(memory 1)",
      "(func (export \"canister_composite_query cq\")\n"
      "  (call $call_new (i32.const 0) (i32.const 0) (i32.const 0)\n"
      "    (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)\n"
      "    (i32.const 0)))\n");
  expect_trap(call(c, CANMEM_CALL_QUERY, "cq", NULL, 0),
              CANMEM_CAT_NOT_MODELLED);
  cm_canister_free(c);
}

static void test_CTX_CLEANUP_cleanup_follows_the_table(void **state) {
  (void)state;
  cm_canister *c = canister_with(NULL, 0, "(memory 1)", trapping_callback);
  expect_u64(update(c, "call", 1, 0), 0);
  /* the callback traps; the cleanup sees the parent's reject code (since
   * 0.54.0) and may read the time (`*` includes C) */
  expect_trap(reject_first(c, CANMEM_REJECT_CANISTER_REJECT),
              CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 100), CANMEM_REJECT_CANISTER_REJECT + 1);
  assert_true(heap_u64(c, 108) != 0);
  /* responding is not available in C: the cleanup traps, nothing stays */
  expect_u64(update(c, "call", 1, 1), 0);
  expect_trap(reject_first(c, CANMEM_REJECT_SYS_TRANSIENT),
              CANMEM_CAT_UNREACHABLE);
  assert_int_equal(heap_u64(c, 100), CANMEM_REJECT_CANISTER_REJECT + 1);
  cm_canister_free(c);
}

/* ==== the modelled environment ==== */

static void test_TXN_12_time_is_constant_within_an_entry_point(
    void **state) {
  (void)state;
  cm_canister *c = canister_with(
      "time_start_ns = 1000\ntime_step_ns = 10", 0, "(memory 1)",
      "(func (export \"canister_update times\")\n"
      "  (local $t i64) (local.set $t (call $time))\n"
      "  (if (i64.ne (local.get $t) (call $time)) (then unreachable))\n"
      "  (call $reply (local.get $t)))\n");
  canmem_outcome a = update(c, "times", 0);
  uint64_t t1 = reply_u64(a, __FILE__, __LINE__);
  canmem_outcome b = update(c, "times", 0);
  uint64_t t2 = reply_u64(b, __FILE__, __LINE__);
  assert_int_equal(t1, 1000 + 10 * 1); /* the install was execution 0 */
  assert_int_equal(t2, t1 + 10);
  cm_canister_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_SM_1_stable_data_survives_upgrade),
      cmocka_unit_test(test_SM_2_stable_memory_starts_empty),
      cmocka_unit_test(test_SM_3_growth_is_in_pages_of_zeros),
      cmocka_unit_test(test_SM_4_both_apis_share_one_memory),
      cmocka_unit_test(test_SM_5_stable_memory_never_shrinks),
      cmocka_unit_test(test_SM_6_reinstall_and_uninstall_drop_stable_memory),
      cmocka_unit_test(test_SM_7_stable_api_callable_from_start),
      cmocka_unit_test(test_SM_8_deprecated_32_bit_api_still_works),
      cmocka_unit_test(test_SM_9_counts_pages_not_bytes),
      cmocka_unit_test(test_SM_9_range_straddling_pages),
      cmocka_unit_test(test_LIM_HEAP_ACCESS_written_pages),
      cmocka_unit_test(test_SM32_SIZE_1_size_in_pages),
      cmocka_unit_test(test_SM32_SIZE_2_traps_above_4_GiB_not_at),
      cmocka_unit_test(test_SM32_GROW_1_grows_by_zero_pages),
      cmocka_unit_test(test_SM32_GROW_2_traps_when_previous_size_above_4_GiB),
      cmocka_unit_test(test_SM32_GROW_3_new_size_past_4_GiB_returns_minus_one),
      cmocka_unit_test(test_SM32_GROW_4_returns_previous_size),
      cmocka_unit_test(test_SM32_GROW_5_failure_is_minus_one_and_no_change),
      cmocka_unit_test(test_SM32_WRITE_1_writes_heap_bytes_to_stable),
      cmocka_unit_test(test_SM32_WRITE_2_traps_above_4_GiB),
      cmocka_unit_test(test_SM32_WRITE_3_bounds_without_wrap_around),
      cmocka_unit_test(test_SM32_WRITE_3_offsets_are_unsigned),
      cmocka_unit_test(test_SM32_WRITE_4_check_order),
      cmocka_unit_test(test_SM32_READ_1_reads_stable_bytes_into_heap),
      cmocka_unit_test(test_SM32_READ_2_traps_above_4_GiB),
      cmocka_unit_test(test_SM32_READ_3_bounds_without_wrap_around),
      cmocka_unit_test(test_SM32_READ_4_stable_checked_before_heap),
      cmocka_unit_test(test_SM32_4G_1_every_32_bit_call_traps_above_4_GiB),
      cmocka_unit_test(test_SM32_FORMAL_BUG_1_prose_checks_stable_not_heap),
      cmocka_unit_test(test_SM64_SIZE_1_size_in_pages_never_traps),
      cmocka_unit_test(test_SM64_GROW_1_grows_past_4_GiB),
      cmocka_unit_test(test_SM64_GROW_2_past_profile_maximum_returns_minus_one),
      cmocka_unit_test(test_SM64_GROW_3_argument_is_unsigned_without_wrap),
      cmocka_unit_test(test_SM64_GROW_4_failure_leaves_memory_unchanged),
      cmocka_unit_test(test_SM64_WRITE_1_writes_across_pages),
      cmocka_unit_test(test_SM64_WRITE_2_bounds_without_wrap_around),
      cmocka_unit_test(test_SM64_READ_1_reads_across_pages),
      cmocka_unit_test(test_SM64_READ_1_large_read_in_slices),
      cmocka_unit_test(test_SM64_READ_2_bounds_and_order),
      cmocka_unit_test(test_SM64_W32_1_heap_addresses_are_not_truncated),
      cmocka_unit_test(test_SM64_FORMAL_BUG_1_read_goes_from_stable_to_heap),
      cmocka_unit_test(test_SM64_HIST_1_stable64_is_a_profile_feature),
      cmocka_unit_test(test_COPY_1_copy_a_slice_of_the_argument),
      cmocka_unit_test(test_COPY_2_source_range_must_be_in_the_heap),
      cmocka_unit_test(test_COPY_3_blob_bound_then_heap_bound),
      cmocka_unit_test(test_COPY_4_sums_never_wrap),
      cmocka_unit_test(test_COPY_5_zero_length_at_and_past_the_end),
      cmocka_unit_test(test_COPY_6_no_memory_is_an_empty_heap),
      cmocka_unit_test(test_COPY_7_blob_checked_before_heap),
      cmocka_unit_test(test_HEAP_1_heap_and_globals_persist),
      cmocka_unit_test(test_HEAP_2_empty_canister_has_no_memories),
      cmocka_unit_test(test_HEAP_3_memory_grow_returns_minus_one_at_the_maximum),
      cmocka_unit_test(test_HEAP_4_wasm_memory_limit_traps_updates),
      cmocka_unit_test(test_HEAP_4_wasm_memory_limit_ignored_in_queries),
      cmocka_unit_test(test_HEAP_5_limit_checked_on_the_resulting_heap),
      cmocka_unit_test(test_EDGE_WMLIMIT_update_fails_at_start),
      cmocka_unit_test(test_HEAP_6_limit_below_the_heap_is_refused),
      cmocka_unit_test(test_HEAP_7_no_memory_allocation_cap),
      cmocka_unit_test(test_HEAP_8_grow_failure_modes),
      cmocka_unit_test(test_HEAP_9_trap_discards_heap_changes),
      cmocka_unit_test(test_HEAP_10_instantiation_applies_data_segments),
      cmocka_unit_test(test_W64_1_pointers_are_i64_in_wasm64),
      cmocka_unit_test(test_W64_2_stable64_has_fixed_i64_types),
      cmocka_unit_test(test_W64_3_callback_pointers_follow_I),
      cmocka_unit_test(test_W64_4_32_bit_stable_api_not_in_wasm64),
      cmocka_unit_test(test_W64_5_wasm64_is_a_profile_feature),
      cmocka_unit_test(test_W64_6_wasm64_heap_maximum_is_a_parameter),
      cmocka_unit_test(test_MSG_ARG_1_argument_size_and_copy),
      cmocka_unit_test(test_MSG_CALLER_1_caller_of_calls_and_tasks),
      cmocka_unit_test(test_MSG_REJ_1_reject_code_only_in_callbacks),
      cmocka_unit_test(test_MSG_REPLY_APPEND_1_size_limit_and_state),
      cmocka_unit_test(test_MSG_REPLY_1_second_reply_traps),
      cmocka_unit_test(test_MSG_REJECT_1_reject_message_and_code),
      cmocka_unit_test(test_MSG_RESP_2_responding_twice_fails_the_message),
      cmocka_unit_test(test_MSG_RESP_3_no_reply_still_commits),
      cmocka_unit_test(test_MSG_TRAP_1_trap_always_traps),
      cmocka_unit_test(test_MSG_DBG_1_debug_print_never_traps),
      cmocka_unit_test(test_MSG_INSPECT_1_accept_message),
      cmocka_unit_test(test_MSG_DEADLINE_1_zero_for_ingress),
      cmocka_unit_test(test_MSG_CERT_1_certified_data),
      cmocka_unit_test(test_CTX_1_call_from_a_forbidden_context_traps),
      cmocka_unit_test(test_CTX_2_replicated_and_non_replicated),
      cmocka_unit_test(test_CTX_1_composite_query_calls_not_modelled),
      cmocka_unit_test(test_CTX_CLEANUP_cleanup_follows_the_table),
      cmocka_unit_test(test_TXN_12_time_is_constant_within_an_entry_point),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
