/* canmem canister model, internal: the canister's state and the running
 * execution, shared by canister.c (lifecycle, transactions), sysapi.c (the
 * ic0 functions) and modcheck.c (module rules). */
#ifndef CANMEM_CANISTER_INTERNAL_H
#define CANMEM_CANISTER_INTERNAL_H

#include "access.h"
#include "canister.h"
#include "log.h"
#include "module.h"
#include "stable.h"
#include "wasm.h"

#define CM_WASM_PAGE 65536ull

/* Execution contexts, ic-memory-rules.md section 1: where an ic0 function
 * may be called from. One bit each. */
enum {
  CM_CTX_START = 1u << 0,              /* s   the (start) function */
  CM_CTX_INIT = 1u << 1,               /* I   canister_init, post_upgrade */
  CM_CTX_PRE_UPGRADE = 1u << 2,        /* G */
  CM_CTX_UPDATE = 1u << 3,             /* U */
  CM_CTX_REPLICATED_QUERY = 1u << 4,   /* RQ */
  CM_CTX_QUERY = 1u << 5,              /* NRQ */
  CM_CTX_TRANSFORM_QUERY = 1u << 6,    /* TQ  (not reachable here) */
  CM_CTX_COMPOSITE_QUERY = 1u << 7,    /* CQ  (not reachable here) */
  CM_CTX_REPLY = 1u << 8,              /* Ry */
  CM_CTX_REJECT = 1u << 9,             /* Rt */
  CM_CTX_COMPOSITE_REPLY = 1u << 10,   /* CRy (not reachable here) */
  CM_CTX_COMPOSITE_REJECT = 1u << 11,  /* CRt (not reachable here) */
  CM_CTX_CLEANUP = 1u << 12,           /* C */
  CM_CTX_COMPOSITE_CLEANUP = 1u << 13, /* CC  (not reachable here) */
  CM_CTX_INSPECT = 1u << 14,           /* F */
  CM_CTX_SYSTEM_TASK = 1u << 15,       /* T */
};
/* `*` of the spec: every context but (start). */
#define CM_CTX_ANY (((1u << 16) - 1) & ~(uint32_t)CM_CTX_START)

/* A growable byte buffer. */
typedef struct {
  uint8_t *data;
  uint64_t size, cap;
} cm_buffer;

bool cm_buffer_append(cm_buffer *b, const uint8_t *data, uint64_t size);
void cm_buffer_free(cm_buffer *b);

/* Installed code: one instantiation of one module. Each generation has its
 * own store, so replacing the code frees everything the old one made. */
typedef struct cm_binding cm_binding;
typedef struct {
  cm_store *store;
  cm_module *module;
  cm_instance *instance;
  cm_binding *bindings; /* one per function import */
  cm_buffer raw;        /* the module as installed (snapshots keep it) */
  bool is64;            /* I = i64: the module's memory is memory64 */
  bool eop; /* exports icp:private enhanced-orthogonal-persistence */
} cm_installed;

/* Effects that only land when the transaction commits. */
typedef struct {
  bool certified_set;
  cm_buffer certified;
  bool timer_set;
  uint64_t timer;
} cm_pending;

/* calls.h: call contexts and the calls an execution assembles. */
typedef struct cm_call_context cm_call_context;
typedef struct cm_call_builder cm_call_builder;

/* The entry point being executed. */
typedef struct {
  uint32_t context; /* one CM_CTX_* bit */
  bool replicated;
  cm_installed *code;     /* whose store counts instructions */
  cm_stable *stable; /* the stable memory this execution sees */
  const uint8_t *arg;
  uint64_t arg_size;
  const uint8_t *caller;
  uint64_t caller_size;
  const char *method; /* the inspected method (F) */
  uint64_t time;
  uint64_t version; /* what ic0.canister_version answers */
  /* responding (U, RQ, NRQ) */
  bool can_respond;
  bool responded, rejected;
  uint64_t max_reply;
  cm_buffer reply;
  cm_buffer reject_message;
  bool accepted; /* inspect_message: accept_message was called */
  cm_pending *pending;
  cm_access access; /* pages touched, against the access limits (SM-9) */
  cm_log logs;      /* its records, for the canister log when it ends */
  /* calls (calls.h): the builder where ic0.call_* may be used (U, Ry, Rt,
   * T; NULL elsewhere), the call context of a callback or cleanup */
  cm_call_builder *calls;
  cm_call_context *call_context;
  uint32_t reject_code; /* Rt, and C after a reject; 0 after a reply */
  const uint8_t *reject_text; /* the response's reject message (Rt) */
  uint64_t reject_text_size;
} cm_execution;

struct cm_canister {
  canmem_profile profile;
  cm_installed *code;     /* NULL: the canister is empty */
  cm_stable *stable; /* NULL when empty */
  uint64_t version;
  cm_buffer certified;
  uint64_t global_timer;
  uint64_t wasm_memory_limit, wasm_memory_threshold;
  cm_low_memory_status low_memory;
  uint64_t executions; /* entry points started: drives ic0.time */
  cm_execution *exec;       /* the running execution, or NULL */
  cm_buffer payload;   /* the last outcome's payload */
  struct cm_calls *calls; /* outstanding calls and their contexts */
  cm_canister_stats stats;
  struct cm_snapshot **snapshots; /* snapshot.c, oldest first */
  uint64_t snapshot_count, next_snapshot_id;
  cm_log log; /* the canister log (log.h) */
  /* Records of the running operation's executions: they join the log when
   * it ends, unless it ran out of host memory (which leaves nothing). */
  cm_log op_log;
  bool op_purges_log; /* install/reinstall: the log restarts with them */
};

