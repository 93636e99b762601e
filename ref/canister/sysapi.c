/* canmem canister model: the System API (the `ic0` module) as one table.
 *
 * Each row gives the name, the signature with P standing for the pointer
 * type I (i32 in a wasm32 or memory-less canister, i64 in a wasm64 one:
 * MOD-MEM-2, W64-1), the contexts it may be called from (ic-memory-rules.md
 * section 10, current spec), and the handler. Import validation
 * (modcheck.c), the availability check (CTX-1) and dispatch all read this
 * one table. Functions without a handler are accepted at install and trap
 * with "not-modelled" when called from a context that allows them.
 *
 * Numbers are unsigned ("Interpretation of numbers"), and every range is
 * checked without wrap-around (COPY-4, EDGE-OVF) by cm_range_ok. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "calls.h"
#include "internal.h"
#include "utf8.h"

/* ---- Buffers ---- */

bool cm_buffer_append(cm_buffer *b, const uint8_t *data, uint64_t size) {
  if (size == 0)
    return true;
  if (size > UINT64_MAX - b->size)
    return false;
  if (b->size + size > b->cap) {
    uint64_t cap = b->cap ? b->cap : 64;
    while (cap < b->size + size)
      cap = cap > UINT64_MAX / 2 ? b->size + size : cap * 2;
    if (cap > SIZE_MAX)
      return false;
    uint8_t *grown = cm_realloc(b->data, (size_t)cap);
    if (!grown)
      return false;
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->size, data, (size_t)size);
  b->size += size;
  return true;
}

void cm_buffer_free(cm_buffer *b) {
  free(b->data);
  b->data = NULL;
  b->size = b->cap = 0;
}

cm_status cm_host_trap(cm_error *err, uint32_t category, const char *fmt,
                       ...) {
  err->status = CM_TRAP;
  err->trap = CM_TRAP_HOST;
  err->host_code = category;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return CM_TRAP;
}

/* ---- One call ---- */

typedef struct {
  cm_canister *canister;
  cm_execution *exec;
  cm_memory *memory; /* the caller's memory 0, or NULL */
  bool is64;
  const uint64_t *args;
  uint64_t *results;
  cm_error *err;
  const char *name; /* without "ic0." */
} syscall;

typedef cm_status (*handler)(syscall *call);

/* Pointer-typed argument i: an I value, unsigned. */
static uint64_t arg_ptr(const syscall *call, unsigned i) {
  return call->is64 ? call->args[i] : call->args[i] & 0xffffffffu;
}
static uint64_t arg_i32(const syscall *call, unsigned i) {
  return call->args[i] & 0xffffffffu;
}
static uint64_t arg_i64(const syscall *call, unsigned i) {
  return call->args[i];
}
static void result_ptr(syscall *call, uint64_t v) {
  call->results[0] = call->is64 ? v : v & 0xffffffffu;
}
static void result_i32(syscall *call, uint32_t v) { call->results[0] = v; }
static void result_i64(syscall *call, uint64_t v) { call->results[0] = v; }

static uint64_t heap_size(const syscall *call) {
  return call->memory ? cm_memory_size(call->memory) : 0;
}

/* COPY-2/COPY-3: is [addr, addr+size) inside the heap? A canister without
 * memory has an empty heap (EDGE-NOMEM, newest formal text) unless the
 * profile asks for the older reading where any such call traps. */
static cm_status check_heap(syscall *call, uint64_t addr, uint64_t size) {
  if (!call->memory &&
      (call->canister->profile.readings & CANMEM_READING_NO_MEMORY_TRAPS))
    return cm_host_trap(call->err, CANMEM_CAT_HEAP_OUT_OF_BOUNDS,
                        "ic0.%s: the canister has no memory", call->name);
  if (!cm_range_ok(addr, size, heap_size(call)))
    return cm_host_trap(call->err, CANMEM_CAT_HEAP_OUT_OF_BOUNDS,
                        "ic0.%s: heap range [%llu, +%llu) exceeds the heap of "
                        "%llu bytes",
                        call->name, (unsigned long long)addr,
                        (unsigned long long)size,
                        (unsigned long long)heap_size(call));
  return CM_OK;
}

/* Bytes of the heap at addr, after check_heap. */
static const uint8_t *heap_bytes(syscall *call, uint64_t addr) {
  return call->memory ? cm_memory_data(call->memory) + addr : NULL;
}

/* Heap storage to write [addr, addr+size) into, journaled first so a trap
 * rolls it back. NULL after setting a trap. Callers have checked the range
 * and that size > 0, so the heap exists. */
static uint8_t *heap_for_write(syscall *call, uint64_t addr, uint64_t size) {
  if (!cm_memory_will_write(call->memory, addr, size)) {
    cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                 "ic0.%s: no host memory to journal the heap", call->name);
    return NULL;
  }
  return cm_memory_data(call->memory) + addr;
}

/* COPY-1/COPY-3: copy data[offset..offset+size] to heap[dst..dst+size];
 * the blob bound is checked before the heap bound (COPY-7). */
static cm_status copy_to_canister(syscall *call, uint64_t dst,
                                  uint64_t offset, uint64_t size,
                                  const uint8_t *data, uint64_t data_size) {
  if (!cm_range_ok(offset, size, data_size))
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.%s: offset %llu + size %llu exceeds the %llu bytes "
                        "available",
                        call->name, (unsigned long long)offset,
                        (unsigned long long)size,
                        (unsigned long long)data_size);
  cm_status st = check_heap(call, dst, size);
  if (st != CM_OK || size == 0)
    return st;
  uint8_t *to = heap_for_write(call, dst, size);
  if (!to)
    return CM_TRAP;
  memcpy(to, data + offset, (size_t)size);
  return CM_OK;
}

