/* Drives the v8 adapter through the ABI only (dlopen + canmem_adapter_v1),
 * the way the runner does, on hand-written wat canisters. When the
 * reference adapter module is given too, every scenario also runs on it and
 * both must give the expected outcomes: a small cross-check until the
 * vector runner covers it.
 *
 *   test_v8_adapter [V8_ADAPTER.so [REF_ADAPTER.so]]
 *
 * Exits 77 (skipped) when wat2wasm or a Node.js for the host is missing.
 * Prints `N passed, N failed` at the end. */
#define _POSIX_C_SOURCE 200809L

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "canmem_adapter.h"

#ifndef CM_V8_ADAPTER_SO
#define CM_V8_ADAPTER_SO ""
#endif
#ifndef CM_REF_ADAPTER_SO
#define CM_REF_ADAPTER_SO ""
#endif

typedef struct {
  const canmem_adapter *a;
  canmem_canister *c;
  const char *test;
  int failed;
} run_state;

static int passed, failed;
static char work_dir[256];

/* ---- modules ---- */

typedef struct {
  uint8_t *bytes;
  size_t size;
} blob;

static const char *wat2wasm_path(void) {
  const char *env = getenv("WAT2WASM");
  return env && env[0] ? env : "wat2wasm";
}

/* Compiles wat with wat2wasm (memory64 on); an empty blob on failure. */
static blob compile(const char *wat) {
  blob b = {NULL, 0};
  static unsigned counter;
  char wat_path[512], wasm_path[512], command[1600];
  snprintf(wat_path, sizeof wat_path, "%s/m%u.wat", work_dir, counter);
  snprintf(wasm_path, sizeof wasm_path, "%s/m%u.wasm", work_dir, counter++);
  FILE *f = fopen(wat_path, "w");
  if (!f)
    return b;
  fputs(wat, f);
  fclose(f);
  snprintf(command, sizeof command,
           "'%s' --enable-memory64 --enable-tail-call '%s' -o '%s'",
           wat2wasm_path(), wat_path, wasm_path);
  if (system(command) != 0) {
    fprintf(stderr, "wat2wasm failed on:\n%s\n", wat);
    return b;
  }
  f = fopen(wasm_path, "rb");
  if (!f)
    return b;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  b.bytes = malloc(size > 0 ? (size_t)size + 128 : 128);
  if (b.bytes && fread(b.bytes, 1, (size_t)size, f) == (size_t)size)
    b.size = (size_t)size;
  fclose(f);
  return b;
}

/* Appends a custom section (e.g. icp:private enhanced-orthogonal-persistence). */
static void add_custom_section(blob *b, const char *name) {
  size_t len = strlen(name);
  b->bytes[b->size++] = 0;
  b->bytes[b->size++] = (uint8_t)(len + 1);
  b->bytes[b->size++] = (uint8_t)len;
  memcpy(b->bytes + b->size, name, len);
  b->size += len;
}

/* ---- 64-bit tables ----
 * wabt 1.0.32 cannot write a 64-bit table, so a module is written with a
 * 32-bit one and its binary patched: every table (defined or imported)
 * gets the i64 limits flag, the offset of every active element segment
 * becomes an i64.const, and in the code the markers below lose the
 * conversion that made the wat valid with i32 indices. A marker is a
 * conversion next to a table instruction, replaced by a nop:
 *   i32.wrap_i64 before call_indirect (0x11) or table.grow (0xfc 15),
 *   i64.extend_i32_u after table.grow or table.size (0xfc 16). */

static uint32_t leb(const uint8_t *p, size_t *at) {
  uint32_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    uint8_t byte = p[(*at)++];
    v |= (uint32_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      return v;
  }
}

static void skip_name(const uint8_t *p, size_t *at) {
  uint32_t n = leb(p, at);
  *at += n;
}

/* Patches b in place; returns how many markers and flags were changed, or
 * -1 when the module has a shape this helper does not know. */
static int to_table64(blob *b) {
  uint8_t *p = b->bytes;
  int changes = 0;
  size_t at = 8;
  while (at < b->size) {
    uint8_t id = p[at++];
    uint32_t size = leb(p, &at);
    size_t start = at, end = at + size, i = at;
    if (id == 2) { /* imports: tables */
      for (uint32_t n = leb(p, &i); n > 0; n--) {
        skip_name(p, &i);
        skip_name(p, &i);
        uint8_t kind = p[i++];
        if (kind == 0)
          leb(p, &i);
        else if (kind == 1 && p[i] == 0x70) {
          uint8_t flags = p[i + 1]; /* after the element type */
          p[i + 1] |= 4;
          changes++;
          i += 2;
          leb(p, &i);
          if (flags & 1)
            leb(p, &i);
        } else
          return -1; /* the tests import only functions and tables */
      }
    } else if (id == 4) { /* tables */
      for (uint32_t n = leb(p, &i); n > 0; n--) {
        if (p[i] != 0x70)
          return -1;
        uint8_t flags = p[i + 1];
        p[i + 1] |= 4;
        changes++;
        i += 2;
        leb(p, &i);
        if (flags & 1)
          leb(p, &i);
      }
    } else if (id == 9) { /* element segments: active, table 0 */
      for (uint32_t n = leb(p, &i); n > 0; n--) {
        if (p[i] != 0 || p[i + 1] != 0x41)
          return -1;
        p[i + 1] = 0x42;
        changes++;
        i += 2;
        leb(p, &i);
        if (p[i++] != 0x0b)
          return -1;
        for (uint32_t k = leb(p, &i); k > 0; k--)
          leb(p, &i);
      }
    } else if (id == 10) {
      for (i = start; i + 3 < end; i++) {
        int wrap = p[i] == 0xa7 &&
                   (p[i + 1] == 0x11 || (p[i + 1] == 0xfc && p[i + 2] == 15));
        int extend = p[i] == 0xfc && (p[i + 1] == 15 || p[i + 1] == 16) &&
                     p[i + 2] == 0 && p[i + 3] == 0xad;
        if (wrap) {
          p[i] = 0x01;
          changes++;
        } else if (extend) {
          p[i + 3] = 0x01;
          changes++;
        }
      }
    }
    at = end;
  }
  return changes;
}

/* ---- profiles ---- */

static canmem_profile ic_current(void) {
  canmem_profile p;
  memset(&p, 0, sizeof p);
  p.struct_size = sizeof p;
  snprintf(p.name, sizeof p.name, "ic-current");
  p.features = 0x1ff;
  p.max_stable_bytes = 500ull << 30;
  p.max_stable32_bytes = 4ull << 30;
  p.max_heap32_bytes = 4ull << 30;
  p.max_heap64_bytes = 6ull << 30;
  p.max_wasm_memory_limit = (1ull << 48) - 1;
  p.max_reply_bytes = 2u << 20;
  p.max_query_reply_bytes = 3u << 20;
  p.max_certified_data_bytes = 32;
  p.max_module_bytes = 100u << 20;
  p.max_functions = 50000;
  p.max_globals = 1000;
  p.max_exported_methods = 1000;
  p.max_method_name_bytes = 20000;
  p.max_icp_sections = 16;
  p.max_icp_section_bytes = 1u << 20;
  p.time_start_ns = 1700000000000000000ull;
  p.time_step_ns = 1000000000ull;
  p.cycle_balance = 100000000000000ull;
  return p;
}

/* ---- steps ---- */

#define CHECK(st, cond, ...)                                                 \
  do {                                                                       \
    if (!(cond)) {                                                           \
      fprintf(stderr, "FAIL [%s] %s:%d: ", (st)->a->name, (st)->test,        \
              __LINE__);                                                     \
      fprintf(stderr, __VA_ARGS__);                                          \
      fprintf(stderr, "\n");                                                 \
      (st)->failed = 1;                                                      \
    }                                                                        \
  } while (0)

static int start(run_state *st, const char *test, canmem_profile p) {
  char error[512] = "";
  st->test = test;
  st->failed = 0;
  st->c = st->a->create(&p, error, sizeof error);
  CHECK(st, st->c != NULL, "create failed: %s", error);
  return st->c != NULL;
}

static void end(run_state *st) {
  if (st->c)
    st->a->destroy(st->c);
  st->c = NULL;
  if (st->failed)
    failed++;
  else
    passed++;
  printf("%s %s: %s\n", st->failed ? "not ok" : "ok", st->a->name, st->test);
}

static void expect(run_state *st, int line, int32_t status,
                   const canmem_outcome *o, uint32_t kind, uint32_t code,
                   uint32_t category, const void *payload,
                   size_t payload_size) {
  if (status != CANMEM_OK) {
    fprintf(stderr, "FAIL [%s] %s (line %d): status %d: %s\n", st->a->name,
            st->test, line, status, o->message);
    st->failed = 1;
    return;
  }
  if (o->kind != kind || o->reject_code != code || o->category != category) {
    fprintf(stderr,
            "FAIL [%s] %s (line %d): got %s/%u/%s, expected %s/%u/%s (%s)\n",
            st->a->name, st->test, line, canmem_outcome_kind_name(o->kind),
            o->reject_code, canmem_category_name(o->category),
            canmem_outcome_kind_name(kind), code,
            canmem_category_name(category), o->message);
    st->failed = 1;
    return;
  }
  if (payload && (o->payload_size != payload_size ||
                  memcmp(o->payload, payload, payload_size) != 0)) {
    fprintf(stderr, "FAIL [%s] %s (line %d): payload differs (%llu bytes)\n",
            st->a->name, st->test, line,
            (unsigned long long)o->payload_size);
    st->failed = 1;
  }
}

static int32_t install(run_state *st, uint32_t mode, blob m, uint32_t skip,
                       uint32_t persistence, canmem_outcome *o) {
  canmem_install r;
  memset(&r, 0, sizeof r);
  r.struct_size = sizeof r;
  r.mode = mode;
  r.skip_pre_upgrade = skip;
  r.wasm_memory_persistence = persistence;
  r.wasm = m.bytes;
  r.wasm_size = m.size;
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  return st->a->install_code(st->c, &r, o);
}

static int32_t call(run_state *st, uint32_t kind, const char *method,
                    const void *arg, size_t arg_size, canmem_outcome *o) {
  memset(o, 0, sizeof *o);
  o->struct_size = sizeof *o;
  return st->a->call(st->c, kind, method, arg, arg_size, o);
}

#define INSTALL_OK(st, mode, m, skip, keep)                                  \
  do {                                                                       \
    canmem_outcome o_;                                                       \
    int32_t s_ = install(st, mode, m, skip, keep, &o_);                      \
    expect(st, __LINE__, s_, &o_, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE,  \
           NULL, 0);                                                         \
  } while (0)
#define INSTALL_REJECTED(st, mode, m, skip, keep, cat)                       \
  do {                                                                       \
    canmem_outcome o_;                                                       \
    int32_t s_ = install(st, mode, m, skip, keep, &o_);                      \
    expect(st, __LINE__, s_, &o_, CANMEM_OUTCOME_INSTALL_REJECTED, 5, cat,   \
           NULL, 0);                                                         \
  } while (0)
#define CALL_REPLY_U64(st, kind, method, value)                              \
  do {                                                                       \
    canmem_outcome o_;                                                       \
    uint64_t v_ = (value);                                                   \
    uint8_t le_[8];                                                          \
    for (int i_ = 0; i_ < 8; i_++)                                           \
      le_[i_] = (uint8_t)(v_ >> (8 * i_));                                   \
    int32_t s_ = call(st, kind, method, NULL, 0, &o_);                       \
    expect(st, __LINE__, s_, &o_, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE,  \
           le_, 8);                                                          \
  } while (0)
