/* canmem engine: the Validation chapter, and compilation.
 *
 * cm_validate checks the module (types, limits, constant expressions,
 * segments, start, exports) and then every function body, using the
 * algorithm of the spec's validation appendix: a stack of operand types and
 * a stack of control frames. While it type-checks a body it compiles it to
 * cm_insn (see module.h): branch targets become instruction indices and
 * stack heights become fp-relative offsets, so exec.c never searches for an
 * `end` nor decodes LEB128. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "reader.h"
#include "simd.h"

/* The type of an operand popped from the polymorphic stack of unreachable
 * code: it matches every type. */
enum { UNKNOWN = 0 };

/* What the branch-free numeric instructions pop and push: in2 is 0 for
 * unary ones. Indexed by compiled opcode. */
typedef struct {
  uint8_t in1, in2, out;
} numeric_sig;

typedef struct {
  uint8_t opcode; /* 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0 function */
  bool unreachable;
  size_t height; /* operand stack height at entry, without the params */
  size_t cell_height; /* the same in cells */
  const uint8_t *params, *results;
  uint32_t nparams, nresults;
  uint32_t loop_start; /* loop: index of its first insn */
  uint32_t pending;    /* insns waiting for this label's end: a chain linked
                          through their `a` field, index + 1, 0 ends it */
  uint32_t if_insn;    /* if: the insn whose target is the else arm or end */
} ctrl_frame;

typedef struct {
  cm_module *m;
  cm_error *err;
  cm_insn_context insn_ctx;
  numeric_sig numeric[CM_OP_COUNT];
  uint8_t *refs; /* C.refs: functions that ref.func may name, one per byte */

  /* the function being compiled; the buffers are reused */
  uint32_t func; /* index in the function space */
  const cm_code *code;
  const cm_raw_insn *insn; /* being validated, for error offsets */
  uint8_t *vals;
  size_t nvals, vals_cap;
  size_t ncells, max_cells; /* the operand stack in cells (module.h) */
  uint32_t *local_offsets;  /* fp offset of each local, in cells */
  size_t local_offsets_cap;
  ctrl_frame *ctrls;
  size_t nctrls, ctrls_cap;
  cm_insn *out;
  uint32_t nout, out_cap;
  uint32_t *labels; /* br_table's labels */
  size_t labels_cap;
  uint8_t *popped; /* br_table: operands popped for one label */
  size_t popped_cap;
} validator;

/* Value types as static storage, so a block type of one value can point
 * at its result type. */
static const uint8_t valtypes[] = {CM_I32,  CM_I64,     CM_F32,      CM_F64,
                                   CM_V128, CM_FUNCREF, CM_EXTERNREF};

static const uint8_t *valtype_storage(uint8_t t) {
  for (size_t i = 0; i < sizeof valtypes; i++)
    if (valtypes[i] == t) return &valtypes[i];
  return NULL;
}

static bool is_numeric(uint8_t t) {
  return t == CM_I32 || t == CM_I64 || t == CM_F32 || t == CM_F64;
}

static bool is_reference(uint8_t t) {
  return t == CM_FUNCREF || t == CM_EXTERNREF;
}

/* ---- Errors ---- */

#if defined(__GNUC__)
#define CM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CM_PRINTF(f, a)
#endif

static cm_status out_of_memory(validator *v) {
  cm_fail(v->err, CM_NO_MEMORY, CM_TRAP_NONE,
          "out of host memory while validating");
  return CM_NO_MEMORY;
}

/* An invalid function body: the spec's words, then where. */
static CM_PRINTF(2, 3) cm_status
    func_invalid(validator *v, const char *fmt, ...) {
  char what[120];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  size_t offset = v->insn ? v->insn->offset : v->code->body_offset;
  cm_fail(v->err, CM_INVALID, CM_TRAP_NONE, "%s (function %u, at byte %zu)",
          what, v->func, offset);
  v->err->func = v->func;
  v->err->offset = offset;
  return CM_INVALID;
}

/* An invalid module-level definition; `offset` is 0 when not known. */
static CM_PRINTF(3, 4) cm_status
    module_invalid(validator *v, size_t offset, const char *fmt, ...) {
  char what[160];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(what, sizeof what, fmt, ap);
  va_end(ap);
  cm_fail(v->err, CM_INVALID, CM_TRAP_NONE, "%s", what);
  v->err->func = UINT32_MAX;
  v->err->offset = offset;
  return CM_INVALID;
}

/* ---- Module-level checks ---- */

static cm_status check_min_max(validator *v, const cm_limits *l,
                               const char *what, uint32_t index) {
  if (l->has_max && l->min > l->max)
    return module_invalid(v, 0,
                          "size minimum must not be greater than maximum "
                          "(%s %u)",
                          what, index);
  return CM_OK;
}

static cm_status check_memory(validator *v, const cm_limits *l, uint32_t i) {
  uint64_t range = l->is64 ? (uint64_t)1 << 48 : 65536;
  if (l->min > range || (l->has_max && l->max > range))
    return module_invalid(v, 0, "%s (memory %u)",
                          l->is64 ? "memory size must be at most 2^48 pages"
                                  : "memory size must be at most 65536 pages "
                                    "(4GiB)",
                          i);
  return check_min_max(v, l, "memory", i);
}

/* A 32-bit table's limits are decoded as u32, so they are within its
 * range; a 64-bit table's range is all of u64. The platform's maximum
 * (CM_MAX_TABLE_ELEMS) is an instantiation matter, not validity. */
static cm_status check_table(validator *v, const cm_tabletype *t, uint32_t i) {
  return check_min_max(v, &t->limits, "table", i);
}

/* The index type of a table (memory64's table64 part): i64 for a table
 * with 64-bit limits, else i32. Indices, sizes and deltas of table
 * instructions, and active element segment offsets, have this type. */
static uint8_t table_index_type(const cm_module *m, uint32_t table) {
  return m->tables[table].limits.is64 ? CM_I64 : CM_I32;
}

/* The type a constant instruction pushes, after checking its index. In a
 * constant expression only imported globals are visible (C'). */
static cm_status constant_type(validator *v, uint16_t op, uint32_t index,
                               size_t offset, const char *what, uint8_t *type) {
  const cm_module *m = v->m;
  switch (op) {
  case 0x41: *type = CM_I32; return CM_OK;
  case 0x42: *type = CM_I64; return CM_OK;
  case 0x43: *type = CM_F32; return CM_OK;
  case 0x44: *type = CM_F64; return CM_OK;
  case 0xfd: /* v128.const, as cm_constexpr keeps it */
  case CM_OP_FD + 0x0c: *type = CM_V128; return CM_OK;
  case 0xd0: *type = (uint8_t)index; return CM_OK;
  case 0xd2:
    if (index >= m->nfuncs)
      return module_invalid(v, offset, "unknown function %u (%s)", index, what);
    *type = CM_FUNCREF;
    return CM_OK;
  case 0x23:
    if (index >= m->nglobals_imported)
      return module_invalid(v, offset, "unknown global %u (%s)", index, what);
    if (m->globals[index].mut)
      return module_invalid(v, offset, "constant expression required (%s)",
                            what);
    *type = m->globals[index].type;
    return CM_OK;
  default:
    return module_invalid(v, offset, "constant expression required (%s)", what);
  }
}

/* An expression that is not one constant instruction: read it again to
 * find the first reason, in the order the spec checks (constant
 * instructions first, then the type of the whole). */
