/* Drives the wasm2c adapter through the ABI only (dlopen + the exported
 * table), the way the runner drives any runtime, on hand-written wat
 * canisters. Exit 77 (skip) when wat2wasm, wasm2c or a C compiler is
 * missing. Usage: test_wasm2c_adapter [ADAPTER.so] */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "canmem_adapter.h"

static const canmem_adapter *A;
static int failures, checks;

#define CHECK(cond, ...)                                                      \
  do {                                                                        \
    checks++;                                                                 \
    if (!(cond)) {                                                            \
      failures++;                                                             \
      fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                    \
      fprintf(stderr, __VA_ARGS__);                                           \
      fputc('\n', stderr);                                                    \
    }                                                                         \
  } while (0)

static const char *wat2wasm_tool(void) {
  const char *v = getenv("WAT2WASM");
  return v && *v ? v : "wat2wasm";
}

/* wat text -> wasm bytes through wat2wasm */
static unsigned char *compile_wat(const char *wat, size_t *size) {
  char dir[] = "/tmp/cmw-test-XXXXXX";
  if (!mkdtemp(dir))
    return NULL;
  char in[64], out[64], cmd[512];
  snprintf(in, sizeof in, "%s/m.wat", dir);
  snprintf(out, sizeof out, "%s/m.wasm", dir);
  FILE *f = fopen(in, "w");
  if (!f)
    return NULL;
  fputs(wat, f);
  fclose(f);
  snprintf(cmd, sizeof cmd, "'%s' --enable-all '%s' -o '%s'",
           wat2wasm_tool(), in, out);
  unsigned char *data = NULL;
  if (system(cmd) == 0 && (f = fopen(out, "rb"))) {
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    data = malloc((size_t)n + 1);
    if (data && fread(data, 1, (size_t)n, f) == (size_t)n)
      *size = (size_t)n;
    fclose(f);
  }
  unlink(in);
  unlink(out);
  rmdir(dir);
  return data;
}

/* Appends an empty custom section (names shorter than 128 bytes). */
static unsigned char *append_custom(unsigned char *wasm, size_t *size,
                                    const char *name) {
  size_t n = strlen(name);
  unsigned char *grown = realloc(wasm, *size + n + 3);
  if (!grown) {
    free(wasm);
    return NULL;
  }
  grown[*size] = 0;
  grown[*size + 1] = (unsigned char)(n + 1);
  grown[*size + 2] = (unsigned char)n;
  memcpy(grown + *size + 3, name, n);
  *size += n + 3;
  return grown;
}

static canmem_profile small_profile(void) {
  canmem_profile p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  snprintf(p.name, sizeof p.name, "test-small");
  p.features =
      CANMEM_FEATURE_STABLE64 | CANMEM_FEATURE_WASM_MEMORY_LIMIT |
      CANMEM_FEATURE_LOW_MEMORY_HOOK | CANMEM_FEATURE_SKIP_PRE_UPGRADE |
      CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE | CANMEM_FEATURE_STABLE_IN_START |
      CANMEM_FEATURE_GZIP | CANMEM_FEATURE_ANY_MEMORY_IMPORT |
      CANMEM_FEATURE_SNAPSHOTS | CANMEM_FEATURE_SNAPSHOT_DATA |
      CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER | CANMEM_FEATURE_SNAPSHOT_UNINSTALL;
  p.max_snapshots = 10;
  p.max_log_bytes = 4096;
  p.max_stable_bytes = 64 * 65536ull;
  p.max_stable32_bytes = 16 * 65536ull;
  p.max_heap32_bytes = 32 * 65536ull;
  p.max_heap64_bytes = 48 * 65536ull;
  p.max_wasm_memory_limit = (1ull << 48) - 1;
  p.max_reply_bytes = 65536;
  p.max_query_reply_bytes = 98304;
  p.max_certified_data_bytes = 32;
  p.max_module_bytes = 1 << 20;
  p.max_functions = 50000;
  p.max_globals = 1000;
  p.max_exported_methods = 1000;
  p.max_method_name_bytes = 20000;
  p.max_icp_sections = 16;
  p.max_icp_section_bytes = 1 << 20;
  p.time_start_ns = 1700000000000000000ull;
  p.time_step_ns = 1000000000ull;
  p.cycle_balance = 100000000000000ull;
  return p;
}

static canmem_canister *new_canister(void) {
  canmem_profile p = small_profile();
  char error[256];
  canmem_canister *c = A->create(&p, error, sizeof error);
  CHECK(c != NULL, "create: %s", error);
  return c;
}

static int32_t install_mode(canmem_canister *c, uint32_t mode, const char *wat,
                            canmem_outcome *out, uint32_t persistence,
                            uint32_t skip) {
  size_t size = 0;
  unsigned char *wasm = compile_wat(wat, &size);
  CHECK(wasm != NULL, "wat2wasm failed");
  if (!wasm)
    return -1;
  canmem_install req;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.mode = mode;
  req.wasm = wasm;
  req.wasm_size = size;
  req.wasm_memory_persistence = persistence;
  req.skip_pre_upgrade = skip;
  int32_t rc = A->install_code(c, &req, out);
  free(wasm);
  return rc;
}

static void expect(const canmem_outcome *o, uint32_t kind, uint32_t category,
                   const char *what) {
  CHECK(o->kind == kind && o->category == category,
        "%s: got %s/%s (%s), want %s/%s", what,
        canmem_outcome_kind_name(o->kind), canmem_category_name(o->category),
        o->message, canmem_outcome_kind_name(kind),
        canmem_category_name(category));
}

static canmem_outcome do_call(canmem_canister *c, uint32_t kind,
                              const char *method) {
  canmem_outcome o;
  memset(&o, 0, sizeof o);
  int32_t rc = A->call(c, kind, method, NULL, 0, &o);
  CHECK(rc == CANMEM_OK, "call %s: rc %d (%s)", method, rc, o.message);
  return o;
}

static uint32_t reply_u32(const canmem_outcome *o) {
  uint32_t v = 0;
  if (o->payload_size == 4)
    memcpy(&v, o->payload, 4);
  return v;
}

/* A counter kept in a global, in the heap and in stable memory at once,
 * with methods that trap after changing all three. */
static const char *counter_wat =
    "(module\n"
    " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))\n"
    " (import \"ic0\" \"msg_reply\" (func $reply))\n"
    " (import \"ic0\" \"trap\" (func $trap (param i32 i32)))\n"
    " (import \"ic0\" \"stable64_grow\" (func $sgrow (param i64) (result i64)))\n"
    " (import \"ic0\" \"stable64_write\" (func $swrite (param i64 i64 i64)))\n"
    " (import \"ic0\" \"stable64_read\" (func $sread (param i64 i64 i64)))\n"
    " (import \"ic0\" \"stable64_size\" (func $ssize (result i64)))\n"
    " (memory 1)\n"
    " (global $g (mut i32) (i32.const 0))\n"
    " (data (i32.const 100) \"boom\")\n"
    " (func $bump\n"
    "  (global.set $g (i32.add (global.get $g) (i32.const 1)))\n"
    "  (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))\n"
    "  (if (i64.eqz (call $ssize)) (then (drop (call $sgrow (i64.const 1)))))\n"
    "  (call $swrite (i64.const 0) (i64.const 0) (i64.const 4)))\n"
    " (func $reply_u32 (param i32)\n"
    "  (i32.store (i32.const 8) (local.get 0))\n"
    "  (call $append (i32.const 8) (i32.const 4)) (call $reply))\n"
    " (func (export \"canister_update inc\") (call $bump) (call $reply_u32 (global.get $g)))\n"
    " (func (export \"canister_update inc_trap\") (call $bump) (call $trap (i32.const 100) (i32.const 4)))\n"
    " (func (export \"canister_update inc_unreachable\") (call $bump) unreachable)\n"
    " (func (export \"canister_update inc_grow\") (call $bump) (drop (memory.grow (i32.const 2))) (call $reply_u32 (memory.size)))\n"
    " (func (export \"canister_update stable_oob\") (call $bump) (call $sread (i64.const 0) (i64.const 65535) (i64.const 2)))\n"
    " (func (export \"canister_update div0\") (call $bump) (drop (i32.div_u (i32.const 1) (global.get $h0))))\n"
    " (global $h0 (mut i32) (i32.const 0))\n"
    " (func (export \"canister_update reply_twice\") (call $reply) (call $reply))\n"
    " (func (export \"canister_update recurse\") (call $rec))\n"
    " (func $rec (call $rec))\n"
    " (func (export \"canister_query bump_query\") (call $bump) (call $reply_u32 (global.get $g)))\n"
    " (func (export \"canister_query get\") (call $reply_u32 (global.get $g)))\n"
    " (func (export \"canister_query get_heap\") (call $reply_u32 (i32.load (i32.const 0))))\n"
    " (func (export \"canister_query get_stable\")\n"
    "  (call $sread (i64.const 16) (i64.const 0) (i64.const 4))\n"
    "  (call $reply_u32 (i32.load (i32.const 16))))\n"
    " (func (export \"canister_query size\") (call $reply_u32 (memory.size)))\n"
    " (func (export \"canister_pre_upgrade\") (global.set $g (i32.const 99)))\n"
    ")\n";