#define CALL_EXPECT(st, kind, method, okind, code, cat)                      \
  do {                                                                       \
    canmem_outcome o_;                                                       \
    int32_t s_ = call(st, kind, method, NULL, 0, &o_);                       \
    expect(st, __LINE__, s_, &o_, okind, code, cat, NULL, 0);                \
  } while (0)

/* ---- the canisters ---- */

#define IMPORTS                                                              \
  "(import \"ic0\" \"msg_reply\" (func $reply))\n"                           \
  "(import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 "     \
  "i32)))\n"                                                                 \
  "(import \"ic0\" \"stable64_grow\" (func $sgrow (param i64) (result "     \
  "i64)))\n"                                                                 \
  "(import \"ic0\" \"stable64_size\" (func $ssize (result i64)))\n"          \
  "(import \"ic0\" \"stable64_write\" (func $swrite (param i64 i64 i64)))\n" \
  "(import \"ic0\" \"stable64_read\" (func $sread (param i64 i64 i64)))\n"   \
  "(import \"ic0\" \"trap\" (func $trap (param i32 i32)))\n"
#define HELPERS                                                              \
  "(func $reply64 (param i64) (i64.store (i32.const 65528) (local.get 0))\n" \
  "  (call $append (i32.const 65528) (i32.const 8)) (call $reply))\n"

/* A counter at heap address 0 and one in stable memory at offset 0. */
static const char *counter_wat =
    "(module " IMPORTS HELPERS
    "(memory 1 10) (global $g (mut i64) (i64.const 0))\n"
    "(func (export \"canister_init\") (drop (call $sgrow (i64.const 1))))\n"
    "(func $bump (i64.store (i32.const 0) (i64.add (i64.load (i32.const 0)) "
    "(i64.const 1))) (global.set $g (i64.add (global.get $g) (i64.const 1)))\n"
    "  (call $swrite (i64.const 0) (i64.const 0) (i64.const 8)))\n"
    "(func (export \"canister_update inc\") (call $bump) (call $reply64 "
    "(i64.load (i32.const 0))))\n"
    "(func (export \"canister_query inc_query\") (call $bump) (call $reply64 "
    "(i64.load (i32.const 0))))\n"
    "(func (export \"canister_update inc_trap\") (call $bump) (drop "
    "(call $sgrow (i64.const 3))) (drop (memory.grow (i32.const 2))) "
    "unreachable)\n"
    "(func (export \"canister_query get\") (call $reply64 (i64.load "
    "(i32.const 0))))\n"
    "(func (export \"canister_query global\") (call $reply64 (global.get "
    "$g)))\n"
    "(func (export \"canister_query stable\") (call $sread (i64.const 8) "
    "(i64.const 0) (i64.const 8)) (call $reply64 (i64.load (i32.const 8))))\n"
    "(func (export \"canister_query sizes\") (call $reply64 (i64.add (i64.mul "
    "(call $ssize) (i64.const 1000)) (i64.extend_i32_u (memory.size)))))\n"
    "(func (export \"canister_update noreply\"))\n"
    "(func (export \"canister_update explicit\") (call $trap (i32.const 0) "
    "(i32.const 4)))\n"
    "(func (export \"canister_update stable_oob\") (call $sread (i64.const 0) "
    "(i64.const 65536) (i64.const 1)))\n"
    "(func (export \"canister_update heap_oob\") (drop (i64.load (i32.const "
    "700000))))\n"
    "(func (export \"canister_update div0\") (drop (i32.div_u (i32.const 1) "
    "(i32.const 0))))\n"
    "(func (export \"canister_update loop\") (loop $l (br $l)))\n"
    "(func (export \"canister_pre_upgrade\") (if (i64.eq (i64.load (i32.const "
    "0)) (i64.const 99)) (then unreachable)))\n"
    ")";

/* The next version: no init; reads the stable counter into its heap. */
static const char *counter_v2_wat =
    "(module " IMPORTS HELPERS
    "(memory 1 10)\n"
    "(func (export \"canister_post_upgrade\") (call $sread (i64.const 0) "
    "(i64.const 0) (i64.const 8)))\n"
    "(func (export \"canister_query get\") (call $reply64 (i64.load "
    "(i32.const 0))))\n"
    "(func (export \"canister_query stable\") (call $sread (i64.const 8) "
    "(i64.const 0) (i64.const 8)) (call $reply64 (i64.load (i32.const 8))))\n"
    ")";

static void test_counter(run_state *st) {
  if (!start(st, "update commits, query and trap roll back", ic_current()))
    return;
  blob m = compile(counter_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 1);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "inc_query", 3);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc_query", 3); /* replicated */
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 2);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "inc_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "global", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "stable", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "sizes", 1001);
  uint64_t pages = 0;
  if (st->a->heap_size) {
    CHECK(st, st->a->heap_size(st->c, &pages) == CANMEM_OK && pages == 1,
          "heap_size %llu", (unsigned long long)pages);
    CHECK(st, st->a->stable_size(st->c, &pages) == CANMEM_OK && pages == 1,
          "stable_size %llu", (unsigned long long)pages);
    uint8_t bytes[8] = {0};
    CHECK(st, st->a->read_stable(st->c, 0, bytes, 8) == CANMEM_OK &&
                  bytes[0] == 2,
          "read_stable");
    CHECK(st, st->a->read_heap(st->c, 70000, bytes, 8) == CANMEM_ERR_ARGUMENT,
          "read_heap outside");
  }
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "noreply", CANMEM_OUTCOME_NO_REPLY, 5,
              CANMEM_CAT_NONE);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "explicit", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_EXPLICIT_TRAP);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "stable_oob", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_STABLE_OUT_OF_BOUNDS);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "heap_oob", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "div0", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_INTEGER_DIVIDE_BY_ZERO);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "nothing", CANMEM_OUTCOME_REJECT, 3,
              CANMEM_CAT_METHOD_NOT_FOUND);
  CALL_EXPECT(st, CANMEM_CALL_QUERY, "inc", CANMEM_OUTCOME_REJECT, 3,
              CANMEM_CAT_METHOD_NOT_FOUND);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 2);
  INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, m, 0, 0,
                   CANMEM_CAT_CANISTER_NOT_EMPTY);
  free(m.bytes);
  end(st);
}

static void test_upgrade(run_state *st) {
  if (!start(st, "upgrade keeps stable memory, not the heap", ic_current()))
    return;
  blob m1 = compile(counter_wat), m2 = compile(counter_v2_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m1, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 1);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 2);
  /* Upgrading to itself: the heap starts over, stable keeps 2. */
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m1, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 0);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "stable", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 1); /* stable := 1 */
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m2, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 1);
  INSTALL_OK(st, CANMEM_MODE_REINSTALL, m1, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "stable", 0);
  canmem_outcome o;
  int32_t s = install(st, CANMEM_MODE_UNINSTALL, (blob){NULL, 0}, 0, 0, &o);
  expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, NULL,
         0);
  CALL_EXPECT(st, CANMEM_CALL_QUERY, "get", CANMEM_OUTCOME_REJECT, 3,
              CANMEM_CAT_CANISTER_EMPTY);
  INSTALL_REJECTED(st, CANMEM_MODE_UPGRADE, m1, 0, 0,
                   CANMEM_CAT_CANISTER_EMPTY);
  free(m1.bytes);
  free(m2.bytes);
  end(st);
}

/* pre_upgrade traps when the heap counter is 99: the upgrade fails and
 * nothing changes; skip_pre_upgrade gets past it. */
static const char *trapping_pre_wat =
    "(module " IMPORTS HELPERS
    "(memory 1)\n"
    "(func (export \"canister_init\") (i64.store (i32.const 0) (i64.const "
    "99)) (drop (call $sgrow (i64.const 1))) (call $swrite (i64.const 0) "
    "(i64.const 0) (i64.const 8)))\n"
    "(func (export \"canister_pre_upgrade\") (drop (call $sgrow (i64.const "
    "5))) (if (i64.eq (i64.load (i32.const 0)) (i64.const 99)) (then "
    "unreachable)))\n"
    "(func (export \"canister_query sizes\") (call $reply64 (call $ssize)))\n"
    ")";

static void test_pre_upgrade_trap(run_state *st) {
  if (!start(st, "a trapping pre_upgrade rolls back; skip_pre_upgrade",
             ic_current()))
    return;
  blob m = compile(trapping_pre_wat), m2 = compile(counter_v2_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  INSTALL_REJECTED(st, CANMEM_MODE_UPGRADE, m2, 0, 0,
                   CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "sizes", 1);
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m2, 1, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 99);
  free(m.bytes);
  free(m2.bytes);
  end(st);
}

/* Enhanced orthogonal persistence: keep carries the heap over. */
static void test_keep(run_state *st) {
  if (!start(st, "wasm_memory_persistence keep and its rules", ic_current()))
    return;
  blob m = compile(counter_wat), plain = compile(counter_wat);
  add_custom_section(&m, "icp:private enhanced-orthogonal-persistence");
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 1);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 2);
  INSTALL_REJECTED(st, CANMEM_MODE_UPGRADE, m, 0, CANMEM_PERSISTENCE_ABSENT,
                   CANMEM_CAT_UPGRADE_OPTION);
  INSTALL_REJECTED(st, CANMEM_MODE_UPGRADE, plain, 0, CANMEM_PERSISTENCE_KEEP,
                   CANMEM_CAT_UPGRADE_OPTION);
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m, 0, CANMEM_PERSISTENCE_KEEP);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "global", 0); /* globals start over */
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m, 0, CANMEM_PERSISTENCE_REPLACE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "get", 0);
  free(m.bytes);
  free(plain.bytes);
  end(st);
}

static void test_module_rules(run_state *st) {
  if (!start(st, "module rules refuse the install", ic_current()))
    return;
  struct {
    const char *wat;
    uint32_t category;
  } cases[] = {
      {"(module (import \"env\" \"f\" (func)))", CANMEM_CAT_MODULE_IMPORT},
      {"(module (import \"ic0\" \"nope\" (func)))", CANMEM_CAT_MODULE_IMPORT},
      {"(module (import \"ic0\" \"msg_reply\" (func (param i32))))",
       CANMEM_CAT_MODULE_IMPORT_SIGNATURE},
      {"(module (import \"ic0\" \"stable_size\" (func (result i32))) "
       "(memory i64 1))",
       CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY},
      {"(module (func (export \"canister_bogus\")))", CANMEM_CAT_MODULE_EXPORT},
      {"(module (func (export \"canister_update m\") (param i32)))",
       CANMEM_CAT_MODULE_EXPORT},
      {"(module (func $f) (export \"canister_update m\" (func $f)) (export "
       "\"canister_query m\" (func $f)))",
       CANMEM_CAT_MODULE_DUPLICATE_METHOD},
      {"(module (memory 1) (data (i32.const 65535) \"ab\"))",
       CANMEM_CAT_INSTANTIATION_FAILED},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    blob m = compile(cases[i].wat);
    INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, m, 0, 0, cases[i].category);
    free(m.bytes);
  }
  blob junk = {(uint8_t *)"\0asm\2\0\0\0", 8};
  INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, junk, 0, 0,
                   CANMEM_CAT_INVALID_MODULE);
  /* Nothing was installed by any of them. */
  CALL_EXPECT(st, CANMEM_CALL_QUERY, "get", CANMEM_OUTCOME_REJECT, 3,
              CANMEM_CAT_CANISTER_EMPTY);
  end(st);
}

