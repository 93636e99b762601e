/* Tests of the canister model's snapshots and canister log (snapshot.c,
 * log.c): loading another canister's snapshot in the model (SNAP-9, also
 * in vectors/snapshots/load-other-*), and what the vectors cannot reach:
 * the ABI checks of the reference adapter, sparse stable memory in
 * snapshots, v128 and float globals, and the log's trimming. Named after
 * rule IDs. */
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "snapshot.h"
#include "support.h"

static const char *const body =
    "(global $g (mut i64) (i64.const 1))\n"
    "(func (export \"canister_update set\")\n"
    "  (global.set $g (call $arg (i32.const 0)))\n"
    "  (call $reply_none))\n"
    "(func (export \"canister_query get\") (call $reply (global.get $g)))\n";

static void install_body(cm_canister *c, const char *memory,
                         const char *text) {
  char *wat = canister_wat(0, memory, text);
  expect_reply(install_wat(c, CANMEM_MODE_INSTALL, wat));
  free(wat);
}

static uint64_t take(cm_canister *c) {
  canmem_snapshot_take req = {sizeof req, 0, 0};
  canmem_outcome out;
  uint64_t id = 0;
  assert_int_equal(cm_snapshot_take(c, &req, &id, &out), CANMEM_OK);
  expect_reply(out);
  assert_true(id > 0);
  return id;
}

static void test_SNAP_9_load_from_another_canister(void **state) {
  (void)state;
  cm_canister *a = new_canister(NULL);
  cm_canister *b = new_canister(NULL);
  install_body(a, "(memory 1)", body);
  expect_reply(update(a, "set", 1, 42ull));
  uint64_t id = take(a);
  canmem_outcome out;
  /* the id is a's: b has no snapshot of that id */
  assert_int_equal(cm_snapshot_load(b, b, id, &out), CANMEM_OK);
  expect_reject(out, CANMEM_CAT_SNAPSHOT_NOT_FOUND);
  assert_true(state_is_empty(b));
  assert_int_equal(cm_snapshot_load(b, a, id, &out), CANMEM_OK);
  expect_reply(out);
  expect_u64(query(b, "get", 0), 42);
  assert_int_equal(state_version(b), 1);
  /* a is unchanged and keeps its snapshot; b got none */
  assert_int_equal(state_version(a), 2);
  uint64_t count = 0;
  cm_snapshot_list(b, NULL, 0, &count);
  assert_int_equal(count, 0);
  cm_snapshot_list(a, NULL, 0, &count);
  assert_int_equal(count, 1);
  cm_canister_free(a);
  cm_canister_free(b);
}

static void test_SNAP_4_load_from_another_canister_needs_0_50(void **state) {
  (void)state;
  const char *old = "feature.snapshot_load_other = no\n";
  cm_canister *a = new_canister(old);
  cm_canister *b = new_canister(old);
  install_body(a, "(memory 1)", body);
  uint64_t id = take(a);
  canmem_outcome out;
  assert_int_equal(cm_snapshot_load(b, a, id, &out), CANMEM_OK);
  expect_reject(out, CANMEM_CAT_UNSUPPORTED);
  assert_int_equal(cm_snapshot_load(a, a, id, &out), CANMEM_OK);
  expect_reply(out); /* its own canister's: since 0.28.0 */
  cm_canister_free(a);
  cm_canister_free(b);
}

static void test_SNAP_4_download_and_upload_need_0_47(void **state) {
  (void)state;
  cm_canister *c = new_canister("feature.snapshot_data = no\n");
  install_body(c, "(memory 1)", body);
  uint64_t id = take(c), created = 0;
  canmem_outcome out;
  canmem_snapshot_metadata m;
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  assert_int_equal(cm_snapshot_read_metadata(c, id, &m, &out), CANMEM_OK);
  expect_reject(out, CANMEM_CAT_UNSUPPORTED);
  uint8_t byte;
  assert_int_equal(cm_snapshot_read_data(c, id, CANMEM_SNAPSHOT_DATA_HEAP, 0,
                                         &byte, 1, &out),
                   CANMEM_OK);
  expect_reject(out, CANMEM_CAT_UNSUPPORTED);
  assert_int_equal(cm_snapshot_upload_metadata(c, &m, 0, &created, &out),
                   CANMEM_OK);
  expect_reject(out, CANMEM_CAT_UNSUPPORTED);
  assert_int_equal(created, 0);
  cm_canister_free(c);
}

/* Snapshots cost the pages that hold data, like the stable memory they
 * copy: 100 GiB of stable memory with one page written. */