/* Write a 128-bit little-endian value (cycles) to heap[dst..dst+16]. */
static cm_status write_u128(syscall *call, uint64_t dst, uint64_t high,
                            uint64_t low) {
  cm_status st = check_heap(call, dst, 16);
  if (st != CM_OK)
    return st;
  uint8_t bytes[16];
  for (int i = 0; i < 8; i++) {
    bytes[i] = (uint8_t)(low >> (8 * i));
    bytes[8 + i] = (uint8_t)(high >> (8 * i));
  }
  uint8_t *to = heap_for_write(call, dst, 16);
  if (!to)
    return CM_TRAP;
  memcpy(to, bytes, 16);
  return CM_OK;
}

/* ---- Identities (deterministic; docs/memory-model.md) ---- */

/* The canister's own id: a 10-byte canister principal. */
static const uint8_t canister_id[10] = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1};
/* The user who installs and calls: a 29-byte self-authenticating id. It
 * is also the canister's only controller. */
static const uint8_t user_id[29] = {
    0xca, 0x4e, 0x5d, 0x04, 0x3f, 0x51, 0x16, 0x9b, 0x77, 0x2c,
    0x11, 0x9a, 0x08, 0xe4, 0x6d, 0x30, 0x7a, 0x61, 0x52, 0x25,
    0x93, 0x0e, 0xd1, 0x44, 0x68, 0xb8, 0x37, 0x1f, 0x02};

const uint8_t *cm_user_principal(uint64_t *size) {
  *size = sizeof user_id;
  return user_id;
}

/* ---- Handlers: arguments and caller ---- */

static cm_status h_msg_arg_data_size(syscall *call) {
  result_ptr(call, call->exec->arg_size);
  return CM_OK;
}

static cm_status h_msg_arg_data_copy(syscall *call) {
  return copy_to_canister(call, arg_ptr(call, 0), arg_ptr(call, 1),
                          arg_ptr(call, 2), call->exec->arg,
                          call->exec->arg_size);
}

static cm_status h_msg_caller_size(syscall *call) {
  result_ptr(call, call->exec->caller_size);
  return CM_OK;
}

static cm_status h_msg_caller_copy(syscall *call) {
  return copy_to_canister(call, arg_ptr(call, 0), arg_ptr(call, 1),
                          arg_ptr(call, 2), call->exec->caller,
                          call->exec->caller_size);
}

/* The caller is never authenticated by a canister signature here: the
 * caller info is empty. */
static cm_status h_empty_blob_size(syscall *call) {
  result_ptr(call, 0);
  return CM_OK;
}

static cm_status h_empty_blob_copy(syscall *call) {
  return copy_to_canister(call, arg_ptr(call, 0), arg_ptr(call, 1),
                          arg_ptr(call, 2), NULL, 0);
}

/* Only in canister_inspect_message, where the method is known. */
static cm_status h_msg_method_name_size(syscall *call) {
  result_ptr(call, strlen(call->exec->method));
  return CM_OK;
}

static cm_status h_msg_method_name_copy(syscall *call) {
  const char *m = call->exec->method;
  return copy_to_canister(call, arg_ptr(call, 0), arg_ptr(call, 1),
                          arg_ptr(call, 2), (const uint8_t *)m, strlen(m));
}

static cm_status h_accept_message(syscall *call) {
  if (call->exec->accepted)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.accept_message called twice");
  call->exec->accepted = true;
  return CM_OK;
}

static cm_status h_msg_deadline(syscall *call) {
  /* 0: the model's calls come from users, and its callbacks belong to
   * those calls' contexts, never to a bounded-wait call from a canister */
  result_i64(call, 0);
  return CM_OK;
}

/* ---- Handlers: responding (MSG-REPLY-*, MSG-REJECT-1) ---- */

static cm_status check_can_respond(syscall *call) {
  if (!call->exec->can_respond)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.%s: this call does not need a response",
                        call->name);
  if (call->exec->responded)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.%s: the call has already been responded to",
                        call->name);
  return CM_OK;
}

static cm_status h_msg_reply_data_append(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  cm_status st = check_can_respond(call);
  if (st == CM_OK)
    st = check_heap(call, src, size);
  if (st != CM_OK)
    return st;
  cm_execution *x = call->exec;
  if (size > x->max_reply || x->reply.size > x->max_reply - size)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.msg_reply_data_append: the reply would exceed "
                        "%llu bytes",
                        (unsigned long long)x->max_reply);
  if (!cm_buffer_append(&x->reply, heap_bytes(call, src), size))
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.msg_reply_data_append: out of host memory");
  return CM_OK;
}

static cm_status h_msg_reply(syscall *call) {
  cm_status st = check_can_respond(call);
  if (st != CM_OK)
    return st;
  call->exec->responded = true;
  return CM_OK;
}

static cm_status h_msg_reject(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  cm_status st = check_can_respond(call);
  if (st == CM_OK)
    st = check_heap(call, src, size);
  if (st != CM_OK)
    return st;
  const uint8_t *text = heap_bytes(call, src);
  if (size && !cm_utf8_valid(text, (size_t)size))
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.msg_reject: the message is not valid UTF-8");
  cm_execution *x = call->exec;
  x->reject_message.size = 0;
  if (!cm_buffer_append(&x->reject_message, text, size))
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.msg_reject: out of host memory");
  x->reply.size = 0; /* assembled reply data is discarded */
  x->responded = x->rejected = true;
  return CM_OK;
}

/* ---- Handlers: cycles (only balances are modelled) ---- */

