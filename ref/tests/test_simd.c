/* Unit tests of the SIMD lane operators (ref/engine/simd.c).
 *
 * Most expectations are taken from the official test suite: the comment
 * above a check names the .wast file (in ../shared/spec-testsuite) and the
 * line of its assert_return. The rest are edge cases the suite leaves to
 * "nan:canonical" or does not reach, worked out from the Numerics chapter;
 * their comments say why the answer is what it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "numeric.h"
#include "simd.h"

/* ---- Building operands ---- */

/* A v128 of 128/bits lanes, lane 0 first; each keeps its low bits. */
static cm_v128 lanes(unsigned bits, const uint64_t *values) {
  cm_v128 v;
  unsigned size = bits / 8;
  for (unsigned i = 0; i < 16 / size; i++)
    cm_store_le(v.bytes + i * size, values[i], size);
  return v;
}

#define I8(...) lanes(8, (const uint64_t[16]){__VA_ARGS__})
#define I16(...) lanes(16, (const uint64_t[8]){__VA_ARGS__})
#define I32(...) lanes(32, (const uint64_t[4]){__VA_ARGS__})
#define I64(...) lanes(64, (const uint64_t[2]){__VA_ARGS__})

static uint32_t f32_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return bits;
}

static uint64_t f64_bits(double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return bits;
}

static cm_v128 f32x4(float a, float b, float c, float d) {
  return I32(f32_bits(a), f32_bits(b), f32_bits(c), f32_bits(d));
}

static cm_v128 f64x2(double a, double b) {
  return I64(f64_bits(a), f64_bits(b));
}

/* A scalar operand or result in the cell encoding (simd.h). */
static cm_v128 cell(uint64_t value) {
  cm_v128 v = {{0}};
  cm_store_le(v.bytes, value, 8);
  return v;
}

#define F32_NAN UINT32_C(0x7fc00000)
#define F64_NAN UINT64_C(0x7ff8000000000000)

/* ---- Running instructions by name ---- */

static uint32_t opcode(const char *name) {
  for (uint32_t op = 0; op < 256; op++) {
    const cm_simd_sig *sig = cm_simd_signature(op);
    if (sig && strcmp(sig->name, name) == 0)
      return op;
  }
  fail_msg("no instruction named %s", name);
  return 0;
}

/* Applies `name` to its operands (unused ones are ignored). */
static cm_v128 run(const char *name, uint32_t lane, cm_v128 a, cm_v128 b,
                   cm_v128 c) {
  cm_v128 args[3] = {a, b, c};
  return cm_simd_apply(opcode(name), lane, args);
}

#define ZERO cell(0)
#define RUN1(name, a) run(name, 0, a, ZERO, ZERO)
#define RUN2(name, a, b) run(name, 0, a, b, ZERO)

#define assert_v128(got, want)                                                 \
  do {                                                                         \
    cm_v128 got_ = (got), want_ = (want);                                      \
    assert_memory_equal(got_.bytes, want_.bytes, 16);                          \
  } while (0)

/* ---- The signature table ---- */

/* Every pure instruction of WebAssembly 2.0 with its subopcode, from the
 * binary format chapter (checked against wat2wasm 1.0.32's encoding). */
