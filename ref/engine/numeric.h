/* canmem engine, internal: the Numerics chapter.
 *
 * Every operator works on the cell encoding (i32 and f32 as 32-bit patterns,
 * i64 and f64 as 64-bit patterns), so exec.c moves bits and this file gives
 * them meaning. Rules kept throughout:
 *  - no C undefined behaviour: integer arithmetic is unsigned, shift counts
 *    are masked, float->int casts happen only after a range check;
 *  - arithmetic that produces a NaN produces the canonical NaN (positive,
 *    quiet, empty payload) for determinism, as the IC's embedder does; the
 *    spec allows it because the canonical NaN is also an arithmetic NaN;
 *  - abs, neg, copysign and reinterpret are bit operations and keep NaN
 *    payloads, as the spec requires;
 *  - operators that can trap return a cm_trap (CM_TRAP_NONE on success) and
 *    write their result through a pointer. */
#ifndef CANMEM_NUMERIC_H
#define CANMEM_NUMERIC_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "wasm.h"

#define CM_F32_CANONICAL_NAN UINT32_C(0x7fc00000)
#define CM_F64_CANONICAL_NAN UINT64_C(0x7ff8000000000000)
#define CM_F32_SIGN UINT32_C(0x80000000)
#define CM_F64_SIGN UINT64_C(0x8000000000000000)

/* ---- Bit patterns ---- */