static cm_status check_other_constexpr(validator *v, size_t offset,
                                       const char *what) {
  cm_reader r = cm_reader_new(v->m->bytes, v->m->size, v->err);
  r.p += offset;
  for (;;) {
    cm_raw_insn insn;
    CM_TRY(cm_read_insn(&r, &v->insn_ctx, &insn));
    if (insn.op == 0x0b) break;
    uint8_t type = 0;
    CM_TRY(constant_type(v, insn.op, insn.a, insn.offset, what, &type));
  }
  /* all constant, but not exactly one value */
  return module_invalid(v, offset, "type mismatch (%s)", what);
}

static cm_status check_constexpr(validator *v, const cm_constexpr *e,
                                 uint8_t expected, const char *what) {
  if (e->op == CM_CONSTEXPR_OTHER)
    return check_other_constexpr(v, (size_t)e->value, what);
  uint8_t type = 0;
  CM_TRY(constant_type(v, e->op, e->index, 0, what, &type));
  if (type != expected) return module_invalid(v, 0, "type mismatch (%s)", what);
  return CM_OK;
}

static cm_status check_imports(validator *v) {
  const cm_module *m = v->m;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const cm_import *imp = &m->imports[i];
    switch (imp->kind) {
    case CM_EXTERN_FUNC:
      if (imp->desc.func >= m->ntypes)
        return module_invalid(v, 0, "unknown type %u (import %u)",
                              imp->desc.func, i);
      break;
    case CM_EXTERN_TABLE: CM_TRY(check_table(v, &imp->desc.table, i)); break;
    case CM_EXTERN_MEMORY: CM_TRY(check_memory(v, &imp->desc.memory, i)); break;
    case CM_EXTERN_GLOBAL: break;
    }
  }
  return CM_OK;
}

/* C.refs: functions named in element segments, exports and global
 * initialisers; only those may appear in ref.func inside a body. */
static cm_status collect_refs(validator *v) {
  const cm_module *m = v->m;
  if (!(v->refs = calloc(m->nfuncs ? m->nfuncs : 1, 1)))
    return out_of_memory(v);
  for (uint32_t i = 0; i < m->nglobals - m->nglobals_imported; i++)
    if (m->global_inits[i].op == 0xd2 && m->global_inits[i].index < m->nfuncs)
      v->refs[m->global_inits[i].index] = 1;
  for (uint32_t i = 0; i < m->nelems; i++)
    for (uint32_t k = 0; k < m->elems[i].count; k++) {
      const cm_constexpr *item = &m->elems[i].items[k];
      if (item->op == 0xd2 && item->index < m->nfuncs) v->refs[item->index] = 1;
    }
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == CM_EXTERN_FUNC && m->exports[i].index < m->nfuncs)
      v->refs[m->exports[i].index] = 1;
  return CM_OK;
}

static cm_status check_elems(validator *v) {
  const cm_module *m = v->m;
  char what[48];
  for (uint32_t i = 0; i < m->nelems; i++) {
    const cm_elem *e = &m->elems[i];
    snprintf(what, sizeof what, "element segment %u", i);
    if (e->mode == CM_SEG_ACTIVE) {
      if (e->table >= m->ntables)
        return module_invalid(v, 0, "unknown table %u (%s)", e->table, what);
      CM_TRY(check_constexpr(v, &e->offset, table_index_type(m, e->table),
                             what));
      if (m->tables[e->table].elemtype != e->reftype)
        return module_invalid(v, 0, "type mismatch (%s)", what);
    }
    for (uint32_t k = 0; k < e->count; k++)
      CM_TRY(check_constexpr(v, &e->items[k], e->reftype, what));
  }
  return CM_OK;
}

static cm_status check_datas(validator *v) {
  const cm_module *m = v->m;
  char what[48];
  for (uint32_t i = 0; i < m->ndatas; i++) {
    const cm_data *d = &m->datas[i];
    if (d->mode != CM_SEG_ACTIVE) continue;
    snprintf(what, sizeof what, "data segment %u", i);
    if (d->memory >= m->nmems)
      return module_invalid(v, 0, "unknown memory %u (%s)", d->memory, what);
    uint8_t address = m->memories[d->memory].is64 ? CM_I64 : CM_I32;
    CM_TRY(check_constexpr(v, &d->offset, address, what));
  }
  return CM_OK;
}

static int compare_names(const void *a, const void *b) {
  const cm_name *x = cm_name_of(*(const char *const *)a);
  const cm_name *y = cm_name_of(*(const char *const *)b);
  if (x->length != y->length) return x->length < y->length ? -1 : 1;
  return memcmp(x->text, y->text, x->length);
}

static cm_status check_exports(validator *v) {
  const cm_module *m = v->m;
  static const char *const kind_names[] = {"function", "table", "memory",
                                           "global"};
  for (uint32_t i = 0; i < m->nexports; i++) {
    const cm_export *e = &m->exports[i];
    uint32_t count = e->kind == CM_EXTERN_FUNC     ? m->nfuncs
                     : e->kind == CM_EXTERN_TABLE  ? m->ntables
                     : e->kind == CM_EXTERN_MEMORY ? m->nmems
                                                   : m->nglobals;
    if (e->index >= count)
      return module_invalid(v, 0, "unknown %s %u (export \"%s\")",
                            kind_names[e->kind], e->index, e->name);
  }
  if (m->nexports < 2) return CM_OK;
  const char **names = malloc(m->nexports * sizeof *names);
  if (!names) return out_of_memory(v);
  for (uint32_t i = 0; i < m->nexports; i++) names[i] = m->exports[i].name;
  qsort(names, m->nexports, sizeof *names, compare_names);
  cm_status status = CM_OK;
  for (uint32_t i = 1; i < m->nexports && status == CM_OK; i++)
    if (compare_names(&names[i - 1], &names[i]) == 0)
      status = module_invalid(v, 0, "duplicate export name \"%s\"", names[i]);
  free(names);
  return status;
}

/* ---- Operand and control stacks ---- */

static cm_status push(validator *v, uint8_t type) {
  if (v->nvals == v->vals_cap) {
    size_t cap = v->vals_cap ? 2 * v->vals_cap : 64;
    uint8_t *grown = realloc(v->vals, cap);
    if (!grown) return out_of_memory(v);
    v->vals = grown;
    v->vals_cap = cap;
  }
  v->vals[v->nvals++] = type;
  v->ncells += cm_valtype_cells(type);
  if (v->ncells > v->max_cells) v->max_cells = v->ncells;
  return CM_OK;
}

static cm_status push_types(validator *v, const uint8_t *types, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) CM_TRY(push(v, types[i]));
  return CM_OK;
}

static ctrl_frame *top_frame(validator *v) { return &v->ctrls[v->nctrls - 1]; }

static cm_status pop(validator *v, uint8_t *type) {
  const ctrl_frame *f = top_frame(v);
  if (v->nvals == f->height) {
    if (f->unreachable) {
      *type = UNKNOWN;
      return CM_OK;
    }
    return func_invalid(v, "type mismatch");
  }
  *type = v->vals[--v->nvals];
  v->ncells -= cm_valtype_cells(*type);
  return CM_OK;
}

static cm_status pop_expect(validator *v, uint8_t expected) {
  uint8_t actual = UNKNOWN;
  CM_TRY(pop(v, &actual));
  if (actual != expected && actual != UNKNOWN && expected != UNKNOWN)
    return func_invalid(v, "type mismatch");
  return CM_OK;
}

static cm_status pop_types(validator *v, const uint8_t *types, uint32_t n) {
  for (uint32_t i = n; i-- > 0;) CM_TRY(pop_expect(v, types[i]));
  return CM_OK;
}

