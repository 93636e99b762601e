/* Helpers for the canister model's cmocka tests (see support.h). */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CM_WAT2WASM
#define CM_WAT2WASM "wat2wasm"
#endif

static const char *wat2wasm_path(void) {
  const char *env = getenv("WAT2WASM");
  return env && *env ? env : CM_WAT2WASM;
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, len = 0;
  uint8_t *data = malloc(cap);
  size_t n;
  while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
    len += n;
    if (len == cap) {
      cap *= 2;
      uint8_t *grown = realloc(data, cap);
      if (!grown) {
        free(data);
        data = NULL;
      }
      data = grown;
    }
  }
  fclose(f);
  *size = len;
  return data;
}

static bool write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return false;
  bool ok = fwrite(data, 1, size, f) == size;
  return fclose(f) == 0 && ok;
}

/* A private scratch directory per call. */
static bool scratch_dir(char *dir, size_t size) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, size, "%s/canmem-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  return mkdtemp(dir) != NULL;
}

uint8_t *wat_to_wasm(const char *wat, size_t *size) {
  char dir[256], in[300], out[300], log[300], cmd[1200];
  if (!scratch_dir(dir, sizeof dir))
    fail_msg("cannot make a scratch directory");
  snprintf(in, sizeof in, "%s/m.wat", dir);
  snprintf(out, sizeof out, "%s/m.wasm", dir);
  snprintf(log, sizeof log, "%s/log", dir);
  if (!write_file(in, wat, strlen(wat)))
    fail_msg("cannot write %s", in);
  snprintf(cmd, sizeof cmd,
           "'%s' --enable-memory64 --enable-multi-memory -o '%s' '%s' "
           ">'%s' 2>&1",
           wat2wasm_path(), out, in, log);
  int rc = system(cmd);
  uint8_t *wasm = rc == 0 ? read_file(out, size) : NULL;
  if (!wasm) {
    size_t n = 0;
    uint8_t *msg = read_file(log, &n);
    fprintf(stderr, "wat2wasm failed:\n%.*s\n--- source ---\n%s\n", (int)n,
            msg ? (const char *)msg : "", wat);
    free(msg);
  }
  remove(in);
  remove(out);
  remove(log);
  rmdir(dir);
  if (!wasm)
    fail_msg("wat2wasm refused the module");
  return wasm;
}

uint8_t *gzip_bytes(const uint8_t *data, size_t size, size_t *out_size) {
  char dir[256], in[300], cmd[700];
  if (!scratch_dir(dir, sizeof dir))
    fail_msg("cannot make a scratch directory");
  snprintf(in, sizeof in, "%s/m", dir);
  if (!write_file(in, data, size))
    fail_msg("cannot write %s", in);
  snprintf(cmd, sizeof cmd, "gzip -n -9 '%s'", in);
  if (system(cmd) != 0)
    fail_msg("gzip failed");
  char gz[310];
  snprintf(gz, sizeof gz, "%s.gz", in);
  uint8_t *out = read_file(gz, out_size);
  remove(gz);
  rmdir(dir);
  if (!out)
    fail_msg("cannot read gzip output");
  return out;
}

static size_t put_leb(uint8_t *out, uint64_t v) {
  size_t n = 0;
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    out[n++] = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
  return n;
}

uint8_t *with_custom_section(const uint8_t *wasm, size_t size,
                             const char *name, const char *content,
                             size_t *out_size) {
  size_t name_len = strlen(name), content_len = strlen(content);
  uint8_t name_leb[10], body_leb[10];
  size_t nl = put_leb(name_leb, name_len);
  size_t body = nl + name_len + content_len;
  size_t bl = put_leb(body_leb, body);
  uint8_t *out = malloc(size + 1 + bl + body);
  assert_non_null(out);
  size_t pos = 0;
  memcpy(out, wasm, size);
  pos = size;
  out[pos++] = 0; /* custom section id */
  memcpy(out + pos, body_leb, bl);
  pos += bl;
  memcpy(out + pos, name_leb, nl);
  pos += nl;
  memcpy(out + pos, name, name_len);
  pos += name_len;
  memcpy(out + pos, content, content_len);
  pos += content_len;
  *out_size = pos;
  return out;
}

