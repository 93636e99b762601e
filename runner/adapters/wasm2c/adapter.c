/* The wasm2c adapter's ABI table: one canister = its settings, its stable
 * memory and, when installed, one instance of a compiled module object.
 * Every entry point runs as a transaction: before it runs, the adapter
 * copies the generated instance struct (globals, dropped segments) and the
 * tables, and opens the heap's journal (journal.c) and the stable-memory
 * journal; a trap or a query puts them back. docs/adapter-wasm2c.md
 * explains the choices. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"

#define LOW_NOT_SATISFIED 0
#define LOW_READY 1
#define LOW_EXECUTED 2

typedef struct {
  cmw_module module;
  cmw_method *methods;
  uint32_t nmethods;
  cmw_object *object;
  const cmw_glue *glue;
  void *inst, *env;
  cmw_host host;
  cmw_buf wasm; /* the module as installed, for snapshots */
} code;

struct canmem_canister {
  canmem_profile profile;
  uint64_t wasm_memory_limit, wasm_memory_threshold;
  uint64_t version, executions, timer;
  cmw_buf certified;
  int low_status;
  cmw_stable stable;
  cmw_journal journal; /* the heap's, while a transaction runs */
  code *code;
  cmw_buf payload;
  cmw_call_list calls; /* outstanding, in the order performed */
  uint64_t last_call_id;
  cmw_snapshot_list snapshots;
  uint64_t last_snapshot_id;
  cmw_log log;
};

/* ---- Outcomes ---- */

static int32_t finish(canmem_outcome *out, uint32_t kind, uint32_t code_,
                      uint32_t category, const char *fmt, ...) {
  memset(out, 0, sizeof *out);
  out->struct_size = sizeof *out;
  out->kind = kind;
  out->reject_code = code_;
  out->category = category;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(out->message, sizeof out->message, fmt, ap);
  va_end(ap);
  return CANMEM_OK;
}

static int32_t with_payload(canmem_canister *c, canmem_outcome *out,
                            cmw_buf *data) {
  cmw_buf_free(&c->payload);
  c->payload = *data;
  memset(data, 0, sizeof *data);
  out->payload = c->payload.data;
  out->payload_size = c->payload.size;
  return CANMEM_OK;
}

/* ---- Code: a loaded module and its instance ---- */

static void code_free(code *k) {
  if (!k)
    return;
  if (k->inst)
    k->glue->free_instance(k->inst, k->env);
  free(k->inst);
  free(k->env);
  cmw_object_release(k->object);
  cmw_buf_free(&k->wasm);
  for (uint32_t i = 0; i < k->nmethods; i++)
    free(k->methods[i].name);
  free(k->methods);
  cmw_module_free(&k->module);
  free(k);
}

static const cmw_method *find_method(const code *k, uint32_t kind,
                                     const char *name) {
  for (uint32_t i = 0; i < k->nmethods; i++)
    if (k->methods[i].kind == kind && strcmp(k->methods[i].name, name) == 0)
      return &k->methods[i];
  return NULL;
}

static cmw_rt_memory *heap_of(const code *k) {
  return k && k->glue->has_memory ? k->glue->memory(k->inst) : NULL;
}

static uint64_t heap_bytes(const code *k) {
  cmw_rt_memory *m = heap_of(k);
  return m ? (uint64_t)m->pages * CMW_PAGE : 0;
}

static uint32_t heap_limit_pages(const canmem_profile *p) {
  uint64_t pages = p->max_heap32_bytes / CMW_PAGE;
  return pages > 65536 ? 65536u : (uint32_t)pages;
}

/* MOD-FEAT: a feature the profile lacks fails validation on the IC (the
 * module is refused as invalid, as the v8 host does); one it enables but
 * wasm2c 1.0.32 cannot translate is this runtime's limit, reported as
 * CANMEM_ERR_UNSUPPORTED with the reason. Returns 1 to go on. */
static int features_ok(const cmw_module *m, const canmem_profile *p,
                       canmem_outcome *out, int32_t *rc) {
  static const struct {
    uint32_t uses;
    uint64_t feature;
    const char *name;
  } features[] = {
      {CMW_USES_SIMD, CANMEM_FEATURE_SIMD, "SIMD (v128)"},
      {CMW_USES_TAIL_CALL, CANMEM_FEATURE_TAIL_CALL, "tail calls"},
      {CMW_USES_TABLE64, CANMEM_FEATURE_TABLE64, "64-bit tables"},
  };
  char why[300] = "";
  uint32_t uses = cmw_module_features(m, why, sizeof why);
  if (uses & CMW_USES_OTHER) {
    finish(out, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_REJECT_CANISTER_ERROR,
           CANMEM_CAT_INVALID_MODULE,
           "%s: not part of a WebAssembly feature the IC accepts", why);
    return 0;
  }
  for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
    if ((uses & features[i].uses) && !(p->features & features[i].feature)) {
      finish(out, CANMEM_OUTCOME_INSTALL_REJECTED,
             CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_INVALID_MODULE,
             "the module uses %s, not enabled by the profile",
             features[i].name);
      return 0;
    }
  for (size_t i = 0; i < sizeof features / sizeof features[0]; i++)
    if (uses & features[i].uses) {
      *rc = CANMEM_ERR_UNSUPPORTED;
      finish(out, 0, 0, 0,
             "the module uses %s, which wasm2c 1.0.32 cannot translate",
             features[i].name);
      return 0;
    }
  return 1;
}

/* Decodes, checks and compiles a module; NULL with an outcome on refusal
 * (*rc says whether the adapter itself failed). */
static code *code_load(canmem_canister *c, const canmem_install *req,
                       canmem_outcome *out, int32_t *rc) {
  char why[400];
  const canmem_profile *p = &c->profile;
  *rc = CANMEM_OK;
  const uint8_t *bytes = req->wasm;
  size_t size = (size_t)req->wasm_size;
  uint8_t *unzipped = NULL;
  if (!bytes && size) {
    *rc = CANMEM_ERR_ARGUMENT;
    finish(out, 0, 0, 0, "wasm is NULL");
    return NULL;
  }
  if (p->max_module_bytes && req->wasm_size > p->max_module_bytes) {
    finish(out, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_REJECT_CANISTER_ERROR,
           CANMEM_CAT_MODULE_LIMIT, "the module has %llu bytes",
           (unsigned long long)req->wasm_size);
    return NULL;
  }
  if (size >= 3 && bytes[0] == 0x1f && bytes[1] == 0x8b && bytes[2] == 0x08) {
    if (!(p->features & CANMEM_FEATURE_GZIP)) {
      finish(out, CANMEM_OUTCOME_INSTALL_REJECTED,
             CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_INVALID_MODULE,
             "gzip-compressed modules are not enabled by the profile");
      return NULL;
    }
    int g = cmw_gunzip(bytes, size, p->max_module_bytes, &unzipped, &size,
                       why, sizeof why);
    if (g == -3) {
      *rc = CANMEM_ERR_INTERNAL;
      finish(out, 0, 0, 0, "%s", why);
      return NULL;
    }
    if (g != 0) {
      finish(out, CANMEM_OUTCOME_INSTALL_REJECTED,
             CANMEM_REJECT_CANISTER_ERROR,
             g == -2 ? CANMEM_CAT_MODULE_LIMIT : CANMEM_CAT_INVALID_MODULE,
             "%s", why);
      return NULL;
    }
    bytes = unzipped;
  }
  code *k = calloc(1, sizeof *k);
  if (!k) {
    free(unzipped);
    *rc = CANMEM_ERR_INTERNAL;
    finish(out, 0, 0, 0, "out of host memory");
    return NULL;
  }
  int parsed = cmw_module_parse(&k->module, bytes, size, why, sizeof why);
  free(unzipped);
  if (req->wasm_size &&
      cmw_buf_append(&k->wasm, req->wasm, (size_t)req->wasm_size)) {
    code_free(k);
    *rc = CANMEM_ERR_INTERNAL;
    finish(out, 0, 0, 0, "out of host memory");
    return NULL;
  }
  if (parsed != 0) {
    finish(out, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_REJECT_CANISTER_ERROR,
           CANMEM_CAT_INVALID_MODULE, "%s", why);
    code_free(k);
    return NULL;
  }
  const cmw_module *m = &k->module;
  if (!features_ok(m, p, out, rc)) {
    code_free(k);
    return NULL;
  }
  if (m->nmemories == 1 && m->mem_is64 &&
      (p->features & CANMEM_FEATURE_WASM64)) {
    /* valid for the profile, but wasm2c 1.0.32 has no memory64 */
    *rc = CANMEM_ERR_UNSUPPORTED;
    finish(out, 0, 0, 0, "wasm2c 1.0.32 cannot translate memory64 modules");
    code_free(k);
    return NULL;
  }
  uint32_t category = cmw_module_check(m, p, why, sizeof why);
  if (category != CANMEM_CAT_NONE) {
    finish(out, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_REJECT_CANISTER_ERROR,
           category, "%s", why);
    code_free(k);
    return NULL;
  }
  if (cmw_module_methods(m, &k->methods, &k->nmethods) != 0) {
    *rc = CANMEM_ERR_INTERNAL;
    finish(out, 0, 0, 0, "out of host memory");
    code_free(k);
    return NULL;
  }
  int internal = 0;
  k->object = cmw_build(m, k->methods, k->nmethods, &category, &internal, why,
                        sizeof why);
  if (!k->object) {
    if (internal || category == CANMEM_CAT_UNSUPPORTED) {
      *rc = internal ? CANMEM_ERR_INTERNAL : CANMEM_ERR_UNSUPPORTED;
      finish(out, 0, 0, 0, "%s", why);
    } else {
      finish(out, CANMEM_OUTCOME_INSTALL_REJECTED,
             CANMEM_REJECT_CANISTER_ERROR, category, "%s", why);
    }
    code_free(k);
    return NULL;
  }
  k->glue = cmw_object_glue(k->object);
  k->glue->set_host(cmw_host_call);
  return k;
}