/* wasm64: pointers are i64; start runs stable64_grow (stable_in_start). */
static const char *wasm64_wat =
    "(module\n"
    "(import \"ic0\" \"msg_reply\" (func $reply))\n"
    "(import \"ic0\" \"msg_reply_data_append\" (func $append (param i64 "
    "i64)))\n"
    "(import \"ic0\" \"msg_arg_data_copy\" (func $argcopy (param i64 i64 "
    "i64)))\n"
    "(import \"ic0\" \"stable64_grow\" (func $sgrow (param i64) (result "
    "i64)))\n"
    "(memory i64 1)\n"
    "(func $start (drop (call $sgrow (i64.const 2))))\n"
    "(start $start)\n"
    "(func (export \"canister_update echo\") (call $argcopy (i64.const 100) "
    "(i64.const 0) (i64.const 3)) (call $append (i64.const 100) (i64.const "
    "3)) (call $reply))\n"
    "(func (export \"canister_update copy_oob\") (call $argcopy (i64.const "
    "65535) (i64.const 0) (i64.const 3)))\n"
    "(func (export \"canister_update grow\") (drop (memory.grow (i64.const "
    "1))) (call $reply))\n"
    ")";

static void test_wasm64(run_state *st) {
  if (!start(st, "wasm64 canister, limit and settings", ic_current()))
    return;
  blob m = compile(wasm64_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  canmem_outcome o;
  int32_t s = call(st, CANMEM_CALL_UPDATE, "echo", "abc", 3, &o);
  expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, "abc",
         3);
  s = call(st, CANMEM_CALL_UPDATE, "copy_oob", "abc", 3, &o);
  expect(st, __LINE__, s, &o, CANMEM_OUTCOME_TRAP, 5,
         CANMEM_CAT_HEAP_OUT_OF_BOUNDS, NULL, 0);
  uint64_t pages = 0;
  if (st->a->stable_size)
    CHECK(st, st->a->stable_size(st->c, &pages) == CANMEM_OK && pages == 2,
          "stable pages %llu", (unsigned long long)pages);
  canmem_settings set = {sizeof set, CANMEM_SETTING_WASM_MEMORY_LIMIT, 1000,
                         0};
  s = st->a->update_settings(st->c, &set, &o);
  expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REJECT, 5,
         CANMEM_CAT_INVALID_SETTINGS, NULL, 0);
  set.wasm_memory_limit = 65536 + 100;
  s = st->a->update_settings(st->c, &set, &o);
  expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, NULL,
         0);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "grow", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_WASM_MEMORY_LIMIT);
  if (st->a->heap_size)
    CHECK(st, st->a->heap_size(st->c, &pages) == CANMEM_OK && pages == 1,
          "heap pages %llu after the failed grow", (unsigned long long)pages);
  free(m.bytes);
  end(st);
}

/* Context rules, reject, timer, inspect_message. */
static const char *api_wat =
    "(module " IMPORTS
    "(import \"ic0\" \"msg_reject\" (func $reject (param i32 i32)))\n"
    "(import \"ic0\" \"global_timer_set\" (func $timer (param i64) (result "
    "i64)))\n"
    "(import \"ic0\" \"accept_message\" (func $accept))\n"
    "(import \"ic0\" \"msg_method_name_size\" (func $mlen (result i32)))\n"
    HELPERS
    "(memory 1) (data (i32.const 0) \"nope\")\n"
    "(func (export \"canister_update no\") (call $reject (i32.const 0) "
    "(i32.const 4)))\n"
    "(func (export \"canister_update twice\") (call $reply) (call $reply))\n"
    "(func (export \"canister_update arm\") (drop (call $timer (i64.const "
    "5))) (call $reply))\n"
    "(func (export \"canister_global_timer\") (i64.store (i32.const 16) "
    "(i64.add (i64.load (i32.const 16)) (i64.const 1))))\n"
    "(func (export \"canister_query ticks\") (call $reply64 (i64.load "
    "(i32.const 16))))\n"
    "(func (export \"canister_inspect_message\") (if (i32.eq (call $mlen) "
    "(i32.const 2)) (then (call $accept))))\n"
    ")";

static void test_api(run_state *st) {
  if (!start(st, "reject, double reply, timer, inspect_message",
             ic_current()))
    return;
  blob m = compile(api_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  canmem_outcome o;
  int32_t s = call(st, CANMEM_CALL_UPDATE, "no", NULL, 0, &o);
  expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REJECT, 4, CANMEM_CAT_NONE,
         "nope", 4);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "twice", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_CONTRACT_VIOLATION);
  CALL_EXPECT(st, CANMEM_CALL_SYSTEM_TASK, "canister_global_timer",
              CANMEM_OUTCOME_REJECT, 3, CANMEM_CAT_TASK_NOT_SCHEDULED);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "arm", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  CALL_EXPECT(st, CANMEM_CALL_SYSTEM_TASK, "canister_global_timer",
              CANMEM_OUTCOME_NO_REPLY, 0, CANMEM_CAT_NONE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "ticks", 1);
  CALL_EXPECT(st, CANMEM_CALL_INSPECT_MESSAGE, "no", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  CALL_EXPECT(st, CANMEM_CALL_INSPECT_MESSAGE, "arm", CANMEM_OUTCOME_REJECT,
              4, CANMEM_CAT_MESSAGE_NOT_ACCEPTED);
  free(m.bytes);
  /* msg_reply in canister_init is not allowed there. */
  blob bad = compile("(module (import \"ic0\" \"msg_reply\" (func $r)) "
                     "(func (export \"canister_init\") (call $r)))");
  INSTALL_REJECTED(st, CANMEM_MODE_REINSTALL, bad, 0, 0,
                   CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "ticks", 1);
  free(bad.bytes);
  end(st);
}

/* A runaway canister must not hang the caller (v8 only: the reference
 * counts instructions instead). */
/* ---- WebAssembly features: SIMD, tail calls, 64-bit tables ---- */

static canmem_profile with_features(void) {
  canmem_profile p = ic_current();
  p.features |= CANMEM_FEATURE_SIMD | CANMEM_FEATURE_TAIL_CALL |
                CANMEM_FEATURE_TABLE64;
  return p;
}

#define CALL_REPLY_I32X4(st, kind, method, a, b, c, d)                       \
  do {                                                                       \
    canmem_outcome o_;                                                       \
    uint32_t lanes_[4] = {a, b, c, d};                                       \
    uint8_t le_[16];                                                         \
    for (int i_ = 0; i_ < 16; i_++)                                          \
      le_[i_] = (uint8_t)(lanes_[i_ / 4] >> (8 * (i_ % 4)));                 \
    int32_t s_ = call(st, kind, method, NULL, 0, &o_);                       \
    expect(st, __LINE__, s_, &o_, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE,  \
           le_, 16);                                                         \
  } while (0)

/* A v128 accumulator in a mutable global (which JavaScript cannot read:
 * the v8 host saves it through added functions), the increment in the
 * heap; pre_upgrade carries the accumulator over in stable memory. */
static const char *simd_wat =
    "(module " IMPORTS
    "(memory 1) (global $acc (mut v128) (v128.const i32x4 0 0 0 0))\n"
    "(func $reply_acc (v128.store (i32.const 32) (global.get $acc))\n"
    "  (call $append (i32.const 32) (i32.const 16)) (call $reply))\n"
    "(func (export \"canister_init\") (v128.store (i32.const 0) (v128.const "
    "i32x4 1 2 3 4)) (drop (call $sgrow (i64.const 1))))\n"
    "(func $add (global.set $acc (i32x4.add (global.get $acc) (v128.load "
    "(i32.const 0)))))\n"
    "(func (export \"canister_update add\") (call $add) (call $reply_acc))\n"
    "(func (export \"canister_query add_query\") (call $add) (call "
    "$reply_acc))\n"
    "(func (export \"canister_update add_trap\") (call $add) unreachable)\n"
    "(func (export \"canister_update add_grow_trap\") (call $add) (drop "
    "(memory.grow (i32.const 1))) unreachable)\n"
    "(func (export \"canister_query get\") (call $reply_acc))\n"
    "(func (export \"canister_update load_oob\") (global.set $acc (v128.load "
    "(i32.const 65530))))\n"
    "(func (export \"canister_pre_upgrade\") (v128.store (i32.const 16) "
    "(global.get $acc)) (call $swrite (i64.const 0) (i64.const 16) "
    "(i64.const 16)))\n"
    "(func (export \"canister_post_upgrade\") (call $sread (i64.const 16) "
    "(i64.const 0) (i64.const 16)) (global.set $acc (v128.load (i32.const "
    "16))) (v128.store (i32.const 0) (v128.const i32x4 10 20 30 40)))\n"
    ")";

static void test_simd(run_state *st) {
  if (!start(st, "SIMD: a v128 global across traps and an upgrade",
             with_features()))
    return;
  blob m = compile(simd_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_I32X4(st, CANMEM_CALL_UPDATE, "add", 1, 2, 3, 4);
  CALL_REPLY_I32X4(st, CANMEM_CALL_UPDATE, "add", 2, 4, 6, 8);
  CALL_REPLY_I32X4(st, CANMEM_CALL_QUERY, "add_query", 3, 6, 9, 12);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "add_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_I32X4(st, CANMEM_CALL_QUERY, "get", 2, 4, 6, 8);
  /* The heap grew: the v8 host restores into a new instance. */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "add_grow_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_I32X4(st, CANMEM_CALL_QUERY, "get", 2, 4, 6, 8);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "load_oob", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_HEAP_OUT_OF_BOUNDS);
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m, 0, 0);
  CALL_REPLY_I32X4(st, CANMEM_CALL_QUERY, "get", 2, 4, 6, 8);
  CALL_REPLY_I32X4(st, CANMEM_CALL_UPDATE, "add", 12, 24, 36, 48);
  free(m.bytes);
  end(st);
}

/* 1,000,000 tail calls, direct and through a table, in constant stack; the
 * same depth of ordinary calls exhausts the stack. */
static const char *tail_wat =
    "(module " IMPORTS HELPERS
    "(memory 1) (type $step (func (param i64 i64) (result i64)))\n"
    "(table 1 funcref) (elem (i32.const 0) $count_indirect)\n"
    "(func $count (param i64 i64) (result i64)\n"
    "  (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))\n"
    "    (else (return_call $count (i64.sub (local.get 0) (i64.const 1))\n"
    "      (i64.add (local.get 1) (i64.const 2))))))\n"
    "(func $count_indirect (type $step)\n"
    "  (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))\n"
    "    (else (return_call_indirect (type $step) (i64.sub (local.get 0) "
    "(i64.const 1))\n"
    "      (i64.add (local.get 1) (i64.const 3)) (i32.const 0)))))\n"
    "(func $plain (param i64) (result i64)\n"
    "  (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))\n"
    "    (else (i64.add (i64.const 1) (call $plain (i64.sub (local.get 0) "
    "(i64.const 1)))))))\n"
    "(func (export \"canister_update tail\") (call $reply64 (call $count "
    "(i64.const 1000000) (i64.const 0))))\n"
    "(func (export \"canister_update tail_indirect\") (call $reply64 (call "
    "$count_indirect (i64.const 1000000) (i64.const 0))))\n"
    "(func (export \"canister_update plain\") (call $reply64 (call $plain "
    "(i64.const 1000000))))\n"
    "(func $off_table (result i64) (return_call_indirect (type $step) "
    "(i64.const 1) (i64.const 0) (i32.const 1)))\n"
    "(func (export \"canister_update off_table\") (call $reply64 (call "
    "$off_table)))\n"
    ")";

