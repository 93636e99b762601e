/* canmem canister model: the canister's state, its lifecycle (install,
 * reinstall, upgrade, uninstall: INST-*, UPG-*, UNI-*, EOP-*) and message
 * execution as transactions (TXN-*).
 *
 * Every entry point runs inside a transaction: the heap through the
 * engine's write journal, globals/tables/segments by a small snapshot,
 * stable memory by its own page journal, certified data and the timer as
 * pending effects. Success commits what the context allows (updates,
 * system tasks, init, post_upgrade); a trap, a violated limit, or a query
 * rolls everything back. Costs follow what the message touched. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "calls.h"
#include "gzip.h"
#include "internal.h"

/* ---- Outcomes ---- */

static int32_t finish(cm_canister *c, canmem_outcome *out, uint32_t kind,
                      uint32_t reject_code, uint32_t category,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

static int32_t finish(cm_canister *c, canmem_outcome *out, uint32_t kind,
                      uint32_t reject_code, uint32_t category,
                      const char *fmt, ...) {
  out->struct_size = sizeof *out;
  out->kind = kind;
  out->reject_code = reject_code;
  out->category = category;
  out->payload = c->payload.data;
  out->payload_size = c->payload.size;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out->message, sizeof out->message, fmt, ap);
  va_end(ap);
  return CANMEM_OK;
}

/* The outcome of a management operation that was refused. */
#define REFUSE_INSTALL(c, out, category, ...)                                 \
  finish(c, out, CANMEM_OUTCOME_INSTALL_REJECTED,                             \
         CANMEM_REJECT_CANISTER_ERROR, category, __VA_ARGS__)

static void start_operation(cm_canister *c, canmem_outcome *out) {
  memset(out, 0, sizeof *out);
  out->struct_size = sizeof *out;
  c->payload.size = 0;
  memset(&c->stats, 0, sizeof c->stats);
}

void cm_canister_begin_operation(cm_canister *c, canmem_outcome *out) {
  start_operation(c, out);
}

int32_t cm_canister_outcome(cm_canister *c, canmem_outcome *out,
                            uint32_t kind, uint32_t reject_code,
                            uint32_t category, const char *fmt, ...) {
  char text[sizeof out->message];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  return finish(c, out, kind, reject_code, category, "%s", text);
}

uint64_t cm_canister_now(const cm_canister *c) {
  return c->profile.time_start_ns + c->executions * c->profile.time_step_ns;
}

/* The model category of an engine failure. */
static uint32_t category_of(const cm_error *err) {
  switch (err->status) {
  case CM_EXHAUSTED: return CANMEM_CAT_STACK_EXHAUSTED;
  case CM_NO_MEMORY: return CANMEM_CAT_OUT_OF_MEMORY;
  case CM_MALFORMED:
  case CM_INVALID: return CANMEM_CAT_INVALID_MODULE;
  case CM_UNLINKABLE: return CANMEM_CAT_MODULE_IMPORT;
  default: break;
  }
  switch (err->trap) {
  case CM_TRAP_UNREACHABLE: return CANMEM_CAT_UNREACHABLE;
  case CM_TRAP_MEMORY_OOB: return CANMEM_CAT_HEAP_OUT_OF_BOUNDS;
  case CM_TRAP_TABLE_OOB: return CANMEM_CAT_TABLE_OUT_OF_BOUNDS;
  case CM_TRAP_DIV_ZERO: return CANMEM_CAT_INTEGER_DIVIDE_BY_ZERO;
  case CM_TRAP_INT_OVERFLOW: return CANMEM_CAT_INTEGER_OVERFLOW;
  case CM_TRAP_INVALID_CONVERSION: return CANMEM_CAT_INVALID_CONVERSION;
  case CM_TRAP_INDIRECT_TYPE_MISMATCH:
    return CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH;
  case CM_TRAP_UNINITIALIZED_ELEMENT: return CANMEM_CAT_UNINITIALIZED_ELEMENT;
  case CM_TRAP_INSTRUCTION_LIMIT: return CANMEM_CAT_INSTRUCTION_LIMIT;
  case CM_TRAP_HOST: return err->host_code;
  case CM_TRAP_NONE: break;
  }
  return CANMEM_CAT_UNREACHABLE;
}

static void evaluate_low_memory(cm_canister *c);

/* ---- Installed code ---- */

static void installed_free(cm_installed *code) {
  if (!code)
    return;
  cm_store_free(code->store);
  cm_module_free(code->module);
  cm_buffer_free(&code->raw);
  free(code->bindings);
  free(code);
}

void cm_code_free(cm_installed *code) { installed_free(code); }

static cm_memory *installed_memory(const cm_installed *code) {
  return code ? cm_instance_memory(code->instance) : NULL;
}

cm_memory *cm_code_memory(const cm_installed *code) {
  return installed_memory(code);
}

static uint64_t heap_bytes(const cm_installed *code) {
  cm_memory *mem = installed_memory(code);
  return mem ? cm_memory_size(mem) : 0;
}

static cm_func_inst *export_func(const cm_installed *code, const char *name) {
  cm_extern ext;
  if (!cm_instance_export(code->instance, name, &ext) ||
      ext.kind != CM_EXTERN_FUNC)
    return NULL;
  return ext.as.func;
}

/* Decode, validate and check a module (MOD-*). Returns CANMEM_CAT_NONE
 * with *out set, or a category with the reason in why. */
