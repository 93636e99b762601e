/* canmem engine: the Binary Format chapter.
 *
 * cm_decode reads the whole module into a cm_module: sections in order,
 * every vector and name, constant expressions, and the structure of every
 * function body (opcodes, immediates, nesting), so that each error the spec
 * classifies as malformed is reported here, before validation starts.
 * Function bodies are kept as byte ranges; validate.c reads them again with
 * cm_read_insn while it type-checks and compiles them. */
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "reader.h"
#include "simd.h"
#include "utf8.h"

typedef struct {
  cm_module *m;
  cm_error *err;
  cm_insn_context insn;
  uint32_t ndefined_funcs; /* length of the function section */
  bool has_code_section;
  /* scan_expr's stack: one entry per open block, true for an `if` whose
   * else has not been seen */
  bool *open_ifs;
  size_t open_cap;
} decoder;

static cm_status out_of_memory(cm_error *err) {
  cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE, "out of host memory while decoding");
  return CM_NO_MEMORY;
}

/* calloc that treats n == 0 as one element, so NULL always means failure */
static void *alloc_array(size_t n, size_t size) {
  return calloc(n ? n : 1, size);
}

static bool is_valtype(uint8_t b) {
  return b == CM_I32 || b == CM_I64 || b == CM_F32 || b == CM_F64 ||
         b == CM_V128 || b == CM_FUNCREF || b == CM_EXTERNREF;
}

static bool is_reftype(uint8_t b) {
  return b == CM_FUNCREF || b == CM_EXTERNREF;
}

static cm_status read_valtype(cm_reader *r, uint8_t *out) {
  const uint8_t *at = r->p;
  CM_TRY(cm_read_u8(r, out));
  if (is_valtype(*out)) return CM_OK;
  return cm_reader_fail_at(r, at, "malformed value type");
}

static cm_status read_reftype(cm_reader *r, uint8_t *out) {
  const uint8_t *at = r->p;
  CM_TRY(cm_read_u8(r, out));
  if (is_reftype(*out)) return CM_OK;
  return cm_reader_fail_at(r, at, "malformed reference type");
}

/* The length of a vector whose elements take at least one byte each: a
 * length beyond the bytes left would run into the end, so say so now,
 * which keeps allocations proportional to the input. */
static cm_status read_length(cm_reader *r, uint32_t *out) {
  CM_TRY(cm_read_u32(r, out));
  if (*out > cm_reader_left(r)) return cm_reader_fail_end(r);
  return CM_OK;
}

/* A reserved memory index: a single zero byte in this feature set. */
static cm_status read_zero_byte(cm_reader *r) {
  const uint8_t *at = r->p;
  uint8_t b;
  CM_TRY(cm_read_u8(r, &b));
  if (b != 0) return cm_reader_fail_at(r, at, "zero byte expected");
  return CM_OK;
}

/* ---- Names ---- */

static cm_status read_name(decoder *d, cm_reader *r, char **out) {
  uint32_t len;
  const uint8_t *bytes;
  CM_TRY(cm_read_u32(r, &len));
  const uint8_t *at = r->p;
  CM_TRY(cm_read_bytes(r, len, &bytes));
  if (!cm_utf8_valid(bytes, len))
    return cm_reader_fail_at(r, at, "malformed UTF-8 encoding");
  cm_name *name = malloc(sizeof(cm_name) + (size_t)len + 1);
  if (!name) return out_of_memory(d->err);
  name->length = len;
  if (len) memcpy(name->text, bytes, len);
  name->text[len] = '\0';
  *out = name->text;
  return CM_OK;
}

/* ---- Instructions ---- */

static cm_status read_block_type(cm_reader *r, cm_raw_insn *out) {
  if (r->p >= r->end) return cm_reader_fail_end(r);
  const uint8_t *at = r->p;
  uint8_t b = *at;
  if (b == CM_BLOCK_EMPTY || is_valtype(b)) {
    r->p++;
    out->block_type = b;
    return CM_OK;
  }
  int64_t index;
  CM_TRY(cm_read_s33(r, &index));
  if (index < 0) return cm_reader_fail_at(r, at, "malformed block type");
  out->block_type = CM_BLOCK_TYPEIDX;
  out->a = (uint32_t)index;
  return CM_OK;
}

