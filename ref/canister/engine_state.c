/* canmem canister model: saving and restoring the parts of an instance that
 * a message may change besides its memory: globals, tables (contents and
 * size) and the dropped flags of element and data segments. They are small
 * next to a heap, so a snapshot per message is cheap; the heap itself is
 * journaled by the engine.
 *
 * PROPOSAL (engine API): wasm.h has no way to reach an instance's
 * non-exported globals or to set table elements, so this file reads the
 * engine's internal runtime.h. It would move behind wasm.h as
 *   cm_instance_state *cm_instance_state_save(cm_instance *);
 *   void cm_instance_state_restore(cm_instance *, const cm_instance_state *);
 *   void cm_instance_state_free(cm_instance_state *);
 * and then the canister model would need only wasm.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "calls.h"
#include "internal.h"
#include "runtime.h"

typedef struct {
  uint64_t size;
  uint64_t *elems;
} table_copy;

struct cm_instance_state {
  uint32_t nglobals;
  cm_val *globals; /* values of the mutable globals, by index (a v128's
                    * both halves: cm_global_get); the others unused */
  uint32_t ntables;
  table_copy *tables;
  uint32_t nelems;
  uint32_t *elem_sizes;
  uint32_t ndatas;
  bool *data_dropped;
};

void cm_instance_state_free(cm_instance_state *st) {
  if (!st)
    return;
  for (uint32_t i = 0; st->tables && i < st->ntables; i++)
    free(st->tables[i].elems);
  free(st->tables);
  free(st->globals);
  free(st->elem_sizes);
  free(st->data_dropped);
  free(st);
}

cm_instance_state *cm_instance_state_save(cm_instance *inst, uint64_t *items) {
  const cm_module *m = inst->module;
  cm_instance_state *st = cm_calloc(1, sizeof *st);
  if (!st)
    return NULL;
  uint64_t count = 0;
  st->nglobals = m->nglobals;
  st->ntables = m->ntables;
  st->nelems = m->nelems;
  st->ndatas = m->ndatas;
  st->globals = cm_calloc((size_t)st->nglobals + 1, sizeof *st->globals);
  st->tables = cm_calloc((size_t)st->ntables + 1, sizeof *st->tables);
  st->elem_sizes = cm_calloc((size_t)st->nelems + 1, sizeof *st->elem_sizes);
  st->data_dropped = cm_calloc((size_t)st->ndatas + 1, sizeof *st->data_dropped);
  if (!st->globals || !st->tables || !st->elem_sizes || !st->data_dropped) {
    cm_instance_state_free(st);
    return NULL;
  }
  for (uint32_t i = 0; i < st->nglobals; i++)
    if (inst->globals[i]->mut) {
      st->globals[i] = cm_global_get(inst->globals[i]);
      count++;
    }
  for (uint32_t i = 0; i < st->ntables; i++) {
    const cm_table *t = inst->tables[i];
    st->tables[i].size = t->size;
    if (t->size == 0)
      continue;
    st->tables[i].elems = cm_malloc((size_t)t->size * sizeof(uint64_t));
    if (!st->tables[i].elems) {
      cm_instance_state_free(st);
      return NULL;
    }
    memcpy(st->tables[i].elems, t->elems, (size_t)t->size * sizeof(uint64_t));
    count += t->size;
  }
  if (st->nelems)
    memcpy(st->elem_sizes, inst->elem_sizes,
           st->nelems * sizeof *st->elem_sizes);
  if (st->ndatas)
    memcpy(st->data_dropped, inst->data_dropped,
           st->ndatas * sizeof *st->data_dropped);
  if (items)
    *items = count + st->nelems + st->ndatas;
  return st;
}

void cm_instance_state_restore(cm_instance *inst, const cm_instance_state *st) {
  for (uint32_t i = 0; i < st->nglobals; i++)
    if (inst->globals[i]->mut)
      cm_global_set(inst->globals[i], st->globals[i]);
  for (uint32_t i = 0; i < st->ntables; i++) {
    cm_table *t = inst->tables[i];
    /* A table only grows, so the saved elements fit its storage. */
    uint64_t size = st->tables[i].size <= t->size ? st->tables[i].size
                                                  : t->size;
    if (size)
      memcpy(t->elems, st->tables[i].elems, (size_t)size * sizeof(uint64_t));
    t->size = size;
  }
  if (st->nelems)
    memcpy(inst->elem_sizes, st->elem_sizes,
           st->nelems * sizeof *st->elem_sizes);
  if (st->ndatas)
    memcpy(inst->data_dropped, st->data_dropped,
           st->ndatas * sizeof *st->data_dropped);
}