static cm_status push_frame(validator *v, uint8_t opcode, const uint8_t *params,
                            uint32_t nparams, const uint8_t *results,
                            uint32_t nresults) {
  if (v->nctrls == v->ctrls_cap) {
    size_t cap = v->ctrls_cap ? 2 * v->ctrls_cap : 16;
    ctrl_frame *grown = realloc(v->ctrls, cap * sizeof *grown);
    if (!grown) return out_of_memory(v);
    v->ctrls = grown;
    v->ctrls_cap = cap;
  }
  ctrl_frame *f = &v->ctrls[v->nctrls++];
  memset(f, 0, sizeof *f);
  f->opcode = opcode;
  f->height = v->nvals;
  f->cell_height = v->ncells;
  f->params = params, f->nparams = nparams;
  f->results = results, f->nresults = nresults;
  return push_types(v, params, nparams);
}

/* The results must be exactly what is left above the frame's height. */
static cm_status check_frame_results(validator *v) {
  const ctrl_frame *f = top_frame(v);
  CM_TRY(pop_types(v, f->results, f->nresults));
  if (v->nvals != f->height) return func_invalid(v, "type mismatch");
  return CM_OK;
}

static void set_unreachable(validator *v) {
  ctrl_frame *f = top_frame(v);
  v->nvals = f->height;
  v->ncells = f->cell_height;
  f->unreachable = true;
}

/* ---- Emitting code ---- */

static cm_status emit(validator *v, uint16_t op, uint16_t x, uint32_t a,
                      uint64_t b, uint32_t *index) {
  if (v->nout == v->out_cap) {
    if (v->out_cap >= UINT32_MAX / 2)
      return func_invalid(v, "function too large");
    uint32_t cap = v->out_cap ? 2 * v->out_cap : 16;
    cm_insn *grown = realloc(v->out, cap * sizeof *grown);
    if (!grown) return out_of_memory(v);
    v->out = grown;
    v->out_cap = cap;
  }
  if (index) *index = v->nout;
  cm_insn *insn = &v->out[v->nout++];
  insn->op = op;
  insn->x = x;
  insn->a = a;
  insn->b = b;
  return CM_OK;
}

static cm_status emit_plain(validator *v, uint16_t op) {
  return emit(v, op, 0, 0, 0, NULL);
}

/* Branch and return arities are cells, kept in an insn's 16-bit x. */
static cm_status check_arity(validator *v, uint64_t cells) {
  if (cells > UINT16_MAX)
    return func_invalid(v, "too many values for a branch (implementation "
                           "limit 65535 cells)");
  return CM_OK;
}

/* Label types: a loop's label carries its params, others their results. */
static uint32_t label_arity(const ctrl_frame *f) {
  return f->opcode == 0x03 ? f->nparams : f->nresults;
}

static const uint8_t *label_types(const ctrl_frame *f) {
  return f->opcode == 0x03 ? f->params : f->results;
}

static cm_status check_label(validator *v, uint32_t depth) {
  if (depth >= v->nctrls) return func_invalid(v, "unknown label %u", depth);
  return CM_OK;
}

/* A branch (br, br_if, or a br_table entry) to the label `depth` levels
 * out. A loop's target is known; other targets wait in the frame's chain
 * until its end. */
static cm_status emit_branch(validator *v, uint16_t op, uint32_t depth) {
  ctrl_frame *f = &v->ctrls[v->nctrls - 1 - depth];
  uint64_t arity = cm_types_cells(label_types(f), label_arity(f));
  CM_TRY(check_arity(v, arity));
  uint64_t height = (uint64_t)v->code->local_cells + f->cell_height;
  uint32_t index = 0;
  if (f->opcode == 0x03)
    return emit(v, op, (uint16_t)arity, f->loop_start, height, NULL);
  CM_TRY(emit(v, op, (uint16_t)arity, f->pending, height, &index));
  f->pending = index + 1;
  return CM_OK;
}

static void patch_pending(validator *v, uint32_t chain, uint32_t target) {
  while (chain) {
    cm_insn *insn = &v->out[chain - 1];
    chain = insn->a;
    insn->a = target;
  }
}

/* ---- Instructions ---- */

static cm_status block_signature(validator *v, const cm_raw_insn *insn,
                                 const uint8_t **params, uint32_t *nparams,
                                 const uint8_t **results, uint32_t *nresults) {
  *params = *results = NULL;
  *nparams = *nresults = 0;
  if (insn->block_type == CM_BLOCK_EMPTY) return CM_OK;
  if (insn->block_type == CM_BLOCK_TYPEIDX) {
    if (insn->a >= v->m->ntypes)
      return func_invalid(v, "unknown type %u", insn->a);
    const cm_functype *t = &v->m->types[insn->a];
    *params = t->params, *nparams = t->nparams;
    *results = t->results, *nresults = t->nresults;
    return CM_OK;
  }
  *results = valtype_storage(insn->block_type);
  *nresults = 1;
  return CM_OK;
}

static cm_status op_block(validator *v, const cm_raw_insn *insn) {
  const uint8_t *params, *results;
  uint32_t nparams, nresults;
  CM_TRY(block_signature(v, insn, &params, &nparams, &results, &nresults));
  if (insn->op == 0x04) CM_TRY(pop_expect(v, CM_I32));
  CM_TRY(pop_types(v, params, nparams));
  CM_TRY(push_frame(v, (uint8_t)insn->op, params, nparams, results, nresults));
  ctrl_frame *f = top_frame(v);
  if (insn->op == 0x03) f->loop_start = v->nout;
  if (insn->op == 0x04) CM_TRY(emit(v, 0x04, 0, 0, 0, &f->if_insn));
  return CM_OK;
}

static cm_status op_else(validator *v) {
  ctrl_frame *f = top_frame(v);
  if (f->opcode != 0x04) return func_invalid(v, "else without if");
  CM_TRY(check_frame_results(v));
  uint32_t index = 0;
  CM_TRY(emit(v, 0x05, 0, f->pending, 0, &index));
  f->pending = index + 1;
  v->out[f->if_insn].a = v->nout; /* the false arm starts after the else */
  f->opcode = 0x05;
  f->unreachable = false;
  return push_types(v, f->params, f->nparams);
}

static cm_status op_end(validator *v) {
  ctrl_frame *f = top_frame(v);
  CM_TRY(check_frame_results(v));
  if (f->opcode == 0x04) {
    /* no else: the missing arm must turn the params into the results */
    if (f->nparams != f->nresults ||
        (f->nparams && memcmp(f->params, f->results, f->nparams) != 0))
      return func_invalid(v, "type mismatch");
    v->out[f->if_insn].a = v->nout;
  }
  patch_pending(v, f->pending, v->nout);
  ctrl_frame done = *f;
  v->nctrls--;
  if (v->nctrls == 0) {
    uint64_t cells = cm_types_cells(done.results, done.nresults);
    CM_TRY(check_arity(v, cells));
    return emit(v, 0x0f, (uint16_t)cells, 0, 0, NULL);
  }
  return push_types(v, done.results, done.nresults);
}

static cm_status reserve_labels(validator *v, size_t n) {
  if (n <= v->labels_cap) return CM_OK;
  uint32_t *grown = realloc(v->labels, n * sizeof *grown);
  if (!grown) return out_of_memory(v);
  v->labels = grown;
  v->labels_cap = n;
  return CM_OK;
}

/* Pop the operands of label `depth`, checking them, and push back what was
 * popped: with several labels each must accept the same operands. */
