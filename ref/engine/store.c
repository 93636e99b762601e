/* canmem engine: stores, function instances and cm_invoke. */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

cm_store_limits cm_store_default_limits(void) {
  cm_store_limits limits;
  limits.max_call_depth = 10000;
  limits.value_stack_size = 1u << 20;
  limits.max_pages32 = CM_MAX_PAGES32;        /* 4 GiB */
  limits.max_pages64 = (UINT64_C(1) << 48) / CM_PAGE_SIZE; /* 256 TiB */
  limits.instruction_limit = 0;
  return limits;
}

cm_store *cm_store_new(const cm_store_limits *limits) {
  cm_store_limits l = limits ? *limits : cm_store_default_limits();
  if (l.max_call_depth == 0 || l.value_stack_size == 0)
    return NULL;
  cm_store *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->limits = l;
  /* Large but lazily touched: the OS commits pages as the stack deepens. */
  s->stack = malloc((size_t)l.value_stack_size * sizeof *s->stack);
  s->frames = malloc((size_t)l.max_call_depth * sizeof *s->frames);
  if (!s->stack || !s->frames) {
    free(s->stack);
    free(s->frames);
    free(s);
    return NULL;
  }
  s->stack_end = s->stack + l.value_stack_size;
  s->stack_top = s->stack;
  return s;
}

static void instance_destroy(cm_instance *inst) {
  if (inst->elem_refs) {
    for (uint32_t i = 0; i < inst->module->nelems; i++)
      free(inst->elem_refs[i]);
  }
  free(inst->elem_refs);
  free(inst->elem_sizes);
  free(inst->data_dropped);
  free(inst->funcs);
  free(inst->tables);
  free(inst->globals);
  free(inst);
}

void cm_store_free(cm_store *s) {
  if (!s)
    return;
  for (cm_instance *i = s->instances, *next; i; i = next) {
    next = i->next_in_store;
    instance_destroy(i);
  }
  for (cm_func_inst *f = s->funcs, *next; f; f = next) {
    next = f->next_in_store;
    cm_func_destroy(f);
  }
  for (cm_memory *m = s->memories, *next; m; m = next) {
    next = m->next_in_store;
    cm_memory_destroy(m);
  }
  for (cm_table *t = s->tables, *next; t; t = next) {
    next = t->next_in_store;
    cm_table_destroy(t);
  }
  for (cm_global *g = s->globals, *next; g; g = next) {
    next = g->next_in_store;
    cm_global_destroy(g);
  }
  free(s->stack);
  free(s->frames);
  free(s);
}

uint64_t cm_store_instructions(const cm_store *s) { return s->instructions; }

void cm_store_set_instruction_limit(cm_store *s, uint64_t limit) {
  s->limits.instruction_limit = limit;
}

/* ---- Function instances ---- */

cm_func_inst *cm_func_create(cm_store *s, cm_instance *inst, uint32_t index,
                             const cm_functype *type, const cm_code *code) {
  cm_func_inst *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  f->store = s;
  f->type = type;
  f->inst = inst;
  f->code = code;
  f->index = index;
  /* validation keeps a module's function types below UINT32_MAX cells */
  f->param_cells = (uint32_t)cm_types_cells(type->params, type->nparams);
  f->result_cells = (uint32_t)cm_types_cells(type->results, type->nresults);
  f->next_in_store = s->funcs;
  s->funcs = f;
  return f;
}

void cm_func_destroy(cm_func_inst *f) {
  free(f->host_type.params);
  free(f->host_type.results);
  free(f);
}