static cm_status read_memarg(cm_reader *r, const cm_insn_context *ctx,
                             cm_raw_insn *out) {
  CM_TRY(cm_read_u32(r, &out->a));
  if (ctx->memory64) return cm_read_u64(r, &out->value);
  uint32_t offset;
  CM_TRY(cm_read_u32(r, &offset));
  out->value = offset;
  return CM_OK;
}

static cm_status read_fc_insn(cm_reader *r, const cm_insn_context *ctx,
                              const uint8_t *at, cm_raw_insn *out) {
  uint32_t sub;
  CM_TRY(cm_read_u32(r, &sub));
  if (sub > 17) return cm_reader_fail_at(r, at, "illegal opcode");
  out->op = (uint16_t)(CM_OP_FC + sub);
  switch (sub) {
  case 8: /* memory.init */
  case 9: /* data.drop */
    if (!ctx->has_datacount)
      return cm_reader_fail_at(r, at, "data count section required");
    CM_TRY(cm_read_u32(r, &out->a));
    return sub == 8 ? read_zero_byte(r) : CM_OK;
  case 10: /* memory.copy */
    CM_TRY(read_zero_byte(r));
    return read_zero_byte(r);
  case 11: /* memory.fill */ return read_zero_byte(r);
  case 12: /* table.init */
  case 14: /* table.copy */
    CM_TRY(cm_read_u32(r, &out->a));
    return cm_read_u32(r, &out->b);
  case 13: /* elem.drop */
  case 15: /* table.grow */
  case 16: /* table.size */
  case 17: /* table.fill */ return cm_read_u32(r, &out->a);
  default: /* 0..7: saturating truncations */ return CM_OK;
  }
}

/* 0xfd N: N as a u32 LEB, then the immediates simd.h and reader.h's
 * cm_simd_memop_of describe. A lane index is one byte; its range is
 * checked by validation. */
static cm_status read_fd_insn(cm_reader *r, const cm_insn_context *ctx,
                              const uint8_t *at, cm_raw_insn *out) {
  uint32_t sub;
  CM_TRY(cm_read_u32(r, &sub));
  if (sub > 0xff) return cm_reader_fail_at(r, at, "illegal opcode");
  out->op = (uint16_t)(CM_OP_FD + sub);
  cm_simd_memop memop;
  uint8_t lane = 0;
  if (cm_simd_memop_of(sub, &memop)) {
    CM_TRY(read_memarg(r, ctx, out));
    if (memop.lanes) {
      CM_TRY(cm_read_u8(r, &lane));
      out->b = lane;
    }
    return CM_OK;
  }
  if (sub == 0x0c || sub == 0x0d) /* v128.const, i8x16.shuffle */
    return cm_read_bytes(r, 16, &out->bytes);
  const cm_simd_sig *sig = cm_simd_signature(sub);
  if (!sig) return cm_reader_fail_at(r, at, "illegal opcode");
  if (sig->lanes) {
    CM_TRY(cm_read_u8(r, &lane));
    out->b = lane;
  }
  return CM_OK;
}