static cm_status recheck_label_operands(validator *v, uint32_t depth) {
  const ctrl_frame *f = &v->ctrls[v->nctrls - 1 - depth];
  uint32_t n = label_arity(f);
  const uint8_t *types = label_types(f);
  if (n > v->popped_cap) {
    uint8_t *grown = realloc(v->popped, n);
    if (!grown) return out_of_memory(v);
    v->popped = grown;
    v->popped_cap = n;
  }
  for (uint32_t i = n; i-- > 0;) {
    CM_TRY(pop(v, &v->popped[i]));
    if (v->popped[i] != types[i] && v->popped[i] != UNKNOWN)
      return func_invalid(v, "type mismatch");
  }
  for (uint32_t i = 0; i < n; i++) CM_TRY(push(v, v->popped[i]));
  return CM_OK;
}

static cm_status op_br_table(validator *v, const cm_raw_insn *insn) {
  uint32_t n = insn->a;
  CM_TRY(reserve_labels(v, (size_t)n + 1));
  cm_reader r = cm_reader_new(v->m->bytes, v->m->size, v->err);
  r.p = insn->labels;
  for (uint64_t i = 0; i <= n; i++) CM_TRY(cm_read_u32(&r, &v->labels[i]));
  uint32_t fallback = v->labels[n];

  CM_TRY(pop_expect(v, CM_I32));
  CM_TRY(check_label(v, fallback));
  uint32_t arity = label_arity(&v->ctrls[v->nctrls - 1 - fallback]);
  for (uint32_t i = 0; i < n; i++) {
    CM_TRY(check_label(v, v->labels[i]));
    if (label_arity(&v->ctrls[v->nctrls - 1 - v->labels[i]]) != arity)
      return func_invalid(v, "type mismatch");
    CM_TRY(recheck_label_operands(v, v->labels[i]));
  }
  const ctrl_frame *f = &v->ctrls[v->nctrls - 1 - fallback];
  CM_TRY(pop_types(v, label_types(f), label_arity(f)));

  CM_TRY(emit(v, 0x0e, 0, n, 0, NULL));
  for (uint64_t i = 0; i <= n; i++)
    CM_TRY(emit_branch(v, CM_OP_BR_TABLE_ENTRY, v->labels[i]));
  set_unreachable(v);
  return CM_OK;
}

static cm_status op_call(validator *v, const cm_functype *t, uint16_t op,
                         uint32_t a, uint32_t b) {
  CM_TRY(pop_types(v, t->params, t->nparams));
  CM_TRY(push_types(v, t->results, t->nresults));
  return emit(v, op, 0, a, b, NULL);
}

/* A tail call (return_call, return_call_indirect): the callee's results
 * become the function's, so they must be the same types; the operands
 * below the arguments are dropped, and what follows is unreachable. */
static cm_status op_return_call(validator *v, const cm_functype *t,
                                uint16_t op, uint32_t a, uint32_t b) {
  const ctrl_frame *f = &v->ctrls[0];
  if (t->nresults != f->nresults ||
      (t->nresults && memcmp(t->results, f->results, t->nresults) != 0))
    return func_invalid(v, "type mismatch");
  CM_TRY(pop_types(v, t->params, t->nparams));
  CM_TRY(emit(v, op, 0, a, b, NULL));
  v->m->features |= CM_FEATURE_TAIL_CALL;
  set_unreachable(v);
  return CM_OK;
}

static cm_status need_memory(validator *v) {
  if (v->m->nmems == 0) return func_invalid(v, "unknown memory 0");
  return CM_OK;
}

static cm_status need_table(validator *v, uint32_t table) {
  if (table >= v->m->ntables) return func_invalid(v, "unknown table %u", table);
  return CM_OK;
}

static cm_status need_elem(validator *v, uint32_t elem) {
  if (elem >= v->m->nelems)
    return func_invalid(v, "unknown elem segment %u", elem);
  return CM_OK;
}

/* C.datas has the length the data count section gives (decoding requires
 * that section wherever a data index appears in code). */
static cm_status need_data(validator *v, uint32_t data) {
  if (data >= v->m->datacount)
    return func_invalid(v, "unknown data segment %u", data);
  return CM_OK;
}

static uint8_t address_type(const validator *v) {
  return v->insn_ctx.memory64 ? CM_I64 : CM_I32;
}

/* Loads 0x28..0x35 and stores 0x36..0x3e: value type and natural
 * alignment exponent. */
static const struct {
  uint8_t type, natural;
} memory_ops[] = {
    {CM_I32, 2}, {CM_I64, 3}, {CM_F32, 2}, {CM_F64, 3}, /* 0x28 loads */
    {CM_I32, 0}, {CM_I32, 0}, {CM_I32, 1}, {CM_I32, 1}, /* i32 8/16 */
    {CM_I64, 0}, {CM_I64, 0}, {CM_I64, 1}, {CM_I64, 1}, /* i64 8/16 */
    {CM_I64, 2}, {CM_I64, 2},                           /* i64 32 */
    {CM_I32, 2}, {CM_I64, 3}, {CM_F32, 2}, {CM_F64, 3}, /* 0x36 stores */
    {CM_I32, 0}, {CM_I32, 1},                           /* i32 8/16 */
    {CM_I64, 0}, {CM_I64, 1}, {CM_I64, 2},              /* i64 8/16/32 */
};

static cm_status op_memory_access(validator *v, const cm_raw_insn *insn) {
  CM_TRY(need_memory(v));
  uint8_t type = memory_ops[insn->op - 0x28].type;
  if (insn->a > memory_ops[insn->op - 0x28].natural)
    return func_invalid(v, "alignment must not be larger than natural");
  if (insn->op >= 0x36) {
    CM_TRY(pop_expect(v, type));
    CM_TRY(pop_expect(v, address_type(v)));
  } else {
    CM_TRY(pop_expect(v, address_type(v)));
    CM_TRY(push(v, type));
  }
  return emit(v, insn->op, 0, insn->a, insn->value, NULL);
}

static cm_status op_select(validator *v, const cm_raw_insn *insn) {
  uint8_t t1 = UNKNOWN, t2 = UNKNOWN;
  if (insn->op == 0x1c) {
    if (insn->a != 1) return func_invalid(v, "invalid result arity");
    CM_TRY(pop_expect(v, CM_I32));
    CM_TRY(pop_expect(v, (uint8_t)insn->b));
    CM_TRY(pop_expect(v, (uint8_t)insn->b));
    CM_TRY(push(v, (uint8_t)insn->b));
    return emit_plain(v, insn->b == CM_V128 ? CM_OP_SELECT_V128 : 0x1c);
  }
  CM_TRY(pop_expect(v, CM_I32));
  CM_TRY(pop(v, &t1));
  CM_TRY(pop(v, &t2));
  /* without a type, select only chooses between numeric or vector values */
  if ((t1 != UNKNOWN && !is_numeric(t1) && t1 != CM_V128) ||
      (t2 != UNKNOWN && !is_numeric(t2) && t2 != CM_V128))
    return func_invalid(v, "type mismatch");
  if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN)
    return func_invalid(v, "type mismatch");
  uint8_t t = t1 == UNKNOWN ? t2 : t1;
  CM_TRY(push(v, t));
  return emit_plain(v, t == CM_V128 ? CM_OP_SELECT_V128 : 0x1b);
}

