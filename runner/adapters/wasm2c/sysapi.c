/* The ic0 System API of the wasm2c adapter, written from the IC interface
 * specification (../shared/reference/ic-memory-rules.md sections 5-10, 16):
 * one table gives every function's wasm32 signature, the contexts it may be
 * called from and its handler; import checks, availability and dispatch
 * all read it. A handler traps by returning cmw_trap(x, category, ...). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"

/* The caller of user messages and installs; also the only controller. */
static const uint8_t user_id[29] = {
    0xca, 0x4e, 0x5d, 0x04, 0x3f, 0x51, 0x16, 0x9b, 0x77, 0x2c,
    0x11, 0x9a, 0x08, 0xe4, 0x6d, 0x30, 0x7a, 0x61, 0x52, 0x25,
    0x93, 0x0e, 0xd1, 0x44, 0x68, 0xb8, 0x37, 0x1f, 0x02};
static const uint8_t self_id[10] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};

const uint8_t *cmw_user_principal(uint64_t *size) {
  *size = sizeof user_id;
  return user_id;
}

typedef int (*handler)(cmw_exec *x, const uint64_t *a, uint64_t *r);

int cmw_trap(cmw_exec *x, uint32_t category, const char *fmt, ...) {
  x->trap_category = category;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(x->trap_message, sizeof x->trap_message, fmt, ap);
  va_end(ap);
  return 1;
}

/* ---- Ranges: unbounded arithmetic (EDGE-OVF, EDGE-ZERO) ---- */

static int range_ok(uint64_t offset, uint64_t size, uint64_t limit) {
  return offset <= limit && size <= limit - offset;
}

static uint64_t heap_bytes(const cmw_exec *x) {
  return x->heap ? (uint64_t)x->heap->pages * CMW_PAGE : 0;
}

int cmw_heap_check(cmw_exec *x, uint64_t addr, uint64_t size,
                      const char *what) {
  if (range_ok(addr, size, heap_bytes(x)))
    return 0;
  return cmw_trap(x, CANMEM_CAT_HEAP_OUT_OF_BOUNDS,
              "%s: heap range [%llu, +%llu) outside the %llu-byte heap", what,
              (unsigned long long)addr, (unsigned long long)size,
              (unsigned long long)heap_bytes(x));
}

/* Before the host writes [addr, addr + size) of the heap (checked): the
 * write journal saves what rollback needs. */
static int heap_will_write(cmw_exec *x, uint64_t addr, uint64_t size,
                           const char *what) {
  if (x->journal && cmw_journal_note(x->journal, x->heap, addr, size) != 0)
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY, "%s: out of host memory", what);
  return 0;
}

/* COPY-1/3/7: the blob range first, then the heap range. */
int cmw_copy_out(cmw_exec *x, const uint64_t *a, const uint8_t *blob,
                    uint64_t blob_size, const char *what) {
  uint64_t dst = a[0], offset = a[1], size = a[2];
  if (!range_ok(offset, size, blob_size))
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "%s: range [%llu, +%llu) outside the %llu-byte blob", what,
                (unsigned long long)offset, (unsigned long long)size,
                (unsigned long long)blob_size);
  if (cmw_heap_check(x, dst, size, what) || heap_will_write(x, dst, size, what))
    return 1;
  if (size)
    memcpy(x->heap->data + dst, blob + offset, size);
  return 0;
}

static int write_u128(cmw_exec *x, uint64_t dst, uint64_t low,
                      const char *what) {
  if (cmw_heap_check(x, dst, 16, what) || heap_will_write(x, dst, 16, what))
    return 1;
  for (int i = 0; i < 8; i++) {
    x->heap->data[dst + (uint64_t)i] = (uint8_t)(low >> (8 * i));
    x->heap->data[dst + 8 + (uint64_t)i] = 0;
  }
  return 0;
}

/* ---- Handlers ---- */