uint8_t *wat_with_custom_section(const char *wat, const char *name,
                                 size_t *out_size) {
  size_t size;
  uint8_t *wasm = wat_to_wasm(wat, &size);
  uint8_t *out = with_custom_section(wasm, size, name, "", out_size);
  free(wasm);
  return out;
}

/* ---- The prelude ---- */

/* Imports valid in both wasm32 and wasm64, with P the pointer type. */
static const char *const common_imports[] = {
    "msg_arg_data_size", "(result P)",
    "msg_arg_data_copy", "(param P P P)",
    "msg_caller_size", "(result P)",
    "msg_caller_copy", "(param P P P)",
    "msg_reply_data_append", "(param P P)",
    "msg_reply", "",
    "msg_reject", "(param P P)",
    "msg_method_name_size", "(result P)",
    "msg_method_name_copy", "(param P P P)",
    "accept_message", "",
    "msg_deadline", "(result i64)",
    "canister_self_size", "(result P)",
    "canister_self_copy", "(param P P P)",
    "canister_version", "(result i64)",
    "canister_status", "(result i32)",
    "canister_cycle_balance128", "(param P)",
    "time", "(result i64)",
    "global_timer_set", "(param i64) (result i64)",
    "performance_counter", "(param i32) (result i64)",
    "in_replicated_execution", "(result i32)",
    "is_controller", "(param P P) (result i32)",
    "certified_data_set", "(param P P)",
    "data_certificate_present", "(result i32)",
    "data_certificate_size", "(result P)",
    "call_new", "(param P P P P P P P P)",
    "call_perform", "(result i32)",
    "call_on_cleanup", "(param P P)",
    "call_with_best_effort_response", "(param i32)",
    "msg_reject_code", "(result i32)",
    "env_var_count", "(result P)",
    "debug_print", "(param P P)",
    "trap", "(param P P)",
    "stable64_size", "(result i64)",
    "stable64_grow", "(param i64) (result i64)",
    "stable64_write", "(param i64 i64 i64)",
    "stable64_read", "(param i64 i64 i64)",
    NULL};

static const char *const wasm32_imports[] = {
    "stable_size", "(result i32)",
    "stable_grow", "(param i32) (result i32)",
    "stable_write", "(param i32 i32 i32)",
    "stable_read", "(param i32 i32 i32)",
    "canister_cycle_balance", "(result i64)",
    NULL};

typedef struct {
  char *text;
  size_t len, cap;
} strbuf;

static void put(strbuf *b, const char *s) {
  size_t n = strlen(s);
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *grown = realloc(b->text, cap);
    assert_non_null(grown);
    b->text = grown;
    b->cap = cap;
  }
  memcpy(b->text + b->len, s, n + 1);
  b->len += n;
}

/* Copy a signature replacing P by the pointer type. */
static void put_signature(strbuf *b, const char *sig, int is64) {
  char buf[256];
  size_t j = 0;
  for (size_t i = 0; sig[i] && j + 4 < sizeof buf; i++) {
    if (sig[i] == 'P' && (i == 0 || sig[i - 1] == ' ' || sig[i - 1] == '(')) {
      memcpy(buf + j, is64 ? "i64" : "i32", 3);
      j += 3;
    } else {
      buf[j++] = sig[i];
    }
  }
  buf[j] = '\0';
  put(b, buf);
}

static void put_imports(strbuf *b, const char *const *list, int is64) {
  for (size_t i = 0; list[i]; i += 2) {
    put(b, "  (import \"ic0\" \"");
    put(b, list[i]);
    put(b, "\" (func $");
    put(b, list[i]);
    put(b, " ");
    put_signature(b, list[i + 1], is64);
    put(b, "))\n");
  }
}