static inline float cm_f32_of(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static inline double cm_f64_of(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* The result of float arithmetic: its bits, or the canonical NaN. */
static inline uint32_t cm_f32_result(float f) {
  if (f != f)
    return CM_F32_CANONICAL_NAN;
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

static inline uint64_t cm_f64_result(double d) {
  if (d != d)
    return CM_F64_CANONICAL_NAN;
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

/* Signed views. Converting an out-of-range unsigned value to a signed type
 * is implementation-defined (two's complement on every compiler we support),
 * not undefined. */
static inline int32_t cm_s32(uint32_t v) { return (int32_t)v; }
static inline int64_t cm_s64(uint64_t v) { return (int64_t)v; }

/* ---- Integer operators ---- */

static inline cm_trap cm_i32_div_s(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  if (a == UINT32_C(0x80000000) && b == UINT32_MAX)
    return CM_TRAP_INT_OVERFLOW;
  *out = (uint32_t)(cm_s32(a) / cm_s32(b));
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i32_div_u(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  *out = a / b;
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i32_rem_s(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  /* INT32_MIN % -1 is 0 in wasm but undefined in C. */
  *out = b == UINT32_MAX ? 0 : (uint32_t)(cm_s32(a) % cm_s32(b));
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i32_rem_u(uint32_t a, uint32_t b, uint32_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  *out = a % b;
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i64_div_s(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  if (a == CM_F64_SIGN && b == UINT64_MAX)
    return CM_TRAP_INT_OVERFLOW;
  *out = (uint64_t)(cm_s64(a) / cm_s64(b));
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i64_div_u(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  *out = a / b;
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i64_rem_s(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  *out = b == UINT64_MAX ? 0 : (uint64_t)(cm_s64(a) % cm_s64(b));
  return CM_TRAP_NONE;
}

static inline cm_trap cm_i64_rem_u(uint64_t a, uint64_t b, uint64_t *out) {
  if (b == 0)
    return CM_TRAP_DIV_ZERO;
  *out = a % b;
  return CM_TRAP_NONE;
}

/* Shift counts are taken modulo the width, as the spec says. */
static inline uint32_t cm_i32_shl(uint32_t a, uint32_t b) {
  return a << (b & 31);
}
static inline uint32_t cm_i32_shr_u(uint32_t a, uint32_t b) {
  return a >> (b & 31);
}
static inline uint32_t cm_i32_shr_s(uint32_t a, uint32_t b) {
  uint32_t k = b & 31;
  uint32_t shifted = a >> k;
  /* Fill the vacated high bits with the sign without a signed shift. */
  if ((a & UINT32_C(0x80000000)) && k)
    shifted |= ~(UINT32_MAX >> k);
  return shifted;
}
static inline uint32_t cm_i32_rotl(uint32_t a, uint32_t b) {
  uint32_t k = b & 31;
  return (a << k) | (a >> ((32 - k) & 31));
}
static inline uint32_t cm_i32_rotr(uint32_t a, uint32_t b) {
  uint32_t k = b & 31;
  return (a >> k) | (a << ((32 - k) & 31));
}

static inline uint64_t cm_i64_shl(uint64_t a, uint64_t b) {
  return a << (b & 63);
}
static inline uint64_t cm_i64_shr_u(uint64_t a, uint64_t b) {
  return a >> (b & 63);
}
static inline uint64_t cm_i64_shr_s(uint64_t a, uint64_t b) {
  uint64_t k = b & 63;
  uint64_t shifted = a >> k;
  if ((a & CM_F64_SIGN) && k)
    shifted |= ~(UINT64_MAX >> k);
  return shifted;
}
static inline uint64_t cm_i64_rotl(uint64_t a, uint64_t b) {
  uint64_t k = b & 63;
  return (a << k) | (a >> ((64 - k) & 63));
}
static inline uint64_t cm_i64_rotr(uint64_t a, uint64_t b) {
  uint64_t k = b & 63;
  return (a >> k) | (a << ((64 - k) & 63));
}

static inline uint32_t cm_i32_clz(uint32_t a) {
#if defined(__GNUC__)
  return a ? (uint32_t)__builtin_clz(a) : 32;
#else
  uint32_t n = 0;
  if (!a)
    return 32;
  while (!(a & UINT32_C(0x80000000))) {
    a <<= 1;
    n++;
  }
  return n;
#endif
}

static inline uint32_t cm_i32_ctz(uint32_t a) {
#if defined(__GNUC__)
  return a ? (uint32_t)__builtin_ctz(a) : 32;
#else
  uint32_t n = 0;
  if (!a)
    return 32;
  while (!(a & 1)) {
    a >>= 1;
    n++;
  }
  return n;
#endif
}

static inline uint32_t cm_i32_popcnt(uint32_t a) {
#if defined(__GNUC__)
  return (uint32_t)__builtin_popcount(a);
#else
  uint32_t n = 0;
  for (; a; a &= a - 1)
    n++;
  return n;
#endif
}

static inline uint64_t cm_i64_clz(uint64_t a) {
#if defined(__GNUC__)
  return a ? (uint64_t)__builtin_clzll(a) : 64;
#else
  uint32_t high = (uint32_t)(a >> 32);
  return high ? cm_i32_clz(high) : 32 + cm_i32_clz((uint32_t)a);
#endif
}

static inline uint64_t cm_i64_ctz(uint64_t a) {
#if defined(__GNUC__)
  return a ? (uint64_t)__builtin_ctzll(a) : 64;
#else
  uint32_t low = (uint32_t)a;
  return low ? cm_i32_ctz(low) : 32 + cm_i32_ctz((uint32_t)(a >> 32));
#endif
}

static inline uint64_t cm_i64_popcnt(uint64_t a) {
  return cm_i32_popcnt((uint32_t)a) + cm_i32_popcnt((uint32_t)(a >> 32));
}

/* Sign extension: the low n bits, sign-extended to the full width. */
static inline uint32_t cm_i32_extend8_s(uint32_t a) {
  return (uint32_t)(int32_t)(int8_t)(uint8_t)a;
}
static inline uint32_t cm_i32_extend16_s(uint32_t a) {
  return (uint32_t)(int32_t)(int16_t)(uint16_t)a;
}
static inline uint64_t cm_i64_extend8_s(uint64_t a) {
  return (uint64_t)(int64_t)(int8_t)(uint8_t)a;
}
static inline uint64_t cm_i64_extend16_s(uint64_t a) {
  return (uint64_t)(int64_t)(int16_t)(uint16_t)a;
}
static inline uint64_t cm_i64_extend32_s(uint64_t a) {
  return (uint64_t)(int64_t)(int32_t)(uint32_t)a;
}

/* ---- Float operators ---- */

static inline uint32_t cm_f32_add(uint32_t a, uint32_t b) {
  return cm_f32_result(cm_f32_of(a) + cm_f32_of(b));
}
static inline uint32_t cm_f32_sub(uint32_t a, uint32_t b) {
  return cm_f32_result(cm_f32_of(a) - cm_f32_of(b));
}
static inline uint32_t cm_f32_mul(uint32_t a, uint32_t b) {
  return cm_f32_result(cm_f32_of(a) * cm_f32_of(b));
}
static inline uint32_t cm_f32_div(uint32_t a, uint32_t b) {
  return cm_f32_result(cm_f32_of(a) / cm_f32_of(b));
}
static inline uint64_t cm_f64_add(uint64_t a, uint64_t b) {
  return cm_f64_result(cm_f64_of(a) + cm_f64_of(b));
}
static inline uint64_t cm_f64_sub(uint64_t a, uint64_t b) {
  return cm_f64_result(cm_f64_of(a) - cm_f64_of(b));
}
static inline uint64_t cm_f64_mul(uint64_t a, uint64_t b) {
  return cm_f64_result(cm_f64_of(a) * cm_f64_of(b));
}
static inline uint64_t cm_f64_div(uint64_t a, uint64_t b) {
  return cm_f64_result(cm_f64_of(a) / cm_f64_of(b));
}

static inline uint32_t cm_f32_sqrt(uint32_t a) {
  return cm_f32_result(sqrtf(cm_f32_of(a)));
}
static inline uint64_t cm_f64_sqrt(uint64_t a) {
  return cm_f64_result(sqrt(cm_f64_of(a)));
}
static inline uint32_t cm_f32_ceil(uint32_t a) {
  return cm_f32_result(ceilf(cm_f32_of(a)));
}
static inline uint64_t cm_f64_ceil(uint64_t a) {
  return cm_f64_result(ceil(cm_f64_of(a)));
}
static inline uint32_t cm_f32_floor(uint32_t a) {
  return cm_f32_result(floorf(cm_f32_of(a)));
}
static inline uint64_t cm_f64_floor(uint64_t a) {
  return cm_f64_result(floor(cm_f64_of(a)));
}
static inline uint32_t cm_f32_trunc(uint32_t a) {
  return cm_f32_result(truncf(cm_f32_of(a)));
}
static inline uint64_t cm_f64_trunc(uint64_t a) {
  return cm_f64_result(trunc(cm_f64_of(a)));
}
/* Round to nearest, ties to even: nearbyint in the default rounding mode,
 * which the engine never changes. */
static inline uint32_t cm_f32_nearest(uint32_t a) {
  return cm_f32_result(nearbyintf(cm_f32_of(a)));
}
static inline uint64_t cm_f64_nearest(uint64_t a) {
  return cm_f64_result(nearbyint(cm_f64_of(a)));
}

/* min/max: a NaN operand gives NaN; -0 is smaller than +0. */
static inline uint32_t cm_f32_min(uint32_t a, uint32_t b) {
  float x = cm_f32_of(a), y = cm_f32_of(b);
  if (x != x || y != y)
    return CM_F32_CANONICAL_NAN;
  if (x == y) /* equal, or zeros of either sign: the negative one wins */
    return a | b;
  return x < y ? a : b;
}
static inline uint32_t cm_f32_max(uint32_t a, uint32_t b) {
  float x = cm_f32_of(a), y = cm_f32_of(b);
  if (x != x || y != y)
    return CM_F32_CANONICAL_NAN;
  if (x == y) /* +0 wins over -0 */
    return a & b;
  return x > y ? a : b;
}
static inline uint64_t cm_f64_min(uint64_t a, uint64_t b) {
  double x = cm_f64_of(a), y = cm_f64_of(b);
  if (x != x || y != y)
    return CM_F64_CANONICAL_NAN;
  if (x == y)
    return a | b;
  return x < y ? a : b;
}
static inline uint64_t cm_f64_max(uint64_t a, uint64_t b) {
  double x = cm_f64_of(a), y = cm_f64_of(b);
  if (x != x || y != y)
    return CM_F64_CANONICAL_NAN;
  if (x == y)
    return a & b;
  return x > y ? a : b;
}

/* Bit operations: NaN payloads pass through untouched. */
static inline uint32_t cm_f32_abs(uint32_t a) { return a & ~CM_F32_SIGN; }
static inline uint32_t cm_f32_neg(uint32_t a) { return a ^ CM_F32_SIGN; }
static inline uint32_t cm_f32_copysign(uint32_t a, uint32_t b) {
  return (a & ~CM_F32_SIGN) | (b & CM_F32_SIGN);
}
static inline uint64_t cm_f64_abs(uint64_t a) { return a & ~CM_F64_SIGN; }
static inline uint64_t cm_f64_neg(uint64_t a) { return a ^ CM_F64_SIGN; }
static inline uint64_t cm_f64_copysign(uint64_t a, uint64_t b) {
  return (a & ~CM_F64_SIGN) | (b & CM_F64_SIGN);
}

/* Comparisons: C's operators already give false for any NaN (true for ne). */
static inline uint32_t cm_f32_eq(uint32_t a, uint32_t b) {
  return cm_f32_of(a) == cm_f32_of(b);
}
static inline uint32_t cm_f32_ne(uint32_t a, uint32_t b) {
  return cm_f32_of(a) != cm_f32_of(b);
}
static inline uint32_t cm_f32_lt(uint32_t a, uint32_t b) {
  return cm_f32_of(a) < cm_f32_of(b);
}
static inline uint32_t cm_f32_gt(uint32_t a, uint32_t b) {
  return cm_f32_of(a) > cm_f32_of(b);
}
static inline uint32_t cm_f32_le(uint32_t a, uint32_t b) {
  return cm_f32_of(a) <= cm_f32_of(b);
}
static inline uint32_t cm_f32_ge(uint32_t a, uint32_t b) {
  return cm_f32_of(a) >= cm_f32_of(b);
}
static inline uint32_t cm_f64_eq(uint64_t a, uint64_t b) {
  return cm_f64_of(a) == cm_f64_of(b);
}
static inline uint32_t cm_f64_ne(uint64_t a, uint64_t b) {
  return cm_f64_of(a) != cm_f64_of(b);
}
static inline uint32_t cm_f64_lt(uint64_t a, uint64_t b) {
  return cm_f64_of(a) < cm_f64_of(b);
}
static inline uint32_t cm_f64_gt(uint64_t a, uint64_t b) {
  return cm_f64_of(a) > cm_f64_of(b);
}
static inline uint32_t cm_f64_le(uint64_t a, uint64_t b) {
  return cm_f64_of(a) <= cm_f64_of(b);
}
static inline uint32_t cm_f64_ge(uint64_t a, uint64_t b) {
  return cm_f64_of(a) >= cm_f64_of(b);
}

/* ---- Conversions ---- */

static inline uint32_t cm_f32_demote_f64(uint64_t a) {
  /* Out-of-range values become infinities (IEEE 754, C Annex F). */
  return cm_f32_result((float)cm_f64_of(a));
}
static inline uint64_t cm_f64_promote_f32(uint32_t a) {
  return cm_f64_result((double)cm_f32_of(a));
}

/* Integer to float, rounded to nearest-even here rather than by the C
 * conversion: C leaves the rounding of inexact conversions to the
 * implementation, and some (valgrind's emulation, for one) round twice
 * through double. Values that fit the significand convert exactly. */
static inline uint32_t cm_f32_from_u64(uint64_t x) {
  if (x < (UINT64_C(1) << 24))
    return cm_f32_result((float)x); /* exact */
  uint32_t top = 63 - (uint32_t)cm_i64_clz(x); /* >= 24 */
  uint32_t shift = top - 23;                   /* bits that do not fit */
  uint64_t significand = x >> shift;           /* 24 bits */
  uint64_t rest = x & ((UINT64_C(1) << shift) - 1);
  uint64_t half = UINT64_C(1) << (shift - 1);
  if (rest > half || (rest == half && (significand & 1)))
    significand++;
  if (significand == (UINT64_C(1) << 24)) { /* rounded up to a power of 2 */
    significand >>= 1;
    top++;
  }
  return ((top + 127) << 23) | ((uint32_t)significand & UINT32_C(0x7fffff));
}

static inline uint64_t cm_f64_from_u64(uint64_t x) {
  if (x < (UINT64_C(1) << 53))
    return cm_f64_result((double)x); /* exact */
  uint32_t top = 63 - (uint32_t)cm_i64_clz(x); /* >= 53 */
  uint32_t shift = top - 52;
  uint64_t significand = x >> shift; /* 53 bits */
  uint64_t rest = x & ((UINT64_C(1) << shift) - 1);
  uint64_t half = UINT64_C(1) << (shift - 1);
  if (rest > half || (rest == half && (significand & 1)))
    significand++;
  if (significand == (UINT64_C(1) << 53)) {
    significand >>= 1;
    top++;
  }
  return ((uint64_t)(top + 1023) << 52) |
         (significand & ((UINT64_C(1) << 52) - 1));
}

/* Signed: convert the magnitude, then set the sign bit. */
static inline uint32_t cm_f32_from_s64(uint64_t x) {
  bool negative = (x & CM_F64_SIGN) != 0;
  uint32_t bits = cm_f32_from_u64(negative ? 0 - x : x);
  return negative ? bits | CM_F32_SIGN : bits;
}

static inline uint64_t cm_f64_from_s64(uint64_t x) {
  bool negative = (x & CM_F64_SIGN) != 0;
  uint64_t bits = cm_f64_from_u64(negative ? 0 - x : x);
  return negative ? bits | CM_F64_SIGN : bits;
}

static inline uint32_t cm_f32_convert_i32_s(uint32_t a) {
  return cm_f32_from_s64((uint64_t)cm_i64_extend32_s(a));
}
static inline uint32_t cm_f32_convert_i32_u(uint32_t a) {
  return cm_f32_from_u64(a);
}
static inline uint32_t cm_f32_convert_i64_s(uint64_t a) {
  return cm_f32_from_s64(a);
}
static inline uint32_t cm_f32_convert_i64_u(uint64_t a) {
  return cm_f32_from_u64(a);
}
/* Every i32 is exact in a double. */
static inline uint64_t cm_f64_convert_i32_s(uint32_t a) {
  return cm_f64_result((double)cm_s32(a));
}
static inline uint64_t cm_f64_convert_i32_u(uint32_t a) {
  return cm_f64_result((double)a);
}
static inline uint64_t cm_f64_convert_i64_s(uint64_t a) {
  return cm_f64_from_s64(a);
}
static inline uint64_t cm_f64_convert_i64_u(uint64_t a) {
  return cm_f64_from_u64(a);
}

/* Truncation to integers. A value is in range when its truncation fits:
 * the bounds below are exclusive and exactly representable, so the test is
 * exact in either float width. NaN fails every comparison and is caught
 * first, because it traps with a different message. */
#define CM_TRUNC_BODY(x, lower, upper, type, out)                             \
  do {                                                                        \
    if ((x) != (x))                                                           \
      return CM_TRAP_INVALID_CONVERSION;                                      \
    if (!((x) > (lower) && (x) < (upper)))                                    \
      return CM_TRAP_INT_OVERFLOW;                                            \
    *(out) = (type)(x);                                                       \
    return CM_TRAP_NONE;                                                      \
  } while (0)

static inline cm_trap cm_i32_trunc_f32_s(uint32_t a, uint32_t *out) {
  float x = cm_f32_of(a);
  int32_t r;
  if (x != x)
    return CM_TRAP_INVALID_CONVERSION;
  /* -2^31 itself is valid; the next float below it is not. */
  if (!(x >= -2147483648.0f && x < 2147483648.0f))
    return CM_TRAP_INT_OVERFLOW;
  r = (int32_t)x;
  *out = (uint32_t)r;
  return CM_TRAP_NONE;
}
static inline cm_trap cm_i32_trunc_f64_s(uint64_t a, uint32_t *out) {
  double x = cm_f64_of(a);
  int32_t r;
  if (x != x)
    return CM_TRAP_INVALID_CONVERSION;
  if (!(x > -2147483649.0 && x < 2147483648.0))
    return CM_TRAP_INT_OVERFLOW;
  r = (int32_t)x;
  *out = (uint32_t)r;
  return CM_TRAP_NONE;
}
static inline cm_trap cm_i32_trunc_f32_u(uint32_t a, uint32_t *out) {
  float x = cm_f32_of(a);
  CM_TRUNC_BODY(x, -1.0f, 4294967296.0f, uint32_t, out);
}
static inline cm_trap cm_i32_trunc_f64_u(uint64_t a, uint32_t *out) {
  double x = cm_f64_of(a);
  CM_TRUNC_BODY(x, -1.0, 4294967296.0, uint32_t, out);
}
static inline cm_trap cm_i64_trunc_f32_s(uint32_t a, uint64_t *out) {
  float x = cm_f32_of(a);
  int64_t r;
  if (x != x)
    return CM_TRAP_INVALID_CONVERSION;
  if (!(x >= -9223372036854775808.0f && x < 9223372036854775808.0f))
    return CM_TRAP_INT_OVERFLOW;
  r = (int64_t)x;
  *out = (uint64_t)r;
  return CM_TRAP_NONE;
}
static inline cm_trap cm_i64_trunc_f64_s(uint64_t a, uint64_t *out) {
  double x = cm_f64_of(a);
  int64_t r;
  if (x != x)
    return CM_TRAP_INVALID_CONVERSION;
  if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0))
    return CM_TRAP_INT_OVERFLOW;
  r = (int64_t)x;
  *out = (uint64_t)r;
  return CM_TRAP_NONE;
}
static inline cm_trap cm_i64_trunc_f32_u(uint32_t a, uint64_t *out) {
  float x = cm_f32_of(a);
  CM_TRUNC_BODY(x, -1.0f, 18446744073709551616.0f, uint64_t, out);
}
static inline cm_trap cm_i64_trunc_f64_u(uint64_t a, uint64_t *out) {
  double x = cm_f64_of(a);
  CM_TRUNC_BODY(x, -1.0, 18446744073709551616.0, uint64_t, out);
}
#undef CM_TRUNC_BODY

/* Saturating truncation: NaN gives 0, out-of-range values clamp. */
static inline uint32_t cm_i32_trunc_sat_f32_s(uint32_t a) {
  float x = cm_f32_of(a);
  if (x != x)
    return 0;
  if (x < -2147483648.0f)
    return UINT32_C(0x80000000);
  if (x >= 2147483648.0f)
    return UINT32_C(0x7fffffff);
  return (uint32_t)(int32_t)x;
}
static inline uint32_t cm_i32_trunc_sat_f64_s(uint64_t a) {
  double x = cm_f64_of(a);
  if (x != x)
    return 0;
  if (x <= -2147483649.0)
    return UINT32_C(0x80000000);
  if (x >= 2147483648.0)
    return UINT32_C(0x7fffffff);
  return (uint32_t)(int32_t)x;
}
static inline uint32_t cm_i32_trunc_sat_f32_u(uint32_t a) {
  float x = cm_f32_of(a);
  if (!(x > -1.0f)) /* NaN too */
    return 0;
  if (x >= 4294967296.0f)
    return UINT32_MAX;
  return (uint32_t)x;
}
static inline uint32_t cm_i32_trunc_sat_f64_u(uint64_t a) {
  double x = cm_f64_of(a);
  if (!(x > -1.0))
    return 0;
  if (x >= 4294967296.0)
    return UINT32_MAX;
  return (uint32_t)x;
}
static inline uint64_t cm_i64_trunc_sat_f32_s(uint32_t a) {
  float x = cm_f32_of(a);
  if (x != x)
    return 0;
  if (x < -9223372036854775808.0f)
    return CM_F64_SIGN;
  if (x >= 9223372036854775808.0f)
    return UINT64_C(0x7fffffffffffffff);
  return (uint64_t)(int64_t)x;
}
static inline uint64_t cm_i64_trunc_sat_f64_s(uint64_t a) {
  double x = cm_f64_of(a);
  if (x != x)
    return 0;
  if (x < -9223372036854775808.0)
    return CM_F64_SIGN;
  if (x >= 9223372036854775808.0)
    return UINT64_C(0x7fffffffffffffff);
  return (uint64_t)(int64_t)x;
}
static inline uint64_t cm_i64_trunc_sat_f32_u(uint32_t a) {
  float x = cm_f32_of(a);
  if (!(x > -1.0f))
    return 0;
  if (x >= 18446744073709551616.0f)
    return UINT64_MAX;
  return (uint64_t)x;
}
static inline uint64_t cm_i64_trunc_sat_f64_u(uint64_t a) {
  double x = cm_f64_of(a);
  if (!(x > -1.0))
    return 0;
  if (x >= 18446744073709551616.0)
    return UINT64_MAX;
  return (uint64_t)x;
}

/* ---- Little-endian memory access ----
 * Wasm memory is little-endian. On little-endian hosts (all we know of) a
 * memcpy is one load or store; elsewhere the bytes are assembled. */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) &&           \
    __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CM_HOST_LITTLE_ENDIAN 1
#else
#define CM_HOST_LITTLE_ENDIAN 0
#endif

static inline uint64_t cm_load_le(const uint8_t *p, unsigned size) {
  uint64_t v = 0;
#if CM_HOST_LITTLE_ENDIAN
  memcpy(&v, p, size);
#else
  for (unsigned i = 0; i < size; i++)
    v |= (uint64_t)p[i] << (8 * i);
#endif
  return v;
}

static inline void cm_store_le(uint8_t *p, uint64_t v, unsigned size) {
#if CM_HOST_LITTLE_ENDIAN
  memcpy(p, &v, size);
#else
  for (unsigned i = 0; i < size; i++)
    p[i] = (uint8_t)(v >> (8 * i));
#endif
}

#endif