static void test_counter_and_rollback(void) {
  canmem_canister *c = new_canister();
  if (!c)
    return;
  canmem_outcome o;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  CHECK(install_mode(c, CANMEM_MODE_INSTALL, counter_wat, &o, 0, 0) ==
            CANMEM_OK,
        "install rc: %s", o.message);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  fprintf(stderr, "install (translate+compile or cache hit): %.2f s\n",
          (double)(t1.tv_sec - t0.tv_sec) +
              (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "install");
  o = do_call(c, CANMEM_CALL_UPDATE, "inc");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "inc");
  CHECK(reply_u32(&o) == 1, "inc replied %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_UPDATE, "inc");
  CHECK(reply_u32(&o) == 2, "inc replied %u", reply_u32(&o));

  static const struct {
    const char *method;
    uint32_t category;
  } traps[] = {
      {"inc_trap", CANMEM_CAT_EXPLICIT_TRAP},
      {"inc_unreachable", CANMEM_CAT_UNREACHABLE},
      {"stable_oob", CANMEM_CAT_STABLE_OUT_OF_BOUNDS},
      {"div0", CANMEM_CAT_INTEGER_DIVIDE_BY_ZERO},
      {"reply_twice", CANMEM_CAT_CONTRACT_VIOLATION},
      {"recurse", CANMEM_CAT_STACK_EXHAUSTED},
  };
  for (size_t i = 0; i < sizeof traps / sizeof traps[0]; i++) {
    o = do_call(c, CANMEM_CALL_UPDATE, traps[i].method);
    expect(&o, CANMEM_OUTCOME_TRAP, traps[i].category, traps[i].method);
    CHECK(o.reject_code == CANMEM_REJECT_CANISTER_ERROR, "reject code %u",
          o.reject_code);
  }
  /* queries never commit, even a replicated one */
  o = do_call(c, CANMEM_CALL_QUERY, "bump_query");
  CHECK(reply_u32(&o) == 3, "bump_query saw %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_REPLICATED_QUERY, "bump_query");
  CHECK(reply_u32(&o) == 3, "replicated bump_query saw %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_UPDATE, "bump_query"); /* update to a query */
  CHECK(reply_u32(&o) == 3, "update-call bump_query saw %u", reply_u32(&o));
  /* nothing above changed global, heap or stable */
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 2, "global after rollbacks: %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "get_heap");
  CHECK(reply_u32(&o) == 2, "heap after rollbacks: %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "get_stable");
  CHECK(reply_u32(&o) == 2, "stable after rollbacks: %u", reply_u32(&o));
  uint8_t probe[4];
  CHECK(A->read_stable(c, 0, probe, 4) == CANMEM_OK && probe[0] == 2,
        "read_stable probe");

  /* wasm_memory_limit: growth past it fails the update and rolls back */
  canmem_settings s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.fields = CANMEM_SETTING_WASM_MEMORY_LIMIT;
  s.wasm_memory_limit = 2 * 65536;
  CHECK(A->update_settings(c, &s, &o) == CANMEM_OK, "settings");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "settings");
  o = do_call(c, CANMEM_CALL_UPDATE, "inc_grow");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_WASM_MEMORY_LIMIT, "inc_grow");
  o = do_call(c, CANMEM_CALL_QUERY, "size");
  CHECK(reply_u32(&o) == 1, "heap pages after limit trap: %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 2, "global after limit trap: %u", reply_u32(&o));
  s.wasm_memory_limit = 0;
  A->update_settings(c, &s, &o);
  o = do_call(c, CANMEM_CALL_UPDATE, "inc_grow");
  CHECK(o.kind == CANMEM_OUTCOME_REPLY && reply_u32(&o) == 3,
        "inc_grow without limit: %s %u", o.message, reply_u32(&o));

  /* upgrade: stable memory stays, heap and globals start again */
  CHECK(install_mode(c, CANMEM_MODE_UPGRADE, counter_wat, &o, 0, 0) ==
            CANMEM_OK,
        "upgrade rc");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "upgrade");
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 0, "global after upgrade: %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "get_stable");
  CHECK(reply_u32(&o) == 3, "stable after upgrade: %u", reply_u32(&o));

  /* a failing post_upgrade leaves the old instance as it was, including
   * what pre_upgrade changed */
  o = do_call(c, CANMEM_CALL_UPDATE, "inc");
  CHECK(reply_u32(&o) == 1, "inc after upgrade: %u", reply_u32(&o));
  CHECK(install_mode(c, CANMEM_MODE_UPGRADE,
                     "(module (func (export \"canister_post_upgrade\") "
                     "unreachable))",
                     &o, 0, 0) == CANMEM_OK,
        "upgrade rc");
  expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_CAT_UNREACHABLE,
         "failing upgrade");
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 1, "global after failed upgrade: %u",
        reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "get_heap");
  CHECK(reply_u32(&o) == 1, "heap after failed upgrade: %u", reply_u32(&o));

  /* reinstall empties stable memory */
  CHECK(install_mode(c, CANMEM_MODE_REINSTALL, counter_wat, &o, 0, 0) ==
            CANMEM_OK,
        "reinstall");
  o = do_call(c, CANMEM_CALL_QUERY, "get_stable");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_STABLE_OUT_OF_BOUNDS,
         "stable after reinstall");
  o = do_call(c, CANMEM_CALL_QUERY, "nope");
  expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_METHOD_NOT_FOUND, "nope");
  A->destroy(c);
}

/* A wasm32 heap of exactly 65,536 pages (4 GiB): wasm-rt.h keeps the
 * byte size in 32 bits, where it wraps to 0. The write journal keeps
 * rollback exact there without copying the heap, and an upgrade with keep
 * adopts the heap without copying it, so the process stays far below the
 * heap's size. The module ends with a post_upgrade (heap4g_post_ok or
 * heap4g_post_trap). */
static const char *heap4g_post_ok =
    " (func (export \"canister_post_upgrade\")\n"
    "  (i32.store8 (i32.const 0xfffffffe) (i32.const 0x42))))\n";
static const char *heap4g_post_trap =
    " (func (export \"canister_post_upgrade\")\n"
    "  (i32.store8 (i32.const 0xfffffffe) (i32.const 0x43))\n"
    "  (memory.fill (i32.const 0) (i32.const 0x44) (i32.const 0x30000))\n"
    "  unreachable))\n";
static const char *heap4g_wat =
    "(module\n"
    " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))\n"
    " (import \"ic0\" \"msg_reply\" (func $reply))\n"
    " (import \"ic0\" \"stable64_grow\" (func $sgrow (param i64) (result i64)))\n"
    " (import \"ic0\" \"stable64_read\" (func $sread (param i64 i64 i64)))\n"
    " (memory 1)\n"
    " (func $reply_u32 (param i32)\n"
    "  (i32.store (i32.const 8) (local.get 0))\n"
    "  (call $append (i32.const 8) (i32.const 4)) (call $reply))\n"
    " (func (export \"canister_update grow_full\")\n"
    "  (call $reply_u32 (memory.grow (i32.const 65535))))\n"
    " (func (export \"canister_update grow_one\")\n"
    "  (call $reply_u32 (memory.grow (i32.const 1))))\n"
    " (func (export \"canister_query size\") (call $reply_u32 (memory.size)))\n"
    " (func (export \"canister_update write_last\")\n"
    "  (i32.store8 (i32.const 0xffffffff) (i32.const 0x5a))\n"
    "  (call $reply_u32 (i32.load8_u (i32.const 0xffffffff))))\n"
    " (func (export \"canister_query read_last\")\n"
    "  (call $reply_u32 (i32.load8_u (i32.const 0xffffffff))))\n"
    " (func (export \"canister_query read_past\")\n"
    "  (call $reply_u32 (i32.load (i32.const 0xfffffffd))))\n"
    " (func (export \"canister_query read_mid\")\n"
    "  (call $reply_u32 (i32.load (i32.const 0x80000000))))\n"
    " (func (export \"canister_update write_then_trap\")\n"
    "  (i32.store8 (i32.const 0xffffffff) (i32.const 0x77))\n"
    "  (i32.store (i32.const 0x80000000) (i32.const 0x12345678))\n"
    "  (memory.fill (i32.const 0xfffffff0) (i32.const 0x11) (i32.const 16))\n"
    "  unreachable)\n"
    " (func (export \"canister_update host_write_then_trap\")\n"
    "  (drop (call $sgrow (i64.const 1)))\n"
    "  (call $sread (i64.const 0xfffffff0) (i64.const 0) (i64.const 16))\n"
    "  unreachable)\n"
    " (func (export \"canister_query read_end16\")\n"
    "  (call $reply_u32 (i32.load16_u (i32.const 0xfffffffe))))\n"
    " (func (export \"canister_query read_low\")\n"
    "  (call $reply_u32 (i32.load (i32.const 0x20000))))\n"
    " (func (export \"canister_pre_upgrade\")\n"
    "  (i32.store (i32.const 0x80000000) (i32.const 0x66)))\n";