static const struct {
  uint32_t op;
  const char *name;
} pure[] = {
    {0x0e, "i8x16.swizzle"},
    {0x0f, "i8x16.splat"},
    {0x10, "i16x8.splat"},
    {0x11, "i32x4.splat"},
    {0x12, "i64x2.splat"},
    {0x13, "f32x4.splat"},
    {0x14, "f64x2.splat"},
    {0x15, "i8x16.extract_lane_s"},
    {0x16, "i8x16.extract_lane_u"},
    {0x17, "i8x16.replace_lane"},
    {0x18, "i16x8.extract_lane_s"},
    {0x19, "i16x8.extract_lane_u"},
    {0x1a, "i16x8.replace_lane"},
    {0x1b, "i32x4.extract_lane"},
    {0x1c, "i32x4.replace_lane"},
    {0x1d, "i64x2.extract_lane"},
    {0x1e, "i64x2.replace_lane"},
    {0x1f, "f32x4.extract_lane"},
    {0x20, "f32x4.replace_lane"},
    {0x21, "f64x2.extract_lane"},
    {0x22, "f64x2.replace_lane"},
    {0x23, "i8x16.eq"},
    {0x24, "i8x16.ne"},
    {0x25, "i8x16.lt_s"},
    {0x26, "i8x16.lt_u"},
    {0x27, "i8x16.gt_s"},
    {0x28, "i8x16.gt_u"},
    {0x29, "i8x16.le_s"},
    {0x2a, "i8x16.le_u"},
    {0x2b, "i8x16.ge_s"},
    {0x2c, "i8x16.ge_u"},
    {0x2d, "i16x8.eq"},
    {0x2e, "i16x8.ne"},
    {0x2f, "i16x8.lt_s"},
    {0x30, "i16x8.lt_u"},
    {0x31, "i16x8.gt_s"},
    {0x32, "i16x8.gt_u"},
    {0x33, "i16x8.le_s"},
    {0x34, "i16x8.le_u"},
    {0x35, "i16x8.ge_s"},
    {0x36, "i16x8.ge_u"},
    {0x37, "i32x4.eq"},
    {0x38, "i32x4.ne"},
    {0x39, "i32x4.lt_s"},
    {0x3a, "i32x4.lt_u"},
    {0x3b, "i32x4.gt_s"},
    {0x3c, "i32x4.gt_u"},
    {0x3d, "i32x4.le_s"},
    {0x3e, "i32x4.le_u"},
    {0x3f, "i32x4.ge_s"},
    {0x40, "i32x4.ge_u"},
    {0x41, "f32x4.eq"},
    {0x42, "f32x4.ne"},
    {0x43, "f32x4.lt"},
    {0x44, "f32x4.gt"},
    {0x45, "f32x4.le"},
    {0x46, "f32x4.ge"},
    {0x47, "f64x2.eq"},
    {0x48, "f64x2.ne"},
    {0x49, "f64x2.lt"},
    {0x4a, "f64x2.gt"},
    {0x4b, "f64x2.le"},
    {0x4c, "f64x2.ge"},
    {0x4d, "v128.not"},
    {0x4e, "v128.and"},
    {0x4f, "v128.andnot"},
    {0x50, "v128.or"},
    {0x51, "v128.xor"},
    {0x52, "v128.bitselect"},
    {0x53, "v128.any_true"},
    {0x5e, "f32x4.demote_f64x2_zero"},
    {0x5f, "f64x2.promote_low_f32x4"},
    {0x60, "i8x16.abs"},
    {0x61, "i8x16.neg"},
    {0x62, "i8x16.popcnt"},
    {0x63, "i8x16.all_true"},
    {0x64, "i8x16.bitmask"},
    {0x65, "i8x16.narrow_i16x8_s"},
    {0x66, "i8x16.narrow_i16x8_u"},
    {0x67, "f32x4.ceil"},
    {0x68, "f32x4.floor"},
    {0x69, "f32x4.trunc"},
    {0x6a, "f32x4.nearest"},
    {0x6b, "i8x16.shl"},
    {0x6c, "i8x16.shr_s"},
    {0x6d, "i8x16.shr_u"},
    {0x6e, "i8x16.add"},
    {0x6f, "i8x16.add_sat_s"},
    {0x70, "i8x16.add_sat_u"},
    {0x71, "i8x16.sub"},
    {0x72, "i8x16.sub_sat_s"},
    {0x73, "i8x16.sub_sat_u"},
    {0x74, "f64x2.ceil"},
    {0x75, "f64x2.floor"},
    {0x76, "i8x16.min_s"},
    {0x77, "i8x16.min_u"},
    {0x78, "i8x16.max_s"},
    {0x79, "i8x16.max_u"},
    {0x7a, "f64x2.trunc"},
    {0x7b, "i8x16.avgr_u"},
    {0x7c, "i16x8.extadd_pairwise_i8x16_s"},
    {0x7d, "i16x8.extadd_pairwise_i8x16_u"},
    {0x7e, "i32x4.extadd_pairwise_i16x8_s"},
    {0x7f, "i32x4.extadd_pairwise_i16x8_u"},
    {0x80, "i16x8.abs"},
    {0x81, "i16x8.neg"},
    {0x82, "i16x8.q15mulr_sat_s"},
    {0x83, "i16x8.all_true"},
    {0x84, "i16x8.bitmask"},
    {0x85, "i16x8.narrow_i32x4_s"},
    {0x86, "i16x8.narrow_i32x4_u"},
    {0x87, "i16x8.extend_low_i8x16_s"},
    {0x88, "i16x8.extend_high_i8x16_s"},
    {0x89, "i16x8.extend_low_i8x16_u"},
    {0x8a, "i16x8.extend_high_i8x16_u"},
    {0x8b, "i16x8.shl"},
    {0x8c, "i16x8.shr_s"},
    {0x8d, "i16x8.shr_u"},
    {0x8e, "i16x8.add"},
    {0x8f, "i16x8.add_sat_s"},
    {0x90, "i16x8.add_sat_u"},
    {0x91, "i16x8.sub"},
    {0x92, "i16x8.sub_sat_s"},
    {0x93, "i16x8.sub_sat_u"},
    {0x94, "f64x2.nearest"},
    {0x95, "i16x8.mul"},
    {0x96, "i16x8.min_s"},
    {0x97, "i16x8.min_u"},
    {0x98, "i16x8.max_s"},
    {0x99, "i16x8.max_u"},
    {0x9b, "i16x8.avgr_u"},
    {0x9c, "i16x8.extmul_low_i8x16_s"},
    {0x9d, "i16x8.extmul_high_i8x16_s"},
    {0x9e, "i16x8.extmul_low_i8x16_u"},
    {0x9f, "i16x8.extmul_high_i8x16_u"},
    {0xa0, "i32x4.abs"},
    {0xa1, "i32x4.neg"},
    {0xa3, "i32x4.all_true"},
    {0xa4, "i32x4.bitmask"},
    {0xa7, "i32x4.extend_low_i16x8_s"},
    {0xa8, "i32x4.extend_high_i16x8_s"},
    {0xa9, "i32x4.extend_low_i16x8_u"},
    {0xaa, "i32x4.extend_high_i16x8_u"},
    {0xab, "i32x4.shl"},
    {0xac, "i32x4.shr_s"},
    {0xad, "i32x4.shr_u"},
    {0xae, "i32x4.add"},
    {0xb1, "i32x4.sub"},
    {0xb5, "i32x4.mul"},
    {0xb6, "i32x4.min_s"},
    {0xb7, "i32x4.min_u"},
    {0xb8, "i32x4.max_s"},
    {0xb9, "i32x4.max_u"},
    {0xba, "i32x4.dot_i16x8_s"},
    {0xbc, "i32x4.extmul_low_i16x8_s"},
    {0xbd, "i32x4.extmul_high_i16x8_s"},
    {0xbe, "i32x4.extmul_low_i16x8_u"},
    {0xbf, "i32x4.extmul_high_i16x8_u"},
    {0xc0, "i64x2.abs"},
    {0xc1, "i64x2.neg"},
    {0xc3, "i64x2.all_true"},
    {0xc4, "i64x2.bitmask"},
    {0xc7, "i64x2.extend_low_i32x4_s"},
    {0xc8, "i64x2.extend_high_i32x4_s"},
    {0xc9, "i64x2.extend_low_i32x4_u"},
    {0xca, "i64x2.extend_high_i32x4_u"},
    {0xcb, "i64x2.shl"},
    {0xcc, "i64x2.shr_s"},
    {0xcd, "i64x2.shr_u"},
    {0xce, "i64x2.add"},
    {0xd1, "i64x2.sub"},
    {0xd5, "i64x2.mul"},
    {0xd6, "i64x2.eq"},
    {0xd7, "i64x2.ne"},
    {0xd8, "i64x2.lt_s"},
    {0xd9, "i64x2.gt_s"},
    {0xda, "i64x2.le_s"},
    {0xdb, "i64x2.ge_s"},
    {0xdc, "i64x2.extmul_low_i32x4_s"},
    {0xdd, "i64x2.extmul_high_i32x4_s"},
    {0xde, "i64x2.extmul_low_i32x4_u"},
    {0xdf, "i64x2.extmul_high_i32x4_u"},
    {0xe0, "f32x4.abs"},
    {0xe1, "f32x4.neg"},
    {0xe3, "f32x4.sqrt"},
    {0xe4, "f32x4.add"},
    {0xe5, "f32x4.sub"},
    {0xe6, "f32x4.mul"},
    {0xe7, "f32x4.div"},
    {0xe8, "f32x4.min"},
    {0xe9, "f32x4.max"},
    {0xea, "f32x4.pmin"},
    {0xeb, "f32x4.pmax"},
    {0xec, "f64x2.abs"},
    {0xed, "f64x2.neg"},
    {0xef, "f64x2.sqrt"},
    {0xf0, "f64x2.add"},
    {0xf1, "f64x2.sub"},
    {0xf2, "f64x2.mul"},
    {0xf3, "f64x2.div"},
    {0xf4, "f64x2.min"},
    {0xf5, "f64x2.max"},
    {0xf6, "f64x2.pmin"},
    {0xf7, "f64x2.pmax"},
    {0xf8, "i32x4.trunc_sat_f32x4_s"},
    {0xf9, "i32x4.trunc_sat_f32x4_u"},
    {0xfa, "f32x4.convert_i32x4_s"},
    {0xfb, "f32x4.convert_i32x4_u"},
    {0xfc, "i32x4.trunc_sat_f64x2_s_zero"},
    {0xfd, "i32x4.trunc_sat_f64x2_u_zero"},
    {0xfe, "f64x2.convert_low_i32x4_s"},
    {0xff, "f64x2.convert_low_i32x4_u"},
};

static void test_every_pure_opcode_has_its_name(void **state) {
  (void)state;
  size_t count = sizeof pure / sizeof pure[0];
  assert_int_equal(count, 212); /* 236 opcodes less 24 memory/const/shuffle */
  for (size_t i = 0; i < count; i++) {
    const cm_simd_sig *sig = cm_simd_signature(pure[i].op);
    assert_non_null(sig);
    assert_string_equal(sig->name, pure[i].name);
  }
}

static void test_other_opcodes_have_no_signature(void **state) {
  (void)state;
  size_t count = sizeof pure / sizeof pure[0], listed = 0;
  for (uint32_t op = 0; op < 300; op++) {
    bool in_list = false;
    for (size_t i = 0; i < count; i++)
      in_list = in_list || pure[i].op == op;
    listed += in_list;
    if (!in_list)
      assert_null(cm_simd_signature(op));
  }
  assert_int_equal(listed, count);
  /* The named exclusions: v128.load, v128.const, i8x16.shuffle, the lane
   * loads and stores, load32_zero; and a reserved code. */
  assert_null(cm_simd_signature(0x00));
  assert_null(cm_simd_signature(0x0b));
  assert_null(cm_simd_signature(0x0c));
  assert_null(cm_simd_signature(0x0d));
  assert_null(cm_simd_signature(0x54));
  assert_null(cm_simd_signature(0x5b));
  assert_null(cm_simd_signature(0x5c));
  assert_null(cm_simd_signature(0x9a));
  assert_null(cm_simd_signature(UINT32_MAX));
}

