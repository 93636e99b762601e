/* canmem engine: the lane operators of fixed-width SIMD (simd.h).
 *
 * One table, indexed by 0xfd subopcode, gives each pure vector instruction
 * its signature, a kind (how its lanes combine), the lane width of its
 * operands and a lane operator. cm_simd_apply unpacks the operands into
 * arrays of lanes (each lane zero-extended into a uint64_t), runs the kind's
 * loop and packs the result back.
 *
 * Lane operators share one type: f(a, b, bits) with a and b lane values
 * (b is 0 for unary ones) and bits their width. The result may carry bits
 * above the lane width: packing keeps only the low ones, which is wrapping
 * arithmetic for free. Float lanes call numeric.h's scalar operators, so
 * NaN results are exactly the scalar instructions' ones. */
#include "simd.h"

#include <stdbool.h>
#include <stddef.h>

#include "numeric.h"

/* ---- Lanes ---- */

#define MAX_LANES 16

static uint64_t low_mask(unsigned bits) {
  return bits >= 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
}

/* The lanes of v, `bits` wide each, little-endian; returns their count. */
static unsigned unpack(const cm_v128 *v, unsigned bits, uint64_t lanes[]) {
  unsigned size = bits / 8, n = 16 / size;
  for (unsigned i = 0; i < n; i++)
    lanes[i] = cm_load_le(v->bytes + i * size, size);
  return n;
}

/* The v128 of 128/bits lanes; each keeps its low `bits` bits. */
static cm_v128 pack(const uint64_t lanes[], unsigned bits) {
  cm_v128 v;
  unsigned size = bits / 8, n = 16 / size;
  for (unsigned i = 0; i < n; i++)
    cm_store_le(v.bytes + i * size, lanes[i], size);
  return v;
}

/* A scalar in the cell encoding: the low 8 bytes, the rest zero. */
static cm_v128 scalar(uint64_t cell) {
  cm_v128 v = {{0}};
  cm_store_le(v.bytes, cell, 8);
  return v;
}

static uint64_t cell_of(const cm_v128 *v) { return cm_load_le(v->bytes, 8); }

/* The signed value of a `bits`-wide lane (implementation-defined only for
 * bits == 64, as cm_s64 explains). */
static int64_t sx(uint64_t a, unsigned bits) {
  uint64_t mask = low_mask(bits);
  a &= mask;
  if (bits < 64 && (a >> (bits - 1)) & 1)
    a |= ~mask;
  return cm_s64(a);
}

/* x clamped to the signed or unsigned range of `bits` (< 64) bits. */
static uint64_t saturate_s(int64_t x, unsigned bits) {
  int64_t max = (int64_t)(low_mask(bits - 1));
  int64_t min = -max - 1;
  return (uint64_t)(x < min ? min : x > max ? max : x);
}

static uint64_t saturate_u(int64_t x, unsigned bits) {
  int64_t max = (int64_t)low_mask(bits);
  return (uint64_t)(x < 0 ? 0 : x > max ? max : x);
}

/* All ones when a comparison holds (packing trims it to the lane). */
static uint64_t truth(bool holds) { return holds ? UINT64_MAX : 0; }

/* ---- Integer lane operators ---- */

typedef uint64_t lane_op(uint64_t a, uint64_t b, unsigned bits);

static uint64_t op_zext(uint64_t a, uint64_t b, unsigned bits) {
  (void)b;
  return a & low_mask(bits);
}
static uint64_t op_sext(uint64_t a, uint64_t b, unsigned bits) {
  (void)b;
  return (uint64_t)sx(a, bits);
}

static uint64_t op_add(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a + b;
}
static uint64_t op_sub(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a - b;
}
static uint64_t op_mul(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a * b;
}
static uint64_t op_neg(uint64_t a, uint64_t b, unsigned bits) {
  (void)b, (void)bits;
  return 0 - a;
}
/* abs of the minimum is the minimum, as in two's complement. */
static uint64_t op_abs(uint64_t a, uint64_t b, unsigned bits) {
  (void)b;
  return sx(a, bits) < 0 ? 0 - a : a;
}
static uint64_t op_popcnt(uint64_t a, uint64_t b, unsigned bits) {
  (void)b, (void)bits;
  return cm_i64_popcnt(a);
}

/* add_sat/sub_sat exist for 8- and 16-bit lanes: no overflow in int64. */
static uint64_t op_add_sat_s(uint64_t a, uint64_t b, unsigned bits) {
  return saturate_s(sx(a, bits) + sx(b, bits), bits);
}
static uint64_t op_add_sat_u(uint64_t a, uint64_t b, unsigned bits) {
  return saturate_u((int64_t)(a + b), bits);
}
static uint64_t op_sub_sat_s(uint64_t a, uint64_t b, unsigned bits) {
  return saturate_s(sx(a, bits) - sx(b, bits), bits);
}
static uint64_t op_sub_sat_u(uint64_t a, uint64_t b, unsigned bits) {
  return saturate_u((int64_t)a - (int64_t)b, bits);
}

static uint64_t op_min_s(uint64_t a, uint64_t b, unsigned bits) {
  return sx(a, bits) < sx(b, bits) ? a : b;
}
static uint64_t op_min_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a < b ? a : b;
}
static uint64_t op_max_s(uint64_t a, uint64_t b, unsigned bits) {
  return sx(a, bits) > sx(b, bits) ? a : b;
}
static uint64_t op_max_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a > b ? a : b;
}
/* Rounding average; exists for 8- and 16-bit lanes, so a + b + 1 fits. */
static uint64_t op_avgr_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return (a + b + 1) >> 1;
}

