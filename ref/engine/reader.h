/* canmem engine, internal: reading the binary format.
 *
 * A cm_reader walks a byte range of the module (the whole module, a section,
 * a function body). Every read checks the range and, on failure, fills the
 * error with CM_MALFORMED, the spec test suite's wording and the byte offset
 * of the problem, so callers only pass the status up.
 *
 * cm_read_insn (decode.c) reads one instruction with its immediates; both
 * decode.c (structure of bodies and constant expressions) and validate.c
 * (typing and compiling) use it, so the instruction syntax lives in one
 * place. */
#ifndef CANMEM_READER_H
#define CANMEM_READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

typedef struct {
  const uint8_t *base;  /* start of the module: offsets are relative to it */
  const uint8_t *p;     /* next byte */
  const uint8_t *end;   /* end of what is being read (section, body) */
  const uint8_t *limit; /* end of the module */
  uint32_t func;        /* function being read, for err->func; UINT32_MAX */
  bool nested;          /* reading a section or a body, not the module */
  cm_error *err;
} cm_reader;

#define CM_TRY(expr)                                                           \
  do {                                                                         \
    cm_status cm_try_status_ = (expr);                                         \
    if (cm_try_status_ != CM_OK) return cm_try_status_;                        \
  } while (0)

static inline cm_reader cm_reader_new(const uint8_t *bytes, size_t size,
                                      cm_error *err) {
  cm_reader r = {bytes,      bytes, bytes + size, bytes + size,
                 UINT32_MAX, false, err};
  return r;
}

/* A reader for [p, p + size) of r's module; the caller checked the size. */
static inline cm_reader cm_reader_sub(const cm_reader *r, const uint8_t *p,
                                      size_t size) {
  cm_reader sub = *r;
  sub.p = p;
  sub.end = p + size;
  sub.nested = true;
  return sub;
}

static inline size_t cm_reader_offset(const cm_reader *r, const uint8_t *at) {
  return (size_t)(at - r->base);
}

static inline size_t cm_reader_left(const cm_reader *r) {
  return (size_t)(r->end - r->p);
}

/* Fail with CM_MALFORMED at byte `at`. */
static inline cm_status cm_reader_fail_at(const cm_reader *r, const uint8_t *at,
                                          const char *what) {
  size_t offset = cm_reader_offset(r, at);
  cm_fail(r->err, CM_MALFORMED, CM_TRAP_NONE, "%s (at byte %zu)", what, offset);
  if (r->err) {
    r->err->offset = offset;
    r->err->func = r->func;
  }
  return CM_MALFORMED;
}

/* Reading past the end: the suite words it by what ends. */
static inline cm_status cm_reader_fail_end(const cm_reader *r) {
  return cm_reader_fail_at(r, r->end,
                           r->nested ? "unexpected end of section or function"
                                     : "unexpected end");
}

static inline cm_status cm_read_u8(cm_reader *r, uint8_t *out) {
  if (r->p >= r->end) return cm_reader_fail_end(r);
  *out = *r->p++;
  return CM_OK;
}

static inline cm_status cm_read_bytes(cm_reader *r, size_t n,
                                      const uint8_t **out) {
  if (n > cm_reader_left(r)) return cm_reader_fail_end(r);
  *out = r->p;
  r->p += n;
  return CM_OK;
}

/* LEB128 of an integer of `bits` bits. The last byte of a maximal-length
 * encoding may use only the bits that remain; in a signed encoding the unused
 * ones must repeat the sign ("integer too large" otherwise), and a longer
 * encoding is "integer representation too long". */
