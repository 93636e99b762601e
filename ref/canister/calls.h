/* canmem canister model, internal: inter-canister calls (CALL-*, TXN-10,
 * UPG-6, EDGE-CLEANUP, EDGE-REINSTALL-CB, EDGE-REPLY-TWICE-ACROSS).
 *
 * The callee is outside the canister: a call that an execution performs is
 * sent when the execution commits and stays outstanding until the runner
 * (playing the callee) delivers a response, which runs the reply or reject
 * callback as a transaction of its own, and the cleanup callback if that
 * traps. Call contexts count their outstanding calls so the model knows
 * when a context that still owes its caller a response starves
 * ("Call context starvation" of the formal model). */
#ifndef CANMEM_CALLS_H
#define CANMEM_CALLS_H

#include "internal.h"

typedef struct {
  uint64_t fun, env; /* a table index and the value passed to it */
} cm_closure;

/* One call, from call_new to its response. */
typedef struct cm_call {
  uint64_t id;              /* > 0 once sent, never reused in the canister */
  cm_call_context *context; /* the context whose execution made it */
  cm_buffer callee, method, payload;
  uint64_t cycles; /* call_cycles_add128, summed (the model's balance is
                      64-bit, so more traps before it gets here) */
  bool best_effort, has_cleanup;
  uint32_t timeout_seconds;
  cm_closure reply, reject, cleanup;
  struct cm_call *next;
} cm_call;

struct cm_call_context {
  uint64_t outstanding; /* calls made from it and not yet answered */
  bool awaited;         /* a caller waits (an update), not a system task */
  bool answered;        /* responded to, or rejected by the system */
  bool deleted;         /* uninstall: responses run no callback */
  struct cm_call_context *next;
};

/* What one execution assembles: the call under construction and the
 * calls performed, which are sent only if the execution commits. */
struct cm_call_builder {
  cm_call *pending;
  cm_call *performed;
  uint64_t cycles_held; /* added to calls of this execution: off the
                           balance while they are held */
};

/* A canister's outstanding calls (in the order sent) and open contexts. */
typedef struct cm_calls cm_calls;

cm_calls *cm_calls_new(void);
void cm_calls_free(cm_calls *calls);
void cm_call_free(cm_call *call);
/* Forget what the builder holds (a trap, or the end of an execution). */
void cm_call_builder_clear(cm_call_builder *b);

/* Before committing execution x (a message's, with a builder): make sure
 * the calls it performed have a context, a new one awaited when a caller
 * waits. False when out of host memory; nothing has changed then. */
bool cm_calls_prepare(cm_canister *c, cm_execution *x, bool awaited);
/* After committing x (which has a builder): send its calls. Returns x's
 * context (NULL when it made no calls and had none). */
cm_call_context *cm_calls_send(cm_canister *c, cm_execution *x);

/* uninstall_code: every context is deleted; the callers still owed a
 * response are rejected (CANISTER_REJECT) by the system. */
void cm_calls_uninstall(cm_canister *c);

/* The adapter's operations (canmem_adapter.h) */
int32_t cm_calls_list(cm_canister *c, canmem_outgoing_call *calls, uint64_t max,
                      uint64_t *count);
int32_t cm_calls_respond(cm_canister *c, uint64_t call_id,
                         const canmem_response *response, canmem_outcome *out);

/* ---- What calls.c needs from canister.c (lifecycle and transactions) */

/* Start an operation: clear the outcome, the payload and the stats. */
void cm_canister_start(cm_canister *c, canmem_outcome *out);
int32_t cm_canister_finish(cm_canister *c, canmem_outcome *out, uint32_t kind,
                           uint32_t reject_code, uint32_t category,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* Run table[fun](env) of the installed code in execution x (set up with
 * cm_canister_execution) as one transaction: committed (pending effects
 * applied, version + 1) when it returns, rolled back when it traps. On a
 * trap returns the category, with the reason in err. */
uint32_t cm_canister_run_closure(cm_canister *c, cm_execution *x,
                                 cm_closure closure, cm_error *err);
/* A new execution in context on the installed code and stable memory. */
void cm_canister_execution(cm_canister *c, cm_execution *x, uint32_t context,
                           cm_pending *pending);
void cm_canister_execution_free(cm_execution *x);
/* LOW-3: after every execution. */
void cm_canister_after_execution(cm_canister *c);

/* engine_state.c: table 0's function at index, or NULL with the category
 * of the failure (table-out-of-bounds, uninitialized-element). */
cm_func_inst *cm_instance_table_func(cm_instance *inst, uint64_t index,
                                     uint32_t *category);

#endif