/* Installs or upgrades (keep) c with heap4g_wat and the post_upgrade. */
static void install_4g(canmem_canister *c, uint32_t mode, const char *post,
                       canmem_outcome *o) {
  char wat[4096];
  snprintf(wat, sizeof wat, "%s%s", heap4g_wat, post);
  size_t size = 0;
  unsigned char *wasm = compile_wat(wat, &size);
  CHECK(wasm != NULL, "wat2wasm");
  if (wasm)
    wasm = append_custom(wasm, &size,
                         "icp:private enhanced-orthogonal-persistence");
  if (!wasm)
    return;
  canmem_install req;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.mode = mode;
  req.wasm = wasm;
  req.wasm_size = size;
  req.wasm_memory_persistence =
      mode == CANMEM_MODE_UPGRADE ? CANMEM_PERSISTENCE_KEEP : 0;
  memset(o, 0, sizeof *o);
  CHECK(A->install_code(c, &req, o) == CANMEM_OK, "install_code rc: %s",
        o->message);
  free(wasm);
}

/* Growth rolled back leaves zero bytes behind for the next growth. */
static const char *regrow_wat =
    "(module\n"
    " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))\n"
    " (import \"ic0\" \"msg_reply\" (func $reply))\n"
    " (memory 1)\n"
    " (func (export \"canister_update grow_write_trap\")\n"
    "  (drop (memory.grow (i32.const 2)))\n"
    "  (i32.store (i32.const 70000) (i32.const 7))\n"
    "  (memory.fill (i32.const 140000) (i32.const 9) (i32.const 8))\n"
    "  unreachable)\n"
    " (func (export \"canister_update grow_read\")\n"
    "  (drop (memory.grow (i32.const 2)))\n"
    "  (i32.store (i32.const 8) (i32.or (i32.load (i32.const 70000))\n"
    "                                   (i32.load (i32.const 140000))))\n"
    "  (call $append (i32.const 8) (i32.const 4)) (call $reply))\n"
    ")\n";

static void test_heap_4gib(void) {
  canmem_profile p = small_profile();
  p.max_heap32_bytes = 65536ull * 65536ull;
  p.max_stable_bytes = 1ull << 40;
  char error[256];
  canmem_canister *c = A->create(&p, error, sizeof error);
  CHECK(c != NULL, "create: %s", error);
  if (!c)
    return;
  canmem_outcome o;
  install_4g(c, CANMEM_MODE_INSTALL, heap4g_post_ok, &o);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "install 4 GiB canister");
  o = do_call(c, CANMEM_CALL_UPDATE, "grow_full");
  CHECK(o.kind == CANMEM_OUTCOME_REPLY && reply_u32(&o) == 1,
        "grow to 65536 pages: %s %u", o.message, reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "size");
  CHECK(reply_u32(&o) == 65536, "memory.size at 4 GiB: %u", reply_u32(&o));
  uint64_t pages = 0;
  CHECK(A->heap_size(c, &pages) == CANMEM_OK && pages == 65536,
        "heap_size probe: %llu", (unsigned long long)pages);
  o = do_call(c, CANMEM_CALL_UPDATE, "write_last");
  CHECK(o.kind == CANMEM_OUTCOME_REPLY && reply_u32(&o) == 0x5a,
        "last byte written: %s %u", o.message, reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_last");
  CHECK(reply_u32(&o) == 0x5a, "last byte read: %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_past");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_HEAP_OUT_OF_BOUNDS,
         "load across 2^32");
  o = do_call(c, CANMEM_CALL_UPDATE, "grow_one");
  CHECK(o.kind == CANMEM_OUTCOME_REPLY && reply_u32(&o) == UINT32_MAX,
        "grow past 4 GiB: %s %u", o.message, reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "size");
  CHECK(reply_u32(&o) == 65536, "memory.size after failed grow: %u",
        reply_u32(&o));
  /* rollback by the journal: wasm stores, memory.fill, host writes */
  o = do_call(c, CANMEM_CALL_UPDATE, "write_then_trap");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_UNREACHABLE, "write_then_trap");
  o = do_call(c, CANMEM_CALL_UPDATE, "host_write_then_trap");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_UNREACHABLE,
         "host_write_then_trap");
  o = do_call(c, CANMEM_CALL_QUERY, "read_last");
  CHECK(reply_u32(&o) == 0x5a, "last byte after rollbacks: %u",
        reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_mid");
  CHECK(reply_u32(&o) == 0, "middle word after rollback: %u", reply_u32(&o));
  uint8_t tail[16];
  CHECK(A->read_heap(c, 0xfffffff0ull, tail, 16) == CANMEM_OK &&
            tail[0] == 0 && tail[15] == 0x5a,
        "heap tail after rollbacks: %u %u", tail[0], tail[15]);
  /* keep: a trapping post_upgrade (another module) leaves the old heap as
   * it was, pre_upgrade's write included; then a successful one (the same
   * module) keeps it with both writes */
  install_4g(c, CANMEM_MODE_UPGRADE, heap4g_post_trap, &o);
  expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_CAT_UNREACHABLE,
         "keep with a trapping post_upgrade");
  o = do_call(c, CANMEM_CALL_QUERY, "read_end16");
  CHECK(reply_u32(&o) == 0x5a00, "heap end after failed keep: %#x",
        reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_mid");
  CHECK(reply_u32(&o) == 0, "pre_upgrade's write after failed keep: %#x",
        reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_low");
  CHECK(reply_u32(&o) == 0, "low heap after failed keep: %#x", reply_u32(&o));
  install_4g(c, CANMEM_MODE_UPGRADE, heap4g_post_ok, &o);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "keep a 4 GiB heap");
  o = do_call(c, CANMEM_CALL_QUERY, "size");
  CHECK(reply_u32(&o) == 65536, "kept heap size: %u", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_end16");
  CHECK(reply_u32(&o) == 0x5a42, "kept heap end: %#x", reply_u32(&o));
  o = do_call(c, CANMEM_CALL_QUERY, "read_mid");
  CHECK(reply_u32(&o) == 0x66, "pre_upgrade's write kept: %#x",
        reply_u32(&o));
  o = do_call(c, CANMEM_CALL_UPDATE, "write_then_trap");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_UNREACHABLE,
         "write_then_trap after keep");
  o = do_call(c, CANMEM_CALL_QUERY, "read_end16");
  CHECK(reply_u32(&o) == 0x5a42, "rollback after keep: %#x", reply_u32(&o));
  /* a module whose minimum is the whole 4 GiB */
  CHECK(install_mode(c, CANMEM_MODE_REINSTALL,
                     "(module"
                     " (import \"ic0\" \"msg_reply_data_append\""
                     "  (func $append (param i32 i32)))"
                     " (import \"ic0\" \"msg_reply\" (func $reply))"
                     " (memory 65536)"
                     " (func (export \"canister_query size\")"
                     "  (i32.store (i32.const 0) (memory.size))"
                     "  (call $append (i32.const 0) (i32.const 4))"
                     "  (call $reply)))",
                     &o, 0, 0) == CANMEM_OK,
        "reinstall with (memory 65536)");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "(memory 65536)");
  o = do_call(c, CANMEM_CALL_QUERY, "size");
  CHECK(reply_u32(&o) == 65536, "minimum 65536: size %u", reply_u32(&o));
  A->destroy(c);

  /* the heap was never copied: far less resident than 4 GiB */
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  CHECK(ru.ru_maxrss < 512 * 1024, "peak resident %ld KiB with a 4 GiB heap",
        ru.ru_maxrss);

  c = new_canister();
  if (!c)
    return;
  CHECK(install_mode(c, CANMEM_MODE_INSTALL, regrow_wat, &o, 0, 0) ==
            CANMEM_OK,
        "install regrow");
  o = do_call(c, CANMEM_CALL_UPDATE, "grow_write_trap");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_UNREACHABLE, "grow_write_trap");
  o = do_call(c, CANMEM_CALL_UPDATE, "grow_read");
  CHECK(o.kind == CANMEM_OUTCOME_REPLY && reply_u32(&o) == 0,
        "regrown pages are zero: %s %u", o.message, reply_u32(&o));
  A->destroy(c);
}