static int h_not_modelled(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  (void)r;
  return cmw_trap(x, CANMEM_CAT_NOT_MODELLED,
              "this System API function is not modelled by the adapter");
}

static int h_zero(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)x;
  (void)a;
  *r = 0;
  return 0;
}

static int h_arg_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->arg_size;
  return 0;
}

static int h_arg_copy(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return cmw_copy_out(x, a, x->arg, x->arg_size, "msg_arg_data_copy");
}

static int h_caller_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->caller_size;
  return 0;
}

static int h_caller_copy(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return cmw_copy_out(x, a, x->caller, x->caller_size, "msg_caller_copy");
}

static int h_empty_copy(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return cmw_copy_out(x, a, (const uint8_t *)"", 0, "copy");
}

static int h_self_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)x;
  (void)a;
  *r = sizeof self_id;
  return 0;
}

static int h_self_copy(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return cmw_copy_out(x, a, self_id, sizeof self_id, "canister_self_copy");
}

/* A call context is answered at most once, across its callbacks too
 * (EDGE-REPLY-TWICE-ACROSS). */
static int must_not_have_responded(cmw_exec *x, const char *what) {
  if (x->call_context && !x->call_context->needs_response)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "%s: this call does not need a response", what);
  if (x->response != CMW_RESPONSE_NONE ||
      (x->call_context && x->call_context->responded))
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "%s: the message was already responded to", what);
  return 0;
}

static int h_reply_append(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  uint64_t src = a[0], size = a[1];
  if (must_not_have_responded(x, "msg_reply_data_append") ||
      cmw_heap_check(x, src, size, "msg_reply_data_append"))
    return 1;
  if (size > x->max_reply || x->reply.size > x->max_reply - size)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "msg_reply_data_append: the reply would exceed %llu bytes",
                (unsigned long long)x->max_reply);
  if (size && cmw_buf_append(&x->reply, x->heap->data + src, (size_t)size))
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  return 0;
}

static int h_reply(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  (void)r;
  if (must_not_have_responded(x, "msg_reply"))
    return 1;
  x->response = CMW_RESPONSE_REPLY;
  return 0;
}

static int h_reject(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  uint64_t src = a[0], size = a[1];
  if (must_not_have_responded(x, "msg_reject") ||
      cmw_heap_check(x, src, size, "msg_reject"))
    return 1;
  const uint8_t *text = size ? x->heap->data + src : (const uint8_t *)"";
  if (!cmw_utf8_valid(text, (size_t)size))
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "msg_reject: the message is not valid UTF-8");
  x->reject.size = 0;
  if (cmw_buf_append(&x->reject, text, (size_t)size))
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  x->response = CMW_RESPONSE_REJECT;
  return 0;
}

static int h_cycles_zero128(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return write_u128(x, a[0], 0, "msg_cycles_available128");
}

static int h_cycles_accept128(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return write_u128(x, a[2], 0, "msg_cycles_accept128");
}

/* The profile's constant balance, less the cycles this execution put on
 * calls (deducted at once, call_cycles_add128). */
static uint64_t balance(const cmw_exec *x) {
  return x->profile->cycle_balance - x->cycles_added_low;
}

static int h_balance(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = balance(x);
  return 0;
}

static int h_balance128(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return write_u128(x, a[0], balance(x), "canister_cycle_balance128");
}

static int h_status(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)x;
  (void)a;
  *r = 1; /* running */
  return 0;
}

static int h_version(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->version;
  return 0;
}

static int h_method_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->method ? strlen(x->method) : 0;
  return 0;
}

static int h_method_copy(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  const char *m = x->method ? x->method : "";
  return cmw_copy_out(x, a, (const uint8_t *)m, strlen(m),
                  "msg_method_name_copy");
}

static int h_accept_message(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  (void)r;
  if (x->accepted)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "accept_message called twice");
  x->accepted = 1;
  return 0;
}

/* ---- Stable memory (SM-*, SM32-*, SM64-*) ---- */

