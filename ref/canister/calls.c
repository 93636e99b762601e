/* canmem canister model: inter-canister calls and their callbacks (calls.h).
 *
 * Where state is committed (IC interface specification, "Abstract
 * behavior", "Message execution" and the function `callbacks` of the
 * concrete module, 0.66.0):
 * - a message's calls are sent only if it commits; a trap sends nothing;
 * - each response runs one callback as its own transaction, on the code
 *   installed at that time (an upgrade or reinstall in between changes
 *   which function the table index names: UPG-6, EDGE-REINSTALL-CB);
 * - a trapping reply or reject callback rolls back only itself, then the
 *   cleanup callback runs in context C on the state before the callback,
 *   and its changes commit unless it traps too (TXN-10);
 * - a call context is answered at most once (EDGE-REPLY-TWICE-ACROSS); one
 *   that owes a response and has no call left is rejected with
 *   CANISTER_ERROR (starvation);
 * - uninstall deletes the contexts: later responses run nothing.
 * A host that runs out of memory fails the step (out-of-memory) with
 * nothing changed and the call still outstanding, never a cleanup. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "calls.h"

struct cm_calls {
  cm_call *outstanding; /* in the order sent */
  cm_call_context *contexts;
  uint64_t last_id;
};

cm_calls *cm_calls_new(void) { return cm_calloc(1, sizeof(cm_calls)); }

void cm_call_free(cm_call *call) {
  if (!call)
    return;
  cm_buffer_free(&call->callee);
  cm_buffer_free(&call->method);
  cm_buffer_free(&call->payload);
  free(call);
}

static void call_list_free(cm_call *call) {
  while (call) {
    cm_call *next = call->next;
    cm_call_free(call);
    call = next;
  }
}

void cm_calls_free(cm_calls *calls) {
  if (!calls)
    return;
  call_list_free(calls->outstanding);
  for (cm_call_context *ctx = calls->contexts; ctx;) {
    cm_call_context *next = ctx->next;
    free(ctx);
    ctx = next;
  }
  free(calls);
}

void cm_call_builder_clear(cm_call_builder *b) {
  call_list_free(b->pending);
  call_list_free(b->performed);
  memset(b, 0, sizeof *b);
}

bool cm_calls_prepare(cm_canister *c, cm_execution *x, bool awaited) {
  if (!x->calls->performed) /* x is a message's execution, with a builder */
    return true;
  cm_call_context *ctx = cm_calloc(1, sizeof *ctx);
  if (!ctx)
    return false;
  ctx->awaited = awaited;
  ctx->answered = awaited && x->responded;
  ctx->next = c->calls->contexts;
  c->calls->contexts = ctx;
  x->call_context = ctx;
  return true;
}

cm_call_context *cm_calls_send(cm_canister *c, cm_execution *x) {
  cm_call **tail = &c->calls->outstanding;
  while (*tail)
    tail = &(*tail)->next;
  while (x->calls->performed) {
    cm_call *call = x->calls->performed;
    x->calls->performed = call->next;
    call->next = NULL;
    call->id = ++c->calls->last_id;
    call->context = x->call_context;
    x->call_context->outstanding++;
    *tail = call;
    tail = &call->next;
  }
  cm_call_builder_clear(x->calls);
  return x->call_context;
}

void cm_calls_uninstall(cm_canister *c) {
  for (cm_call_context *ctx = c->calls->contexts; ctx; ctx = ctx->next) {
    ctx->deleted = true;
    ctx->answered = true; /* the system rejected the waiting caller */
  }
}