static cm_status h_zero_i64(syscall *call) {
  result_i64(call, 0);
  return CM_OK;
}

static cm_status h_msg_cycles_available128(syscall *call) {
  return write_u128(call, arg_ptr(call, 0), 0, 0);
}

/* No cycles come with a message, so none can be accepted. */
static cm_status h_msg_cycles_accept128(syscall *call) {
  return write_u128(call, arg_ptr(call, 2), 0, 0);
}

/* The profile's constant balance, less the cycles this execution has put
 * on calls (deducted at once, CALL-CYCLES). */
static uint64_t cycle_balance(const syscall *call) {
  const cm_call_builder *b = call->exec->calls;
  return call->canister->profile.cycle_balance - (b ? b->cycles_held : 0);
}

static cm_status h_canister_cycle_balance(syscall *call) {
  result_i64(call, cycle_balance(call));
  return CM_OK;
}

static cm_status h_canister_cycle_balance128(syscall *call) {
  return write_u128(call, arg_ptr(call, 0), 0, cycle_balance(call));
}

static cm_status h_msg_cycles_refunded128(syscall *call) {
  return write_u128(call, arg_ptr(call, 0), 0, 0); /* responses carry none */
}

/* ---- Handlers: callbacks (Ry, Rt, C) ---- */

static cm_status h_msg_reject_code(syscall *call) {
  result_i32(call, call->exec->reject_code);
  return CM_OK;
}

static cm_status h_msg_reject_msg_size(syscall *call) {
  result_ptr(call, call->exec->reject_text_size);
  return CM_OK;
}

static cm_status h_msg_reject_msg_copy(syscall *call) {
  return copy_to_canister(call, arg_ptr(call, 0), arg_ptr(call, 1),
                          arg_ptr(call, 2), call->exec->reject_text,
                          call->exec->reject_text_size);
}

/* ---- Handlers: inter-canister calls (CALL-*, calls.c) ---- */

/* The builder of this execution; composite queries (CQ) may call in the
 * spec, but the model has no query calls to other canisters. */
static cm_call_builder *builder(syscall *call, cm_status *st) {
  cm_call_builder *b = call->exec->calls;
  if (!b)
    *st = cm_host_trap(call->err, CANMEM_CAT_NOT_MODELLED,
                       "ic0.%s: calls from composite queries are not "
                       "modelled",
                       call->name);
  return b;
}

/* The call under construction; every ic0.call_* but call_new traps
 * without one (after call_perform too). */
static cm_call *pending_call(syscall *call, cm_status *st) {
  cm_call_builder *b = builder(call, st);
  if (b && !b->pending)
    *st = cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                       "ic0.%s: no call is under construction", call->name);
  return b ? b->pending : NULL;
}

/* call_new and returning discard a call not performed; its cycles go back
 * to the balance. */
static void discard_pending(cm_call_builder *b) {
  if (!b->pending)
    return;
  b->cycles_held -= b->pending->cycles;
  cm_call_free(b->pending);
  b->pending = NULL;
}

static cm_status h_call_new(syscall *call) {
  cm_status st = CM_OK;
  cm_call_builder *b = builder(call, &st);
  if (!b)
    return st;
  discard_pending(b);
  uint64_t callee = arg_ptr(call, 0), callee_size = arg_ptr(call, 1);
  uint64_t name = arg_ptr(call, 2), name_size = arg_ptr(call, 3);
  st = check_heap(call, callee, callee_size);
  if (st == CM_OK)
    st = check_heap(call, name, name_size);
  if (st != CM_OK)
    return st;
  cm_call *p = cm_calloc(1, sizeof *p);
  if (!p ||
      !cm_buffer_append(&p->callee, heap_bytes(call, callee), callee_size) ||
      !cm_buffer_append(&p->method, heap_bytes(call, name), name_size)) {
    cm_call_free(p);
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.call_new: out of host memory");
  }
  p->reply = (cm_closure){arg_ptr(call, 4), arg_ptr(call, 5)};
  p->reject = (cm_closure){arg_ptr(call, 6), arg_ptr(call, 7)};
  b->pending = p;
  return CM_OK;
}

static cm_status h_call_on_cleanup(syscall *call) {
  cm_status st = CM_OK;
  cm_call *p = pending_call(call, &st);
  if (!p)
    return st;
  if (p->has_cleanup)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.call_on_cleanup: at most once per call");
  p->has_cleanup = true;
  p->cleanup = (cm_closure){arg_ptr(call, 0), arg_ptr(call, 1)};
  return CM_OK;
}

/* The payload limit is the profile's max_reply_size: the resource limits
 * give 2 MiB for both an inter-canister payload and a reply. */
static cm_status h_call_data_append(syscall *call) {
  cm_status st = CM_OK;
  cm_call *p = pending_call(call, &st);
  if (!p)
    return st;
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  st = check_heap(call, src, size);
  if (st != CM_OK)
    return st;
  uint64_t max = call->canister->profile.max_reply_bytes;
  if (size > max || p->payload.size > max - size)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.call_data_append: the payload would exceed "
                        "%llu bytes",
                        (unsigned long long)max);
  if (!cm_buffer_append(&p->payload, heap_bytes(call, src), size))
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.call_data_append: out of host memory");
  return CM_OK;
}

static cm_status h_call_with_best_effort_response(syscall *call) {
  cm_status st = CM_OK;
  cm_call *p = pending_call(call, &st);
  if (!p)
    return st;
  if (p->best_effort)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.call_with_best_effort_response: at most once "
                        "per call");
  p->best_effort = true;
  p->timeout_seconds = (uint32_t)arg_i32(call, 0);
  return CM_OK;
}