static void test_tail_call(run_state *st) {
  if (!start(st, "tail calls: 1,000,000 return_calls", with_features()))
    return;
  blob m = compile(tail_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "tail", 2000000);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "tail_indirect", 3000000);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "plain", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_STACK_EXHAUSTED);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "off_table", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_TABLE_OUT_OF_BOUNDS);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "tail", 2000000);
  free(m.bytes);
  end(st);
}

/* wasm64 with a 64-bit table (the shape of Motoko's enhanced orthogonal
 * persistence canisters), written with a 32-bit table and patched by
 * to_table64: see the markers there. */
#define TABLE64_IMPORTS                                                      \
  "(import \"ic0\" \"msg_reply\" (func $reply))\n"                           \
  "(import \"ic0\" \"msg_reply_data_append\" (func $append (param i64 "     \
  "i64)))\n"
#define TABLE64_HELPERS                                                      \
  "(func $reply64 (param i64) (i64.store (i64.const 65528) (local.get 0))\n" \
  "  (call $append (i64.const 65528) (i64.const 8)) (call $reply))\n"
static const char *table64_wat =
    "(module " TABLE64_IMPORTS
    "(memory i64 1) (type $un (func (param i64) (result i64)))\n"
    "(table $t 2 10 funcref) (elem (i32.const 0) $double $square)\n"
    "(func $double (type $un) (i64.mul (local.get 0) (i64.const 2)))\n"
    "(func $square (type $un) (i64.mul (local.get 0) (local.get 0)))\n"
    TABLE64_HELPERS
    "(func $at (param i64) (result i64) (call_indirect $t (type $un) "
    "(i64.const 7) (i32.wrap_i64 (local.get 0))))\n"
    "(func (export \"canister_update call1\") (call $reply64 (call $at "
    "(i64.const 1))))\n"
    "(func (export \"canister_update call4\") (call $reply64 (call $at "
    "(i64.const 4))))\n"
    /* 2^32 + 1: a host that truncates the index would call $square */
    "(func (export \"canister_update call_far\") (call $reply64 (call $at "
    "(i64.const 0x100000001))))\n"
    "(func (export \"canister_update grow\") (call $reply64 (i64.extend_i32_u "
    "(table.grow $t (ref.func $double) (i32.wrap_i64 (i64.const 3))))))\n"
    "(func (export \"canister_update grow_trap\") (drop (table.grow $t "
    "(ref.func $square) (i32.wrap_i64 (i64.const 1)))) unreachable)\n"
    "(func (export \"canister_update grow_heap_trap\") (drop (memory.grow "
    "(i64.const 1))) unreachable)\n"
    "(func (export \"canister_query size\") (call $reply64 (i64.extend_i32_u "
    "(table.size $t))))\n"
    "(func (export \"canister_update bump\") (i64.store (i64.const 0) "
    "(i64.add (i64.load (i64.const 0)) (i64.const 1))) (call $reply64 "
    "(i64.load (i64.const 0))))\n"
    ")";

/* An imported 64-bit table. */
static const char *table64_import_wat =
    "(module " TABLE64_IMPORTS
    "(import \"env\" \"table\" (table $t 3 funcref))\n"
    "(memory i64 1) (elem (i32.const 1) $seven)\n"
    "(func $seven (result i64) (i64.const 7))\n" TABLE64_HELPERS
    "(func (export \"canister_update call1\") (call $reply64 (call_indirect "
    "$t (result i64) (i32.wrap_i64 (i64.const 1)))))\n"
    ")";

static blob compile_table64(run_state *st, const char *wat, int changes) {
  blob m = compile(wat);
  int n = m.size ? to_table64(&m) : -1;
  CHECK(st, n == changes, "to_table64 made %d changes, expected %d", n,
        changes);
  return m;
}

/* The scenario runs on the module as wat2wasm wrote it (a 32-bit table,
 * where the index 2^32 + 1 wraps to 1) and patched (a 64-bit table). */
static void table_scenario(run_state *st, int is64) {
  if (!start(st,
             is64 ? "64-bit table: call_indirect, grow, size, rollback"
                  : "32-bit table: call_indirect, grow, size, rollback",
             with_features()))
    return;
  /* table, segment, call_indirect, two table.grow, two extends */
  blob m = is64 ? compile_table64(st, table64_wat, 7) : compile(table64_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call1", 49);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call4", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_TABLE_OUT_OF_BOUNDS);
  if (is64)
    CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call_far", CANMEM_OUTCOME_TRAP, 5,
                CANMEM_CAT_TABLE_OUT_OF_BOUNDS);
  else
    CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call_far", 49);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "size", 2);
  /* The table grew in a trapping message: rolled back. */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "grow_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "size", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call1", 49);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "grow", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "size", 5);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call4", 14);
  /* Rolling back a later growth (the v8 host makes a new instance) keeps
   * the committed growth and the entries it put in. */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "grow_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "size", 5);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call4", 14);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "grow_heap_trap", CANMEM_OUTCOME_TRAP,
              5, CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "size", 5);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call4", 14);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call1", 49);
  free(m.bytes);
  if (is64) { /* table import, segment, call_indirect */
    blob imported = compile_table64(st, table64_import_wat, 3);
    INSTALL_OK(st, CANMEM_MODE_REINSTALL, imported, 0, 0);
    CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call1", 7);
    free(imported.bytes);
  }
  end(st);
}

static void test_table64(run_state *st) { table_scenario(st, 1); }

/* Enhanced orthogonal persistence with a 64-bit table: keep carries the
 * wasm64 heap over, the table starts over from the new module. */
static void test_table64_keep(run_state *st) {
  if (!start(st, "64-bit table: upgrade with keep", with_features()))
    return;
  blob m = compile_table64(st, table64_wat, 7);
  add_custom_section(&m, "icp:private enhanced-orthogonal-persistence");
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "bump", 1);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "bump", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "grow", 2);
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, m, 0, CANMEM_PERSISTENCE_KEEP);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "bump", 3);
  CALL_REPLY_U64(st, CANMEM_CALL_QUERY, "size", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "call1", 49);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "grow_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "bump", 4);
  free(m.bytes);
  end(st);
}

/* Without the profile's features the modules are refused, and a module
 * using a feature the IC does not know at all (a GC instruction, which V8
 * validates) is refused whatever the profile. v8 only: the category of
 * these refusals is this host's choice (invalid-module). */
static void test_feature_refusals(run_state *st) {
  if (!start(st, "features the profile lacks are refused", ic_current()))
    return;
  blob simd = compile(simd_wat), tail = compile(tail_wat);
  blob table64 = compile_table64(st, table64_wat, 7);
  INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, simd, 0, 0,
                   CANMEM_CAT_INVALID_MODULE);
  INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, tail, 0, 0,
                   CANMEM_CAT_INVALID_MODULE);
  INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, table64, 0, 0,
                   CANMEM_CAT_INVALID_MODULE);
  /* (func i32.const 0 ref.i31 drop) */
  static const uint8_t gc[] = {0,    0x61, 0x73, 0x6d, 1,    0,    0,    0,
                               1,    4,    1,    0x60, 0,    0,    3,    2,
                               1,    0,    10,   9,    1,    7,    0,    0x41,
                               0,    0xfb, 0x1c, 0x1a, 0x0b};
  blob gc_module = {(uint8_t *)gc, sizeof gc};
  INSTALL_REJECTED(st, CANMEM_MODE_INSTALL, gc_module, 0, 0,
                   CANMEM_CAT_INVALID_MODULE);
  CALL_EXPECT(st, CANMEM_CALL_QUERY, "get", CANMEM_OUTCOME_REJECT, 3,
              CANMEM_CAT_CANISTER_EMPTY);
  free(simd.bytes);
  free(tail.bytes);
  free(table64.bytes);
  end(st);
}