/* Q15 multiply: (a*b + 2^14) >> 15 with an arithmetic shift, i.e. the
 * floor of the quotient, then saturated (only -32768 * -32768 overflows). */
static uint64_t op_q15mulr_sat_s(uint64_t a, uint64_t b, unsigned bits) {
  int64_t x = sx(a, bits) * sx(b, bits) + 0x4000;
  int64_t q = x >= 0 ? x / 0x8000 : -((-x + 0x7fff) / 0x8000);
  return saturate_s(q, bits);
}

/* Widening products: operands of `bits` <= 32, so the product fits. */
static uint64_t op_mul_wide_s(uint64_t a, uint64_t b, unsigned bits) {
  return (uint64_t)(sx(a, bits) * sx(b, bits));
}
static uint64_t op_mul_wide_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a * b;
}

/* Narrowing: a signed lane of `bits` saturated to bits/2. */
static uint64_t op_narrow_s(uint64_t a, uint64_t b, unsigned bits) {
  (void)b;
  return saturate_s(sx(a, bits), bits / 2);
}
static uint64_t op_narrow_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)b;
  return saturate_u(sx(a, bits), bits / 2);
}

static uint64_t op_eq(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return truth(a == b);
}
static uint64_t op_ne(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return truth(a != b);
}
static uint64_t op_lt_s(uint64_t a, uint64_t b, unsigned bits) {
  return truth(sx(a, bits) < sx(b, bits));
}
static uint64_t op_lt_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return truth(a < b);
}
static uint64_t op_gt_s(uint64_t a, uint64_t b, unsigned bits) {
  return truth(sx(a, bits) > sx(b, bits));
}
static uint64_t op_gt_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return truth(a > b);
}
static uint64_t op_le_s(uint64_t a, uint64_t b, unsigned bits) {
  return truth(sx(a, bits) <= sx(b, bits));
}
static uint64_t op_le_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return truth(a <= b);
}
static uint64_t op_ge_s(uint64_t a, uint64_t b, unsigned bits) {
  return truth(sx(a, bits) >= sx(b, bits));
}
static uint64_t op_ge_u(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return truth(a >= b);
}

/* Shifts: b is the count, already reduced modulo the lane width. */
static uint64_t op_shl(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a << b;
}
static uint64_t op_shr_u(uint64_t a, uint64_t b, unsigned bits) {
  return (a & low_mask(bits)) >> b;
}
static uint64_t op_shr_s(uint64_t a, uint64_t b, unsigned bits) {
  return cm_i64_shr_s((uint64_t)sx(a, bits), b);
}

/* Bitwise operators, applied to 64-bit lanes. */
static uint64_t op_not(uint64_t a, uint64_t b, unsigned bits) {
  (void)b, (void)bits;
  return ~a;
}
static uint64_t op_and(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a & b;
}
static uint64_t op_andnot(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a & ~b;
}
static uint64_t op_or(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a | b;
}
static uint64_t op_xor(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return a ^ b;
}

/* ---- Float lane operators: numeric.h's scalar ones on a lane's bits ---- */

#define FLOAT_UNARY(name, scalar_op, in_type)                                  \
  static uint64_t name(uint64_t a, uint64_t b, unsigned bits) {                \
    (void)b, (void)bits;                                                       \
    return scalar_op((in_type)a);                                              \
  }
#define FLOAT_BINARY(name, scalar_op, in_type)                                 \
  static uint64_t name(uint64_t a, uint64_t b, unsigned bits) {                \
    (void)bits;                                                                \
    return scalar_op((in_type)a, (in_type)b);                                  \
  }
#define FLOAT_COMPARE(name, scalar_op, in_type)                                \
  static uint64_t name(uint64_t a, uint64_t b, unsigned bits) {                \
    (void)bits;                                                                \
    return truth(scalar_op((in_type)a, (in_type)b));                           \
  }

FLOAT_UNARY(op_f32_abs, cm_f32_abs, uint32_t)
FLOAT_UNARY(op_f32_neg, cm_f32_neg, uint32_t)
FLOAT_UNARY(op_f32_sqrt, cm_f32_sqrt, uint32_t)
FLOAT_UNARY(op_f32_ceil, cm_f32_ceil, uint32_t)
FLOAT_UNARY(op_f32_floor, cm_f32_floor, uint32_t)
FLOAT_UNARY(op_f32_trunc, cm_f32_trunc, uint32_t)
FLOAT_UNARY(op_f32_nearest, cm_f32_nearest, uint32_t)
FLOAT_BINARY(op_f32_add, cm_f32_add, uint32_t)
FLOAT_BINARY(op_f32_sub, cm_f32_sub, uint32_t)
FLOAT_BINARY(op_f32_mul, cm_f32_mul, uint32_t)
FLOAT_BINARY(op_f32_div, cm_f32_div, uint32_t)
FLOAT_BINARY(op_f32_min, cm_f32_min, uint32_t)
FLOAT_BINARY(op_f32_max, cm_f32_max, uint32_t)
FLOAT_COMPARE(op_f32_eq, cm_f32_eq, uint32_t)
FLOAT_COMPARE(op_f32_ne, cm_f32_ne, uint32_t)
FLOAT_COMPARE(op_f32_lt, cm_f32_lt, uint32_t)
FLOAT_COMPARE(op_f32_gt, cm_f32_gt, uint32_t)
FLOAT_COMPARE(op_f32_le, cm_f32_le, uint32_t)
FLOAT_COMPARE(op_f32_ge, cm_f32_ge, uint32_t)