/* call_cycles_add128 and call_cycles_add: more than the balance traps. */
static cm_status add_cycles(syscall *call, uint64_t high, uint64_t low) {
  cm_status st = CM_OK;
  cm_call *p = pending_call(call, &st);
  if (!p)
    return st;
  if (high || low > cycle_balance(call))
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.%s: more cycles than the balance of %llu",
                        call->name, (unsigned long long)cycle_balance(call));
  p->cycles += low;
  call->exec->calls->cycles_held += low;
  return CM_OK;
}

static cm_status h_call_cycles_add128(syscall *call) {
  return add_cycles(call, arg_i64(call, 0), arg_i64(call, 1));
}

static cm_status h_call_cycles_add(syscall *call) {
  return add_cycles(call, 0, arg_i64(call, 0));
}

/* Queued; sent only if the execution commits. Always 0: the model never
 * lacks the resources to enqueue a call. */
static cm_status h_call_perform(syscall *call) {
  cm_status st = CM_OK;
  cm_call *p = pending_call(call, &st);
  if (!p)
    return st;
  cm_call_builder *b = call->exec->calls;
  cm_call **tail = &b->performed;
  while (*tail)
    tail = &(*tail)->next;
  *tail = p;
  b->pending = NULL;
  result_i32(call, 0);
  return CM_OK;
}

/* ---- Handlers: canister and environment ---- */

static cm_status h_canister_self_size(syscall *call) {
  result_ptr(call, sizeof canister_id);
  return CM_OK;
}

static cm_status h_canister_self_copy(syscall *call) {
  return copy_to_canister(call, arg_ptr(call, 0), arg_ptr(call, 1),
                          arg_ptr(call, 2), canister_id, sizeof canister_id);
}

static cm_status h_canister_status(syscall *call) {
  result_i32(call, 1); /* running: stopping and stopped are not modelled */
  return CM_OK;
}

static cm_status h_canister_version(syscall *call) {
  result_i64(call, call->exec->version);
  return CM_OK;
}

static cm_status h_time(syscall *call) {
  result_i64(call, call->exec->time);
  return CM_OK;
}

static cm_status h_performance_counter(syscall *call) {
  uint64_t type = arg_i32(call, 0);
  if (type > 1)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.performance_counter: unknown counter type %llu",
                        (unsigned long long)type);
  /* 0: this execution; 1: the call context, which is the same here */
  result_i64(call, cm_store_instructions(call->exec->code->store));
  return CM_OK;
}

static cm_status h_in_replicated_execution(syscall *call) {
  result_i32(call, call->exec->replicated ? 1 : 0);
  return CM_OK;
}

static cm_status h_is_controller(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  cm_status st = check_heap(call, src, size);
  if (st != CM_OK)
    return st;
  if (size > 29)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.is_controller: %llu bytes is not a principal",
                        (unsigned long long)size);
  result_i32(call, size == sizeof user_id &&
                       memcmp(heap_bytes(call, src), user_id, size) == 0);
  return CM_OK;
}

static cm_status h_certified_data_set(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  cm_status st = check_heap(call, src, size);
  if (st != CM_OK)
    return st;
  uint64_t max = call->canister->profile.max_certified_data_bytes;
  if (size > max)
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.certified_data_set: %llu bytes, at most %llu",
                        (unsigned long long)size, (unsigned long long)max);
  cm_pending *p = call->exec->pending;
  p->certified.size = 0;
  if (!cm_buffer_append(&p->certified, heap_bytes(call, src), size))
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.certified_data_set: out of host memory");
  p->certified_set = true;
  return CM_OK;
}

static cm_status h_data_certificate_present(syscall *call) {
  result_i32(call, 0); /* certificates are not modelled */
  return CM_OK;
}

static cm_status h_no_data_certificate(syscall *call) {
  return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                      "ic0.%s: no data certificate is present", call->name);
}

static cm_status h_global_timer_set(syscall *call) {
  cm_pending *p = call->exec->pending;
  uint64_t previous =
      p->timer_set ? p->timer : call->canister->global_timer;
  p->timer = arg_i64(call, 0);
  p->timer_set = true;
  result_i64(call, previous);
  return CM_OK;
}

/* Environment variables: the model's canister has none. */
static cm_status h_env_var_count(syscall *call) {
  result_ptr(call, 0);
  return CM_OK;
}

static cm_status h_env_var_name_exists(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  cm_status st = check_heap(call, src, size);
  if (st != CM_OK)
    return st;
  if (size && !cm_utf8_valid(heap_bytes(call, src), (size_t)size))
    return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                        "ic0.env_var_name_exists: the name is not valid "
                        "UTF-8");
  result_i32(call, 0);
  return CM_OK;
}

static cm_status h_env_var_missing(syscall *call) {
  return cm_host_trap(call->err, CANMEM_CAT_CONTRACT_VIOLATION,
                      "ic0.%s: no such environment variable", call->name);
}

/* ---- Handlers: debugging ---- */

/* MSG-DBG-1, EDGE-DBG-OOB: never traps, whatever the range. A range in
 * bounds becomes a record of the canister log (log.h) when the execution
 * is replicated; one out of bounds logs nothing. (The host running out of
 * memory is a trap of its own, as everywhere in the model.) */
static cm_status h_debug_print(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  if (call->exec->replicated && call->memory &&
      cm_range_ok(src, size, heap_size(call)) &&
      !cm_log_append(&call->exec->logs, size ? heap_bytes(call, src) : NULL,
                     size, call->exec->time, 0))
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.debug_print: out of host memory");
  return CM_OK;
}