static inline cm_status cm_read_leb(cm_reader *r, unsigned bits, bool is_signed,
                                    uint64_t *out) {
  const unsigned max_bytes = (bits + 6) / 7;
  const unsigned last_bits = bits - 7 * (max_bytes - 1); /* used in last */
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0;; i++) {
    const uint8_t *at = r->p;
    uint8_t byte = 0;
    CM_TRY(cm_read_u8(r, &byte));
    uint64_t payload = byte & 0x7fu;
    if (i == max_bytes - 1) {
      if (byte & 0x80u)
        return cm_reader_fail_at(r, at, "integer representation too long");
      if (is_signed) {
        uint8_t unused =
            (uint8_t)((0x7fu >> (last_bits - 1)) << (last_bits - 1));
        if ((byte & unused) != 0 && (byte & unused) != unused)
          return cm_reader_fail_at(r, at, "integer too large");
      } else if (payload >> last_bits) {
        return cm_reader_fail_at(r, at, "integer too large");
      }
    }
    if (shift < 64) result |= payload << shift;
    shift += 7;
    if (!(byte & 0x80u)) {
      if (is_signed && shift < 64 && (byte & 0x40u))
        result |= ~(uint64_t)0 << shift;
      break;
    }
  }
  if (bits < 64) result &= ((uint64_t)1 << bits) - 1;
  *out = result;
  return CM_OK;
}

static inline cm_status cm_read_u32(cm_reader *r, uint32_t *out) {
  /* most values fit in one byte */
  if (r->p < r->end && *r->p < 0x80) {
    *out = *r->p++;
    return CM_OK;
  }
  uint64_t v = 0;
  CM_TRY(cm_read_leb(r, 32, false, &v));
  *out = (uint32_t)v;
  return CM_OK;
}

static inline cm_status cm_read_u64(cm_reader *r, uint64_t *out) {
  return cm_read_leb(r, 64, false, out);
}

/* Signed reads return the two's complement bits, zero-extended to 64 bits
 * for s32 and s33, so callers can keep them as the unsigned cell value. */
static inline cm_status cm_read_s32(cm_reader *r, uint32_t *out) {
  uint64_t v = 0;
  CM_TRY(cm_read_leb(r, 32, true, &v));
  *out = (uint32_t)v;
  return CM_OK;
}

static inline cm_status cm_read_s33(cm_reader *r, int64_t *out) {
  uint64_t v = 0;
  CM_TRY(cm_read_leb(r, 33, true, &v));
  /* sign-extend bit 32 without relying on implementation-defined casts */
  *out = (v & ((uint64_t)1 << 32)) ? -(int64_t)(((uint64_t)1 << 33) - v)
                                   : (int64_t)v;
  return CM_OK;
}

static inline cm_status cm_read_s64(cm_reader *r, uint64_t *out) {
  return cm_read_leb(r, 64, true, out);
}

/* Little-endian fixed-width words (float constants). */
static inline cm_status cm_read_fixed(cm_reader *r, unsigned nbytes,
                                      uint64_t *out) {
  const uint8_t *bytes;
  CM_TRY(cm_read_bytes(r, nbytes, &bytes));
  uint64_t v = 0;
  for (unsigned i = nbytes; i-- > 0;) v = (v << 8) | bytes[i];
  *out = v;
  return CM_OK;
}

/* Bytes p[0..8) as a little-endian word: the cells of a v128 immediate. */
static inline uint64_t cm_le64(const uint8_t *p) {
  uint64_t v = 0;
  for (unsigned i = 8; i-- > 0;) v = (v << 8) | p[i];
  return v;
}

/* ---- Instructions ---- */

/* What decoding an instruction needs to know about the module. */
typedef struct {
  bool memory64;      /* memory 0 is 64-bit: memarg offsets are u64 */
  bool has_datacount; /* memory.init and data.drop need the section */
} cm_insn_context;