static uint32_t trap_category(int rc, const cmw_exec *x) {
  if (x && x->trap_category)
    return x->trap_category;
  switch (rc) {
  case CMW_TRAP_OOB: return CANMEM_CAT_HEAP_OUT_OF_BOUNDS;
  case CMW_TRAP_INT_OVERFLOW: return CANMEM_CAT_INTEGER_OVERFLOW;
  case CMW_TRAP_DIV_BY_ZERO: return CANMEM_CAT_INTEGER_DIVIDE_BY_ZERO;
  case CMW_TRAP_INVALID_CONVERSION: return CANMEM_CAT_INVALID_CONVERSION;
  case CMW_TRAP_UNREACHABLE: return CANMEM_CAT_UNREACHABLE;
  /* out-of-range and null entries are split off by build.c's patch */
  case CMW_TRAP_CALL_INDIRECT: return CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH;
  case CMW_TRAP_TABLE_OOB: return CANMEM_CAT_TABLE_OUT_OF_BOUNDS;
  case CMW_TRAP_NULL_ELEMENT: return CANMEM_CAT_UNINITIALIZED_ELEMENT;
  case CMW_TRAP_HOST_OOM: return CANMEM_CAT_OUT_OF_MEMORY;
  case CMW_ENTRY_TABLE_OOB: return CANMEM_CAT_TABLE_OUT_OF_BOUNDS;
  case CMW_ENTRY_NULL: return CANMEM_CAT_UNINITIALIZED_ELEMENT;
  case CMW_ENTRY_TYPE: return CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH;
  default: return CANMEM_CAT_STACK_EXHAUSTED;
  }
}

static const char *trap_text(int rc, const cmw_exec *x) {
  if (x && x->trap_category)
    return x->trap_message;
  return canmem_category_name(trap_category(rc, NULL));
}

/* Instantiates (without running (start)); 0 or a wasm_rt trap code. */
static int code_instantiate(canmem_canister *c, code *k) {
  k->inst = calloc(1, (size_t)k->glue->instance_size + 1);
  k->env = calloc(1, (size_t)k->glue->env_size + 1);
  if (!k->inst || !k->env)
    return CMW_TRAP_HOST_OOM;
  k->glue->set_heap_limit(heap_limit_pages(&c->profile));
  return k->glue->instantiate(k->inst, k->env, &k->host);
}

/* ---- Snapshots of an instance (TXN-*) ----
 * The instance struct (globals, dropped segments, the memory and table
 * descriptors) and the tables are copied: they are small. The heap is not:
 * its write journal (w2c_rt.c) saves each page on its first write, so a
 * snapshot costs what the transaction writes, not the heap's size. */

typedef struct {
  uint8_t *inst;
  cmw_journal *journal; /* open on the heap; NULL: no heap */
  uint32_t pages, size;
  uint8_t **tables;
  uint32_t *table_sizes;
} snapshot;

static void snapshot_free(snapshot *s) {
  free(s->inst);
  free(s->tables);
  free(s->table_sizes);
  memset(s, 0, sizeof *s);
}

/* Keeps the instance as it is now (commit). */
static void snapshot_drop(const code *k, snapshot *s) {
  if (s->journal)
    cmw_journal_commit(s->journal);
  if (s->tables)
    for (uint32_t t = 0; t < k->glue->ntables; t++)
      free(s->tables[t]);
  snapshot_free(s);
}

static int snapshot_take(const code *k, cmw_journal *j, snapshot *s) {
  memset(s, 0, sizeof *s);
  const cmw_glue *g = k->glue;
  s->inst = malloc((size_t)g->instance_size + 1);
  if (!s->inst)
    return -1;
  memcpy(s->inst, k->inst, (size_t)g->instance_size);
  if (g->ntables) {
    s->tables = calloc(g->ntables, sizeof *s->tables);
    s->table_sizes = calloc(g->ntables, sizeof *s->table_sizes);
    if (!s->tables || !s->table_sizes)
      goto fail;
    for (uint32_t t = 0; t < g->ntables; t++) {
      cmw_rt_table *tab = g->table(k->inst, t);
      size_t bytes = (size_t)tab->size * g->table_elem_sizes[t];
      s->tables[t] = malloc(bytes + 1);
      if (!s->tables[t])
        goto fail;
      memcpy(s->tables[t], tab->data, bytes);
      s->table_sizes[t] = tab->size;
    }
  }
  cmw_rt_memory *m = heap_of(k);
  if (m) {
    s->pages = m->pages;
    s->size = m->size;
    cmw_journal_open(j, g, m);
    s->journal = j;
  }
  return 0;
fail:
  snapshot_drop(k, s);
  return -1;
}

/* Puts the instance back as it was. Memories and tables only grow, so
 * their live buffers are large enough for the saved contents. */
static void snapshot_restore(code *k, snapshot *s) {
  const cmw_glue *g = k->glue;
  cmw_rt_memory *m = heap_of(k);
  uint8_t *live_heap = m ? m->data : NULL;
  void **live_tables = NULL;
  if (g->ntables) {
    live_tables = calloc(g->ntables, sizeof *live_tables);
    for (uint32_t t = 0; live_tables && t < g->ntables; t++)
      live_tables[t] = g->table(k->inst, t)->data;
  }
  memcpy(k->inst, s->inst, (size_t)g->instance_size);
  if (m) {
    m->data = live_heap;
    m->pages = s->pages;
    m->size = s->size;
  }
  if (s->journal) {
    cmw_journal_rollback(s->journal);
    s->journal = NULL;
  }
  for (uint32_t t = 0; live_tables && t < g->ntables; t++) {
    cmw_rt_table *tab = g->table(k->inst, t);
    tab->data = live_tables[t];
    tab->size = s->table_sizes[t];
    memcpy(tab->data, s->tables[t],
           (size_t)s->table_sizes[t] * g->table_elem_sizes[t]);
  }
  free(live_tables);
  snapshot_drop(k, s);
}

/* ---- Executions ---- */

static void exec_init(canmem_canister *c, cmw_exec *x, uint32_t context,
                      cmw_stable *stable, uint64_t time) {
  memset(x, 0, sizeof *x);
  x->profile = &c->profile;
  x->stable = stable;
  x->journal = &c->journal;
  x->context = context;
  x->replicated = context != CMW_CTX_NRQ && context != CMW_CTX_CQ &&
                  context != CMW_CTX_INSPECT;
  x->caller = cmw_user_principal(&x->caller_size);
  if (context == CMW_CTX_TASK)
    x->caller_size = 0; /* the management canister */
  x->max_reply = context == CMW_CTX_NRQ || context == CMW_CTX_CQ
                     ? c->profile.max_query_reply_bytes
                     : c->profile.max_reply_bytes;
  x->time = time;
  x->version = c->version;
  x->timer = c->timer;
  /* SM-9: message, upgrade (each install_code execution) or query limits */
  const canmem_profile *p = &c->profile;
  if (context == CMW_CTX_UPDATE || context == CMW_CTX_TASK ||
      context == CMW_CTX_RY || context == CMW_CTX_RT ||
      context == CMW_CTX_CLEANUP) {
    x->access_limit = p->stable_access_limit_message / CANMEM_ACCESS_PAGE;
    x->write_limit = p->stable_write_limit_message / CANMEM_ACCESS_PAGE;
  } else if (context == CMW_CTX_START || context == CMW_CTX_INIT ||
             context == CMW_CTX_PRE_UPGRADE) {
    x->access_limit = p->stable_access_limit_upgrade / CANMEM_ACCESS_PAGE;
    x->write_limit = p->stable_write_limit_upgrade / CANMEM_ACCESS_PAGE;
  } else {
    x->access_limit = p->stable_access_limit_query / CANMEM_ACCESS_PAGE;
    x->write_limit = p->stable_write_limit_query / CANMEM_ACCESS_PAGE;
  }
}

static void exec_free(cmw_exec *x) {
  free(x->touched);
  x->touched = NULL;
  cmw_call_free(x->building); /* never performed */
  x->building = NULL;
  cmw_call_list_free(&x->performed); /* not committed */
  cmw_log_free(&x->logs);
  cmw_buf_free(&x->reply);
  cmw_buf_free(&x->reject);
  cmw_buf_free(&x->certified);
}

/* EDGE-LOGS-ON-TRAP: a replicated execution's records join the canister
 * log as it ends, with the trap message if it trapped (the prose and the
 * replica), or none of a trapped one's (the Formal model's reading). */
static void keep_logs(canmem_canister *c, cmw_exec *x, int trap) {
  if (!x->replicated ||
      (trap && (c->profile.readings & CANMEM_READING_LOGS_ON_SUCCESS_ONLY))) {
    cmw_log_clear(&x->logs);
    return;
  }
  if (trap) {
    const char *text = trap_text(trap, x);
    cmw_log_append(&x->logs, (const uint8_t *)text, strlen(text), x->time);
  }
  cmw_log_keep(&c->log, &x->logs, c->profile.max_log_bytes);
}

/* Runs (start) (slot < 0) or a method; 0 or a wasm_rt trap code. */
static int run(canmem_canister *c, code *k, cmw_exec *x, int slot) {
  k->host.current = x;
  x->heap = heap_of(k);
  int rc = slot < 0 ? k->glue->run_start(k->inst)
                    : k->glue->call(k->inst, (uint32_t)slot);
  k->host.current = NULL;
  keep_logs(c, x, rc);
  return rc;
}

static uint64_t next_time(canmem_canister *c) {
  return c->profile.time_start_ns + c->executions++ * c->profile.time_step_ns;
}

/* HEAP-4/5: 0 when the heap after the execution respects the limit. */
static int over_limit(const canmem_canister *c, uint64_t before,
                      uint64_t after) {
  if (c->wasm_memory_limit == 0 || after <= c->wasm_memory_limit)
    return 0;
  if ((c->profile.readings & CANMEM_READING_LIMIT_ON_GROWTH_ONLY) &&
      after <= before)
    return 0;
  return 1;
}

/* LOW-1: the hook's condition for a heap of this many bytes. */
static int low_memory_condition(const canmem_canister *c, uint64_t heap) {
  uint64_t capacity = c->wasm_memory_limit;
  if (capacity == 0 &&
      !(c->profile.readings & CANMEM_READING_LOW_MEMORY_FORMAL_CAPACITY))
    capacity = c->profile.max_heap32_bytes;
  return heap + c->wasm_memory_threshold < heap ||
         capacity < heap + c->wasm_memory_threshold;
}

/* LOW-3: re-evaluated after every message and management operation. */
static void low_memory_update(canmem_canister *c) {
  if (!c->code)
    return;
  if (!low_memory_condition(c, heap_bytes(c->code)))
    c->low_status = LOW_NOT_SATISFIED;
  else if (c->low_status == LOW_NOT_SATISFIED)
    c->low_status = LOW_READY;
}