cm_status cm_read_insn(cm_reader *r, const cm_insn_context *ctx,
                       cm_raw_insn *out) {
  const uint8_t *at = r->p;
  uint8_t op;
  CM_TRY(cm_read_u8(r, &op));
  out->op = op;
  out->block_type = 0;
  out->offset = cm_reader_offset(r, at);
  out->a = out->b = 0;
  out->value = 0;
  out->labels = NULL;
  out->bytes = NULL;
  if (op >= 0x45 && op <= 0xc4) return CM_OK; /* numeric: no immediates */
  switch (op) {
  case 0x00: /* unreachable */
  case 0x01: /* nop */
  case 0x05: /* else */
  case 0x0b: /* end */
  case 0x0f: /* return */
  case 0x1a: /* drop */
  case 0x1b: /* select */
  case 0xd1: /* ref.is_null */ return CM_OK;
  case 0x02: /* block */
  case 0x03: /* loop */
  case 0x04: /* if */ return read_block_type(r, out);
  case 0x0c: /* br */
  case 0x0d: /* br_if */
  case 0x10: /* call */
  case 0x20: /* local.get */
  case 0x21: /* local.set */
  case 0x22: /* local.tee */
  case 0x23: /* global.get */
  case 0x24: /* global.set */
  case 0x25: /* table.get */
  case 0x26: /* table.set */
  case 0xd2: /* ref.func */ return cm_read_u32(r, &out->a);
  case 0x0e: { /* br_table */
    CM_TRY(cm_read_u32(r, &out->a));
    out->labels = r->p;
    for (uint64_t i = 0; i <= out->a; i++) {
      uint32_t label;
      CM_TRY(cm_read_u32(r, &label));
    }
    return CM_OK;
  }
  case 0x12: /* return_call */ return cm_read_u32(r, &out->a);
  case 0x11: /* call_indirect: type, then table (a u32 LEB, may be padded) */
  case 0x13: /* return_call_indirect: the same immediates */
    CM_TRY(cm_read_u32(r, &out->a));
    return cm_read_u32(r, &out->b);
  case 0x1c: { /* select with types */
    CM_TRY(cm_read_u32(r, &out->a));
    for (uint64_t i = 0; i < out->a; i++) {
      uint8_t t;
      CM_TRY(read_valtype(r, &t));
      if (i == 0) out->b = t;
    }
    return CM_OK;
  }
  case 0x3f: /* memory.size */
  case 0x40: /* memory.grow */ return read_zero_byte(r);
  case 0x41: { /* i32.const */
    uint32_t v;
    CM_TRY(cm_read_s32(r, &v));
    out->value = v;
    return CM_OK;
  }
  case 0x42: /* i64.const */ return cm_read_s64(r, &out->value);
  case 0x43: /* f32.const */ return cm_read_fixed(r, 4, &out->value);
  case 0x44: /* f64.const */ return cm_read_fixed(r, 8, &out->value);
  case 0xd0: { /* ref.null */
    uint8_t t;
    CM_TRY(read_reftype(r, &t));
    out->a = t;
    return CM_OK;
  }
  case 0xfc: return read_fc_insn(r, ctx, at, out);
  case 0xfd: return read_fd_insn(r, ctx, at, out);
  default:
    if (op >= 0x28 && op <= 0x3e) return read_memarg(r, ctx, out);
    return cm_reader_fail_at(r, at, "illegal opcode");
  }
}

/* Read an expression up to and including its final `end`, checking the
 * nesting the grammar imposes: `else` only once and only inside `if`, every
 * block closed. Reports the first instruction and how many instructions
 * precede the final end, which is what constant expressions need. */
static cm_status scan_expr(decoder *d, cm_reader *r, cm_raw_insn *first,
                           uint32_t *count) {
  size_t depth = 0; /* open blocks inside the expression */
  uint32_t n = 0;
  for (;;) {
    cm_raw_insn insn;
    CM_TRY(cm_read_insn(r, &d->insn, &insn));
    switch (insn.op) {
    case 0x02: /* block */
    case 0x03: /* loop */
    case 0x04: /* if */
      if (depth == d->open_cap) {
        size_t cap = d->open_cap ? 2 * d->open_cap : 64;
        bool *grown = realloc(d->open_ifs, cap * sizeof *grown);
        if (!grown) return out_of_memory(d->err);
        d->open_ifs = grown;
        d->open_cap = cap;
      }
      d->open_ifs[depth++] = insn.op == 0x04;
      break;
    case 0x05: /* else */
      if (depth == 0 || !d->open_ifs[depth - 1])
        return cm_reader_fail_at(r, r->base + insn.offset,
                                 "END opcode expected");
      d->open_ifs[depth - 1] = false;
      break;
    case 0x0b: /* end */
      if (depth == 0) {
        *count = n;
        return CM_OK;
      }
      depth--;
      break;
    default: break;
    }
    if (insn.op >= CM_OP_FD || insn.block_type == CM_V128 ||
        (insn.op == 0x1c && insn.b == CM_V128))
      d->m->features |= CM_FEATURE_SIMD;
    if (n == 0) *first = insn;
    if (n < UINT32_MAX) n++;
  }
}

static bool is_constant_op(uint16_t op) {
  return op == 0x41 || op == 0x42 || op == 0x43 || op == 0x44 || op == 0xd0 ||
         op == 0xd2 || op == 0x23 || op == CM_OP_FD + 0x0c;
}

/* A constant expression. A single constant instruction is kept as it is;
 * anything else is marked CM_CONSTEXPR_OTHER with its offset, for
 * validation to reject with the spec's reason. */