static uint64_t max_stable_pages(const cmw_exec *x) {
  return x->profile->max_stable_bytes / CMW_PAGE;
}

static int too_big_for_32(cmw_exec *x, const char *what) {
  if (x->stable->pages > x->profile->max_stable32_bytes / CMW_PAGE)
    return cmw_trap(x, CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT,
                "%s: stable memory is larger than the 32-bit API's limit",
                what);
  return 0;
}

static int stable_check(cmw_exec *x, uint64_t offset, uint64_t size,
                        const char *what) {
  if (range_ok(offset, size, x->stable->pages * CMW_PAGE))
    return 0;
  return cmw_trap(x, CANMEM_CAT_STABLE_OUT_OF_BOUNDS,
              "%s: stable range [%llu, +%llu) outside %llu pages", what,
              (unsigned long long)offset, (unsigned long long)size,
              (unsigned long long)x->stable->pages);
}

/* SM-9: record the 4 KiB pages of [offset, offset + size) as touched
 * (and written); trap before the copy when a limit would be passed. */
static int touch_stable(cmw_exec *x, uint64_t offset, uint64_t size,
                        int write, const char *what) {
  if (!size || (!x->access_limit && !x->write_limit))
    return 0;
  uint64_t last = (offset + size - 1) / CANMEM_ACCESS_PAGE;
  for (uint64_t page = offset / CANMEM_ACCESS_PAGE; page <= last; page++) {
    if (2 * (x->touched_pages + 1) > x->touched_slots) { /* rehash */
      uint64_t slots = x->touched_slots ? 2 * x->touched_slots : 512;
      uint64_t *t = calloc((size_t)slots, sizeof *t);
      if (!t)
        return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY, "%s: out of host memory",
                    what);
      for (uint64_t i = 0; i < x->touched_slots; i++) {
        uint64_t v = x->touched[i];
        if (!v)
          continue;
        uint64_t j = (v >> 1) * 0xff51afd7ed558ccdull % slots;
        while (t[j])
          j = (j + 1) % slots;
        t[j] = v;
      }
      free(x->touched);
      x->touched = t;
      x->touched_slots = slots;
    }
    uint64_t key = page + 1;
    uint64_t j = key * 0xff51afd7ed558ccdull % x->touched_slots;
    while (x->touched[j] && x->touched[j] >> 1 != key)
      j = (j + 1) % x->touched_slots;
    uint64_t v = x->touched[j];
    int fresh = v == 0, newly_written = write && !(v & 1);
    if (fresh && x->access_limit && x->touched_pages >= x->access_limit)
      return cmw_trap(x, CANMEM_CAT_MEMORY_ACCESS_LIMIT,
                  "%s: over %llu stable pages accessed in one execution",
                  what, (unsigned long long)x->access_limit);
    if (newly_written && x->write_limit && x->written_pages >= x->write_limit)
      return cmw_trap(x, CANMEM_CAT_MEMORY_ACCESS_LIMIT,
                  "%s: over %llu stable pages written in one execution",
                  what, (unsigned long long)x->write_limit);
    x->touched_pages += (uint64_t)fresh;
    x->written_pages += (uint64_t)newly_written;
    x->touched[j] = key << 1 | (uint64_t)(write || (v & 1));
  }
  return 0;
}

static int stable_write(cmw_exec *x, uint64_t offset, uint64_t src,
                        uint64_t size, const char *what) {
  int stable_first =
      (x->profile->readings & CANMEM_READING_STABLE_BOUND_FIRST) != 0;
  if (stable_first ? (stable_check(x, offset, size, what) ||
                      cmw_heap_check(x, src, size, what))
                   : (cmw_heap_check(x, src, size, what) ||
                      stable_check(x, offset, size, what)) ||
      touch_stable(x, offset, size, 1, what))
    return 1;
  if (size && cmw_stable_write(x->stable, offset, x->heap->data + src, size))
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY, "%s: out of host memory", what);
  return 0;
}