static void apply_effects(canmem_canister *c, cmw_exec *x) {
  if (x->certified_set) {
    cmw_buf_free(&c->certified);
    c->certified = x->certified;
    memset(&x->certified, 0, sizeof x->certified);
  }
  if (x->timer_set)
    c->timer = x->timer_value;
}

typedef struct {
  uint32_t context;
  int commits;
  int limit_applies;
} message;

/* The calls an execution performed go out as it commits, outstanding in
 * its call context. */
static void commit_calls(canmem_canister *c, cmw_exec *x,
                         cmw_context *context) {
  cmw_call *call = x->performed.head;
  while (call) {
    cmw_call *next = call->next;
    call->id = ++c->last_call_id;
    call->context = context;
    context->outstanding++;
    cmw_call_list_append(&c->calls, call);
    call = next;
  }
  x->performed.head = x->performed.tail = NULL;
}

/* One message as a transaction; fills out. */
static int32_t execute(canmem_canister *c, const message *msg,
                       const cmw_method *method, const char *inspected,
                       const uint8_t *arg, uint64_t arg_size,
                       canmem_outcome *out) {
  code *k = c->code;
  snapshot snap;
  if (snapshot_take(k, &c->journal, &snap) != 0)
    return finish(out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  cmw_stable_begin(&c->stable);
  cmw_exec x;
  exec_init(c, &x, msg->context, &c->stable, next_time(c));
  x.arg = arg;
  x.arg_size = arg_size;
  x.method = inspected;
  uint64_t before = heap_bytes(k);
  int rc = run(c, k, &x, (int)method->slot);
  int32_t result;
  if (rc != 0) {
    snapshot_restore(k, &snap);
    cmw_stable_rollback(&c->stable);
    result = finish(out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                    trap_category(rc, &x), "trapped: %s", trap_text(rc, &x));
    goto done;
  }
  if (msg->limit_applies && over_limit(c, before, heap_bytes(k))) {
    uint64_t after = heap_bytes(k);
    snapshot_restore(k, &snap);
    cmw_stable_rollback(&c->stable);
    result = finish(out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                    CANMEM_CAT_WASM_MEMORY_LIMIT,
                    "the heap (%llu bytes) exceeds wasm_memory_limit %llu",
                    (unsigned long long)after,
                    (unsigned long long)c->wasm_memory_limit);
    goto done;
  }
  cmw_context *context = NULL;
  if (msg->commits && x.performed.head) {
    context = calloc(1, sizeof *context);
    if (!context) {
      snapshot_restore(k, &snap);
      cmw_stable_rollback(&c->stable);
      result = finish(out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                      CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
      goto done;
    }
    context->needs_response = msg->context == CMW_CTX_UPDATE;
    context->responded = x.response != CMW_RESPONSE_NONE;
  }
  if (msg->commits) {
    snapshot_drop(k, &snap);
    cmw_stable_commit(&c->stable);
    apply_effects(c, &x);
    c->version++;
    if (context)
      commit_calls(c, &x, context);
  } else {
    snapshot_restore(k, &snap); /* TXN-7, TXN-9 */
    cmw_stable_rollback(&c->stable);
  }
  if (msg->context == CMW_CTX_INSPECT) {
    result = x.accepted
                 ? finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                          CANMEM_CAT_NONE, "message accepted")
                 : finish(out, CANMEM_OUTCOME_REJECT,
                          CANMEM_REJECT_CANISTER_REJECT,
                          CANMEM_CAT_MESSAGE_NOT_ACCEPTED,
                          "canister_inspect_message did not accept");
  } else if (msg->context == CMW_CTX_TASK) {
    result = finish(out, CANMEM_OUTCOME_NO_REPLY, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE, "system task completed");
  } else if (x.response == CMW_RESPONSE_REPLY) {
    finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
           "replied");
    result = with_payload(c, out, &x.reply);
  } else if (x.response == CMW_RESPONSE_REJECT) {
    finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_REJECT,
           CANMEM_CAT_NONE, "canister rejected");
    result = with_payload(c, out, &x.reject);
  } else if (context) {
    result = finish(out, CANMEM_OUTCOME_PENDING, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE,
                    "returned without responding; %u calls outstanding",
                    context->outstanding);
  } else {
    result = finish(out, CANMEM_OUTCOME_NO_REPLY,
                    CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_NONE,
                    "returned without a response");
  }
done:
  exec_free(&x);
  low_memory_update(c);
  return result;
}

static int32_t run_low_memory_hook(canmem_canister *c, canmem_outcome *out) {
  c->low_status = LOW_EXECUTED; /* LOW-4: consumed even if it traps */
  const cmw_method *hook =
      find_method(c->code, CMW_METHOD_SYSTEM, "canister_on_low_wasm_memory");
  if (!hook)
    return finish(out, CANMEM_OUTCOME_NO_REPLY, CANMEM_REJECT_NONE,
                  CANMEM_CAT_NONE, "no low-memory hook exported");
  message msg = {CMW_CTX_TASK, 1,
                 (c->profile.readings &
                  CANMEM_READING_LIMIT_IN_LOW_MEMORY_HOOK) != 0};
  return execute(c, &msg, hook, NULL, NULL, 0, out);
}

/* A ready hook runs before the next replicated message. */
static void run_scheduled_hook(canmem_canister *c) {
  if (c->code && c->low_status == LOW_READY) {
    canmem_outcome ignored;
    run_low_memory_hook(c, &ignored);
  }
}

/* ---- The table's functions ---- */

static canmem_canister *create(const canmem_profile *profile, char *error,
                               uint64_t error_size) {
  if (!profile || profile->struct_size < sizeof *profile) {
    if (error && error_size)
      snprintf(error, (size_t)error_size, "profile missing or too small");
    return NULL;
  }
  canmem_canister *c = calloc(1, sizeof *c);
  if (!c) {
    if (error && error_size)
      snprintf(error, (size_t)error_size, "out of host memory");
    return NULL;
  }
  c->profile = *profile;
  c->wasm_memory_limit = profile->wasm_memory_limit;
  c->wasm_memory_threshold = profile->wasm_memory_threshold;
  cmw_stable_init(&c->stable);
  return c;
}

static void destroy(canmem_canister *c) {
  if (!c)
    return;
  code_free(c->code);
  cmw_journal_free(&c->journal);
  cmw_stable_free(&c->stable);
  cmw_buf_free(&c->certified);
  cmw_buf_free(&c->payload);
  cmw_call *call;
  while ((call = c->calls.head)) {
    c->calls.head = call->next;
    if (--call->context->outstanding == 0)
      free(call->context);
    cmw_call_free(call);
  }
  cmw_snapshot_list_free(&c->snapshots);
  cmw_log_free(&c->log);
  free(c);
}

#define REFUSE(category, ...)                                               \
  finish(out, CANMEM_OUTCOME_INSTALL_REJECTED, CANMEM_REJECT_CANISTER_ERROR, \
         category, __VA_ARGS__)

/* install and reinstall: the new instance and a fresh stable memory are
 * built beside the old state and swapped in only on success (TXN-4). */
static int32_t install(canmem_canister *c, const canmem_install *req,
                       canmem_outcome *out) {
  if (req->mode == CANMEM_MODE_INSTALL && c->code)
    return REFUSE(CANMEM_CAT_CANISTER_NOT_EMPTY, "the canister is not empty");
  int32_t rc;
  code *k = code_load(c, req, out, &rc);
  if (!k)
    return rc;
  cmw_stable fresh;
  cmw_stable_init(&fresh);
  cmw_exec x;
  uint64_t time = next_time(c);
  uint64_t first_log = c->log.next_idx;
  int trap = code_instantiate(c, k);
  if (trap) {
    code_free(k);
    return REFUSE(trap == CMW_TRAP_HOST_OOM ? CANMEM_CAT_OUT_OF_MEMORY
                                            : CANMEM_CAT_INSTANTIATION_FAILED,
                  "instantiation failed: %s", trap_text(trap, NULL));
  }
  exec_init(c, &x, CMW_CTX_START, &fresh, time);
  x.version = c->version + 1;
  const char *step = "(start)";
  trap = run(c, k, &x, -1);
  const cmw_method *init =
      find_method(k, CMW_METHOD_SYSTEM, "canister_init");
  if (!trap && init) {
    cmw_buf certified = x.certified;
    int certified_set = x.certified_set;
    memset(&x.certified, 0, sizeof x.certified);
    exec_free(&x);
    exec_init(c, &x, CMW_CTX_INIT, &fresh, time);
    x.version = c->version + 1;
    x.timer = 0;
    x.certified = certified;
    x.certified_set = certified_set;
    x.arg = req->arg;
    x.arg_size = req->arg_size;
    step = "canister_init";
    trap = run(c, k, &x, (int)init->slot);
  }
  if (trap) {
    int32_t r = REFUSE(trap_category(trap, &x), "%s trapped: %s", step,
                       trap_text(trap, &x));
    exec_free(&x);
    code_free(k);
    cmw_stable_free(&fresh);
    return r;
  }
  /* a new instance starts from an empty heap: all of it is growth */
  if (over_limit(c, 0, heap_bytes(k))) {
    int32_t r = REFUSE(CANMEM_CAT_WASM_MEMORY_LIMIT,
                       "the heap (%llu bytes) exceeds wasm_memory_limit",
                       (unsigned long long)heap_bytes(k));
    exec_free(&x);
    code_free(k);
    cmw_stable_free(&fresh);
    return r;
  }
  code_free(c->code);
  c->code = k;
  cmw_stable_free(&c->stable);
  c->stable = fresh;
  cmw_log_drop_before(&c->log, first_log); /* the old code's records go */
  cmw_buf_free(&c->certified); /* EDGE-CERTDATA-INSTALL */
  c->timer = 0;
  apply_effects(c, &x);
  exec_free(&x);
  c->version++;
  c->low_status = LOW_NOT_SATISFIED;
  low_memory_update(c);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                CANMEM_CAT_NONE, "installed");
}

/* Swaps the byte blocks of two memories. Every memory reserves the same
 * address space (w2c_rt.c), so either block fits either memory. */
static void swap_blocks(cmw_rt_memory *a, cmw_rt_memory *b) {
  uint8_t *t = a->data;
  a->data = b->data;
  b->data = t;
}

