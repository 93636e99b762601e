/* canmem engine: the spec's instantiation (Execution > Modules).
 *
 * 1. Linking: every import against the extern supplied for it
 *    (CM_UNLINKABLE names the import that does not match).
 * 2. Allocation of the module's functions, tables, memory and globals;
 *    globals are initialised in order.
 * 3. Element segments in order (active: table.init then elem.drop;
 *    declarative: elem.drop), then data segments in order (active:
 *    memory.init then data.drop). Out of bounds is CM_UNINSTANTIABLE with the
 *    trap; as in Wasm 2.0, what earlier segments wrote stays written.
 * 4. The start function (a trap is CM_UNINSTANTIABLE).
 * Everything allocated belongs to the store, also after a failure in steps 3
 * and 4: a table may by then refer to the new instance's functions. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reader.h"
#include "runtime.h"

static const char *kind_name(cm_externkind k) {
  switch (k) {
  case CM_EXTERN_FUNC: return "function";
  case CM_EXTERN_TABLE: return "table";
  case CM_EXTERN_MEMORY: return "memory";
  case CM_EXTERN_GLOBAL: return "global";
  }
  return "unknown kind";
}

/* Limits subtyping: the actual object must be at least as large as asked
 * and must promise a maximum no larger than the import's. */
static bool limits_match(uint64_t actual_min, const cm_limits *actual,
                         const cm_limits *wanted) {
  if (actual_min < wanted->min)
    return false;
  if (wanted->has_max) {
    if (!actual->has_max || actual->max > wanted->max)
      return false;
  }
  return true;
}

static void describe_functype(const cm_functype *t, char *buf, size_t size) {
  size_t used = 0;
  int n;
#define APPEND(...)                                                           \
  do {                                                                        \
    n = snprintf(buf + used, size - used, __VA_ARGS__);                       \
    if (n < 0 || (size_t)n >= size - used)                                    \
      return;                                                                 \
    used += (size_t)n;                                                        \
  } while (0)
  APPEND("(");
  for (uint32_t i = 0; i < t->nparams; i++) {
    uint8_t v = t->params[i];
    APPEND("%s%s", i ? " " : "", cm_valtype_name(v));
  }
  APPEND(") -> (");
  for (uint32_t i = 0; i < t->nresults; i++) {
    uint8_t v = t->results[i];
    APPEND("%s%s", i ? " " : "", cm_valtype_name(v));
  }
  APPEND(")");
#undef APPEND
}

static cm_status link_import(cm_store *s, const cm_module *m, uint32_t i,
                             const cm_extern *ext, cm_error *err) {
  const cm_import *imp = &m->imports[i];
  const char *mod = imp->module, *name = imp->name;
  if (ext->kind != imp->kind)
    return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                   "incompatible import type: \"%s\" \"%s\": expected %s, "
                   "got %s",
                   mod, name, kind_name(imp->kind), kind_name(ext->kind));
  switch (imp->kind) {
  case CM_EXTERN_FUNC: {
    const cm_func_inst *f = ext->as.func;
    if (!f || f->store != s)
      break;
    const cm_functype *want = &m->types[imp->desc.func];
    if (!cm_functype_equal(want, f->type)) {
      char a[80], b[80];
      describe_functype(want, a, sizeof a);
      describe_functype(f->type, b, sizeof b);
      return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                     "incompatible import type: \"%s\" \"%s\": expected "
                     "function %s, got %s",
                     mod, name, a, b);
    }
    return CM_OK;
  }
  case CM_EXTERN_TABLE: {
    const cm_table *t = ext->as.table;
    if (!t || t->store != s)
      break;
    const cm_tabletype *want = &imp->desc.table;
    if (t->limits.is64 != want->limits.is64)
      return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                     "incompatible import type: \"%s\" \"%s\": expected a "
                     "table with %s indices, got %s",
                     mod, name, want->limits.is64 ? "i64" : "i32",
                     t->limits.is64 ? "i64" : "i32");
    if (t->elemtype != want->elemtype ||
        !limits_match(t->size, &t->limits, &want->limits))
      return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                     "incompatible import type: \"%s\" \"%s\": table of size "
                     "%" PRIu64 " does not match the import's limits or "
                     "element type",
                     mod, name, t->size);
    return CM_OK;
  }
  case CM_EXTERN_MEMORY: {
    const cm_memory *mem = ext->as.memory;
    if (!mem || mem->store != s)
      break;
    const cm_limits *want = &imp->desc.memory;
    if (mem->limits.is64 != want->is64 ||
        !limits_match(mem->pages, &mem->limits, want))
      return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                     "incompatible import type: \"%s\" \"%s\": memory of "
                     "%" PRIu64 " pages does not match the import's limits",
                     mod, name, mem->pages);
    return CM_OK;
  }
  case CM_EXTERN_GLOBAL: {
    const cm_global *g = ext->as.global;
    if (!g || g->store != s)
      break;
    if (g->type != imp->desc.global.type || g->mut != imp->desc.global.mut)
      return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                     "incompatible import type: \"%s\" \"%s\": global type "
                     "or mutability differs",
                     mod, name);
    return CM_OK;
  }
  }
  return cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
                 "unknown import: \"%s\" \"%s\": no %s given, or one from "
                 "another store",
                 mod, name, kind_name(imp->kind));
}