static cm_status op_variable(validator *v, const cm_raw_insn *insn) {
  const cm_module *m = v->m;
  uint32_t x = insn->a;
  if (insn->op <= 0x22) { /* local.get, local.set, local.tee */
    if (x >= v->code->nlocals) return func_invalid(v, "unknown local %u", x);
    uint8_t t = v->code->local_types[x];
    if (insn->op != 0x20) CM_TRY(pop_expect(v, t));
    if (insn->op != 0x21) CM_TRY(push(v, t));
    uint16_t op = insn->op;
    if (t == CM_V128)
      op = op == 0x20   ? CM_OP_LOCAL_GET_V128
           : op == 0x21 ? CM_OP_LOCAL_SET_V128
                        : CM_OP_LOCAL_TEE_V128;
    return emit(v, op, 0, v->local_offsets[x], 0, NULL);
  }
  /* global.get, global.set */
  if (x >= m->nglobals) return func_invalid(v, "unknown global %u", x);
  const cm_globaltype *g = &m->globals[x];
  if (insn->op == 0x23) {
    CM_TRY(push(v, g->type));
  } else {
    if (!g->mut) return func_invalid(v, "global is immutable");
    CM_TRY(pop_expect(v, g->type));
  }
  uint16_t op = insn->op;
  if (g->type == CM_V128)
    op = op == 0x23 ? CM_OP_GLOBAL_GET_V128 : CM_OP_GLOBAL_SET_V128;
  return emit(v, op, 0, x, 0, NULL);
}

static cm_status op_table(validator *v, const cm_raw_insn *insn) {
  const cm_module *m = v->m;
  uint32_t a = insn->a, b = insn->b;
  /* the table's own index type; table.init names its table in b */
  uint8_t it = CM_I32;
  if (insn->op != CM_OP_FC + 13) { /* every op but elem.drop has a table */
    uint32_t table = insn->op == CM_OP_FC + 12 ? b : a;
    CM_TRY(need_table(v, table));
    it = table_index_type(m, table);
  }
  switch (insn->op) {
  case 0x25: /* table.get: [it] -> [t] */
    CM_TRY(pop_expect(v, it));
    CM_TRY(push(v, m->tables[a].elemtype));
    break;
  case 0x26: /* table.set: [it t] -> [] */
    CM_TRY(pop_expect(v, m->tables[a].elemtype));
    CM_TRY(pop_expect(v, it));
    break;
  case CM_OP_FC + 12: /* table.init elem table: [it i32 i32] -> [] */
    CM_TRY(need_elem(v, a));
    if (m->elems[a].reftype != m->tables[b].elemtype)
      return func_invalid(v, "type mismatch");
    CM_TRY(pop_expect(v, CM_I32));
    CM_TRY(pop_expect(v, CM_I32));
    CM_TRY(pop_expect(v, it));
    break;
  case CM_OP_FC + 13: /* elem.drop */ CM_TRY(need_elem(v, a)); break;
  case CM_OP_FC + 14: { /* table.copy dst src: [iN iM min(iN,iM)] -> [] */
    CM_TRY(need_table(v, b));
    if (m->tables[a].elemtype != m->tables[b].elemtype)
      return func_invalid(v, "type mismatch");
    uint8_t src_it = table_index_type(m, b);
    uint8_t n_it = it == CM_I64 && src_it == CM_I64 ? CM_I64 : CM_I32;
    CM_TRY(pop_expect(v, n_it));
    CM_TRY(pop_expect(v, src_it));
    CM_TRY(pop_expect(v, it));
    break;
  }
  case CM_OP_FC + 15: /* table.grow: [t it] -> [it] */
    CM_TRY(pop_expect(v, it));
    CM_TRY(pop_expect(v, m->tables[a].elemtype));
    CM_TRY(push(v, it));
    break;
  case CM_OP_FC + 16: /* table.size: [] -> [it] */
    CM_TRY(push(v, it));
    break;
  default: /* table.fill: [it t it] -> [] */
    CM_TRY(pop_expect(v, it));
    CM_TRY(pop_expect(v, m->tables[a].elemtype));
    CM_TRY(pop_expect(v, it));
    break;
  }
  return emit(v, insn->op, 0, a, b, NULL);
}

static cm_status op_memory(validator *v, const cm_raw_insn *insn) {
  uint8_t at = address_type(v);
  switch (insn->op) {
  case 0x3f: /* memory.size */
    CM_TRY(need_memory(v));
    CM_TRY(push(v, at));
    break;
  case 0x40: /* memory.grow */
    CM_TRY(need_memory(v));
    CM_TRY(pop_expect(v, at));
    CM_TRY(push(v, at));
    break;
  case CM_OP_FC + 8: /* memory.init: [at i32 i32] */
    CM_TRY(need_memory(v));
    CM_TRY(need_data(v, insn->a));
    CM_TRY(pop_expect(v, CM_I32));
    CM_TRY(pop_expect(v, CM_I32));
    CM_TRY(pop_expect(v, at));
    break;
  case CM_OP_FC + 9: /* data.drop */ CM_TRY(need_data(v, insn->a)); break;
  case CM_OP_FC + 10: /* memory.copy: [at at at] */
    CM_TRY(need_memory(v));
    CM_TRY(pop_expect(v, at));
    CM_TRY(pop_expect(v, at));
    CM_TRY(pop_expect(v, at));
    break;
  default: /* memory.fill: [at i32 at] */
    CM_TRY(need_memory(v));
    CM_TRY(pop_expect(v, at));
    CM_TRY(pop_expect(v, CM_I32));
    CM_TRY(pop_expect(v, at));
    break;
  }
  return emit(v, insn->op, 0, insn->a, 0, NULL);
}

static cm_status op_numeric(validator *v, const cm_raw_insn *insn) {
  const numeric_sig *sig = &v->numeric[insn->op];
  if (sig->in2) CM_TRY(pop_expect(v, sig->in2));
  CM_TRY(pop_expect(v, sig->in1));
  CM_TRY(push(v, sig->out));
  return emit_plain(v, insn->op);
}

/* ---- SIMD (0xfd) ---- */

static cm_status check_lane(validator *v, uint32_t lane, uint32_t lanes) {
  if (lane >= lanes) return func_invalid(v, "invalid lane index");
  return CM_OK;
}

/* A v128 immediate (v128.const, shuffle's lanes) as two insns: the op with
 * bytes 0..7 in b, then CM_OP_V128_DATA with bytes 8..15. */
static cm_status emit_v128(validator *v, uint16_t op, const uint8_t *bytes) {
  CM_TRY(emit(v, op, 0, 0, cm_le64(bytes), NULL));
  return emit(v, CM_OP_V128_DATA, 0, 0, cm_le64(bytes + 8), NULL);
}

/* A pure instruction (simd.h): typed by its signature, compiled to the one
 * generic V128_PURE with the operand shape exec needs. */
static cm_status op_simd_pure(validator *v, const cm_raw_insn *insn,
                              uint32_t sub) {
  const cm_simd_sig *sig = cm_simd_signature(sub);
  if (!sig) return func_invalid(v, "illegal opcode"); /* decode refused it */
  if (sig->lanes) CM_TRY(check_lane(v, insn->b, sig->lanes));
  uint64_t shape = sig->nparams;
  for (unsigned i = sig->nparams; i-- > 0;) {
    CM_TRY(pop_expect(v, sig->params[i]));
    if (sig->params[i] == CM_V128) shape |= 1u << (2 + i);
  }
  CM_TRY(push(v, sig->result));
  if (sig->result == CM_V128) shape |= 1u << 5;
  return emit(v, CM_OP_V128_PURE, (uint16_t)insn->b, sub, shape, NULL);
}