static void test_module_rules(void) {
  static const struct {
    const char *wat;
    uint32_t category;
  } cases[] = {
      {"(module (import \"env\" \"f\" (func)))", CANMEM_CAT_MODULE_IMPORT},
      {"(module (import \"ic0\" \"nope\" (func)))", CANMEM_CAT_MODULE_IMPORT},
      {"(module (import \"ic0\" \"msg_reply\" (func (param i32))))",
       CANMEM_CAT_MODULE_IMPORT_SIGNATURE},
      {"(module (func (export \"canister_update f\") (param i32)))",
       CANMEM_CAT_MODULE_EXPORT},
      {"(module (func (export \"canister_foo\")))", CANMEM_CAT_MODULE_EXPORT},
      {"(module (func $f) (export \"canister_update a\" (func $f)) "
       "(export \"canister_query a\" (func $f)))",
       CANMEM_CAT_MODULE_DUPLICATE_METHOD},
      {"(module (memory 1) (memory 1))", CANMEM_CAT_MODULE_MEMORY},
      {"(module (memory 33))", CANMEM_CAT_MODULE_MEMORY},
      {"(module (memory 1) (data (i32.const 65535) \"ab\"))",
       CANMEM_CAT_INSTANTIATION_FAILED},
      {"(module (func $s unreachable) (start $s))", CANMEM_CAT_UNREACHABLE},
      {"(module (import \"ic0\" \"msg_reply\" (func $r)) "
       "(func (export \"canister_init\") (call $r)))",
       CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    canmem_canister *c = new_canister();
    if (!c)
      return;
    canmem_outcome o;
    CHECK(install_mode(c, CANMEM_MODE_INSTALL, cases[i].wat, &o, 0, 0) ==
              CANMEM_OK,
          "install rc %s", o.message);
    expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, cases[i].category,
           cases[i].wat);
    o = do_call(c, CANMEM_CALL_QUERY, "get");
    expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_CANISTER_EMPTY,
           "canister stays empty");
    A->destroy(c);
  }
  /* not wasm at all */
  canmem_canister *c = new_canister();
  if (!c)
    return;
  canmem_install req;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.mode = CANMEM_MODE_INSTALL;
  req.wasm = (const uint8_t *)"hello";
  req.wasm_size = 5;
  canmem_outcome o;
  CHECK(A->install_code(c, &req, &o) == CANMEM_OK, "install rc");
  expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_CAT_INVALID_MODULE,
         "not wasm");
  A->destroy(c);
}

/* Memory and table imports, (start) using stable memory, init, and
 * persistence = keep. */
static void test_imports_and_keep(void) {
  const char *eop_wat =
      "(module\n"
      " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))\n"
      " (import \"ic0\" \"msg_reply\" (func $reply))\n"
      " (import \"ic0\" \"stable_grow\" (func $sgrow (param i32) (result i32)))\n"
      " (import \"ic0\" \"msg_arg_data_copy\" (func $argcopy (param i32 i32 i32)))\n"
      " (import \"env\" \"memory\" (memory 1 4))\n"
      " (import \"env\" \"table\" (table 2 funcref))\n"
      " (func $s (drop (call $sgrow (i32.const 1))))\n"
      " (start $s)\n"
      " (func (export \"canister_init\") (call $argcopy (i32.const 0) (i32.const 0) (i32.const 4)))\n"
      " (func (export \"canister_update set\") (i32.store (i32.const 0) (i32.const 77)) (call $reply))\n"
      " (func (export \"canister_query get\") (call $append (i32.const 0) (i32.const 4)) (call $reply))\n"
      ")\n";
  canmem_canister *c = new_canister();
  if (!c)
    return;
  size_t size = 0;
  unsigned char *wasm = compile_wat(eop_wat, &size);
  CHECK(wasm != NULL, "wat2wasm");
  if (wasm) /* wat2wasm 1.0.32 drops (@custom): append the section */
    wasm = append_custom(wasm, &size,
                         "icp:private enhanced-orthogonal-persistence");
  if (!wasm) {
    A->destroy(c);
    return;
  }
  canmem_install req;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.mode = CANMEM_MODE_INSTALL;
  req.wasm = wasm;
  req.wasm_size = size;
  req.arg = (const uint8_t *)"\x05\0\0\0";
  req.arg_size = 4;
  canmem_outcome o;
  CHECK(A->install_code(c, &req, &o) == CANMEM_OK, "install rc");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "install eop");
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 5, "init's argument in the heap: %u",
        reply_u32(&o));
  uint64_t pages = 0;
  A->stable_size(c, &pages);
  CHECK(pages == 1, "(start) grew stable memory: %llu",
        (unsigned long long)pages);
  o = do_call(c, CANMEM_CALL_UPDATE, "set");
  /* EOP-2: the option is required */
  req.mode = CANMEM_MODE_UPGRADE;
  req.arg_size = 0;
  CHECK(A->install_code(c, &req, &o) == CANMEM_OK, "upgrade rc");
  expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_CAT_UPGRADE_OPTION,
         "upgrade without option");
  req.wasm_memory_persistence = CANMEM_PERSISTENCE_KEEP;
  CHECK(A->install_code(c, &req, &o) == CANMEM_OK, "upgrade rc");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "upgrade keep");
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 77, "kept heap: %u", reply_u32(&o));
  req.wasm_memory_persistence = CANMEM_PERSISTENCE_REPLACE;
  CHECK(A->install_code(c, &req, &o) == CANMEM_OK, "upgrade rc");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "upgrade replace");
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  CHECK(reply_u32(&o) == 0, "replaced heap: %u", reply_u32(&o));
  free(wasm);
  A->destroy(c);
}

/* ---- WebAssembly features wasm2c 1.0.32 cannot translate ---- */

static int32_t install_bytes(canmem_canister *c, const unsigned char *wasm,
                             size_t size, canmem_outcome *out) {
  canmem_install req;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.mode = CANMEM_MODE_INSTALL;
  req.wasm = wasm;
  req.wasm_size = size;
  memset(out, 0, sizeof *out);
  return A->install_code(c, &req, out);
}

static const char *simd_wat =
    "(module (memory 1) (func (export \"canister_update f\") (v128.store "
    "(i32.const 0) (i32x4.add (v128.load (i32.const 0)) (v128.load "
    "(i32.const 16))))))";
static const char *tail_wat =
    "(module (func $f (param i32) (result i32) (return_call $f (local.get 0))) "
    "(func (export \"canister_update f\") (drop (call $f (i32.const 1)))))";
/* (module (table i64 1 funcref)): wat2wasm 1.0.32 cannot write it */
static const unsigned char table64_wasm[] = {0,    'a', 's', 'm', 1, 0, 0,
                                             0,    4,   4,   1,   0x70,
                                             0x04, 1};
/* (func i32.const 0 ref.i31 drop): GC, which the IC does not accept */
static const unsigned char gc_wasm[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0, 1,    4,    1,    0x60, 0,    0,   3,
    2, 1,   0,   10,  9, 1, 7, 0, 0x41, 0,    0xfb, 0x1c, 0x1a, 0x0b};

/* Every kind of immediate the feature walk steps over, in a module with
 * none of the features: it must install. */
static const char *mvp_wat =
    "(module (import \"ic0\" \"msg_reply\" (func $r))\n"
    " (memory 1) (table 2 funcref) (elem (i32.const 0) $r $id)\n"
    " (type $t (func (param i32) (result i32))) (global $g (mut f64) "
    "(f64.const 1.5))\n"
    " (func $id (type $t) (local f32 i64) (local.get 0))\n"
    " (func (export \"canister_update f\") (local i32)\n"
    "  (block $a (block $b (br_table $a $b $a (i32.const 1))))\n"
    "  (local.set 0 (select (result i32) (i32.const 1) (i32.const 2) "
    "(i32.const 0)))\n"
    "  (drop (call_indirect (type $t) (i32.const 3) (i32.const 1)))\n"
    "  (memory.fill (i32.const 0) (i32.const 7) (i32.const 4))\n"
    "  (memory.copy (i32.const 8) (i32.const 0) (i32.const 4))\n"
    "  (drop (table.size 0)) (drop (ref.is_null (ref.func $id)))\n"
    "  (drop (i32.trunc_sat_f32_s (f32.const 2.5)))\n"
    "  (i64.store offset=16 (i32.const 0) (i64.const -1))\n"
    "  (global.set $g (f64.add (global.get $g) (f64.const 2.25)))\n"
    "  (drop (if (result i32) (i32.const 1) (then (i32.const 1)) (else "
    "(i32.const 2))))\n"
    "  (call $r)))";

static void test_features(void) {
  CHECK(!(A->capabilities &
          (CANMEM_CAP_SIMD | CANMEM_CAP_TAIL_CALL | CANMEM_CAP_TABLE64)),
        "wasm2c 1.0.32 declares none of SIMD, tail calls, 64-bit tables");
  size_t simd_size = 0, tail_size = 0;
  unsigned char *simd = compile_wat(simd_wat, &simd_size);
  unsigned char *tail = compile_wat(tail_wat, &tail_size);
  CHECK(simd && tail, "wat2wasm");
  if (!simd || !tail) {
    free(simd);
    free(tail);
    return;
  }
  struct {
    const unsigned char *wasm;
    size_t size;
    const char *what;
  } cases[] = {{simd, simd_size, "SIMD"},
               {tail, tail_size, "tail calls"},
               {table64_wasm, sizeof table64_wasm, "64-bit tables"}};
  canmem_outcome o;
  for (int with_features = 0; with_features < 2; with_features++) {
    canmem_profile p = small_profile();
    if (with_features)
      p.features |= CANMEM_FEATURE_SIMD | CANMEM_FEATURE_TAIL_CALL |
                    CANMEM_FEATURE_TABLE64;
    char error[256];
    canmem_canister *c = A->create(&p, error, sizeof error);
    CHECK(c != NULL, "create: %s", error);
    if (!c)
      break;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      int32_t rc = install_bytes(c, cases[i].wasm, cases[i].size, &o);
      if (with_features) /* valid on the IC: this runtime's limit */
        CHECK(rc == CANMEM_ERR_UNSUPPORTED && strstr(o.message, "wasm2c"),
              "%s enabled: rc %d (%s)", cases[i].what, rc, o.message);
      else { /* the IC's answer: the module fails validation */
        CHECK(rc == CANMEM_OK, "%s: rc %d (%s)", cases[i].what, rc,
              o.message);
        expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_CAT_INVALID_MODULE,
               cases[i].what);
      }
      o = do_call(c, CANMEM_CALL_QUERY, "f");
      expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_CANISTER_EMPTY,
             "nothing installed");
    }
    CHECK(install_bytes(c, gc_wasm, sizeof gc_wasm, &o) == CANMEM_OK,
          "gc: %s", o.message);
    expect(&o, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_CAT_INVALID_MODULE,
           "a GC instruction");
    /* The canister is still usable. */
    CHECK(install_mode(c, CANMEM_MODE_INSTALL, mvp_wat, &o, 0, 0) ==
              CANMEM_OK,
          "install rc (%s)", o.message);
    expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "the MVP module");
    o = do_call(c, CANMEM_CALL_UPDATE, "f");
    expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "its method");
    A->destroy(c);
  }
  free(simd);
  free(tail);
}