/* MSG-TRAP-1: always traps; the message is read only when in bounds. */
static cm_status h_trap(syscall *call) {
  uint64_t src = arg_ptr(call, 0), size = arg_ptr(call, 1);
  char text[160];
  if (call->memory && cm_range_ok(src, size, heap_size(call))) {
    uint64_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    const uint8_t *bytes = heap_bytes(call, src);
    for (uint64_t i = 0; i < n; i++)
      text[i] = (bytes[i] >= 0x20 && bytes[i] < 0x7f) ? (char)bytes[i] : '?';
    text[n] = '\0';
  } else {
    snprintf(text, sizeof text, "(message out of bounds)");
  }
  return cm_host_trap(call->err, CANMEM_CAT_EXPLICIT_TRAP,
                      "canister called ic0.trap: %s", text);
}

/* ---- Handlers: stable memory (SM-*, SM32-*, SM64-*) ---- */

static uint64_t stable32_limit(const syscall *call) {
  return call->canister->profile.max_stable32_bytes;
}

/* SM32-*-2, SM32-4G-1: every 32-bit call traps once stable memory is
 * larger than 4 GiB (follow the prose: the formal text tests the heap,
 * SM32-FORMAL-BUG-1). */
static cm_status check_stable32_size(syscall *call) {
  uint64_t bytes = cm_stable_bytes(call->exec->stable);
  if (bytes > stable32_limit(call))
    return cm_host_trap(call->err, CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT,
                        "ic0.%s: stable memory of %llu bytes is too big for the "
                        "32-bit API",
                        call->name, (unsigned long long)bytes);
  return CM_OK;
}

static cm_status check_stable(syscall *call, uint64_t offset, uint64_t size) {
  uint64_t bytes = cm_stable_bytes(call->exec->stable);
  if (!cm_range_ok(offset, size, bytes))
    return cm_host_trap(call->err, CANMEM_CAT_STABLE_OUT_OF_BOUNDS,
                        "ic0.%s: stable range [%llu, +%llu) exceeds the stable "
                        "memory of %llu bytes",
                        call->name, (unsigned long long)offset,
                        (unsigned long long)size, (unsigned long long)bytes);
  return CM_OK;
}

/* SM-9, LIM-SM-2: count the pages of a stable access against the
 * execution's limits, before anything is copied. */
static cm_status count_stable_access(syscall *call, uint64_t offset,
                                     uint64_t size, bool write) {
  char why[160];
  switch (cm_access_stable(&call->exec->access, offset, size, write, why,
                           sizeof why)) {
  case CM_ACCESS_OK: return CM_OK;
  case CM_ACCESS_OVER_LIMIT:
    return cm_host_trap(call->err, CANMEM_CAT_MEMORY_ACCESS_LIMIT,
                        "ic0.%s: %s in this execution", call->name, why);
  default:
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.%s: no host memory to count stable pages",
                        call->name);
  }
}

static cm_status stable_write(syscall *call, uint64_t offset, uint64_t src,
                              uint64_t size) {
  /* SM64-WRITE-2: formal order is heap, then stable (EDGE-ORDER). */
  bool stable_first = call->canister->profile.readings &
                      CANMEM_READING_STABLE_BOUND_FIRST;
  cm_status st = stable_first ? check_stable(call, offset, size)
                              : check_heap(call, src, size);
  if (st == CM_OK)
    st = stable_first ? check_heap(call, src, size)
                      : check_stable(call, offset, size);
  if (st == CM_OK)
    st = count_stable_access(call, offset, size, true);
  if (st != CM_OK || size == 0)
    return st;
  if (!cm_stable_write(call->exec->stable, offset, heap_bytes(call, src),
                       size))
    return cm_host_trap(call->err, CANMEM_CAT_OUT_OF_MEMORY,
                        "ic0.%s: no host memory for stable pages", call->name);
  return CM_OK;
}

static cm_status stable_read(syscall *call, uint64_t dst, uint64_t offset,
                             uint64_t size) {
  /* SM64-READ-2: stable, then heap; the prose is followed for which
   * bytes go where (SM64-FORMAL-BUG-1). */
  cm_status st = check_stable(call, offset, size);
  if (st == CM_OK)
    st = check_heap(call, dst, size);
  if (st == CM_OK)
    st = count_stable_access(call, offset, size, false);
  if (st != CM_OK || size == 0)
    return st;
  /* Journal and fill the heap a slice at a time: the slice the journal
   * has just read is still in the cache when the stable bytes land. */
  const uint64_t slice = 256 * 1024;
  for (uint64_t done = 0; done < size; done += slice) {
    uint64_t n = size - done < slice ? size - done : slice;
    uint8_t *to = heap_for_write(call, dst + done, n);
    if (!to)
      return CM_TRAP;
    cm_stable_read(call->exec->stable, offset + done, to, n);
  }
  return CM_OK;
}

static cm_status h_stable_size(syscall *call) {
  cm_status st = check_stable32_size(call);
  if (st == CM_OK)
    result_i32(call, (uint32_t)cm_stable_pages(call->exec->stable));
  return st;
}

/* Grow stable memory: the old size in pages, or CM_STABLE_GROW_REFUSED
 * past the maximum and when the host has no memory for the page directory:
 * a grow may fail for resource reasons with -1, never a trap (SM32-GROW-5).
 */
static uint64_t grow_stable(syscall *call, uint64_t delta) {
  uint64_t old = cm_stable_grow(call->exec->stable, delta);
  if (old != CM_STABLE_GROW_NO_MEMORY)
    return old;
  cm_alloc_answered();
  return CM_STABLE_GROW_REFUSED;
}