/* The new instance adopts the kept heap (EOP-4, EDGE-KEEP): its memory
 * takes the old heap's block, the old memory the new one's (freed with
 * the old instance when the upgrade commits, swapped back by keep_undo
 * when it fails), and the journal follows the bytes, so the old heap is
 * exactly restored if start or post_upgrade trap. Nothing is copied. */
static uint32_t keep_heap(canmem_canister *c, code *k, cmw_rt_memory *oldm,
                          int *adopted, char *why, size_t why_size) {
  cmw_rt_memory *m = heap_of(k);
  uint32_t pages = oldm ? oldm->pages : 0;
  if (!m) {
    snprintf(why, why_size, "keep: the new module declares no memory");
    return CANMEM_CAT_UPGRADE_OPTION;
  }
  if (k->module.mem_has_max && pages > k->module.mem_max) {
    snprintf(why, why_size,
             "keep: failed to grow the wasm memory to the kept %u pages: "
             "beyond the declared maximum (IC0521, dfinity/ic#10593)",
             pages);
    return CANMEM_CAT_WASM_ENGINE;
  }
  if (pages < m->pages || pages > m->max_pages) {
    snprintf(why, why_size,
             "keep: the kept heap (%u pages) does not fit the new memory's "
             "limits",
             pages);
    return CANMEM_CAT_UPGRADE_OPTION;
  }
  if (oldm) {
    swap_blocks(m, oldm);
    m->pages = pages;
    m->size = oldm->size;
    cmw_journal_move(&c->journal, k->glue, m);
    *adopted = 1;
  }
  if (c->profile.readings & CANMEM_READING_KEEP_REAPPLIES_DATA) {
    const cmw_module *mod = &k->module;
    for (uint32_t i = 0; i < mod->ndata; i++) {
      const cmw_data_segment *d = &mod->data[i];
      if (!d->active || d->memory_index != 0 || !d->offset_known)
        continue;
      uint64_t bytes = (uint64_t)m->pages * CMW_PAGE;
      if (d->offset > bytes || d->size > bytes - d->offset) {
        snprintf(why, why_size, "keep: data segment %u out of bounds", i);
        return CANMEM_CAT_INSTANTIATION_FAILED;
      }
      if (cmw_journal_note(&c->journal, m, d->offset, d->size) != 0) {
        snprintf(why, why_size, "keep: out of host memory");
        return CANMEM_CAT_OUT_OF_MEMORY;
      }
      memcpy(m->data + d->offset, d->bytes, (size_t)d->size);
    }
  }
  return CANMEM_CAT_NONE;
}

/* A failed upgrade gives the kept heap's block back to the old instance
 * (before the new one is freed) and the journal with it. */
static void keep_undo(canmem_canister *c, code *old, code *k) {
  cmw_rt_memory *oldm = heap_of(old), *m = heap_of(k);
  swap_blocks(m, oldm);
  cmw_journal_move(&c->journal, old->glue, oldm);
}

/* upgrade: pre_upgrade on the old instance, a new instance, (start),
 * post_upgrade; atomic as a whole (TXN-5). */
static int32_t upgrade(canmem_canister *c, const canmem_install *req,
                       canmem_outcome *out) {
  const canmem_profile *p = &c->profile;
  if (!c->code)
    return REFUSE(CANMEM_CAT_CANISTER_EMPTY, "the canister is empty");
  if (req->skip_pre_upgrade && !(p->features & CANMEM_FEATURE_SKIP_PRE_UPGRADE))
    return REFUSE(CANMEM_CAT_UNSUPPORTED,
                  "skip_pre_upgrade is not enabled by the profile");
  uint32_t persistence = req->wasm_memory_persistence;
  if (persistence > CANMEM_PERSISTENCE_REPLACE)
    return finish(out, 0, 0, 0, "bad wasm_memory_persistence"),
           CANMEM_ERR_ARGUMENT;
  if (persistence != CANMEM_PERSISTENCE_ABSENT &&
      !(p->features & CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE))
    return REFUSE(CANMEM_CAT_UNSUPPORTED,
                  "wasm_memory_persistence is not enabled by the profile");
  int32_t rc;
  code *k = code_load(c, req, out, &rc);
  if (!k)
    return rc;
  code *old = c->code;
  if (old->module.eop && persistence == CANMEM_PERSISTENCE_ABSENT) {
    code_free(k);
    return REFUSE(CANMEM_CAT_UPGRADE_OPTION,
                  "the canister uses enhanced orthogonal persistence: "
                  "wasm_memory_persistence must be given (EOP-2)");
  }
  if (persistence == CANMEM_PERSISTENCE_KEEP && !k->module.eop) {
    code_free(k);
    return REFUSE(CANMEM_CAT_UPGRADE_OPTION,
                  "keep needs the new module to declare enhanced orthogonal "
                  "persistence (EOP-3)");
  }
  uint64_t time = next_time(c);
  snapshot snap;
  if (snapshot_take(old, &c->journal, &snap) != 0) {
    code_free(k);
    return REFUSE(CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  }
  cmw_stable_begin(&c->stable);
  uint32_t category = CANMEM_CAT_NONE;
  int adopted = 0; /* the new instance holds the old heap's block */
  char why[400] = "";
  cmw_exec pre, x;
  exec_init(c, &pre, CMW_CTX_PRE_UPGRADE, &c->stable, time);
  exec_init(c, &x, CMW_CTX_START, &c->stable, time);
  const cmw_method *pre_method =
      find_method(old, CMW_METHOD_SYSTEM, "canister_pre_upgrade");
  if (pre_method && !req->skip_pre_upgrade) {
    int trap = run(c, old, &pre, (int)pre_method->slot);
    if (trap) {
      category = trap_category(trap, &pre);
      snprintf(why, sizeof why, "canister_pre_upgrade trapped: %s",
               trap_text(trap, &pre));
      goto fail;
    }
  }
  int trap = code_instantiate(c, k);
  if (trap) {
    category = trap == CMW_TRAP_HOST_OOM ? CANMEM_CAT_OUT_OF_MEMORY
                                         : CANMEM_CAT_INSTANTIATION_FAILED;
    snprintf(why, sizeof why, "instantiation failed: %s",
             trap_text(trap, NULL));
    goto fail;
  }
  if (persistence == CANMEM_PERSISTENCE_KEEP) {
    category = keep_heap(c, k, heap_of(old), &adopted, why, sizeof why);
    if (category != CANMEM_CAT_NONE)
      goto fail;
  }
  x.version = c->version + 1;
  x.timer = 0;
  trap = run(c, k, &x, -1);
  const char *step = "(start)";
  const cmw_method *post =
      find_method(k, CMW_METHOD_SYSTEM, "canister_post_upgrade");
  if (!trap && post) {
    cmw_buf certified = x.certified;
    int certified_set = x.certified_set;
    memset(&x.certified, 0, sizeof x.certified);
    exec_free(&x);
    exec_init(c, &x, CMW_CTX_INIT, &c->stable, time);
    x.version = c->version + 1;
    x.timer = 0;
    x.certified = certified;
    x.certified_set = certified_set;
    x.arg = req->arg;
    x.arg_size = req->arg_size;
    step = "canister_post_upgrade";
    trap = run(c, k, &x, (int)post->slot);
  }
  if (trap) {
    category = trap_category(trap, &x);
    snprintf(why, sizeof why, "%s trapped: %s", step, trap_text(trap, &x));
    goto fail;
  }
  /* a new instance starts from an empty heap: all of it is growth */
  if (over_limit(c, 0, heap_bytes(k))) {
    category = CANMEM_CAT_WASM_MEMORY_LIMIT;
    snprintf(why, sizeof why, "the heap (%llu bytes) exceeds "
                              "wasm_memory_limit",
             (unsigned long long)heap_bytes(k));
    goto fail;
  }
  /* commit: UPG-2/3 */
  snapshot_drop(old, &snap);
  cmw_stable_commit(&c->stable);
  code_free(old);
  c->code = k;
  c->timer = 0;
  if (pre.certified_set) {
    cmw_buf_free(&c->certified);
    c->certified = pre.certified;
    memset(&pre.certified, 0, sizeof pre.certified);
  }
  /* the timer is post_upgrade's or 0; pre_upgrade's is lost (UPG-3) */
  apply_effects(c, &x);
  exec_free(&pre);
  exec_free(&x);
  c->version++;
  /* LOW-3: the status survives an upgrade; only a false condition resets it */
  low_memory_update(c);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                CANMEM_CAT_NONE, "upgraded");
fail:
  exec_free(&pre);
  exec_free(&x);
  if (adopted)
    keep_undo(c, old, k);
  code_free(k);
  snapshot_restore(old, &snap);
  cmw_stable_rollback(&c->stable);
  return REFUSE(category, "%s", why);
}

/* UNI-1; snapshots stay (EDGE-UNINSTALL-SNAP). */
static void uninstall(canmem_canister *c) {
  /* every call context is deleted: its callbacks never run (those that
   * needed a response were rejected) */
  for (cmw_call *call = c->calls.head; call; call = call->next)
    call->context->deleted = 1;
  code_free(c->code);
  c->code = NULL;
  cmw_stable_free(&c->stable);
  cmw_stable_init(&c->stable);
  cmw_buf_free(&c->certified);
  cmw_log_clear(&c->log);
  c->timer = 0;
  c->version++;
  c->low_status = LOW_NOT_SATISFIED;
}

static int32_t install_code(canmem_canister *c, const canmem_install *req,
                            canmem_outcome *out) {
  if (!c || !req || !out || req->struct_size < sizeof *req)
    return CANMEM_ERR_ARGUMENT;
  switch (req->mode) {
  case CANMEM_MODE_INSTALL:
  case CANMEM_MODE_REINSTALL:
    return install(c, req, out);
  case CANMEM_MODE_UPGRADE:
    return upgrade(c, req, out);
  case CANMEM_MODE_UNINSTALL:
    uninstall(c);
    return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                  CANMEM_CAT_NONE, "uninstalled");
  default:
    finish(out, 0, 0, 0, "unknown install mode %u", req->mode);
    return CANMEM_ERR_ARGUMENT;
  }
}

static int32_t method_not_found(canmem_outcome *out, const char *what,
                                const char *method) {
  return finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_DESTINATION_INVALID,
                CANMEM_CAT_METHOD_NOT_FOUND, "no %s method '%s'", what,
                method);
}

