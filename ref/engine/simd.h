/* canmem engine, internal: the lane operators of fixed-width SIMD
 * (Numerics chapter, vector instructions of WebAssembly 2.0).
 *
 * A v128 is 16 bytes in little-endian lane order: lane i of shape NxM
 * (e.g. i32x4) is bytes [i*M/8, (i+1)*M/8). In cells (runtime.h) a v128
 * takes two: bytes 0..7 in the lower cell, 8..15 in the upper.
 *
 * This file covers the "pure" vector instructions: every 0xfd instruction
 * that reads no memory and has no immediate other than a lane index. Loads,
 * stores, v128.const and i8x16.shuffle belong to decode/validate/exec.
 * Scalar operands and results (splat's input, extract_lane's output, the
 * shift count, all_true's i32) travel in the low bytes of a cm_v128 in the
 * cell encoding (i32/f32 zero-extended to 64 bits, the rest zero). NaN
 * results follow numeric.h: arithmetic NaNs are canonical; abs, neg and
 * bitwise operations keep payloads. */
#ifndef CANMEM_SIMD_H
#define CANMEM_SIMD_H

#include <stdint.h>

typedef struct {
  uint8_t bytes[16];
} cm_v128;

/* The type of a pure vector instruction, for validation. */
typedef struct {
  const char *name; /* "i32x4.add", for messages */
  uint8_t nparams;  /* operands popped, 0..3 */
  uint8_t params[3]; /* cm_valtype of each, first operand first */
  uint8_t result;   /* cm_valtype pushed */
  uint8_t lanes;    /* > 0: a lane index immediate < lanes follows */
} cm_simd_sig;

/* The signature of 0xfd subopcode `op`, or NULL when it is not a pure
 * vector instruction (a memory one, v128.const, shuffle, or unknown). */
const cm_simd_sig *cm_simd_signature(uint32_t op);

/* Apply pure instruction op to args[0..nparams) with lane index `lane`
 * (0 when it has none). op must have a signature. Never traps. */
cm_v128 cm_simd_apply(uint32_t op, uint32_t lane, const cm_v128 *args);

#endif