char *canister_wat(int is64, const char *memory, const char *body) {
  strbuf b = {0};
  put(&b, "(module\n");
  put_imports(&b, common_imports, is64);
  if (!is64)
    put_imports(&b, wasm32_imports, 0);
  put(&b, "  ");
  put(&b, memory);
  put(&b, "\n");
  if (*memory) {
    if (is64)
      put(&b,
          "  (func $arg (param $i i32) (result i64)\n"
          "    (call $msg_arg_data_copy (i64.const 0)\n"
          "      (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 8))\n"
          "      (i64.const 8))\n"
          "    (i64.load (i64.const 0)))\n"
          "  (func $reply (param $v i64)\n"
          "    (i64.store (i64.const 8) (local.get $v))\n"
          "    (call $msg_reply_data_append (i64.const 8) (i64.const 8))\n"
          "    (call $msg_reply))\n");
    else
      put(&b,
          "  (func $arg (param $i i32) (result i64)\n"
          "    (call $msg_arg_data_copy (i32.const 0)\n"
          "      (i32.mul (local.get $i) (i32.const 8)) (i32.const 8))\n"
          "    (i64.load (i32.const 0)))\n"
          "  (func $reply (param $v i64)\n"
          "    (i64.store (i32.const 8) (local.get $v))\n"
          "    (call $msg_reply_data_append (i32.const 8) (i32.const 8))\n"
          "    (call $msg_reply))\n");
  }
  put(&b, "  (func $reply_none (call $msg_reply))\n");
  put(&b, body);
  put(&b, "\n)\n");
  return b.text;
}

/* ---- Driving a canister ---- */

cm_canister *new_canister(const char *overrides) {
  canmem_profile p;
  cm_profile_defaults(&p);
  char err[300];
  if (overrides &&
      !cm_profile_parse(&p, overrides, strlen(overrides), "test", err,
                        sizeof err))
    fail_msg("profile: %s", err);
  cm_canister *c = cm_canister_new(&p, err, sizeof err);
  if (!c)
    fail_msg("cm_canister_new: %s", err);
  return c;
}

canmem_outcome install_wasm(cm_canister *c, uint32_t mode,
                            const uint8_t *wasm, size_t size,
                            const uint8_t *arg, size_t arg_size) {
  canmem_install req = {.struct_size = sizeof req,
                        .mode = mode,
                        .wasm = wasm,
                        .wasm_size = size,
                        .arg = arg,
                        .arg_size = arg_size};
  canmem_outcome out;
  assert_int_equal(cm_canister_install(c, &req, &out), CANMEM_OK);
  return out;
}

canmem_outcome install_wat(cm_canister *c, uint32_t mode, const char *wat) {
  size_t size;
  uint8_t *wasm = wat_to_wasm(wat, &size);
  canmem_outcome out = install_wasm(c, mode, wasm, size, NULL, 0);
  free(wasm);
  return out;
}

canmem_outcome upgrade_wat(cm_canister *c, const char *wat, int skip_pre,
                           uint32_t persistence) {
  size_t size;
  uint8_t *wasm = wat_to_wasm(wat, &size);
  canmem_install req = {.struct_size = sizeof req,
                        .mode = CANMEM_MODE_UPGRADE,
                        .skip_pre_upgrade = (uint32_t)skip_pre,
                        .wasm_memory_persistence = persistence,
                        .wasm = wasm,
                        .wasm_size = size};
  canmem_outcome out;
  assert_int_equal(cm_canister_install(c, &req, &out), CANMEM_OK);
  free(wasm);
  return out;
}

canmem_outcome upgrade_wasm(cm_canister *c, const uint8_t *wasm, size_t size,
                            int skip_pre, uint32_t persistence,
                            const uint8_t *arg, size_t arg_size) {
  canmem_install req = {.struct_size = sizeof req,
                        .mode = CANMEM_MODE_UPGRADE,
                        .skip_pre_upgrade = (uint32_t)skip_pre,
                        .wasm_memory_persistence = persistence,
                        .wasm = wasm,
                        .wasm_size = size,
                        .arg = arg,
                        .arg_size = arg_size};
  canmem_outcome out;
  assert_int_equal(cm_canister_install(c, &req, &out), CANMEM_OK);
  return out;
}