static cm_status read_constexpr(decoder *d, cm_reader *r, cm_constexpr *out) {
  size_t start = cm_reader_offset(r, r->p);
  cm_raw_insn first = {0};
  uint32_t count;
  CM_TRY(scan_expr(d, r, &first, &count));
  if (count == 1 && first.op == CM_OP_FD + 0x0c) {
    out->op = 0xfd; /* v128.const */
    out->index = 0;
    out->value = cm_le64(first.bytes);
    out->value_hi = cm_le64(first.bytes + 8);
  } else if (count == 1 && is_constant_op(first.op)) {
    out->op = (uint8_t)first.op;
    out->index = first.a; /* global, function, or ref.null's type */
    out->value = first.value;
  } else {
    out->op = CM_CONSTEXPR_OTHER;
    out->index = 0;
    out->value = start;
  }
  return CM_OK;
}

/* ---- Types ---- */

static cm_status read_limits(cm_reader *r, cm_limits *out) {
  const uint8_t *at = r->p;
  uint8_t flags;
  CM_TRY(cm_read_u8(r, &flags));
  /* bit 0: has a maximum; bit 2: 64-bit (memory64 for memories, its
   * table64 part for tables) */
  if (flags & ~0x05) return cm_reader_fail_at(r, at, "malformed limits flags");
  out->has_max = flags & 0x01;
  out->is64 = flags & 0x04;
  if (out->is64) {
    CM_TRY(cm_read_u64(r, &out->min));
    if (out->has_max) CM_TRY(cm_read_u64(r, &out->max));
    return CM_OK;
  }
  uint32_t v;
  CM_TRY(cm_read_u32(r, &v));
  out->min = v;
  if (out->has_max) {
    CM_TRY(cm_read_u32(r, &v));
    out->max = v;
  }
  return CM_OK;
}

static cm_status read_tabletype(cm_reader *r, cm_tabletype *out) {
  CM_TRY(read_reftype(r, &out->elemtype));
  return read_limits(r, &out->limits);
}

static cm_status read_globaltype(cm_reader *r, cm_globaltype *out) {
  CM_TRY(read_valtype(r, &out->type));
  const uint8_t *at = r->p;
  uint8_t mut;
  CM_TRY(cm_read_u8(r, &mut));
  if (mut > 1) return cm_reader_fail_at(r, at, "malformed mutability");
  out->mut = mut == 1;
  return CM_OK;
}

/* Value type vectors point into the module's own copy of the binary: the
 * encoding of a value type is its cm_valtype. */
static cm_status read_valtype_vector(decoder *d, cm_reader *r, uint32_t *n,
                                     uint8_t **types) {
  CM_TRY(read_length(r, n));
  *types = d->m->bytes + cm_reader_offset(r, r->p);
  for (uint32_t i = 0; i < *n; i++) {
    uint8_t t;
    CM_TRY(read_valtype(r, &t));
  }
  return CM_OK;
}

/* ---- Index spaces: imports first, then the module's own definitions ---- */

/* Allocate one index space with room for `ndefined` definitions and fill
 * in its imports. Called by the defining section, or at the end of decoding
 * when that section is absent. */
static cm_status build_space(decoder *d, const cm_reader *r, cm_externkind kind,
                             uint32_t ndefined) {
  cm_module *m = d->m;
  uint32_t nimported = 0;
  for (uint32_t i = 0; i < m->nimports; i++)
    nimported += m->imports[i].kind == kind;
  uint64_t total = (uint64_t)nimported + ndefined;
  if (total > UINT32_MAX)
    return cm_reader_fail_at(r, r->p, "too many definitions");
  uint32_t k = 0;
  switch (kind) {
  case CM_EXTERN_FUNC:
    if (!(m->func_types = alloc_array(total, sizeof *m->func_types)))
      return out_of_memory(d->err);
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == kind)
        m->func_types[k++] = m->imports[i].desc.func;
    m->nfuncs = (uint32_t)total, m->nfuncs_imported = nimported;
    break;
  case CM_EXTERN_TABLE:
    if (!(m->tables = alloc_array(total, sizeof *m->tables)))
      return out_of_memory(d->err);
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == kind) m->tables[k++] = m->imports[i].desc.table;
    m->ntables = (uint32_t)total, m->ntables_imported = nimported;
    break;
  case CM_EXTERN_MEMORY:
    if (!(m->memories = alloc_array(total, sizeof *m->memories)))
      return out_of_memory(d->err);
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == kind)
        m->memories[k++] = m->imports[i].desc.memory;
    m->nmems = (uint32_t)total, m->nmems_imported = nimported;
    break;
  case CM_EXTERN_GLOBAL:
    if (!(m->globals = alloc_array(total, sizeof *m->globals)))
      return out_of_memory(d->err);
    for (uint32_t i = 0; i < m->nimports; i++)
      if (m->imports[i].kind == kind)
        m->globals[k++] = m->imports[i].desc.global;
    m->nglobals = (uint32_t)total, m->nglobals_imported = nimported;
    break;
  }
  return CM_OK;
}