uint64_t cm_eval_const(const cm_instance *inst, const cm_constexpr *e) {
  switch (e->op) {
  case 0x41: /* i32.const */
  case 0x43: /* f32.const */
    return (uint32_t)e->value;
  case 0x42: /* i64.const */
  case 0x44: /* f64.const */
  case 0xfd: /* v128.const: bytes 0..7 */
    return e->value;
  case 0x23: /* global.get: validation allows earlier globals only */
    return inst->globals[e->index]->value;
  case 0xd2: /* ref.func */
    return (uint64_t)(uintptr_t)inst->funcs[e->index];
  default: /* ref.null */
    return 0;
  }
}

uint64_t cm_eval_const_hi(const cm_instance *inst, const cm_constexpr *e) {
  if (e->op == 0xfd) /* v128.const */
    return e->value_hi;
  if (e->op == 0x23) /* global.get: 0 unless it is a v128 */
    return inst->globals[e->index]->value_hi;
  return 0;
}

static cm_status no_memory(cm_error *err, const char *what) {
  return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                 "out of host memory while allocating %s", what);
}

/* Step 2: allocate what the module defines, next to what it imports. */
static cm_status allocate(cm_store *s, cm_instance *inst,
                          const cm_extern *imports, cm_error *err) {
  const cm_module *m = inst->module;
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    switch (imports[i].kind) {
    case CM_EXTERN_FUNC: inst->funcs[nf++] = imports[i].as.func; break;
    case CM_EXTERN_TABLE: inst->tables[nt++] = imports[i].as.table; break;
    case CM_EXTERN_MEMORY:
      inst->memory = imports[i].as.memory;
      nm++;
      break;
    case CM_EXTERN_GLOBAL: inst->globals[ng++] = imports[i].as.global; break;
    }
  }
  for (uint32_t i = m->nfuncs_imported; i < m->nfuncs; i++) {
    inst->funcs[i] =
        cm_func_create(s, inst, i, &m->types[m->func_types[i]],
                       &m->codes[i - m->nfuncs_imported]);
    if (!inst->funcs[i])
      return no_memory(err, "a function");
  }
  for (uint32_t i = m->ntables_imported; i < m->ntables; i++) {
    const cm_tabletype *tt = &m->tables[i];
    if (tt->limits.min > CM_MAX_TABLE_ELEMS)
      return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                     "table %u: %" PRIu64 " elements exceed the platform "
                     "maximum of %" PRIu64,
                     i, tt->limits.min, (uint64_t)CM_MAX_TABLE_ELEMS);
    inst->tables[i] = cm_table_create(s, tt->elemtype, &tt->limits);
    if (!inst->tables[i])
      return no_memory(err, "a table");
  }
  for (uint32_t i = m->nmems_imported; i < m->nmems; i++) {
    const cm_limits *l = &m->memories[i];
    uint64_t platform =
        l->is64 ? s->limits.max_pages64 : s->limits.max_pages32;
    if (l->min > platform)
      return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                     "memory %u: %" PRIu64 " pages exceed the platform "
                     "maximum of %" PRIu64,
                     i, l->min, platform);
    inst->memory = cm_memory_create(s, l);
    if (!inst->memory)
      return no_memory(err, "a memory");
  }
  for (uint32_t i = m->nglobals_imported; i < m->nglobals; i++) {
    const cm_globaltype *gt = &m->globals[i];
    uint64_t value =
        cm_eval_const(inst, &m->global_inits[i - m->nglobals_imported]);
    uint64_t value_hi =
        cm_eval_const_hi(inst, &m->global_inits[i - m->nglobals_imported]);
    inst->globals[i] =
        cm_global_create(s, gt->type, gt->mut, value, value_hi);
    if (!inst->globals[i])
      return no_memory(err, "a global");
  }
  /* Element segments as references, evaluated once (their expressions
   * may only name functions and imported immutable globals). */
  for (uint32_t i = 0; i < m->nelems; i++) {
    const cm_elem *e = &m->elems[i];
    inst->elem_sizes[i] = e->count;
    if (e->count == 0)
      continue;
    inst->elem_refs[i] = malloc((size_t)e->count * sizeof(uint64_t));
    if (!inst->elem_refs[i])
      return no_memory(err, "an element segment");
    for (uint32_t k = 0; k < e->count; k++)
      inst->elem_refs[i][k] = cm_eval_const(inst, &e->items[k]);
  }
  return CM_OK;
}