static int32_t system_task(canmem_canister *c, const char *method,
                           canmem_outcome *out) {
  const canmem_profile *p = &c->profile;
  if (strcmp(method, "canister_on_low_wasm_memory") == 0) {
    if (!(p->features & CANMEM_FEATURE_LOW_MEMORY_HOOK))
      return finish(out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_DESTINATION_INVALID, CANMEM_CAT_UNSUPPORTED,
                    "the profile has no low-memory hook");
    if (c->low_status != LOW_READY)
      return finish(out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_DESTINATION_INVALID,
                    CANMEM_CAT_TASK_NOT_SCHEDULED,
                    "canister_on_low_wasm_memory is not scheduled");
    return run_low_memory_hook(c, out);
  }
  int timer = strcmp(method, "canister_global_timer") == 0;
  if (!timer && strcmp(method, "canister_heartbeat") != 0)
    return method_not_found(out, "system task", method);
  run_scheduled_hook(c);
  const cmw_method *task = find_method(c->code, CMW_METHOD_SYSTEM, method);
  if (!task)
    return method_not_found(out, "system task", method);
  if (timer) {
    if (c->timer == 0)
      return finish(out, CANMEM_OUTCOME_REJECT,
                    CANMEM_REJECT_DESTINATION_INVALID,
                    CANMEM_CAT_TASK_NOT_SCHEDULED,
                    "the global timer is not set");
    c->timer = 0; /* EDGE-TIMER-TRAP */
  }
  message msg = {CMW_CTX_TASK, 1,
                 (p->readings & CANMEM_READING_LIMIT_IN_TIMERS) != 0};
  return execute(c, &msg, task, NULL, NULL, 0, out);
}

static int32_t call(canmem_canister *c, uint32_t kind, const char *method,
                    const uint8_t *arg, uint64_t arg_size,
                    canmem_outcome *out) {
  if (!c || !method || !out || (!arg && arg_size))
    return CANMEM_ERR_ARGUMENT;
  if (kind < CANMEM_CALL_UPDATE || kind > CANMEM_CALL_INSPECT_MESSAGE) {
    finish(out, 0, 0, 0, "unknown call kind %u", kind);
    return CANMEM_ERR_ARGUMENT;
  }
  if (!c->code)
    return finish(out, CANMEM_OUTCOME_REJECT,
                  CANMEM_REJECT_DESTINATION_INVALID, CANMEM_CAT_CANISTER_EMPTY,
                  "the canister is empty");
  code *k = c->code;
  const cmw_method *m;
  message msg = {0, 0, 0};
  switch (kind) {
  case CANMEM_CALL_UPDATE:
    run_scheduled_hook(c);
    if ((m = find_method(k, CMW_METHOD_UPDATE, method))) {
      /* EDGE-WMLIMIT, the replica's reading: already over the limit, the
       * update fails before it runs */
      if ((c->profile.readings & CANMEM_READING_LIMIT_CHECKED_AT_START) &&
          (c->profile.features & CANMEM_FEATURE_WASM_MEMORY_LIMIT) &&
          c->wasm_memory_limit && heap_bytes(k) > c->wasm_memory_limit)
        return finish(out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                      CANMEM_CAT_WASM_MEMORY_LIMIT,
                      "the heap is already over wasm_memory_limit");
      msg = (message){CMW_CTX_UPDATE, 1, 1};
    } else if ((m = find_method(k, CMW_METHOD_QUERY, method))) {
      msg = (message){CMW_CTX_RQ, 0, 0};
    } else {
      return method_not_found(out, "update", method);
    }
    return execute(c, &msg, m, NULL, arg, arg_size, out);
  case CANMEM_CALL_QUERY:
    if ((m = find_method(k, CMW_METHOD_QUERY, method)))
      msg = (message){CMW_CTX_NRQ, 0, 0};
    else if ((m = find_method(k, CMW_METHOD_COMPOSITE, method)))
      msg = (message){CMW_CTX_CQ, 0, 0};
    else
      return method_not_found(out, "query", method);
    return execute(c, &msg, m, NULL, arg, arg_size, out);
  case CANMEM_CALL_REPLICATED_QUERY:
    run_scheduled_hook(c);
    if (!(m = find_method(k, CMW_METHOD_QUERY, method)))
      return method_not_found(out, "query", method);
    msg = (message){CMW_CTX_RQ, 0, 0};
    return execute(c, &msg, m, NULL, arg, arg_size, out);
  case CANMEM_CALL_SYSTEM_TASK:
    return system_task(c, method, out);
  default: /* CANMEM_CALL_INSPECT_MESSAGE */
    /* No check of the method itself: an ingress update may name a query
     * (it then runs replicated), and the formal inspect_message step runs
     * the hook whatever the name, as the replica does. */
    if (!(m = find_method(k, CMW_METHOD_SYSTEM, "canister_inspect_message")))
      return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE, "no canister_inspect_message: accepted");
    msg = (message){CMW_CTX_INSPECT, 0, 0};
    return execute(c, &msg, m, method, arg, arg_size, out);
  }
}

static int32_t update_settings(canmem_canister *c, const canmem_settings *s,
                               canmem_outcome *out) {
  if (!c || !s || !out || s->struct_size < sizeof *s)
    return CANMEM_ERR_ARGUMENT;
  const canmem_profile *p = &c->profile;
  if ((s->fields & CANMEM_SETTING_WASM_MEMORY_LIMIT) &&
      !(p->features & CANMEM_FEATURE_WASM_MEMORY_LIMIT))
    return finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_UNSUPPORTED,
                  "wasm_memory_limit is not enabled by the profile");
  if ((s->fields & CANMEM_SETTING_WASM_MEMORY_THRESHOLD) &&
      !(p->features & CANMEM_FEATURE_LOW_MEMORY_HOOK))
    return finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_UNSUPPORTED,
                  "wasm_memory_threshold is not enabled by the profile");
  if ((s->fields & CANMEM_SETTING_WASM_MEMORY_THRESHOLD) &&
      s->wasm_memory_threshold > p->max_wasm_memory_threshold)
    return finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                  CANMEM_CAT_INVALID_SETTINGS,
                  "wasm_memory_threshold above the maximum");
  if (s->fields & CANMEM_SETTING_WASM_MEMORY_LIMIT) {
    uint64_t limit = s->wasm_memory_limit;
    if (limit > p->max_wasm_memory_limit)
      return finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                    CANMEM_CAT_INVALID_SETTINGS,
                    "wasm_memory_limit above the maximum");
    if (limit && limit < heap_bytes(c->code)) /* HEAP-6 */
      return finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR,
                    CANMEM_CAT_INVALID_SETTINGS,
                    "wasm_memory_limit below the current heap");
    c->wasm_memory_limit = limit;
  }
  if (s->fields & CANMEM_SETTING_WASM_MEMORY_THRESHOLD)
    c->wasm_memory_threshold = s->wasm_memory_threshold;
  c->version++;
  low_memory_update(c);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,
                CANMEM_CAT_NONE, "settings updated");
}

static int32_t probe_stable_size(canmem_canister *c, uint64_t *pages) {
  if (!c || !pages)
    return CANMEM_ERR_ARGUMENT;
  *pages = c->stable.pages;
  return CANMEM_OK;
}

static int32_t probe_heap_size(canmem_canister *c, uint64_t *pages) {
  if (!c || !pages)
    return CANMEM_ERR_ARGUMENT;
  *pages = heap_bytes(c->code) / CMW_PAGE;
  return CANMEM_OK;
}

static int32_t probe_read_stable(canmem_canister *c, uint64_t offset,
                                 uint8_t *dst, uint64_t size) {
  if (!c || (!dst && size) || offset > c->stable.pages * CMW_PAGE ||
      size > c->stable.pages * CMW_PAGE - offset)
    return CANMEM_ERR_ARGUMENT;
  if (size)
    cmw_stable_read(&c->stable, offset, dst, size);
  return CANMEM_OK;
}

static int32_t probe_read_heap(canmem_canister *c, uint64_t offset,
                               uint8_t *dst, uint64_t size) {
  uint64_t bytes = c ? heap_bytes(c->code) : 0;
  if (!c || (!dst && size) || offset > bytes || size > bytes - offset)
    return CANMEM_ERR_ARGUMENT;
  if (size)
    memcpy(dst, heap_of(c->code)->data + offset, (size_t)size);
  return CANMEM_OK;
}

/* ---- Calls: responses and callbacks ---- */

static int32_t outgoing_calls(canmem_canister *c, canmem_outgoing_call *calls,
                              uint64_t max, uint64_t *count) {
  if (!c || !count || (!calls && max))
    return CANMEM_ERR_ARGUMENT;
  uint64_t n = 0;
  for (const cmw_call *call = c->calls.head; call; call = call->next, n++) {
    if (n >= max)
      continue;
    canmem_outgoing_call *o = &calls[n];
    if (o->struct_size < sizeof *o)
      return CANMEM_ERR_ARGUMENT;
    o->flags = call->flags;
    o->id = call->id;
    o->callee = call->callee.data;
    o->callee_size = call->callee.size;
    o->method = call->method.data;
    o->method_size = call->method.size;
    o->payload = call->payload.data;
    o->payload_size = call->payload.size;
    o->cycles_high = call->cycles_high;
    o->cycles_low = call->cycles_low;
    o->timeout_seconds = call->timeout_seconds;
    o->reserved = 0;
  }
  *count = n;
  return CANMEM_OK;
}

/* A callback (reply, reject or cleanup) as a transaction of its own: 0,
 * or the trap code after its changes were rolled back. The heap limit
 * does not apply to callbacks (management canister, wasm_memory_limit). */
static int run_closure(canmem_canister *c, cmw_exec *x, cmw_closure f) {
  code *k = c->code;
  snapshot snap;
  if (snapshot_take(k, &c->journal, &snap) != 0) {
    x->trap_category = CANMEM_CAT_OUT_OF_MEMORY;
    snprintf(x->trap_message, sizeof x->trap_message, "out of host memory");
    return CMW_TRAP_HOST_OOM;
  }
  cmw_stable_begin(&c->stable);
  k->host.current = x;
  x->heap = heap_of(k);
  int rc = k->glue->call_entry(k->inst, f.fun, f.env);
  k->host.current = NULL;
  if (rc < CMW_ENTRY_TABLE_OOB || rc > CMW_ENTRY_TYPE)
    keep_logs(c, x, rc); /* a callback that never ran logs nothing */
  if (rc) {
    snapshot_restore(k, &snap);
    cmw_stable_rollback(&c->stable);
  } else {
    snapshot_drop(k, &snap);
    cmw_stable_commit(&c->stable);
    apply_effects(c, x);
    c->version++;
    commit_calls(c, x, x->call_context);
  }
  low_memory_update(c);
  return rc;
}