/* The shape prefix of a name ("i8x16." ...) gives the lane count and the
 * scalar type of a lane. */
static void shape_of(const char *name, unsigned *count, uint8_t *scalar) {
  static const struct {
    const char *prefix;
    unsigned count;
    uint8_t scalar;
  } shapes[] = {{"i8x16.", 16, CM_I32}, {"i16x8.", 8, CM_I32},
                {"i32x4.", 4, CM_I32},  {"i64x2.", 2, CM_I64},
                {"f32x4.", 4, CM_F32},  {"f64x2.", 2, CM_F64},
                {"v128.", 0, 0}};
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
    if (strncmp(name, shapes[i].prefix, strlen(shapes[i].prefix)) == 0) {
      *count = shapes[i].count;
      *scalar = shapes[i].scalar;
      return;
    }
  fail_msg("%s has no shape", name);
}

/* Whether the operation part of a name (after the shape) is a unary one:
 * every other plain v128 operation but bitselect takes two operands. */
static bool is_unary(const char *name) {
  static const char *const words[] = {
      "not",   "abs",     "neg",    "popcnt", "sqrt",    "ceil",   "floor",
      "trunc", "nearest", "extend", "extadd", "convert", "demote", "promote"};
  const char *operation = strchr(name, '.') + 1;
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    if (strncmp(operation, words[i], strlen(words[i])) == 0)
      return true;
  return false;
}

/* Types follow from the name: a rule per family, checked for every entry. */
static void test_signatures_follow_the_names(void **state) {
  (void)state;
  for (uint32_t op = 0; op < 256; op++) {
    const cm_simd_sig *sig = cm_simd_signature(op);
    if (!sig)
      continue;
    const char *name = sig->name;
    unsigned count;
    uint8_t scalar;
    shape_of(name, &count, &scalar);
    unsigned lanes_wanted = 0;
    if (strstr(name, "extract_lane")) {
      assert_int_equal(sig->nparams, 1);
      assert_int_equal(sig->params[0], CM_V128);
      assert_int_equal(sig->result, scalar);
      lanes_wanted = count;
    } else if (strstr(name, "replace_lane")) {
      assert_int_equal(sig->nparams, 2);
      assert_int_equal(sig->params[0], CM_V128);
      assert_int_equal(sig->params[1], scalar);
      assert_int_equal(sig->result, CM_V128);
      lanes_wanted = count;
    } else if (strstr(name, "splat")) {
      assert_int_equal(sig->nparams, 1);
      assert_int_equal(sig->params[0], scalar);
      assert_int_equal(sig->result, CM_V128);
    } else if (strstr(name, "true") || strstr(name, "bitmask")) {
      assert_int_equal(sig->nparams, 1);
      assert_int_equal(sig->params[0], CM_V128);
      assert_int_equal(sig->result, CM_I32);
    } else if (strstr(name, ".sh")) {
      assert_int_equal(sig->nparams, 2);
      assert_int_equal(sig->params[0], CM_V128);
      assert_int_equal(sig->params[1], CM_I32);
      assert_int_equal(sig->result, CM_V128);
    } else {
      unsigned wanted = strstr(name, "bitselect") ? 3 : is_unary(name) ? 1 : 2;
      assert_int_equal(sig->nparams, wanted);
      for (unsigned i = 0; i < sig->nparams; i++)
        assert_int_equal(sig->params[i], CM_V128);
      assert_int_equal(sig->result, CM_V128);
    }
    assert_int_equal(sig->lanes, lanes_wanted);
  }
}

/* Validation never lets these through; if a caller did, the result is a
 * zero vector rather than a read outside the table or the lanes. */
static void test_apply_outside_its_contract_is_harmless(void **state) {
  (void)state;
  cm_v128 args[3] = {I8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
                     cell(0), cell(0)};
  assert_v128(cm_simd_apply(0x0c, 0, args), ZERO);      /* v128.const */
  assert_v128(cm_simd_apply(0x100, 0, args), ZERO);     /* beyond the table */
  assert_v128(cm_simd_apply(0x15, 16, args), ZERO);     /* lane 16 of 16 */
  assert_v128(cm_simd_apply(0x15, 15, args), cell(16)); /* the last lane */
}

/* ---- Splat, lanes, swizzle ---- */

static void test_splat(void **state) {
  (void)state;
  /* simd_splat.wast:14 */
  assert_v128(
      RUN1("i8x16.splat", cell(UINT32_C(0xfffffffb))),
      I8(-5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5, -5));
  /* simd_splat.wast:64: a NaN's payload is kept */
  assert_v128(RUN1("f32x4.splat", cell(0x7fffffff)),
              I32(0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff));
  /* Only the low 16 bits of the i32 count. */
  assert_v128(
      RUN1("i16x8.splat", cell(0x12345)),
      I16(0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345, 0x2345));
  assert_v128(RUN1("i64x2.splat", cell(UINT64_C(0x8000000000000001))),
              I64(UINT64_C(0x8000000000000001), UINT64_C(0x8000000000000001)));
  assert_v128(RUN1("f64x2.splat", cell(f64_bits(-0.0))), f64x2(-0.0, -0.0));
}

static void test_extract_lane(void **state) {
  (void)state;
  cm_v128 v = I8(255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80);
  /* simd_lane.wast:83: sign-extended, and an i32 cell is zero-extended */
  assert_v128(run("i8x16.extract_lane_s", 0, v, ZERO, ZERO), cell(0xffffffff));
  assert_v128(run("i8x16.extract_lane_u", 15, v, ZERO, ZERO), cell(0x80));
  /* simd_lane.wast:110 */
  assert_v128(run("i16x8.extract_lane_u", 7, I16(0, 0, 0, 0, 0, 0, 0, -32768),
                  ZERO, ZERO),
              cell(32768));
  assert_v128(run("i16x8.extract_lane_s", 7, I16(0, 0, 0, 0, 0, 0, 0, -32768),
                  ZERO, ZERO),
              cell(0xffff8000));
  /* simd_lane.wast:135 */
  assert_v128(run("i64x2.extract_lane", 1, I64(0, UINT64_C(0x8000000000000000)),
                  ZERO, ZERO),
              cell(UINT64_C(0x8000000000000000)));
  /* simd_lane.wast:149 (a NaN comes out bit for bit) */
  assert_v128(
      run("f32x4.extract_lane", 0, I32(0x7fc00001, 0, 0, 0), ZERO, ZERO),
      cell(0x7fc00001));
  assert_v128(run("f64x2.extract_lane", 1, f64x2(1.0, -2.5), ZERO, ZERO),
              cell(f64_bits(-2.5)));
}