static void drop_elem(cm_instance *inst, uint32_t i) {
  free(inst->elem_refs[i]);
  inst->elem_refs[i] = NULL;
  inst->elem_sizes[i] = 0;
}

/* Step 3: segments, in order, with the 2.0 semantics. */
static cm_status initialize_segments(cm_instance *inst, cm_error *err) {
  const cm_module *m = inst->module;
  for (uint32_t i = 0; i < m->nelems; i++) {
    const cm_elem *e = &m->elems[i];
    if (e->mode == CM_SEG_ACTIVE) {
      uint64_t offset = cm_eval_const(inst, &e->offset);
      cm_status st = cm_table_init_range(inst->tables[e->table], offset,
                                         inst->elem_refs[i],
                                         inst->elem_sizes[i], 0,
                                         inst->elem_sizes[i], err);
      if (st != CM_OK)
        return st;
      drop_elem(inst, i);
    } else if (e->mode == CM_SEG_DECLARATIVE) {
      drop_elem(inst, i);
    }
  }
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const cm_data *d = &m->datas[i];
    if (d->mode != CM_SEG_ACTIVE)
      continue;
    uint64_t offset = cm_eval_const(inst, &d->offset);
    cm_status st = cm_memory_init_range(inst->memory, offset, d->bytes,
                                        d->size, 0, d->size, err);
    if (st != CM_OK)
      return st;
    inst->data_dropped[i] = true;
  }
  return CM_OK;
}