/* ---- Sections ---- */

static cm_status decode_types(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (!(m->types = alloc_array(n, sizeof *m->types)))
    return out_of_memory(d->err);
  m->ntypes = n;
  for (uint32_t i = 0; i < n; i++) {
    const uint8_t *at = r->p;
    uint8_t form;
    CM_TRY(cm_read_u8(r, &form));
    if (form != 0x60)
      return cm_reader_fail_at(r, at, "malformed function type");
    cm_functype *t = &m->types[i];
    CM_TRY(read_valtype_vector(d, r, &t->nparams, &t->params));
    CM_TRY(read_valtype_vector(d, r, &t->nresults, &t->results));
  }
  return CM_OK;
}

static cm_status decode_imports(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (!(m->imports = alloc_array(n, sizeof *m->imports)))
    return out_of_memory(d->err);
  m->nimports = n; /* zeroed entries are safe to clear */
  bool have_memory = false;
  for (uint32_t i = 0; i < n; i++) {
    cm_import *imp = &m->imports[i];
    CM_TRY(read_name(d, r, &imp->module));
    CM_TRY(read_name(d, r, &imp->name));
    const uint8_t *at = r->p;
    uint8_t kind;
    CM_TRY(cm_read_u8(r, &kind));
    switch (kind) {
    case CM_EXTERN_FUNC: CM_TRY(cm_read_u32(r, &imp->desc.func)); break;
    case CM_EXTERN_TABLE: CM_TRY(read_tabletype(r, &imp->desc.table)); break;
    case CM_EXTERN_MEMORY:
      CM_TRY(read_limits(r, &imp->desc.memory));
      if (!have_memory) d->insn.memory64 = imp->desc.memory.is64;
      have_memory = true;
      break;
    case CM_EXTERN_GLOBAL: CM_TRY(read_globaltype(r, &imp->desc.global)); break;
    default: return cm_reader_fail_at(r, at, "malformed import kind");
    }
    imp->kind = (cm_externkind)kind;
  }
  return CM_OK;
}

static cm_status decode_functions(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  CM_TRY(build_space(d, r, CM_EXTERN_FUNC, n));
  d->ndefined_funcs = n;
  for (uint32_t i = 0; i < n; i++)
    CM_TRY(cm_read_u32(r, &m->func_types[m->nfuncs_imported + i]));
  return CM_OK;
}

static cm_status decode_tables(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  CM_TRY(build_space(d, r, CM_EXTERN_TABLE, n));
  for (uint32_t i = 0; i < n; i++)
    CM_TRY(read_tabletype(r, &m->tables[m->ntables_imported + i]));
  return CM_OK;
}

static cm_status decode_memories(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  CM_TRY(build_space(d, r, CM_EXTERN_MEMORY, n));
  for (uint32_t i = 0; i < n; i++)
    CM_TRY(read_limits(r, &m->memories[m->nmems_imported + i]));
  if (m->nmems > 0) d->insn.memory64 = m->memories[0].is64;
  return CM_OK;
}

static cm_status decode_globals(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  CM_TRY(build_space(d, r, CM_EXTERN_GLOBAL, n));
  if (!(m->global_inits = alloc_array(n, sizeof *m->global_inits)))
    return out_of_memory(d->err);
  for (uint32_t i = 0; i < n; i++) {
    CM_TRY(read_globaltype(r, &m->globals[m->nglobals_imported + i]));
    CM_TRY(read_constexpr(d, r, &m->global_inits[i]));
  }
  return CM_OK;
}