static void test_replace_lane(void **state) {
  (void)state;
  cm_v128 zero8 = I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  /* simd_lane.wast:195 and :197: only the low 8 bits of the i32 count */
  assert_v128(run("i8x16.replace_lane", 0, zero8, cell(128), ZERO),
              I8(-128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(run("i8x16.replace_lane", 0, zero8, cell(256), ZERO), zero8);
  /* simd_lane.wast:204 */
  assert_v128(run("i16x8.replace_lane", 0, I16(0, 0, 0, 0, 0, 0, 0, 0),
                  cell(32768), ZERO),
              I16(-32768, 0, 0, 0, 0, 0, 0, 0));
  /* simd_lane.wast:239: the last lane, with a NaN */
  assert_v128(
      run("f32x4.replace_lane", 3, f32x4(0, 0, 0, 0), cell(0x7fc00000), ZERO),
      I32(0, 0, 0, 0x7fc00000));
  assert_v128(run("i64x2.replace_lane", 1, I64(1, 2), cell(UINT64_MAX), ZERO),
              I64(1, UINT64_MAX));
  assert_v128(
      run("f64x2.replace_lane", 0, f64x2(1.0, 2.0), cell(f64_bits(-0.0)), ZERO),
      f64x2(-0.0, 2.0));
  assert_v128(run("i32x4.replace_lane", 2, I32(1, 2, 3, 4), cell(9), ZERO),
              I32(1, 2, 9, 4));
}

static void test_swizzle(void **state) {
  (void)state;
  /* simd_lane.wast:300: reversed */
  assert_v128(RUN2("i8x16.swizzle",
                   I8(100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110,
                      111, 112, 113, 114, 115),
                   I8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)),
              I8(115, 114, 113, 112, 111, 110, 109, 108, 107, 106, 105, 104,
                 103, 102, 101, 100));
  /* simd_lane.wast:296: indices >= 16 (and "negative" ones) give 0 */
  assert_v128(
      RUN2("i8x16.swizzle",
           I8(-16, -15, -14, -13, -12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2,
              -1),
           I8(-8, -7, -6, -5, -4, -3, -2, -1, 16, 17, 18, 19, 20, 21, 22, 23)),
      I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}

/* ---- Comparisons ---- */

static void test_integer_comparisons(void **state) {
  (void)state;
  /* simd_i8x16_cmp.wast:402 (the second operand written as i16x8 there) */
  cm_v128 a =
      I8(-128, -128, -128, -128, 0, 0, 0, 0, 1, 1, 1, 1, 255, 255, 255, 255);
  cm_v128 b = I16(-128, -128, 0, 0, 1, 1, 255, 255);
  assert_v128(RUN2("i8x16.lt_s", a, b),
              I8(0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, -1));
  /* The same lanes unsigned: -1 (255) is now the largest. */
  assert_v128(RUN2("i8x16.lt_u", a, b),
              I8(0, -1, 0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(RUN2("i8x16.ge_u", a, b),
              I8(-1, 0, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
  /* simd_i64x2_cmp.wast:135 */
  assert_v128(RUN2("i64x2.lt_s",
                   I64(-UINT64_C(9223372036854775807), UINT64_MAX),
                   I64(UINT64_C(9223372036854775809), UINT64_MAX)),
              I64(0, 0));
  assert_v128(RUN2("i64x2.gt_s", I64(1, UINT64_C(0x8000000000000000)),
                   I64(UINT64_MAX, 0)),
              I64(UINT64_MAX, 0));
  assert_v128(RUN2("i32x4.le_u", I32(0, 0xffffffff, 5, 6), I32(0, 0, 5, 5)),
              I32(0xffffffff, 0, 0xffffffff, 0));
  assert_v128(RUN2("i16x8.ne", I16(1, 2, 3, 4, 5, 6, 7, 8),
                   I16(1, 0, 3, 0, 5, 0, 7, 0)),
              I16(0, -1, 0, -1, 0, -1, 0, -1));
}

static void test_float_comparisons(void **state) {
  (void)state;
  cm_v128 nans = I32(F32_NAN, F32_NAN, F32_NAN, F32_NAN);
  /* simd_f32x4_cmp.wast:13: NaN is equal to nothing */
  assert_v128(RUN2("f32x4.eq", nans, nans), I32(0, 0, 0, 0));
  assert_v128(RUN2("f32x4.ne", nans, nans), I32(-1, -1, -1, -1));
  /* simd_f32x4_cmp.wast:2987 */
  assert_v128(RUN2("f32x4.lt", f32x4(-0.0f, -0.0f, -0.0f, -0.0f), nans),
              I32(0, 0, 0, 0));
  /* -0 == +0 */
  assert_v128(RUN2("f64x2.eq", f64x2(-0.0, 1.0), f64x2(0.0, 2.0)),
              I64(UINT64_MAX, 0));
  assert_v128(RUN2("f64x2.ge", f64x2(3.0, 1.0), f64x2(3.0, 2.0)),
              I64(UINT64_MAX, 0));
}

/* ---- Bitwise and boolean ---- */

static void test_bitwise(void **state) {
  (void)state;
  /* simd_bitwise.wast:15 */
  assert_v128(RUN1("v128.not", I32(0, 0, 0, 0)), I32(-1, -1, -1, -1));
  /* simd_bitwise.wast:31, :73, :115, :189 */
  cm_v128 a = I32(0, 0, -1, -1), b = I32(0, -1, 0, -1);
  assert_v128(RUN2("v128.or", a, b), I32(0, -1, -1, -1));
  assert_v128(RUN2("v128.xor", a, b), I32(0, -1, -1, 0));
  assert_v128(RUN2("v128.andnot", a, b), I32(0, 0, -1, 0));
  assert_v128(RUN2("v128.and", a, b), I32(0, 0, 0, -1));
  /* simd_bitwise.wast:157 */
  assert_v128(run("v128.bitselect", 0,
                  I32(0xAAAAAAAA, 0xAAAAAAAA, 0xAAAAAAAA, 0xAAAAAAAA),
                  I32(0xBBBBBBBB, 0xBBBBBBBB, 0xBBBBBBBB, 0xBBBBBBBB),
                  I32(0x00112345, 0xF00FFFFF, 0x10112021, 0xBBAABBAA)),
              I32(0xBBAABABA, 0xABBAAAAA, 0xABAABBBA, 0xAABBAABB));
}

static void test_boolean_reductions(void **state) {
  (void)state;
  /* simd_boolean.wast:23 and :43 */
  assert_v128(
      RUN1("v128.any_true", I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0)),
      cell(1));
  assert_v128(
      RUN1("v128.any_true", I8(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
      cell(0));
  assert_v128(RUN1("i8x16.all_true",
                   I8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1)),
              cell(0));
  /* simd_boolean.wast:141 */
  assert_v128(RUN1("i32x4.all_true", I32(1, 1, 1, 1)), cell(1));
  /* A lane is true when any of its bits is: 0x0100 as i16 is non-zero. */
  assert_v128(RUN1("i16x8.all_true", I16(0x100, 1, 1, 1, 1, 1, 1, 1)), cell(1));
  assert_v128(RUN1("i64x2.all_true", I64(UINT64_C(1) << 63, 0)), cell(0));
  /* simd_boolean.wast:57, :59 */
  assert_v128(RUN1("i8x16.bitmask", I8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                       -1, -1, -1, -1, -1, -1)),
              cell(0xffff));
  assert_v128(RUN1("i8x16.bitmask",
                   I8(-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15)),
              cell(1));
  /* simd_boolean.wast:109 */
  assert_v128(RUN1("i16x8.bitmask", I16(-1, 0, 1, 2, 0xB, 0xC, 0xD, 0xF)),
              cell(1));
  assert_v128(RUN1("i32x4.bitmask", I32(0, 0x80000000, 0x7fffffff, -1)),
              cell(0xa));
  /* simd_boolean.wast:183 */
  assert_v128(RUN1("i64x2.bitmask", I64(UINT64_MAX, 0xf)), cell(1));
}

/* ---- Integer arithmetic ---- */

static void test_abs_neg_popcnt(void **state) {
  (void)state;
  /* simd_i8x16_arith2.wast:202 */
  assert_v128(RUN1("i8x16.abs", I8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                   -1, -1, -1, -1, -1)),
              I8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
  /* simd_i8x16_arith.wast:332: the minimum is its own negation */
  cm_v128 min8 = I8(-128, -128, -128, -128, -128, -128, -128, -128, -128, -128,
                    -128, -128, -128, -128, -128, -128);
  assert_v128(RUN1("i8x16.neg", min8), min8);
  assert_v128(RUN1("i8x16.abs", min8), min8);
  /* simd_i64x2_arith2.wast:10, :16 */
  assert_v128(RUN1("i64x2.abs", I64(-1, -1)), I64(1, 1));
  assert_v128(
      RUN1("i64x2.abs",
           I64(UINT64_C(9223372036854775808), UINT64_C(9223372036854775808))),
      I64(UINT64_C(9223372036854775808), UINT64_C(9223372036854775808)));
  assert_v128(RUN1("i32x4.neg", I32(1, 0, 0x80000000, -5)),
              I32(-1, 0, 0x80000000, 5));
  assert_v128(RUN1("i16x8.abs", I16(-32767, 5, -5, 0, 0, 0, 0, -32768)),
              I16(32767, 5, 5, 0, 0, 0, 0, -32768));
  /* simd_i8x16_arith2.wast:230 */
  assert_v128(RUN1("i8x16.popcnt", I8(-1, 0, 1, 0x55, 0x80, 3, 7, 0xf, 0x1f,
                                      0x3f, 0x7f, 0xfe, 2, 4, 8, 16)),
              I8(8, 0, 1, 4, 1, 2, 3, 4, 5, 6, 7, 7, 1, 1, 1, 1));
}

static void test_add_sub_mul(void **state) {
  (void)state;
  /* simd_i32x4_arith.wast:64: wrapping */
  assert_v128(RUN2("i32x4.add",
                   I32(0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff),
                   I32(0x7fffffff, 0x7fffffff, 0x7fffffff, 0x7fffffff)),
              I32(-2, -2, -2, -2));
  /* simd_i16x8_arith.wast:222 */
  assert_v128(
      RUN2("i16x8.sub",
           I16(-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768),
           I16(-1, -1, -1, -1, -1, -1, -1, -1)),
      I16(-32767, -32767, -32767, -32767, -32767, -32767, -32767, -32767));
  /* simd_i64x2_arith.wast:398 */
  assert_v128(
      RUN2("i64x2.mul", I64(INT64_MAX, INT64_MAX), I64(INT64_MAX, INT64_MAX)),
      I64(1, 1));
  /* Lanes do not carry into each other. */
  assert_v128(RUN2("i8x16.add",
                   I8(255, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                   I8(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
              I8(0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(RUN2("i16x8.mul", I16(0x100, 0x8000, 3, 0, 0, 0, 0, 0),
                   I16(0x100, 2, -3, 0, 0, 0, 0, 0)),
              I16(0, 0, -9, 0, 0, 0, 0, 0));
  assert_v128(
      RUN2("i32x4.mul", I32(0x10000, -1, 7, 0), I32(0x10000, -1, -7, 0)),
      I32(0, 1, -49, 0));
  assert_v128(RUN2("i64x2.sub", I64(0, 5), I64(1, 7)), I64(-1, -2));
}

static void test_saturating_arithmetic(void **state) {
  (void)state;
  /* simd_i8x16_sat_arith.wast:64 */
  cm_v128 max8 = I8(127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127,
                    127, 127, 127, 127);
  assert_v128(RUN2("i8x16.add_sat_s", max8, max8), max8);
  /* The four clamps, lane by lane. */
  assert_v128(RUN2("i8x16.add_sat_s",
                   I8(-128, 100, -100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                   I8(-1, 100, -100, -2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
              I8(-128, 127, -128, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(RUN2("i8x16.add_sat_u",
                   I8(255, 200, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                   I8(1, 100, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
              I8(255, 255, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(RUN2("i16x8.sub_sat_s", I16(-32768, 32767, 0, 0, 0, 0, 0, 0),
                   I16(1, -1, -32768, 0, 0, 0, 0, 0)),
              I16(-32768, 32767, 32767, 0, 0, 0, 0, 0));
  /* simd_i16x8_sat_arith.wast:460, and below zero clamps to zero */
  assert_v128(RUN2("i16x8.sub_sat_u", I16(0, 0, 0, 0, 0, 0, 0, 0),
                   I16(0, 0, 0, 0, 0, 0, 0, 0)),
              I16(0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(RUN2("i16x8.sub_sat_u", I16(1, 65535, 5, 0, 0, 0, 0, 0),
                   I16(2, 1, 65535, 0, 0, 0, 0, 0)),
              I16(0, 65534, 0, 0, 0, 0, 0, 0));
}

static void test_min_max_avgr(void **state) {
  (void)state;
  cm_v128 a = I8(-128, -128, -128, -128, 127, 127, 127, 127, 64, 64, 64, 64,
                 255, 255, 255, 255);
  cm_v128 b = I8(255, 255, 255, 255, 64, 64, 64, 64, 127, 127, 127, 127, -128,
                 -128, -128, -128);
  /* simd_i8x16_arith2.wast:294 */
  assert_v128(RUN2("i8x16.min_s", a, b),
              I8(-128, -128, -128, -128, 64, 64, 64, 64, 64, 64, 64, 64, -128,
                 -128, -128, -128));
  /* simd_i8x16_arith2.wast:312 */
  assert_v128(RUN2("i8x16.max_u", a, b),
              I8(255, 255, 255, 255, 127, 127, 127, 127, 127, 127, 127, 127,
                 255, 255, 255, 255));
  assert_v128(
      RUN2("i32x4.min_u", I32(-1, 0, 5, 0x80000000), I32(1, -1, 4, 0x7fffffff)),
      I32(1, 0, 4, 0x7fffffff));
  assert_v128(
      RUN2("i32x4.max_s", I32(-1, 0, 5, 0x80000000), I32(1, -1, 4, 0x7fffffff)),
      I32(1, 0, 5, 0x7fffffff));
  /* simd_i16x8_arith2.wast:180: (65535 + 1 + 1) / 2 without overflow */
  assert_v128(RUN2("i16x8.avgr_u",
                   I16(65535, 65535, 65535, 65535, 65535, 65535, 65535, 65535),
                   I16(1, 1, 1, 1, 1, 1, 1, 1)),
              I16(32768, 32768, 32768, 32768, 32768, 32768, 32768, 32768));
  assert_v128(RUN2("i8x16.avgr_u",
                   I8(255, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                   I8(255, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
              I8(255, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}

static void test_q15mulr(void **state) {
  (void)state;
  cm_v128 min16 =
      I16(-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768);
  /* simd_i16x8_q15mulr_sat_s.wast:64: the one product that overflows */
  assert_v128(RUN2("i16x8.q15mulr_sat_s", min16, min16),
              I16(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767));
  /* simd_i16x8_q15mulr_sat_s.wast:58: -32768 * -1 = 2^15, / 2^15 = 1 */
  assert_v128(
      RUN2("i16x8.q15mulr_sat_s", min16, I16(-1, -1, -1, -1, -1, -1, -1, -1)),
      I16(1, 1, 1, 1, 1, 1, 1, 1));
  /* simd_i16x8_q15mulr_sat_s.wast:61 */
  assert_v128(RUN2("i16x8.q15mulr_sat_s",
                   I16(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767),
                   I16(32767, 32767, 32767, 32767, 32767, 32767, 32767, 32767)),
              I16(32766, 32766, 32766, 32766, 32766, 32766, 32766, 32766));
  /* Rounding of negative products is toward +inf at .5 (add 2^14, then
   * floor): -1 * 16384 = -16384 -> (-16384 + 16384) >> 15 = 0; and
   * -1 * 16385 -> floor(-1 / 32768) = -1. */
  assert_v128(RUN2("i16x8.q15mulr_sat_s", I16(-1, -1, 0, 0, 0, 0, 0, 0),
                   I16(16384, 16385, 0, 0, 0, 0, 0, 0)),
              I16(0, -1, 0, 0, 0, 0, 0, 0));
}

/* ---- Shifts ---- */

static void test_shifts(void **state) {
  (void)state;
  cm_v128 ramp = I8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  /* simd_bit_shift.wast:44 */
  assert_v128(RUN2("i8x16.shl",
                   I8(-128, -64, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13),
                   cell(1)),
              I8(0, -128, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26));
  /* simd_bit_shift.wast:54 and :67: counts are taken modulo 8 */
  assert_v128(RUN2("i8x16.shl", ramp, cell(32)), ramp);
  assert_v128(RUN2("i8x16.shl", ramp, cell(9)),
              I8(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30));
  /* The whole 32-bit count matters only modulo the width. */
  assert_v128(RUN2("i8x16.shr_u",
                   I8(-128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                   cell(0xffffffff)),
              I8(1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  assert_v128(RUN2("i8x16.shr_s",
                   I8(-128, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
                   cell(15)),
              I8(-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  /* simd_bit_shift.wast:448 */
  assert_v128(RUN2("i32x4.shr_s", I32(0x80000000, -32768, 12, 13), cell(1)),
              I32(3221225472, 4294950912, 6, 6));
  assert_v128(RUN2("i32x4.shr_u", I32(0x80000000, 1, 2, 3), cell(33)),
              I32(0x40000000, 0, 1, 1));
  assert_v128(RUN2("i16x8.shr_u", I16(0x8000, -1, 0, 0, 0, 0, 0, 0), cell(16)),
              I16(0x8000, -1, 0, 0, 0, 0, 0, 0));
  assert_v128(
      RUN2("i16x8.shr_s", I16(0x8000, 0x4000, 0, 0, 0, 0, 0, 0), cell(17)),
      I16(0xc000, 0x2000, 0, 0, 0, 0, 0, 0));
  /* simd_bit_shift.wast:600 */
  assert_v128(
      RUN2("i64x2.shr_s",
           I64(UINT64_C(0x8000000000000000), -UINT64_C(2147483648)), cell(1)),
      I64(UINT64_C(13835058055282163712), UINT64_C(18446744072635809792)));
  assert_v128(RUN2("i64x2.shl", I64(1, 3), cell(64)), I64(1, 3));
  assert_v128(RUN2("i64x2.shl", I64(1, 3), cell(127)),
              I64(UINT64_C(1) << 63, UINT64_C(1) << 63));
  assert_v128(RUN2("i64x2.shr_s", I64(UINT64_C(1) << 63, 1), cell(63)),
              I64(UINT64_MAX, 0));
}

/* ---- Narrowing, widening, pairwise, dot ---- */

static void test_narrow(void **state) {
  (void)state;
  /* simd_conversions.wast:358: both operands saturate */
  assert_v128(RUN2("i8x16.narrow_i16x8_s",
                   I16(-0x81, -0x81, -0x81, -0x81, -0x81, -0x81, -0x81, -0x81),
                   I16(0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100, 0x100)),
              I8(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f, 0x7f,
                 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f));
  /* simd_conversions.wast:361: 0xffff is -1 */
  assert_v128(
      RUN2("i8x16.narrow_i16x8_s",
           I16(-0x8000, -0x8000, -0x8000, -0x8000, -0x8000, -0x8000, -0x8000,
               -0x8000),
           I16(0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff, 0xffff)),
      I8(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0xff, 0xff, 0xff, 0xff,
         0xff, 0xff, 0xff, 0xff));
  /* Unsigned narrowing reads the input as signed: -1 -> 0, 300 -> 255. */
  assert_v128(RUN2("i8x16.narrow_i16x8_u", I16(-1, 300, 255, 0, 1, 2, 3, 4),
                   I16(5, 6, 7, 8, 9, 10, 11, -32768)),
              I8(0, 255, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0));
  assert_v128(RUN2("i16x8.narrow_i32x4_u", I32(-1, 0x10000, 65535, 7),
                   I32(0x80000000, 0x7fffffff, 1, 0)),
              I16(0, 65535, 65535, 7, 0, 65535, 1, 0));
  assert_v128(RUN2("i16x8.narrow_i32x4_s", I32(-1, 0x10000, -40000, 7),
                   I32(0x80000000, 0x7fffffff, 32767, -32768)),
              I16(-1, 32767, -32768, 7, -32768, 32767, 32767, -32768));
}

static void test_extend(void **state) {
  (void)state;
  /* simd_int_to_int_extend.wast:40 */
  assert_v128(RUN1("i16x8.extend_high_i8x16_s",
                   I8(127, 127, 127, 127, 127, 127, 127, 127, -128, -128, -128,
                      -128, -128, -128, -128, -128)),
              I16(-128, -128, -128, -128, -128, -128, -128, -128));
  /* simd_int_to_int_extend.wast:455 */
  assert_v128(RUN1("i64x2.extend_low_i32x4_u", I32(-1, -1, 0, 0)),
              I64(4294967295, 4294967295));
  cm_v128 v = I16(-1, 2, 0x8000, 4, -5, 6, 0x7fff, 8);
  assert_v128(RUN1("i32x4.extend_low_i16x8_s", v), I32(-1, 2, -32768, 4));
  assert_v128(RUN1("i32x4.extend_high_i16x8_u", v), I32(0xfffb, 6, 0x7fff, 8));
  assert_v128(RUN1("i64x2.extend_high_i32x4_s", I32(0, 0, 0x80000000, 1)),
              I64(-UINT64_C(0x80000000), 1));
  assert_v128(RUN1("i16x8.extend_low_i8x16_u",
                   I8(255, 128, 1, 0, 0, 0, 0, 9, 7, 7, 7, 7, 7, 7, 7, 7)),
              I16(255, 128, 1, 0, 0, 0, 0, 9));
}

static void test_extadd_pairwise(void **state) {
  (void)state;
  /* simd_i16x8_extadd_pairwise_i8x16.wast:21 */
  assert_v128(RUN1("i16x8.extadd_pairwise_i8x16_s",
                   I8(-128, -128, -128, -128, -128, -128, -128, -128, -128,
                      -128, -128, -128, -128, -128, -128, -128)),
              I16(-256, -256, -256, -256, -256, -256, -256, -256));
  /* simd_i16x8_extadd_pairwise_i8x16.wast:43 */
  assert_v128(RUN1("i16x8.extadd_pairwise_i8x16_u",
                   I8(255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
                      255, 255, 255, 255, 255)),
              I16(510, 510, 510, 510, 510, 510, 510, 510));
  assert_v128(RUN1("i32x4.extadd_pairwise_i16x8_s",
                   I16(-32768, -32768, 32767, 32767, 1, -2, 0, 0)),
              I32(-65536, 65534, -1, 0));
  assert_v128(RUN1("i32x4.extadd_pairwise_i16x8_u",
                   I16(65535, 65535, 1, 2, 0x8000, 0, 0, 0)),
              I32(131070, 3, 32768, 0));
}

static void test_extmul(void **state) {
  (void)state;
  /* simd_i64x2_extmul_i32x4.wast:70 */
  assert_v128(RUN2("i64x2.extmul_low_i32x4_s",
                   I32(0x80000000, 0x80000000, 0x80000000, 0x80000000),
                   I32(-2147483647, -2147483647, -2147483647, -2147483647)),
              I64(4611686016279904256, 4611686016279904256));
  /* simd_i64x2_extmul_i32x4.wast:316 */
  assert_v128(
      RUN2("i64x2.extmul_high_i32x4_u", I32(-1, -1, -1, -1), I32(1, 1, 1, 1)),
      I64(4294967295, 4294967295));
  /* The largest unsigned product fits 64 bits exactly. */
  assert_v128(
      RUN2("i64x2.extmul_low_i32x4_u", I32(-1, 2, 0, 0), I32(-1, 3, 0, 0)),
      I64(UINT64_C(0xfffffffe00000001), 6));
  /* Low and high halves are picked correctly. */
  cm_v128 a = I8(1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -128);
  cm_v128 b = I8(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, -128);
  assert_v128(RUN2("i16x8.extmul_low_i8x16_s", a, b),
              I16(2, 4, 6, 8, 10, 12, 14, 16));
  assert_v128(RUN2("i16x8.extmul_high_i8x16_s", a, b),
              I16(-3, -6, -9, -12, -15, -18, -21, 16384));
  assert_v128(RUN2("i16x8.extmul_high_i8x16_u", a, b),
              I16(765, 762, 759, 756, 753, 750, 747, 16384));
  assert_v128(RUN2("i32x4.extmul_high_i16x8_s",
                   I16(0, 0, 0, 0, -32768, 2, 3, 4),
                   I16(0, 0, 0, 0, -32768, -2, 3, 4)),
              I32(0x40000000, -4, 9, 16));
  assert_v128(RUN2("i32x4.extmul_low_i16x8_u", I16(65535, 2, 3, 4, 0, 0, 0, 0),
                   I16(65535, 2, 3, 4, 0, 0, 0, 0)),
              I32(0xfffe0001, 4, 9, 16));
}

static void test_dot(void **state) {
  (void)state;
  cm_v128 min16 =
      I16(-32768, -32768, -32768, -32768, -32768, -32768, -32768, -32768);
  /* simd_i32x4_dot_i16x8.wast:58 */
  assert_v128(
      RUN2("i32x4.dot_i16x8_s", min16, I16(-1, -1, -1, -1, -1, -1, -1, -1)),
      I32(65536, 65536, 65536, 65536));
  /* simd_i32x4_dot_i16x8.wast:64: 2 * 2^30 wraps to INT32_MIN */
  assert_v128(RUN2("i32x4.dot_i16x8_s", min16, min16),
              I32(2147483648, 2147483648, 2147483648, 2147483648));
  assert_v128(RUN2("i32x4.dot_i16x8_s", I16(1, 2, 3, 4, -1, 0, 0, 5),
                   I16(5, 6, 7, 8, 9, 0, 7, 7)),
              I32(17, 53, -9, 35));
}

/* ---- Float arithmetic ---- */

static void test_float_arithmetic(void **state) {
  (void)state;
  cm_v128 nans = I32(F32_NAN, F32_NAN, F32_NAN, F32_NAN);
  cm_v128 zeros = f32x4(0, 0, 0, 0);
  /* simd_f32x4_arith.wast:781: an arithmetic NaN; ours is canonical */
  assert_v128(RUN2("f32x4.add", nans, zeros), nans);
  /* A NaN with a payload and sign still gives the canonical NaN. */
  assert_v128(RUN2("f32x4.mul", I32(0xffa00001, 0, 0, 0), f32x4(1, 2, 3, 4)),
              I32(F32_NAN, 0, 0, 0));
  /* simd_f32x4_arith.wast:4504 */
  assert_v128(RUN2("f32x4.div", f32x4(INFINITY, INFINITY, 1, 0),
                   f32x4(-0.0f, -0.0f, 0, 0)),
              I32(f32_bits(-INFINITY), f32_bits(-INFINITY), f32_bits(INFINITY),
                  F32_NAN));
  /* simd_f32x4_arith.wast:5131: sqrt(-inf) is NaN; sqrt(-0) is -0 */
  assert_v128(
      RUN1("f32x4.sqrt", f32x4(-INFINITY, -0.0f, 4, 2)),
      I32(F32_NAN, f32_bits(-0.0f), f32_bits(2), f32_bits(1.41421354f)));
  assert_v128(RUN2("f32x4.sub", f32x4(INFINITY, 1, 0.5f, 0),
                   f32x4(INFINITY, 1, 0.25f, -0.0f)),
              I32(F32_NAN, 0, f32_bits(0.25f), 0));
  assert_v128(RUN2("f64x2.add", f64x2(0.1, INFINITY), f64x2(0.2, -INFINITY)),
              I64(f64_bits(0.1 + 0.2), F64_NAN));
  assert_v128(RUN2("f64x2.div", f64x2(1, 0), f64x2(3, 0)),
              I64(f64_bits(1.0 / 3.0), F64_NAN));
  assert_v128(RUN2("f64x2.mul", f64x2(-0.0, 1e300), f64x2(5, 1e300)),
              f64x2(-0.0, INFINITY));
  assert_v128(RUN1("f64x2.sqrt", f64x2(-1, 9)), I64(F64_NAN, f64_bits(3)));
  assert_v128(RUN2("f64x2.sub", f64x2(1, 2), f64x2(1, 3)), f64x2(0, -1));
}

static void test_float_sign_operations_keep_payloads(void **state) {
  (void)state;
  /* simd_f32x4_arith.wast:5225 */
  assert_v128(RUN1("f32x4.neg", I32(0x7fa00000, 0xffc00000, 0, 0x3f800000)),
              I32(0xffa00000, 0x7fc00000, 0x80000000, 0xbf800000));
  assert_v128(RUN1("f32x4.abs", I32(0xffa00001, 0x80000000, 1, 0xbf800000)),
              I32(0x7fa00001, 0, 1, 0x3f800000));
  assert_v128(RUN1("f64x2.neg", I64(UINT64_C(0x7ff0000000000001), 0)),
              I64(UINT64_C(0xfff0000000000001), UINT64_C(1) << 63));
  assert_v128(
      RUN1("f64x2.abs", I64(UINT64_C(0xfff4000000000000), f64_bits(-2.0))),
      I64(UINT64_C(0x7ff4000000000000), f64_bits(2.0)));
}

static void test_rounding(void **state) {
  (void)state;
  /* simd_f32x4_rounding.wast:289: -0.5 rounds to -0 */
  assert_v128(RUN1("f32x4.nearest", f32x4(-0.5f, 2.5f, 3.5f, -1.5f)),
              f32x4(-0.0f, 2, 4, -2));
  /* simd_f64x2_rounding.wast:21 and :93 */
  assert_v128(RUN1("f64x2.ceil", f64x2(-0.5, 1.25)), f64x2(-0.0, 2));
  assert_v128(RUN1("f64x2.ceil", I64(UINT64_C(0xfff8000000000000),
                                     UINT64_C(0x7ff0000000000001))),
              I64(F64_NAN, F64_NAN));
  assert_v128(RUN1("f32x4.floor", f32x4(-0.5f, 1.75f, -0.0f, INFINITY)),
              f32x4(-1, 1, -0.0f, INFINITY));
  assert_v128(RUN1("f32x4.trunc", f32x4(-1.9f, 1.9f, -0.1f, 8388609.0f)),
              f32x4(-1, 1, -0.0f, 8388609.0f));
  assert_v128(RUN1("f32x4.ceil", I32(0x7fa00000, 0, 0, 0)),
              I32(F32_NAN, 0, 0, 0));
  assert_v128(RUN1("f64x2.floor", f64x2(-0.25, 4503599627370497.0)),
              f64x2(-1, 4503599627370497.0));
  assert_v128(RUN1("f64x2.trunc", f64x2(-0.75, 2.5)), f64x2(-0.0, 2));
  assert_v128(RUN1("f64x2.nearest", f64x2(0.5, -2.5)), f64x2(0, -2));
}

static void test_min_max(void **state) {
  (void)state;
  /* simd_f32x4.wast:145: -0 is below +0 */
  assert_v128(RUN2("f32x4.min", f32x4(-0.0f, 0, 1, -1), f32x4(0, -0.0f, 2, -2)),
              f32x4(-0.0f, -0.0f, 1, -2));
  assert_v128(RUN2("f32x4.max", f32x4(-0.0f, 0, 1, -1), f32x4(0, -0.0f, 2, -2)),
              f32x4(0, 0, 2, -1));
  /* simd_f64x2.wast:132: a NaN lane gives the canonical NaN */
  assert_v128(
      RUN2("f64x2.max", I64(UINT64_C(0x7ff8000000000001), 0), f64x2(0, 1)),
      I64(F64_NAN, f64_bits(1)));
  assert_v128(RUN2("f64x2.min", f64x2(0, 5),
                   I64(UINT64_C(0xfff0000000000001), f64_bits(-INFINITY))),
              I64(F64_NAN, f64_bits(-INFINITY)));
}

static void test_pmin_pmax(void **state) {
  (void)state;
  /* simd_f32x4_pmin_pmax.wast:12: +0 and -0 compare equal, so the first
   * operand is returned */
  assert_v128(
      RUN2("f32x4.pmin", f32x4(0, 0, 0, 0), f32x4(-0.0f, -0.0f, -0.0f, -0.0f)),
      f32x4(0, 0, 0, 0));
  /* simd_f32x4_pmin_pmax.wast:4809 and :5337: NaN compares false, so the
   * first operand comes back, payload included */
  assert_v128(RUN2("f32x4.pmin", I32(0x7fc00001, 0, 0xffa00000, 0),
                   I32(0, 0x7fc00001, 0, 0xffa00000)),
              I32(0x7fc00001, 0, 0xffa00000, 0));
  assert_v128(RUN2("f32x4.pmax", f32x4(1, 3, -1, -0.0f), f32x4(2, 2, -0.0f, 0)),
              f32x4(2, 3, -0.0f, -0.0f));
  /* simd_f64x2_pmin_pmax.wast:5937 */
  assert_v128(RUN2("f64x2.pmax", f64x2(-0.0, -0.0), f64x2(0.0, 0.0)),
              f64x2(-0.0, -0.0));
  assert_v128(RUN2("f64x2.pmin", I64(f64_bits(5), UINT64_C(0x7ff8000000000123)),
                   f64x2(4, 1)),
              I64(f64_bits(4), UINT64_C(0x7ff8000000000123)));
}

/* ---- Conversions ---- */

static void test_trunc_sat(void **state) {
  (void)state;
  /* simd_i32x4_trunc_sat_f32x4.wast:92-:102: infinities clamp, NaNs of any
   * sign and payload give 0 */
  assert_v128(RUN1("i32x4.trunc_sat_f32x4_s",
                   I32(f32_bits(INFINITY), f32_bits(-INFINITY), 0xffc00000,
                       0x7fc44444)),
              I32(2147483647, 0x80000000, 0, 0));
  assert_v128(RUN1("i32x4.trunc_sat_f32x4_s",
                   f32x4(-2147483904.0f, 2147483520.0f, -1.9f, 1.9f)),
              I32(0x80000000, 2147483520, -1, 1));
  /* simd_i32x4_trunc_sat_f32x4.wast:166, :196 */
  assert_v128(RUN1("i32x4.trunc_sat_f32x4_u",
                   f32x4(-1.0f, INFINITY, -0.9f, 4294967040.0f)),
              I32(0, 4294967295, 0, 4294967040));
  assert_v128(
      RUN1("i32x4.trunc_sat_f32x4_u",
           I32(F32_NAN, 0xff800000, f32_bits(4294967296.0f), f32_bits(1.5f))),
      I32(0, 0, 0xffffffff, 1));
  /* simd_i32x4_trunc_sat_f64x2.wast:92 and :96: upper lanes are zero */
  assert_v128(RUN1("i32x4.trunc_sat_f64x2_s_zero", f64x2(INFINITY, -INFINITY)),
              I32(2147483647, 0x80000000, 0, 0));
  assert_v128(
      RUN1("i32x4.trunc_sat_f64x2_s_zero", I64(F64_NAN, f64_bits(-2.5))),
      I32(0, -2, 0, 0));
  /* simd_i32x4_trunc_sat_f64x2.wast:196 */
  assert_v128(RUN1("i32x4.trunc_sat_f64x2_u_zero", f64x2(INFINITY, -1.0)),
              I32(4294967295, 0, 0, 0));
  assert_v128(RUN1("i32x4.trunc_sat_f64x2_u_zero", f64x2(4294967295.9, -0.99)),
              I32(4294967295, 0, 0, 0));
}

static void test_int_to_float(void **state) {
  (void)state;
  /* simd_conversions.wast:200: rounds to nearest even */
  assert_v128(
      RUN1("f32x4.convert_i32x4_s", I32(16777217, -16777217, -1, 0x80000000)),
      f32x4(16777216.0f, -16777216.0f, -1, -2147483648.0f));
  /* simd_conversions.wast:217 */
  assert_v128(RUN1("f32x4.convert_i32x4_u", I32(-1, 16777219, 0, 1)),
              f32x4(4294967295.0f, 16777220.0f, 0, 1));
  /* simd_conversions.wast:261 and :269; the upper lanes are ignored */
  assert_v128(
      RUN1("f64x2.convert_low_i32x4_s", I32(0x80000000, 0x7fffffff, 5, 6)),
      f64x2(-2147483648.0, 2147483647.0));
  assert_v128(RUN1("f64x2.convert_low_i32x4_u", I32(-1, 1, 5, 6)),
              f64x2(4294967295.0, 1.0));
}

static void test_demote_promote(void **state) {
  (void)state;
  /* simd_conversions.wast:113 (overflow to inf) and :125 (rounding) */
  assert_v128(RUN1("f32x4.demote_f64x2_zero",
                   f64x2(0x1.ffffffp+127, 0x1.0000000000001p+0)),
              f32x4(INFINITY, 1.0f, 0, 0));
  /* A NaN with a payload becomes the canonical one; -0 stays. */
  assert_v128(RUN1("f32x4.demote_f64x2_zero",
                   I64(UINT64_C(0xfff4000000000000), f64_bits(-0.0))),
              I32(F32_NAN, f32_bits(-0.0f), 0, 0));
  /* simd_conversions.wast:61 and :63: only the low two lanes */
  assert_v128(RUN1("f64x2.promote_low_f32x4",
                   I32(F32_NAN, 0x7fa00000, f32_bits(1), f32_bits(2))),
              I64(F64_NAN, F64_NAN));
  assert_v128(RUN1("f64x2.promote_low_f32x4", f32x4(0x1p-149f, -0.0f, 7, 8)),
              f64x2(0x1p-149, -0.0));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_every_pure_opcode_has_its_name),
      cmocka_unit_test(test_other_opcodes_have_no_signature),
      cmocka_unit_test(test_signatures_follow_the_names),
      cmocka_unit_test(test_apply_outside_its_contract_is_harmless),
      cmocka_unit_test(test_splat),
      cmocka_unit_test(test_extract_lane),
      cmocka_unit_test(test_replace_lane),
      cmocka_unit_test(test_swizzle),
      cmocka_unit_test(test_integer_comparisons),
      cmocka_unit_test(test_float_comparisons),
      cmocka_unit_test(test_bitwise),
      cmocka_unit_test(test_boolean_reductions),
      cmocka_unit_test(test_abs_neg_popcnt),
      cmocka_unit_test(test_add_sub_mul),
      cmocka_unit_test(test_saturating_arithmetic),
      cmocka_unit_test(test_min_max_avgr),
      cmocka_unit_test(test_q15mulr),
      cmocka_unit_test(test_shifts),
      cmocka_unit_test(test_narrow),
      cmocka_unit_test(test_extend),
      cmocka_unit_test(test_extadd_pairwise),
      cmocka_unit_test(test_extmul),
      cmocka_unit_test(test_dot),
      cmocka_unit_test(test_float_arithmetic),
      cmocka_unit_test(test_float_sign_operations_keep_payloads),
      cmocka_unit_test(test_rounding),
      cmocka_unit_test(test_min_max),
      cmocka_unit_test(test_pmin_pmax),
      cmocka_unit_test(test_trunc_sat),
      cmocka_unit_test(test_int_to_float),
      cmocka_unit_test(test_demote_promote),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