static cm_instance *instantiate(cm_store *s, const cm_module *m,
                                const cm_extern *imports, uint32_t nimports,
                                bool run_start, cm_error *err) {
  cm_error local_err;
  if (!err)
    err = &local_err;
  if (!s || !m) {
    cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE, "no store or module");
    return NULL;
  }
  /* Step 1: linking. Nothing is allocated before it succeeds. */
  if (nimports != m->nimports) {
    cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
            "the module has %u imports, %u given", m->nimports, nimports);
    return NULL;
  }
  if (nimports && !imports) {
    cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE, "no imports given");
    return NULL;
  }
  for (uint32_t i = 0; i < nimports; i++) {
    if (link_import(s, m, i, &imports[i], err) != CM_OK)
      return NULL;
  }
  if (m->nmems > 1) {
    cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
            "multiple memories are not supported");
    return NULL;
  }

  cm_instance *inst = calloc(1, sizeof *inst);
  if (!inst) {
    no_memory(err, "an instance");
    return NULL;
  }
  inst->store = s;
  inst->module = m;
  inst->next_in_store = s->instances;
  s->instances = inst;
  /* One extra element each keeps calloc(0) out of the picture. */
  inst->funcs = calloc((size_t)m->nfuncs + 1, sizeof *inst->funcs);
  inst->tables = calloc((size_t)m->ntables + 1, sizeof *inst->tables);
  inst->globals = calloc((size_t)m->nglobals + 1, sizeof *inst->globals);
  inst->elem_refs = calloc((size_t)m->nelems + 1, sizeof *inst->elem_refs);
  inst->elem_sizes = calloc((size_t)m->nelems + 1, sizeof *inst->elem_sizes);
  inst->data_dropped =
      calloc((size_t)m->ndatas + 1, sizeof *inst->data_dropped);
  if (!inst->funcs || !inst->tables || !inst->globals || !inst->elem_refs ||
      !inst->elem_sizes || !inst->data_dropped) {
    no_memory(err, "an instance");
    return NULL;
  }
  if (allocate(s, inst, imports, err) != CM_OK)
    return NULL;

  cm_status st = initialize_segments(inst, err);
  if (st == CM_TRAP) {
    err->status = CM_UNINSTANTIABLE;
    return NULL;
  }
  if (st != CM_OK)
    return NULL;
  if (run_start && cm_run_start(inst, err) != CM_OK)
    return NULL;
  return inst;
}

cm_instance *cm_instantiate(cm_store *s, const cm_module *m,
                            const cm_extern *imports, uint32_t nimports,
                            cm_error *err) {
  return instantiate(s, m, imports, nimports, true, err);
}

cm_instance *cm_instantiate_no_start(cm_store *s, const cm_module *m,
                                     const cm_extern *imports,
                                     uint32_t nimports, cm_error *err) {
  return instantiate(s, m, imports, nimports, false, err);
}

/* A trap in the start function makes the instantiation fail: reported as
 * CM_UNINSTANTIABLE with err->trap, like a segment out of bounds. Other
 * failures (exhaustion, host memory) keep their status. */
cm_status cm_run_start(cm_instance *inst, cm_error *err) {
  cm_error local_err;
  if (!err)
    err = &local_err;
  if (!inst)
    return cm_fail(err, CM_UNINSTANTIABLE, CM_TRAP_NONE, "no instance");
  const cm_module *m = inst->module;
  if (!m->has_start)
    return CM_OK;
  cm_status st =
      cm_invoke(inst->store, inst->funcs[m->start], NULL, NULL, err);
  if (st == CM_TRAP) {
    err->status = CM_UNINSTANTIABLE;
    return CM_UNINSTANTIABLE;
  }
  return st;
}

const cm_module *cm_instance_module(const cm_instance *inst) {
  return inst->module;
}

bool cm_instance_export(const cm_instance *inst, const char *name,
                        cm_extern *out) {
  return name && cm_instance_export_n(inst, name, strlen(name), out);
}

bool cm_instance_export_n(const cm_instance *inst, const char *name,
                          size_t length, cm_extern *out) {
  if (!inst || !name)
    return false;
  const cm_module *m = inst->module;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const cm_export *e = &m->exports[i];
    if (cm_name_of(e->name)->length != length ||
        memcmp(e->name, name, length) != 0)
      continue;
    if (out) {
      out->kind = e->kind;
      switch (e->kind) {
      case CM_EXTERN_FUNC: out->as.func = inst->funcs[e->index]; break;
      case CM_EXTERN_TABLE: out->as.table = inst->tables[e->index]; break;
      case CM_EXTERN_MEMORY: out->as.memory = inst->memory; break;
      case CM_EXTERN_GLOBAL: out->as.global = inst->globals[e->index]; break;
      }
    }
    return true;
  }
  return false;
}

cm_memory *cm_instance_memory(const cm_instance *inst) {
  return inst ? inst->memory : NULL;
}
