/* Unit tests of the Binary Format chapter: ref/engine/decode.c, reader.h
 * and the reflection functions of module.c. Modules are hand-written byte
 * arrays; comments give each byte's meaning and offsets are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "module.h"
#include "reader.h"

#define HEADER 0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00

/* cm_module_new, expecting failure with `status` at byte `offset`. */
static void expect_failure(const uint8_t *bytes, size_t size,
                           cm_status status, uint64_t offset,
                           const char *words) {
  cm_error err;
  cm_module *m = cm_module_new(bytes, size, &err);
  assert_null(m);
  assert_int_equal(err.status, status);
  assert_int_equal(err.offset, offset);
  assert_non_null(strstr(err.message, words));
}

#define EXPECT_MALFORMED(array, offset, words)                              \
  expect_failure(array, sizeof array, CM_MALFORMED, offset, words)

static cm_module *expect_module(const uint8_t *bytes, size_t size) {
  cm_error err;
  cm_module *m = cm_module_new(bytes, size, &err);
  if (!m) fail_msg("unexpected failure: %s", err.message);
  return m;
}

/* ---- reader.h: LEB128 ---- */

static cm_status read_u32_from(const uint8_t *b, size_t n, uint32_t *v,
                               cm_error *err) {
  cm_reader r = cm_reader_new(b, n, err);
  return cm_read_u32(&r, v);
}

static void test_leb_u32_accepts_five_bytes_and_padding(void **state) {
  (void)state;
  cm_error err;
  uint32_t v;
  static const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
  static const uint8_t padded_two[] = {0x82, 0x80, 0x80, 0x80, 0x00};
  assert_int_equal(read_u32_from(max, sizeof max, &v, &err), CM_OK);
  assert_int_equal(v, 0xffffffffu);
  assert_int_equal(read_u32_from(padded_two, sizeof padded_two, &v, &err),
                   CM_OK);
  assert_int_equal(v, 2);
}

static void test_leb_u32_rejects_unused_bits_and_sixth_byte(void **state) {
  (void)state;
  cm_error err;
  uint32_t v;
  static const uint8_t unused_bits[] = {0x82, 0x80, 0x80, 0x80, 0x10};
  static const uint8_t too_long[] = {0x82, 0x80, 0x80, 0x80, 0x80, 0x00};
  static const uint8_t truncated[] = {0x82, 0x80};
  assert_int_equal(read_u32_from(unused_bits, sizeof unused_bits, &v, &err),
                   CM_MALFORMED);
  assert_int_equal(err.offset, 4);
  assert_non_null(strstr(err.message, "integer too large"));
  assert_int_equal(read_u32_from(too_long, sizeof too_long, &v, &err),
                   CM_MALFORMED);
  assert_int_equal(err.offset, 4);
  assert_non_null(strstr(err.message, "integer representation too long"));
  assert_int_equal(read_u32_from(truncated, sizeof truncated, &v, &err),
                   CM_MALFORMED);
  assert_int_equal(err.offset, 2);
  assert_non_null(strstr(err.message, "unexpected end"));
}