FLOAT_UNARY(op_f64_abs, cm_f64_abs, uint64_t)
FLOAT_UNARY(op_f64_neg, cm_f64_neg, uint64_t)
FLOAT_UNARY(op_f64_sqrt, cm_f64_sqrt, uint64_t)
FLOAT_UNARY(op_f64_ceil, cm_f64_ceil, uint64_t)
FLOAT_UNARY(op_f64_floor, cm_f64_floor, uint64_t)
FLOAT_UNARY(op_f64_trunc, cm_f64_trunc, uint64_t)
FLOAT_UNARY(op_f64_nearest, cm_f64_nearest, uint64_t)
FLOAT_BINARY(op_f64_add, cm_f64_add, uint64_t)
FLOAT_BINARY(op_f64_sub, cm_f64_sub, uint64_t)
FLOAT_BINARY(op_f64_mul, cm_f64_mul, uint64_t)
FLOAT_BINARY(op_f64_div, cm_f64_div, uint64_t)
FLOAT_BINARY(op_f64_min, cm_f64_min, uint64_t)
FLOAT_BINARY(op_f64_max, cm_f64_max, uint64_t)
FLOAT_COMPARE(op_f64_eq, cm_f64_eq, uint64_t)
FLOAT_COMPARE(op_f64_ne, cm_f64_ne, uint64_t)
FLOAT_COMPARE(op_f64_lt, cm_f64_lt, uint64_t)
FLOAT_COMPARE(op_f64_gt, cm_f64_gt, uint64_t)
FLOAT_COMPARE(op_f64_le, cm_f64_le, uint64_t)
FLOAT_COMPARE(op_f64_ge, cm_f64_ge, uint64_t)

/* Conversions, lane by lane (the shapes are the table's business). */
FLOAT_UNARY(op_trunc_sat_f32_s, cm_i32_trunc_sat_f32_s, uint32_t)
FLOAT_UNARY(op_trunc_sat_f32_u, cm_i32_trunc_sat_f32_u, uint32_t)
FLOAT_UNARY(op_trunc_sat_f64_s, cm_i32_trunc_sat_f64_s, uint64_t)
FLOAT_UNARY(op_trunc_sat_f64_u, cm_i32_trunc_sat_f64_u, uint64_t)
FLOAT_UNARY(op_f32_convert_s, cm_f32_convert_i32_s, uint32_t)
FLOAT_UNARY(op_f32_convert_u, cm_f32_convert_i32_u, uint32_t)
FLOAT_UNARY(op_f64_convert_s, cm_f64_convert_i32_s, uint32_t)
FLOAT_UNARY(op_f64_convert_u, cm_f64_convert_i32_u, uint32_t)
FLOAT_UNARY(op_demote, cm_f32_demote_f64, uint64_t)
FLOAT_UNARY(op_promote, cm_f64_promote_f32, uint32_t)

/* pmin/pmax are defined by one comparison, b < a (a < b), and return the
 * chosen operand untouched: a NaN or a zero's sign passes through. */
static uint64_t op_f32_pmin(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return cm_f32_lt((uint32_t)b, (uint32_t)a) ? b : a;
}
static uint64_t op_f32_pmax(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return cm_f32_lt((uint32_t)a, (uint32_t)b) ? b : a;
}
static uint64_t op_f64_pmin(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return cm_f64_lt(b, a) ? b : a;
}
static uint64_t op_f64_pmax(uint64_t a, uint64_t b, unsigned bits) {
  (void)bits;
  return cm_f64_lt(a, b) ? b : a;
}

/* ---- The table ---- */

/* How an instruction's lanes combine. `bits` below is the operands' lane
 * width, f the entry's lane operator, a b c the operands, r the result. */
typedef enum {
  K_MAP,        /* r[i] = f(a[i], b[i]); b is 0 for unary ones */
  K_SHIFT,      /* r[i] = f(a[i], b mod bits), b the i32 count */
  K_SPLAT,      /* r[i] = the scalar a */
  K_EXTRACT,    /* scalar f(a[lane]) */
  K_REPLACE,    /* r = a with lane `lane` set to the scalar b */
  K_SWIZZLE,    /* r[i] = a[b[i]], 0 when b[i] >= 16 */
  K_BITSELECT,  /* r = a where c has ones, b where it has zeros */
  K_ANY_TRUE,   /* i32: some bit is set */
  K_ALL_TRUE,   /* i32: every lane is non-zero */
  K_BITMASK,    /* i32: bit i is lane i's top bit */
  K_NARROW,     /* lanes of bits/2: f(a[0..n)) then f(b[0..n)) */
  K_WIDEN_LOW,  /* lanes of 2*bits: r[i] = f(a[i], b[i]), the low half */
  K_WIDEN_HIGH, /* the same from the high half */
  K_PAIRWISE,  /* lanes of 2*bits: r[i] = f(a[2i],b[2i]) + f(a[2i+1],b[2i+1]) */
  K_ZERO_HIGH, /* lanes of bits/2: r[i] = f(a[i]) for the n lanes, then 0 */
} kind;

typedef struct {
  cm_simd_sig sig; /* first, so a pointer to it is the entry's */
  kind how;
  uint8_t bits;
  lane_op *f;
} entry;

/* Signatures (the initialisers of a cm_simd_sig after the name). */
#define V_V 1, {CM_V128}, CM_V128, 0
#define VV_V 2, {CM_V128, CM_V128}, CM_V128, 0
#define VVV_V 3, {CM_V128, CM_V128, CM_V128}, CM_V128, 0
#define V_I32 1, {CM_V128}, CM_I32, 0
#define VI32_V 2, {CM_V128, CM_I32}, CM_V128, 0
#define SPLAT(t) 1, {t}, CM_V128, 0
#define EXTRACT(t, n) 1, {CM_V128}, t, n
#define REPLACE(t, n) 2, {CM_V128, t}, CM_V128, n