static void test_SNAP_1_sparse_stable_memory(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  install_body(c, "(memory 1)",
               "(func (export \"canister_update grow\")\n"
               "  (drop (call $stable64_grow (i64.const 1638400)))\n"
               "  (i64.store (i32.const 100) (i64.const 77))\n"
               "  (call $stable64_write (i64.const 107374182392)\n"
               "    (i64.const 100) (i64.const 8))\n"
               "  (call $reply_none))\n");
  expect_reply(update(c, "grow", 0));
  uint64_t id = take(c);
  canmem_outcome out;
  uint8_t got[8];
  assert_int_equal(cm_snapshot_read_data(c, id, CANMEM_SNAPSHOT_DATA_STABLE,
                                         100 * GIB - 8, got, 8, &out),
                   CANMEM_OK);
  expect_reply(out);
  assert_int_equal(got[0], 77);
  assert_int_equal(cm_snapshot_load(c, c, id, &out), CANMEM_OK);
  expect_reply(out);
  assert_int_equal(cm_canister_stable_pages(c), 1638400);
  cm_canister_stats stats;
  cm_canister_last_stats(c, &stats);
  assert_true(stats.stable_pages_resident <= 2);
  cm_canister_free(c);
}

/* Globals of every numeric type round-trip through metadata upload; a
 * private constant is not in the snapshot. */
static void test_SNAP_2_globals_of_every_type(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  install_body(c, "(memory 1)",
               "(global $private i32 (i32.const 5))\n"
               "(global $f (mut f32) (f32.const 1.5))\n"
               "(global $d (mut f64) (f64.const 2.5))\n"
               "(global $v (mut v128) (v128.const i64x2 3 4))\n"
               "(func (export \"canister_query get\")\n"
               "  (call $reply (i64.add (i64.trunc_f64_s (global.get $d))\n"
               "    (i64x2.extract_lane 1 (global.get $v)))))\n");
  uint64_t id = take(c), created = 0;
  canmem_outcome out;
  canmem_snapshot_metadata m;
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  assert_int_equal(cm_snapshot_read_metadata(c, id, &m, &out), CANMEM_OK);
  assert_int_equal(m.globals_count, 3);
  assert_int_equal(m.globals[0].type, CANMEM_GLOBAL_F32);
  assert_int_equal(m.globals[1].type, CANMEM_GLOBAL_F64);
  assert_int_equal(m.globals[2].type, CANMEM_GLOBAL_V128);
  assert_int_equal(m.globals[2].bits_hi, 4);
  canmem_global g[3];
  memcpy(g, m.globals, sizeof g);
  g[1].bits = 0x4024000000000000ull; /* 10.0 */
  g[2].bits_hi = 20;
  canmem_snapshot_metadata up = m;
  up.source = CANMEM_SNAPSHOT_SOURCE_UPLOADED;
  up.globals = g;
  up.hook_status = 0;
  up.global_timer_active = CANMEM_SNAPSHOT_TIMER_ABSENT;
  uint8_t module[4096];
  assert_true(m.wasm_module_size <= sizeof module);
  assert_int_equal(cm_snapshot_read_data(c, id, CANMEM_SNAPSHOT_DATA_MODULE, 0,
                                         module, m.wasm_module_size, &out),
                   CANMEM_OK);
  assert_int_equal(cm_snapshot_upload_metadata(c, &up, id, &created, &out),
                   CANMEM_OK);
  expect_reply(out);
  assert_int_equal(cm_snapshot_upload_data(c, created,
                                           CANMEM_SNAPSHOT_DATA_MODULE, 0,
                                           module, up.wasm_module_size, &out),
                   CANMEM_OK);
  expect_reply(out);
  /* replaced: the taken one is gone */
  assert_int_equal(cm_snapshot_delete(c, id, &out), CANMEM_OK);
  expect_reject(out, CANMEM_CAT_SNAPSHOT_NOT_FOUND);
  assert_int_equal(cm_snapshot_load(c, c, created, &out), CANMEM_OK);
  expect_reply(out);
  expect_u64(query(c, "get", 0), 30);
  cm_canister_free(c);
}