static void test_hang(run_state *st) {
  setenv("CANMEM_V8_TIMEOUT_MS", "2000", 1);
  int ok = start(st, "a hung host is killed at the timeout", ic_current());
  unsetenv("CANMEM_V8_TIMEOUT_MS");
  if (!ok)
    return;
  blob m = compile(counter_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  canmem_outcome o;
  int32_t s = call(st, CANMEM_CALL_UPDATE, "loop", NULL, 0, &o);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double seconds = (double)(t1.tv_sec - t0.tv_sec) +
                   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  CHECK(st, s == CANMEM_ERR_INTERNAL, "status %d (%s)", s, o.message);
  CHECK(st, seconds < 10, "took %.1f s", seconds);
  s = call(st, CANMEM_CALL_QUERY, "get", NULL, 0, &o);
  CHECK(st, s == CANMEM_ERR_INTERNAL, "after the kill: status %d", s);
  free(m.bytes);
  end(st);
}

/* ---- rollback of every kind of heap write ----
 * The v8 host undoes a message by the 64 KiB blocks it saved before their
 * first write (instrument.js), so every instruction and host function that
 * writes into the heap must be seen. Method w writes through each of them
 * into blocks that nothing else in the message writes (a missed write
 * shows), many across a block boundary, then traps when its argument says
 * so. The module comes in a wasm32 and a wasm64 form: in the wat, %A is
 * the address type, %W converts an address to i32 (or nothing) and %M is
 * the memory's index type. Block k starts at k * 65536; block 0 holds the
 * source of memory.copy. */
static const char *writes_wat =
    "(module\n"
    "(import \"ic0\" \"msg_reply\" (func $reply))\n"
    "(import \"ic0\" \"msg_arg_data_copy\" (func $arg (param %A %A %A)))\n"
    "(import \"ic0\" \"msg_caller_size\" (func $caller_size (result %A)))\n"
    "(import \"ic0\" \"msg_caller_copy\" (func $caller (param %A %A %A)))\n"
    "(import \"ic0\" \"canister_self_size\" (func $self_size (result %A)))\n"
    "(import \"ic0\" \"canister_self_copy\" (func $self (param %A %A %A)))\n"
    "(import \"ic0\" \"stable64_grow\" (func $sgrow (param i64) (result "
    "i64)))\n"
    "(import \"ic0\" \"stable64_write\" (func $swrite (param i64 i64 i64)))\n"
    "(import \"ic0\" \"stable64_read\" (func $sread (param i64 i64 i64)))\n"
    "(memory %M 36 40) (data $seg \"0123456789abcdef\")\n"
    /* a pattern over the heap, so that a block restored as zeros shows */
    "(func (export \"canister_init\") (local $p %A)\n"
    "  (loop $l (i32.store (local.get $p) (i32.mul (%W (local.get $p)) "
    "(i32.const 0x9e3779b1)))\n"
    "    (local.set $p (%A.add (local.get $p) (%A.const 4)))\n"
    "    (br_if $l (%A.lt_u (local.get $p) (%A.const 2359296)))))\n"
    /* argument [trap, seed] at 65636; s = seed in every byte */
    "(func $w (local $s i32) (local $v i64) (local $x v128)\n"
    "  (call $arg (%A.const 65636) (%A.const 0) (%A.const 2))\n"
    "  (local.set $s (i32.load8_u (%A.const 65637)))\n"
    "  (local.set $v (i64.mul (i64.extend_i32_u (local.get $s)) (i64.const "
    "0x0101010101010101)))\n"
    "  (local.set $x (i8x16.splat (local.get $s)))\n"
    "  (memory.copy (%A.const 195608) (%A.const 0) (%A.const 3000))\n"
    /* the first block of two is written before: the crossing store must
     * still have its second block saved */
    "  (i32.store8 (%A.const 262154) (local.get $s))\n"
    "  (i32.store (%A.const 327678) (i32.wrap_i64 (local.get $v)))\n"
    "  (i64.store (%A.const 458748) (local.get $v))\n"
    "  (f32.store offset=100 (%A.const 524288) (f32.reinterpret_i32 "
    "(i32.wrap_i64 (local.get $v))))\n"
    "  (f64.store (%A.const 655357) (f64.reinterpret_i64 (local.get $v)))\n"
    "  (i32.store8 (%A.const 720897) (local.get $s))\n"
    "  (i32.store16 (%A.const 851967) (i32.wrap_i64 (local.get $v)))\n"
    "  (i64.store8 (%A.const 917524) (local.get $v))\n"
    "  (i64.store16 (%A.const 1048575) (local.get $v))\n"
    "  (i64.store32 offset=8 (%A.const 1114112) (local.get $v))\n"
    "  (i32.store8 (%A.const 1179658) (local.get $s))\n"
    "  (v128.store (%A.const 1245176) (local.get $x))\n"
    "  (v128.store8_lane 3 (%A.const 1310820) (local.get $x))\n"
    "  (v128.store16_lane 1 (%A.const 1376356) (local.get $x))\n"
    "  (v128.store32_lane 2 (%A.const 1507326) (local.get $x))\n"
    "  (v128.store64_lane 1 (%A.const 1638396) (local.get $x))\n"
    "  (memory.fill (%A.const 1704936) (local.get $s) (%A.const 131072))\n"
    "  (memory.init $seg (%A.const 1966072) (i32.const 0) (i32.const 16))\n"
    "  (drop (call $sgrow (i64.const 1)))\n"
    "  (call $swrite (i64.const 0) (i64.const 327678) (i64.const 4))\n"
    "  (call $sread (i64.const 2097150) (i64.const 0) (i64.const 4))\n"
    "  (call $self (%A.const 2293768) (%A.const 0) (call $self_size))\n"
    "  (call $caller (%A.const 2228219) (%A.const 0) (call $caller_size))\n"
    "  (if (i32.load8_u (%A.const 65636)) (then unreachable)))\n"
    "(func (export \"canister_update w\") (call $w) (call $reply))\n"
    "(func (export \"canister_query wq\") (call $w) (call $reply))\n"
    "(func (export \"canister_update grow_w\") (drop (memory.grow (%A.const "
    "2))) (call $w) (call $reply))\n"
    ")";

#define P64K 65536u
#define WRITES_HEAP (36 * P64K)

/* writes_wat with its placeholders filled in for wasm32 or wasm64. */
static char *writes_module(int is64) {
  size_t n = strlen(writes_wat);
  char *out = malloc(4 * n);
  if (!out)
    return NULL;
  char *o = out;
  for (const char *p = writes_wat; *p; p++) {
    const char *with = NULL;
    if (p[0] == '%' && p[1] == 'A')
      with = is64 ? "i64" : "i32";
    else if (p[0] == '%' && p[1] == 'W')
      with = is64 ? "i32.wrap_i64" : "nop";
    else if (p[0] == '%' && p[1] == 'M')
      with = is64 ? "i64" : "i32";
    if (!with) {
      *o++ = *p;
      continue;
    }
    o += sprintf(o, "%s", with);
    p++;
  }
  *o = 0;
  return out;
}

/* The heap after a successful w with the given seed on heap h, but for
 * the principals: copied from got, after checking, the first time, that
 * they were written over the pattern. */
static void writes_expected(run_state *st, uint8_t *h, const uint8_t *got,
                            uint8_t seed, int first) {
  static const struct {
    uint32_t at, n;
  } stores[] = {
      {4 * P64K + 10, 1},    {18 * P64K + 10, 1},
      {5 * P64K - 2, 4},     {7 * P64K - 4, 8},     {8 * P64K + 100, 4},
      {10 * P64K - 3, 8},    {11 * P64K + 1, 1},    {13 * P64K - 1, 2},
      {14 * P64K + 20, 1},   {16 * P64K - 1, 2},    {17 * P64K + 8, 4},
      {19 * P64K - 8, 16},   {20 * P64K + 100, 1},  {21 * P64K + 100, 2},
      {23 * P64K - 2, 4},    {25 * P64K - 4, 8},    {26 * P64K + 1000, 2 * P64K},
      {32 * P64K - 2, 4}, /* stable64_read of what the i32.store wrote */
  };
  memmove(h + 3 * P64K - 1000, h, 3000);
  for (size_t i = 0; i < sizeof stores / sizeof stores[0]; i++)
    memset(h + stores[i].at, seed, stores[i].n);
  memcpy(h + 30 * P64K - 8, "0123456789abcdef", 16);
  h[P64K + 100] = 0;
  h[P64K + 101] = seed;
  static const uint32_t principals[] = {35 * P64K + 8, 34 * P64K - 5};
  for (int i = 0; i < 2; i++) {
    CHECK(st, !first || memcmp(h + principals[i], got + principals[i], 8),
          "no principal written at %u", principals[i]);
    memcpy(h + principals[i], got + principals[i], 29);
  }
}

/* Calls method with argument [trap, seed]; expects outcome kind. */
static void call_w(run_state *st, int line, uint32_t kind, const char *method,
                   uint8_t trap, uint8_t seed) {
  uint8_t arg[2] = {trap, seed};
  canmem_outcome o;
  int32_t s = call(st, kind, method, arg, 2, &o);
  if (trap)
    expect(st, line, s, &o, CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_UNREACHABLE,
           NULL, 0);
  else
    expect(st, line, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, NULL,
           0);
}

/* The heap equals want; names the first difference. */
static void heap_is(run_state *st, int line, const uint8_t *want,
                    uint8_t *got) {
  int32_t s = st->a->read_heap(st->c, 0, got, WRITES_HEAP);
  CHECK(st, s == CANMEM_OK, "line %d: read_heap %d", line, s);
  for (uint32_t i = 0; s == CANMEM_OK && i < WRITES_HEAP; i++)
    if (got[i] != want[i]) {
      CHECK(st, 0, "line %d: heap byte %u is %u, expected %u", line, i,
            got[i], want[i]);
      break;
    }
}

static void writes_scenario(run_state *st, int is64) {
  if (!start(st,
             is64 ? "wasm64: every heap write rolled back or kept"
                  : "wasm32: every heap write rolled back or kept",
             with_features()))
    return;
  char *wat = writes_module(is64);
  blob m = wat ? compile(wat) : (blob){NULL, 0};
  uint8_t *want = malloc(WRITES_HEAP), *got = malloc(WRITES_HEAP);
  if (!m.bytes || !want || !got) {
    CHECK(st, 0, "no module or memory");
    goto out;
  }
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CHECK(st, st->a->read_heap(st->c, 0, want, WRITES_HEAP) == CANMEM_OK,
        "read_heap");
  call_w(st, __LINE__, CANMEM_CALL_UPDATE, "w", 1, 7);
  heap_is(st, __LINE__, want, got);
  call_w(st, __LINE__, CANMEM_CALL_QUERY, "wq", 0, 9); /* not kept */
  heap_is(st, __LINE__, want, got);
  call_w(st, __LINE__, CANMEM_CALL_UPDATE, "grow_w", 1, 8); /* new instance */
  heap_is(st, __LINE__, want, got);
  call_w(st, __LINE__, CANMEM_CALL_UPDATE, "w", 0, 5);
  CHECK(st, st->a->read_heap(st->c, 0, got, WRITES_HEAP) == CANMEM_OK,
        "read_heap"); /* the principals, for writes_expected */
  writes_expected(st, want, got, 5, 1);
  heap_is(st, __LINE__, want, got);
  /* the blocks written by the last message are saved again */
  call_w(st, __LINE__, CANMEM_CALL_UPDATE, "w", 1, 6);
  heap_is(st, __LINE__, want, got);
  call_w(st, __LINE__, CANMEM_CALL_UPDATE, "grow_w", 1, 6);
  heap_is(st, __LINE__, want, got);
  call_w(st, __LINE__, CANMEM_CALL_UPDATE, "w", 0, 6);
  CHECK(st, st->a->read_heap(st->c, 0, got, WRITES_HEAP) == CANMEM_OK,
        "read_heap");
  writes_expected(st, want, got, 6, 0);
  heap_is(st, __LINE__, want, got);
  uint64_t pages = 0;
  CHECK(st, st->a->heap_size(st->c, &pages) == CANMEM_OK && pages == 36,
        "heap_size %llu", (unsigned long long)pages);
  CHECK(st, st->a->stable_size(st->c, &pages) == CANMEM_OK && pages == 2,
        "stable_size %llu", (unsigned long long)pages);
out:
  free(wat);
  free(m.bytes);
  free(want);
  free(got);
  end(st);
}

static void test_writes32(run_state *st) { writes_scenario(st, 0); }
static void test_writes64(run_state *st) { writes_scenario(st, 1); }

/* A 1 GiB heap (16,384 pages, few of them ever touched): a message writes
 * one page with i64.store and traps; the page is as before. */
static const char *big_heap_wat =
    "(module (import \"ic0\" \"msg_reply\" (func $reply))\n"
    "(import \"ic0\" \"msg_arg_data_copy\" (func $arg (param i32 i32 "
    "i32)))\n"
    "(memory 1)\n"
    "(func (export \"canister_update grow\") (drop (memory.grow (i32.const "
    "16383))) (call $reply))\n"
    /* argument: u32 page, u8 trap, u8 seed, copied to address 0 */
    "(func (export \"canister_update page\") (local $p i32) (local $end i32) "
    "(local $v i64)\n"
    "  (call $arg (i32.const 0) (i32.const 0) (i32.const 6))\n"
    "  (local.set $p (i32.mul (i32.load (i32.const 0)) (i32.const 65536)))\n"
    "  (local.set $end (i32.add (local.get $p) (i32.const 65536)))\n"
    "  (local.set $v (i64.mul (i64.load8_u (i32.const 5)) (i64.const "
    "0x0101010101010101)))\n"
    "  (loop $l (i64.store (local.get $p) (local.get $v))\n"
    "    (local.set $p (i32.add (local.get $p) (i32.const 8)))\n"
    "    (br_if $l (i32.lt_u (local.get $p) (local.get $end))))\n"
    "  (if (i32.load8_u (i32.const 4)) (then unreachable))\n"
    "  (call $reply))\n"
    ")";

static void call_page(run_state *st, int line, uint32_t page, uint8_t trap,
                      uint8_t seed) {
  uint8_t arg[6] = {(uint8_t)page, (uint8_t)(page >> 8),
                    (uint8_t)(page >> 16), (uint8_t)(page >> 24), trap, seed};
  canmem_outcome o;
  int32_t s = call(st, CANMEM_CALL_UPDATE, "page", arg, 6, &o);
  if (trap)
    expect(st, line, s, &o, CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_UNREACHABLE,
           NULL, 0);
  else
    expect(st, line, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, NULL,
           0);
}

/* Page `page` of the heap holds `seed` in every byte. */
static void page_is(run_state *st, int line, uint32_t page, uint8_t seed) {
  static uint8_t bytes[65536];
  int32_t s = st->a->read_heap(st->c, (uint64_t)page << 16, bytes, 65536);
  int same = s == CANMEM_OK;
  for (uint32_t i = 0; same && i < 65536; i++)
    same = bytes[i] == seed;
  CHECK(st, same, "line %d: page %u is not all %u (status %d)", line, page,
        seed, s);
}

static void test_big_heap(run_state *st) {
  if (!start(st, "1 GiB heap: a trapping message that wrote one page",
             ic_current()))
    return;
  blob m = compile(big_heap_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "grow", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  call_page(st, __LINE__, 9000, 0, 3);
  page_is(st, __LINE__, 9000, 3);
  call_page(st, __LINE__, 9000, 1, 4);
  page_is(st, __LINE__, 9000, 3);
  call_page(st, __LINE__, 16383, 1, 5);
  page_is(st, __LINE__, 16383, 0);
  call_page(st, __LINE__, 16383, 0, 6);
  page_is(st, __LINE__, 16383, 6);
  page_is(st, __LINE__, 9000, 3);
  /* page 0 holds the argument of the last message that committed */
  uint8_t head[6];
  CHECK(st, st->a->read_heap(st->c, 0, head, 6) == CANMEM_OK &&
                head[0] == (16383 & 0xff) && head[4] == 0 && head[5] == 6,
        "page 0: the committed argument");
  uint64_t pages = 0;
  CHECK(st, st->a->heap_size(st->c, &pages) == CANMEM_OK && pages == 16384,
        "heap_size %llu", (unsigned long long)pages);
  free(m.bytes);
  end(st);
}

/* ---- keep on a 1 GiB wasm64 heap ----
 * The v8 host hands the old memory itself to the new instance (no copy)
 * when it can link, and undoes the new module's data segments (not
 * re-applied under ic-current) and a trapping post_upgrade's writes and
 * growth; into a module with a smaller maximum it copies instead. */
#define KEEP64_GET                                                           \
  "(import \"ic0\" \"msg_reply\" (func $reply))\n"                           \
  "(import \"ic0\" \"msg_reply_data_append\" (func $append (param i64 "     \
  "i64)))\n"                                                                 \
  "(func (export \"canister_query get\")\n"                                  \
  "  (i64.store (i64.const 1000) (i64.load (i64.const 100)))\n"              \
  "  (i64.store (i64.const 1008) (i64.load (i64.const 70000)))\n"            \
  "  (i64.store (i64.const 1016) (i64.load (i64.const 1073741816)))\n"       \
  "  (i64.store (i64.const 1024) (i64.load (i64.const 300)))\n"              \
  "  (call $append (i64.const 1000) (i64.const 32)) (call $reply))\n"
static const char *keep64_v1_wat =
    "(module " KEEP64_GET "(memory i64 1)\n"
    "(func (export \"canister_update set\") (drop (memory.grow (i64.const "
    "16383)))\n"
    "  (i64.store (i64.const 100) (i64.const 31))\n"
    "  (i64.store (i64.const 70000) (i64.const 32))\n"
    "  (i64.store (i64.const 1073741816) (i64.const 33)) (call $reply)))";
static const char *keep64_trap_wat =
    "(module " KEEP64_GET "(memory i64 1)\n"
    "(data (i64.const 100) \"\\2a\\2a\\2a\\2a\\2a\\2a\\2a\\2a\")\n"
    "(func (export \"canister_post_upgrade\")\n"
    "  (i64.store (i64.const 70000) (i64.const 99))\n"
    "  (i64.store (i64.const 1073741816) (i64.const 98))\n"
    "  (drop (memory.grow (i64.const 1))) unreachable))";
static const char *keep64_ok_wat =
    "(module " KEEP64_GET "(memory i64 1)\n"
    "(data (i64.const 100) \"\\2a\\2a\\2a\\2a\\2a\\2a\\2a\\2a\")\n"
    "(func (export \"canister_post_upgrade\") (i64.store (i64.const 300) "
    "(i64.const 44))))";
static const char *keep64_small_max_wat =
    "(module " KEEP64_GET "(memory i64 1 20000)\n"
    "(func (export \"canister_post_upgrade\") (i64.store (i64.const 300) "
    "(i64.const 45))))";

static void get_is(run_state *st, int line, uint64_t a, uint64_t b,
                   uint64_t c, uint64_t d) {
  uint64_t want[4] = {a, b, c, d};
  uint8_t le[32];
  for (int i = 0; i < 32; i++)
    le[i] = (uint8_t)(want[i / 8] >> (8 * (i % 8)));
  canmem_outcome o;
  int32_t s = call(st, CANMEM_CALL_QUERY, "get", NULL, 0, &o);
  expect(st, line, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, le, 32);
}

static void test_keep_big(run_state *st) {
  if (!start(st, "keep of a 1 GiB wasm64 heap: adopted, undone, copied",
             ic_current()))
    return;
  blob v1 = compile(keep64_v1_wat), trap = compile(keep64_trap_wat),
       ok = compile(keep64_ok_wat), small = compile(keep64_small_max_wat);
  blob all[4] = {v1, trap, ok, small};
  for (int i = 0; i < 4; i++)
    if (all[i].bytes)
      add_custom_section(&all[i], "icp:private enhanced-orthogonal-persistence");
  v1 = all[0], trap = all[1], ok = all[2], small = all[3];
  uint64_t pages = 0;
  INSTALL_OK(st, CANMEM_MODE_INSTALL, v1, 0, 0);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "set", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  get_is(st, __LINE__, 31, 32, 33, 0);
  INSTALL_REJECTED(st, CANMEM_MODE_UPGRADE, trap, 0, CANMEM_PERSISTENCE_KEEP,
                   CANMEM_CAT_UNREACHABLE);
  get_is(st, __LINE__, 31, 32, 33, 0);
  CHECK(st, st->a->heap_size(st->c, &pages) == CANMEM_OK && pages == 16384,
        "heap_size %llu", (unsigned long long)pages);
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, ok, 0, CANMEM_PERSISTENCE_KEEP);
  get_is(st, __LINE__, 31, 32, 33, 44); /* the segment at 100 undone */
  INSTALL_REJECTED(st, CANMEM_MODE_UPGRADE, trap, 0, CANMEM_PERSISTENCE_KEEP,
                   CANMEM_CAT_UNREACHABLE);
  get_is(st, __LINE__, 31, 32, 33, 44);
  INSTALL_OK(st, CANMEM_MODE_UPGRADE, small, 0, CANMEM_PERSISTENCE_KEEP);
  get_is(st, __LINE__, 31, 32, 33, 45);
  CHECK(st, st->a->heap_size(st->c, &pages) == CANMEM_OK && pages == 16384,
        "heap_size %llu", (unsigned long long)pages);
  for (int i = 0; i < 4; i++)
    free(all[i].bytes);
  end(st);
}

/* ---- Version 2: calls, snapshots, logs ---- */

#ifndef CANMEM_FEATURE_SNAPSHOTS
#define CANMEM_FEATURE_SNAPSHOTS (1u << 12)
#define CANMEM_FEATURE_SNAPSHOT_DATA (1u << 13)
#define CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER (1u << 14)
#define CANMEM_FEATURE_SNAPSHOT_UNINSTALL (1u << 15)
#define CANMEM_CAT_SNAPSHOT_NOT_FOUND 60u
#define CANMEM_CAT_SNAPSHOT_LIMIT 61u
#define CANMEM_CAT_SNAPSHOT_RANGE 62u
#define CANMEM_CAT_SNAPSHOT_NOT_UPLOADED 63u
#endif

static canmem_profile with_snapshots(void) {
  canmem_profile p = ic_current();
  p.features |= CANMEM_FEATURE_SNAPSHOTS | CANMEM_FEATURE_SNAPSHOT_DATA |
                CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER |
                CANMEM_FEATURE_SNAPSHOT_UNINSTALL;
  p.max_snapshots = 10;
  p.max_log_bytes = 4096;
  return p;
}

static canmem_outcome fresh_outcome(void) {
  canmem_outcome o;
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  return o;
}

/* The outstanding calls; the first one's id in *first. */
static uint64_t outstanding(run_state *st, canmem_outgoing_call *first) {
  canmem_outgoing_call calls[4];
  memset(calls, 0, sizeof calls);
  for (int i = 0; i < 4; i++)
    calls[i].struct_size = sizeof calls[i];
  uint64_t count = 99;
  int32_t s = st->a->outgoing_calls(st->c, calls, 4, &count);
  CHECK(st, s == CANMEM_OK, "outgoing_calls: status %d", s);
  if (first)
    *first = count ? calls[0] : (canmem_outgoing_call){0};
  return count;
}

static void respond(run_state *st, int line, uint64_t id, uint32_t rkind,
                    uint32_t code, const char *data, uint32_t okind,
                    uint32_t ocode, uint32_t category, const char *payload) {
  canmem_response r = {sizeof r, rkind, code, 0, (const uint8_t *)data,
                       strlen(data)};
  canmem_outcome o = fresh_outcome();
  int32_t s = st->a->respond(st->c, id, &r, &o);
  expect(st, line, s, &o, okind, ocode, category, payload,
         payload ? strlen(payload) : 0);
}

/* The first `n` i32 cells of the heap, from the query `get`. */
static void cells_are(run_state *st, int line, const uint32_t *want, int n) {
  canmem_outcome o;
  int32_t s = call(st, CANMEM_CALL_QUERY, "get", NULL, 0, &o);
  uint8_t le[32] = {0};
  for (int i = 0; i < n; i++)
    for (int k = 0; k < 4; k++)
      le[4 * i + k] = (uint8_t)(want[i] >> (8 * k));
  if (s == CANMEM_OK && o.kind == CANMEM_OUTCOME_REPLY && o.payload_size >= 32)
    memcpy(le + 4 * n, o.payload + 4 * n, 32 - 4 * (size_t)n);
  expect(st, line, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, le, 32);
}

#define CALL_IMPORTS                                                         \
  "(import \"ic0\" \"msg_reply\" (func $reply))\n"                           \
  "(import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 "     \
  "i32)))\n"                                                                 \
  "(import \"ic0\" \"msg_arg_data_size\" (func $arg_size (result i32)))\n"   \
  "(import \"ic0\" \"msg_arg_data_copy\" (func $arg_copy (param i32 i32 "   \
  "i32)))\n"                                                                 \
  "(import \"ic0\" \"msg_reject_code\" (func $reject_code (result i32)))\n"  \
  "(import \"ic0\" \"call_new\" (func $call_new (param i32 i32 i32 i32 i32 " \
  "i32 i32 i32)))\n"                                                         \
  "(import \"ic0\" \"call_data_append\" (func $call_data (param i32 "       \
  "i32)))\n"                                                                 \
  "(import \"ic0\" \"call_on_cleanup\" (func $call_cleanup (param i32 "     \
  "i32)))\n"                                                                 \
  "(import \"ic0\" \"call_with_best_effort_response\" (func $best_effort "  \
  "(param i32)))\n"                                                          \
  "(import \"ic0\" \"call_perform\" (func $perform (result i32)))\n"         \
  "(import \"ic0\" \"debug_print\" (func $print (param i32 i32)))\n"         \
  "(import \"ic0\" \"trap\" (func $trap (param i32 i32)))\n"

/* Heap cells (i32): 0 updates that committed, 2 the reply callback's env,
 * 3 the quiet callback's count, 4 the reject callback's mark (undone by
 * its trap), 6 the cleanup's reject code * 100 + env. The table: 0 reply
 * (replies with the response), 1 reject (replies on SYS_UNKNOWN, else
 * traps), 2 cleanup, 3 quiet (returns without responding). */
static const char *calls_wat =
    "(module " CALL_IMPORTS
    "(memory 1) (data (i32.const 1000) \"\\01m abc hello\")\n"
    "(table 4 funcref) (elem (i32.const 0) $on_reply $on_reject $on_cleanup "
    "$quiet)\n"
    "(func $mk (param $reply i32) (param $reject i32)\n"
    "  (call $call_new (i32.const 1000) (i32.const 1) (i32.const 1001) "
    "(i32.const 1) (local.get $reply) (i32.const 7) (local.get $reject) "
    "(i32.const 8))\n"
    "  (call $call_data (i32.const 1003) (i32.const 3)))\n"
    "(func $bump (i32.store (i32.const 0) (i32.add (i32.load (i32.const 0)) "
    "(i32.const 1))))\n"
    "(func (export \"canister_update call\") (call $bump) (call $mk "
    "(i32.const 0) (i32.const 1)) (call $call_cleanup (i32.const 2) "
    "(i32.const 9)) (drop (call $perform)))\n"
    "(func (export \"canister_update call_trap\") (call $bump) (call $mk "
    "(i32.const 0) (i32.const 1)) (drop (call $perform)) unreachable)\n"
    "(func (export \"canister_update no_call\") (drop (call $perform)))\n"
    "(func (export \"canister_update two\") (call $mk (i32.const 3) "
    "(i32.const 3)) (drop (call $perform)) (call $mk (i32.const 3) "
    "(i32.const 3)) (drop (call $perform)))\n"
    "(func (export \"canister_update call_reply\") (call $mk (i32.const 3) "
    "(i32.const 3)) (drop (call $perform)) (call $reply))\n"
    "(func (export \"canister_update call_reply_loud\") (call $mk (i32.const "
    "0) (i32.const 1)) (drop (call $perform)) (call $reply))\n"
    "(func (export \"canister_update best\") (call $mk (i32.const 0) "
    "(i32.const 1)) (call $best_effort (i32.const 5)) (drop (call "
    "$perform)))\n"
    "(func (export \"canister_update log\") (call $print (i32.const 1007) "
    "(i32.const 5)) (call $reply))\n"
    "(func (export \"canister_update log_trap\") (call $print (i32.const "
    "1003) (i32.const 3)) (call $trap (i32.const 1007) (i32.const 5)))\n"
    "(func (export \"canister_query log_query\") (call $print (i32.const "
    "1003) (i32.const 3)) (call $reply))\n"
    "(func (export \"canister_query get\") (call $append (i32.const 0) "
    "(i32.const 32)) (call $reply))\n"
    "(func $on_reply (param $env i32) (i32.store (i32.const 8) (local.get "
    "$env))\n"
    "  (call $arg_copy (i32.const 2000) (i32.const 0) (call $arg_size))\n"
    "  (call $append (i32.const 2000) (call $arg_size)) (call $reply))\n"
    "(func $on_reject (param $env i32) (i32.store (i32.const 16) (i32.const "
    "111))\n"
    "  (if (i32.eq (call $reject_code) (i32.const 6)) (then (call $append "
    "(i32.const 1003) (i32.const 3)) (call $reply) (return))) unreachable)\n"
    "(func $on_cleanup (param $env i32) (i32.store (i32.const 24) (i32.add "
    "(i32.mul (call $reject_code) (i32.const 100)) (local.get $env))))\n"
    "(func $quiet (param $env i32) (i32.store (i32.const 12) (i32.add "
    "(i32.load (i32.const 12)) (i32.const 1))))\n"
    ")";

static void test_calls(run_state *st) {
  if (!start(st, "calls: committed calls, callbacks as transactions, cleanup",
             ic_current()))
    return;
  blob m = compile(calls_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call", CANMEM_OUTCOME_PENDING, 0,
              CANMEM_CAT_NONE);
  canmem_outgoing_call c1;
  CHECK(st, outstanding(st, &c1) == 1, "one call outstanding");
  CHECK(st,
        c1.id > 0 && c1.flags == CANMEM_CALL_FLAG_CLEANUP &&
            c1.payload_size == 3 && memcmp(c1.payload, "abc", 3) == 0 &&
            c1.method_size == 1 && c1.method[0] == 'm' &&
            c1.callee_size == 1 && c1.callee[0] == 1,
        "the call as performed (flags %u, %llu payload bytes)", c1.flags,
        (unsigned long long)c1.payload_size);
  uint64_t id1 = c1.id;
  /* a trapping message sends nothing */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_UNREACHABLE);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "no_call", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_CONTRACT_VIOLATION);
  CHECK(st, outstanding(st, NULL) == 1, "still one call");
  cells_are(st, __LINE__, (uint32_t[]){1, 0, 0, 0, 0, 0, 0}, 7);
  /* the reply callback commits and replies to the update's context */
  respond(st, __LINE__, id1, CANMEM_RESPONSE_REPLY, 0, "xyz",
          CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, "xyz");
  cells_are(st, __LINE__, (uint32_t[]){1, 0, 7, 0, 0, 0, 0}, 7);
  CHECK(st, outstanding(st, NULL) == 0, "no call left");
  /* a trapping reject callback is undone, its cleanup commits */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call", CANMEM_OUTCOME_PENDING, 0,
              CANMEM_CAT_NONE);
  canmem_outgoing_call c2;
  outstanding(st, &c2);
  CHECK(st, c2.id != id1, "ids are not reused");
  respond(st, __LINE__, c2.id, CANMEM_RESPONSE_REJECT, 4, "no",
          CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_UNREACHABLE, NULL);
  cells_are(st, __LINE__, (uint32_t[]){2, 0, 7, 0, 0, 0, 409}, 7);
  /* an unknown call is the caller's error */
  canmem_response r = {sizeof r, CANMEM_RESPONSE_REPLY, 0, 0, NULL, 0};
  canmem_outcome o = fresh_outcome();
  CHECK(st, st->a->respond(st->c, c2.id, &r, &o) == CANMEM_ERR_ARGUMENT,
        "a call answered twice");
  free(m.bytes);
  end(st);
}