static cm_status h_stable_grow(syscall *call) {
  cm_status st = check_stable32_size(call);
  if (st != CM_OK)
    return st;
  uint64_t delta = arg_i32(call, 0); /* unsigned: EDGE-GROWARG */
  uint64_t limit_pages = stable32_limit(call) / CM_WASM_PAGE;
  uint64_t old = cm_stable_pages(call->exec->stable);
  /* SM32-GROW-3: -1 past the 32-bit API's 4 GiB; past the profile's
   * maximum, or without host memory, grow_stable says -1 too. */
  if (old + delta > limit_pages) {
    result_i32(call, UINT32_MAX);
    return CM_OK;
  }
  old = grow_stable(call, delta);
  result_i32(call, old == CM_STABLE_GROW_REFUSED ? UINT32_MAX : (uint32_t)old);
  return CM_OK;
}

static cm_status h_stable_write(syscall *call) {
  cm_status st = check_stable32_size(call);
  if (st != CM_OK)
    return st;
  return stable_write(call, arg_i32(call, 0), arg_i32(call, 1),
                      arg_i32(call, 2));
}

static cm_status h_stable_read(syscall *call) {
  cm_status st = check_stable32_size(call);
  if (st != CM_OK)
    return st;
  return stable_read(call, arg_i32(call, 0), arg_i32(call, 1),
                     arg_i32(call, 2));
}

static cm_status h_stable64_size(syscall *call) {
  result_i64(call, cm_stable_pages(call->exec->stable));
  return CM_OK;
}

static cm_status h_stable64_grow(syscall *call) {
  /* SM64-GROW-*: -1 (never a trap) past the profile's maximum. */
  result_i64(call, grow_stable(call, arg_i64(call, 0)));
  return CM_OK;
}

static cm_status h_stable64_write(syscall *call) {
  return stable_write(call, arg_i64(call, 0), arg_i64(call, 1),
                      arg_i64(call, 2));
}

static cm_status h_stable64_read(syscall *call) {
  return stable_read(call, arg_i64(call, 0), arg_i64(call, 1),
                     arg_i64(call, 2));
}

/* ---- The table ---- */

/* Context sets of the spec's comments. */
#define S CM_CTX_START
#define I CM_CTX_INIT
#define G CM_CTX_PRE_UPGRADE
#define U CM_CTX_UPDATE
#define RQ CM_CTX_REPLICATED_QUERY
#define NRQ CM_CTX_QUERY
#define TQ CM_CTX_TRANSFORM_QUERY
#define CQ CM_CTX_COMPOSITE_QUERY
#define RY CM_CTX_REPLY
#define RT CM_CTX_REJECT
#define CRY CM_CTX_COMPOSITE_REPLY
#define CRT CM_CTX_COMPOSITE_REJECT
#define C CM_CTX_CLEANUP
#define CC CM_CTX_COMPOSITE_CLEANUP
#define F CM_CTX_INSPECT
#define T CM_CTX_SYSTEM_TASK
#define ANY CM_CTX_ANY

enum {
  WASM32_ONLY = 1u << 0, /* MOD-IMP-2 */
  STABLE_API = 1u << 1,  /* (start) needs CANMEM_FEATURE_STABLE_IN_START */
};

struct cm_sysapi_entry {
  const char *name;
  const char *params; /* i = i32, I = i64, P = pointer type I */
  const char *results;
  uint32_t contexts;
  uint32_t flags;
  uint64_t feature; /* CANMEM_FEATURE_* the profile must enable */
  handler fn;       /* NULL: accepted, but traps "not-modelled" */
};