static cm_status decode_exports(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (!(m->exports = alloc_array(n, sizeof *m->exports)))
    return out_of_memory(d->err);
  m->nexports = n;
  for (uint32_t i = 0; i < n; i++) {
    cm_export *e = &m->exports[i];
    CM_TRY(read_name(d, r, &e->name));
    const uint8_t *at = r->p;
    uint8_t kind;
    CM_TRY(cm_read_u8(r, &kind));
    if (kind > CM_EXTERN_GLOBAL)
      return cm_reader_fail_at(r, at, "malformed export kind");
    e->kind = (cm_externkind)kind;
    CM_TRY(cm_read_u32(r, &e->index));
  }
  return CM_OK;
}

static cm_status decode_start(decoder *d, cm_reader *r) {
  d->m->has_start = true;
  return cm_read_u32(r, &d->m->start);
}

/* Element segment flags: bit 0 passive or declarative, bit 1 an explicit
 * table index (active) or declarative (not active), bit 2 the items are
 * expressions instead of function indices. */
static cm_status decode_elem(decoder *d, cm_reader *r, cm_elem *e) {
  const uint8_t *at = r->p;
  uint32_t flags;
  CM_TRY(cm_read_u32(r, &flags));
  if (flags > 7)
    return cm_reader_fail_at(r, at, "malformed elements segment kind");
  bool exprs = flags & 4;
  e->reftype = CM_FUNCREF;
  if (flags & 1) {
    e->mode = (flags & 2) ? CM_SEG_DECLARATIVE : CM_SEG_PASSIVE;
  } else {
    e->mode = CM_SEG_ACTIVE;
    if (flags & 2) CM_TRY(cm_read_u32(r, &e->table));
    CM_TRY(read_constexpr(d, r, &e->offset));
  }
  if (flags & 3) { /* an element kind or reference type is given */
    if (exprs) {
      CM_TRY(read_reftype(r, &e->reftype));
    } else {
      at = r->p;
      uint8_t elemkind;
      CM_TRY(cm_read_u8(r, &elemkind));
      if (elemkind != 0x00)
        return cm_reader_fail_at(r, at, "malformed element kind");
    }
  }
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (!(e->items = alloc_array(n, sizeof *e->items)))
    return out_of_memory(d->err);
  e->count = n;
  for (uint32_t i = 0; i < n; i++) {
    if (exprs) {
      CM_TRY(read_constexpr(d, r, &e->items[i]));
    } else {
      e->items[i].op = 0xd2; /* ref.func */
      CM_TRY(cm_read_u32(r, &e->items[i].index));
    }
  }
  return CM_OK;
}

static cm_status decode_elems(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (!(m->elems = alloc_array(n, sizeof *m->elems)))
    return out_of_memory(d->err);
  m->nelems = n;
  for (uint32_t i = 0; i < n; i++) CM_TRY(decode_elem(d, r, &m->elems[i]));
  return CM_OK;
}

static cm_status decode_datacount(decoder *d, cm_reader *r) {
  d->m->has_datacount = true;
  d->insn.has_datacount = true;
  return cm_read_u32(r, &d->m->datacount);
}

/* Locals are declared as runs of (count, type); read them twice, once to
 * bound the total before allocating, once to fill the table. */
static cm_status decode_locals(decoder *d, cm_reader *r, cm_code *code) {
  cm_module *m = d->m;
  uint32_t nparams = 0;
  if (code->type < m->ntypes) nparams = m->types[code->type].nparams;
  uint32_t nruns;
  CM_TRY(read_length(r, &nruns));
  cm_reader runs = *r;
  uint64_t declared = 0;
  for (uint32_t i = 0; i < nruns; i++) {
    const uint8_t *at = r->p;
    uint32_t count;
    uint8_t type = 0;
    CM_TRY(cm_read_u32(r, &count));
    CM_TRY(read_valtype(r, &type));
    declared += count;
    if (declared > CM_MAX_LOCALS || nparams + declared > UINT32_MAX)
      return cm_reader_fail_at(r, at, "too many locals");
  }
  code->nlocals = (uint32_t)(nparams + declared);
  if (!(code->local_types = alloc_array(code->nlocals, 1)))
    return out_of_memory(d->err);
  if (nparams) memcpy(code->local_types, m->types[code->type].params, nparams);
  uint32_t k = nparams;
  for (uint32_t i = 0; i < nruns; i++) {
    uint32_t count;
    uint8_t type = 0;
    CM_TRY(cm_read_u32(&runs, &count));
    CM_TRY(read_valtype(&runs, &type));
    memset(code->local_types + k, type, count);
    k += count;
  }
  return CM_OK;
}