static int stable_read(cmw_exec *x, uint64_t dst, uint64_t offset,
                       uint64_t size, const char *what) {
  if (stable_check(x, offset, size, what) || cmw_heap_check(x, dst, size, what) ||
      touch_stable(x, offset, size, 0, what) ||
      heap_will_write(x, dst, size, what))
    return 1;
  if (size)
    cmw_stable_read(x->stable, offset, x->heap->data + dst, size);
  return 0;
}

static uint64_t stable_grow(cmw_exec *x, uint64_t add, uint64_t max_pages) {
  uint64_t old = x->stable->pages;
  if (old > max_pages || add > max_pages - old)
    return UINT64_MAX;
  if (add && cmw_stable_grow(x->stable, old + add))
    return UINT64_MAX;
  return old;
}

static int h_stable_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  if (too_big_for_32(x, "stable_size"))
    return 1;
  *r = x->stable->pages;
  return 0;
}

static int h_stable_grow(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  if (too_big_for_32(x, "stable_grow"))
    return 1;
  uint64_t max32 = x->profile->max_stable32_bytes / CMW_PAGE;
  uint64_t limit = max32 < max_stable_pages(x) ? max32 : max_stable_pages(x);
  uint64_t old = stable_grow(x, (uint32_t)a[0], limit);
  *r = old == UINT64_MAX ? 0xffffffffu : old;
  return 0;
}

static int h_stable_write(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (too_big_for_32(x, "stable_write"))
    return 1;
  return stable_write(x, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2],
                      "stable_write");
}

static int h_stable_read(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (too_big_for_32(x, "stable_read"))
    return 1;
  return stable_read(x, (uint32_t)a[0], (uint32_t)a[1], (uint32_t)a[2],
                     "stable_read");
}

static int h_stable64_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->stable->pages;
  return 0;
}

static int h_stable64_grow(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  *r = stable_grow(x, a[0], max_stable_pages(x));
  return 0;
}

static int h_stable64_write(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return stable_write(x, a[0], a[1], a[2], "stable64_write");
}

static int h_stable64_read(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  return stable_read(x, a[0], a[1], a[2], "stable64_read");
}

/* ---- Certification, time, timers, misc ---- */

static int h_certified_data_set(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  uint64_t src = a[0], size = a[1];
  if (cmw_heap_check(x, src, size, "certified_data_set"))
    return 1;
  if (size > x->profile->max_certified_data_bytes)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "certified_data_set: %llu bytes (at most %llu)",
                (unsigned long long)size,
                (unsigned long long)x->profile->max_certified_data_bytes);
  x->certified.size = 0;
  if (size && cmw_buf_append(&x->certified, x->heap->data + src, (size_t)size))
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  x->certified_set = 1;
  return 0;
}

static int h_no_certificate(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  (void)r;
  return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION, "no data certificate");
}

static int h_time(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->time;
  return 0;
}

static int h_global_timer_set(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  *r = x->timer_set ? x->timer_value : x->timer;
  x->timer_set = 1;
  x->timer_value = a[0];
  return 0;
}

static int h_performance_counter(cmw_exec *x, const uint64_t *a,
                                 uint64_t *r) {
  if ((uint32_t)a[0] > 1)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "performance_counter: unknown type %u", (uint32_t)a[0]);
  *r = 0; /* wasm2c code is not metered */
  return 0;
}

static int h_is_controller(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  uint64_t src = a[0], size = a[1];
  if (cmw_heap_check(x, src, size, "is_controller"))
    return 1;
  if (size > 29)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "is_controller: not a principal (%llu bytes)",
                (unsigned long long)size);
  *r = size == sizeof user_id &&
       memcmp(x->heap->data + src, user_id, sizeof user_id) == 0;
  return 0;
}

static int h_in_replicated(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->replicated ? 1 : 0;
  return 0;
}