/* The reference adapter refuses malformed requests as ABI errors. */
static void test_SNAP_1_adapter_checks_requests(void **state) {
  (void)state;
  const canmem_adapter *t = cm_ref_adapter();
  assert_true(t->capabilities & CANMEM_CAP_SNAPSHOTS);
  assert_true(t->capabilities & CANMEM_CAP_LOGS);
  canmem_profile p;
  cm_profile_defaults(&p);
  p.struct_size = sizeof p;
  char err[200];
  canmem_canister *c = t->create(&p, err, sizeof err);
  assert_non_null(c);
  canmem_outcome out;
  uint64_t id, count;
  canmem_snapshot_take bad_take = {sizeof bad_take, 1u << 5, 0};
  assert_int_equal(t->take_snapshot(c, &bad_take, &id, &out),
                   CANMEM_ERR_ARGUMENT);
  uint8_t byte = 0;
  assert_int_equal(t->read_snapshot_data(c, 1, 9, 0, &byte, 1, &out),
                   CANMEM_ERR_ARGUMENT);
  assert_int_equal(t->upload_snapshot_data(c, 1, 0, 0, &byte, 1, &out),
                   CANMEM_ERR_ARGUMENT);
  canmem_snapshot_metadata m;
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  m.global_timer_active = 7;
  assert_int_equal(t->upload_snapshot_metadata(c, &m, 0, &id, &out),
                   CANMEM_ERR_ARGUMENT);
  canmem_global g = {9, 0, 0, 0};
  m.global_timer_active = CANMEM_SNAPSHOT_TIMER_ABSENT;
  m.globals = &g;
  m.globals_count = 1;
  assert_int_equal(t->upload_snapshot_metadata(c, &m, 0, &id, &out),
                   CANMEM_ERR_ARGUMENT);
  m.struct_size = 8;
  assert_int_equal(t->read_snapshot_metadata(c, 1, &m, &out),
                   CANMEM_ERR_ARGUMENT);
  canmem_snapshot_info info = {0};
  assert_int_equal(t->list_snapshots(c, &info, 1, &count),
                   CANMEM_ERR_ARGUMENT);
  canmem_log_record rec = {0};
  assert_int_equal(t->canister_logs(c, &rec, 1, &count), CANMEM_ERR_ARGUMENT);
  /* well-formed: an empty canister has no snapshot and no log */
  info.struct_size = sizeof info;
  assert_int_equal(t->list_snapshots(c, &info, 1, &count), CANMEM_OK);
  assert_int_equal(count, 0);
  rec.struct_size = sizeof rec;
  assert_int_equal(t->canister_logs(c, &rec, 1, &count), CANMEM_OK);
  assert_int_equal(count, 0);
  assert_int_equal(t->load_snapshot(c, NULL, 1, &out), CANMEM_OK);
  assert_int_equal(out.category, CANMEM_CAT_SNAPSHOT_NOT_FOUND);
  t->destroy(c);
}

/* SNAP-1, SNAP-3: a snapshot records the clock and the canister version
 * when it is made: list and metadata agree for a taken one, and an
 * uploaded one gets the canister's at the upload (the spec does not say;
 * the model's choice). Vectors cannot check times (they do not know the
 * clock of a run that an allocation failure repeated). */
static void test_SNAP_1_times_and_versions(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  install_body(c, "(memory 1)", body);
  expect_reply(update(c, "set", 1, 7ull));
  uint64_t now = cm_canister_now(c), version = state_version(c);
  assert_true(now > 0);
  uint64_t id = take(c);
  canmem_snapshot_info info[2];
  uint64_t count = 0;
  cm_snapshot_list(c, info, 2, &count);
  assert_int_equal(count, 1);
  assert_int_equal(info[0].id, id);
  assert_int_equal(info[0].taken_at_ns, now);
  canmem_outcome out;
  canmem_snapshot_metadata m;
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  assert_int_equal(cm_snapshot_read_metadata(c, id, &m, &out), CANMEM_OK);
  expect_reply(out);
  assert_int_equal(m.taken_at_ns, now);
  assert_int_equal(m.canister_version, version);
  /* an update moves the clock and the version; then an upload */
  expect_reply(update(c, "set", 1, 8ull));
  now = cm_canister_now(c);
  version = state_version(c);
  canmem_snapshot_metadata up;
  memset(&up, 0, sizeof up);
  up.struct_size = sizeof up;
  up.global_timer_active = CANMEM_SNAPSHOT_TIMER_ABSENT;
  uint64_t created = 0;
  assert_int_equal(cm_snapshot_upload_metadata(c, &up, 0, &created, &out),
                   CANMEM_OK);
  expect_reply(out);
  memset(&m, 0, sizeof m);
  m.struct_size = sizeof m;
  assert_int_equal(cm_snapshot_read_metadata(c, created, &m, &out),
                   CANMEM_OK);
  expect_reply(out);
  assert_int_equal(m.source, CANMEM_SNAPSHOT_SOURCE_UPLOADED);
  assert_int_equal(m.taken_at_ns, now);
  assert_int_equal(m.canister_version, version);
  cm_snapshot_list(c, info, 2, &count);
  assert_int_equal(count, 2);
  assert_int_equal(info[1].taken_at_ns, now);
  cm_canister_free(c);
}