/* The reply or reject callback of call, then its cleanup callback if it
 * trapped; fills out with what the call context sees. */
static int32_t run_callbacks(canmem_canister *c, const cmw_call *call,
                             const canmem_response *r, canmem_outcome *out) {
  cmw_context *context = call->context;
  int reply = r->kind == CANMEM_RESPONSE_REPLY;
  cmw_exec x;
  exec_init(c, &x, reply ? CMW_CTX_RY : CMW_CTX_RT, &c->stable,
            next_time(c));
  x.call_context = context;
  if (reply) {
    x.arg = r->payload;
    x.arg_size = r->payload_size;
  } else {
    x.reject_code = r->reject_code;
    x.reject_msg = r->payload;
    x.reject_msg_size = r->payload_size;
  }
  int trap = run_closure(c, &x, reply ? call->reply : call->reject);
  int32_t result;
  if (trap) {
    char cleanup[200] = "";
    if (call->flags & CANMEM_CALL_FLAG_CLEANUP) {
      cmw_exec cx;
      exec_init(c, &cx, CMW_CTX_CLEANUP, &c->stable, next_time(c));
      cx.call_context = context;
      cx.reject_code = x.reject_code;
      int ctrap = run_closure(c, &cx, call->cleanup);
      snprintf(cleanup, sizeof cleanup, "; the cleanup callback %s%s",
               ctrap ? "trapped: " : "ran",
               ctrap ? trap_text(ctrap, &cx) : "");
      exec_free(&cx);
    }
    result = finish(out, CANMEM_OUTCOME_TRAP, CANMEM_REJECT_CANISTER_ERROR,
                    trap_category(trap, &x), "the %s callback trapped: %s%s",
                    reply ? "reply" : "reject", trap_text(trap, &x),
                    cleanup);
    if (context->outstanding == 0)
      context->responded = 1; /* rejected with CANISTER_ERROR if due */
  } else if (x.response == CMW_RESPONSE_REPLY) {
    context->responded = 1;
    finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
           "replied from a callback");
    result = with_payload(c, out, &x.reply);
  } else if (x.response == CMW_RESPONSE_REJECT) {
    context->responded = 1;
    finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_REJECT,
           CANMEM_CAT_NONE, "rejected from a callback");
    result = with_payload(c, out, &x.reject);
  } else if (context->responded || !context->needs_response) {
    result = finish(out, CANMEM_OUTCOME_RETURNED, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE, "the callback returned; no response is "
                                     "due");
  } else if (context->outstanding > 0) {
    result = finish(out, CANMEM_OUTCOME_PENDING, CANMEM_REJECT_NONE,
                    CANMEM_CAT_NONE,
                    "the callback returned; %u calls outstanding",
                    context->outstanding);
  } else {
    context->responded = 1;
    result = finish(out, CANMEM_OUTCOME_NO_REPLY,
                    CANMEM_REJECT_CANISTER_ERROR, CANMEM_CAT_NONE,
                    "no outstanding calls and no response: the call "
                    "context is rejected");
  }
  exec_free(&x);
  return result;
}

static int32_t respond(canmem_canister *c, uint64_t call_id,
                       const canmem_response *r, canmem_outcome *out) {
  if (!c || !r || !out || r->struct_size < sizeof *r ||
      (!r->payload && r->payload_size))
    return CANMEM_ERR_ARGUMENT;
  if (r->kind != CANMEM_RESPONSE_REPLY &&
      (r->kind != CANMEM_RESPONSE_REJECT || r->reject_code < 1 ||
       r->reject_code > CANMEM_REJECT_SYS_UNKNOWN)) {
    finish(out, 0, 0, 0, "bad response kind %u or reject code %u", r->kind,
           r->reject_code);
    return CANMEM_ERR_ARGUMENT;
  }
  const cmw_call *found = c->calls.head;
  while (found && found->id != call_id)
    found = found->next;
  if (!found) {
    finish(out, 0, 0, 0, "no outstanding call %llu",
           (unsigned long long)call_id);
    return CANMEM_ERR_ARGUMENT;
  }
  if (r->kind == CANMEM_RESPONSE_REJECT &&
      r->reject_code == CANMEM_REJECT_SYS_UNKNOWN &&
      !(found->flags & CANMEM_CALL_FLAG_BEST_EFFORT)) {
    finish(out, 0, 0, 0, "SYS_UNKNOWN answers only best-effort calls");
    return CANMEM_ERR_ARGUMENT;
  }
  cmw_call *call = cmw_call_list_take(&c->calls, call_id);
  cmw_context *context = call->context;
  context->outstanding--;
  int32_t result;
  if (context->deleted || !c->code) {
    result = finish(out, CANMEM_OUTCOME_RETURNED, CANMEM_REJECT_NONE,
                    CANMEM_CAT_CALL_CONTEXT_DELETED,
                    "the call context was deleted by uninstall_code: the "
                    "callback does not run");
  } else {
    /* LOW-7 (since 0.62.0): a response callback may run while the hook
     * is ready; the hook waits for the next message */
    result = run_callbacks(c, call, r, out);
  }
  if (context->outstanding == 0)
    free(context);
  cmw_call_free(call);
  return result;
}

/* ---- Snapshots: capture and load (snapshot.c keeps the store) ---- */

#define SNAPSHOT_REFUSE(category, ...)                                         \
  finish(out, CANMEM_OUTCOME_REJECT, CANMEM_REJECT_CANISTER_ERROR, category,   \
         __VA_ARGS__)

/* SNAP-4: which snapshot methods the profile's generation has; 0 when it
 * has every feature given, else the refusal is in out. */
static int lacks(canmem_canister *c, uint64_t features, const char *what,
                 canmem_outcome *out) {
  if ((c->profile.features & features) == features)
    return 0;
  SNAPSHOT_REFUSE(CANMEM_CAT_UNSUPPORTED, "profile %s does not have %s",
                  c->profile.name, what);
  return 1;
}

static const struct {
  uint8_t wasm;
  uint32_t abi;
  uint32_t bytes;
} global_kinds[] = {
    {0x7f, CANMEM_GLOBAL_I32, 4},   {0x7e, CANMEM_GLOBAL_I64, 8},
    {0x7d, CANMEM_GLOBAL_F32, 4},   {0x7c, CANMEM_GLOBAL_F64, 8},
    {0x7b, CANMEM_GLOBAL_V128, 16},
};

/* The ABI type and byte size of a number-typed wasm global. */
#define SNAPSHOT_DATA (CANMEM_FEATURE_SNAPSHOTS | CANMEM_FEATURE_SNAPSHOT_DATA)

static uint32_t global_kind(uint8_t wasm_type, uint32_t *bytes) {
  for (size_t i = 0; i < sizeof global_kinds / sizeof global_kinds[0]; i++)
    if (global_kinds[i].wasm == wasm_type) {
      *bytes = global_kinds[i].bytes;
      return global_kinds[i].abi;
    }
  *bytes = 0;
  return 0;
}

/* The wasm index of the k-th snapshot global of the module. */
static uint32_t snapshot_global_index(const cmw_module *m, uint32_t k) {
  for (uint32_t i = 0, n = 0; i < m->nglobals; i++)
    if (cmw_module_snapshot_global(m, i) && n++ == k)
      return i;
  return UINT32_MAX;
}

static uint64_t now_ns(const canmem_canister *c) {
  return c->profile.time_start_ns + c->executions * c->profile.time_step_ns;
}

static uint32_t hook_status_of(int low_status) {
  switch (low_status) {
  case LOW_READY: return CANMEM_HOOK_READY;
  case LOW_EXECUTED: return CANMEM_HOOK_EXECUTED;
  default: return CANMEM_HOOK_CONDITION_NOT_SATISFIED;
  }
}

/* A snapshot of the canister as it is (between messages). */
static cmw_snapshot *capture(canmem_canister *c) {
  code *k = c->code;
  cmw_snapshot *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->source = CANMEM_SNAPSHOT_SOURCE_TAKEN;
  s->taken_at_ns = now_ns(c);
  s->canister_version = c->version;
  cmw_rt_memory *m = heap_of(k);
  uint64_t stable_bytes = c->stable.pages * CMW_PAGE;
  const cmw_module *mod = &k->module;
  s->nglobals = cmw_module_snapshot_globals(mod);
  if (cmw_buf_append(&s->module, k->wasm.data, k->wasm.size) ||
      (m && cmw_buf_append(&s->heap, m->data, (size_t)heap_bytes(k))) ||
      cmw_buf_zeroed(&s->stable, stable_bytes) ||
      cmw_buf_append(&s->certified, c->certified.data, c->certified.size) ||
      (s->nglobals &&
       !(s->globals = calloc((size_t)s->nglobals, sizeof *s->globals)))) {
    cmw_snapshot_free(s);
    return NULL;
  }
  if (stable_bytes)
    cmw_stable_read(&c->stable, 0, s->stable.data, stable_bytes);
  for (uint32_t g = 0; g < s->nglobals; g++) {
    uint32_t bytes;
    uint8_t value[16] = {0};
    s->globals[g].type =
        global_kind(mod->global_types[snapshot_global_index(mod, g)], &bytes);
    memcpy(value, k->glue->global(k->inst, g), bytes);
    memcpy(&s->globals[g].bits, value, 8);
    memcpy(&s->globals[g].bits_hi, value + 8, 8);
  }
  s->timer_state =
      c->timer ? CANMEM_SNAPSHOT_TIMER_ACTIVE : CANMEM_SNAPSHOT_TIMER_INACTIVE;
  s->timer_ns = c->timer;
  s->hook_status = hook_status_of(c->low_status);
  return s;
}