static const cm_sysapi_entry sysapi[] = {
    {"msg_arg_data_size", "", "P", I | U | RQ | NRQ | TQ | CQ | RY | CRY | F,
     0, 0, h_msg_arg_data_size},
    {"msg_arg_data_copy", "PPP", "", I | U | RQ | NRQ | TQ | CQ | RY | CRY | F,
     0, 0, h_msg_arg_data_copy},
    {"msg_caller_size", "", "P", ANY, 0, 0, h_msg_caller_size},
    {"msg_caller_copy", "PPP", "", ANY, 0, 0, h_msg_caller_copy},
    {"msg_caller_info_data_size", "", "P",
     U | RQ | NRQ | CQ | RY | RT | CRY | CRT | C | CC | F, 0, 0,
     h_empty_blob_size},
    {"msg_caller_info_data_copy", "PPP", "",
     U | RQ | NRQ | CQ | RY | RT | CRY | CRT | C | CC | F, 0, 0,
     h_empty_blob_copy},
    {"msg_caller_info_signer_size", "", "P",
     U | RQ | NRQ | CQ | RY | RT | CRY | CRT | C | CC | F, 0, 0,
     h_empty_blob_size},
    {"msg_caller_info_signer_copy", "PPP", "",
     U | RQ | NRQ | CQ | RY | RT | CRY | CRT | C | CC | F, 0, 0,
     h_empty_blob_copy},
    {"msg_reject_code", "", "i", RY | RT | CRY | CRT | C, 0, 0,
     h_msg_reject_code},
    {"msg_reject_msg_size", "", "P", RT | CRT, 0, 0, h_msg_reject_msg_size},
    {"msg_reject_msg_copy", "PPP", "", RT | CRT, 0, 0, h_msg_reject_msg_copy},
    /* `Q` in the spec's comment: both query modes (EDGE-RQ-NRQ). */
    {"msg_deadline", "", "I", U | RQ | NRQ | CQ | RY | RT | CRY | CRT, 0, 0,
     h_msg_deadline},
    {"msg_reply_data_append", "PP", "",
     U | RQ | NRQ | TQ | CQ | RY | RT | CRY | CRT, 0, 0,
     h_msg_reply_data_append},
    {"msg_reply", "", "", U | RQ | NRQ | TQ | CQ | RY | RT | CRY | CRT, 0, 0,
     h_msg_reply},
    {"msg_reject", "PP", "", U | RQ | NRQ | TQ | CQ | RY | RT | CRY | CRT, 0,
     0, h_msg_reject},
    {"msg_cycles_available128", "P", "", U | RQ | RT | RY, 0, 0,
     h_msg_cycles_available128},
    {"msg_cycles_refunded128", "P", "", RT | RY, 0, 0,
     h_msg_cycles_refunded128},
    {"msg_cycles_accept128", "IIP", "", U | RQ | RT | RY, 0, 0,
     h_msg_cycles_accept128},
    {"cycles_burn128", "IIP", "", I | G | U | RQ | RY | RT | C | T, 0, 0,
     NULL},
    {"canister_self_size", "", "P", ANY, 0, 0, h_canister_self_size},
    {"canister_self_copy", "PPP", "", ANY, 0, 0, h_canister_self_copy},
    {"canister_cycle_balance128", "P", "", ANY, 0, 0,
     h_canister_cycle_balance128},
    {"canister_liquid_cycle_balance128", "P", "", ANY, 0, 0,
     h_canister_cycle_balance128},
    {"canister_status", "", "i", ANY, 0, 0, h_canister_status},
    {"canister_version", "", "I", ANY, 0, 0, h_canister_version},
    {"subnet_self_size", "", "P", ANY, 0, 0, NULL},
    {"subnet_self_copy", "PPP", "", ANY, 0, 0, NULL},
    {"msg_method_name_size", "", "P", F, 0, 0, h_msg_method_name_size},
    {"msg_method_name_copy", "PPP", "", F, 0, 0, h_msg_method_name_copy},
    {"accept_message", "", "", F, 0, 0, h_accept_message},
    {"call_new", "PPPPPPPP", "", U | CQ | RY | RT | CRY | CRT | T, 0, 0,
     h_call_new},
    {"call_on_cleanup", "PP", "", U | CQ | RY | RT | CRY | CRT | T, 0, 0,
     h_call_on_cleanup},
    {"call_data_append", "PP", "", U | CQ | RY | RT | CRY | CRT | T, 0, 0,
     h_call_data_append},
    {"call_with_best_effort_response", "i", "",
     U | CQ | RY | RT | CRY | CRT | T, 0, 0, h_call_with_best_effort_response},
    {"call_cycles_add128", "II", "", U | RY | RT | T, 0, 0,
     h_call_cycles_add128},
    {"call_perform", "", "i", U | CQ | RY | RT | CRY | CRT | T, 0, 0,
     h_call_perform},
    {"stable64_size", "", "I", ANY | S, STABLE_API, CANMEM_FEATURE_STABLE64,
     h_stable64_size},
    {"stable64_grow", "I", "I", ANY | S, STABLE_API, CANMEM_FEATURE_STABLE64,
     h_stable64_grow},
    {"stable64_write", "III", "", ANY | S, STABLE_API,
     CANMEM_FEATURE_STABLE64, h_stable64_write},
    {"stable64_read", "III", "", ANY | S, STABLE_API, CANMEM_FEATURE_STABLE64,
     h_stable64_read},
    {"root_key_size", "", "P", I | G | U | RQ | RY | RT | C | T, 0, 0, NULL},
    {"root_key_copy", "PPP", "", I | G | U | RQ | RY | RT | C | T, 0, 0,
     NULL},
    {"certified_data_set", "PP", "", I | G | U | RY | RT | T, 0, 0,
     h_certified_data_set},
    {"data_certificate_present", "", "i", ANY, 0, 0,
     h_data_certificate_present},
    {"data_certificate_size", "", "P", NRQ | CQ, 0, 0, h_no_data_certificate},
    {"data_certificate_copy", "PPP", "", NRQ | CQ, 0, 0,
     h_no_data_certificate},
    {"time", "", "I", ANY, 0, 0, h_time},
    {"global_timer_set", "I", "I", I | G | U | RY | RT | C | T, 0, 0,
     h_global_timer_set},
    {"performance_counter", "i", "I", ANY | S, 0, 0, h_performance_counter},
    {"is_controller", "PP", "i", ANY | S, 0, 0, h_is_controller},
    {"in_replicated_execution", "", "i", ANY | S, 0, 0,
     h_in_replicated_execution},
    {"cost_call", "IIP", "", ANY | S, 0, 0, NULL},
    {"cost_create_canister", "P", "", ANY | S, 0, 0, NULL},
    {"cost_http_request", "IIP", "", ANY | S, 0, 0, NULL},
    {"cost_sign_with_ecdsa", "PPiP", "i", ANY | S, 0, 0, NULL},
    {"cost_sign_with_schnorr", "PPiP", "i", ANY | S, 0, 0, NULL},
    {"cost_vetkd_derive_key", "PPiP", "i", ANY | S, 0, 0, NULL},
    {"env_var_count", "", "P", ANY, 0, 0, h_env_var_count},
    {"env_var_name_size", "P", "P", ANY, 0, 0, h_env_var_missing},
    {"env_var_name_copy", "PPPP", "", ANY, 0, 0, h_env_var_missing},
    {"env_var_name_exists", "PP", "i", ANY, 0, 0, h_env_var_name_exists},
    {"env_var_value_size", "PP", "P", ANY, 0, 0, h_env_var_missing},
    {"env_var_value_copy", "PPPPP", "", ANY, 0, 0, h_env_var_missing},
    {"debug_print", "PP", "", ANY | S, 0, 0, h_debug_print},
    {"trap", "PP", "", ANY | S, 0, 0, h_trap},
    /* Only when I = i32 (MOD-IMP-2). */
    {"msg_cycles_available", "", "I", U | RQ | RT | RY, WASM32_ONLY, 0,
     h_zero_i64},
    {"msg_cycles_refunded", "", "I", RT | RY, WASM32_ONLY, 0, h_zero_i64},
    {"msg_cycles_accept", "I", "I", U | RQ | RT | RY, WASM32_ONLY, 0,
     h_zero_i64},
    {"canister_cycle_balance", "", "I", ANY, WASM32_ONLY, 0,
     h_canister_cycle_balance},
    {"call_cycles_add", "I", "", U | RY | RT | T, WASM32_ONLY, 0,
     h_call_cycles_add},
    {"stable_size", "", "i", ANY | S, WASM32_ONLY | STABLE_API, 0,
     h_stable_size},
    {"stable_grow", "i", "i", ANY | S, WASM32_ONLY | STABLE_API, 0,
     h_stable_grow},
    {"stable_write", "iii", "", ANY | S, WASM32_ONLY | STABLE_API, 0,
     h_stable_write},
    {"stable_read", "iii", "", ANY | S, WASM32_ONLY | STABLE_API, 0,
     h_stable_read},
};