/* ---- canister.c, for snapshot.c ---- */

/* Decode, check and instantiate a module without running (start).
 * Returns CANMEM_CAT_NONE with *out set, or a category with why. */
uint32_t cm_code_new(cm_canister *c, const uint8_t *wasm, uint64_t size,
                     cm_installed **out, char *why, size_t why_size);
void cm_code_free(cm_installed *code);
cm_memory *cm_code_memory(const cm_installed *code); /* NULL: none */
/* Make code and stable the canister's, freeing what they replace. */
void cm_canister_adopt(cm_canister *c, cm_installed *code, cm_stable *stable);
/* UNI-1: code, memories, certified data, timer, hook status and the log
 * go; the version grows by one. */
void cm_canister_clear(cm_canister *c);
/* LOW-3: does a heap of heap_bytes meet the hook's condition under the
 * canister's settings (is64: the address width of the code)? */
bool cm_low_memory_condition(const cm_canister *c, uint64_t heap_bytes,
                             bool is64);
/* LOW-1, LOW-3: re-evaluate the hook's status after an operation. */
void cm_canister_evaluate_low_memory(cm_canister *c);
/* ic0.time of the next execution. */
uint64_t cm_canister_now(const cm_canister *c);
/* Start a management operation: reset the payload and the statistics. */
void cm_canister_begin_operation(cm_canister *c, canmem_outcome *out);
/* Fill *out (kind, codes, message); returns CANMEM_OK. */
int32_t cm_canister_outcome(cm_canister *c, canmem_outcome *out,
                            uint32_t kind, uint32_t reject_code,
                            uint32_t category, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
/* snapshot.c: free every snapshot of c. */
void cm_snapshots_free(cm_canister *c);

/* ---- sysapi.c: the ic0 table ---- */

typedef struct cm_sysapi_entry cm_sysapi_entry;

/* The table entry named ic0.<name>, or NULL. */
const cm_sysapi_entry *cm_sysapi_lookup(const char *name);
/* True when the function exists in a module whose I is 64-bit (false for
 * the 32-bit-only functions of MOD-IMP-2). */
bool cm_sysapi_in_wasm64(const cm_sysapi_entry *e);
/* The function's profile feature (CANMEM_FEATURE_*), 0 when none. */
uint64_t cm_sysapi_feature(const cm_sysapi_entry *e);
/* Its type for I = i64 (is64) or i32, in the caller's storage (up to 8
 * parameters and 1 result). */
void cm_sysapi_functype(const cm_sysapi_entry *e, bool is64, cm_functype *out,
                        uint8_t params[8], uint8_t results[1]);
/* Create the host function of import `entry` for canister c. */
cm_func_inst *cm_sysapi_bind(cm_store *store, cm_canister *c,
                             const cm_sysapi_entry *entry, bool is64,
                             cm_binding *binding);
/* Size of a binding, so canister.c can allocate an array of them. */
size_t cm_sysapi_binding_size(void);

/* Fill err with a trap of a model category (CANMEM_CAT_*). */
cm_status cm_host_trap(cm_error *err, uint32_t category, const char *fmt,
                       ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* ---- modcheck.c: the MOD-* rules ---- */

/* Check m against the module rules. Returns CANMEM_CAT_NONE, or the
 * category of the first broken rule with a reason in why. */
uint32_t cm_modcheck(const cm_module *m, const canmem_profile *p, bool *is64,
                     bool *eop, char *why, size_t why_size);
/* For a module the engine refused: does the binary declare more than one
 * memory (MOD-MEM-1)? Reads only the import and memory sections. */
/* EDGE-KEEP: a kept heap of `pages` beyond m's declared maximum (IC0521) */
uint32_t cm_modcheck_kept_heap(const cm_module *m, uint64_t pages, char *why,
                               size_t why_size);
bool cm_modcheck_counts_memories(const uint8_t *bytes, size_t size,
                                 uint32_t *memories);

/* ---- engine_state.c: what the engine's public API cannot yet save ---- */

/* A snapshot of an instance's globals, tables and dropped segments (its
 * memory is journaled instead). */
typedef struct cm_instance_state cm_instance_state;
cm_instance_state *cm_instance_state_save(cm_instance *inst, uint64_t *items);
void cm_instance_state_restore(cm_instance *inst, const cm_instance_state *st);
void cm_instance_state_free(cm_instance_state *st);
/* Snapshots (SNAP-1, SNAP-2): the globals that are exported or mutable,
 * in index order (reference-typed ones are not captured). Fills at most
 * max into out (may be NULL) and returns how many there are. */
uint64_t cm_instance_snapshot_globals(const cm_instance *inst,
                                      canmem_global *out, uint64_t max);
/* Set those globals from g (count n); false with why when the number or a
 * type differs (then nothing changed). */
bool cm_instance_load_globals(cm_instance *inst, const canmem_global *g,
                              uint64_t n, char *why, size_t why_size);
/* Write the module's active data segments into the instance's memory again
 * (the "reapplied" reading of EDGE-KEEP). */
cm_status cm_instance_reapply_data(cm_instance *inst, cm_error *err);

#endif