/* One instruction as it appears in the binary. Immediates by opcode:
 *   block, loop, if   block_type: CM_BLOCK_EMPTY, a value type, or
 *                     CM_BLOCK_TYPEIDX with the type index in a
 *   br, br_if         a = label depth
 *   br_table          a = number of labels without the default; `labels`
 *                     points at the first of the a+1 label depths (u32 LEB,
 *                     already checked to be well formed)
 *   call              a = function
 *   call_indirect     a = type, b = table
 *   select (0x1c)     a = number of types, b = the first type (0 if none)
 *   local.*, global.* a = index
 *   table.get/set     a = table
 *   loads and stores  a = alignment exponent, value = offset
 *   *.const           value = bits (i32 and f32 zero-extended)
 *   ref.null          a = reference type
 *   ref.func          a = function
 *   memory.init       a = data segment   data.drop  a = data segment
 *   table.init        a = element segment, b = table
 *   elem.drop         a = element segment
 *   table.copy        a = destination table, b = source table
 *   table.grow/size/fill  a = table
 *   0xfd loads/stores a = alignment exponent, value = offset; the *_lane
 *                     ones b = lane index
 *   v128.const, i8x16.shuffle  `bytes` points at the 16 immediate bytes
 *   other 0xfd ops    b = lane index, when simd.h says they have one
 * The 0xfc ops have op CM_OP_FC + subopcode, the 0xfd ops CM_OP_FD +
 * subopcode, as in compiled code. */
enum {
  CM_BLOCK_EMPTY = 0x40,
  CM_BLOCK_TYPEIDX = 0x60,
};

typedef struct {
  uint16_t op;
  uint8_t block_type;
  size_t offset; /* of the opcode, in the module */
  uint32_t a, b;
  uint64_t value;
  const uint8_t *labels;
  const uint8_t *bytes;
} cm_raw_insn;

/* The 0xfd memory instructions (loads, stores, the *_lane forms): false
 * for other subopcodes. `natural` is the alignment exponent (log2 of the
 * bytes accessed), `lanes` the lane count of a *_lane form (0 for the
 * others). */
typedef struct {
  uint8_t natural, lanes;
  bool store;
} cm_simd_memop;

static inline bool cm_simd_memop_of(uint32_t sub, cm_simd_memop *out) {
  out->lanes = 0;
  out->store = false;
  switch (sub) {
  case 0x00: /* v128.load */ out->natural = 4; return true;
  case 0x01: case 0x02: case 0x03: /* v128.load8x8_s ... load32x2_u */
  case 0x04: case 0x05: case 0x06: out->natural = 3; return true;
  case 0x07: case 0x08: case 0x09: case 0x0a: /* v128.load8_splat ... */
    out->natural = (uint8_t)(sub - 0x07);
    return true;
  case 0x0b: /* v128.store */
    out->natural = 4;
    out->store = true;
    return true;
  case 0x54: case 0x55: case 0x56: case 0x57: /* v128.load8_lane ... */
  case 0x58: case 0x59: case 0x5a: case 0x5b: /* v128.store8_lane ... */
    out->natural = (uint8_t)((sub - 0x54) % 4);
    out->lanes = (uint8_t)(16 >> out->natural);
    out->store = sub >= 0x58;
    return true;
  case 0x5c: /* v128.load32_zero */ out->natural = 2; return true;
  case 0x5d: /* v128.load64_zero */ out->natural = 3; return true;
  default: return false;
  }
}

/* Read one instruction at r->p. Malformed input (unknown opcode, bad
 * immediate) fails with CM_MALFORMED. */
cm_status cm_read_insn(cm_reader *r, const cm_insn_context *ctx,
                       cm_raw_insn *out);

/* The op of a constant expression that is not a single constant
 * instruction (decode keeps those as they are, with ref.null's type in
 * `index`). Its `value` is the byte offset of the expression, where
 * validation reads it again to say what is wrong with it. */
#define CM_CONSTEXPR_OTHER 0x00

/* Names (imports, exports, custom sections) are handed out NUL-terminated
 * for the C API, but a UTF-8 name may contain U+0000, so each is stored
 * after its byte length; validation compares export names by length and
 * bytes. Allocated by decode.c, freed by cm_module_clear. */
typedef struct {
  size_t length;
  char text[];
} cm_name;

static inline const cm_name *cm_name_of(const char *text) {
  return (const cm_name *)(const void *)(text - offsetof(cm_name, text));
}

static inline void cm_name_free(char *text) {
  if (text) free(text - offsetof(cm_name, text));
}

/* Implementation limit on the locals a function may declare: the spec
 * allows up to 2^32-1, which no store could run; a body declaring more is
 * rejected as malformed ("too many locals") before anything is allocated. */
#define CM_MAX_LOCALS 50000u

#endif