#undef S
#undef I
#undef G
#undef U
#undef RQ
#undef NRQ
#undef TQ
#undef CQ
#undef RY
#undef RT
#undef CRY
#undef CRT
#undef C
#undef CC
#undef F
#undef T
#undef ANY

const cm_sysapi_entry *cm_sysapi_lookup(const char *name) {
  for (size_t i = 0; i < sizeof sysapi / sizeof sysapi[0]; i++)
    if (strcmp(sysapi[i].name, name) == 0)
      return &sysapi[i];
  return NULL;
}

bool cm_sysapi_in_wasm64(const cm_sysapi_entry *e) {
  return !(e->flags & WASM32_ONLY);
}

uint64_t cm_sysapi_feature(const cm_sysapi_entry *e) { return e->feature; }

static uint8_t valtype_of(char code, bool is64) {
  switch (code) {
  case 'i': return CM_I32;
  case 'I': return CM_I64;
  default: return is64 ? CM_I64 : CM_I32; /* 'P' */
  }
}

void cm_sysapi_functype(const cm_sysapi_entry *e, bool is64, cm_functype *out,
                        uint8_t params[8], uint8_t results[1]) {
  uint32_t n = 0;
  for (const char *p = e->params; *p && n < 8; p++)
    params[n++] = valtype_of(*p, is64);
  out->nparams = n;
  out->params = params;
  n = 0;
  for (const char *r = e->results; *r && n < 1; r++)
    results[n++] = valtype_of(*r, is64);
  out->nresults = n;
  out->results = results;
}

/* ---- Binding and dispatch ---- */

struct cm_binding {
  cm_canister *canister;
  const cm_sysapi_entry *entry;
  bool is64;
  /* The host function's type lives here, as long as the function. */
  cm_functype type;
  uint8_t params[8], results[1];
};

size_t cm_sysapi_binding_size(void) { return sizeof(cm_binding); }

static const char *context_name(uint32_t context) {
  switch (context) {
  case CM_CTX_START: return "(start)";
  case CM_CTX_INIT: return "canister_init/post_upgrade";
  case CM_CTX_PRE_UPGRADE: return "canister_pre_upgrade";
  case CM_CTX_UPDATE: return "an update";
  case CM_CTX_REPLICATED_QUERY: return "a replicated query";
  case CM_CTX_QUERY: return "a query";
  case CM_CTX_INSPECT: return "canister_inspect_message";
  case CM_CTX_SYSTEM_TASK: return "a system task";
  case CM_CTX_REPLY: return "a reply callback";
  case CM_CTX_REJECT: return "a reject callback";
  case CM_CTX_CLEANUP: return "a cleanup callback";
  default: return "this context";
  }
}

static cm_status dispatch(void *env, cm_instance *caller,
                          const uint64_t *args, uint64_t *results,
                          cm_error *err) {
  const cm_binding *b = env;
  const cm_sysapi_entry *e = b->entry;
  cm_canister *c = b->canister;
  cm_execution *x = c->exec;
  /* CTX-1: a call from a context the table does not list traps. Host
   * functions run only inside an execution (x). */
  bool allowed = (e->contexts & x->context) != 0;
  if (allowed && x->context == CM_CTX_START && (e->flags & STABLE_API) &&
      !(c->profile.features & CANMEM_FEATURE_STABLE_IN_START))
    allowed = false;
  if (!allowed)
    return cm_host_trap(err, CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT,
                        "ic0.%s cannot be called from %s", e->name,
                        context_name(x->context));
  if (!e->fn)
    return cm_host_trap(err, CANMEM_CAT_NOT_MODELLED,
                        "ic0.%s is not modelled by the reference", e->name);
  syscall call = {
      .canister = c,
      .exec = x,
      .memory = caller ? cm_instance_memory(caller) : NULL,
      .is64 = b->is64,
      .args = args,
      .results = results,
      .err = err,
      .name = e->name,
  };
  return e->fn(&call);
}

cm_func_inst *cm_sysapi_bind(cm_store *store, cm_canister *c,
                             const cm_sysapi_entry *entry, bool is64,
                             cm_binding *binding) {
  binding->canister = c;
  binding->entry = entry;
  binding->is64 = is64;
  cm_sysapi_functype(entry, is64, &binding->type, binding->params,
                     binding->results);
  return cm_host_func_new(store, &binding->type, dispatch, binding);
}
