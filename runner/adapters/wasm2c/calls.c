/* Inter-canister calls of the wasm2c adapter, from the IC interface
 * specification ("Inter-canister method calls", 0.66.0): ic0.call_new
 * starts a call in the execution, call_* set its attributes, call_perform
 * moves it to the execution's performed list. adapter.c makes performed
 * calls outstanding only when the execution commits (a trap sends
 * nothing), and runs their callbacks when the vector responds. */
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"


void cmw_call_free(cmw_call *call) {
  if (!call)
    return;
  cmw_buf_free(&call->callee);
  cmw_buf_free(&call->method);
  cmw_buf_free(&call->payload);
  free(call);
}

void cmw_call_list_free(cmw_call_list *l) {
  cmw_call *c = l->head;
  while (c) {
    cmw_call *next = c->next;
    cmw_call_free(c);
    c = next;
  }
  l->head = l->tail = NULL;
}

void cmw_call_list_append(cmw_call_list *l, cmw_call *call) {
  call->next = NULL;
  if (l->tail)
    l->tail->next = call;
  else
    l->head = call;
  l->tail = call;
}

cmw_call *cmw_call_list_take(cmw_call_list *l, uint64_t id) {
  cmw_call *prev = NULL;
  for (cmw_call *c = l->head; c; prev = c, c = c->next) {
    if (c->id != id)
      continue;
    if (prev)
      prev->next = c->next;
    else
      l->head = c->next;
    if (l->tail == c)
      l->tail = prev;
    c->next = NULL;
    return c;
  }
  return NULL;
}

/* Cycles put on a call go back when it is discarded (spec, call_cycles_add). */
static void discard_building(cmw_exec *x) {
  cmw_call *b = x->building;
  if (!b)
    return;
  uint64_t low = x->cycles_added_low - b->cycles_low;
  x->cycles_added_high -= b->cycles_high + (low > x->cycles_added_low);
  x->cycles_added_low = low;
  cmw_call_free(b);
  x->building = NULL;
}

/* Composite queries may call in the spec; the model has no query calls
 * to other canisters. */
static int not_in_composite_query(cmw_exec *x, const char *what) {
  if (x->context != CMW_CTX_CQ)
    return 0;
  return cmw_trap(x, CANMEM_CAT_NOT_MODELLED,
                  "%s: calls from composite queries are not modelled", what);
}

/* Every ic0.call_* but call_new traps without a call under construction
 * (after call_perform too). */
static int need_building(cmw_exec *x, const char *what) {
  if (not_in_composite_query(x, what))
    return 1;
  if (x->building)
    return 0;
  return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                  "%s: no call under construction", what);
}

int cmw_h_call_new(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (not_in_composite_query(x, "call_new") ||
      cmw_heap_check(x, a[0], a[1], "call_new") ||
      cmw_heap_check(x, a[2], a[3], "call_new"))
    return 1;
  discard_building(x); /* a new call_new abandons the one in progress */
  cmw_call *call = calloc(1, sizeof *call);
  if (!call)
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY,
                    "call_new: out of host memory");
  const uint8_t *heap = x->heap ? x->heap->data : NULL;
  if ((a[1] && cmw_buf_append(&call->callee, heap + a[0], (size_t)a[1])) ||
      (a[3] && cmw_buf_append(&call->method, heap + a[2], (size_t)a[3]))) {
    cmw_call_free(call);
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY,
                    "call_new: out of host memory");
  }
  call->reply = (cmw_closure){(uint32_t)a[4], (uint32_t)a[5]};
  call->reject = (cmw_closure){(uint32_t)a[6], (uint32_t)a[7]};
  x->building = call;
  return 0;
}

int cmw_h_call_on_cleanup(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (need_building(x, "call_on_cleanup"))
    return 1;
  if (x->building->flags & CANMEM_CALL_FLAG_CLEANUP)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "call_on_cleanup: called twice for one call");
  x->building->flags |= CANMEM_CALL_FLAG_CLEANUP;
  x->building->cleanup = (cmw_closure){(uint32_t)a[0], (uint32_t)a[1]};
  return 0;
}

int cmw_h_call_data_append(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  uint64_t src = a[0], size = a[1];
  if (need_building(x, "call_data_append") ||
      cmw_heap_check(x, src, size, "call_data_append"))
    return 1;
  /* the resource limits give 2 MiB for both a call's payload and a
   * reply: the profile's max_reply_bytes */
  cmw_buf *p = &x->building->payload;
  uint64_t max = x->profile->max_reply_bytes;
  if (size > max || p->size > max - size)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "call_data_append: the payload would exceed %llu bytes",
                    (unsigned long long)max);
  if (size && cmw_buf_append(p, x->heap->data + src, (size_t)size))
    return cmw_trap(x, CANMEM_CAT_OUT_OF_MEMORY,
                    "call_data_append: out of host memory");
  return 0;
}

int cmw_h_call_best_effort(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (need_building(x, "call_with_best_effort_response"))
    return 1;
  if (x->building->flags & CANMEM_CALL_FLAG_BEST_EFFORT)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "call_with_best_effort_response: called twice for one "
                    "call");
  x->building->flags |= CANMEM_CALL_FLAG_BEST_EFFORT;
  x->building->timeout_seconds = (uint32_t)a[0];
  return 0;
}

int cmw_h_call_cycles_add128(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  uint64_t high = a[0], low = a[1];
  if (need_building(x, "call_cycles_add128"))
    return 1;
  /* the total over the execution's calls stays within the balance (a
   * 64-bit number in the profile) */
  uint64_t total_low = x->cycles_added_low + low;
  uint64_t total_high = x->cycles_added_high + high +
                        (total_low < x->cycles_added_low);
  if (high || total_high || total_low > x->profile->cycle_balance)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "call_cycles_add128: more cycles than the balance");
  x->cycles_added_low = total_low;
  x->cycles_added_high = total_high;
  cmw_call *b = x->building;
  b->cycles_low += low;
  b->cycles_high += high + (b->cycles_low < low);
  return 0;
}

int cmw_h_call_cycles_add(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  const uint64_t wide[2] = {0, a[0]};
  return cmw_h_call_cycles_add128(x, wide, r);
}

int cmw_h_call_perform(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  if (need_building(x, "call_perform"))
    return 1;
  cmw_call_list_append(&x->performed, x->building);
  x->building = NULL;
  *r = 0; /* enqueued; the model has no lack of resources */
  return 0;
}

int cmw_h_reject_code(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  *r = x->reject_code;
  return 0;
}

int cmw_h_reject_msg_size(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)a;
  if (x->reject_code == 0)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "msg_reject_msg_size: no reject message");
  *r = x->reject_msg_size;
  return 0;
}

int cmw_h_reject_msg_copy(cmw_exec *x, const uint64_t *a, uint64_t *r) {
  (void)r;
  if (x->reject_code == 0)
    return cmw_trap(x, CANMEM_CAT_CONTRACT_VIOLATION,
                    "msg_reject_msg_copy: no reject message");
  return cmw_copy_out(x, a, x->reject_msg ? x->reject_msg
                                          : (const uint8_t *)"",
                      x->reject_msg_size, "msg_reject_msg_copy");
}