static cm_status decode_code(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  const uint8_t *at = r->p;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (n != d->ndefined_funcs)
    return cm_reader_fail_at(
        r, at, "function and code section have inconsistent lengths");
  d->has_code_section = true;
  if (!(m->codes = alloc_array(n, sizeof *m->codes)))
    return out_of_memory(d->err);
  for (uint32_t i = 0; i < n; i++) {
    cm_code *code = &m->codes[i];
    code->type = m->func_types[m->nfuncs_imported + i];
    uint32_t size;
    at = r->p;
    CM_TRY(cm_read_u32(r, &size));
    if (size > cm_reader_left(r))
      return cm_reader_fail_at(r, at, "length out of bounds");
    cm_reader body = cm_reader_sub(r, r->p, size);
    body.func = m->nfuncs_imported + i;
    r->p += size;
    CM_TRY(decode_locals(d, &body, code));
    size_t start = cm_reader_offset(&body, body.p);
    cm_raw_insn first;
    uint32_t count;
    CM_TRY(scan_expr(d, &body, &first, &count));
    if (body.p != body.end)
      return cm_reader_fail_at(&body, body.p, "section size mismatch");
    code->body = m->bytes + start;
    code->body_size = cm_reader_offset(&body, body.end) - start;
    code->body_offset = start;
  }
  return CM_OK;
}

static cm_status decode_data(decoder *d, cm_reader *r, cm_data *data) {
  const uint8_t *at = r->p;
  uint32_t flags;
  CM_TRY(cm_read_u32(r, &flags));
  switch (flags) {
  case 0: /* active, memory 0 */
    data->mode = CM_SEG_ACTIVE;
    CM_TRY(read_constexpr(d, r, &data->offset));
    break;
  case 1: data->mode = CM_SEG_PASSIVE; break;
  case 2: /* active, explicit memory */
    data->mode = CM_SEG_ACTIVE;
    CM_TRY(cm_read_u32(r, &data->memory));
    CM_TRY(read_constexpr(d, r, &data->offset));
    break;
  default: return cm_reader_fail_at(r, at, "malformed data segment kind");
  }
  const uint8_t *bytes;
  CM_TRY(cm_read_u32(r, &data->size));
  CM_TRY(cm_read_bytes(r, data->size, &bytes));
  data->bytes = d->m->bytes + cm_reader_offset(r, bytes);
  return CM_OK;
}

static cm_status decode_datas(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  const uint8_t *at = r->p;
  uint32_t n;
  CM_TRY(read_length(r, &n));
  if (m->has_datacount && n != m->datacount)
    return cm_reader_fail_at(
        r, at, "data count and data section have inconsistent lengths");
  if (!(m->datas = alloc_array(n, sizeof *m->datas)))
    return out_of_memory(d->err);
  m->ndatas = n;
  for (uint32_t i = 0; i < n; i++) CM_TRY(decode_data(d, r, &m->datas[i]));
  return CM_OK;
}

static cm_status decode_custom(decoder *d, cm_reader *r) {
  cm_module *m = d->m;
  cm_custom *grown =
      realloc(m->customs, ((size_t)m->ncustoms + 1) * sizeof *grown);
  if (!grown) return out_of_memory(d->err);
  m->customs = grown;
  cm_custom *c = &m->customs[m->ncustoms];
  memset(c, 0, sizeof *c);
  m->ncustoms++;
  CM_TRY(read_name(d, r, &c->name));
  c->bytes = m->bytes + cm_reader_offset(r, r->p);
  c->size = cm_reader_left(r);
  r->p = r->end;
  return CM_OK;
}

/* Where each known section id may appear; the data count section (12)
 * sits between elements (9) and code (10). */
static const uint8_t section_rank[13] = {
    [1] = 1, [2] = 2, [3] = 3, [4] = 4,   [5] = 5,   [6] = 6,
    [7] = 7, [8] = 8, [9] = 9, [12] = 10, [10] = 11, [11] = 12,
};