/* LOG-1: records carry the time of the execution that logged them and
 * indexes that grow; queries log nothing; a failed install's trap message
 * stays (EDGE-LOGS-ON-TRAP, the prose), a successful one restarts the log
 * (LOG-3). */
static void test_LOG_1_time_index_and_failed_install(void **state) {
  (void)state;
  cm_canister *c = new_canister(NULL);
  char *bad = canister_wat(0, "(memory 1)",
                           "(func (export \"canister_init\")\n"
                           "  (call $debug_print (i32.const 100) (i32.const 3))\n"
                           "  unreachable)\n");
  expect_refused(install_wat(c, CANMEM_MODE_INSTALL, bad),
                 CANMEM_CAT_UNREACHABLE);
  free(bad);
  canmem_log_record r[4];
  uint64_t count = 0;
  cm_canister_logs(c, r, 4, &count);
  assert_int_equal(count, 2); /* the line and the trap message */
  install_body(c, "(memory 1)",
               "(func (export \"canister_update print\")\n"
               "  (call $debug_print (i32.const 100) (i32.const 2))\n"
               "  (call $reply_none))\n"
               "(func (export \"canister_query quiet\")\n"
               "  (call $debug_print (i32.const 100) (i32.const 2))\n"
               "  (call $reply_none))\n");
  cm_canister_logs(c, r, 4, &count);
  assert_int_equal(count, 0); /* install restarts the log */
  expect_reply(update(c, "print", 0));
  expect_reply(query(c, "quiet", 0));
  expect_reply(update(c, "print", 0));
  cm_canister_logs(c, r, 4, &count);
  assert_int_equal(count, 2);
  assert_int_equal(r[0].idx, 2);
  assert_int_equal(r[1].idx, 3);
  /* install 1st and 2nd execution, updates 3rd and 5th (the query 4th) */
  canmem_profile p;
  cm_profile_defaults(&p);
  assert_int_equal(r[0].timestamp_ns, p.time_start_ns + 2 * p.time_step_ns);
  assert_int_equal(r[1].timestamp_ns, p.time_start_ns + 4 * p.time_step_ns);
  cm_canister_free(c);
}

/* LOG-2: a record larger than the whole log leaves the log empty; records
 * keep their indexes. */
static void test_LOG_2_trimming(void **state) {
  (void)state;
  cm_log log;
  memset(&log, 0, sizeof log);
  uint8_t big[100];
  memset(big, 'x', sizeof big);
  assert_true(cm_log_append(&log, big, 40, 1, 100));
  assert_true(cm_log_append(&log, big, 40, 2, 100));
  assert_int_equal(log.count, 2);
  assert_true(cm_log_append(&log, big, 40, 3, 100));
  assert_int_equal(log.count, 2);
  assert_int_equal(log.records[0].idx, 1);
  assert_int_equal(log.bytes, 80);
  assert_true(cm_log_append(&log, big, 100, 4, 99));
  assert_int_equal(log.count, 0);
  assert_int_equal(log.bytes, 0);
  assert_int_equal(log.next_idx, 4);
  /* a move trims the same way */
  cm_log pending;
  memset(&pending, 0, sizeof pending);
  assert_true(cm_log_append(&pending, big, 60, 5, 0));
  assert_true(cm_log_append(&pending, big, 60, 6, 0));
  assert_true(cm_log_move(&log, &pending, 100));
  assert_int_equal(log.count, 1);
  assert_int_equal(log.records[0].idx, 5);
  assert_int_equal(log.records[0].time, 6);
  assert_int_equal(pending.count, 0);
  cm_log_free(&pending);
  cm_log_free(&log);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_SNAP_9_load_from_another_canister),
      cmocka_unit_test(test_SNAP_4_load_from_another_canister_needs_0_50),
      cmocka_unit_test(test_SNAP_4_download_and_upload_need_0_47),
      cmocka_unit_test(test_SNAP_1_sparse_stable_memory),
      cmocka_unit_test(test_SNAP_2_globals_of_every_type),
      cmocka_unit_test(test_SNAP_1_adapter_checks_requests),
      cmocka_unit_test(test_SNAP_1_times_and_versions),
      cmocka_unit_test(test_LOG_1_time_index_and_failed_install),
      cmocka_unit_test(test_LOG_2_trimming),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