static int32_t take_snapshot(canmem_canister *c,
                             const canmem_snapshot_take *req,
                             uint64_t *snapshot_id, canmem_outcome *out) {
  if (!c || !req || !snapshot_id || !out || req->struct_size < sizeof *req ||
      (req->flags & ~(uint32_t)CANMEM_SNAPSHOT_TAKE_UNINSTALL))
    return CANMEM_ERR_ARGUMENT;
  *snapshot_id = 0;
  if (lacks(c, CANMEM_FEATURE_SNAPSHOTS, "snapshots (0.28.0)", out) ||
      ((req->flags & CANMEM_SNAPSHOT_TAKE_UNINSTALL) &&
       lacks(c, CANMEM_FEATURE_SNAPSHOT_UNINSTALL,
             "take_canister_snapshot's uninstall_code (0.54.0)", out)))
    return CANMEM_OK;
  if (!c->code)
    return SNAPSHOT_REFUSE(CANMEM_CAT_CANISTER_EMPTY, "the canister is empty");
  uint64_t replace = req->replace_snapshot;
  if (replace && !cmw_snapshot_find(&c->snapshots, replace))
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_FOUND,
                           "no snapshot %llu to replace",
                           (unsigned long long)replace);
  if (!replace && c->snapshots.count >= c->profile.max_snapshots)
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_LIMIT,
                           "the canister has %llu snapshots already",
                           (unsigned long long)c->snapshots.count);
  cmw_snapshot *s = capture(c);
  if (!s)
    return SNAPSHOT_REFUSE(CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  if (replace) /* deleted once the new one exists */
    cmw_snapshot_remove(&c->snapshots, replace);
  s->id = ++c->last_snapshot_id;
  cmw_snapshot_add(&c->snapshots, s);
  *snapshot_id = s->id;
  if (req->flags & CANMEM_SNAPSHOT_TAKE_UNINSTALL) /* atomically (0.54.0) */
    uninstall(c);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "snapshot %llu taken", (unsigned long long)s->id);
}

/* The snapshot's heap into the fresh instance k: 0, or a category.
 * EDGE-SNAPSHOT-SIZES: sizes no canister can have are refused. */
static uint32_t load_heap(canmem_canister *c, code *k, const cmw_snapshot *s,
                          char *why, size_t why_size) {
  cmw_rt_memory *m = heap_of(k);
  uint64_t bytes = s->heap.size, now = m ? m->pages : 0;
  uint64_t pages = bytes / CMW_PAGE;
  if (bytes % CMW_PAGE || s->stable.size % CMW_PAGE) {
    snprintf(why, why_size,
             "heap of %llu and stable memory of %llu bytes: not whole "
             "64 KiB pages",
             (unsigned long long)bytes, (unsigned long long)s->stable.size);
    return CANMEM_CAT_SNAPSHOT_SIZES;
  }
  if ((!m && pages) || pages < now ||
      s->stable.size / CMW_PAGE > c->profile.max_stable_bytes / CMW_PAGE) {
    snprintf(why, why_size,
             "a heap of %llu pages (the module's memory has %llu) or stable "
             "memory of %llu bytes no canister can have",
             (unsigned long long)pages, (unsigned long long)now,
             (unsigned long long)s->stable.size);
    return CANMEM_CAT_SNAPSHOT_SIZES;
  }
  if (!m)
    return CANMEM_CAT_NONE;
  if ((k->module.mem_has_max && pages > k->module.mem_max) ||
      pages > m->max_pages ||
      (pages > now &&
       k->glue->grow_memory(m, (uint32_t)(pages - now)) == UINT32_MAX)) {
    snprintf(why, why_size,
             "a heap of %llu pages exceeds the module's declared maximum "
             "(IC0521, dfinity/ic#10593)",
             (unsigned long long)pages);
    return CANMEM_CAT_WASM_ENGINE;
  }
  if (bytes)
    memcpy(m->data, s->heap.data, (size_t)bytes);
  return CANMEM_CAT_NONE;
}

/* The snapshot's globals into k (SNAP-2: their number and types must be
 * the module's): 0, or a category. */
static uint32_t load_globals(code *k, const cmw_snapshot *s, char *why,
                             size_t why_size) {
  const cmw_module *mod = &k->module;
  uint32_t n = cmw_module_snapshot_globals(mod);
  if (s->nglobals != n) {
    snprintf(why, why_size, "the snapshot has %llu globals, the module %u",
             (unsigned long long)s->nglobals, n);
    return CANMEM_CAT_SNAPSHOT_GLOBALS;
  }
  for (uint32_t g = 0; g < n; g++) {
    uint32_t bytes;
    uint32_t type =
        global_kind(mod->global_types[snapshot_global_index(mod, g)], &bytes);
    if (s->globals[g].type != type) {
      snprintf(why, why_size,
               "global %u: the snapshot's type %u is not "
               "the module's %u",
               g, s->globals[g].type, type);
      return CANMEM_CAT_SNAPSHOT_GLOBALS;
    }
  }
  for (uint32_t g = 0; g < n; g++) {
    uint8_t value[16];
    uint32_t bytes;
    global_kind(mod->global_types[snapshot_global_index(mod, g)], &bytes);
    memcpy(value, &s->globals[g].bits, 8);
    memcpy(value + 8, &s->globals[g].bits_hi, 8);
    memcpy(k->glue->global(k->inst, g), value, bytes);
  }
  return CANMEM_CAT_NONE;
}

/* load_canister_snapshot: module, heap, globals, stable memory, certified
 * data, timer and hook status become the snapshot's, all or nothing. */
static int32_t load_snapshot(canmem_canister *c, canmem_canister *source,
                             uint64_t snapshot_id, canmem_outcome *out) {
  if (!c || !out)
    return CANMEM_ERR_ARGUMENT;
  if (lacks(c, CANMEM_FEATURE_SNAPSHOTS, "snapshots (0.28.0)", out) ||
      (source && source != c &&
       lacks(c, CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER,
             "loading another canister's snapshot (0.50.0)", out)))
    return CANMEM_OK;
  const cmw_snapshot *s =
      cmw_snapshot_find(&(source ? source : c)->snapshots, snapshot_id);
  if (!s)
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_FOUND, "no snapshot %llu",
                           (unsigned long long)snapshot_id);
  canmem_install req;
  memset(&req, 0, sizeof req);
  req.struct_size = sizeof req;
  req.mode = CANMEM_MODE_INSTALL;
  req.wasm = s->module.data ? s->module.data : (const uint8_t *)"";
  req.wasm_size = s->module.size;
  int32_t rc;
  code *k = code_load(c, &req, out, &rc);
  if (!k) {
    if (rc == CANMEM_OK) /* the module is refused: so is the load */
      out->kind = CANMEM_OUTCOME_REJECT;
    return rc;
  }
  char why[300] = "";
  uint32_t category = CANMEM_CAT_NONE;
  int trap = code_instantiate(c, k);
  if (trap) {
    category = trap == CMW_TRAP_HOST_OOM ? CANMEM_CAT_OUT_OF_MEMORY
                                         : CANMEM_CAT_INSTANTIATION_FAILED;
    snprintf(why, sizeof why, "instantiation failed: %s",
             trap_text(trap, NULL));
  }
  if (category == CANMEM_CAT_NONE)
    category = load_heap(c, k, s, why, sizeof why);
  if (category == CANMEM_CAT_NONE)
    category = load_globals(k, s, why, sizeof why);
  /* dfinity/ic#5556: an uploaded hook status must agree with the
   * condition for the snapshot's heap */
  if (category == CANMEM_CAT_NONE &&
      s->source == CANMEM_SNAPSHOT_SOURCE_UPLOADED && s->hook_status &&
      (c->profile.features & CANMEM_FEATURE_LOW_MEMORY_HOOK) &&
      low_memory_condition(c, s->heap.size) !=
          (s->hook_status != CANMEM_HOOK_CONDITION_NOT_SATISFIED)) {
    category = CANMEM_CAT_SNAPSHOT_HOOK_STATUS;
    snprintf(why, sizeof why,
             "the uploaded hook status %u contradicts the hook's condition "
             "for this heap (dfinity/ic#5556)",
             s->hook_status);
  }
  cmw_stable fresh;
  cmw_stable_init(&fresh);
  uint64_t stable_pages = (s->stable.size + CMW_PAGE - 1) / CMW_PAGE;
  if (category == CANMEM_CAT_NONE &&
      ((stable_pages && cmw_stable_grow(&fresh, stable_pages)) ||
       (s->stable.size &&
        cmw_stable_write(&fresh, 0, s->stable.data, s->stable.size)))) {
    category = CANMEM_CAT_OUT_OF_MEMORY;
    snprintf(why, sizeof why, "out of host memory");
  }
  cmw_buf certified = {0};
  if (category == CANMEM_CAT_NONE &&
      cmw_buf_append(&certified, s->certified.data, s->certified.size)) {
    category = CANMEM_CAT_OUT_OF_MEMORY;
    snprintf(why, sizeof why, "out of host memory");
  }
  if (category != CANMEM_CAT_NONE) {
    code_free(k);
    cmw_stable_free(&fresh);
    return SNAPSHOT_REFUSE(category, "%s", why);
  }
  code_free(c->code);
  c->code = k;
  cmw_stable_free(&c->stable);
  c->stable = fresh;
  cmw_buf_free(&c->certified);
  c->certified = certified;
  /* the timer and the hook status come from uploaded metadata that has
   * them; otherwise they stay the canister's (the Formal model) */
  int uploaded = s->source == CANMEM_SNAPSHOT_SOURCE_UPLOADED;
  if (uploaded && s->timer_state != CANMEM_SNAPSHOT_TIMER_ABSENT)
    c->timer = s->timer_state == CANMEM_SNAPSHOT_TIMER_ACTIVE ? s->timer_ns : 0;
  if (uploaded && s->hook_status == CANMEM_HOOK_READY)
    c->low_status = LOW_READY;
  else if (uploaded && s->hook_status == CANMEM_HOOK_EXECUTED)
    c->low_status = LOW_EXECUTED;
  else if (uploaded && s->hook_status == CANMEM_HOOK_CONDITION_NOT_SATISFIED)
    c->low_status = LOW_NOT_SATISFIED;
  c->version++;
  low_memory_update(c);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "snapshot %llu loaded", (unsigned long long)snapshot_id);
}

static int32_t list_snapshots(canmem_canister *c,
                              canmem_snapshot_info *snapshots, uint64_t max,
                              uint64_t *count) {
  if (!c || !count || (!snapshots && max))
    return CANMEM_ERR_ARGUMENT;
  uint64_t n = 0;
  for (const cmw_snapshot *s = c->snapshots.head; s; s = s->next, n++) {
    if (n >= max)
      continue;
    canmem_snapshot_info *info = &snapshots[n];
    if (info->struct_size < sizeof *info)
      return CANMEM_ERR_ARGUMENT;
    info->reserved = 0;
    info->id = s->id;
    info->total_size = cmw_snapshot_total_size(s);
    info->taken_at_ns = s->taken_at_ns;
  }
  *count = n;
  return CANMEM_OK;
}