cm_status cm_instance_reapply_data(cm_instance *inst, cm_error *err) {
  const cm_module *m = inst->module;
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const cm_data *d = &m->datas[i];
    if (d->mode != CM_SEG_ACTIVE)
      continue;
    if (!inst->memory)
      return cm_fail(err, CM_TRAP, CM_TRAP_MEMORY_OOB, "no memory");
    uint64_t offset = cm_eval_const(inst, &d->offset);
    cm_status st = cm_memory_init_range(inst->memory, offset, d->bytes,
                                        d->size, 0, d->size, err);
    if (st != CM_OK)
      return st;
  }
  return CM_OK;
}

/* ---- Snapshot globals ---- */

static uint32_t snapshot_type(uint8_t valtype) {
  switch (valtype) {
  case CM_I32: return CANMEM_GLOBAL_I32;
  case CM_I64: return CANMEM_GLOBAL_I64;
  case CM_F32: return CANMEM_GLOBAL_F32;
  case CM_F64: return CANMEM_GLOBAL_F64;
  case CM_V128: return CANMEM_GLOBAL_V128;
  default: return 0; /* references are not in snapshots */
  }
}

static bool exported_global(const cm_module *m, uint32_t index) {
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == CM_EXTERN_GLOBAL && m->exports[i].index == index)
      return true;
  return false;
}

/* Does global i belong in a snapshot: exported or mutable, of a numeric
 * or vector type ("values of WASM globals ... that are either exported or
 * mutable", management-canister.md)? */
static bool in_snapshot(const cm_instance *inst, uint32_t i) {
  const cm_module *m = inst->module;
  return snapshot_type(m->globals[i].type) &&
         (m->globals[i].mut || exported_global(m, i));
}

uint64_t cm_instance_snapshot_globals(const cm_instance *inst,
                                      canmem_global *out, uint64_t max) {
  uint64_t n = 0;
  for (uint32_t i = 0; i < inst->module->nglobals; i++) {
    if (!in_snapshot(inst, i))
      continue;
    if (out && n < max) {
      cm_val v = cm_global_get(inst->globals[i]);
      out[n].type = snapshot_type(inst->module->globals[i].type);
      out[n].reserved = 0;
      out[n].bits = v.bits;
      out[n].bits_hi = v.bits_hi;
    }
    n++;
  }
  return n;
}

bool cm_instance_load_globals(cm_instance *inst, const canmem_global *g,
                              uint64_t n, char *why, size_t why_size) {
  uint64_t want = cm_instance_snapshot_globals(inst, NULL, 0);
  if (n != want) {
    snprintf(why, why_size,
             "the snapshot has %llu globals, the module %llu (SNAP-2)",
             (unsigned long long)n, (unsigned long long)want);
    return false;
  }
  uint64_t k = 0;
  for (uint32_t i = 0; i < inst->module->nglobals; i++)
    if (in_snapshot(inst, i) &&
        snapshot_type(inst->module->globals[i].type) != g[k++].type) {
      snprintf(why, why_size,
               "global %llu of the snapshot has another type than the "
               "module's (SNAP-2)",
               (unsigned long long)(k - 1));
      return false;
    }
  k = 0;
  for (uint32_t i = 0; i < inst->module->nglobals; i++) {
    if (!in_snapshot(inst, i))
      continue;
    cm_val v = {.type = inst->module->globals[i].type,
                .bits = g[k].bits,
                .bits_hi = g[k].type == CANMEM_GLOBAL_V128 ? g[k].bits_hi : 0};
    k++;
    cm_global_set(inst->globals[i], v);
  }
  return true;
}

/* Callbacks name a function by its index in "the table" (the formal
 * model's unique table; with several, table 0: EDGE-MULTITABLE). A
 * funcref element is the address of its cm_func_inst (runtime.h). */
cm_func_inst *cm_instance_table_func(cm_instance *inst, uint64_t index,
                                     uint32_t *category) {
  const cm_table *t = inst->module->ntables ? inst->tables[0] : NULL;
  uint64_t ref = 0;
  if (!t || index >= t->size) {
    *category = CANMEM_CAT_TABLE_OUT_OF_BOUNDS;
    return NULL;
  }
  if (t->elemtype != CM_FUNCREF) {
    *category = CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH;
    return NULL;
  }
  ref = t->elems[index];
  if (!ref) {
    *category = CANMEM_CAT_UNINITIALIZED_ELEMENT;
    return NULL;
  }
  return (cm_func_inst *)(uintptr_t)ref;
}