int32_t cm_calls_list(cm_canister *c, canmem_outgoing_call *calls, uint64_t max,
                      uint64_t *count) {
  uint64_t n = 0;
  for (const cm_call *call = c->calls->outstanding; call; call = call->next) {
    if (n < max) {
      canmem_outgoing_call *o = &calls[n];
      uint32_t size = o->struct_size;
      memset(o, 0, sizeof *o);
      o->struct_size = size;
      o->flags = (call->best_effort ? CANMEM_CALL_FLAG_BEST_EFFORT : 0) |
                 (call->has_cleanup ? CANMEM_CALL_FLAG_CLEANUP : 0);
      o->id = call->id;
      o->callee = call->callee.data;
      o->callee_size = call->callee.size;
      o->method = call->method.data;
      o->method_size = call->method.size;
      o->payload = call->payload.data;
      o->payload_size = call->payload.size;
      o->cycles_low = call->cycles;
      o->timeout_seconds = call->timeout_seconds;
    }
    n++;
  }
  *count = n;
  return CANMEM_OK;
}

/* Take the call out of the outstanding list; its context loses it. */
static void unlink_call(cm_calls *calls, cm_call *call) {
  cm_call **p = &calls->outstanding;
  while (*p != call)
    p = &(*p)->next;
  *p = call->next;
  call->next = NULL;
  call->context->outstanding--;
}

/* A context nothing refers to any more goes (call context removal). */
static void release_context(cm_calls *calls, cm_call_context *ctx) {
  if (ctx->outstanding)
    return;
  cm_call_context **p = &calls->contexts;
  while (*p != ctx)
    p = &(*p)->next;
  *p = ctx->next;
  free(ctx);
}

static const char *context_state(const cm_call_context *ctx) {
  if (!ctx->awaited || ctx->answered)
    return "";
  return ctx->outstanding ? "; the call context waits for its other calls"
                          : "; the call context had no call left: the "
                            "system rejects it (CANISTER_ERROR)";
}

/* The cleanup callback after a trapped reply or reject callback: context
 * C, on the state before the callback. Returns the category of its own
 * trap (CANMEM_CAT_NONE when it committed). */
static uint32_t run_cleanup(cm_canister *c, const cm_call *call,
                            const cm_execution *callback, cm_error *err) {
  cm_pending pending;
  memset(&pending, 0, sizeof pending);
  cm_execution x;
  cm_canister_execution(c, &x, CM_CTX_CLEANUP, &pending);
  x.call_context = call->context;
  x.reject_code = callback->reject_code; /* since 0.54.0 */
  uint32_t category = cm_canister_run_closure(c, &x, call->cleanup, err);
  cm_canister_execution_free(&x);
  cm_buffer_free(&pending.certified);
  return category;
}

/* The outcome of a callback that returned. */
static int32_t returned(cm_canister *c, cm_execution *x, cm_call_context *ctx,
                        bool was_answered, canmem_outcome *out) {
  if (x->responded && !was_answered) {
    cm_buffer *data = x->rejected ? &x->reject_message : &x->reply;
    cm_buffer_free(&c->payload);
    c->payload = *data;
    memset(data, 0, sizeof *data);
    ctx->answered = true;
    return x->rejected ? cm_canister_finish(c, out, CANMEM_OUTCOME_REJECT,
                                            CANMEM_REJECT_CANISTER_REJECT,
                                            CANMEM_CAT_NONE,
                                            "the callback rejected the call")
                       : cm_canister_finish(c, out, CANMEM_OUTCOME_REPLY,
                                            CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                                            "the callback replied to the call");
  }
  if (!ctx->awaited || ctx->answered)
    return cm_canister_finish(c, out, CANMEM_OUTCOME_RETURNED,
                              CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                              "the callback returned; no response is due");
  if (ctx->outstanding)
    return cm_canister_finish(c, out, CANMEM_OUTCOME_PENDING,
                              CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                              "the callback returned; %llu call(s) of the "
                              "context are outstanding",
                              (unsigned long long)ctx->outstanding);
  ctx->answered = true; /* starvation */
  return cm_canister_finish(c, out, CANMEM_OUTCOME_NO_REPLY,
                            CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_NONE,
                            "the callback returned without a response and "
                            "no call is left: the system rejects the call");
}