static int32_t delete_snapshot(canmem_canister *c, uint64_t snapshot_id,
                               canmem_outcome *out) {
  if (!c || !out)
    return CANMEM_ERR_ARGUMENT;
  if (lacks(c, CANMEM_FEATURE_SNAPSHOTS, "snapshots (0.28.0)", out))
    return CANMEM_OK;
  if (cmw_snapshot_remove(&c->snapshots, snapshot_id) != 0)
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_FOUND, "no snapshot %llu",
                           (unsigned long long)snapshot_id);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "snapshot %llu deleted", (unsigned long long)snapshot_id);
}

static int32_t read_snapshot_metadata(canmem_canister *c, uint64_t snapshot_id,
                                      canmem_snapshot_metadata *metadata,
                                      canmem_outcome *out) {
  if (!c || !metadata || !out || metadata->struct_size < sizeof *metadata)
    return CANMEM_ERR_ARGUMENT;
  if (lacks(c, SNAPSHOT_DATA, "snapshot download and upload (0.47.0)", out))
    return CANMEM_OK;
  const cmw_snapshot *s = cmw_snapshot_find(&c->snapshots, snapshot_id);
  if (!s)
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_FOUND, "no snapshot %llu",
                           (unsigned long long)snapshot_id);
  cmw_snapshot_metadata(s, metadata);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "metadata of snapshot %llu", (unsigned long long)snapshot_id);
}

/* The data of kind in snapshot_id for [offset, offset + size); NULL with
 * out filled (or *rc set) when refused. */
static uint8_t *snapshot_range(canmem_canister *c, uint64_t snapshot_id,
                               uint32_t kind, uint64_t offset, uint64_t size,
                               int uploading, canmem_outcome *out,
                               int32_t *rc) {
  *rc = CANMEM_OK;
  cmw_snapshot *s = cmw_snapshot_find(&c->snapshots, snapshot_id);
  cmw_buf *data = s ? cmw_snapshot_data(s, kind) : NULL;
  if (kind < CANMEM_SNAPSHOT_DATA_MODULE ||
      kind > CANMEM_SNAPSHOT_DATA_STABLE) {
    *rc = CANMEM_ERR_ARGUMENT;
    finish(out, 0, 0, 0, "unknown snapshot data kind %u", kind);
  } else if (lacks(c, SNAPSHOT_DATA, "snapshot download and upload (0.47.0)",
                   out)) {
    /* refused */
  } else if (!s) {
    SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_FOUND, "no snapshot %llu",
                    (unsigned long long)snapshot_id);
  } else if (uploading && s->source != CANMEM_SNAPSHOT_SOURCE_UPLOADED) {
    SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_UPLOADED,
                    "snapshot %llu was taken, not uploaded: no data can be "
                    "uploaded to it",
                    (unsigned long long)snapshot_id);
  } else if (offset > data->size || size > data->size - offset) {
    SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_RANGE,
                    "[%llu, +%llu) is outside the %llu bytes of the "
                    "snapshot's data",
                    (unsigned long long)offset, (unsigned long long)size,
                    (unsigned long long)data->size);
  } else {
    return data->data ? data->data + offset : (uint8_t *)"";
  }
  return NULL;
}

static int32_t read_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                  uint32_t data_kind, uint64_t offset,
                                  uint8_t *dst, uint64_t size,
                                  canmem_outcome *out) {
  if (!c || !out || (!dst && size))
    return CANMEM_ERR_ARGUMENT;
  int32_t rc;
  uint8_t *from =
      snapshot_range(c, snapshot_id, data_kind, offset, size, 0, out, &rc);
  if (!from)
    return rc;
  if (size)
    memcpy(dst, from, (size_t)size);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "read %llu bytes", (unsigned long long)size);
}

static int32_t upload_snapshot_metadata(canmem_canister *c,
                                        const canmem_snapshot_metadata *md,
                                        uint64_t replace, uint64_t *snapshot_id,
                                        canmem_outcome *out) {
  if (!c || !md || !snapshot_id || !out || md->struct_size < sizeof *md ||
      md->global_timer_active > CANMEM_SNAPSHOT_TIMER_ABSENT ||
      md->hook_status > CANMEM_HOOK_EXECUTED ||
      (!md->globals && md->globals_count) ||
      (!md->certified_data && md->certified_data_size))
    return CANMEM_ERR_ARGUMENT;
  for (uint64_t i = 0; i < md->globals_count; i++)
    if (md->globals[i].type < CANMEM_GLOBAL_I32 ||
        md->globals[i].type > CANMEM_GLOBAL_V128)
      return CANMEM_ERR_ARGUMENT;
  *snapshot_id = 0;
  if (lacks(c, SNAPSHOT_DATA, "snapshot download and upload (0.47.0)", out))
    return CANMEM_OK;
  if (replace && !cmw_snapshot_find(&c->snapshots, replace))
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_NOT_FOUND,
                           "no snapshot %llu to replace",
                           (unsigned long long)replace);
  if (!replace && c->snapshots.count >= c->profile.max_snapshots)
    return SNAPSHOT_REFUSE(CANMEM_CAT_SNAPSHOT_LIMIT,
                           "the canister has %llu snapshots already",
                           (unsigned long long)c->snapshots.count);
  cmw_snapshot *s = calloc(1, sizeof *s);
  /* the sizes are in bytes (SNAP-3), checked only by a load
   * (EDGE-SNAPSHOT-SIZES); the memories start zeroed */
  if (!s || cmw_buf_zeroed(&s->module, md->wasm_module_size) ||
      cmw_buf_zeroed(&s->heap, md->wasm_memory_size) ||
      cmw_buf_zeroed(&s->stable, md->stable_memory_size) ||
      cmw_buf_append(&s->certified, md->certified_data,
                     (size_t)md->certified_data_size) ||
      (md->globals_count &&
       (md->globals_count > SIZE_MAX / sizeof *s->globals ||
        !(s->globals =
              malloc((size_t)md->globals_count * sizeof *s->globals))))) {
    cmw_snapshot_free(s);
    return SNAPSHOT_REFUSE(CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  }
  if (md->globals_count)
    memcpy(s->globals, md->globals,
           (size_t)md->globals_count * sizeof *s->globals);
  s->nglobals = md->globals_count;
  s->source = CANMEM_SNAPSHOT_SOURCE_UPLOADED;
  s->taken_at_ns = now_ns(c);
  s->canister_version = c->version;
  s->timer_state = md->global_timer_active;
  s->timer_ns = md->global_timer_ns;
  s->hook_status = md->hook_status;
  if (replace)
    cmw_snapshot_remove(&c->snapshots, replace);
  s->id = ++c->last_snapshot_id;
  cmw_snapshot_add(&c->snapshots, s);
  *snapshot_id = s->id;
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "snapshot %llu created from metadata",
                (unsigned long long)s->id);
}

static int32_t upload_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                    uint32_t data_kind, uint64_t offset,
                                    const uint8_t *src, uint64_t size,
                                    canmem_outcome *out) {
  if (!c || !out || (!src && size))
    return CANMEM_ERR_ARGUMENT;
  int32_t rc;
  uint8_t *to =
      snapshot_range(c, snapshot_id, data_kind, offset, size, 1, out, &rc);
  if (!to)
    return rc;
  if (size)
    memcpy(to, src, (size_t)size);
  return finish(out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE, CANMEM_CAT_NONE,
                "wrote %llu bytes", (unsigned long long)size);
}

static int32_t canister_logs(canmem_canister *c, canmem_log_record *records,
                             uint64_t max, uint64_t *count) {
  if (!c || !count || (!records && max))
    return CANMEM_ERR_ARGUMENT;
  for (uint64_t i = 0; i < max; i++)
    if (records[i].struct_size < sizeof *records)
      return CANMEM_ERR_ARGUMENT;
  *count = c->log.count;
  for (uint64_t i = 0; i < c->log.count && i < max; i++) {
    const cmw_log_record *r = &c->log.records[i];
    records[i].reserved = 0;
    records[i].idx = r->idx;
    records[i].timestamp_ns = r->time;
    records[i].content = r->content;
    records[i].content_size = r->size;
  }
  return CANMEM_OK;
}

static const canmem_adapter adapter_table = {
    .abi_version = CANMEM_ADAPTER_ABI_VERSION,
    .struct_size = sizeof(canmem_adapter),
    .name = "wasm2c",
    .version = "wabt-1.0.32/1",
    .capabilities = CANMEM_CAP_STABLE64 | CANMEM_CAP_WASM_MEMORY_LIMIT |
                    CANMEM_CAP_LOW_MEMORY_HOOK | CANMEM_CAP_SKIP_PRE_UPGRADE |
                    CANMEM_CAP_WASM_MEMORY_PERSISTENCE |
                    CANMEM_CAP_STABLE_IN_START | CANMEM_CAP_GZIP |
                    CANMEM_CAP_REPLICATED_QUERY | CANMEM_CAP_INSPECT_MESSAGE |
                    CANMEM_CAP_SYSTEM_TASKS | CANMEM_CAP_PROFILE_LIMITS |
                    CANMEM_CAP_READINGS | CANMEM_CAP_STABLE_ACCESS_LIMITS |
                    CANMEM_CAP_CALLS | CANMEM_CAP_SNAPSHOTS | CANMEM_CAP_LOGS,
    .create = create,
    .destroy = destroy,
    .install_code = install_code,
    .call = call,
    .update_settings = update_settings,
    .stable_size = probe_stable_size,
    .heap_size = probe_heap_size,
    .read_stable = probe_read_stable,
    .read_heap = probe_read_heap,
    .outgoing_calls = outgoing_calls,
    .respond = respond,
    .take_snapshot = take_snapshot,
    .load_snapshot = load_snapshot,
    .list_snapshots = list_snapshots,
    .delete_snapshot = delete_snapshot,
    .read_snapshot_metadata = read_snapshot_metadata,
    .read_snapshot_data = read_snapshot_data,
    .upload_snapshot_metadata = upload_snapshot_metadata,
    .upload_snapshot_data = upload_snapshot_data,
    .canister_logs = canister_logs,
};

const canmem_adapter *canmem_adapter_v1(void) { return &adapter_table; }