static int h_env_var_missing(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  (void)r;
  return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
              "no such environment variable");
}

static int h_env_var_value(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (cmw_heap_check(x, a[0], a[1], "env_var_value"))
    return 1;
  return h_env_var_missing(x, a, r);
}

static int h_env_var_exists(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  if (cmw_heap_check(x, a[0], a[1], "env_var_name_exists"))
    return 1;
  if (a[1] && !cmw_utf8_valid(x->heap->data + a[0], (size_t)a[1]))
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                "env_var_name_exists: the name is not valid UTF-8");
  *r = 0;
  return 0;
}

/* MSG-DBG-1, EDGE-DBG-OOB: never traps. A range in bounds becomes a
 * record of the canister log in a replicated execution; one out of
 * bounds (or out of host memory) logs nothing. */
static int h_debug_print(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (x->replicated && x->heap && range_ok(a[0], a[1], heap_bytes(x)))
    cmw_log_append(&x->logs, x->heap->data + a[0], a[1], x->time);
  return 0;
}

/* MSG-TRAP-1: the message (printable ASCII, the rest as '?') goes into
 * the trap text, which the canister log records. */
static int h_trap(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  uint64_t src = a[0], size = a[1];
  char text[160] = "(message out of bounds)";
  if (x->heap && range_ok(src, size, heap_bytes(x))) {
    uint64_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    for (uint64_t i = 0; i < n; i++) {
      uint8_t b = x->heap->data[src + i];
      text[i] = b >= 0x20 && b < 0x7f ? (char)b : '?';
    }
    text[n] = 0;
  }
  return cmw_trap(x, CANMEM_CAT_EXPLICIT_TRAP, "canister called ic0.trap: %s",
                  text);
}

/* ---- The table ---- */

#define S CMW_CTX_START
#define I CMW_CTX_INIT
#define G CMW_CTX_PRE_UPGRADE
#define U CMW_CTX_UPDATE
#define RQ CMW_CTX_RQ
#define NRQ CMW_CTX_NRQ
#define CQ CMW_CTX_CQ
#define F CMW_CTX_INSPECT
#define T CMW_CTX_TASK
#define RY CMW_CTX_RY
#define RT CMW_CTX_RT
#define C CMW_CTX_CLEANUP
#define ANY (I | G | U | RQ | NRQ | CQ | F | T | RY | RT | C)
#define W32 CMW_SYS_WASM32_ONLY
#define STB CMW_SYS_STABLE
#define STB64 (CMW_SYS_STABLE | CMW_SYS_STABLE64)
#define CALLS (U | RY | RT | T)
#define CALLER_INFO (U | RQ | NRQ | CQ | RY | RT | C | F)

typedef struct {
  cmw_syscall_info info;
  handler fn;
} entry;