/* A translator that dies by a signal (wasm2c 1.0.32 aborts on SIMD) is the
 * adapter's failure, said as such, not an invalid module. */
static void test_translator_crash(void) {
  char dir[] = "/tmp/cmw-crash-XXXXXX";
  if (!mkdtemp(dir)) {
    CHECK(0, "mkdtemp");
    return;
  }
  char script[128];
  snprintf(script, sizeof script, "%s/wasm2c", dir);
  FILE *f = fopen(script, "w");
  CHECK(f != NULL, "cannot write %s", script);
  if (!f)
    return;
  fputs("#!/bin/sh\nkill -ABRT $$\n", f);
  fclose(f);
  chmod(script, 0700);
  setenv("CANMEM_WASM2C", script, 1);
  canmem_canister *c = new_canister();
  if (c) {
    canmem_outcome o;
    /* a module no other test compiles, so it is not in the cache */
    int32_t rc = install_mode(
        c, CANMEM_MODE_INSTALL,
        "(module (func (export \"canister_update crash_probe\")))", &o, 0, 0);
    CHECK(rc == CANMEM_ERR_INTERNAL && strstr(o.message, "signal 6"),
          "crashing translator: rc %d (%s)", rc, o.message);
    o = do_call(c, CANMEM_CALL_QUERY, "crash_probe");
    expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_CANISTER_EMPTY,
           "nothing installed");
    A->destroy(c);
  }
  unsetenv("CANMEM_WASM2C");
  unlink(script);
  rmdir(dir);
}

/* ---- Inter-canister calls (CANMEM_CAP_CALLS) ----
 * "call" performs one call to callee.foo with payload "hi" and 5 cycles;
 * its argument is (env, flags): env picks the reply callback's behaviour
 * (0 reply with the response, 1 return, 2 trap), flags 1 = cleanup
 * callback, 2 = reply 42 at once, 4 = trap after call_perform, 8 = reply
 * callback of the wrong type, 16 = best-effort with timeout 30. */
static const char *calls_wat =
    "(module\n"
    " (import \"ic0\" \"msg_arg_data_size\" (func $arg_size (result i32)))\n"
    " (import \"ic0\" \"msg_arg_data_copy\" (func $arg_copy (param i32 i32 i32)))\n"
    " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))\n"
    " (import \"ic0\" \"msg_reply\" (func $reply))\n"
    " (import \"ic0\" \"msg_reject_code\" (func $rcode (result i32)))\n"
    " (import \"ic0\" \"msg_reject_msg_size\" (func $rmsg_size (result i32)))\n"
    " (import \"ic0\" \"msg_reject_msg_copy\" (func $rmsg_copy (param i32 i32 i32)))\n"
    " (import \"ic0\" \"call_new\" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))\n"
    " (import \"ic0\" \"call_data_append\" (func $call_data (param i32 i32)))\n"
    " (import \"ic0\" \"call_on_cleanup\" (func $call_cleanup (param i32 i32)))\n"
    " (import \"ic0\" \"call_with_best_effort_response\" (func $call_be (param i32)))\n"
    " (import \"ic0\" \"call_cycles_add128\" (func $call_cycles (param i64 i64)))\n"
    " (import \"ic0\" \"call_perform\" (func $call_perform (result i32)))\n"
    " (memory 1)\n"
    " (table 4 funcref)\n"
    " (elem (i32.const 0) $cb_reply $cb_reject $cleanup $bad_type)\n"
    " (global $g (mut i32) (i32.const 0))\n"
    " (global $c (mut i32) (i32.const 0))\n"
    " (data (i32.const 200) \"callee\")\n"
    " (data (i32.const 210) \"foo\")\n"
    " (data (i32.const 220) \"hi\")\n"
    " (func $reply_u32 (param i32)\n"
    "  (i32.store (i32.const 8) (local.get 0))\n"
    "  (call $append (i32.const 8) (i32.const 4)) (call $reply))\n"
    " (func $cb_reply (param $env i32)\n"
    "  (global.set $g (i32.add (global.get $g) (i32.const 1)))\n"
    "  (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) (i32.const 1)))\n"
    "  (if (i32.eq (local.get $env) (i32.const 2)) (then unreachable))\n"
    "  (if (i32.eq (local.get $env) (i32.const 1)) (then return))\n"
    "  (call $arg_copy (i32.const 1024) (i32.const 0) (call $arg_size))\n"
    "  (call $append (i32.const 1024) (call $arg_size))\n"
    "  (call $reply))\n"
    " (func $cb_reject (param $env i32)\n"
    "  (i32.store (i32.const 16) (call $rcode))\n"
    "  (call $append (i32.const 16) (i32.const 4))\n"
    "  (call $rmsg_copy (i32.const 1024) (i32.const 0) (call $rmsg_size))\n"
    "  (call $append (i32.const 1024) (call $rmsg_size))\n"
    "  (call $reply))\n"
    " (func $cleanup (param $env i32)\n"
    "  (global.set $c (i32.add (i32.const 100) (call $rcode))))\n"
    " (func $bad_type (param i32 i32))\n"
    " (func (export \"canister_update call\") (local $env i32) (local $flags i32)\n"
    "  (call $arg_copy (i32.const 300) (i32.const 0) (i32.const 2))\n"
    "  (local.set $env (i32.load8_u (i32.const 300)))\n"
    "  (local.set $flags (i32.load8_u (i32.const 301)))\n"
    "  (call $call_new (i32.const 200) (i32.const 6) (i32.const 210) (i32.const 3)\n"
    "   (select (i32.const 3) (i32.const 0) (i32.and (local.get $flags) (i32.const 8)))\n"
    "   (local.get $env) (i32.const 1) (local.get $env))\n"
    "  (call $call_data (i32.const 220) (i32.const 2))\n"
    "  (if (i32.and (local.get $flags) (i32.const 1))\n"
    "   (then (call $call_cleanup (i32.const 2) (i32.const 0))))\n"
    "  (if (i32.and (local.get $flags) (i32.const 16)) (then (call $call_be (i32.const 30))))\n"
    "  (call $call_cycles (i64.const 0) (i64.const 5))\n"
    "  (drop (call $call_perform))\n"
    "  (if (i32.and (local.get $flags) (i32.const 4)) (then unreachable))\n"
    "  (if (i32.and (local.get $flags) (i32.const 2)) (then (call $reply_u32 (i32.const 42)))))\n"
    " (func (export \"canister_update no_call\") (drop (call $call_perform)))\n"
    " (func (export \"canister_query get\") (call $reply_u32 (global.get $g)))\n"
    " (func (export \"canister_query get_c\") (call $reply_u32 (global.get $c)))\n"
    " (func (export \"canister_query get_heap\") (call $reply_u32 (i32.load (i32.const 0))))\n"
    ")\n";

static canmem_outcome call_with(canmem_canister *c, uint8_t env,
                                uint8_t flags) {
  const uint8_t arg[2] = {env, flags};
  canmem_outcome o;
  memset(&o, 0, sizeof o);
  int32_t rc = A->call(c, CANMEM_CALL_UPDATE, "call", arg, 2, &o);
  CHECK(rc == CANMEM_OK, "call: rc %d (%s)", rc, o.message);
  return o;
}

/* The outstanding calls; the first one in *first. */
static uint64_t outstanding(canmem_canister *c, canmem_outgoing_call *first) {
  canmem_outgoing_call calls[4];
  memset(calls, 0, sizeof calls);
  for (int i = 0; i < 4; i++)
    calls[i].struct_size = sizeof calls[i];
  uint64_t n = 0;
  CHECK(A->outgoing_calls(c, calls, 4, &n) == CANMEM_OK, "outgoing_calls");
  if (first && n)
    *first = calls[0];
  return n;
}