static cm_status op_simd(validator *v, const cm_raw_insn *insn) {
  uint32_t sub = (uint32_t)(insn->op - CM_OP_FD);
  cm_simd_memop memop;
  if (cm_simd_memop_of(sub, &memop)) {
    CM_TRY(need_memory(v));
    if (insn->a > memop.natural)
      return func_invalid(v, "alignment must not be larger than natural");
    if (memop.lanes) CM_TRY(check_lane(v, insn->b, memop.lanes));
    /* the stored value, or the vector whose lane is loaded or stored */
    if (memop.store || memop.lanes) CM_TRY(pop_expect(v, CM_V128));
    CM_TRY(pop_expect(v, address_type(v)));
    if (!memop.store) CM_TRY(push(v, CM_V128));
    return emit(v, insn->op, (uint16_t)insn->b, insn->a, insn->value, NULL);
  }
  if (sub == 0x0c) { /* v128.const */
    CM_TRY(push(v, CM_V128));
    return emit_v128(v, insn->op, insn->bytes);
  }
  if (sub == 0x0d) { /* i8x16.shuffle: lanes index both operands' 32 bytes */
    for (unsigned i = 0; i < 16; i++)
      CM_TRY(check_lane(v, insn->bytes[i], 32));
    CM_TRY(pop_expect(v, CM_V128));
    CM_TRY(pop_expect(v, CM_V128));
    CM_TRY(push(v, CM_V128));
    return emit_v128(v, insn->op, insn->bytes);
  }
  return op_simd_pure(v, insn, sub);
}

static cm_status validate_insn(validator *v, const cm_raw_insn *insn) {
  const cm_module *m = v->m;
  uint16_t op = insn->op;
  if (op >= CM_OP_FD) return op_simd(v, insn);
  if (v->numeric[op].out) return op_numeric(v, insn);
  if (op >= 0x28 && op <= 0x3e) return op_memory_access(v, insn);
  switch (op) {
  case 0x00: /* unreachable */ set_unreachable(v); return emit_plain(v, 0x00);
  case 0x01: /* nop */ return CM_OK;
  case 0x02: /* block */
  case 0x03: /* loop */
  case 0x04: /* if */ return op_block(v, insn);
  case 0x05: return op_else(v);
  case 0x0b: return op_end(v);
  case 0x0c: /* br */
    CM_TRY(check_label(v, insn->a));
    {
      const ctrl_frame *f = &v->ctrls[v->nctrls - 1 - insn->a];
      CM_TRY(pop_types(v, label_types(f), label_arity(f)));
    }
    CM_TRY(emit_branch(v, 0x0c, insn->a));
    set_unreachable(v);
    return CM_OK;
  case 0x0d: /* br_if */
    CM_TRY(check_label(v, insn->a));
    CM_TRY(pop_expect(v, CM_I32));
    {
      const ctrl_frame *f = &v->ctrls[v->nctrls - 1 - insn->a];
      CM_TRY(pop_types(v, label_types(f), label_arity(f)));
      CM_TRY(push_types(v, label_types(f), label_arity(f)));
    }
    return emit_branch(v, 0x0d, insn->a);
  case 0x0e: return op_br_table(v, insn);
  case 0x0f: { /* return */
    const ctrl_frame *f = &v->ctrls[0];
    uint64_t cells = cm_types_cells(f->results, f->nresults);
    CM_TRY(pop_types(v, f->results, f->nresults));
    CM_TRY(check_arity(v, cells));
    CM_TRY(emit(v, 0x0f, (uint16_t)cells, 0, 0, NULL));
    set_unreachable(v);
    return CM_OK;
  }
  case 0x10: /* call */
    if (insn->a >= m->nfuncs)
      return func_invalid(v, "unknown function %u", insn->a);
    return op_call(v, &m->types[m->func_types[insn->a]], 0x10, insn->a, 0);
  case 0x11: /* call_indirect */
  case 0x13: /* return_call_indirect */
    CM_TRY(need_table(v, insn->b));
    if (m->tables[insn->b].elemtype != CM_FUNCREF)
      return func_invalid(v, "type mismatch");
    if (insn->a >= m->ntypes)
      return func_invalid(v, "unknown type %u", insn->a);
    CM_TRY(pop_expect(v, table_index_type(m, insn->b)));
    if (op == 0x13)
      return op_return_call(v, &m->types[insn->a], 0x13, insn->a, insn->b);
    return op_call(v, &m->types[insn->a], 0x11, insn->a, insn->b);
  case 0x12: /* return_call */
    if (insn->a >= m->nfuncs)
      return func_invalid(v, "unknown function %u", insn->a);
    return op_return_call(v, &m->types[m->func_types[insn->a]], 0x12,
                          insn->a, 0);
  case 0x1a: { /* drop */
    uint8_t t = UNKNOWN;
    CM_TRY(pop(v, &t));
    return emit_plain(v, t == CM_V128 ? CM_OP_DROP_V128 : 0x1a);
  }
  case 0x1b:
  case 0x1c: return op_select(v, insn);
  case 0x20:
  case 0x21:
  case 0x22:
  case 0x23:
  case 0x24: return op_variable(v, insn);
  case 0x25:
  case 0x26: return op_table(v, insn);
  case 0x3f:
  case 0x40: return op_memory(v, insn);
  case 0x41: /* i32.const */
    CM_TRY(push(v, CM_I32));
    return emit(v, op, 0, 0, insn->value, NULL);
  case 0x42:
    CM_TRY(push(v, CM_I64));
    return emit(v, op, 0, 0, insn->value, NULL);
  case 0x43:
    CM_TRY(push(v, CM_F32));
    return emit(v, op, 0, 0, insn->value, NULL);
  case 0x44:
    CM_TRY(push(v, CM_F64));
    return emit(v, op, 0, 0, insn->value, NULL);
  case 0xd0: /* ref.null */
    CM_TRY(push(v, (uint8_t)insn->a));
    return emit_plain(v, 0xd0);
  case 0xd1: { /* ref.is_null */
    uint8_t t = UNKNOWN;
    CM_TRY(pop(v, &t));
    if (t != UNKNOWN && !is_reference(t))
      return func_invalid(v, "type mismatch");
    CM_TRY(push(v, CM_I32));
    return emit_plain(v, 0xd1);
  }
  case 0xd2: /* ref.func */
    if (insn->a >= m->nfuncs)
      return func_invalid(v, "unknown function %u", insn->a);
    if (!v->refs[insn->a])
      return func_invalid(v, "undeclared function reference");
    CM_TRY(push(v, CM_FUNCREF));
    return emit(v, 0xd2, 0, insn->a, 0, NULL);
  case CM_OP_FC + 8:
  case CM_OP_FC + 9:
  case CM_OP_FC + 10:
  case CM_OP_FC + 11: return op_memory(v, insn);
  case CM_OP_FC + 12:
  case CM_OP_FC + 13:
  case CM_OP_FC + 14:
  case CM_OP_FC + 15:
  case CM_OP_FC + 16:
  case CM_OP_FC + 17: return op_table(v, insn);
  default:
    /* cm_read_insn returns no other opcode */
    return func_invalid(v, "illegal opcode");
  }
}

/* The fp offset of every local (a v128 takes two cells) and their total. */
static cm_status place_locals(validator *v, cm_code *code) {
  if (code->nlocals > v->local_offsets_cap) {
    uint32_t *grown =
        realloc(v->local_offsets, code->nlocals * sizeof *grown);
    if (!grown) return out_of_memory(v);
    v->local_offsets = grown;
    v->local_offsets_cap = code->nlocals;
  }
  uint64_t cells = 0;
  for (uint32_t k = 0; k < code->nlocals; k++) {
    v->local_offsets[k] = (uint32_t)cells;
    cells += cm_valtype_cells(code->local_types[k]);
    if (cells > UINT32_MAX) return func_invalid(v, "too many locals");
  }
  code->local_cells = (uint32_t)cells;
  return CM_OK;
}