cm_func_inst *cm_host_func_new(cm_store *s, const cm_functype *type,
                               cm_host_fn fn, void *env) {
  if (!s || !type || !fn || (type->nparams && !type->params) ||
      (type->nresults && !type->results))
    return NULL;
  uint64_t param_cells = cm_types_cells(type->params, type->nparams);
  uint64_t result_cells = cm_types_cells(type->results, type->nresults);
  if (param_cells > UINT32_MAX || result_cells > UINT32_MAX)
    return NULL;
  cm_func_inst *f = calloc(1, sizeof *f);
  if (!f)
    return NULL;
  /* Our own copy of the type: the caller's may be temporary. One extra
   * byte keeps malloc(0) out of the picture. */
  f->host_type.nparams = type->nparams;
  f->host_type.nresults = type->nresults;
  f->host_type.params = malloc((size_t)type->nparams + 1);
  f->host_type.results = malloc((size_t)type->nresults + 1);
  if (!f->host_type.params || !f->host_type.results) {
    cm_func_destroy(f);
    return NULL;
  }
  if (type->nparams)
    memcpy(f->host_type.params, type->params, type->nparams);
  if (type->nresults)
    memcpy(f->host_type.results, type->results, type->nresults);
  f->store = s;
  f->type = &f->host_type;
  f->host_fn = fn;
  f->host_env = env;
  f->param_cells = (uint32_t)param_cells;
  f->result_cells = (uint32_t)result_cells;
  f->index = UINT32_MAX;
  f->next_in_store = s->funcs;
  s->funcs = f;
  return f;
}

const cm_functype *cm_func_type(const cm_func_inst *f) { return f->type; }

/* ---- Invocation ---- */

cm_status cm_invoke(cm_store *s, cm_func_inst *f, const cm_val *args,
                    cm_val *results, cm_error *err) {
  cm_error local_err;
  if (!err)
    err = &local_err;
  err->host_code = 0;
  if (!s || !f)
    return cm_fail(err, CM_TRAP, CM_TRAP_NONE, "invoke: no store or function");
  if (f->store != s)
    return cm_fail(err, CM_TRAP, CM_TRAP_NONE,
                   "invoke: the function belongs to another store");
  const cm_functype *type = f->type;
  if ((type->nparams && !args) || (type->nresults && !results))
    return cm_fail(err, CM_TRAP, CM_TRAP_NONE,
                   "invoke: %u arguments and %u results expected, got NULL",
                   type->nparams, type->nresults);
  for (uint32_t i = 0; i < type->nparams; i++) {
    if (args[i].type != type->params[i])
      return cm_fail(err, CM_TRAP, CM_TRAP_NONE,
                     "invoke: argument %u is %s, expected %s", i,
                     cm_valtype_name(args[i].type),
                     cm_valtype_name(type->params[i]));
  }

  /* A host function may call back into wasm: that invocation runs above
   * the cells the outer one uses and shares its depth and instruction
   * count (and limit). */
  bool nested = s->running;
  if (s->nesting >= CM_MAX_NESTED_INVOKES)
    return cm_fail(err, CM_EXHAUSTED, CM_TRAP_NONE,
                   "host calls into wasm nested %u deep", s->nesting);
  uint64_t *base = nested ? s->stack_top : s->stack;
  uint32_t need = f->param_cells > f->result_cells ? f->param_cells
                                                   : f->result_cells;
  if ((size_t)(s->stack_end - base) < need)
    return cm_fail(err, CM_EXHAUSTED, CM_TRAP_NONE, "value stack exhausted");
  uint64_t *cell = base;
  for (uint32_t i = 0; i < type->nparams; i++) {
    *cell++ = cm_cell_normalize(type->params[i], args[i].bits);
    if (type->params[i] == CM_V128)
      *cell++ = args[i].bits_hi;
  }

  uint64_t *saved_top = s->stack_top;
  uint32_t saved_depth = s->depth;
  if (!nested)
    s->instructions = 0;
  s->running = true;
  s->stack_top = base;
  s->nesting++;
  cm_status status = cm_exec(s, f, base, err);
  s->nesting--;
  /* Whatever happened, the stacks are as before: a trap or exhaustion
   * leaves the store usable. */
  s->running = nested;
  s->stack_top = saved_top;
  s->depth = saved_depth;
  if (status != CM_OK)
    return status;
  cell = base;
  for (uint32_t i = 0; i < type->nresults; i++) {
    results[i].type = type->results[i];
    results[i].bits = *cell++;
    results[i].bits_hi = type->results[i] == CM_V128 ? *cell++ : 0;
  }
  return CM_OK;
}