static const entry table[] = {
    {{"msg_arg_data_size", "", "P", I | U | RQ | NRQ | CQ | RY | F, 0},
     h_arg_size},
    {{"msg_arg_data_copy", "PPP", "", I | U | RQ | NRQ | CQ | RY | F, 0},
     h_arg_copy},
    {{"msg_caller_size", "", "P", ANY, 0}, h_caller_size},
    {{"msg_caller_copy", "PPP", "", ANY, 0}, h_caller_copy},
    {{"msg_caller_info_data_size", "", "P", CALLER_INFO, 0}, h_zero},
    {{"msg_caller_info_data_copy", "PPP", "", CALLER_INFO, 0}, h_empty_copy},
    {{"msg_caller_info_signer_size", "", "P", CALLER_INFO, 0}, h_zero},
    {{"msg_caller_info_signer_copy", "PPP", "", CALLER_INFO, 0},
     h_empty_copy},
    /* msg_reject_code in C since 0.54.0 */
    {{"msg_reject_code", "", "i", RY | RT | C, 0}, cmw_h_reject_code},
    {{"msg_reject_msg_size", "", "P", RT, 0}, cmw_h_reject_msg_size},
    {{"msg_reject_msg_copy", "PPP", "", RT, 0}, cmw_h_reject_msg_copy},
    /* ingress messages and their callbacks have no deadline */
    {{"msg_deadline", "", "I", U | RQ | NRQ | CQ | RY | RT, 0}, h_zero},
    {{"msg_reply_data_append", "PP", "", U | RQ | NRQ | CQ | RY | RT, 0},
     h_reply_append},
    {{"msg_reply", "", "", U | RQ | NRQ | CQ | RY | RT, 0}, h_reply},
    {{"msg_reject", "PP", "", U | RQ | NRQ | CQ | RY | RT, 0}, h_reject},
    {{"msg_cycles_available128", "P", "", U | RQ | RY | RT, 0},
     h_cycles_zero128},
    /* responses carry no cycles in the ABI: nothing is refunded */
    {{"msg_cycles_refunded128", "P", "", RY | RT, 0}, h_cycles_zero128},
    {{"msg_cycles_accept128", "IIP", "", U | RQ | RY | RT, 0},
     h_cycles_accept128},
    {{"cycles_burn128", "IIP", "", I | G | U | RQ | RY | RT | C | T, 0},
     h_not_modelled},
    {{"canister_self_size", "", "P", ANY, 0}, h_self_size},
    {{"canister_self_copy", "PPP", "", ANY, 0}, h_self_copy},
    {{"canister_cycle_balance128", "P", "", ANY, 0}, h_balance128},
    {{"canister_liquid_cycle_balance128", "P", "", ANY, 0}, h_balance128},
    {{"canister_status", "", "i", ANY, 0}, h_status},
    {{"canister_version", "", "I", ANY, 0}, h_version},
    {{"subnet_self_size", "", "P", ANY, 0}, h_not_modelled},
    {{"subnet_self_copy", "PPP", "", ANY, 0}, h_not_modelled},
    {{"msg_method_name_size", "", "P", F, 0}, h_method_size},
    {{"msg_method_name_copy", "PPP", "", F, 0}, h_method_copy},
    {{"accept_message", "", "", F, 0}, h_accept_message},
    {{"call_new", "PPPPPPPP", "", CALLS | CQ, 0}, cmw_h_call_new},
    {{"call_on_cleanup", "PP", "", CALLS | CQ, 0}, cmw_h_call_on_cleanup},
    {{"call_data_append", "PP", "", CALLS | CQ, 0}, cmw_h_call_data_append},
    {{"call_with_best_effort_response", "i", "", CALLS | CQ, 0},
     cmw_h_call_best_effort},
    {{"call_cycles_add128", "II", "", CALLS, 0}, cmw_h_call_cycles_add128},
    {{"call_perform", "", "i", CALLS | CQ, 0}, cmw_h_call_perform},
    {{"stable64_size", "", "I", ANY | S, STB64}, h_stable64_size},
    {{"stable64_grow", "I", "I", ANY | S, STB64}, h_stable64_grow},
    {{"stable64_write", "III", "", ANY | S, STB64}, h_stable64_write},
    {{"stable64_read", "III", "", ANY | S, STB64}, h_stable64_read},
    {{"root_key_size", "", "P", I | G | U | RQ | RY | RT | C | T, 0},
     h_not_modelled},
    {{"root_key_copy", "PPP", "", I | G | U | RQ | RY | RT | C | T, 0},
     h_not_modelled},
    {{"certified_data_set", "PP", "", I | G | U | RY | RT | T, 0},
     h_certified_data_set},
    {{"data_certificate_present", "", "i", ANY, 0}, h_zero},
    {{"data_certificate_size", "", "P", NRQ | CQ, 0}, h_no_certificate},
    {{"data_certificate_copy", "PPP", "", NRQ | CQ, 0}, h_no_certificate},
    {{"time", "", "I", ANY, 0}, h_time},
    {{"global_timer_set", "I", "I", I | G | U | RY | RT | C | T, 0},
     h_global_timer_set},
    {{"performance_counter", "i", "I", ANY | S, 0}, h_performance_counter},
    {{"is_controller", "PP", "i", ANY | S, 0}, h_is_controller},
    {{"in_replicated_execution", "", "i", ANY | S, 0}, h_in_replicated},
    {{"cost_call", "IIP", "", ANY | S, 0}, h_not_modelled},
    {{"cost_create_canister", "P", "", ANY | S, 0}, h_not_modelled},
    {{"cost_http_request", "IIP", "", ANY | S, 0}, h_not_modelled},
    {{"cost_sign_with_ecdsa", "PPiP", "i", ANY | S, 0}, h_not_modelled},
    {{"cost_sign_with_schnorr", "PPiP", "i", ANY | S, 0}, h_not_modelled},
    {{"cost_vetkd_derive_key", "PPiP", "i", ANY | S, 0}, h_not_modelled},
    {{"env_var_count", "", "P", ANY, 0}, h_zero},
    {{"env_var_name_size", "P", "P", ANY, 0}, h_env_var_missing},
    {{"env_var_name_copy", "PPPP", "", ANY, 0}, h_env_var_missing},
    {{"env_var_name_exists", "PP", "i", ANY, 0}, h_env_var_exists},
    {{"env_var_value_size", "PP", "P", ANY, 0}, h_env_var_value},
    {{"env_var_value_copy", "PPPPP", "", ANY, 0}, h_env_var_value},
    {{"debug_print", "PP", "", ANY | S, 0}, h_debug_print},
    {{"trap", "PP", "", ANY | S, 0}, h_trap},
    {{"msg_cycles_available", "", "I", U | RQ | RY | RT, W32}, h_zero},
    {{"msg_cycles_refunded", "", "I", RY | RT, W32}, h_zero},
    {{"msg_cycles_accept", "I", "I", U | RQ | RY | RT, W32}, h_zero},
    {{"canister_cycle_balance", "", "I", ANY, W32}, h_balance},
    {{"call_cycles_add", "I", "", CALLS, W32}, cmw_h_call_cycles_add},
    {{"stable_size", "", "i", ANY | S, W32 | STB}, h_stable_size},
    {{"stable_grow", "i", "i", ANY | S, W32 | STB}, h_stable_grow},
    {{"stable_write", "iii", "", ANY | S, W32 | STB}, h_stable_write},
    {{"stable_read", "iii", "", ANY | S, W32 | STB}, h_stable_read},
};