static cm_status decode_section(decoder *d, uint8_t id, cm_reader *r) {
  switch (id) {
  case 0: return decode_custom(d, r);
  case 1: return decode_types(d, r);
  case 2: return decode_imports(d, r);
  case 3: return decode_functions(d, r);
  case 4: return decode_tables(d, r);
  case 5: return decode_memories(d, r);
  case 6: return decode_globals(d, r);
  case 7: return decode_exports(d, r);
  case 8: return decode_start(d, r);
  case 9: return decode_elems(d, r);
  case 10: return decode_code(d, r);
  case 11: return decode_datas(d, r);
  default: return decode_datacount(d, r);
  }
}

static bool has_v128(const uint8_t *types, size_t n) {
  return n > 0 && memchr(types, CM_V128, n) != NULL;
}

/* CM_FEATURE_SIMD for a v128 in a function type, global or local;
 * scan_expr notes the instructions. */
static void note_simd_types(cm_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (has_v128(m->types[i].params, m->types[i].nparams) ||
        has_v128(m->types[i].results, m->types[i].nresults))
      m->features |= CM_FEATURE_SIMD;
  for (uint32_t i = 0; i < m->nimports; i++)
    if (m->imports[i].kind == CM_EXTERN_GLOBAL &&
        m->imports[i].desc.global.type == CM_V128)
      m->features |= CM_FEATURE_SIMD;
  if (m->globals)
    for (uint32_t i = 0; i < m->nglobals; i++)
      if (m->globals[i].type == CM_V128) m->features |= CM_FEATURE_SIMD;
  if (m->codes)
    for (uint32_t i = 0; i < m->nfuncs - m->nfuncs_imported; i++)
      if (has_v128(m->codes[i].local_types, m->codes[i].nlocals))
        m->features |= CM_FEATURE_SIMD;
}

static cm_status decode_module(decoder *d) {
  cm_module *m = d->m;
  cm_reader r = cm_reader_new(m->bytes, m->size, d->err);
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
  static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
  const uint8_t *bytes;
  CM_TRY(cm_read_bytes(&r, 4, &bytes));
  if (memcmp(bytes, magic, 4) != 0)
    return cm_reader_fail_at(&r, bytes, "magic header not detected");
  CM_TRY(cm_read_bytes(&r, 4, &bytes));
  if (memcmp(bytes, version, 4) != 0)
    return cm_reader_fail_at(&r, bytes, "unknown binary version");

  uint8_t last_rank = 0;
  while (r.p < r.end) {
    const uint8_t *at = r.p;
    uint8_t id;
    uint32_t size;
    CM_TRY(cm_read_u8(&r, &id));
    if (id > 12) return cm_reader_fail_at(&r, at, "malformed section id");
    const uint8_t *size_at = r.p;
    CM_TRY(cm_read_u32(&r, &size));
    if (size > cm_reader_left(&r))
      return cm_reader_fail_at(&r, size_at, "length out of bounds");
    if (id != 0) {
      if (section_rank[id] <= last_rank)
        return cm_reader_fail_at(&r, at,
                                 "unexpected content after last section");
      last_rank = section_rank[id];
    }
    cm_reader section = cm_reader_sub(&r, r.p, size);
    r.p += size;
    CM_TRY(decode_section(d, id, &section));
    if (section.p != section.end)
      return cm_reader_fail_at(&section, section.p, "section size mismatch");
  }

  note_simd_types(m);
  if (!d->has_code_section && d->ndefined_funcs != 0)
    return cm_reader_fail_at(
        &r, r.end, "function and code section have inconsistent lengths");
  if (m->has_datacount && m->datacount != m->ndatas)
    return cm_reader_fail_at(
        &r, r.end, "data count and data section have inconsistent lengths");
  /* index spaces whose defining section was absent hold only imports */
  if (!m->func_types) CM_TRY(build_space(d, &r, CM_EXTERN_FUNC, 0));
  if (!m->tables) CM_TRY(build_space(d, &r, CM_EXTERN_TABLE, 0));
  if (!m->memories) CM_TRY(build_space(d, &r, CM_EXTERN_MEMORY, 0));
  if (!m->globals) CM_TRY(build_space(d, &r, CM_EXTERN_GLOBAL, 0));
  return CM_OK;
}

cm_status cm_decode(cm_module *m, cm_error *err) {
  cm_error scratch;
  if (!err) err = &scratch;
  err->func = UINT32_MAX;
  decoder d = {.m = m, .err = err};
  cm_status status = decode_module(&d);
  free(d.open_ifs);
  return status;
}