static void test_call_contexts(run_state *st) {
  if (!start(st, "calls: one reply per context, starvation, uninstall",
             ic_current()))
    return;
  blob m = compile(calls_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  /* two calls; the context is rejected when the last returns unanswered */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "two", CANMEM_OUTCOME_PENDING, 0,
              CANMEM_CAT_NONE);
  canmem_outgoing_call c;
  CHECK(st, outstanding(st, &c) == 2, "two calls");
  respond(st, __LINE__, c.id, CANMEM_RESPONSE_REPLY, 0, "", 
          CANMEM_OUTCOME_PENDING, 0, CANMEM_CAT_NONE, NULL);
  CHECK(st, outstanding(st, &c) == 1, "one call left");
  respond(st, __LINE__, c.id, CANMEM_RESPONSE_REPLY, 0, "",
          CANMEM_OUTCOME_NO_REPLY, 5, CANMEM_CAT_NONE, NULL);
  cells_are(st, __LINE__, (uint32_t[]){0, 0, 0, 2}, 4);
  /* replied before: a quiet callback returns, a loud one traps */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call_reply", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  outstanding(st, &c);
  respond(st, __LINE__, c.id, CANMEM_RESPONSE_REPLY, 0, "",
          CANMEM_OUTCOME_RETURNED, 0, CANMEM_CAT_NONE, NULL);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call_reply_loud", CANMEM_OUTCOME_REPLY,
              0, CANMEM_CAT_NONE);
  outstanding(st, &c);
  respond(st, __LINE__, c.id, CANMEM_RESPONSE_REPLY, 0, "q",
          CANMEM_OUTCOME_TRAP, 5, CANMEM_CAT_CONTRACT_VIOLATION, NULL);
  cells_are(st, __LINE__, (uint32_t[]){0, 0, 0, 3}, 4);
  /* best effort: the flag, the timeout, SYS_UNKNOWN in the reject callback */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "best", CANMEM_OUTCOME_PENDING, 0,
              CANMEM_CAT_NONE);
  outstanding(st, &c);
  CHECK(st,
        (c.flags & CANMEM_CALL_FLAG_BEST_EFFORT) && c.timeout_seconds == 5,
        "best-effort call (flags %u, timeout %u)", c.flags, c.timeout_seconds);
  respond(st, __LINE__, c.id, CANMEM_RESPONSE_REJECT, CANMEM_REJECT_SYS_UNKNOWN,
          "timeout", CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, "abc");
  /* uninstall deletes the context: its callback never runs */
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "call", CANMEM_OUTCOME_PENDING, 0,
              CANMEM_CAT_NONE);
  outstanding(st, &c);
  INSTALL_OK(st, CANMEM_MODE_UNINSTALL, m, 0, 0);
  CHECK(st, outstanding(st, NULL) == 1, "the call was sent: still there");
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  respond(st, __LINE__, c.id, CANMEM_RESPONSE_REPLY, 0, "late",
          CANMEM_OUTCOME_RETURNED, 0, CANMEM_CAT_CALL_CONTEXT_DELETED, NULL);
  CHECK(st, outstanding(st, NULL) == 0, "no calls left");
  cells_are(st, __LINE__, (uint32_t[]){0, 0, 0, 0}, 4);
  free(m.bytes);
  end(st);
}