#define OP(code, name, sig, how, bits, f) [code] = {{name, sig}, how, bits, f}

static const entry table[256] = {
    OP(0x0e, "i8x16.swizzle", VV_V, K_SWIZZLE, 8, NULL),
    OP(0x0f, "i8x16.splat", SPLAT(CM_I32), K_SPLAT, 8, NULL),
    OP(0x10, "i16x8.splat", SPLAT(CM_I32), K_SPLAT, 16, NULL),
    OP(0x11, "i32x4.splat", SPLAT(CM_I32), K_SPLAT, 32, NULL),
    OP(0x12, "i64x2.splat", SPLAT(CM_I64), K_SPLAT, 64, NULL),
    OP(0x13, "f32x4.splat", SPLAT(CM_F32), K_SPLAT, 32, NULL),
    OP(0x14, "f64x2.splat", SPLAT(CM_F64), K_SPLAT, 64, NULL),

    OP(0x15, "i8x16.extract_lane_s", EXTRACT(CM_I32, 16), K_EXTRACT, 8,
       op_sext),
    OP(0x16, "i8x16.extract_lane_u", EXTRACT(CM_I32, 16), K_EXTRACT, 8,
       op_zext),
    OP(0x17, "i8x16.replace_lane", REPLACE(CM_I32, 16), K_REPLACE, 8, NULL),
    OP(0x18, "i16x8.extract_lane_s", EXTRACT(CM_I32, 8), K_EXTRACT, 16,
       op_sext),
    OP(0x19, "i16x8.extract_lane_u", EXTRACT(CM_I32, 8), K_EXTRACT, 16,
       op_zext),
    OP(0x1a, "i16x8.replace_lane", REPLACE(CM_I32, 8), K_REPLACE, 16, NULL),
    OP(0x1b, "i32x4.extract_lane", EXTRACT(CM_I32, 4), K_EXTRACT, 32, op_zext),
    OP(0x1c, "i32x4.replace_lane", REPLACE(CM_I32, 4), K_REPLACE, 32, NULL),
    OP(0x1d, "i64x2.extract_lane", EXTRACT(CM_I64, 2), K_EXTRACT, 64, op_zext),
    OP(0x1e, "i64x2.replace_lane", REPLACE(CM_I64, 2), K_REPLACE, 64, NULL),
    OP(0x1f, "f32x4.extract_lane", EXTRACT(CM_F32, 4), K_EXTRACT, 32, op_zext),
    OP(0x20, "f32x4.replace_lane", REPLACE(CM_F32, 4), K_REPLACE, 32, NULL),
    OP(0x21, "f64x2.extract_lane", EXTRACT(CM_F64, 2), K_EXTRACT, 64, op_zext),
    OP(0x22, "f64x2.replace_lane", REPLACE(CM_F64, 2), K_REPLACE, 64, NULL),

    OP(0x23, "i8x16.eq", VV_V, K_MAP, 8, op_eq),
    OP(0x24, "i8x16.ne", VV_V, K_MAP, 8, op_ne),
    OP(0x25, "i8x16.lt_s", VV_V, K_MAP, 8, op_lt_s),
    OP(0x26, "i8x16.lt_u", VV_V, K_MAP, 8, op_lt_u),
    OP(0x27, "i8x16.gt_s", VV_V, K_MAP, 8, op_gt_s),
    OP(0x28, "i8x16.gt_u", VV_V, K_MAP, 8, op_gt_u),
    OP(0x29, "i8x16.le_s", VV_V, K_MAP, 8, op_le_s),
    OP(0x2a, "i8x16.le_u", VV_V, K_MAP, 8, op_le_u),
    OP(0x2b, "i8x16.ge_s", VV_V, K_MAP, 8, op_ge_s),
    OP(0x2c, "i8x16.ge_u", VV_V, K_MAP, 8, op_ge_u),
    OP(0x2d, "i16x8.eq", VV_V, K_MAP, 16, op_eq),
    OP(0x2e, "i16x8.ne", VV_V, K_MAP, 16, op_ne),
    OP(0x2f, "i16x8.lt_s", VV_V, K_MAP, 16, op_lt_s),
    OP(0x30, "i16x8.lt_u", VV_V, K_MAP, 16, op_lt_u),
    OP(0x31, "i16x8.gt_s", VV_V, K_MAP, 16, op_gt_s),
    OP(0x32, "i16x8.gt_u", VV_V, K_MAP, 16, op_gt_u),
    OP(0x33, "i16x8.le_s", VV_V, K_MAP, 16, op_le_s),
    OP(0x34, "i16x8.le_u", VV_V, K_MAP, 16, op_le_u),
    OP(0x35, "i16x8.ge_s", VV_V, K_MAP, 16, op_ge_s),
    OP(0x36, "i16x8.ge_u", VV_V, K_MAP, 16, op_ge_u),
    OP(0x37, "i32x4.eq", VV_V, K_MAP, 32, op_eq),
    OP(0x38, "i32x4.ne", VV_V, K_MAP, 32, op_ne),
    OP(0x39, "i32x4.lt_s", VV_V, K_MAP, 32, op_lt_s),
    OP(0x3a, "i32x4.lt_u", VV_V, K_MAP, 32, op_lt_u),
    OP(0x3b, "i32x4.gt_s", VV_V, K_MAP, 32, op_gt_s),
    OP(0x3c, "i32x4.gt_u", VV_V, K_MAP, 32, op_gt_u),
    OP(0x3d, "i32x4.le_s", VV_V, K_MAP, 32, op_le_s),
    OP(0x3e, "i32x4.le_u", VV_V, K_MAP, 32, op_le_u),
    OP(0x3f, "i32x4.ge_s", VV_V, K_MAP, 32, op_ge_s),
    OP(0x40, "i32x4.ge_u", VV_V, K_MAP, 32, op_ge_u),
    OP(0x41, "f32x4.eq", VV_V, K_MAP, 32, op_f32_eq),
    OP(0x42, "f32x4.ne", VV_V, K_MAP, 32, op_f32_ne),
    OP(0x43, "f32x4.lt", VV_V, K_MAP, 32, op_f32_lt),
    OP(0x44, "f32x4.gt", VV_V, K_MAP, 32, op_f32_gt),
    OP(0x45, "f32x4.le", VV_V, K_MAP, 32, op_f32_le),
    OP(0x46, "f32x4.ge", VV_V, K_MAP, 32, op_f32_ge),
    OP(0x47, "f64x2.eq", VV_V, K_MAP, 64, op_f64_eq),
    OP(0x48, "f64x2.ne", VV_V, K_MAP, 64, op_f64_ne),
    OP(0x49, "f64x2.lt", VV_V, K_MAP, 64, op_f64_lt),
    OP(0x4a, "f64x2.gt", VV_V, K_MAP, 64, op_f64_gt),
    OP(0x4b, "f64x2.le", VV_V, K_MAP, 64, op_f64_le),
    OP(0x4c, "f64x2.ge", VV_V, K_MAP, 64, op_f64_ge),

    OP(0x4d, "v128.not", V_V, K_MAP, 64, op_not),
    OP(0x4e, "v128.and", VV_V, K_MAP, 64, op_and),
    OP(0x4f, "v128.andnot", VV_V, K_MAP, 64, op_andnot),
    OP(0x50, "v128.or", VV_V, K_MAP, 64, op_or),
    OP(0x51, "v128.xor", VV_V, K_MAP, 64, op_xor),
    OP(0x52, "v128.bitselect", VVV_V, K_BITSELECT, 64, NULL),
    OP(0x53, "v128.any_true", V_I32, K_ANY_TRUE, 64, NULL),

    OP(0x5e, "f32x4.demote_f64x2_zero", V_V, K_ZERO_HIGH, 64, op_demote),
    OP(0x5f, "f64x2.promote_low_f32x4", V_V, K_WIDEN_LOW, 32, op_promote),

    OP(0x60, "i8x16.abs", V_V, K_MAP, 8, op_abs),
    OP(0x61, "i8x16.neg", V_V, K_MAP, 8, op_neg),
    OP(0x62, "i8x16.popcnt", V_V, K_MAP, 8, op_popcnt),
    OP(0x63, "i8x16.all_true", V_I32, K_ALL_TRUE, 8, NULL),
    OP(0x64, "i8x16.bitmask", V_I32, K_BITMASK, 8, NULL),
    OP(0x65, "i8x16.narrow_i16x8_s", VV_V, K_NARROW, 16, op_narrow_s),
    OP(0x66, "i8x16.narrow_i16x8_u", VV_V, K_NARROW, 16, op_narrow_u),
    OP(0x67, "f32x4.ceil", V_V, K_MAP, 32, op_f32_ceil),
    OP(0x68, "f32x4.floor", V_V, K_MAP, 32, op_f32_floor),
    OP(0x69, "f32x4.trunc", V_V, K_MAP, 32, op_f32_trunc),
    OP(0x6a, "f32x4.nearest", V_V, K_MAP, 32, op_f32_nearest),
    OP(0x6b, "i8x16.shl", VI32_V, K_SHIFT, 8, op_shl),
    OP(0x6c, "i8x16.shr_s", VI32_V, K_SHIFT, 8, op_shr_s),
    OP(0x6d, "i8x16.shr_u", VI32_V, K_SHIFT, 8, op_shr_u),
    OP(0x6e, "i8x16.add", VV_V, K_MAP, 8, op_add),
    OP(0x6f, "i8x16.add_sat_s", VV_V, K_MAP, 8, op_add_sat_s),
    OP(0x70, "i8x16.add_sat_u", VV_V, K_MAP, 8, op_add_sat_u),
    OP(0x71, "i8x16.sub", VV_V, K_MAP, 8, op_sub),
    OP(0x72, "i8x16.sub_sat_s", VV_V, K_MAP, 8, op_sub_sat_s),
    OP(0x73, "i8x16.sub_sat_u", VV_V, K_MAP, 8, op_sub_sat_u),
    OP(0x74, "f64x2.ceil", V_V, K_MAP, 64, op_f64_ceil),
    OP(0x75, "f64x2.floor", V_V, K_MAP, 64, op_f64_floor),
    OP(0x76, "i8x16.min_s", VV_V, K_MAP, 8, op_min_s),
    OP(0x77, "i8x16.min_u", VV_V, K_MAP, 8, op_min_u),
    OP(0x78, "i8x16.max_s", VV_V, K_MAP, 8, op_max_s),
    OP(0x79, "i8x16.max_u", VV_V, K_MAP, 8, op_max_u),
    OP(0x7a, "f64x2.trunc", V_V, K_MAP, 64, op_f64_trunc),
    OP(0x7b, "i8x16.avgr_u", VV_V, K_MAP, 8, op_avgr_u),
    OP(0x7c, "i16x8.extadd_pairwise_i8x16_s", V_V, K_PAIRWISE, 8, op_sext),
    OP(0x7d, "i16x8.extadd_pairwise_i8x16_u", V_V, K_PAIRWISE, 8, op_zext),
    OP(0x7e, "i32x4.extadd_pairwise_i16x8_s", V_V, K_PAIRWISE, 16, op_sext),
    OP(0x7f, "i32x4.extadd_pairwise_i16x8_u", V_V, K_PAIRWISE, 16, op_zext),

    OP(0x80, "i16x8.abs", V_V, K_MAP, 16, op_abs),
    OP(0x81, "i16x8.neg", V_V, K_MAP, 16, op_neg),
    OP(0x82, "i16x8.q15mulr_sat_s", VV_V, K_MAP, 16, op_q15mulr_sat_s),
    OP(0x83, "i16x8.all_true", V_I32, K_ALL_TRUE, 16, NULL),
    OP(0x84, "i16x8.bitmask", V_I32, K_BITMASK, 16, NULL),
    OP(0x85, "i16x8.narrow_i32x4_s", VV_V, K_NARROW, 32, op_narrow_s),
    OP(0x86, "i16x8.narrow_i32x4_u", VV_V, K_NARROW, 32, op_narrow_u),
    OP(0x87, "i16x8.extend_low_i8x16_s", V_V, K_WIDEN_LOW, 8, op_sext),
    OP(0x88, "i16x8.extend_high_i8x16_s", V_V, K_WIDEN_HIGH, 8, op_sext),
    OP(0x89, "i16x8.extend_low_i8x16_u", V_V, K_WIDEN_LOW, 8, op_zext),
    OP(0x8a, "i16x8.extend_high_i8x16_u", V_V, K_WIDEN_HIGH, 8, op_zext),
    OP(0x8b, "i16x8.shl", VI32_V, K_SHIFT, 16, op_shl),
    OP(0x8c, "i16x8.shr_s", VI32_V, K_SHIFT, 16, op_shr_s),
    OP(0x8d, "i16x8.shr_u", VI32_V, K_SHIFT, 16, op_shr_u),
    OP(0x8e, "i16x8.add", VV_V, K_MAP, 16, op_add),
    OP(0x8f, "i16x8.add_sat_s", VV_V, K_MAP, 16, op_add_sat_s),
    OP(0x90, "i16x8.add_sat_u", VV_V, K_MAP, 16, op_add_sat_u),
    OP(0x91, "i16x8.sub", VV_V, K_MAP, 16, op_sub),
    OP(0x92, "i16x8.sub_sat_s", VV_V, K_MAP, 16, op_sub_sat_s),
    OP(0x93, "i16x8.sub_sat_u", VV_V, K_MAP, 16, op_sub_sat_u),
    OP(0x94, "f64x2.nearest", V_V, K_MAP, 64, op_f64_nearest),
    OP(0x95, "i16x8.mul", VV_V, K_MAP, 16, op_mul),
    OP(0x96, "i16x8.min_s", VV_V, K_MAP, 16, op_min_s),
    OP(0x97, "i16x8.min_u", VV_V, K_MAP, 16, op_min_u),
    OP(0x98, "i16x8.max_s", VV_V, K_MAP, 16, op_max_s),
    OP(0x99, "i16x8.max_u", VV_V, K_MAP, 16, op_max_u),
    OP(0x9b, "i16x8.avgr_u", VV_V, K_MAP, 16, op_avgr_u),
    OP(0x9c, "i16x8.extmul_low_i8x16_s", VV_V, K_WIDEN_LOW, 8, op_mul_wide_s),
    OP(0x9d, "i16x8.extmul_high_i8x16_s", VV_V, K_WIDEN_HIGH, 8, op_mul_wide_s),
    OP(0x9e, "i16x8.extmul_low_i8x16_u", VV_V, K_WIDEN_LOW, 8, op_mul_wide_u),
    OP(0x9f, "i16x8.extmul_high_i8x16_u", VV_V, K_WIDEN_HIGH, 8, op_mul_wide_u),

    OP(0xa0, "i32x4.abs", V_V, K_MAP, 32, op_abs),
    OP(0xa1, "i32x4.neg", V_V, K_MAP, 32, op_neg),
    OP(0xa3, "i32x4.all_true", V_I32, K_ALL_TRUE, 32, NULL),
    OP(0xa4, "i32x4.bitmask", V_I32, K_BITMASK, 32, NULL),
    OP(0xa7, "i32x4.extend_low_i16x8_s", V_V, K_WIDEN_LOW, 16, op_sext),
    OP(0xa8, "i32x4.extend_high_i16x8_s", V_V, K_WIDEN_HIGH, 16, op_sext),
    OP(0xa9, "i32x4.extend_low_i16x8_u", V_V, K_WIDEN_LOW, 16, op_zext),
    OP(0xaa, "i32x4.extend_high_i16x8_u", V_V, K_WIDEN_HIGH, 16, op_zext),
    OP(0xab, "i32x4.shl", VI32_V, K_SHIFT, 32, op_shl),
    OP(0xac, "i32x4.shr_s", VI32_V, K_SHIFT, 32, op_shr_s),
    OP(0xad, "i32x4.shr_u", VI32_V, K_SHIFT, 32, op_shr_u),
    OP(0xae, "i32x4.add", VV_V, K_MAP, 32, op_add),
    OP(0xb1, "i32x4.sub", VV_V, K_MAP, 32, op_sub),
    OP(0xb5, "i32x4.mul", VV_V, K_MAP, 32, op_mul),
    OP(0xb6, "i32x4.min_s", VV_V, K_MAP, 32, op_min_s),
    OP(0xb7, "i32x4.min_u", VV_V, K_MAP, 32, op_min_u),
    OP(0xb8, "i32x4.max_s", VV_V, K_MAP, 32, op_max_s),
    OP(0xb9, "i32x4.max_u", VV_V, K_MAP, 32, op_max_u),
    OP(0xba, "i32x4.dot_i16x8_s", VV_V, K_PAIRWISE, 16, op_mul_wide_s),
    OP(0xbc, "i32x4.extmul_low_i16x8_s", VV_V, K_WIDEN_LOW, 16, op_mul_wide_s),
    OP(0xbd, "i32x4.extmul_high_i16x8_s", VV_V, K_WIDEN_HIGH, 16,
       op_mul_wide_s),
    OP(0xbe, "i32x4.extmul_low_i16x8_u", VV_V, K_WIDEN_LOW, 16, op_mul_wide_u),
    OP(0xbf, "i32x4.extmul_high_i16x8_u", VV_V, K_WIDEN_HIGH, 16,
       op_mul_wide_u),

    OP(0xc0, "i64x2.abs", V_V, K_MAP, 64, op_abs),
    OP(0xc1, "i64x2.neg", V_V, K_MAP, 64, op_neg),
    OP(0xc3, "i64x2.all_true", V_I32, K_ALL_TRUE, 64, NULL),
    OP(0xc4, "i64x2.bitmask", V_I32, K_BITMASK, 64, NULL),
    OP(0xc7, "i64x2.extend_low_i32x4_s", V_V, K_WIDEN_LOW, 32, op_sext),
    OP(0xc8, "i64x2.extend_high_i32x4_s", V_V, K_WIDEN_HIGH, 32, op_sext),
    OP(0xc9, "i64x2.extend_low_i32x4_u", V_V, K_WIDEN_LOW, 32, op_zext),
    OP(0xca, "i64x2.extend_high_i32x4_u", V_V, K_WIDEN_HIGH, 32, op_zext),
    OP(0xcb, "i64x2.shl", VI32_V, K_SHIFT, 64, op_shl),
    OP(0xcc, "i64x2.shr_s", VI32_V, K_SHIFT, 64, op_shr_s),
    OP(0xcd, "i64x2.shr_u", VI32_V, K_SHIFT, 64, op_shr_u),
    OP(0xce, "i64x2.add", VV_V, K_MAP, 64, op_add),
    OP(0xd1, "i64x2.sub", VV_V, K_MAP, 64, op_sub),
    OP(0xd5, "i64x2.mul", VV_V, K_MAP, 64, op_mul),
    OP(0xd6, "i64x2.eq", VV_V, K_MAP, 64, op_eq),
    OP(0xd7, "i64x2.ne", VV_V, K_MAP, 64, op_ne),
    OP(0xd8, "i64x2.lt_s", VV_V, K_MAP, 64, op_lt_s),
    OP(0xd9, "i64x2.gt_s", VV_V, K_MAP, 64, op_gt_s),
    OP(0xda, "i64x2.le_s", VV_V, K_MAP, 64, op_le_s),
    OP(0xdb, "i64x2.ge_s", VV_V, K_MAP, 64, op_ge_s),
    OP(0xdc, "i64x2.extmul_low_i32x4_s", VV_V, K_WIDEN_LOW, 32, op_mul_wide_s),
    OP(0xdd, "i64x2.extmul_high_i32x4_s", VV_V, K_WIDEN_HIGH, 32,
       op_mul_wide_s),
    OP(0xde, "i64x2.extmul_low_i32x4_u", VV_V, K_WIDEN_LOW, 32, op_mul_wide_u),
    OP(0xdf, "i64x2.extmul_high_i32x4_u", VV_V, K_WIDEN_HIGH, 32,
       op_mul_wide_u),

    OP(0xe0, "f32x4.abs", V_V, K_MAP, 32, op_f32_abs),
    OP(0xe1, "f32x4.neg", V_V, K_MAP, 32, op_f32_neg),
    OP(0xe3, "f32x4.sqrt", V_V, K_MAP, 32, op_f32_sqrt),
    OP(0xe4, "f32x4.add", VV_V, K_MAP, 32, op_f32_add),
    OP(0xe5, "f32x4.sub", VV_V, K_MAP, 32, op_f32_sub),
    OP(0xe6, "f32x4.mul", VV_V, K_MAP, 32, op_f32_mul),
    OP(0xe7, "f32x4.div", VV_V, K_MAP, 32, op_f32_div),
    OP(0xe8, "f32x4.min", VV_V, K_MAP, 32, op_f32_min),
    OP(0xe9, "f32x4.max", VV_V, K_MAP, 32, op_f32_max),
    OP(0xea, "f32x4.pmin", VV_V, K_MAP, 32, op_f32_pmin),
    OP(0xeb, "f32x4.pmax", VV_V, K_MAP, 32, op_f32_pmax),
    OP(0xec, "f64x2.abs", V_V, K_MAP, 64, op_f64_abs),
    OP(0xed, "f64x2.neg", V_V, K_MAP, 64, op_f64_neg),
    OP(0xef, "f64x2.sqrt", V_V, K_MAP, 64, op_f64_sqrt),
    OP(0xf0, "f64x2.add", VV_V, K_MAP, 64, op_f64_add),
    OP(0xf1, "f64x2.sub", VV_V, K_MAP, 64, op_f64_sub),
    OP(0xf2, "f64x2.mul", VV_V, K_MAP, 64, op_f64_mul),
    OP(0xf3, "f64x2.div", VV_V, K_MAP, 64, op_f64_div),
    OP(0xf4, "f64x2.min", VV_V, K_MAP, 64, op_f64_min),
    OP(0xf5, "f64x2.max", VV_V, K_MAP, 64, op_f64_max),
    OP(0xf6, "f64x2.pmin", VV_V, K_MAP, 64, op_f64_pmin),
    OP(0xf7, "f64x2.pmax", VV_V, K_MAP, 64, op_f64_pmax),

    OP(0xf8, "i32x4.trunc_sat_f32x4_s", V_V, K_MAP, 32, op_trunc_sat_f32_s),
    OP(0xf9, "i32x4.trunc_sat_f32x4_u", V_V, K_MAP, 32, op_trunc_sat_f32_u),
    OP(0xfa, "f32x4.convert_i32x4_s", V_V, K_MAP, 32, op_f32_convert_s),
    OP(0xfb, "f32x4.convert_i32x4_u", V_V, K_MAP, 32, op_f32_convert_u),
    OP(0xfc, "i32x4.trunc_sat_f64x2_s_zero", V_V, K_ZERO_HIGH, 64,
       op_trunc_sat_f64_s),
    OP(0xfd, "i32x4.trunc_sat_f64x2_u_zero", V_V, K_ZERO_HIGH, 64,
       op_trunc_sat_f64_u),
    OP(0xfe, "f64x2.convert_low_i32x4_s", V_V, K_WIDEN_LOW, 32,
       op_f64_convert_s),
    OP(0xff, "f64x2.convert_low_i32x4_u", V_V, K_WIDEN_LOW, 32,
       op_f64_convert_u),
};