int32_t cm_calls_respond(cm_canister *c, uint64_t call_id,
                         const canmem_response *response, canmem_outcome *out) {
  cm_canister_start(c, out);
  cm_call *call = c->calls->outstanding;
  while (call && call->id != call_id)
    call = call->next;
  if (!call || (response->kind == CANMEM_RESPONSE_REJECT &&
                response->reject_code == CANMEM_REJECT_SYS_UNKNOWN &&
                !call->best_effort)) {
    snprintf(out->message, sizeof out->message, "%s",
             call ? "SYS_UNKNOWN answers only best-effort calls"
                  : "no outstanding call has this id");
    return CANMEM_ERR_ARGUMENT;
  }
  cm_call_context *ctx = call->context;
  if (ctx->deleted) { /* uninstalled since: a refund, no callback */
    unlink_call(c->calls, call);
    release_context(c->calls, ctx);
    cm_call_free(call);
    return cm_canister_finish(c, out, CANMEM_OUTCOME_RETURNED,
                              CANMEM_REJECT_NONE,
                              CANMEM_CAT_CALL_CONTEXT_DELETED,
                              "the call context was deleted by uninstall: "
                              "no callback runs");
  }
  bool reply = response->kind == CANMEM_RESPONSE_REPLY;
  cm_pending pending;
  memset(&pending, 0, sizeof pending);
  cm_call_builder builder;
  memset(&builder, 0, sizeof builder);
  cm_execution x;
  cm_canister_execution(c, &x, reply ? CM_CTX_REPLY : CM_CTX_REJECT, &pending);
  x.call_context = ctx;
  x.calls = &builder;
  x.can_respond = ctx->awaited;
  x.responded = ctx->answered;
  bool was_answered = ctx->answered;
  if (reply) {
    x.arg = response->payload;
    x.arg_size = response->payload_size;
  } else {
    x.reject_code = response->reject_code;
    x.reject_text = response->payload;
    x.reject_text_size = response->payload_size;
  }
  cm_error err;
  uint32_t category =
      cm_canister_run_closure(c, &x, reply ? call->reply : call->reject, &err);
  int32_t result;
  if (category == CANMEM_CAT_OUT_OF_MEMORY) {
    /* the host failed, not the canister: the call stays outstanding */
    cm_call_builder_clear(&builder);
    result = cm_canister_finish(c, out, CANMEM_OUTCOME_TRAP,
                                CANMEM_REJECT_CANISTER_ERROR, category, "%s",
                                err.message);
  } else if (category) {
    /* TXN-10: the callback rolled back; cleanup runs on that state */
    cm_call_builder_clear(&builder);
    const char *cleanup = "no cleanup callback";
    cm_error cleanup_err;
    uint32_t cleanup_category = call->has_cleanup
                                    ? run_cleanup(c, call, &x, &cleanup_err)
                                    : CANMEM_CAT_NONE;
    if (cleanup_category == CANMEM_CAT_OUT_OF_MEMORY) {
      result = cm_canister_finish(
          c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
          cleanup_category, "cleanup: %s", cleanup_err.message);
      goto done;
    }
    if (call->has_cleanup)
      cleanup = cleanup_category ? "the cleanup callback trapped too: "
                                   "nothing committed"
                                 : "the cleanup callback ran and committed";
    unlink_call(c->calls, call);
    bool starved = ctx->awaited && !ctx->answered && !ctx->outstanding;
    if (starved)
      ctx->answered = true;
    result = cm_canister_finish(
        c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR, category,
        "the %s callback trapped: %s; %s%s", reply ? "reply" : "reject",
        err.message, cleanup, context_state(ctx));
    release_context(c->calls, ctx);
    cm_call_free(call);
  } else {
    unlink_call(c->calls, call);
    cm_calls_send(c, &x); /* what the callback performed */
    result = returned(c, &x, ctx, was_answered, out);
    release_context(c->calls, ctx);
    cm_call_free(call);
  }
done:
  cm_canister_execution_free(&x);
  cm_call_builder_clear(&builder);
  cm_buffer_free(&pending.certified);
  cm_canister_after_execution(c);
  return result;
}