/* ---- Superinstructions (module.h) ---- */

static bool fusable_i32(uint16_t op) {
  switch (op) {
#define CM_FUSABLE_CASE(name, wasm_op, expr) case wasm_op:
    CM_FUSABLE_I32(CM_FUSABLE_CASE)
#undef CM_FUSABLE_CASE
    return true;
  default:
    return false;
  }
}

/* Whether the run code[i..i+n) fits, with no branch target inside it. */
static bool run_free(const bool *target, uint32_t nout, uint32_t i,
                     uint32_t n) {
  if (i + n > nout) return false;
  for (uint32_t k = 1; k < n; k++)
    if (target[i + k]) return false;
  return true;
}

/* The runs around one operator (module.h): the insns before it, and the
 * forms with a br_if, local.set or local.tee after it (-1: none). */
static const struct {
  int form, br_form, set_form, tee_form;
  uint16_t first, second; /* second 0: a run of two */
} operand_forms[] = {
    {CM_FORM_LL, CM_FORM_BR_LL, CM_FORM_LL_SET, CM_FORM_LL_TEE, 0x20, 0x20},
    {CM_FORM_LC, CM_FORM_BR_LC, CM_FORM_LC_SET, CM_FORM_LC_TEE, 0x20, 0x41},
    {CM_FORM_TEE_SC, CM_FORM_TEE_BR_SC, -1, -1, 0x22, 0x41},
    {CM_FORM_SL, CM_FORM_BR_SL, -1, -1, 0x20, 0},
    {CM_FORM_SC, CM_FORM_BR_SC, -1, -1, 0x41, 0},
};

/* The form of the run starting at code[i], or -1; its length goes to *n,
 * its operator's opcode to *op. */
static int match_run(const cm_insn *code, const bool *target, uint32_t nout,
                     uint32_t i, uint32_t *n, uint16_t *op) {
  for (size_t f = 0; f < sizeof operand_forms / sizeof *operand_forms; f++) {
    uint32_t len = operand_forms[f].second ? 3 : 2;
    if (!run_free(target, nout, i, len) ||
        code[i].op != operand_forms[f].first ||
        (operand_forms[f].second && code[i + 1].op != operand_forms[f].second) ||
        !fusable_i32(code[i + len - 1].op))
      continue;
    *n = len;
    *op = code[i + len - 1].op;
    if (!run_free(target, nout, i, len + 1))
      return operand_forms[f].form;
    const cm_insn *next = &code[i + len];
    int longer = next->op == 0x0d ? operand_forms[f].br_form
                 : next->a > UINT16_MAX ? -1 /* out of x's range */
                 : next->op == 0x21 ? operand_forms[f].set_form
                 : next->op == 0x22 ? operand_forms[f].tee_form
                                    : -1;
    if (longer < 0)
      return operand_forms[f].form;
    *n = len + 1;
    return longer;
  }
  if (run_free(target, nout, i, 2) && fusable_i32(code[i].op) &&
      code[i + 1].op == 0x0d) {
    *n = 2;
    *op = code[i].op;
    return CM_FORM_BR_S;
  }
  return -1;
}

/* The pairs with an opcode of their own (module.h): fuse code[i] and
 * code[i + 1] if they are one, setting the first insn's fields. */
static bool fuse_pair(cm_insn *code, const bool *target, uint32_t nout,
                      uint32_t i) {
  if (!run_free(target, nout, i, 2)) return false;
  cm_insn *first = &code[i];
  const cm_insn *second = &code[i + 1];
  uint16_t op = 0;
  if (first->op == 0x20 && second->op == 0x21) {
    op = CM_OP_LOCAL_COPY;
    first->b = second->a;
  } else if (first->op == 0x41 && second->op == 0x21) {
    op = CM_OP_CONST_TO_LOCAL;
    first->a = second->a;
  } else if (first->op == 0x45 && second->op == 0x0d) {
    op = CM_OP_BR_IF_EQZ;
  } else if (first->op == 0x20 && second->op == 0x0d) {
    op = CM_OP_BR_IF_LOCAL;
  } else if (first->op == 0x22 && second->op == 0x0d) {
    op = CM_OP_TEE_BR_IF;
  } else if (first->op == 0x20 && second->op >= 0x28 && second->op <= 0x35) {
    op = (uint16_t)(CM_OP_LOCAL_LOAD + (second->op - 0x28));
    first->b = second->b;
  } else if (first->op == 0x20 && second->op >= 0x36 && second->op <= 0x3e) {
    op = (uint16_t)(CM_OP_LOCAL_STORE + (second->op - 0x36));
    first->b = second->b;
  } else {
    return false;
  }
  first->op = op;
  return true;
}

/* Fuse the compiled body v->out into superinstructions, first match first. */
static cm_status fuse_superinstructions(validator *v) {
  cm_insn *code = v->out;
  uint32_t nout = v->nout;
  bool *target = calloc(nout ? nout : 1, sizeof *target);
  if (!target) return out_of_memory(v);
  for (uint32_t i = 0; i < nout; i++) {
    uint16_t op = code[i].op;
    if ((op == 0x04 || op == 0x05 || op == 0x0c || op == 0x0d ||
         op == CM_OP_BR_TABLE_ENTRY) && code[i].a < nout)
      target[code[i].a] = true;
  }
  for (uint32_t i = 0; i < nout;) {
    uint32_t n = 1;
    uint16_t op = 0;
    int form = match_run(code, target, nout, i, &n, &op);
    if (form < 0) {
      i += fuse_pair(code, target, nout, i) ? 2 : 1;
      continue;
    }
    /* The first insn has a (x, or y in SL); add the second operand and
     * the destination local. */
    if (form == CM_FORM_LL || form == CM_FORM_BR_LL ||
        form == CM_FORM_LL_SET || form == CM_FORM_LL_TEE)
      code[i].b = code[i + 1].a;
    else if (form == CM_FORM_LC || form == CM_FORM_BR_LC ||
             form == CM_FORM_LC_SET || form == CM_FORM_LC_TEE ||
             form == CM_FORM_TEE_SC || form == CM_FORM_TEE_BR_SC)
      code[i].b = code[i + 1].b;
    if (form == CM_FORM_LL_SET || form == CM_FORM_LC_SET ||
        form == CM_FORM_LL_TEE || form == CM_FORM_LC_TEE)
      code[i].x = (uint16_t)code[i + 3].a;
    code[i].op = (uint16_t)CM_FUSED_OP(form, op);
    i += n;
  }
  free(target);
  return CM_OK;
}

static cm_status compile_function(validator *v, uint32_t i) {
  cm_module *m = v->m;
  cm_code *code = &m->codes[i];
  const cm_functype *type = &m->types[code->type];
  v->func = m->nfuncs_imported + i;
  v->code = code;
  v->insn = NULL;
  v->nvals = v->nctrls = v->ncells = v->max_cells = 0;
  v->nout = 0;
  CM_TRY(place_locals(v, code));
  CM_TRY(push_frame(v, 0, NULL, 0, type->results, type->nresults));

  cm_reader r = cm_reader_new(m->bytes, m->size, v->err);
  r.p = code->body;
  r.end = code->body + code->body_size;
  r.func = v->func;
  while (v->nctrls > 0) {
    cm_raw_insn insn;
    CM_TRY(cm_read_insn(&r, &v->insn_ctx, &insn));
    v->insn = &insn;
    CM_TRY(validate_insn(v, &insn));
  }
  v->insn = NULL;
  CM_TRY(fuse_superinstructions(v));

  code->code = malloc((size_t)v->nout * sizeof *code->code);
  if (!code->code) return out_of_memory(v);
  memcpy(code->code, v->out, (size_t)v->nout * sizeof *code->code);
  code->ncode = v->nout;
  uint64_t max_height = (uint64_t)code->local_cells + v->max_cells;
  if (max_height > UINT32_MAX) return func_invalid(v, "function too large");
  code->max_height = (uint32_t)max_height;
  return CM_OK;
}