const cm_simd_sig *cm_simd_signature(uint32_t op) {
  if (op >= sizeof table / sizeof table[0] || !table[op].sig.name)
    return NULL;
  return &table[op].sig;
}

/* ---- Application ---- */

/* The width of a scalar result in the cell encoding. */
static unsigned scalar_bits(uint8_t type) {
  return type == CM_I64 || type == CM_F64 ? 64 : 32;
}

cm_v128 cm_simd_apply(uint32_t op, uint32_t lane, const cm_v128 *args) {
  /* Validation rules out both; the check keeps a caller's bug from
   * reading outside the table or the lanes. */
  const cm_simd_sig *sig = cm_simd_signature(op);
  if (!sig || (sig->lanes && lane >= sig->lanes))
    return scalar(0);

  const entry *e = &table[op];
  unsigned bits = e->bits;
  uint64_t a[MAX_LANES], b[MAX_LANES] = {0}, c[MAX_LANES], r[MAX_LANES];
  unsigned n = unpack(&args[0], bits, a);
  /* A second v128 operand; scalars are read from args[] directly. */
  if (e->sig.nparams >= 2 && e->sig.params[1] == CM_V128)
    unpack(&args[1], bits, b);

  switch (e->how) {
  case K_MAP:
    for (unsigned i = 0; i < n; i++)
      r[i] = e->f(a[i], b[i], bits);
    return pack(r, bits);

  case K_SHIFT: {
    uint64_t count = cell_of(&args[1]) % bits;
    for (unsigned i = 0; i < n; i++)
      r[i] = e->f(a[i], count, bits);
    return pack(r, bits);
  }

  case K_SPLAT: {
    uint64_t x = cell_of(&args[0]);
    for (unsigned i = 0; i < n; i++)
      r[i] = x;
    return pack(r, bits);
  }

  case K_EXTRACT:
    return scalar(e->f(a[lane], 0, bits) &
                  low_mask(scalar_bits(e->sig.result)));

  case K_REPLACE:
    a[lane] = cell_of(&args[1]);
    return pack(a, bits);

  case K_SWIZZLE:
    for (unsigned i = 0; i < n; i++)
      r[i] = b[i] < n ? a[b[i]] : 0;
    return pack(r, bits);

  case K_BITSELECT:
    unpack(&args[1], bits, b);
    unpack(&args[2], bits, c);
    for (unsigned i = 0; i < n; i++)
      r[i] = (a[i] & c[i]) | (b[i] & ~c[i]);
    return pack(r, bits);

  case K_ANY_TRUE: {
    bool any = false;
    for (unsigned i = 0; i < n; i++)
      any = any || a[i] != 0;
    return scalar(any);
  }

  case K_ALL_TRUE: {
    bool all = true;
    for (unsigned i = 0; i < n; i++)
      all = all && a[i] != 0;
    return scalar(all);
  }

  case K_BITMASK: {
    uint64_t mask = 0;
    for (unsigned i = 0; i < n; i++)
      mask |= ((a[i] >> (bits - 1)) & 1) << i;
    return scalar(mask);
  }

  case K_NARROW:
    for (unsigned i = 0; i < n; i++) {
      r[i] = e->f(a[i], 0, bits);
      r[n + i] = e->f(b[i], 0, bits);
    }
    return pack(r, bits / 2);

  case K_WIDEN_LOW:
  case K_WIDEN_HIGH: {
    unsigned from = e->how == K_WIDEN_LOW ? 0 : n / 2;
    for (unsigned i = 0; i < n / 2; i++)
      r[i] = e->f(a[from + i], b[from + i], bits);
    return pack(r, bits * 2);
  }

  case K_PAIRWISE:
    for (unsigned i = 0; i < n / 2; i++)
      r[i] = e->f(a[2 * i], b[2 * i], bits) +
             e->f(a[2 * i + 1], b[2 * i + 1], bits);
    return pack(r, bits * 2);

  case K_ZERO_HIGH:
    for (unsigned i = 0; i < 2 * n; i++)
      r[i] = i < n ? e->f(a[i], 0, bits) : 0;
    return pack(r, bits / 2);
  }
  return scalar(0); /* not reached: every kind returns above */
}