static canmem_outcome respond_to(canmem_canister *c, uint64_t id,
                                 uint32_t reject_code, const char *data) {
  canmem_response r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.kind = reject_code ? CANMEM_RESPONSE_REJECT : CANMEM_RESPONSE_REPLY;
  r.reject_code = reject_code;
  r.payload = (const uint8_t *)data;
  r.payload_size = strlen(data);
  canmem_outcome o;
  memset(&o, 0, sizeof o);
  int32_t rc = A->respond(c, id, &r, &o);
  CHECK(rc == CANMEM_OK, "respond %llu: rc %d (%s)", (unsigned long long)id,
        rc, o.message);
  return o;
}

/* Sends one call (env, flags), checks the outcome kind, returns its id. */
static uint64_t send_call(canmem_canister *c, uint8_t env, uint8_t flags,
                          uint32_t kind) {
  canmem_outcome o = call_with(c, env, flags);
  expect(&o, kind, CANMEM_CAT_NONE, "call");
  canmem_outgoing_call first;
  memset(&first, 0, sizeof first);
  CHECK(outstanding(c, &first) == 1, "one call outstanding");
  return first.id;
}

static uint32_t query_u32(canmem_canister *c, const char *method) {
  canmem_outcome o = do_call(c, CANMEM_CALL_QUERY, method);
  return reply_u32(&o);
}

static void test_calls(void) {
  CHECK(A->capabilities & CANMEM_CAP_CALLS, "CANMEM_CAP_CALLS");
  canmem_canister *c = new_canister();
  if (!c)
    return;
  canmem_outcome o;
  install_mode(c, CANMEM_MODE_INSTALL, calls_wat, &o, 0, 0);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "install calls");

  /* a message that performs a call and returns: pending; the call is
   * listed with what the canister gave it */
  o = call_with(c, 0, 1);
  expect(&o, CANMEM_OUTCOME_PENDING, CANMEM_CAT_NONE, "call");
  canmem_outgoing_call oc;
  memset(&oc, 0, sizeof oc);
  CHECK(outstanding(c, &oc) == 1, "one outstanding call");
  CHECK(oc.id > 0 && oc.callee_size == 6 && !memcmp(oc.callee, "callee", 6) &&
            oc.method_size == 3 && !memcmp(oc.method, "foo", 3) &&
            oc.payload_size == 2 && !memcmp(oc.payload, "hi", 2) &&
            oc.cycles_low == 5 && oc.cycles_high == 0 &&
            oc.flags == CANMEM_CALL_FLAG_CLEANUP,
        "the outgoing call's fields");
  /* the reply callback runs with the response as its argument */
  o = respond_to(c, oc.id, 0, "pong");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "reply callback");
  CHECK(o.payload_size == 4 && !memcmp(o.payload, "pong", 4),
        "reply callback's reply");
  CHECK(outstanding(c, NULL) == 0, "answered call gone");
  CHECK(query_u32(c, "get") == 1 && query_u32(c, "get_heap") == 1,
        "the callback committed");
  canmem_response again;
  memset(&again, 0, sizeof again);
  again.struct_size = sizeof again;
  again.kind = CANMEM_RESPONSE_REPLY;
  CHECK(A->respond(c, oc.id, &again, &o) == CANMEM_ERR_ARGUMENT,
        "a call is answered once");

  /* a trapping reply callback rolls back only itself; cleanup runs with
   * msg_reject_code 0 and its changes commit */
  uint64_t id = send_call(c, 2, 1, CANMEM_OUTCOME_PENDING);
  o = respond_to(c, id, 0, "x");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_UNREACHABLE, "trapping callback");
  CHECK(strstr(o.message, "cleanup callback ran") != NULL,
        "cleanup mentioned: %s", o.message);
  CHECK(query_u32(c, "get") == 1 && query_u32(c, "get_heap") == 1,
        "trapping callback rolled back");
  CHECK(query_u32(c, "get_c") == 100, "cleanup saw reject code 0: %u",
        query_u32(c, "get_c"));

  /* a message that traps after call_perform sends nothing */
  o = call_with(c, 0, 4);
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_UNREACHABLE, "trap after call");
  CHECK(outstanding(c, NULL) == 0, "no call from a trapped message");

  /* replied before the callback: the callback owes nothing (returned), and
   * replying again traps (EDGE-REPLY-TWICE-ACROSS) */
  id = send_call(c, 1, 2, CANMEM_OUTCOME_REPLY);
  o = respond_to(c, id, 0, "x");
  expect(&o, CANMEM_OUTCOME_RETURNED, CANMEM_CAT_NONE, "returned");
  CHECK(query_u32(c, "get") == 2, "returned callback committed");
  id = send_call(c, 0, 2, CANMEM_OUTCOME_REPLY);
  o = respond_to(c, id, 0, "x");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_CONTRACT_VIOLATION,
         "reply twice across");
  CHECK(query_u32(c, "get") == 2, "second reply rolled back");

  /* the reject callback sees code and message; best-effort calls are
   * flagged and time out with SYS_UNKNOWN */
  o = call_with(c, 0, 16);
  memset(&oc, 0, sizeof oc);
  CHECK(outstanding(c, &oc) == 1 &&
            oc.flags == CANMEM_CALL_FLAG_BEST_EFFORT &&
            oc.timeout_seconds == 30,
        "best-effort call: flags %u timeout %u", oc.flags,
        oc.timeout_seconds);
  o = respond_to(c, oc.id, CANMEM_REJECT_SYS_UNKNOWN, "timeout");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "reject callback");
  CHECK(o.payload_size == 11 && o.payload[0] == 6 &&
            !memcmp(o.payload + 4, "timeout", 7),
        "reject callback saw code and message");

  /* SYS_UNKNOWN answers only best-effort calls */
  id = send_call(c, 0, 0, CANMEM_OUTCOME_PENDING);
  canmem_response unknown;
  memset(&unknown, 0, sizeof unknown);
  unknown.struct_size = sizeof unknown;
  unknown.kind = CANMEM_RESPONSE_REJECT;
  unknown.reject_code = CANMEM_REJECT_SYS_UNKNOWN;
  CHECK(A->respond(c, id, &unknown, &o) == CANMEM_ERR_ARGUMENT &&
            outstanding(c, NULL) == 1,
        "SYS_UNKNOWN to a call that is not best-effort");
  o = respond_to(c, id, CANMEM_REJECT_CANISTER_REJECT, "no");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "reject callback");

  /* a reply callback of the wrong type traps like call_indirect; the
   * cleanup still runs */
  id = send_call(c, 0, 1 | 8, CANMEM_OUTCOME_PENDING);
  o = respond_to(c, id, CANMEM_REJECT_NONE, "x");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH,
         "callback of the wrong type");

  /* no response and nothing outstanding: the context is rejected */
  id = send_call(c, 1, 0, CANMEM_OUTCOME_PENDING);
  o = respond_to(c, id, 0, "x");
  expect(&o, CANMEM_OUTCOME_NO_REPLY, CANMEM_CAT_NONE, "no response");
  CHECK(o.reject_code == CANMEM_REJECT_CANISTER_ERROR, "rejected: %u",
        o.reject_code);

  /* call_perform without call_new traps */
  o = do_call(c, CANMEM_CALL_UPDATE, "no_call");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_CONTRACT_VIOLATION, "no call");

  /* reinstall keeps the call; its callback runs by index in the new
   * module, whose table lacks it (EDGE-REINSTALL-CB) */
  id = send_call(c, 0, 0, CANMEM_OUTCOME_PENDING);
  install_mode(c, CANMEM_MODE_REINSTALL,
               "(module (table 0 funcref) (memory 1))", &o, 0, 0);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "reinstall");
  o = respond_to(c, id, 0, "x");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_TABLE_OUT_OF_BOUNDS,
         "callback after reinstall");

  /* uninstall deletes the call contexts: the callback does not run */
  install_mode(c, CANMEM_MODE_REINSTALL, calls_wat, &o, 0, 0);
  id = send_call(c, 0, 0, CANMEM_OUTCOME_PENDING);
  install_mode(c, CANMEM_MODE_UNINSTALL, calls_wat, &o, 0, 0);
  install_mode(c, CANMEM_MODE_INSTALL, calls_wat, &o, 0, 0);
  o = respond_to(c, id, 0, "x");
  expect(&o, CANMEM_OUTCOME_RETURNED, CANMEM_CAT_CALL_CONTEXT_DELETED,
         "after uninstall");
  CHECK(query_u32(c, "get") == 0, "no callback ran after uninstall");

  /* a call left outstanding is freed with the canister */
  send_call(c, 0, 0, CANMEM_OUTCOME_PENDING);
  A->destroy(c);

  /* LOW-7 (since 0.62.0): a response runs its callback while the
   * low-memory hook is ready; the next message finds the hook run first */
  static const char *hook_wat =
      "(module\n"
      " (import \"ic0\" \"call_new\" (func $call_new (param i32 i32 i32 i32 i32 i32 i32 i32)))\n"
      " (import \"ic0\" \"call_perform\" (func $perform (result i32)))\n"
      " (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))\n"
      " (import \"ic0\" \"msg_reply\" (func $reply))\n"
      " (memory 1) (table 1 funcref) (elem (i32.const 0) $cb)\n"
      " (global $runs (mut i32) (i32.const 0))\n"
      " (func $reply_u32 (param i32)\n"
      "  (i32.store (i32.const 8) (local.get 0))\n"
      "  (call $append (i32.const 8) (i32.const 4)) (call $reply))\n"
      " (func (export \"canister_on_low_wasm_memory\")\n"
      "  (global.set $runs (i32.add (global.get $runs) (i32.const 1))))\n"
      " (func (export \"canister_update call\")\n"
      "  (call $call_new (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)\n"
      "   (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))\n"
      "  (drop (call $perform)))\n"
      " (func $cb (param i32) (call $reply_u32 (global.get $runs)))\n"
      " (func (export \"canister_update grow\")\n"
      "  (call $reply_u32 (memory.grow (i32.const 2))))\n"
      " (func (export \"canister_query runs\") (call $reply_u32 (global.get $runs))))\n";
  canmem_profile p = small_profile();
  p.max_wasm_memory_threshold = 1ull << 48;
  char error[200];
  c = A->create(&p, error, sizeof error);
  CHECK(c != NULL, "create: %s", error);
  if (!c)
    return;
  install_mode(c, CANMEM_MODE_INSTALL, hook_wat, &o, 0, 0);
  canmem_settings s;
  memset(&s, 0, sizeof s);
  s.struct_size = sizeof s;
  s.fields = CANMEM_SETTING_WASM_MEMORY_LIMIT |
             CANMEM_SETTING_WASM_MEMORY_THRESHOLD;
  s.wasm_memory_limit = 4 * 65536;
  s.wasm_memory_threshold = 2 * 65536;
  A->update_settings(c, &s, &o);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "hook settings");
  o = do_call(c, CANMEM_CALL_UPDATE, "call");
  expect(&o, CANMEM_OUTCOME_PENDING, CANMEM_CAT_NONE, "call");
  memset(&oc, 0, sizeof oc);
  outstanding(c, &oc);
  o = do_call(c, CANMEM_CALL_UPDATE, "grow"); /* 3 pages: the hook is ready */
  o = respond_to(c, oc.id, 0, "");
  CHECK(o.kind == CANMEM_OUTCOME_REPLY && reply_u32(&o) == 0,
        "the callback ran before the ready hook: %s %u", o.message,
        reply_u32(&o));
  do_call(c, CANMEM_CALL_UPDATE, "call"); /* the hook runs first */
  CHECK(query_u32(c, "runs") == 1, "the hook ran before the next update");
  A->destroy(c);
}