#define TABLE_SIZE (sizeof table / sizeof table[0])

int cmw_syscall_find(const char *name, uint32_t name_len) {
  for (size_t i = 0; i < TABLE_SIZE; i++)
    if (strlen(table[i].info.name) == name_len &&
        memcmp(table[i].info.name, name, name_len) == 0)
      return (int)i;
  return -1;
}

const cmw_syscall_info *cmw_syscall(uint32_t id) {
  return id < TABLE_SIZE ? &table[id].info : NULL;
}

uint32_t cmw_syscall_count(void) { return (uint32_t)TABLE_SIZE; }

int cmw_host_call(void *host, uint32_t id, const uint64_t *args,
                  uint64_t *result) {
  cmw_exec *x = ((cmw_host *)host)->current;
  if (!x || id >= TABLE_SIZE)
    return 1;
  const entry *e = &table[id];
  uint32_t allowed = e->info.contexts;
  if ((e->info.flags & CMW_SYS_STABLE) &&
      !(x->profile->features & CANMEM_FEATURE_STABLE_IN_START))
    allowed &= ~(uint32_t)CMW_CTX_START;
  if (!(allowed & x->context)) /* CTX-1, before anything else */
    return cmw_trap(x, CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT,
                "ic0.%s cannot be called from this context", e->info.name);
  /* i32 arguments arrive zero-extended; the handlers read them unsigned */
  return e->fn(x, args, result);
}