/* The canister log: lines of replicated executions, a trap's message. */
static void test_logs(run_state *st) {
  if (!start(st, "logs: debug_print and traps, not queries", ic_current()))
    return;
  blob m = compile(calls_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "log", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  CALL_EXPECT(st, CANMEM_CALL_UPDATE, "log_trap", CANMEM_OUTCOME_TRAP, 5,
              CANMEM_CAT_EXPLICIT_TRAP);
  CALL_EXPECT(st, CANMEM_CALL_QUERY, "log_query", CANMEM_OUTCOME_REPLY, 0,
              CANMEM_CAT_NONE);
  canmem_log_record logs[4];
  memset(logs, 0, sizeof logs);
  for (int i = 0; i < 4; i++)
    logs[i].struct_size = sizeof logs[i];
  uint64_t count = 0;
  CHECK(st, st->a->canister_logs(st->c, logs, 4, &count) == CANMEM_OK,
        "canister_logs");
  CHECK(st, count == 3, "%llu log records", (unsigned long long)count);
  if (count == 3) {
    CHECK(st,
          logs[0].content_size == 5 && !memcmp(logs[0].content, "hello", 5) &&
              logs[1].content_size == 3 && !memcmp(logs[1].content, "abc", 3) &&
              logs[2].content_size > 0,
          "the records' contents");
    CHECK(st, logs[0].idx < logs[1].idx && logs[1].idx < logs[2].idx &&
                  logs[0].timestamp_ns < logs[1].timestamp_ns,
          "idx and timestamps grow");
  }
  INSTALL_OK(st, CANMEM_MODE_UNINSTALL, m, 0, 0);
  CHECK(st, st->a->canister_logs(st->c, logs, 4, &count) == CANMEM_OK &&
                count == 0,
        "uninstall clears the log");
  free(m.bytes);
  end(st);
}

static int32_t take(run_state *st, uint32_t flags, uint64_t replace,
                    uint64_t *id, canmem_outcome *o) {
  canmem_snapshot_take t = {sizeof t, flags, replace};
  *o = fresh_outcome();
  return st->a->take_snapshot(st->c, &t, id, o);
}
#define TAKE(st, flags, replace, id, okind, cat)                             \
  do {                                                                       \
    canmem_outcome o_;                                                       \
    int32_t s_ = take(st, flags, replace, id, &o_);                          \
    expect(st, __LINE__, s_, &o_, okind,                                     \
           (okind) == CANMEM_OUTCOME_REPLY ? 0 : 5, cat, NULL, 0);           \
  } while (0)
#define SNAP_OP(st, expr, okind, cat)                                        \
  do {                                                                       \
    canmem_outcome o_ = fresh_outcome();                                     \
    int32_t s_ = (expr);                                                     \
    expect(st, __LINE__, s_, &o_, okind,                                     \
           (okind) == CANMEM_OUTCOME_REPLY ? 0 : 5, cat, NULL, 0);           \
  } while (0)

static uint64_t snapshot_count(run_state *st) {
  canmem_snapshot_info list[12];
  for (int i = 0; i < 12; i++)
    list[i].struct_size = sizeof list[i];
  uint64_t count = 99;
  CHECK(st, st->a->list_snapshots(st->c, list, 12, &count) == CANMEM_OK,
        "list_snapshots");
  return count;
}

static void counter_is(run_state *st, int line, uint64_t heap, uint64_t g,
                       uint64_t stable) {
  const char *what[3] = {"get", "global", "stable"};
  uint64_t want[3] = {heap, g, stable};
  for (int i = 0; i < 3; i++) {
    canmem_outcome o;
    int32_t s = call(st, CANMEM_CALL_QUERY, what[i], NULL, 0, &o);
    uint8_t le[8];
    for (int k = 0; k < 8; k++)
      le[k] = (uint8_t)(want[i] >> (8 * k));
    expect(st, line, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE, le, 8);
  }
}

static void test_snapshots(run_state *st) {
  if (!start(st, "snapshots: take, load, list, delete, read", with_snapshots()))
    return;
  blob m = compile(counter_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 1);
  uint64_t id = 0, id2 = 0;
  TAKE(st, 0, 0, &id, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 2);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 3);
  CHECK(st, snapshot_count(st) == 1, "one snapshot");
  SNAP_OP(st, st->a->load_snapshot(st->c, NULL, id, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  counter_is(st, __LINE__, 1, 1, 1);
  /* the metadata and the data as taken */
  canmem_snapshot_metadata md;
  memset(&md, 0, sizeof md);
  md.struct_size = sizeof md;
  SNAP_OP(st, st->a->read_snapshot_metadata(st->c, id, &md, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(st,
        md.source == CANMEM_SNAPSHOT_SOURCE_TAKEN &&
            md.wasm_module_size == m.size && md.wasm_memory_size == 65536 &&
            md.stable_memory_size == 65536 && md.globals_count == 1 &&
            md.globals[0].type == CANMEM_GLOBAL_I64 && md.globals[0].bits == 1,
        "metadata (module %llu, heap %llu, %llu globals)",
        (unsigned long long)md.wasm_module_size,
        (unsigned long long)md.wasm_memory_size,
        (unsigned long long)md.globals_count);
  uint8_t bytes[8] = {0};
  SNAP_OP(st,
          st->a->read_snapshot_data(st->c, id, CANMEM_SNAPSHOT_DATA_HEAP, 0,
                                    bytes, 8, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(st, bytes[0] == 1, "the heap's counter in the snapshot");
  SNAP_OP(st,
          st->a->read_snapshot_data(st->c, id, CANMEM_SNAPSHOT_DATA_STABLE,
                                    65530, bytes, 8, &o_),
          CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_RANGE);
  /* a taken snapshot takes no uploads */
  SNAP_OP(st,
          st->a->upload_snapshot_data(st->c, id, CANMEM_SNAPSHOT_DATA_HEAP, 0,
                                      bytes, 8, &o_),
          CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_NOT_UPLOADED);
  /* replace, delete, a deleted one is gone */
  TAKE(st, 0, id, &id2, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  CHECK(st, id2 != id && snapshot_count(st) == 1, "replaced");
  SNAP_OP(st, st->a->load_snapshot(st->c, NULL, id, &o_),
          CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_NOT_FOUND);
  SNAP_OP(st, st->a->delete_snapshot(st->c, id2, &o_), CANMEM_OUTCOME_REPLY,
          CANMEM_CAT_NONE);
  CHECK(st, snapshot_count(st) == 0, "deleted");
  /* the limit, then take with uninstall */
  for (int i = 0; i < 10; i++)
    TAKE(st, 0, 0, &id, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  TAKE(st, 0, 0, &id2, CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_LIMIT);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 2);
  TAKE(st, CANMEM_SNAPSHOT_TAKE_UNINSTALL, id, &id2, CANMEM_OUTCOME_REPLY,
       CANMEM_CAT_NONE);
  CALL_EXPECT(st, CANMEM_CALL_QUERY, "get", CANMEM_OUTCOME_REJECT, 3,
              CANMEM_CAT_CANISTER_EMPTY);
  SNAP_OP(st, st->a->load_snapshot(st->c, NULL, id2, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  counter_is(st, __LINE__, 2, 2, 2);
  free(m.bytes);
  end(st);
}

/* Download one snapshot and upload it as another; load that one, here and
 * on a second canister. */
static void test_snapshot_upload(run_state *st) {
  if (!start(st, "snapshots: download, upload, load on another canister",
             with_snapshots()))
    return;
  blob m = compile(counter_wat);
  INSTALL_OK(st, CANMEM_MODE_INSTALL, m, 0, 0);
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 1);
  uint64_t id = 0, up = 0;
  TAKE(st, 0, 0, &id, CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  canmem_snapshot_metadata md;
  memset(&md, 0, sizeof md);
  md.struct_size = sizeof md;
  SNAP_OP(st, st->a->read_snapshot_metadata(st->c, id, &md, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  canmem_global globals[4];
  memcpy(globals, md.globals, (size_t)md.globals_count * sizeof *globals);
  md.globals = globals;
  SNAP_OP(st, st->a->upload_snapshot_metadata(st->c, &md, 0, &up, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  uint64_t sizes[3] = {md.wasm_module_size, md.wasm_memory_size,
                       md.stable_memory_size};
  for (uint32_t kind = 1; kind <= 3; kind++) {
    uint8_t *data = malloc((size_t)sizes[kind - 1]);
    SNAP_OP(st,
            st->a->read_snapshot_data(st->c, id, kind, 0, data,
                                      sizes[kind - 1], &o_),
            CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
    SNAP_OP(st,
            st->a->upload_snapshot_data(st->c, up, kind, 0, data,
                                        sizes[kind - 1], &o_),
            CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
    SNAP_OP(st,
            st->a->upload_snapshot_data(st->c, up, kind, sizes[kind - 1], data,
                                        1, &o_),
            CANMEM_OUTCOME_REJECT, CANMEM_CAT_SNAPSHOT_RANGE);
    free(data);
  }
  CALL_REPLY_U64(st, CANMEM_CALL_UPDATE, "inc", 2);
  SNAP_OP(st, st->a->load_snapshot(st->c, NULL, up, &o_),
          CANMEM_OUTCOME_REPLY, CANMEM_CAT_NONE);
  counter_is(st, __LINE__, 1, 1, 1);
  /* a second, empty canister loads the first one's snapshot */
  canmem_profile p = with_snapshots();
  char error[512] = "";
  canmem_canister *other = st->a->create(&p, error, sizeof error);
  CHECK(st, other != NULL, "second canister: %s", error);
  if (other) {
    canmem_outcome o = fresh_outcome();
    int32_t s = st->a->load_snapshot(other, st->c, up, &o);
    expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REPLY, 0, CANMEM_CAT_NONE,
           NULL, 0);
    canmem_canister *first = st->c;
    st->c = other;
    counter_is(st, __LINE__, 1, 1, 1);
    st->c = first;
    o = fresh_outcome();
    s = st->a->load_snapshot(other, st->c, up + 100, &o);
    expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REJECT, 5,
           CANMEM_CAT_SNAPSHOT_NOT_FOUND, NULL, 0);
    st->a->destroy(other);
  }
  /* without loads from other canisters (before 0.50.0) that refusal
   * comes first, whether the snapshot exists or not */
  p.features &= ~(uint64_t)CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER;
  other = st->a->create(&p, error, sizeof error);
  CHECK(st, other != NULL, "third canister: %s", error);
  for (uint64_t id_ = up; other && id_ <= up + 100; id_ += 100) {
    canmem_outcome o = fresh_outcome();
    int32_t s = st->a->load_snapshot(other, st->c, id_, &o);
    expect(st, __LINE__, s, &o, CANMEM_OUTCOME_REJECT, 5,
           CANMEM_CAT_UNSUPPORTED, NULL, 0);
  }
  if (other)
    st->a->destroy(other);
  free(m.bytes);
  end(st);
}

static const canmem_adapter *load(const char *path) {
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
    return NULL;
  }
  canmem_adapter_entry entry;
  void *symbol = dlsym(handle, CANMEM_ADAPTER_SYMBOL);
  memcpy(&entry, &symbol, sizeof entry);
  if (!entry) {
    fprintf(stderr, "%s has no %s\n", path, CANMEM_ADAPTER_SYMBOL);
    return NULL;
  }
  return entry();
}

int main(int argc, char **argv) {
  const char *v8_path = argc > 1 ? argv[1] : CM_V8_ADAPTER_SO;
  const char *ref_path = argc > 2 ? argv[2] : CM_REF_ADAPTER_SO;
  char command[512];
  snprintf(command, sizeof command, "'%s' --version >/dev/null 2>&1",
           wat2wasm_path());
  if (system(command) != 0) {
    printf("SKIP: no wat2wasm\n");
    return 77;
  }
  const canmem_adapter *v8 = load(v8_path);
  if (!v8)
    return 1;
  /* No Node.js that the host can run on: skip, do not fail. */
  canmem_profile p = ic_current();
  char error[512] = "";
  canmem_canister *probe = v8->create(&p, error, sizeof error);
  if (!probe) {
    printf("SKIP: the v8 host does not start (%s); run "
           "runner/adapters/v8/setup.sh\n",
           error);
    return 77;
  }
  v8->destroy(probe);
  const char *tmp = getenv("TMPDIR");
  snprintf(work_dir, sizeof work_dir, "%s/canmem-v8-test-XXXXXX",
           tmp && tmp[0] ? tmp : "/tmp");
  if (!mkdtemp(work_dir)) {
    perror("mkdtemp");
    return 1;
  }

  const canmem_adapter *adapters[2] = {v8, NULL};
  if (ref_path[0] && access(ref_path, R_OK) == 0)
    adapters[1] = load(ref_path);
  for (int i = 0; i < 2 && adapters[i]; i++) {
    run_state st = {adapters[i], NULL, NULL, 0};
    test_counter(&st);
    test_upgrade(&st);
    test_pre_upgrade_trap(&st);
    test_keep(&st);
    test_module_rules(&st);
    test_wasm64(&st);
    test_api(&st);
    table_scenario(&st, 0);
    /* The features run wherever the adapter offers them. */
    if (adapters[i]->capabilities & CANMEM_CAP_SIMD) {
      test_simd(&st);
      test_writes32(&st);
      test_writes64(&st);
    }
    test_big_heap(&st);
    if (adapters[i]->capabilities & CANMEM_CAP_TAIL_CALL)
      test_tail_call(&st);
    if (adapters[i]->capabilities & CANMEM_CAP_TABLE64) {
      test_table64(&st);
      test_table64_keep(&st);
    }
    /* version 2, wherever the table offers it */
    if (CANMEM_ADAPTER_HAS(adapters[i], respond)) {
      test_calls(&st);
      test_call_contexts(&st);
    }
    if (CANMEM_ADAPTER_HAS(adapters[i], canister_logs))
      test_logs(&st);
    if (CANMEM_ADAPTER_HAS(adapters[i], take_snapshot)) {
      test_snapshots(&st);
      test_snapshot_upload(&st);
    }
    if (i == 0) {
      /* the reference copies a kept heap (8 s at 1 GiB before issue 13) */
      test_keep_big(&st);
      test_feature_refusals(&st);
      test_hang(&st);
    }
  }
  snprintf(command, sizeof command, "rm -rf '%s'", work_dir);
  if (system(command) != 0)
    fprintf(stderr, "could not remove %s\n", work_dir);
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