/* ---- The module ---- */

static void fill_numeric(validator *v) {
  static const struct {
    uint16_t first, last;
    uint8_t in1, in2, out;
  } ranges[] = {
      {0x45, 0x45, CM_I32, 0, CM_I32},                 /* i32.eqz */
      {0x46, 0x4f, CM_I32, CM_I32, CM_I32},            /* i32 comparisons */
      {0x50, 0x50, CM_I64, 0, CM_I32},                 /* i64.eqz */
      {0x51, 0x5a, CM_I64, CM_I64, CM_I32},            /* i64 comparisons */
      {0x5b, 0x60, CM_F32, CM_F32, CM_I32},            /* f32 comparisons */
      {0x61, 0x66, CM_F64, CM_F64, CM_I32},            /* f64 comparisons */
      {0x67, 0x69, CM_I32, 0, CM_I32},                 /* i32 clz ctz popcnt */
      {0x6a, 0x78, CM_I32, CM_I32, CM_I32},            /* i32 arithmetic */
      {0x79, 0x7b, CM_I64, 0, CM_I64},                 /* i64 clz ctz popcnt */
      {0x7c, 0x8a, CM_I64, CM_I64, CM_I64},            /* i64 arithmetic */
      {0x8b, 0x91, CM_F32, 0, CM_F32},                 /* f32 abs..sqrt */
      {0x92, 0x98, CM_F32, CM_F32, CM_F32},            /* f32 add..copysign */
      {0x99, 0x9f, CM_F64, 0, CM_F64},                 /* f64 abs..sqrt */
      {0xa0, 0xa6, CM_F64, CM_F64, CM_F64},            /* f64 add..copysign */
      {0xa7, 0xa7, CM_I64, 0, CM_I32},                 /* i32.wrap_i64 */
      {0xa8, 0xa9, CM_F32, 0, CM_I32},                 /* i32.trunc_f32 */
      {0xaa, 0xab, CM_F64, 0, CM_I32},                 /* i32.trunc_f64 */
      {0xac, 0xad, CM_I32, 0, CM_I64},                 /* i64.extend_i32 */
      {0xae, 0xaf, CM_F32, 0, CM_I64},                 /* i64.trunc_f32 */
      {0xb0, 0xb1, CM_F64, 0, CM_I64},                 /* i64.trunc_f64 */
      {0xb2, 0xb3, CM_I32, 0, CM_F32},                 /* f32.convert_i32 */
      {0xb4, 0xb5, CM_I64, 0, CM_F32},                 /* f32.convert_i64 */
      {0xb6, 0xb6, CM_F64, 0, CM_F32},                 /* f32.demote_f64 */
      {0xb7, 0xb8, CM_I32, 0, CM_F64},                 /* f64.convert_i32 */
      {0xb9, 0xba, CM_I64, 0, CM_F64},                 /* f64.convert_i64 */
      {0xbb, 0xbb, CM_F32, 0, CM_F64},                 /* f64.promote_f32 */
      {0xbc, 0xbc, CM_F32, 0, CM_I32},                 /* i32.reinterpret_f32 */
      {0xbd, 0xbd, CM_F64, 0, CM_I64},                 /* i64.reinterpret_f64 */
      {0xbe, 0xbe, CM_I32, 0, CM_F32},                 /* f32.reinterpret_i32 */
      {0xbf, 0xbf, CM_I64, 0, CM_F64},                 /* f64.reinterpret_i64 */
      {0xc0, 0xc1, CM_I32, 0, CM_I32},                 /* i32.extend8/16_s */
      {0xc2, 0xc4, CM_I64, 0, CM_I64},                 /* i64.extend8/16/32_s */
      {CM_OP_FC + 0, CM_OP_FC + 1, CM_F32, 0, CM_I32}, /* trunc_sat */
      {CM_OP_FC + 2, CM_OP_FC + 3, CM_F64, 0, CM_I32},
      {CM_OP_FC + 4, CM_OP_FC + 5, CM_F32, 0, CM_I64},
      {CM_OP_FC + 6, CM_OP_FC + 7, CM_F64, 0, CM_I64},
  };
  memset(v->numeric, 0, sizeof v->numeric);
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    for (uint16_t op = ranges[i].first; op <= ranges[i].last; op++) {
      v->numeric[op].in1 = ranges[i].in1;
      v->numeric[op].in2 = ranges[i].in2;
      v->numeric[op].out = ranges[i].out;
    }
}

static cm_status validate_module(validator *v) {
  cm_module *m = v->m;
  char what[48];
  CM_TRY(check_imports(v));
  /* exec counts a call's parameters and results in 32-bit cell counts */
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (cm_types_cells(m->types[i].params, m->types[i].nparams) > UINT32_MAX ||
        cm_types_cells(m->types[i].results, m->types[i].nresults) >
            UINT32_MAX)
      return module_invalid(v, 0,
                            "type %u has too many values (implementation "
                            "limit)",
                            i);
  for (uint32_t i = m->nfuncs_imported; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes)
      return module_invalid(v, 0, "unknown type %u (function %u)",
                            m->func_types[i], i);
  for (uint32_t i = m->ntables_imported; i < m->ntables; i++)
    CM_TRY(check_table(v, &m->tables[i], i));
  for (uint32_t i = m->nmems_imported; i < m->nmems; i++)
    CM_TRY(check_memory(v, &m->memories[i], i));
  if (m->nmems > 1)
    return module_invalid(v, 0,
                          "multiple memories (%u): multi-memory is not "
                          "supported",
                          m->nmems);
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->tables[i].limits.is64) m->features |= CM_FEATURE_TABLE64;
  CM_TRY(collect_refs(v));
  for (uint32_t i = m->nglobals_imported; i < m->nglobals; i++) {
    snprintf(what, sizeof what, "global %u", i);
    CM_TRY(check_constexpr(v, &m->global_inits[i - m->nglobals_imported],
                           m->globals[i].type, what));
  }
  CM_TRY(check_elems(v));
  CM_TRY(check_datas(v));
  for (uint32_t i = 0; i < m->nfuncs - m->nfuncs_imported; i++)
    CM_TRY(compile_function(v, i));
  if (m->has_start) {
    if (m->start >= m->nfuncs)
      return module_invalid(v, 0, "unknown function %u (start)", m->start);
    const cm_functype *t = &m->types[m->func_types[m->start]];
    if (t->nparams != 0 || t->nresults != 0)
      return module_invalid(v, 0, "start function must have type [] -> []");
  }
  return check_exports(v);
}

cm_status cm_validate(cm_module *m, cm_error *err) {
  cm_error scratch;
  if (!err) err = &scratch;
  validator *v = calloc(1, sizeof *v);
  if (!v)
    return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                   "out of host memory while validating");
  v->m = m;
  v->err = err;
  v->insn_ctx.memory64 = m->nmems > 0 && m->memories[0].is64;
  v->insn_ctx.has_datacount = m->has_datacount;
  fill_numeric(v);
  cm_status status = validate_module(v);
  free(v->refs);
  free(v->vals);
  free(v->local_offsets);
  free(v->ctrls);
  free(v->out);
  free(v->labels);
  free(v->popped);
  free(v);
  return status;
}