canmem_outcome call(cm_canister *c, uint32_t kind, const char *method,
                    const uint64_t *args, size_t nargs) {
  uint8_t bytes[8 * 8];
  assert_true(nargs <= 8);
  for (size_t i = 0; i < nargs; i++)
    for (int k = 0; k < 8; k++)
      bytes[8 * i + k] = (uint8_t)(args[i] >> (8 * k));
  canmem_outcome out;
  assert_int_equal(
      cm_canister_call(c, kind, method, nargs ? bytes : NULL, 8 * nargs, &out),
      CANMEM_OK);
  return out;
}

static canmem_outcome call_va(cm_canister *c, uint32_t kind,
                              const char *method, size_t nargs, va_list ap) {
  uint64_t args[8];
  assert_true(nargs <= 8);
  for (size_t i = 0; i < nargs; i++)
    args[i] = va_arg(ap, uint64_t);
  return call(c, kind, method, args, nargs);
}

canmem_outcome update(cm_canister *c, const char *method, size_t nargs, ...) {
  va_list ap;
  va_start(ap, nargs);
  canmem_outcome out = call_va(c, CANMEM_CALL_UPDATE, method, nargs, ap);
  va_end(ap);
  return out;
}

canmem_outcome query(cm_canister *c, const char *method, size_t nargs, ...) {
  va_list ap;
  va_start(ap, nargs);
  canmem_outcome out = call_va(c, CANMEM_CALL_QUERY, method, nargs, ap);
  va_end(ap);
  return out;
}

canmem_outcome task(cm_canister *c, const char *name) {
  return call(c, CANMEM_CALL_SYSTEM_TASK, name, NULL, 0);
}

canmem_outcome set_limit(cm_canister *c, uint64_t limit) {
  canmem_settings s = {.struct_size = sizeof s,
                       .fields = CANMEM_SETTING_WASM_MEMORY_LIMIT,
                       .wasm_memory_limit = limit};
  canmem_outcome out;
  assert_int_equal(cm_canister_update_settings(c, &s, &out), CANMEM_OK);
  return out;
}

canmem_outcome set_threshold(cm_canister *c, uint64_t threshold) {
  canmem_settings s = {.struct_size = sizeof s,
                       .fields = CANMEM_SETTING_WASM_MEMORY_THRESHOLD,
                       .wasm_memory_threshold = threshold};
  canmem_outcome out;
  assert_int_equal(cm_canister_update_settings(c, &s, &out), CANMEM_OK);
  return out;
}

/* ---- Checks ---- */

static void describe(const canmem_outcome *o, char *buf, size_t size) {
  snprintf(buf, size, "%s/%s (code %u): %s",
           canmem_outcome_kind_name(o->kind),
           canmem_category_name(o->category), o->reject_code, o->message);
}

void check_kind(canmem_outcome o, uint32_t kind, const char *where,
                int line) {
  if (o.kind != kind) {
    char got[700];
    describe(&o, got, sizeof got);
    fail_msg("%s:%d: expected %s, got %s", where, line,
             canmem_outcome_kind_name(kind), got);
  }
}

void check_category(canmem_outcome o, uint32_t kind, uint32_t category,
                    const char *where, int line) {
  if (o.kind != kind || o.category != category) {
    char got[700];
    describe(&o, got, sizeof got);
    fail_msg("%s:%d: expected %s/%s, got %s", where, line,
             canmem_outcome_kind_name(kind), canmem_category_name(category),
             got);
  }
}

uint64_t reply_u64(canmem_outcome o, const char *where, int line) {
  check_kind(o, CANMEM_OUTCOME_REPLY, where, line);
  if (o.payload_size != 8)
    fail_msg("%s:%d: expected an 8-byte reply, got %llu bytes", where, line,
             (unsigned long long)o.payload_size);
  uint64_t v = 0;
  for (int k = 7; k >= 0; k--)
    v = v << 8 | o.payload[k];
  return v;
}