/* ---- Snapshots (CANMEM_CAP_SNAPSHOTS) on the counter canister ---- */

static uint64_t take(canmem_canister *c, uint32_t flags, uint64_t replace,
                     uint32_t kind, uint32_t category) {
  canmem_snapshot_take t;
  memset(&t, 0, sizeof t);
  t.struct_size = sizeof t;
  t.flags = flags;
  t.replace_snapshot = replace;
  uint64_t id = 0;
  canmem_outcome o;
  CHECK(A->take_snapshot(c, &t, &id, &o) == CANMEM_OK, "take: %s", o.message);
  expect(&o, kind, category, "take_snapshot");
  return id;
}

static void expect_load(canmem_canister *c, canmem_canister *from, uint64_t id,
                        uint32_t kind, uint32_t category) {
  canmem_outcome o;
  CHECK(A->load_snapshot(c, from, id, &o) == CANMEM_OK, "load: %s", o.message);
  expect(&o, kind, category, "load_snapshot");
}

static void test_snapshots(void) {
  CHECK(A->capabilities & CANMEM_CAP_SNAPSHOTS, "CANMEM_CAP_SNAPSHOTS");
  canmem_canister *c = new_canister();
  if (!c)
    return;
  canmem_outcome o;
  take(c, 0, 0, CANMEM_OUTCOME_REJECT, CANMEM_CAT_CANISTER_EMPTY);
  install_mode(c, CANMEM_MODE_INSTALL, counter_wat, &o, 0, 0);
  do_call(c, CANMEM_CALL_UPDATE, "inc");
  do_call(c, CANMEM_CALL_UPDATE, "inc");
  uint64_t id = take(c, 0, 0, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  canmem_snapshot_info info[12];
  memset(info, 0, sizeof info);
  for (int i = 0; i < 12; i++)
    info[i].struct_size = sizeof info[i];
  uint64_t n = 0;
  CHECK(A->list_snapshots(c, info, 12, &n) == CANMEM_OK && n == 1 &&
            info[0].id == id && info[0].total_size > 2 * 65536,
        "list: %llu snapshots", (unsigned long long)n);

  /* metadata: both mutable globals, the memories' sizes in bytes */
  canmem_snapshot_metadata md;
  memset(&md, 0, sizeof md);
  md.struct_size = sizeof md;
  CHECK(A->read_snapshot_metadata(c, id, &md, &o) == CANMEM_OK, "metadata");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "read metadata");
  CHECK(md.source == CANMEM_SNAPSHOT_SOURCE_TAKEN && md.globals_count == 2 &&
            md.globals[0].type == CANMEM_GLOBAL_I32 &&
            md.globals[0].bits == 2 && md.wasm_memory_size == 65536 &&
            md.stable_memory_size == 65536 && md.wasm_module_size > 8 &&
            md.hook_status == CANMEM_HOOK_CONDITION_NOT_SATISFIED,
        "metadata fields: %llu globals, g0 %llu, heap %llu, stable %llu",
        (unsigned long long)md.globals_count,
        (unsigned long long)(md.globals_count ? md.globals[0].bits : 0),
        (unsigned long long)md.wasm_memory_size,
        (unsigned long long)md.stable_memory_size);
  canmem_global globals[2];
  memcpy(globals, md.globals, sizeof globals);
  uint64_t module_size = md.wasm_module_size;
  uint8_t *module = malloc((size_t)module_size);
  uint8_t *heap = malloc(65536), *stable = malloc(65536);
  CHECK(A->read_snapshot_data(c, id, CANMEM_SNAPSHOT_DATA_MODULE, 0, module,
                              module_size, &o) == CANMEM_OK &&
            o.kind == CANMEM_OUTCOME_REPLY && !memcmp(module, "\0asm", 4),
        "read the module");
  CHECK(A->read_snapshot_data(c, id, CANMEM_SNAPSHOT_DATA_HEAP, 0, heap, 65536,
                              &o) == CANMEM_OK &&
            heap[0] == 2,
        "read the heap");
  CHECK(A->read_snapshot_data(c, id, CANMEM_SNAPSHOT_DATA_STABLE, 0, stable,
                              65536, &o) == CANMEM_OK &&
            stable[0] == 2,
        "read stable memory");
  uint8_t byte;
  A->read_snapshot_data(c, id, CANMEM_SNAPSHOT_DATA_HEAP, 65536, &byte, 1, &o);
  expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_RANGE,
         "read past the heap");

  /* load restores heap, globals and stable memory */
  for (int i = 0; i < 3; i++)
    do_call(c, CANMEM_CALL_UPDATE, "inc");
  CHECK(query_u32(c, "get") == 5, "before load");
  expect_load(c, NULL, id, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(query_u32(c, "get") == 2 && query_u32(c, "get_heap") == 2 &&
            query_u32(c, "get_stable") == 2,
        "after load: %u %u %u", query_u32(c, "get"), query_u32(c, "get_heap"),
        query_u32(c, "get_stable"));

  /* an uploaded snapshot: metadata, then its data in chunks */
  globals[0].bits = 7;
  md.globals = globals;
  uint64_t up = 0;
  CHECK(A->upload_snapshot_metadata(c, &md, 0, &up, &o) == CANMEM_OK &&
            o.kind == CANMEM_OUTCOME_REPLY && up > id,
        "upload metadata: %s", o.message);
  CHECK(A->upload_snapshot_data(c, up, CANMEM_SNAPSHOT_DATA_MODULE, 0, module,
                                10, &o) == CANMEM_OK &&
            A->upload_snapshot_data(c, up, CANMEM_SNAPSHOT_DATA_MODULE, 10,
                                    module + 10, module_size - 10,
                                    &o) == CANMEM_OK &&
            A->upload_snapshot_data(c, up, CANMEM_SNAPSHOT_DATA_HEAP, 0, heap,
                                    65536, &o) == CANMEM_OK &&
            A->upload_snapshot_data(c, up, CANMEM_SNAPSHOT_DATA_STABLE, 0,
                                    stable, 65536, &o) == CANMEM_OK &&
            o.kind == CANMEM_OUTCOME_REPLY,
        "upload data: %s", o.message);
  A->upload_snapshot_data(c, up, CANMEM_SNAPSHOT_DATA_HEAP, 65535, heap, 2, &o);
  expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_RANGE,
         "upload past the heap");
  A->upload_snapshot_data(c, id, CANMEM_SNAPSHOT_DATA_HEAP, 0, heap, 1, &o);
  expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_NOT_UPLOADED,
         "upload to a taken snapshot");
  expect_load(c, NULL, up, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(query_u32(c, "get") == 7 && query_u32(c, "get_heap") == 2,
        "uploaded global loaded: %u", query_u32(c, "get"));

  /* SNAP-2: the globals must be the module's */
  md.globals_count = 1;
  uint64_t bad = 0;
  A->upload_snapshot_metadata(c, &md, 0, &bad, &o);
  A->upload_snapshot_data(c, bad, CANMEM_SNAPSHOT_DATA_MODULE, 0, module,
                          module_size, &o);
  expect_load(c, NULL, bad, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_GLOBALS);
  CHECK(query_u32(c, "get") == 7, "a refused load changes nothing");

  /* EDGE-SNAPSHOT-SIZES: a heap that is not whole pages is refused */
  md.globals_count = 2;
  md.wasm_memory_size = 100;
  A->upload_snapshot_metadata(c, &md, bad, &bad, &o);
  A->upload_snapshot_data(c, bad, CANMEM_SNAPSHOT_DATA_MODULE, 0, module,
                          module_size, &o);
  expect_load(c, NULL, bad, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_SIZES);
  A->delete_snapshot(c, bad, &o);

  /* load onto another canister (0.50.0) */
  canmem_canister *other = new_canister();
  if (other) {
    expect_load(other, c, id, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
    CHECK(query_u32(other, "get") == 2, "loaded onto another canister");
    A->destroy(other);
  }

  /* take with uninstall (0.54.0); the snapshot outlives the code */
  uint64_t last = take(c, CANMEM_SNAPSHOT_TAKE_UNINSTALL, 0,
                       CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  o = do_call(c, CANMEM_CALL_QUERY, "get");
  expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_CANISTER_EMPTY,
         "uninstalled by take");
  expect_load(c, NULL, last, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(query_u32(c, "get") == 7, "resurrected by load");

  /* at most 10; replace_snapshot makes room */
  A->list_snapshots(c, info, 12, &n);
  while (n < 10) {
    take(c, 0, 0, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
    n++;
  }
  take(c, 0, 0, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_LIMIT);
  uint64_t newest = take(c, 0, id, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(newest > last, "replaced");
  A->delete_snapshot(c, id, &o);
  expect(&o, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_NOT_FOUND,
         "replaced snapshot is gone");
  A->delete_snapshot(c, newest, &o);
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "delete");
  expect_load(c, NULL, newest, CANMEM_OUTCOME_REJECT,
              CANMEM_CAT_SNAPSHOT_NOT_FOUND);
  free(module);
  free(heap);
  free(stable);
  A->destroy(c);

  /* SNAP-4: a profile before 0.28.0 has no snapshots */
  canmem_profile p = small_profile();
  p.features &= ~(uint64_t)CANMEM_FEATURE_SNAPSHOTS;
  char error[200];
  c = A->create(&p, error, sizeof error);
  if (c) {
    install_mode(c, CANMEM_MODE_INSTALL, counter_wat, &o, 0, 0);
    take(c, 0, 0, CANMEM_OUTCOME_REJECT, CANMEM_CAT_UNSUPPORTED);
    A->destroy(c);
  }
}

/* ---- Canister logs (CANMEM_CAP_LOGS) ---- */

static const char *logs_wat =
    "(module\n"
    " (import \"ic0\" \"debug_print\" (func $print (param i32 i32)))\n"
    " (import \"ic0\" \"trap\" (func $trap (param i32 i32)))\n"
    " (import \"ic0\" \"msg_reply\" (func $reply))\n"
    " (memory 1)\n"
    " (data (i32.const 0) \"hello\")\n"
    " (data (i32.const 8) \"boom\")\n"
    " (func (export \"canister_update hello\")\n"
    "  (call $print (i32.const 0) (i32.const 5))\n"
    "  (call $print (i32.const 65535) (i32.const 2)) (call $reply))\n"
    " (func (export \"canister_update boom\")\n"
    "  (call $print (i32.const 0) (i32.const 5))\n"
    "  (call $trap (i32.const 8) (i32.const 4)))\n"
    " (func (export \"canister_query quiet\")\n"
    "  (call $print (i32.const 0) (i32.const 5)) (call $reply))\n"
    ")\n";

static uint64_t log_records(canmem_canister *c, canmem_log_record *r,
                            uint64_t max) {
  for (uint64_t i = 0; i < max; i++) {
    memset(&r[i], 0, sizeof r[i]);
    r[i].struct_size = sizeof r[i];
  }
  uint64_t n = 0;
  CHECK(A->canister_logs(c, r, max, &n) == CANMEM_OK, "canister_logs");
  return n;
}

static int record_is(const canmem_log_record *r, const char *text) {
  return r->content_size == strlen(text) &&
         memcmp(r->content, text, r->content_size) == 0;
}

static void test_logs(void) {
  CHECK(A->capabilities & CANMEM_CAP_LOGS, "CANMEM_CAP_LOGS");
  canmem_canister *c = new_canister();
  if (!c)
    return;
  canmem_outcome o;
  install_mode(c, CANMEM_MODE_INSTALL, logs_wat, &o, 0, 0);
  canmem_log_record r[8];
  o = do_call(c, CANMEM_CALL_UPDATE, "hello");
  expect(&o, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE, "hello");
  CHECK(log_records(c, r, 8) == 1 && record_is(&r[0], "hello"),
        "one record; a range out of bounds logs nothing");
  /* a query in non-replicated mode logs nothing */
  do_call(c, CANMEM_CALL_QUERY, "quiet");
  CHECK(log_records(c, r, 8) == 1, "query logged nothing");
  /* EDGE-LOGS-ON-TRAP: a trapped message keeps its lines and the trap */
  o = do_call(c, CANMEM_CALL_UPDATE, "boom");
  expect(&o, CANMEM_OUTCOME_TRAP, CANMEM_CAT_EXPLICIT_TRAP, "boom");
  CHECK(log_records(c, r, 8) == 3 && record_is(&r[1], "hello") &&
            record_is(&r[2], "canister called ic0.trap: boom") &&
            r[2].idx == 2 && r[2].timestamp_ns > r[0].timestamp_ns,
        "trapped message's records");
  /* uninstall purges the log; indexes are not reused */
  install_mode(c, CANMEM_MODE_UNINSTALL, logs_wat, &o, 0, 0);
  CHECK(log_records(c, r, 8) == 0, "uninstall purged the log");
  install_mode(c, CANMEM_MODE_INSTALL, logs_wat, &o, 0, 0);
  do_call(c, CANMEM_CALL_UPDATE, "hello");
  CHECK(log_records(c, r, 8) == 1 && r[0].idx == 3, "index after a purge");
  A->destroy(c);

  /* the Formal model's reading: nothing of a trapped execution */
  canmem_profile p = small_profile();
  p.readings = CANMEM_READING_LOGS_ON_SUCCESS_ONLY;
  p.max_log_bytes = 8; /* one "hello" fits, two do not */
  char error[200];
  c = A->create(&p, error, sizeof error);
  if (c) {
    install_mode(c, CANMEM_MODE_INSTALL, logs_wat, &o, 0, 0);
    do_call(c, CANMEM_CALL_UPDATE, "boom");
    CHECK(log_records(c, r, 8) == 0, "success-only reading");
    do_call(c, CANMEM_CALL_UPDATE, "hello");
    do_call(c, CANMEM_CALL_UPDATE, "hello");
    CHECK(log_records(c, r, 8) == 1 && r[0].idx == 1,
          "max_log_bytes keeps the newest");
    A->destroy(c);
  }
}

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : NULL;
#ifdef CMW_TEST_ADAPTER
  if (!path)
    path = CMW_TEST_ADAPTER;
#endif
#ifdef CMW_TEST_CACHE_DIR
  setenv("CANMEM_CACHE_DIR", CMW_TEST_CACHE_DIR, 0);
#endif
  if (!path) {
    fprintf(stderr, "usage: %s ADAPTER.so\n", argv[0]);
    return 2;
  }
  char cmd[300];
  snprintf(cmd, sizeof cmd,
           "'%s' --version >/dev/null 2>&1 && wasm2c --version >/dev/null "
           "2>&1 && %s --version >/dev/null 2>&1",
           wat2wasm_tool(),
           getenv("CANMEM_CC") && *getenv("CANMEM_CC") ? getenv("CANMEM_CC")
                                                       : "cc");
  if (system(cmd) != 0) {
    fprintf(stderr, "SKIP: wat2wasm, wasm2c or cc missing\n");
    return 77;
  }
  void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  canmem_adapter_entry entry;
  *(void **)&entry = dlsym(h, CANMEM_ADAPTER_SYMBOL);
  if (!entry || !(A = entry()) || A->abi_version != CANMEM_ADAPTER_ABI_VERSION) {
    fprintf(stderr, "no usable %s in %s\n", CANMEM_ADAPTER_SYMBOL, path);
    return 1;
  }
  test_counter_and_rollback();
  test_module_rules();
  test_heap_4gib();
  test_imports_and_keep();
  test_features();
  test_translator_crash();
  test_calls();
  test_snapshots();
  test_logs();
  fprintf(stderr, "%d checks, %d failures\n", checks, failures);
  dlclose(h);
  return failures ? 1 : 0;
}