static uint32_t load_module(const cm_canister *c, const uint8_t *wasm,
                            uint64_t size, cm_module **out, bool *is64,
                            bool *eop, char *why, size_t why_size) {
  const canmem_profile *p = &c->profile;
  uint64_t max = p->max_module_bytes ? p->max_module_bytes : UINT64_MAX;
  uint8_t *inflated = NULL;
  size_t inflated_size = 0;
  *out = NULL;
  if (size > SIZE_MAX) {
    snprintf(why, why_size, "module too large");
    return CANMEM_CAT_MODULE_LIMIT;
  }
  if (cm_is_gzip(wasm, (size_t)size)) { /* MOD-FMT-1 */
    if (!(p->features & CANMEM_FEATURE_GZIP)) {
      snprintf(why, why_size, "gzip-compressed modules are not enabled in "
                              "profile %s",
               p->name);
      return CANMEM_CAT_INVALID_MODULE;
    }
    switch (cm_gunzip(wasm, (size_t)size, max, &inflated, &inflated_size, why,
                      why_size)) {
    case CM_GUNZIP_OK: break;
    case CM_GUNZIP_MALFORMED: return CANMEM_CAT_INVALID_MODULE;
    case CM_GUNZIP_TOO_LARGE: return CANMEM_CAT_MODULE_LIMIT; /* MOD-LIM-2 */
    case CM_GUNZIP_NO_MEMORY: return CANMEM_CAT_OUT_OF_MEMORY;
    }
    wasm = inflated;
    size = inflated_size;
  } else if (size < 4 || memcmp(wasm, "\0asm", 4) != 0) {
    snprintf(why, why_size, "not a wasm module: it must start with \\0asm "
                            "or be gzip-compressed");
    return CANMEM_CAT_INVALID_MODULE;
  }
  if (size > max) {
    free(inflated);
    snprintf(why, why_size, "module of %llu bytes exceeds %llu",
             (unsigned long long)size, (unsigned long long)max);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  cm_error err;
  memset(&err, 0, sizeof err);
  cm_module *m = cm_module_new(wasm, (size_t)size, &err);
  if (!m) {
    uint32_t memories = 0;
    uint32_t category = category_of(&err);
    if (category == CANMEM_CAT_INVALID_MODULE &&
        cm_modcheck_counts_memories(wasm, (size_t)size, &memories) &&
        memories > 1) {
      category = CANMEM_CAT_MODULE_MEMORY; /* MOD-MEM-1 */
      snprintf(why, why_size,
               "the module declares %u memories, at most one is allowed",
               memories);
    } else {
      snprintf(why, why_size, "%s module: %s", cm_status_name(err.status),
               err.message);
    }
    free(inflated);
    return category;
  }
  free(inflated); /* the module keeps its own copy */
  uint32_t category = cm_modcheck(m, p, is64, eop, why, why_size);
  if (category) {
    cm_module_free(m);
    return category;
  }
  *out = m;
  return CANMEM_CAT_NONE;
}

/* Instantiate m (which the result then owns) without running (start).
 * Imports of memories and tables get fresh ones (MOD-MEM-3). */
static cm_installed *instantiate(cm_canister *c, cm_module *m, bool is64,
                                 bool eop, uint32_t *category, char *why,
                                 size_t why_size) {
  cm_installed *code = cm_calloc(1, sizeof *code);
  uint32_t nimports = cm_module_import_count(m);
  cm_extern *imports = cm_calloc(nimports + 1, sizeof *imports);
  if (code)
    code->bindings = cm_calloc(nimports + 1, cm_sysapi_binding_size());
  cm_store_limits limits = cm_store_default_limits();
  limits.max_pages32 = c->profile.max_heap32_bytes / CM_WASM_PAGE;
  limits.max_pages64 = c->profile.max_heap64_bytes / CM_WASM_PAGE;
  if (code && imports && code->bindings)
    code->store = cm_store_new(&limits);
  if (!code || !imports || !code->bindings || !code->store) {
    free(imports);
    if (code)
      code->module = m;
    else
      cm_module_free(m);
    installed_free(code);
    *category = CANMEM_CAT_OUT_OF_MEMORY;
    snprintf(why, why_size, "out of host memory");
    return NULL;
  }
  code->module = m;
  code->is64 = is64;
  code->eop = eop;
  bool ok = true;
  for (uint32_t i = 0; i < nimports && ok; i++) {
    const cm_import *imp = &m->imports[i];
    imports[i].kind = imp->kind;
    switch (imp->kind) {
    case CM_EXTERN_FUNC: {
      cm_binding *b = (cm_binding *)((char *)code->bindings +
                                     i * cm_sysapi_binding_size());
      imports[i].as.func = cm_sysapi_bind(
          code->store, c, cm_sysapi_lookup(imp->name), is64, b);
      ok = imports[i].as.func != NULL;
      break;
    }
    case CM_EXTERN_MEMORY:
      imports[i].as.memory = cm_memory_new(code->store, &imp->desc.memory);
      ok = imports[i].as.memory != NULL;
      break;
    case CM_EXTERN_TABLE:
      imports[i].as.table = cm_table_new(
          code->store, imp->desc.table.elemtype, &imp->desc.table.limits);
      ok = imports[i].as.table != NULL;
      break;
    default:
      ok = false; /* refused by modcheck */
      break;
    }
  }
  cm_error err;
  memset(&err, 0, sizeof err);
  if (ok)
    code->instance =
        cm_instantiate_no_start(code->store, m, imports, nimports, &err);
  free(imports);
  if (!ok || !code->instance) {
    if (!ok) {
      *category = CANMEM_CAT_OUT_OF_MEMORY;
      snprintf(why, why_size, "cannot create the imports");
    } else if (err.status == CM_UNINSTANTIABLE) {
      *category = CANMEM_CAT_INSTANTIATION_FAILED; /* EDGE-INITMEM */
      snprintf(why, why_size, "instantiation failed: %s", err.message);
    } else {
      *category = category_of(&err);
      snprintf(why, why_size, "%s: %s", cm_status_name(err.status),
               err.message);
    }
    installed_free(code);
    return NULL;
  }
  return code;
}

uint32_t cm_code_new(cm_canister *c, const uint8_t *wasm, uint64_t size,
                     cm_installed **out, char *why, size_t why_size) {
  cm_module *m;
  bool is64, eop;
  uint32_t category = CANMEM_CAT_NONE;
  *out = NULL;
  category = load_module(c, wasm, size, &m, &is64, &eop, why, why_size);
  if (category)
    return category;
  cm_installed *code = instantiate(c, m, is64, eop, &category, why, why_size);
  if (code && !cm_buffer_append(&code->raw, wasm, size)) {
    installed_free(code);
    snprintf(why, why_size, "out of host memory");
    return CANMEM_CAT_OUT_OF_MEMORY;
  }
  *out = code;
  return code ? CANMEM_CAT_NONE : category;
}

/* ---- Executions ---- */

static void execution_init(cm_canister *c, cm_execution *x, uint32_t context,
                           cm_installed *code, cm_stable *stable,
                           cm_pending *pending) {
  memset(x, 0, sizeof *x);
  x->context = context;
  x->replicated = context != CM_CTX_QUERY &&
                  context != CM_CTX_COMPOSITE_QUERY &&
                  context != CM_CTX_INSPECT;
  x->code = code;
  x->stable = stable;
  x->pending = pending;
  x->time = c->profile.time_start_ns + c->executions * c->profile.time_step_ns;
  x->version = c->version;
  if (context == CM_CTX_SYSTEM_TASK) {
    x->caller = NULL; /* the management canister: the empty principal */
    x->caller_size = 0;
  } else {
    x->caller = cm_user_principal(&x->caller_size);
  }
  x->max_reply = context == CM_CTX_QUERY || context == CM_CTX_COMPOSITE_QUERY
                     ? c->profile.max_query_reply_bytes
                     : c->profile.max_reply_bytes;
  cm_access_init(&x->access, &c->profile, context);
}

static void execution_free(cm_execution *x) {
  cm_log_free(&x->logs);
  cm_access_free(&x->access);
  cm_buffer_free(&x->reply);
  cm_buffer_free(&x->reject_message);
}

/* Instruction budgets: one limit per execution, or the rest of a shared
 * budget (an upgrade's steps share one). */
typedef struct {
  uint64_t limit; /* 0 = unlimited */
  uint64_t used;
} budget;

static void budget_apply(const budget *b, cm_store *store) {
  uint64_t left = 0;
  if (b->limit)
    left = b->used < b->limit ? b->limit - b->used : 1;
  cm_store_set_instruction_limit(store, left);
}

static void budget_charge(cm_canister *c, budget *b, cm_store *store) {
  uint64_t n = cm_store_instructions(store);
  b->used += n;
  c->stats.instructions += n;
}

/* EDGE-LOGS-ON-TRAP: a replicated execution's records join the
 * operation's (settle_logs), with the trap message if it trapped (the
 * prose), or nothing of a trapped execution (the Formal model's reading).
 * The log is made big enough for them now, so that settling cannot fail.
 * false when the host is out of memory: then nothing changed. */
static bool keep_logs(cm_canister *c, cm_execution *x, bool trapped,
                      const cm_error *err) {
  if (!x->replicated)
    return true; /* NRQ, CQ, F: logs are not collected */
  if (trapped &&
      (c->profile.readings & CANMEM_READING_LOGS_ON_SUCCESS_ONLY)) {
    cm_log_clear(&x->logs);
    return true;
  }
  if (trapped) {
    const char *end = memchr(err->message, '\0', sizeof err->message);
    uint64_t size = end ? (uint64_t)(end - err->message) : sizeof err->message;
    if (!cm_log_append(&x->logs, (const uint8_t *)err->message, size, x->time,
                       0))
      return false;
  }
  return cm_log_reserve(&c->log,
                        c->log.count + c->op_log.count + x->logs.count) &&
         cm_log_move(&c->op_log, &x->logs, 0);
}

/* At the end of an operation: its records join the log (after a purge for
 * install and reinstall), unless it ended out of host memory. */
static void settle_logs(cm_canister *c, const canmem_outcome *out) {
  if (out->category == CANMEM_CAT_OUT_OF_MEMORY) {
    cm_log_clear(&c->op_log);
  } else {
    if (c->op_purges_log)
      cm_log_clear(&c->log);
    cm_log_move(&c->log, &c->op_log, c->profile.max_log_bytes); /* room made */
  }
  c->op_purges_log = false;
}

/* Run export f (or the start function when f is NULL) in execution x;
 * args: f's parameters (a callback's env), or NULL. */
static cm_status run_with(cm_canister *c, cm_installed *code, cm_func_inst *f,
                          const cm_val *args, cm_execution *x, budget *b,
                          cm_error *err) {
  memset(err, 0, sizeof *err);
  budget_apply(b, code->store);
  c->exec = x;
  cm_access_heap_begin(&x->access, installed_memory(code));
  cm_status st = f ? cm_invoke(code->store, f, args, NULL, err)
                   : cm_run_start(code->instance, err);
  cm_status heap_st = cm_access_heap_end(&x->access, st == CM_OK, err);
  c->exec = NULL;
  budget_charge(c, b, code->store);
  if (st == CM_OK)
    st = heap_st; /* LIM-HEAP-ACCESS: checked when the execution ends */
  if (st != CM_OK && err->status == CM_OK)
    err->status = st;
  if (!keep_logs(c, x, st != CM_OK, err)) {
    cm_log_clear(&x->logs);
    st = cm_host_trap(err, CANMEM_CAT_OUT_OF_MEMORY,
                      "out of host memory for the canister log");
  }
  return st;
}

static cm_status run(cm_canister *c, cm_installed *code, cm_func_inst *f,
                     cm_execution *x, budget *b, cm_error *err) {
  return run_with(c, code, f, NULL, x, b, err);
}

/* ---- Transactions ---- */

typedef struct {
  cm_installed *code;
  cm_stable *stable;
  cm_instance_state *state;
  cm_memory *memory;
  uint64_t heap_bytes_before;
} transaction;

static bool transaction_begin(cm_canister *c, transaction *t,
                              cm_installed *code, cm_stable *stable) {
  memset(t, 0, sizeof *t);
  t->code = code;
  t->stable = stable;
  uint64_t items = 0;
  t->state = cm_instance_state_save(code->instance, &items);
  if (!t->state)
    return false;
  c->stats.globals_saved += items;
  t->memory = installed_memory(code);
  t->heap_bytes_before = heap_bytes(code);
  if (t->memory)
    cm_memory_journal_begin(t->memory);
  cm_stable_begin(stable);
  return true;
}

static void transaction_account(cm_canister *c, const transaction *t) {
  c->stats.stable_pages_journaled += cm_stable_journal_pages(t->stable);
}

static void transaction_commit(cm_canister *c, transaction *t) {
  transaction_account(c, t);
  if (t->memory)
    cm_memory_journal_commit(t->memory);
  cm_stable_commit(t->stable);
  cm_instance_state_free(t->state);
  t->state = NULL;
}

static void transaction_rollback(cm_canister *c, transaction *t) {
  transaction_account(c, t);
  if (t->memory)
    cm_memory_journal_rollback(t->memory);
  cm_instance_state_restore(t->code->instance, t->state);
  cm_stable_rollback(t->stable);
  cm_instance_state_free(t->state);
  t->state = NULL;
}

static void pending_free(cm_pending *p) { cm_buffer_free(&p->certified); }

/* false when out of host memory: then nothing changed. */
static bool pending_apply(cm_canister *c, const cm_pending *p) {
  if (p->certified_set) {
    cm_buffer copy = {0};
    if (!cm_buffer_append(&copy, p->certified.data, p->certified.size))
      return false;
    cm_buffer_free(&c->certified);
    c->certified = copy;
  }
  if (p->timer_set)
    c->global_timer = p->timer;
  return true;
}

/* HEAP-4, HEAP-5, EDGE-WMLIMIT: does the result break wasm_memory_limit? */
static bool over_wasm_memory_limit(const cm_canister *c, uint64_t before,
                                   uint64_t after) {
  uint64_t limit = c->wasm_memory_limit;
  if (!(c->profile.features & CANMEM_FEATURE_WASM_MEMORY_LIMIT) ||
      limit == 0 || after <= limit)
    return false;
  if (c->profile.readings & CANMEM_READING_LIMIT_ON_GROWTH_ONLY)
    return after > before;
  return true;
}

/* EDGE-WMLIMIT, the replica's reading: an update fails before it runs when
 * the heap is already over the limit (a system task or the hook let it
 * grow there). System tasks are exempt. */
static bool over_limit_at_start(const cm_canister *c) {
  uint64_t limit = c->wasm_memory_limit;
  return (c->profile.readings & CANMEM_READING_LIMIT_CHECKED_AT_START) &&
         (c->profile.features & CANMEM_FEATURE_WASM_MEMORY_LIMIT) &&
         limit != 0 && heap_bytes(c->code) > limit;
}

bool cm_low_memory_condition(const cm_canister *c, uint64_t heap,
                             bool is64) {
  uint64_t capacity = c->wasm_memory_limit;
  uint64_t readings = c->profile.readings;
  /* EDGE-LOWCAP: no limit set; the replica takes 4 GiB (the wasm32
   * maximum) whatever the canister's address width */
  if (capacity == 0 && !(readings & CANMEM_READING_LOW_MEMORY_FORMAL_CAPACITY))
    capacity = is64 && !(readings & CANMEM_READING_LOW_MEMORY_WASM32_CAPACITY)
                   ? c->profile.max_heap64_bytes
                   : c->profile.max_heap32_bytes;
  uint64_t threshold = c->wasm_memory_threshold;
  /* capacity < heap + threshold, without wrap-around */
  return heap > capacity || threshold > capacity - heap;
}

void cm_canister_evaluate_low_memory(cm_canister *c) {
  evaluate_low_memory(c);
}

/* LOW-1, LOW-3: after every message and management operation. */
static void evaluate_low_memory(cm_canister *c) {
  if (!(c->profile.features & CANMEM_FEATURE_LOW_MEMORY_HOOK) || !c->code) {
    c->low_memory = CM_LOW_MEMORY_NOT_SATISFIED;
    return;
  }
  bool low = cm_low_memory_condition(c, heap_bytes(c->code), c->code->is64);
  if (!low)
    c->low_memory = CM_LOW_MEMORY_NOT_SATISFIED;
  else if (c->low_memory == CM_LOW_MEMORY_NOT_SATISFIED)
    c->low_memory = CM_LOW_MEMORY_READY;
}

/* ---- Messages ---- */

typedef struct {
  uint32_t context;
  cm_func_inst *func; /* NULL: the export is absent, nothing runs */
  const char *method; /* for inspect_message */
  bool commits;       /* success persists the state */
  bool limit_applies; /* wasm_memory_limit is checked on the result */
  bool is_call;       /* someone waits for a response */
  bool update;        /* an update call (the replica's start check) */
  uint64_t instructions;
} message;

/* Execute one message on the installed code as a transaction. */
static int32_t execute(cm_canister *c, const message *msg, const uint8_t *arg,
                       uint64_t arg_size, canmem_outcome *out) {
  cm_installed *code = c->code;
  if (msg->update && over_limit_at_start(c))
    return finish(c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_WASM_MEMORY_LIMIT,
                  "the heap of %llu bytes is already over wasm_memory_limit "
                  "%llu: the update does not run",
                  (unsigned long long)heap_bytes(code),
                  (unsigned long long)c->wasm_memory_limit);
  cm_pending pending;
  memset(&pending, 0, sizeof pending);
  cm_execution x;
  execution_init(c, &x, msg->context, code, c->stable, &pending);
  c->executions++;
  x.arg = arg;
  x.arg_size = arg_size;
  x.method = msg->method;
  x.can_respond = msg->is_call && msg->context != CM_CTX_INSPECT;
  cm_call_builder calls;
  memset(&calls, 0, sizeof calls);
  if (msg->context == CM_CTX_UPDATE || msg->context == CM_CTX_SYSTEM_TASK)
    x.calls = &calls;
  transaction t;
  if (!transaction_begin(c, &t, code, c->stable)) {
    execution_free(&x);
    return finish(c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  }
  budget b = {msg->instructions, 0};
  cm_error err;
  cm_status st = run(c, code, msg->func, &x, &b, &err);
  uint64_t after = heap_bytes(code);
  int32_t result;
  if (st != CM_OK) {
    /* TXN-1: a trap discards every change, and any response. */
    transaction_rollback(c, &t);
    result = finish(c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                    category_of(&err), "%s", err.message);
  } else if (msg->limit_applies &&
             over_wasm_memory_limit(c, t.heap_bytes_before, after)) {
    transaction_rollback(c, &t);
    result = finish(c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                    CANMEM_CAT_WASM_MEMORY_LIMIT,
                    "the heap of %llu bytes exceeds wasm_memory_limit %llu",
                    (unsigned long long)after,
                    (unsigned long long)c->wasm_memory_limit);
  } else {
    if (msg->commits) {
      /* the calls' context and the pending effects first: if they cannot
       * be stored, nothing is (a context prepared for calls that are then
       * not sent has none outstanding and changes nothing) */
      if (!cm_calls_prepare(c, &x, msg->is_call) ||
          !pending_apply(c, &pending)) {
        transaction_rollback(c, &t);
        result = finish(c, out, CANMEM_OUTCOME_TRAP,
                        CANMEM_REJECT_CANISTER_ERROR,
                        CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
        goto done;
      }
      transaction_commit(c, &t);
      cm_calls_send(c, &x); /* sent only now that the message commits */
      c->version++;
    } else {
      transaction_rollback(c, &t); /* TXN-7, TXN-9: queries never commit */
    }
    if (msg->context == CM_CTX_INSPECT) {
      result = x.accepted
                   ? finish(c, out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                            CANMEM_CAT_NONE, "message accepted")
                   : finish(c, out, CANMEM_OUTCOME_REJECT,
                            CANMEM_REJECT_CANISTER_REJECT,
                            CANMEM_CAT_MESSAGE_NOT_ACCEPTED,
                            "canister_inspect_message did not accept");
    } else if (x.responded) {
      cm_buffer *data = x.rejected ? &x.reject_message : &x.reply;
      cm_buffer_free(&c->payload);
      c->payload = *data;
      memset(data, 0, sizeof *data);
      result = x.rejected ? finish(c, out, CANMEM_OUTCOME_REJECT,
                                   CANMEM_REJECT_CANISTER_REJECT,
                                   CANMEM_CAT_NONE, "canister rejected")
                          : finish(c, out, CANMEM_OUTCOME_REPLY,
                                   CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                                   "replied");
    } else if (x.call_context && x.call_context->awaited &&
               x.call_context->outstanding) {
      result = finish(c, out, CANMEM_OUTCOME_PENDING, CANMEM_REJECT_NONE,
                      CANMEM_CAT_NONE,
                      "no reply yet: %llu call(s) are outstanding",
                      (unsigned long long)x.call_context->outstanding);
    } else {
      /* MSG-RESP-3: no reply; an update's changes still persist. */
      result = finish(c, out, CANMEM_OUTCOME_NO_REPLY,
                      msg->is_call ? CANMEM_REJECT_CANISTER_ERROR
                                   : CANMEM_REJECT_NONE,
                      CANMEM_CAT_NONE,
                      msg->is_call ? "the canister did not reply"
                                   : "completed");
    }
  }
done:
  cm_call_builder_clear(&calls);
  pending_free(&pending);
  execution_free(&x);
  evaluate_low_memory(c);
  return result;
}

/* LOW-4: run the hook if it is scheduled; it has priority over the next
 * replicated message. Its status is consumed before it runs (TXN-11). */
static int32_t run_low_memory_hook(cm_canister *c, canmem_outcome *out) {
  c->low_memory = CM_LOW_MEMORY_EXECUTED;
  message msg = {
      .context = CM_CTX_SYSTEM_TASK,
      .func = export_func(c->code, "canister_on_low_wasm_memory"),
      .commits = true,
      /* LOW-6: the limit is not enforced in the hook */
      .limit_applies = (c->profile.readings &
                        CANMEM_READING_LIMIT_IN_LOW_MEMORY_HOOK) != 0,
      .instructions = c->profile.instructions_update,
  };
  if (!msg.func)
    return finish(c, out, CANMEM_OUTCOME_REJECT,
                  CANMEM_REJECT_DESTINATION_INVALID,
                  CANMEM_CAT_METHOD_NOT_FOUND,
                  "canister_on_low_wasm_memory is not exported");
  return execute(c, &msg, NULL, 0, out);
}

static void run_scheduled_tasks(cm_canister *c) {
  if (c->code && c->low_memory == CM_LOW_MEMORY_READY) {
    canmem_outcome ignored;
    run_low_memory_hook(c, &ignored);
    settle_logs(c, &ignored); /* the hook is an operation of its own */
    c->payload.size = 0;
  }
}

static int32_t method_not_found(cm_canister *c, canmem_outcome *out,
                                const char *kind, const char *method) {
  return finish(c, out, CANMEM_OUTCOME_REJECT,
                CANMEM_REJECT_DESTINATION_INVALID, CANMEM_CAT_METHOD_NOT_FOUND,
                "the canister has no %s method '%s'", kind, method);
}

static int32_t system_task(cm_canister *c, const char *method,
                           canmem_outcome *out) {
  bool limit_in_timers =
      (c->profile.readings & CANMEM_READING_LIMIT_IN_TIMERS) != 0;
  message msg = {
      .context = CM_CTX_SYSTEM_TASK,
      .commits = true,
      .limit_applies = limit_in_timers,
      .instructions = c->profile.instructions_update,
  };
  if (strcmp(method, "canister_on_low_wasm_memory") == 0) {
    if (!(c->profile.features & CANMEM_FEATURE_LOW_MEMORY_HOOK))
      return finish(c, out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_DESTINATION_INVALID, CANMEM_CAT_UNSUPPORTED,
                    "profile %s has no low-memory hook", c->profile.name);
    if (c->low_memory != CM_LOW_MEMORY_READY)
      return finish(c, out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_DESTINATION_INVALID,
                    CANMEM_CAT_TASK_NOT_SCHEDULED,
                    "canister_on_low_wasm_memory is not scheduled");
    return run_low_memory_hook(c, out);
  }
  bool timer = strcmp(method, "canister_global_timer") == 0;
  if (!timer && strcmp(method, "canister_heartbeat") != 0)
    return finish(c, out, CANMEM_OUTCOME_REJECT,
                  CANMEM_REJECT_DESTINATION_INVALID,
                  CANMEM_CAT_METHOD_NOT_FOUND, "'%s' is not a system task",
                  method);
  run_scheduled_tasks(c);
  msg.func = export_func(c->code, method);
  if (!msg.func)
    return method_not_found(c, out, "system task", method);
  if (timer) {
    if (c->global_timer == 0)
      return finish(c, out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_DESTINATION_INVALID,
                    CANMEM_CAT_TASK_NOT_SCHEDULED,
                    "the global timer is not set");
    c->global_timer = 0; /* EDGE-TIMER-TRAP: deactivated before it runs */
  }
  return execute(c, &msg, NULL, 0, out);
}

int32_t cm_canister_call(cm_canister *c, uint32_t call_kind,
                         const char *method, const uint8_t *arg,
                         uint64_t arg_size, canmem_outcome *out) {
  start_operation(c, out);
  if (!c->code)
    return finish(c, out, CANMEM_OUTCOME_REJECT,
                  CANMEM_REJECT_DESTINATION_INVALID, CANMEM_CAT_CANISTER_EMPTY,
                  "the canister is empty");
  size_t len = strlen(method);
  char *name = cm_malloc(len + 32);
  if (!name)
    return finish(c, out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  message msg = {.is_call = true};
  int32_t result;
  switch (call_kind) {
  case CANMEM_CALL_UPDATE:
    run_scheduled_tasks(c);
    snprintf(name, len + 32, "canister_update %s", method);
    msg.func = export_func(c->code, name);
    msg.context = CM_CTX_UPDATE;
    msg.commits = msg.limit_applies = msg.update = true;
    msg.instructions = c->profile.instructions_update;
    if (!msg.func) {
      /* An update call to a query method runs it replicated (TXN-7). */
      snprintf(name, len + 32, "canister_query %s", method);
      msg.func = export_func(c->code, name);
      msg.context = CM_CTX_REPLICATED_QUERY;
      msg.commits = msg.limit_applies = msg.update = false;
      msg.instructions = c->profile.instructions_query;
    }
    result = msg.func ? execute(c, &msg, arg, arg_size, out)
                      : method_not_found(c, out, "update", method);
    break;
  case CANMEM_CALL_REPLICATED_QUERY:
    run_scheduled_tasks(c);
    snprintf(name, len + 32, "canister_query %s", method);
    msg.func = export_func(c->code, name);
    msg.context = CM_CTX_REPLICATED_QUERY;
    msg.instructions = c->profile.instructions_query;
    result = msg.func ? execute(c, &msg, arg, arg_size, out)
                      : method_not_found(c, out, "query", method);
    break;
  case CANMEM_CALL_QUERY:
    snprintf(name, len + 32, "canister_query %s", method);
    msg.func = export_func(c->code, name);
    msg.context = CM_CTX_QUERY;
    if (!msg.func) {
      snprintf(name, len + 32, "canister_composite_query %s", method);
      msg.func = export_func(c->code, name);
      msg.context = CM_CTX_COMPOSITE_QUERY;
    }
    msg.instructions = c->profile.instructions_query;
    result = msg.func ? execute(c, &msg, arg, arg_size, out)
                      : method_not_found(c, out, "query", method);
    break;
  case CANMEM_CALL_INSPECT_MESSAGE:
    msg.func = export_func(c->code, "canister_inspect_message");
    msg.context = CM_CTX_INSPECT;
    msg.method = method;
    msg.instructions = c->profile.instructions_inspect;
    /* Without canister_inspect_message every ingress is accepted. */
    result = msg.func ? execute(c, &msg, arg, arg_size, out)
                      : finish(c, out, CANMEM_OUTCOME_REPLY,
                               CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                               "no canister_inspect_message: accepted");
    break;
  default: /* CANMEM_CALL_SYSTEM_TASK, the last kind adapter.c allows */
    result = system_task(c, method, out);
    break;
  }
  free(name);
  settle_logs(c, out);
  return result;
}

/* ---- install_code ---- */

/* Reset the state that a fresh installation gives (INST-1, UNI-1). */
static void adopt(cm_canister *c, cm_installed *code, cm_stable *stable) {
  if (c->code != code)
    installed_free(c->code);
  if (c->stable != stable)
    cm_stable_free(c->stable);
  c->code = code;
  c->stable = stable;
}

void cm_canister_adopt(cm_canister *c, cm_installed *code, cm_stable *stable) {
  adopt(c, code, stable);
}

/* install and reinstall (INST-1, INST-2, TXN-4): build the new canister
 * beside the old one and swap it in only when start and init succeed, so a
 * failure leaves the old state untouched. */
static int32_t install(cm_canister *c, const canmem_install *req,
                       canmem_outcome *out) {
  bool reinstall = req->mode == CANMEM_MODE_REINSTALL;
  if (!reinstall && c->code)
    return REFUSE_INSTALL(c, out, CANMEM_CAT_CANISTER_NOT_EMPTY,
                          "the canister is not empty: use reinstall");
  char why[400];
  cm_module *m;
  bool is64, eop;
  uint32_t category = load_module(c, req->wasm, req->wasm_size, &m, &is64,
                                  &eop, why, sizeof why);
  if (category)
    return REFUSE_INSTALL(c, out, category, "%s", why);
  cm_installed *code =
      instantiate(c, m, is64, eop, &category, why, sizeof why);
  if (!code)
    return REFUSE_INSTALL(c, out, category, "%s", why);
  cm_stable *stable = cm_stable_new(c->profile.max_stable_bytes / CM_WASM_PAGE);
  if (!stable || !cm_buffer_append(&code->raw, req->wasm, req->wasm_size)) {
    cm_stable_free(stable);
    installed_free(code);
    return REFUSE_INSTALL(c, out, CANMEM_CAT_OUT_OF_MEMORY,
                          "out of host memory");
  }
  cm_pending pending;
  memset(&pending, 0, sizeof pending);
  /* 12.1: the new code starts with the global timer deactivated. */
  pending.timer_set = true;
  budget b = {c->profile.instructions_install, 0};
  cm_execution x;
  cm_error err;
  cm_status st = CM_OK;
  const char *step = "";
  uint64_t time_index = c->executions++;
  if (cm_module_has_start(m)) { /* MOD-START-1 */
    execution_init(c, &x, CM_CTX_START, code, stable, &pending);
    x.time = c->profile.time_start_ns + time_index * c->profile.time_step_ns;
    st = run(c, code, NULL, &x, &b, &err);
    execution_free(&x);
    step = "(start)";
  }
  cm_func_inst *init = export_func(code, "canister_init");
  if (st == CM_OK && init) {
    execution_init(c, &x, CM_CTX_INIT, code, stable, &pending);
    x.time = c->profile.time_start_ns + time_index * c->profile.time_step_ns;
    x.version = c->version + 1;
    x.arg = req->arg;
    x.arg_size = req->arg_size;
    st = run(c, code, init, &x, &b, &err);
    execution_free(&x);
    step = "canister_init";
  }
  uint64_t heap = heap_bytes(code);
  int32_t result;
  if (st != CM_OK) {
    category = category_of(&err);
    result = REFUSE_INSTALL(c, out, category, "%s trapped: %s", step,
                            err.message);
  } else if (over_wasm_memory_limit(c, 0, heap)) {
    category = CANMEM_CAT_WASM_MEMORY_LIMIT;
    result = REFUSE_INSTALL(c, out, category,
                            "the heap of %llu bytes exceeds "
                            "wasm_memory_limit %llu",
                            (unsigned long long)heap,
                            (unsigned long long)c->wasm_memory_limit);
  } else {
    category = CANMEM_CAT_NONE;
    adopt(c, code, stable);
    c->version++;
    c->certified.size = 0; /* a fresh canister's certified data is "" */
    c->global_timer = 0;
    pending_apply(c, &pending);
    c->low_memory = CM_LOW_MEMORY_NOT_SATISFIED;
    evaluate_low_memory(c);
    /* the log holds what start and init wrote (reinstall purges it) */
    c->op_purges_log = true;
    result = finish(c, out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE, "%s", reinstall ? "reinstalled"
                                                     : "installed");
  }
  if (category) {
    installed_free(code);
    cm_stable_free(stable);
  }
  pending_free(&pending);
  return result;
}

/* EDGE-KEEP: the kept heap goes into the new module's memory as if the new
 * module imported it: same index type, size within the new limits. The new
 * memory takes over the old one's storage (cm_memory_swap_storage) with
 * the journal the upgrade's transaction opened on it, which from then on
 * guards the bytes in their new home: nothing is copied, and a later
 * failure rolls back whatever pre_upgrade, (start) and post_upgrade wrote.
 * Until the upgrade ends the old memory holds the new module's initial
 * bytes; keep_heap_undo gives each memory its own again. */
static uint32_t keep_heap(cm_canister *c, cm_installed *old_code,
                          cm_installed *new_code, transaction *t, char *why,
                          size_t why_size) {
  cm_memory *from = installed_memory(old_code);
  cm_memory *to = installed_memory(new_code);
  uint64_t pages = from ? cm_memory_pages(from) : 0;
  if (!to || (from && cm_memory_is64(from) != cm_memory_is64(to))) {
    snprintf(why, why_size, "wasm_memory_persistence = keep: the new module "
                            "has no memory of the same kind to keep the "
                            "heap in");
    return CANMEM_CAT_UPGRADE_OPTION;
  }
  uint64_t now = cm_memory_pages(to);
  const cm_limits *lim = cm_module_memory_limits(new_code->module, 0);
  if (pages < now || (lim && lim->has_max && pages > lim->max) ||
      (from && !cm_memory_swap_storage(from, to))) {
    snprintf(why, why_size, "wasm_memory_persistence = keep: the kept heap "
                            "of %llu pages does not fit the new memory's "
                            "limits",
             (unsigned long long)pages);
    return CANMEM_CAT_UPGRADE_OPTION;
  }
  if (from)
    t->memory = to; /* the transaction follows the bytes and their journal */
  if (c->profile.readings & CANMEM_READING_KEEP_REAPPLIES_DATA) {
    cm_error err;
    memset(&err, 0, sizeof err);
    if (cm_instance_reapply_data(new_code->instance, &err) != CM_OK) {
      snprintf(why, why_size, "re-applying data segments: %s", err.message);
      return CANMEM_CAT_INSTANTIATION_FAILED;
    }
  }
  return CANMEM_CAT_NONE;
}

/* After a failed upgrade whose transaction has rolled back: the old
 * memory takes its storage back from the new one, if keep_heap moved it.
 * The rollback left that storage exactly as the upgrade found it, so the
 * swap fits the old memory's limits. */
static void keep_heap_undo(cm_installed *old_code, cm_installed *new_code,
                           transaction *t) {
  cm_memory *from = installed_memory(old_code);
  if (!new_code || !from || t->memory == from)
    return;
  cm_memory_swap_storage(from, t->memory);
  t->memory = from;
}

/* upgrade (UPG-1..5, EOP-*, TXN-5): pre_upgrade on the old instance, a
 * fresh instance of the new module, (start), post_upgrade, all one
 * transaction. The old instance stays intact (journaled) until the end. */
static int32_t upgrade(cm_canister *c, const canmem_install *req,
                       canmem_outcome *out) {
  const canmem_profile *p = &c->profile;
  if (!c->code)
    return REFUSE_INSTALL(c, out, CANMEM_CAT_CANISTER_EMPTY,
                          "cannot upgrade an empty canister");
  if (req->skip_pre_upgrade && !(p->features & CANMEM_FEATURE_SKIP_PRE_UPGRADE))
    return REFUSE_INSTALL(c, out, CANMEM_CAT_UNSUPPORTED,
                          "skip_pre_upgrade is not enabled in profile %s",
                          p->name);
  if (req->wasm_memory_persistence != CANMEM_PERSISTENCE_ABSENT &&
      !(p->features & CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE))
    return REFUSE_INSTALL(c, out, CANMEM_CAT_UNSUPPORTED,
                          "wasm_memory_persistence is not enabled in profile "
                          "%s",
                          p->name);
  char why[400];
  cm_module *m;
  bool is64, eop;
  uint32_t category = load_module(c, req->wasm, req->wasm_size, &m, &is64,
                                  &eop, why, sizeof why);
  if (category)
    return REFUSE_INSTALL(c, out, category, "%s", why);
  bool keep = req->wasm_memory_persistence == CANMEM_PERSISTENCE_KEEP;
  if (c->code->eop &&
      req->wasm_memory_persistence == CANMEM_PERSISTENCE_ABSENT) {
    cm_module_free(m);
    return REFUSE_INSTALL(c, out, CANMEM_CAT_UPGRADE_OPTION,
                          "the old module uses enhanced orthogonal "
                          "persistence: wasm_memory_persistence must be set "
                          "(EOP-2)");
  }
  if (keep && !eop) {
    cm_module_free(m);
    return REFUSE_INSTALL(c, out, CANMEM_CAT_UPGRADE_OPTION,
                          "wasm_memory_persistence = keep needs a new module "
                          "with icp:private enhanced-orthogonal-persistence "
                          "(EOP-3)");
  }
  cm_installed *old_code = c->code;
  transaction t;
  if (!transaction_begin(c, &t, old_code, c->stable)) {
    cm_module_free(m);
    return REFUSE_INSTALL(c, out, CANMEM_CAT_OUT_OF_MEMORY,
                          "out of host memory");
  }
  cm_pending pending;
  memset(&pending, 0, sizeof pending);
  budget b = {p->instructions_install, 0};
  uint64_t time_index = c->executions++;
  uint64_t time = p->time_start_ns + time_index * p->time_step_ns;
  cm_execution x;
  cm_error err;
  cm_status st = CM_OK;
  const char *step = "";
  cm_installed *code = NULL;
  category = CANMEM_CAT_NONE;
  /* 1. canister_pre_upgrade on the old instance, unless skipped (UPG-4) */
  cm_func_inst *pre = export_func(old_code, "canister_pre_upgrade");
  if (pre && !req->skip_pre_upgrade) {
    execution_init(c, &x, CM_CTX_PRE_UPGRADE, old_code, c->stable, &pending);
    x.time = time;
    st = run(c, old_code, pre, &x, &b, &err);
    execution_free(&x);
    step = "canister_pre_upgrade";
  }
  /* UPG-2, UPG-3: the new code starts with the global timer deactivated;
   * a timer set in pre_upgrade does not survive. */
  pending.timer_set = true;
  pending.timer = 0;
  if (st == CM_OK) {
    /* 2. a fresh instance of the new module (the module is its now) */
    code = instantiate(c, m, is64, eop, &category, why, sizeof why);
    m = NULL;
    if (code && !cm_buffer_append(&code->raw, req->wasm, req->wasm_size)) {
      category = CANMEM_CAT_OUT_OF_MEMORY;
      snprintf(why, sizeof why, "out of host memory");
    }
    if (code && keep && !category)
      category = cm_modcheck_kept_heap(code->module, heap_bytes(old_code) /
                                                         CM_WASM_PAGE,
                                       why, sizeof why);
    if (code && keep && !category)
      category = keep_heap(c, old_code, code, &t, why, sizeof why);
  }
  /* 3. (start), then canister_post_upgrade with the argument */
  if (st == CM_OK && !category && cm_module_has_start(code->module)) {
    execution_init(c, &x, CM_CTX_START, code, c->stable, &pending);
    x.time = time;
    st = run(c, code, NULL, &x, &b, &err);
    execution_free(&x);
    step = "(start)";
  }
  cm_func_inst *post =
      code && !category ? export_func(code, "canister_post_upgrade") : NULL;
  if (st == CM_OK && post) {
    execution_init(c, &x, CM_CTX_INIT, code, c->stable, &pending);
    x.time = time;
    x.version = c->version + 1; /* UPG-2 */
    x.arg = req->arg;
    x.arg_size = req->arg_size;
    st = run(c, code, post, &x, &b, &err);
    execution_free(&x);
    step = "canister_post_upgrade";
  }
  int32_t result;
  if (st != CM_OK) {
    category = category_of(&err);
    result = REFUSE_INSTALL(c, out, category, "%s trapped: %s", step,
                            err.message);
  } else if (category) {
    result = REFUSE_INSTALL(c, out, category, "%s", why);
  } else if (over_wasm_memory_limit(c, 0, heap_bytes(code))) {
    /* EDGE-WMLIMIT: checked after post_upgrade, a kept heap included */
    category = CANMEM_CAT_WASM_MEMORY_LIMIT;
    result = REFUSE_INSTALL(c, out, category,
                            "the heap of %llu bytes exceeds "
                            "wasm_memory_limit %llu",
                            (unsigned long long)heap_bytes(code),
                            (unsigned long long)c->wasm_memory_limit);
  } else {
    result = CANMEM_OK;
  }
  if (category) {
    transaction_rollback(c, &t);
    keep_heap_undo(old_code, code, &t);
    installed_free(code);
    cm_module_free(m);
  } else {
    transaction_commit(c, &t); /* stable memory: SM-6 */
    adopt(c, code, c->stable);
    c->version++;
    c->global_timer = 0;
    pending_apply(c, &pending);
    evaluate_low_memory(c);
    result = finish(c, out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE, "upgraded");
  }
  pending_free(&pending);
  return result;
}

/* uninstall_code (UNI-1): code, heap, globals and stable memory go; the
 * log is purged; snapshots stay (EDGE-UNINSTALL-SNAP). */
void cm_canister_clear(cm_canister *c) {
  adopt(c, NULL, NULL);
  cm_calls_uninstall(c); /* callbacks never run after this */
  c->version++;
  c->certified.size = 0;
  c->global_timer = 0;
  c->low_memory = CM_LOW_MEMORY_NOT_SATISFIED;
  cm_log_clear(&c->log);
}

static int32_t uninstall(cm_canister *c, canmem_outcome *out) {
  cm_canister_clear(c);
  return finish(c, out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                CANMEM_CAT_NONE, "uninstalled");
}

int32_t cm_canister_install(cm_canister *c, const canmem_install *req,
                            canmem_outcome *out) {
  start_operation(c, out);
  int32_t result;
  switch (req->mode) {
  case CANMEM_MODE_INSTALL:
  case CANMEM_MODE_REINSTALL: result = install(c, req, out); break;
  case CANMEM_MODE_UPGRADE: result = upgrade(c, req, out); break;
  default: result = uninstall(c, out); break; /* CANMEM_MODE_UNINSTALL */
  }
  settle_logs(c, out);
  return result;
}

/* ---- update_settings ---- */

int32_t cm_canister_update_settings(cm_canister *c, const canmem_settings *s,
                                    canmem_outcome *out) {
  start_operation(c, out);
  const canmem_profile *p = &c->profile;
  bool set_limit = s->fields & CANMEM_SETTING_WASM_MEMORY_LIMIT;
  bool set_threshold = s->fields & CANMEM_SETTING_WASM_MEMORY_THRESHOLD;
  if ((set_limit && !(p->features & CANMEM_FEATURE_WASM_MEMORY_LIMIT)) ||
      (set_threshold && !(p->features & CANMEM_FEATURE_LOW_MEMORY_HOOK)))
    return finish(c, out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_UNSUPPORTED,
                  "profile %s does not have this setting", p->name);
  if (set_limit) {
    uint64_t heap = heap_bytes(c->code);
    if (s->wasm_memory_limit > p->max_wasm_memory_limit)
      return finish(c, out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_INVALID_SETTINGS,
                    "wasm_memory_limit %llu exceeds %llu",
                    (unsigned long long)s->wasm_memory_limit,
                    (unsigned long long)p->max_wasm_memory_limit);
    if (s->wasm_memory_limit && s->wasm_memory_limit < heap) /* HEAP-6 */
      return finish(c, out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_INVALID_SETTINGS,
                    "wasm_memory_limit %llu is below the heap of %llu bytes",
                    (unsigned long long)s->wasm_memory_limit,
                    (unsigned long long)heap);
  }
  if (set_threshold && s->wasm_memory_threshold > p->max_wasm_memory_threshold)
    return finish(c, out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_INVALID_SETTINGS,
                  "wasm_memory_threshold %llu exceeds %llu",
                  (unsigned long long)s->wasm_memory_threshold,
                  (unsigned long long)p->max_wasm_memory_threshold);
  if (set_limit)
    c->wasm_memory_limit = s->wasm_memory_limit;
  if (set_threshold)
    c->wasm_memory_threshold = s->wasm_memory_threshold;
  c->version++;
  evaluate_low_memory(c); /* LOW-3: after management calls too */
  return finish(c, out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                CANMEM_CAT_NONE, "settings updated");
}

/* ---- Life and probes ---- */

cm_canister *cm_canister_new(const canmem_profile *profile, char *err,
                             size_t err_size) {
  if (!cm_profile_check(profile, err, err_size))
    return NULL;
  cm_canister *c = cm_calloc(1, sizeof *c);
  if (!c) {
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  c->profile = *profile;
  c->profile.struct_size = sizeof c->profile;
  c->calls = cm_calls_new();
  if (!c->calls) {
    free(c);
    snprintf(err, err_size, "out of memory");
    return NULL;
  }
  c->wasm_memory_limit = profile->wasm_memory_limit;
  c->wasm_memory_threshold = profile->wasm_memory_threshold;
  return c;
}

void cm_canister_free(cm_canister *c) {
  if (!c)
    return;
  adopt(c, NULL, NULL);
  cm_snapshots_free(c);
  cm_log_free(&c->log);
  cm_log_free(&c->op_log);
  cm_buffer_free(&c->certified);
  cm_buffer_free(&c->payload);
  cm_calls_free(c->calls);
  free(c);
}

uint64_t cm_canister_stable_pages(const cm_canister *c) {
  return c->stable ? cm_stable_pages(c->stable) : 0;
}

uint64_t cm_canister_heap_pages(const cm_canister *c) {
  return heap_bytes(c->code) / CM_WASM_PAGE;
}

bool cm_canister_read_stable(const cm_canister *c, uint64_t offset,
                             uint8_t *dst, uint64_t size) {
  uint64_t bytes = c->stable ? cm_stable_bytes(c->stable) : 0;
  if (!cm_range_ok(offset, size, bytes))
    return false;
  if (size)
    cm_stable_read(c->stable, offset, dst, size);
  return true;
}

bool cm_canister_read_heap(const cm_canister *c, uint64_t offset, uint8_t *dst,
                           uint64_t size) {
  cm_memory *mem = installed_memory(c->code);
  if (!cm_range_ok(offset, size, mem ? cm_memory_size(mem) : 0))
    return false;
  if (size)
    memcpy(dst, cm_memory_data(mem) + offset, (size_t)size);
  return true;
}

void cm_canister_last_stats(const cm_canister *c, cm_canister_stats *stats) {
  *stats = c->stats;
  stats->stable_pages_resident =
      c->stable ? cm_stable_resident_pages(c->stable) : 0;
}

/* ---- Hooks for calls.c: callbacks run like messages ---- */

void cm_canister_start(cm_canister *c, canmem_outcome *out) {
  start_operation(c, out);
}

int32_t cm_canister_finish(cm_canister *c, canmem_outcome *out, uint32_t kind,
                           uint32_t reject_code, uint32_t category,
                           const char *fmt, ...) {
  char text[sizeof out->message];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  return finish(c, out, kind, reject_code, category, "%s", text);
}

void cm_canister_execution(cm_canister *c, cm_execution *x, uint32_t context,
                           cm_pending *pending) {
  execution_init(c, x, context, c->code, c->stable, pending);
  c->executions++;
}

void cm_canister_execution_free(cm_execution *x) { execution_free(x); }

void cm_canister_after_execution(cm_canister *c) { evaluate_low_memory(c); }

uint32_t cm_canister_run_closure(cm_canister *c, cm_execution *x,
                                 cm_closure closure, cm_error *err) {
  memset(err, 0, sizeof *err);
  cm_installed *code = c->code;
  transaction t;
  if (!transaction_begin(c, &t, code, c->stable)) {
    snprintf(err->message, sizeof err->message, "out of host memory");
    return CANMEM_CAT_OUT_OF_MEMORY;
  }
  /* The formal model: a function of type (env : I) -> () at table index
   * fun, else the callback traps. */
  uint32_t category = CANMEM_CAT_NONE;
  cm_func_inst *f = cm_instance_table_func(code->instance, closure.fun,
                                           &category);
  const cm_functype *type = f ? cm_func_type(f) : NULL;
  uint8_t env_type = code->is64 ? CM_I64 : CM_I32;
  if (type && (type->nparams != 1 || type->nresults != 0 ||
               type->params[0] != env_type))
    category = CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH;
  if (category) {
    transaction_rollback(c, &t);
    snprintf(err->message, sizeof err->message,
             "table index %llu is no function (env : %s) -> (): %s",
             (unsigned long long)closure.fun, code->is64 ? "i64" : "i32",
             canmem_category_name(category));
    return category;
  }
  budget b = {c->profile.instructions_update, 0};
  cm_val env;
  memset(&env, 0, sizeof env);
  env.type = env_type;
  env.bits = closure.env;
  if (run_with(c, code, f, &env, x, &b, err) != CM_OK) {
    transaction_rollback(c, &t);
    return category_of(err);
  }
  /* the pending effects first, as for a message: if they cannot be
   * stored, the callback commits nothing */
  if (!pending_apply(c, x->pending)) {
    transaction_rollback(c, &t);
    snprintf(err->message, sizeof err->message, "out of host memory");
    return CANMEM_CAT_OUT_OF_MEMORY;
  }
  transaction_commit(c, &t);
  c->version++;
  return CANMEM_CAT_NONE;
}