static void test_leb_signed_unused_bits_must_repeat_sign(void **state) {
  (void)state;
  cm_error err;
  uint32_t v32;
  uint64_t v64;
  int64_t v33;
  static const uint8_t minus_one_5[] = {0xff, 0xff, 0xff, 0xff, 0x7f};
  static const uint8_t minus_one_unset[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
  static const uint8_t zero_set[] = {0x80, 0x80, 0x80, 0x80, 0x70};
  static const uint8_t s33_minus_64[] = {0x40};
  static const uint8_t s64_min[] = {0x80, 0x80, 0x80, 0x80, 0x80,
                                    0x80, 0x80, 0x80, 0x80, 0x7f};
  static const uint8_t s64_bad[] = {0xff, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff, 0x01};
  cm_reader r = cm_reader_new(minus_one_5, sizeof minus_one_5, &err);
  assert_int_equal(cm_read_s32(&r, &v32), CM_OK);
  assert_int_equal(v32, 0xffffffffu);
  r = cm_reader_new(minus_one_unset, sizeof minus_one_unset, &err);
  assert_int_equal(cm_read_s32(&r, &v32), CM_MALFORMED);
  assert_non_null(strstr(err.message, "integer too large"));
  r = cm_reader_new(zero_set, sizeof zero_set, &err);
  assert_int_equal(cm_read_s32(&r, &v32), CM_MALFORMED);
  r = cm_reader_new(s33_minus_64, sizeof s33_minus_64, &err);
  assert_int_equal(cm_read_s33(&r, &v33), CM_OK);
  assert_int_equal(v33, -64);
  r = cm_reader_new(s64_min, sizeof s64_min, &err);
  assert_int_equal(cm_read_s64(&r, &v64), CM_OK);
  assert_true(v64 == (uint64_t)1 << 63);
  r = cm_reader_new(s64_bad, sizeof s64_bad, &err);
  assert_int_equal(cm_read_s64(&r, &v64), CM_MALFORMED);
  assert_int_equal(err.offset, 9);
}

/* ---- Header and sections ---- */

static void test_decode_empty_module(void **state) {
  (void)state;
  static const uint8_t bytes[] = {HEADER};
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(cm_module_import_count(m), 0);
  assert_int_equal(cm_module_export_count(m), 0);
  assert_int_equal(cm_module_memory_count(m), 0);
  assert_false(cm_module_has_start(m));
  cm_module_free(m);
}

static void test_decode_header_errors_report_offsets(void **state) {
  (void)state;
  static const uint8_t empty[1] = {0};
  static const uint8_t short_magic[] = {0x00, 0x61, 0x73};
  static const uint8_t bad_magic[] = {0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0};
  static const uint8_t bad_version[] = {0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0};
  static const uint8_t short_version[] = {0x00, 0x61, 0x73, 0x6d, 1};
  expect_failure(empty, 0, CM_MALFORMED, 0, "unexpected end");
  EXPECT_MALFORMED(short_magic, 3, "unexpected end");
  EXPECT_MALFORMED(bad_magic, 0, "magic header not detected");
  EXPECT_MALFORMED(bad_version, 4, "unknown binary version");
  EXPECT_MALFORMED(short_version, 5, "unexpected end");
}

static void test_decode_section_id_order_and_size(void **state) {
  (void)state;
  static const uint8_t bad_id[] = {HEADER, 0x0d, 0x00};
  static const uint8_t out_of_order[] = {
      HEADER,
      0x03, 0x01, 0x00, /* function section, no functions; offset 8 */
      0x01, 0x01, 0x00, /* type section after it; offset 11 */
  };
  static const uint8_t too_long[] = {HEADER, 0x01, 0x05, 0x00};
  static const uint8_t mismatch[] = {
      HEADER, 0x01, 0x02, 0x00, /* no types, */
      0x00,                     /* but one byte left over at offset 11 */
  };
  static const uint8_t datacount_before_code[] = {
      HEADER, 0x0c, 0x01, 0x00, /* data count 0 */
      0x0a, 0x01, 0x00,         /* code section after it is fine */
      0x0b, 0x01, 0x00,         /* data section */
  };
  EXPECT_MALFORMED(bad_id, 8, "malformed section id");
  EXPECT_MALFORMED(out_of_order, 11, "unexpected content after last section");
  EXPECT_MALFORMED(too_long, 9, "length out of bounds");
  EXPECT_MALFORMED(mismatch, 11, "section size mismatch");
  cm_module_free(expect_module(datacount_before_code,
                               sizeof datacount_before_code));
}

static void test_decode_custom_sections_anywhere_with_utf8_names(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x00, 0x06, 0x04, 0xf0, 0x9f, 0x98, 0x80, 0x2a, /* "😀", payload 2a */
      0x01, 0x01, 0x00,                               /* type section */
      0x00, 0x02, 0x01, 0x6e,                         /* "n", no payload */
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(cm_module_custom_count(m), 2);
  const char *name;
  const uint8_t *payload;
  size_t size;
  cm_module_custom(m, 0, &name, &payload, &size);
  assert_string_equal(name, "\xf0\x9f\x98\x80");
  assert_int_equal(size, 1);
  assert_int_equal(payload[0], 0x2a);
  cm_module_custom(m, 1, &name, &payload, &size);
  assert_string_equal(name, "n");
  assert_int_equal(size, 0);
  cm_module_free(m);
}

static void test_decode_rejects_malformed_utf8(void **state) {
  (void)state;
  static const uint8_t overlong[] = {HEADER, 0x00, 0x03, 0x02, 0xc0, 0x80};
  static const uint8_t surrogate[] = {HEADER, 0x00, 0x04, 0x03,
                                      0xed, 0xa0, 0x80};
  static const uint8_t too_big[] = {HEADER, 0x00, 0x05, 0x04,
                                    0xf4, 0x90, 0x80, 0x80};
  static const uint8_t cut_short[] = {HEADER, 0x00, 0x03, 0x02, 0xe2, 0x82};
  static const uint8_t lone_continuation[] = {HEADER, 0x00, 0x02, 0x01, 0x80};
  EXPECT_MALFORMED(overlong, 11, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(surrogate, 11, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(too_big, 11, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(cut_short, 11, "malformed UTF-8 encoding");
  EXPECT_MALFORMED(lone_continuation, 11, "malformed UTF-8 encoding");
}

/* v128.const 0x00 0x01 ... 0x0f (the bytes of the immediate in order) */
#define V128_BYTES                                                          \
  0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b,   \
      0x0c, 0x0d, 0x0e, 0x0f

static void test_decode_simd_types_constants_and_feature(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, /* type () -> (v128) */
      0x03, 0x02, 0x01, 0x00,                   /* one function */
      0x06, 0x16, 0x01, 0x7b, 0x00,             /* global v128 immutable */
      0xfd, 0x0c, V128_BYTES, 0x0b,             /* = v128.const */
      0x0a, 0x17, 0x01, 0x15, 0x00,             /* code: size 21 */
      0xfd, 0x8c, 0x00, V128_BYTES, 0x0b, /* padded LEB subopcode 0x0c */
  };
  static const uint8_t plain[] = {
      HEADER, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, /* () -> (i32) */
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(m->types[0].results[0], CM_V128);
  assert_int_equal(m->globals[0].type, CM_V128);
  assert_int_equal(m->global_inits[0].op, 0xfd);
  assert_int_equal(m->global_inits[0].value, UINT64_C(0x0706050403020100));
  assert_int_equal(m->global_inits[0].value_hi, UINT64_C(0x0f0e0d0c0b0a0908));
  assert_true(cm_module_features(m) & CM_FEATURE_SIMD);
  cm_module_free(m);
  m = expect_module(plain, sizeof plain);
  assert_false(cm_module_features(m) & CM_FEATURE_SIMD);
  cm_module_free(m);
}

/* Any 0xfd instruction is the SIMD feature, even without a v128 type. */
static void test_decode_simd_instruction_is_the_feature(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, /* type () -> (i32) */
      0x03, 0x02, 0x01, 0x00,                   /* one function */
      0x0a, 0x18, 0x01, 0x16, 0x00,             /* code: size 22 */
      0xfd, 0x0c, V128_BYTES,                   /* v128.const */
      0xfd, 0x53, 0x0b,                         /* v128.any_true */
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_true(cm_module_features(m) & CM_FEATURE_SIMD);
  cm_module_free(m);
}

/* The 0xfd immediates: an unknown subopcode, a subopcode beyond a byte, a
 * v128.const or lane index cut short. The prefix is at offset 23. */
static void test_decode_simd_malformed(void **state) {
  (void)state;
  static const uint8_t hole[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, /* type () -> () */
      0x03, 0x02, 0x01, 0x00,             /* one function */
      0x0a, 0x07, 0x01, 0x05, 0x00,       /* code: size 5, no locals */
      0xfd, 0xa2, 0x01, 0x0b,             /* 0xfd 0xa2: no such op */
  };
  static const uint8_t relaxed[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x07, 0x01, 0x05, 0x00,
      0xfd, 0x80, 0x02, 0x0b, /* 0xfd 0x100: relaxed SIMD, not ours */
  };
  static const uint8_t short_const[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x08, 0x01, 0x06, 0x00,
      0xfd, 0x0c, 0x00, 0x00, 0x0b, /* 3 of 16 bytes; body ends at 28 */
  };
  static const uint8_t no_lane[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x05, 0x01, 0x03, 0x00,
      0xfd, 0x15, /* i8x16.extract_lane_s without its lane; ends at 25 */
  };
  EXPECT_MALFORMED(hole, 23, "illegal opcode");
  EXPECT_MALFORMED(relaxed, 23, "illegal opcode");
  EXPECT_MALFORMED(short_const, 28, "unexpected end");
  EXPECT_MALFORMED(no_lane, 25, "unexpected end");
}

/* ---- Functions and code ---- */

static void test_decode_too_many_locals_fails_before_allocating(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, /* type () -> () */
      0x03, 0x02, 0x01, 0x00,             /* one function */
      0x0a, 0x0a, 0x01, 0x08, 0x01,       /* code: size 8, one run: */
      0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, /* 2^32-1 i32 at offset 23 */
      0x0b,
  };
  static const uint8_t within_limit[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x08, 0x01, 0x06, 0x02, /* two runs: */
      0x02, 0x7e,                   /* 2 i64 */
      0x01, 0x70,                   /* 1 funcref */
      0x0b,
  };
  EXPECT_MALFORMED(bytes, 23, "too many locals");
  cm_module *m = expect_module(within_limit, sizeof within_limit);
  assert_int_equal(m->codes[0].nlocals, 3);
  assert_memory_equal(m->codes[0].local_types, "\x7e\x7e\x70", 3);
  cm_module_free(m);
}

static void test_decode_function_and_code_lengths_must_agree(void **state) {
  (void)state;
  static const uint8_t no_code[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00, /* type () -> () */
      0x03, 0x02, 0x01, 0x00,             /* one function, no code: */
  };                                      /* reported at the end, 18 */
  static const uint8_t two_bodies[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x07, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b, /* count at 20 */
  };
  EXPECT_MALFORMED(no_code, 18, "function and code section have inconsistent");
  EXPECT_MALFORMED(two_bodies, 20,
                   "function and code section have inconsistent");
}

static void test_decode_body_structure(void **state) {
  (void)state;
  static const uint8_t missing_end[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x05, 0x01, 0x03, 0x00, 0x02, 0x40, /* block, body ends at 25 */
  };
  static const uint8_t misplaced_else[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x07, 0x01, 0x05, 0x00, 0x02, 0x40, 0x05, 0x0b, /* else at 25 */
  };
  static const uint8_t after_end[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x05, 0x01, 0x03, 0x00, 0x0b, 0x01, /* nop after end, at 24 */
  };
  static const uint8_t illegal[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x05, 0x01, 0x03, 0x00, 0x06, 0x0b, /* 0x06 at 23 */
  };
  EXPECT_MALFORMED(missing_end, 25, "unexpected end");
  EXPECT_MALFORMED(misplaced_else, 25, "END opcode expected");
  EXPECT_MALFORMED(after_end, 24, "section size mismatch");
  EXPECT_MALFORMED(illegal, 23, "illegal opcode");
}

static void test_decode_memory_index_must_be_zero_byte(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x05, 0x03, 0x01, 0x00, 0x01,       /* memory 1 page */
      0x0a, 0x0a, 0x01, 0x08, 0x00,       /* code */
      0x41, 0x00, 0x40, 0x80, 0x00, 0x1a, /* memory.grow, 0x80 at 31 */
      0x0b,
  };
  EXPECT_MALFORMED(bytes, 31, "zero byte expected");
}

static void test_decode_call_indirect_table_index_may_be_padded(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x04, 0x04, 0x01, 0x70, 0x00, 0x01, /* table funcref 1 */
      0x0a, 0x0d, 0x01, 0x0b, 0x00,
      0x41, 0x00,                         /* i32.const 0 */
      0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00, /* call_indirect type 0,
                                                   table 0 in 5 bytes */
      0x0b,
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  const cm_insn *code = m->codes[0].code;
  assert_int_equal(m->codes[0].ncode, 3);
  assert_int_equal(code[1].op, 0x11);
  assert_int_equal(code[1].a, 0);
  assert_int_equal(code[1].b, 0);
  cm_module_free(m);
}

static void test_decode_data_count_rules(void **state) {
  (void)state;
  static const uint8_t required[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x05, 0x03, 0x01, 0x00, 0x00,
      0x0a, 0x07, 0x01, 0x05, 0x00, 0xfc, 0x09, 0x00, 0x0b, /* data.drop */
      0x0b, 0x03, 0x01, 0x01, 0x00,                         /* at 28 */
  };
  static const uint8_t inconsistent[] = {
      HEADER,
      0x0c, 0x01, 0x02,             /* data count 2 */
      0x0b, 0x03, 0x01, 0x01, 0x00, /* one passive segment: count at 13 */
  };
  static const uint8_t data_missing[] = {HEADER, 0x0c, 0x01, 0x01};
  EXPECT_MALFORMED(required, 28, "data count section required");
  EXPECT_MALFORMED(inconsistent, 13, "data count and data section");
  EXPECT_MALFORMED(data_missing, 11, "data count and data section");
}

/* ---- Segments ---- */

static void test_decode_all_element_segment_encodings(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,       /* type () -> () */
      0x03, 0x02, 0x01, 0x00,                   /* function 0 */
      0x04, 0x07, 0x02, 0x70, 0x00, 0x02,       /* table 0 funcref 2 */
      0x6f, 0x00, 0x02,                         /* table 1 externref 2 */
      0x09, 0x32, 0x08,                         /* 8 segments: */
      0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,       /* 0: active t0, funcs */
      0x01, 0x00, 0x01, 0x00,                   /* 1: passive, funcs */
      0x02, 0x00, 0x41, 0x01, 0x0b, 0x00, 0x01, 0x00, /* 2: t0, funcs */
      0x03, 0x00, 0x01, 0x00,                   /* 3: declarative */
      0x04, 0x41, 0x00, 0x0b, 0x01, 0xd2, 0x00, 0x0b, /* 4: exprs */
      0x05, 0x6f, 0x01, 0xd0, 0x6f, 0x0b,       /* 5: passive externref */
      0x06, 0x01, 0x41, 0x00, 0x0b, 0x6f, 0x00, /* 6: t1, no items */
      0x07, 0x70, 0x01, 0xd2, 0x00, 0x0b,       /* 7: declarative exprs */
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(m->nelems, 8);
  static const cm_segmode modes[8] = {
      CM_SEG_ACTIVE, CM_SEG_PASSIVE, CM_SEG_ACTIVE, CM_SEG_DECLARATIVE,
      CM_SEG_ACTIVE, CM_SEG_PASSIVE, CM_SEG_ACTIVE, CM_SEG_DECLARATIVE};
  static const uint32_t counts[8] = {1, 1, 1, 1, 1, 1, 0, 1};
  for (int i = 0; i < 8; i++) {
    assert_int_equal(m->elems[i].mode, modes[i]);
    assert_int_equal(m->elems[i].count, counts[i]);
  }
  assert_int_equal(m->elems[0].items[0].op, 0xd2);
  assert_int_equal(m->elems[2].offset.value, 1);
  assert_int_equal(m->elems[5].reftype, CM_EXTERNREF);
  assert_int_equal(m->elems[5].items[0].op, 0xd0);
  assert_int_equal(m->elems[5].items[0].index, CM_EXTERNREF);
  assert_int_equal(m->elems[6].table, 1);
  assert_int_equal(m->elems[6].reftype, CM_EXTERNREF);
  cm_module_free(m);
}

static void test_decode_element_kind_and_reftype_bytes(void **state) {
  (void)state;
  static const uint8_t bad_reftype[] = {
      HEADER, 0x09, 0x04, 0x01, 0x05, 0x7f, 0x00, /* passive, i32: at 12 */
  };
  static const uint8_t bad_kind[] = {
      HEADER, 0x09, 0x04, 0x01, 0x01, 0x01, 0x00, /* elemkind 1: at 12 */
  };
  static const uint8_t bad_flags[] = {HEADER, 0x09, 0x03, 0x01, 0x08, 0x00};
  EXPECT_MALFORMED(bad_reftype, 12, "malformed reference type");
  EXPECT_MALFORMED(bad_kind, 12, "malformed element kind");
  EXPECT_MALFORMED(bad_flags, 11, "malformed elements segment kind");
}

static void test_decode_data_segment_encodings(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x05, 0x03, 0x01, 0x00, 0x01,             /* memory 1 page */
      0x0b, 0x11, 0x03,                         /* 3 segments: */
      0x00, 0x41, 0x08, 0x0b, 0x02, 0x61, 0x62, /* active at 8: "ab" */
      0x01, 0x01, 0x63,                         /* passive "c" */
      0x02, 0x00, 0x41, 0x10, 0x0b, 0x00,       /* active memory 0, "" */
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(m->ndatas, 3);
  assert_int_equal(m->datas[0].mode, CM_SEG_ACTIVE);
  assert_int_equal(m->datas[0].offset.value, 8);
  assert_int_equal(m->datas[0].size, 2);
  assert_memory_equal(m->datas[0].bytes, "ab", 2);
  assert_int_equal(m->datas[1].mode, CM_SEG_PASSIVE);
  assert_memory_equal(m->datas[1].bytes, "c", 1);
  assert_int_equal(m->datas[2].offset.value, 16);
  assert_int_equal(m->datas[2].size, 0);
  cm_module_free(m);
}

/* ---- memory64 ---- */

static void test_decode_memory64_limits_and_memarg_offsets(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x05, 0x01, 0x60, 0x01, 0x7e, 0x00, /* type (param i64) */
      0x03, 0x02, 0x01, 0x00,
      0x05, 0x0a, 0x01, 0x05, 0x01,             /* i64 memory, min 1, */
      0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40, /* max 2^48 */
      0x0a, 0x0e, 0x01, 0x0c, 0x00,
      0x20, 0x00,                               /* local.get 0 */
      0x28, 0x02, 0x80, 0x80, 0x80, 0x80, 0x10, /* i32.load offset=2^32 */
      0x1a, 0x0b,
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  const cm_limits *l = cm_module_memory_limits(m, 0);
  assert_true(l->is64);
  assert_true(l->has_max);
  assert_int_equal(l->min, 1);
  assert_true(l->max == (uint64_t)1 << 48);
  const cm_insn *load = &m->codes[0].code[1];
  assert_int_equal(load->op, 0x28);
  assert_int_equal(load->a, 2);
  assert_true(load->b == (uint64_t)1 << 32);
  cm_module_free(m);
}

static void test_decode_limits_flags(void **state) {
  (void)state;
  static const uint8_t shared[] = {HEADER, 0x05, 0x03, 0x01, 0x03, 0x01, 0x01};
  static const uint8_t shared_table[] = {HEADER, 0x04, 0x04, 0x01, 0x70, 0x02,
                                         0x01};
  static const uint8_t shared_table64[] = {HEADER, 0x04, 0x04, 0x01, 0x70,
                                           0x06, 0x01};
  EXPECT_MALFORMED(shared, 11, "malformed limits flags");
  EXPECT_MALFORMED(shared_table, 12, "malformed limits flags");
  EXPECT_MALFORMED(shared_table64, 12, "malformed limits flags");
}

/* Tables take the memory64 limits flags too (its table64 part): 0x04 and
 * 0x05 read u64 limits, as the Motoko EOP canister's (table i64 44 44
 * funcref) needs. */
static void test_decode_table64_limits(void **state) {
  (void)state;
  static const uint8_t eop[] = {
      HEADER,
      0x04, 0x05, 0x01, 0x70, 0x05, 0x2c, 0x2c, /* table i64 44 44 funcref */
  };
  cm_module *m = expect_module(eop, sizeof eop);
  assert_int_equal(m->ntables, 1);
  assert_true(m->tables[0].limits.is64);
  assert_true(m->tables[0].limits.has_max);
  assert_int_equal(m->tables[0].limits.min, 44);
  assert_int_equal(m->tables[0].limits.max, 44);
  assert_int_equal(m->tables[0].elemtype, CM_FUNCREF);
  assert_true(cm_module_features(m) & CM_FEATURE_TABLE64);
  cm_module_free(m);

  static const uint8_t wide[] = {
      HEADER,
      0x02, 0x0e, 0x01, 0x01, 'm', 0x01, 't', 0x01, /* import "m" "t" table */
      0x6f, 0x05, 0x00,                            /* i64 externref min 0 */
      0x80, 0x80, 0x80, 0x80, 0x20,                /* max 2^33 */
  };
  m = expect_module(wide, sizeof wide);
  assert_true(m->tables[0].limits.is64);
  assert_true(m->tables[0].limits.max == (uint64_t)1 << 33);
  cm_module_free(m);

  static const uint8_t narrow[] = {HEADER, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01};
  m = expect_module(narrow, sizeof narrow);
  assert_false(m->tables[0].limits.is64);
  assert_false(cm_module_features(m) & CM_FEATURE_TABLE64);
  cm_module_free(m);

  /* a 32-bit table's limits stay u32 */
  static const uint8_t too_wide[] = {
      HEADER, 0x04, 0x08, 0x01, 0x70, 0x00, 0x80, 0x80, 0x80, 0x80, 0x10,
  };
  EXPECT_MALFORMED(too_wide, 17, "integer too large");
}

/* return_call (0x12 funcidx) and return_call_indirect (0x13 typeidx
 * tableidx, the table index a u32 that may be padded). */
static void test_decode_tail_call_immediates(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x03, 0x02, 0x00, 0x00,
      0x04, 0x04, 0x01, 0x70, 0x00, 0x01, /* table funcref 1 */
      0x0a, 0x11, 0x02,
      0x04, 0x00, 0x12, 0x01, 0x0b,       /* return_call 1 */
      0x0a, 0x00, 0x41, 0x00,             /* i32.const 0 */
      0x13, 0x00, 0x80, 0x80, 0x80, 0x00, /* return_call_indirect 0, table
                                             0 in 4 bytes */
      0x0b,
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(m->codes[0].code[0].op, 0x12);
  assert_int_equal(m->codes[0].code[0].a, 1);
  assert_int_equal(m->codes[1].code[1].op, 0x13);
  assert_int_equal(m->codes[1].code[1].a, 0);
  assert_int_equal(m->codes[1].code[1].b, 0);
  assert_true(cm_module_features(m) & CM_FEATURE_TAIL_CALL);
  cm_module_free(m);

  static const uint8_t truncated[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x0a, 0x05, 0x01, 0x03, 0x00, 0x13, 0x00, /* no table index */
  };
  EXPECT_MALFORMED(truncated, 25, "unexpected end");
}

/* ---- Imports, exports, reflection ---- */

static void test_decode_reflection_of_imports_and_exports(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x0a, 0x02,
      0x60, 0x01, 0x7f, 0x00,             /* type 0: (param i32) */
      0x60, 0x00, 0x02, 0x7e, 0x7d,       /* type 1: () -> (i64 f32) */
      0x02, 0x21, 0x04,                   /* 4 imports: */
      0x01, 0x6d, 0x01, 0x66, 0x00, 0x00, /* m.f func type 0 */
      0x01, 0x6d, 0x01, 0x74, 0x01, 0x70, 0x00, 0x01, /* m.t table */
      0x02, 0x69, 0x63, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x01, 0x01, 0x02,
                                          /* ic.mem memory 1..2 */
      0x01, 0x6d, 0x01, 0x67, 0x03, 0x7f, 0x00, /* m.g global i32 */
      0x03, 0x02, 0x01, 0x01,             /* function 1: type 1 */
      0x07, 0x0e, 0x03,                   /* 3 exports: */
      0x03, 0x72, 0x75, 0x6e, 0x00, 0x01, /* "run" func 1 */
      0x00, 0x00, 0x00,                   /* "" func 0 */
      0x01, 0x00, 0x00, 0x00,             /* "\0" func 0 */
      0x0a, 0x0b, 0x01, 0x09, 0x00,       /* code: i64.const 0, */
      0x42, 0x00, 0x43, 0x00, 0x00, 0x00, 0x00, 0x0b, /* f32.const 0 */
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_int_equal(cm_module_import_count(m), 4);
  const char *module, *name;
  cm_externkind kind;
  cm_module_import(m, 2, &module, &name, &kind);
  assert_string_equal(module, "ic");
  assert_string_equal(name, "mem");
  assert_int_equal(kind, CM_EXTERN_MEMORY);
  const cm_functype *ft = cm_module_import_functype(m, 0);
  assert_non_null(ft);
  assert_int_equal(ft->nparams, 1);
  assert_int_equal(ft->params[0], CM_I32);
  assert_null(cm_module_import_functype(m, 1));
  assert_int_equal(cm_module_memory_count(m), 1);
  assert_int_equal(cm_module_memory_limits(m, 0)->max, 2);
  assert_int_equal(cm_module_export_count(m), 3);
  cm_module_export(m, 0, &name, &kind);
  assert_string_equal(name, "run");
  assert_int_equal(kind, CM_EXTERN_FUNC);
  ft = cm_module_export_functype(m, "run");
  assert_non_null(ft);
  assert_int_equal(ft->nresults, 2);
  assert_memory_equal(ft->results, "\x7e\x7d", 2);
  assert_null(cm_module_export_functype(m, "absent"));
  /* "" and "\0" differ: names keep their length */
  assert_int_equal(cm_name_of(m->exports[1].name)->length, 0);
  assert_int_equal(cm_name_of(m->exports[2].name)->length, 1);
  assert_false(cm_module_has_start(m));
  cm_module_free(m);
}

static void test_decode_start_section(void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x08, 0x01, 0x00,             /* start: function 0 */
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
  };
  static const uint8_t twice[] = {
      HEADER,
      0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
      0x03, 0x02, 0x01, 0x00,
      0x08, 0x01, 0x00,
      0x08, 0x01, 0x00,             /* a second start section, at 21 */
      0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b,
  };
  cm_module *m = expect_module(bytes, sizeof bytes);
  assert_true(cm_module_has_start(m));
  assert_int_equal(m->start, 0);
  cm_module_free(m);
  EXPECT_MALFORMED(twice, 21, "unexpected content after last section");
}

static void test_decode_import_kind_and_mutability(void **state) {
  (void)state;
  static const uint8_t bad_kind[] = {HEADER, 0x02, 0x04, 0x01, 0x00, 0x00,
                                     0x04};
  static const uint8_t bad_mut[] = {HEADER, 0x02, 0x06, 0x01, 0x00, 0x00,
                                    0x03, 0x7f, 0x02};
  EXPECT_MALFORMED(bad_kind, 13, "malformed import kind");
  EXPECT_MALFORMED(bad_mut, 15, "malformed mutability");
}

/* ---- Constant expressions ---- */

static void test_decode_keeps_non_constant_exprs_for_validation(
    void **state) {
  (void)state;
  static const uint8_t bytes[] = {
      HEADER,
      0x06, 0x09, 0x01, 0x7f, 0x00,       /* global i32 = */
      0x41, 0x01, 0x41, 0x02, 0x6a, 0x0b, /* (i32.add 1 2), at offset 13 */
  };
  cm_module m;
  memset(&m, 0, sizeof m);
  m.bytes = malloc(sizeof bytes);
  memcpy(m.bytes, bytes, sizeof bytes);
  m.size = sizeof bytes;
  cm_error err;
  assert_int_equal(cm_decode(&m, &err), CM_OK);
  assert_int_equal(m.global_inits[0].op, CM_CONSTEXPR_OTHER);
  assert_int_equal(m.global_inits[0].value, 13);
  cm_module_clear(&m);
  free(m.bytes);
  expect_failure(bytes, sizeof bytes, CM_INVALID, 17,
                 "constant expression required");
}

/* ---- Robustness ---- */

/* A module with a bit of everything, for the robustness tests. */
static const uint8_t rich_module[] = {
    HEADER,
    0x01, 0x09, 0x02, 0x60, 0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00,
    0x02, 0x07, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x01,
    0x03, 0x02, 0x01, 0x00,
    0x04, 0x04, 0x01, 0x70, 0x00, 0x02,
    0x05, 0x03, 0x01, 0x00, 0x01,
    0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x07, 0x0b,
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x01,
    0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x01,
    0x0c, 0x01, 0x01,
    0x0a, 0x1d, 0x01, 0x1b, 0x01, 0x01, 0x7e,
    0x02, 0x7f, 0x20, 0x00, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x20, 0x00,
    0x20, 0x00, 0x0d, 0x01, 0x0b, 0x0b, 0xfc, 0x09, 0x00, 0x23, 0x00,
    0x6a, 0x0b,
    0x0b, 0x04, 0x01, 0x01, 0x01, 0x7a,
    0x00, 0x03, 0x01, 0x63, 0x21,
};

static void test_decode_rich_module_is_valid(void **state) {
  (void)state;
  cm_module_free(expect_module(rich_module, sizeof rich_module));
}

static void test_decode_every_truncation_fails_cleanly(void **state) {
  (void)state;
  for (size_t n = 0; n < sizeof rich_module; n++) {
    cm_error err;
    cm_module *m = cm_module_new(rich_module, n, &err);
    if (m) { /* possible only at a section boundary */
      cm_module_free(m);
      continue;
    }
    assert_true(err.status == CM_MALFORMED || err.status == CM_INVALID);
    if (err.status == CM_MALFORMED) assert_true(err.offset <= n);
  }
}

static void test_decode_byte_mutations_never_crash(void **state) {
  (void)state;
  static const uint8_t values[] = {0x00, 0x01, 0x0b, 0x40, 0x7f,
                                   0x80, 0xfc, 0xff};
  uint8_t copy[sizeof rich_module];
  for (size_t i = 8; i < sizeof rich_module; i++)
    for (size_t k = 0; k < sizeof values; k++) {
      memcpy(copy, rich_module, sizeof copy);
      copy[i] = values[k];
      cm_error err;
      cm_module *m = cm_module_new(copy, sizeof copy, &err);
      if (!m) {
        assert_true(err.status == CM_MALFORMED || err.status == CM_INVALID);
        if (err.status == CM_MALFORMED) assert_true(err.offset <= sizeof copy);
      }
      cm_module_free(m);
    }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_leb_u32_accepts_five_bytes_and_padding),
      cmocka_unit_test(test_leb_u32_rejects_unused_bits_and_sixth_byte),
      cmocka_unit_test(test_leb_signed_unused_bits_must_repeat_sign),
      cmocka_unit_test(test_decode_empty_module),
      cmocka_unit_test(test_decode_header_errors_report_offsets),
      cmocka_unit_test(test_decode_section_id_order_and_size),
      cmocka_unit_test(test_decode_custom_sections_anywhere_with_utf8_names),
      cmocka_unit_test(test_decode_rejects_malformed_utf8),
      cmocka_unit_test(test_decode_simd_types_constants_and_feature),
      cmocka_unit_test(test_decode_simd_instruction_is_the_feature),
      cmocka_unit_test(test_decode_simd_malformed),
      cmocka_unit_test(test_decode_too_many_locals_fails_before_allocating),
      cmocka_unit_test(test_decode_function_and_code_lengths_must_agree),
      cmocka_unit_test(test_decode_body_structure),
      cmocka_unit_test(test_decode_memory_index_must_be_zero_byte),
      cmocka_unit_test(test_decode_call_indirect_table_index_may_be_padded),
      cmocka_unit_test(test_decode_data_count_rules),
      cmocka_unit_test(test_decode_all_element_segment_encodings),
      cmocka_unit_test(test_decode_element_kind_and_reftype_bytes),
      cmocka_unit_test(test_decode_data_segment_encodings),
      cmocka_unit_test(test_decode_memory64_limits_and_memarg_offsets),
      cmocka_unit_test(test_decode_limits_flags),
      cmocka_unit_test(test_decode_table64_limits),
      cmocka_unit_test(test_decode_tail_call_immediates),
      cmocka_unit_test(test_decode_reflection_of_imports_and_exports),
      cmocka_unit_test(test_decode_start_section),
      cmocka_unit_test(test_decode_import_kind_and_mutability),
      cmocka_unit_test(test_decode_keeps_non_constant_exprs_for_validation),
      cmocka_unit_test(test_decode_rich_module_is_valid),
      cmocka_unit_test(test_decode_every_truncation_fails_cleanly),
      cmocka_unit_test(test_decode_byte_mutations_never_crash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
