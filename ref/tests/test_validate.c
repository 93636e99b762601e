/* Unit tests of the Validation chapter and of compilation to cm_insn:
 * ref/engine/validate.c. Each test writes a small module by hand; tests of
 * compiled code check the exact instruction sequence, with branch targets,
 * arities and fp-relative heights, as module.h specifies them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "module.h"

/* ---- Writing modules ---- */

typedef struct {
  uint8_t bytes[512];
  size_t size;
  size_t body; /* offset of the first function body (its locals) */
} wasm;

static void put(wasm *w, const uint8_t *p, size_t n) {
  assert_true(w->size + n <= sizeof w->bytes);
  memcpy(w->bytes + w->size, p, n);
  w->size += n;
}

static void begin(wasm *w) {
  static const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0};
  memset(w, 0, sizeof *w);
  put(w, header, sizeof header);
}

/* A section whose contents are under 128 bytes (one-byte size). */
static void section(wasm *w, uint8_t id, const uint8_t *content, size_t n) {
  assert_true(n < 128);
  uint8_t head[2] = {id, (uint8_t)n};
  put(w, head, 2);
  put(w, content, n);
}

#define SECTION(w, id, ...)                                                  \
  do {                                                                       \
    static const uint8_t content_[] = {__VA_ARGS__};                         \
    section(w, id, content_, sizeof content_);                               \
  } while (0)

/* A code section with one function: its locals and instructions. */
#define CODE(w, ...)                                                         \
  do {                                                                       \
    static const uint8_t body_[] = {__VA_ARGS__};                            \
    uint8_t head_[4] = {0x0a, (uint8_t)(sizeof body_ + 2), 0x01,             \
                        (uint8_t)sizeof body_};                              \
    assert_true(sizeof body_ < 120);                                         \
    put(w, head_, 4);                                                        \
    (w)->body = (w)->size;                                                   \
    put(w, body_, sizeof body_);                                             \
  } while (0)

/* Sections for one function of type `type` (a complete type entry). */
#define ONE_FUNCTION(w, ...)                                                 \
  do {                                                                       \
    SECTION(w, 0x01, 0x01, __VA_ARGS__);                                     \
    SECTION(w, 0x03, 0x01, 0x00);                                            \
  } while (0)

static cm_module *expect_valid(const wasm *w) {
  cm_error err;
  cm_module *m = cm_module_new(w->bytes, w->size, &err);
  if (!m) fail_msg("unexpected failure: %s", err.message);
  return m;
}

/* Expect CM_INVALID in function `func` at byte `at` of its body. */
static void expect_invalid_at(const wasm *w, uint32_t func, size_t at,
                              const char *words) {
  cm_error err;
  cm_module *m = cm_module_new(w->bytes, w->size, &err);
  assert_null(m);
  assert_int_equal(err.status, CM_INVALID);
  assert_int_equal(err.func, func);
  assert_int_equal(err.offset, w->body + at);
  if (!strstr(err.message, words)) fail_msg("message: %s", err.message);
}

/* Expect CM_INVALID outside any function. */
static void expect_module_invalid(const wasm *w, const char *words) {
  cm_error err;
  cm_module *m = cm_module_new(w->bytes, w->size, &err);
  assert_null(m);
  assert_int_equal(err.status, CM_INVALID);
  assert_int_equal(err.func, UINT32_MAX);
  if (!strstr(err.message, words)) fail_msg("message: %s", err.message);
}

typedef struct {
  uint16_t op, x;
  uint32_t a;
  uint64_t b;
} insn;

static void expect_code(const cm_code *c, const insn *want, size_t n) {
  assert_int_equal(c->ncode, n);
  for (size_t i = 0; i < n; i++) {
    const cm_insn *got = &c->code[i];
    if (got->op != want[i].op || got->x != want[i].x || got->a != want[i].a ||
        got->b != want[i].b)
      fail_msg("insn %zu: got op %#x x %u a %u b %llu, want op %#x x %u a %u "
               "b %llu",
               i, got->op, got->x, got->a, (unsigned long long)got->b,
               want[i].op, want[i].x, want[i].a,
               (unsigned long long)want[i].b);
  }
}

#define TYPE_V_V 0x60, 0x00, 0x00             /* [] -> [] */
#define TYPE_V_I 0x60, 0x00, 0x01, 0x7f       /* [] -> [i32] */
#define TYPE_I_I 0x60, 0x01, 0x7f, 0x01, 0x7f /* [i32] -> [i32] */

/* ---- Compiled code ---- */

static void test_compile_constant_return(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x41, 0x7f, 0x0b); /* i32.const -1 */
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x41, 0, 0, 0xffffffffu}, /* i32 zero-extended */
      {0x0f, 1, 0, 0},           /* final end: return 1 value */
  };
  expect_code(&m->codes[0], want, 2);
  assert_int_equal(m->codes[0].max_height, 1);
  cm_module_free(m);
}

static void test_compile_block_br_if_targets_after_end(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_I_I);
  CODE(&w, 0x00,
       0x02, 0x7f,       /* block (result i32) */
       0x41, 0x07,       /*   i32.const 7 */
       0x20, 0x00,       /*   local.get 0 */
       0x0d, 0x00,       /*   br_if 0 */
       0x1a,             /*   drop */
       0x41, 0x08,       /*   i32.const 8 */
       0x0b,             /* end: emits nothing */
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x41, 0, 0, 7},
      {CM_OP_BR_IF_LOCAL, 0, 0, 0}, /* local.get; br_if: a superinstruction */
      {0x0d, 1, 5, 1}, /* to index 5, carry 1 value to height 1 (after
                          the one local) */
      {0x1a, 0, 0, 0},
      {0x41, 0, 0, 8},
      {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 6);
  assert_int_equal(m->codes[0].max_height, 3);
  cm_module_free(m);
}

static void test_compile_loop_branches_back_to_its_start(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_I_I);
  CODE(&w, 0x00,
       0x41, 0x00, 0x1a, /* i32.const 0; drop */
       0x03, 0x40,       /* loop */
       0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, /* local 0 -= 1 */
       0x0d, 0x00,       /*   br_if 0 */
       0x0b,
       0x20, 0x00, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x41, 0, 0, 0}, {0x1a, 0, 0, 0},
      /* loop start: index 2; local.get 0; i32.const 1; i32.sub;
       * local.tee 0 is one superinstruction (module.h) in the first insn
       * of its run */
      {CM_FUSED_OP(CM_FORM_LC_TEE, 0x6b), 0, 0, 1},
      {0x41, 0, 0, 1}, {0x6b, 0, 0, 0}, {0x22, 0, 0, 0},
      {0x0d, 0, 2, 1}, /* back to 2, no values, height 1 */
      {0x20, 0, 0, 0}, {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 9);
  cm_module_free(m);
}

/* Run export "f" of m with one i32 argument; its i32 result, and the
 * instructions the invocation executed in *count. */
static uint32_t run_f(const cm_module *m, uint32_t arg, uint64_t *count) {
  cm_store_limits limits = cm_store_default_limits();
  cm_store *s = cm_store_new(&limits);
  cm_error err;
  cm_instance *inst = cm_instantiate(s, m, NULL, 0, &err);
  assert_non_null(inst);
  cm_extern f;
  assert_true(cm_instance_export(inst, "f", &f));
  cm_val args[1] = {{CM_I32, arg, 0}}, results[1];
  if (cm_invoke(s, f.as.func, args, results, &err) != CM_OK)
    fail_msg("f(%u) failed: %s", arg, err.message);
  *count = cm_store_instructions(s);
  cm_store_free(s);
  return (uint32_t)results[0].bits;
}

/* Superinstructions (module.h) keep every insn in place and count as the
 * insns they stand for; a run with a branch target inside is not fused. */
static void test_superinstructions_count_and_respect_targets(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  SECTION(&w, 0x01, 0x02, TYPE_I_I, 0x60, 0x01, 0x7f, 0x00); /* 1: [i32]->[] */
  SECTION(&w, 0x03, 0x01, 0x00);
  SECTION(&w, 0x07, 0x01, 0x01, 0x66, 0x00, 0x00); /* export "f" */
  CODE(&w, 0x01, 0x01, 0x7f, /* local 1: i32, the sum */
       0x20, 0x00,           /* local.get 0 */
       0x03, 0x01,           /* loop (type 1): its start splits the run */
       0x41, 0x01, 0x6b,     /*   i32.const 1; i32.sub */
       0x22, 0x00,           /*   local.tee 0 */
       0x20, 0x01, 0x6a,     /*   local.get 1; i32.add */
       0x21, 0x01,           /*   local.set 1 */
       0x20, 0x00,           /*   local.get 0 (the loop's param) */
       0x20, 0x00, 0x20, 0x00, 0x6a, /* local.get 0; local.get 0; i32.add */
       0x41, 0x00, 0x4a,     /*   i32.const 0; i32.gt_s */
       0x0d, 0x00,           /*   br_if 0 */
       0x1a,                 /*   drop */
       0x0b,
       0x20, 0x01, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x20, 0, 0, 0}, /* not fused: the next insn is a branch target */
      {CM_FUSED_OP(CM_FORM_SC, 0x6b), 0, 0, 1}, {0x6b, 0, 0, 0},
      {0x22, 0, 0, 0},
      {CM_FUSED_OP(CM_FORM_SL, 0x6a), 0, 1, 0}, {0x6a, 0, 0, 0},
      {0x21, 0, 1, 0},
      {0x20, 0, 0, 0},
      {CM_FUSED_OP(CM_FORM_LL, 0x6a), 0, 0, 0}, {0x20, 0, 0, 0},
      {0x6a, 0, 0, 0},
      {CM_FUSED_OP(CM_FORM_BR_SC, 0x4a), 0, 0, 0}, {0x4a, 0, 0, 0},
      {0x0d, 1, 1, 2}, /* back to 1 with the param, at height 2 */
      {0x1a, 0, 0, 0},
      {0x20, 0, 1, 0}, {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, sizeof want / sizeof *want);
  /* f(10) sums 9 + 8 + ... + 0 in 10 rounds of 13 insns, plus the
   * local.get before the loop and drop, local.get, return after it. */
  uint64_t count = 0;
  assert_int_equal(run_f(m, 10, &count), 45);
  assert_int_equal(count, 1 + 10 * 13 + 3);
  cm_module_free(m);
}

/* The pairs with opcodes of their own (module.h) do what the pair does,
 * count two, and a trap in the second insn names that insn. */
static void test_superinstruction_pairs(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_I_I);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);             /* memory 1 page */
  SECTION(&w, 0x07, 0x01, 0x01, 0x66, 0x00, 0x00); /* export "f" */
  CODE(&w, 0x01, 0x02, 0x7f,   /* locals 1, 2: i32 */
       0x20, 0x00, 0x21, 0x01, /* local.get 0; local.set 1 */
       0x41, 0x07, 0x21, 0x02, /* i32.const 7; local.set 2 */
       0x20, 0x01,             /* local.get 1 (the address) */
       0x20, 0x02, 0x36, 0x02, 0x00, /* local.get 2; i32.store */
       0x20, 0x01, 0x28, 0x02, 0x00, /* local.get 1; i32.load */
       0x41, 0x05, 0x6a,       /* i32.const 5; i32.add */
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {CM_OP_LOCAL_COPY, 0, 0, 1}, {0x21, 0, 1, 0},
      {CM_OP_CONST_TO_LOCAL, 0, 2, 7}, {0x21, 0, 2, 0},
      {0x20, 0, 1, 0},
      {CM_OP_LOCAL_STORE + 0, 0, 2, 0}, {0x36, 0, 2, 0},
      {CM_OP_LOCAL_LOAD + 0, 0, 1, 0}, {0x28, 0, 2, 0},
      {CM_FUSED_OP(CM_FORM_SC, 0x6a), 0, 0, 5}, {0x6a, 0, 0, 0},
      {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, sizeof want / sizeof *want);
  uint64_t count = 0;
  assert_int_equal(run_f(m, 16, &count), 12);
  assert_int_equal(count, 12);

  /* An address past the memory: the store (insn 6) traps after 7 insns. */
  cm_store_limits limits = cm_store_default_limits();
  cm_store *s = cm_store_new(&limits);
  cm_error err;
  cm_instance *inst = cm_instantiate(s, m, NULL, 0, &err);
  assert_non_null(inst);
  cm_extern f;
  assert_true(cm_instance_export(inst, "f", &f));
  cm_val args[1] = {{CM_I32, 65536, 0}}, results[1];
  assert_int_equal(cm_invoke(s, f.as.func, args, results, &err), CM_TRAP);
  assert_int_equal(err.trap, CM_TRAP_MEMORY_OOB);
  if (!strstr(err.message, "instruction 6)"))
    fail_msg("message: %s", err.message);
  assert_int_equal(cm_store_instructions(s), 7);
  cm_store_free(s);
  cm_module_free(m);
}

static void test_compile_if_else_targets(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_I_I);
  CODE(&w, 0x00,
       0x20, 0x00,       /* local.get 0 */
       0x04, 0x7f,       /* if (result i32) */
       0x41, 0x01,       /*   i32.const 1 */
       0x05,             /* else */
       0x41, 0x02,       /*   i32.const 2 */
       0x0b, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x20, 0, 0, 0},
      {0x04, 0, 4, 0}, /* false: first insn of the else arm */
      {0x41, 0, 0, 1},
      {0x05, 0, 5, 0}, /* then arm jumps past the end */
      {0x41, 0, 0, 2},
      {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 6);
  cm_module_free(m);
}

static void test_compile_if_without_else_targets_end(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_I_I);
  CODE(&w, 0x00,
       0x20, 0x00, 0x04, 0x40,       /* local.get 0; if */
       0x41, 0x05, 0x21, 0x00, 0x0b, /*   local 0 = 5; end */
       0x20, 0x00, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x20, 0, 0, 0}, {0x04, 0, 4, 0}, {CM_OP_CONST_TO_LOCAL, 0, 0, 5},
      {0x21, 0, 0, 0}, {0x20, 0, 0, 0}, {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 6);
  cm_module_free(m);
}

static void test_compile_br_table_entries(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_I_I);
  CODE(&w, 0x00,
       0x02, 0x40,             /* block $outer */
       0x02, 0x40,             /*   block $inner */
       0x20, 0x00,             /*     local.get 0 */
       0x0e, 0x01, 0x00, 0x01, /*     br_table $inner $outer */
       0x0b,                   /*   end */
       0x41, 0x0a, 0x0f,       /*   return 10 */
       0x0b,                   /* end */
       0x41, 0x14, 0x0b);      /* 20 */
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x20, 0, 0, 0},
      {0x0e, 0, 1, 0},                   /* one label and the default */
      {CM_OP_BR_TABLE_ENTRY, 0, 4, 1},   /* $inner: after its end */
      {CM_OP_BR_TABLE_ENTRY, 0, 6, 1},   /* default $outer */
      {0x41, 0, 0, 10},
      {0x0f, 1, 0, 0},
      {0x41, 0, 0, 20},
      {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 8);
  cm_module_free(m);
}

static void test_compile_multi_value_block_with_params(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  SECTION(&w, 0x01, 0x02,
          0x60, 0x00, 0x02, 0x7f, 0x7f,       /* type 0: [] -> [i32 i32] */
          0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f); /* type 1: [i32 i32]->[i32] */
  SECTION(&w, 0x03, 0x01, 0x00);
  CODE(&w, 0x01, 0x01, 0x7e,   /* one i64 local */
       0x41, 0x05,             /* i32.const 5 */
       0x41, 0x01, 0x41, 0x02, /* i32.const 1; i32.const 2 */
       0x02, 0x01,             /* block (type 1): params 1 2 */
       0x6a,                   /*   i32.add */
       0x0c, 0x00,             /*   br 0 */
       0x0b,
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      /* i32.const 2; i32.add: one superinstruction (no branch enters
       * the block at its start) */
      {0x41, 0, 0, 5}, {0x41, 0, 0, 1}, {CM_FUSED_OP(CM_FORM_SC, 0x6a), 0, 0, 2},
      {0x6a, 0, 0, 0},
      {0x0c, 1, 5, 2}, /* the block's label sits above the local and the 5 */
      {0x0f, 2, 0, 0},
  };
  expect_code(&m->codes[0], want, 6);
  assert_int_equal(m->codes[0].max_height, 4);
  cm_module_free(m);
}

static void test_compile_loop_label_carries_params(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  SECTION(&w, 0x01, 0x02, TYPE_I_I, 0x60, 0x01, 0x7f, 0x00);
  SECTION(&w, 0x03, 0x01, 0x00);
  CODE(&w, 0x00,
       0x20, 0x00,       /* local.get 0 */
       0x03, 0x01,       /* loop (type 1): [i32] -> [] */
       0x20, 0x00,       /*   local.get 0 */
       0x0d, 0x00,       /*   br_if 0: carries the i32 param */
       0x1a,             /*   drop */
       0x0b,
       0x41, 0x00, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      /* the second local.get (the loop start: a run may begin at a
       * target) and the br_if make a superinstruction */
      {0x20, 0, 0, 0}, {CM_OP_BR_IF_LOCAL, 0, 0, 0},
      {0x0d, 1, 1, 1}, /* loop start 1, one value, height 1 */
      {0x1a, 0, 0, 0}, {0x41, 0, 0, 0}, {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 6);
  cm_module_free(m);
}

static void test_compile_br_to_function_label_targets_return(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x41, 0x01, 0x41, 0x02, 0x0c, 0x00, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x41, 0, 0, 1}, {0x41, 0, 0, 2},
      {0x0c, 1, 3, 0}, /* to the final return, keeping the top value */
      {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 4);
  cm_module_free(m);
}

static void test_compile_unreachable_stack_is_polymorphic(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x00, 0x6a, 0x0b); /* unreachable; i32.add */
  cm_module *m = expect_valid(&w);
  const insn want[] = {{0x00, 0, 0, 0}, {0x6a, 0, 0, 0}, {0x0f, 1, 0, 0}};
  expect_code(&m->codes[0], want, 3);
  cm_module_free(m);
}

static void test_compile_memory_and_calls(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  SECTION(&w, 0x01, 0x01, TYPE_I_I);
  SECTION(&w, 0x03, 0x01, 0x00);
  SECTION(&w, 0x04, 0x01, 0x70, 0x00, 0x01);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  CODE(&w, 0x00,
       0x20, 0x00, 0x28, 0x02, 0x10, /* i32.load align=4 offset=16 */
       0x20, 0x00, 0x11, 0x00, 0x00, /* call_indirect type 0 table 0 */
       0x10, 0x00,                   /* call 0 */
       0x3f, 0x00, 0x6a,             /* memory.size; i32.add */
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {CM_OP_LOCAL_LOAD + 0, 0, 0, 16}, /* local.get; i32.load offset 16 */
      {0x28, 0, 2, 16}, {0x20, 0, 0, 0},
      {0x11, 0, 0, 0}, {0x10, 0, 0, 0},  {0x3f, 0, 0, 0},
      {0x6a, 0, 0, 0}, {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 8);
  assert_int_equal(m->codes[0].max_height, 3);
  cm_module_free(m);
}

static void test_compile_bulk_and_table_ops(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x04, 0x02, 0x70, 0x00, 0x01, 0x70, 0x00, 0x01);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  SECTION(&w, 0x09, 0x01, 0x01, 0x00, 0x00);  /* passive, no items */
  SECTION(&w, 0x0c, 0x01);                     /* data count 1 */
  CODE(&w, 0x00,
       0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
       0xfc, 0x0c, 0x00, 0x01,      /* table.init elem 0 table 1 */
       0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
       0xfc, 0x0e, 0x01, 0x00,      /* table.copy 1 <- 0 */
       0x41, 0x00, 0x41, 0x00, 0x41, 0x00,
       0xfc, 0x08, 0x00, 0x00,      /* memory.init 0 */
       0xfc, 0x09, 0x00,            /* data.drop 0 */
       0xfc, 0x0d, 0x00,            /* elem.drop 0 */
       0x0b);
  SECTION(&w, 0x0b, 0x01, 0x01, 0x00);
  cm_module *m = expect_valid(&w);
  const cm_code *c = &m->codes[0];
  assert_int_equal(c->ncode, 15);
  assert_int_equal(c->code[3].op, CM_OP_FC + 12);
  assert_int_equal(c->code[3].a, 0);
  assert_int_equal(c->code[3].b, 1);
  assert_int_equal(c->code[7].op, CM_OP_FC + 14);
  assert_int_equal(c->code[7].a, 1);
  assert_int_equal(c->code[7].b, 0);
  assert_int_equal(c->code[11].op, CM_OP_FC + 8);
  assert_int_equal(c->code[12].op, CM_OP_FC + 9);
  assert_int_equal(c->code[13].op, CM_OP_FC + 13);
  assert_int_equal(c->code[14].op, 0x0f);
  cm_module_free(m);
}

/* ---- Invalid function bodies ---- */

static void test_invalid_result_type_reported_at_end(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x42, 0x00, 0x0b); /* i64.const 0 for an i32 result */
  expect_invalid_at(&w, 0, 3, "type mismatch");
}

static void test_invalid_indices(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x01, 0x20, 0x05, 0x1a, 0x0b); /* nop; local.get 5 */
  expect_invalid_at(&w, 0, 2, "unknown local");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x23, 0x00, 0x1a, 0x0b);
  expect_invalid_at(&w, 0, 1, "unknown global");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x0c, 0x01, 0x0b);
  expect_invalid_at(&w, 0, 1, "unknown label");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x10, 0x01, 0x0b);
  expect_invalid_at(&w, 0, 1, "unknown function");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x02, 0x07, 0x0b, 0x0b); /* block (type 7) */
  expect_invalid_at(&w, 0, 1, "unknown type");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b); /* no table */
  expect_invalid_at(&w, 0, 3, "unknown table");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x3f, 0x00, 0x1a, 0x0b); /* no memory */
  expect_invalid_at(&w, 0, 1, "unknown memory");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x07, 0x01, 0x01, 0x66, 0x00, 0x00);
  CODE(&w, 0x00, 0xd2, 0x01, 0x1a, 0x0b); /* ref.func 1 */
  expect_invalid_at(&w, 0, 1, "unknown function");
}

static void test_invalid_call_indirect_through_externref_table(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x04, 0x01, 0x6f, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x11, 0x00, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "type mismatch");
}

static size_t put_leb(uint8_t *p, uint32_t v) {
  size_t n = 0;
  do {
    p[n] = (uint8_t)((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    v >>= 7;
    n++;
  } while (v);
  return n;
}

/* cm_insn keeps arities in 16 bits: a wider label is refused, not cut. */
static void test_label_arity_implementation_limit(void **state) {
  (void)state;
  const uint32_t nresults = 65536;
  uint8_t *bytes = malloc(nresults + 64);
  assert_non_null(bytes);
  static const uint8_t header[] = {0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0};
  size_t n = 0;
  memcpy(bytes, header, sizeof header);
  n += sizeof header;
  bytes[n++] = 0x01; /* type section: 1 type, [] -> [i32 x 65536] */
  n += put_leb(bytes + n, nresults + 6);
  bytes[n++] = 0x01;
  bytes[n++] = 0x60;
  bytes[n++] = 0x00;
  n += put_leb(bytes + n, nresults);
  memset(bytes + n, 0x7f, nresults);
  n += nresults;
  static const uint8_t rest[] = {
      0x03, 0x02, 0x01, 0x00,                  /* one function */
      0x0a, 0x05, 0x01, 0x03, 0x00, 0x00, 0x0b /* unreachable; end */
  };
  memcpy(bytes + n, rest, sizeof rest);
  n += sizeof rest;
  cm_error err;
  assert_null(cm_module_new(bytes, n, &err));
  assert_int_equal(err.status, CM_INVALID);
  assert_int_equal(err.offset, n - 1); /* the final end */
  assert_non_null(strstr(err.message, "implementation limit"));
  free(bytes);
}

static void test_invalid_immutable_global(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b);
  CODE(&w, 0x00, 0x41, 0x01, 0x24, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "global is immutable");
}

static void test_invalid_alignment(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x2c, 0x01, 0x00, 0x1a, 0x0b); /* load8 a=2 */
  expect_invalid_at(&w, 0, 3, "alignment must not be larger than natural");
}

/* ---- SIMD: a v128 takes two cells ---- */

#define TYPE_V_X 0x60, 0x00, 0x01, 0x7b /* [] -> [v128] */
/* v128.const with the bytes 0x00 .. 0x0f */
#define V128_CONST                                                           \
  0xfd, 0x0c, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09,    \
      0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f

/* Locals, branch and return arities, drop and select, all in cells: the
 * v128 parameter is cells 0-1, the i32 cell 2, the v128 local cells 3-4. */
static void test_compile_v128_takes_two_cells(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, 0x60, 0x02, 0x7b, 0x7f, 0x01, 0x7b); /* v128 i32 -> v128 */
  CODE(&w, 0x01, 0x01, 0x7b, /* one v128 local */
       0x20, 0x00,           /* local.get 0 */
       0x21, 0x02,           /* local.set 2 */
       0x20, 0x01,           /* local.get 1 */
       0x1a,                 /* drop */
       0x02, 0x7b,           /* block (result v128) */
       0x20, 0x02,           /*   local.get 2 */
       0x0c, 0x00,           /*   br 0 */
       0x0b,                 /* end */
       0x20, 0x00,           /* local.get 0 */
       0x20, 0x01,           /* local.get 1 */
       0x1b,                 /* select */
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {CM_OP_LOCAL_GET_V128, 0, 0, 0},
      {CM_OP_LOCAL_SET_V128, 0, 3, 0},
      {0x20, 0, 2, 0},
      {0x1a, 0, 0, 0},
      {CM_OP_LOCAL_GET_V128, 0, 3, 0},
      {0x0c, 2, 6, 5}, /* carry 2 cells to height 5 (after the locals) */
      {CM_OP_LOCAL_GET_V128, 0, 0, 0},
      {0x20, 0, 2, 0},
      {CM_OP_SELECT_V128, 0, 0, 0},
      {0x0f, 2, 0, 0}, /* return 2 cells */
  };
  expect_code(&m->codes[0], want, 10);
  assert_int_equal(m->codes[0].local_cells, 5);
  assert_int_equal(m->codes[0].max_height, 10); /* locals, v128 v128 i32 */
  cm_module_free(m);
}

/* v128.const as two insns; a pure instruction as V128_PURE with its
 * subopcode, lane and operand shape (one v128 operand, a scalar result). */
static void test_compile_simd_const_and_pure(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, V128_CONST, 0xfd, 0x1b, 0x02, /* i32x4.extract_lane 2 */
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {CM_OP_FD + 0x0c, 0, 0, UINT64_C(0x0706050403020100)},
      {CM_OP_V128_DATA, 0, 0, UINT64_C(0x0f0e0d0c0b0a0908)},
      {CM_OP_V128_PURE, 2, 0x1b, 1u | 1u << 2},
      {0x0f, 1, 0, 0},
  };
  expect_code(&m->codes[0], want, 4);
  assert_int_equal(m->codes[0].max_height, 2);
  cm_module_free(m);
}

static void test_compile_simd_memory(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_X);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x41, 0x00, /* i32.const 0, i32.const 0 */
       0xfd, 0x00, 0x04, 0x10,           /* v128.load align=16 offset=16 */
       0xfd, 0x54, 0x00, 0x00, 0x0f,     /* v128.load8_lane 0 0 lane 15 */
       0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x41, 0, 0, 0},
      {0x41, 0, 0, 0},
      {CM_OP_FD + 0x00, 0, 4, 16},
      {CM_OP_FD + 0x54, 15, 0, 0},
      {0x0f, 2, 0, 0},
  };
  expect_code(&m->codes[0], want, 5);
  assert_int_equal(m->codes[0].max_height, 3); /* address + v128 */
  cm_module_free(m);
}

static void test_invalid_simd(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, V128_CONST, 0xfd, 0x1b, 0x04, 0x0b); /* extract_lane 4 */
  expect_invalid_at(&w, 0, 19, "invalid lane index");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_X);
  CODE(&w, 0x00, V128_CONST, V128_CONST, 0xfd, 0x0d, /* i8x16.shuffle */
       0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32, 0x0b);
  expect_invalid_at(&w, 0, 37, "invalid lane index");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_X);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0xfd, 0x00, 0x05, 0x00, 0x0b); /* align=32 */
  expect_invalid_at(&w, 0, 3, "alignment must not be larger than natural");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_X);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, V128_CONST, 0xfd, 0x54, 0x00, 0x00, 0x10,
       0x0b); /* v128.load8_lane lane 16 */
  expect_invalid_at(&w, 0, 21, "invalid lane index");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_X);
  CODE(&w, 0x00, 0x41, 0x00, 0xfd, 0x0f, 0x0b); /* i8x16.splat */
  cm_module *m = expect_valid(&w);
  cm_module_free(m);

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x42, 0x00, 0xfd, 0x53, 0x0b); /* any_true of an i64 */
  expect_invalid_at(&w, 0, 3, "type mismatch");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, V128_CONST, 0x45, 0x0b); /* i32.eqz of a v128 */
  expect_invalid_at(&w, 0, 19, "type mismatch");
}

static void test_invalid_if_without_else_changing_types(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x41, 0x01, 0x04, 0x7f, 0x41, 0x01, 0x0b, 0x0b);
  expect_invalid_at(&w, 0, 7, "type mismatch");
}

static void test_invalid_br_table_arity(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00,
       0x02, 0x40, 0x02, 0x7f,       /* block; block (result i32) */
       0x41, 0x00, 0x41, 0x00,       /* 0 0 */
       0x0e, 0x01, 0x00, 0x01,       /* br_table: arity 1 and 0 */
       0x0b, 0x1a, 0x0b, 0x0b);
  expect_invalid_at(&w, 0, 9, "type mismatch");
}

static void test_br_table_accepts_any_operands_when_unreachable(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00,
       0x02, 0x7f, 0x02, 0x7d,       /* block (result i32) block (result f32) */
       0x00,                         /* unreachable */
       0x0e, 0x01, 0x00, 0x01,       /* br_table to both labels */
       0x0b, 0x1a, 0x41, 0x00, 0x0b, 0x1a, 0x0b);
  cm_module_free(expect_valid(&w));
}

static void test_invalid_select(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0xd0, 0x70, 0xd0, 0x70, 0x41, 0x01, 0x1b, 0x1a, 0x0b);
  expect_invalid_at(&w, 0, 7, "type mismatch"); /* untyped on references */

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x41, 0x01, 0x41, 0x01, 0x41, 0x01,
       0x1c, 0x02, 0x7f, 0x7f, 0x1a, 0x0b);
  expect_invalid_at(&w, 0, 7, "invalid result arity");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0xd0, 0x70, 0xd0, 0x70, 0x41, 0x01,
       0x1c, 0x01, 0x70, 0x1a, 0x0b);   /* typed select on funcref */
  cm_module_free(expect_valid(&w));
}

static void test_ref_func_needs_declaration(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0xd2, 0x00, 0x1a, 0x0b);
  expect_invalid_at(&w, 0, 1, "undeclared function reference");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x07, 0x01, 0x01, 0x66, 0x00, 0x00); /* export "f" */
  CODE(&w, 0x00, 0xd2, 0x00, 0x1a, 0x0b);
  cm_module_free(expect_valid(&w));

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x09, 0x01, 0x03, 0x00, 0x01, 0x00); /* declarative elem */
  CODE(&w, 0x00, 0xd2, 0x00, 0x1a, 0x0b);
  cm_module_free(expect_valid(&w));
}

static void test_segment_indices_in_code(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x0c, 0x00);            /* data count 0 */
  CODE(&w, 0x00, 0xfc, 0x09, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 1, "unknown data segment");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0xfc, 0x0d, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 1, "unknown elem segment");
}

static void test_invalid_error_names_the_function(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  SECTION(&w, 0x01, 0x01, TYPE_V_V);
  SECTION(&w, 0x02, 0x01, 0x01, 0x6d, 0x01, 0x66, 0x00, 0x00);
  SECTION(&w, 0x03, 0x01, 0x00);
  CODE(&w, 0x00, 0x6a, 0x0b); /* i32.add on an empty stack */
  expect_invalid_at(&w, 1, 1, "type mismatch"); /* after the import */
}

/* ---- Module-level rules ---- */

static void test_memory_limits(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  SECTION(&w, 0x05, 0x01, 0x00, 0x81, 0x80, 0x04); /* 65537 pages */
  expect_module_invalid(&w, "memory size must be at most 65536 pages");

  begin(&w);
  SECTION(&w, 0x05, 0x01, 0x01, 0x02, 0x01); /* min 2 > max 1 */
  expect_module_invalid(&w, "size minimum must not be greater than maximum");

  begin(&w);
  begin(&w);
  SECTION(&w, 0x05, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40);
  cm_module_free(expect_valid(&w)); /* 2^48 pages, 64-bit */

  begin(&w);
  SECTION(&w, 0x05, 0x01, 0x04, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40);
  expect_module_invalid(&w, "memory size must be at most 2^48 pages");
}

static void test_memory64_address_types(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x05, 0x01, 0x04, 0x01);
  CODE(&w, 0x00, 0x42, 0x00, 0x28, 0x02, 0x00, 0x1a,    /* load at i64 */
       0x42, 0x01, 0x40, 0x00, 0x1a,                    /* grow i64 */
       0x42, 0x00, 0x41, 0x00, 0x42, 0x00, 0xfc, 0x0b, 0x00, /* fill */
       0x0b);
  cm_module_free(expect_valid(&w));

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x05, 0x01, 0x04, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x28, 0x02, 0x00, 0x1a, 0x0b);
  expect_invalid_at(&w, 0, 3, "type mismatch"); /* i32 address */
}

static void test_duplicate_export_name(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x07, 0x02, 0x01, 0x66, 0x00, 0x00, 0x01, 0x66, 0x00, 0x00);
  CODE(&w, 0x00, 0x0b);
  expect_module_invalid(&w, "duplicate export name");

  begin(&w); /* "" and "\0" are different names */
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x07, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00);
  CODE(&w, 0x00, 0x0b);
  cm_module_free(expect_valid(&w));

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x07, 0x01, 0x01, 0x66, 0x03, 0x00); /* global 0 */
  CODE(&w, 0x00, 0x0b);
  expect_module_invalid(&w, "unknown global");
}

static void test_start_function_type(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_I);
  SECTION(&w, 0x08, 0x00);
  CODE(&w, 0x00, 0x41, 0x00, 0x0b);
  expect_module_invalid(&w, "start function");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x08, 0x01);
  CODE(&w, 0x00, 0x0b);
  expect_module_invalid(&w, "unknown function");
}

static void test_constant_expressions(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* global.get of a global defined here */
  SECTION(&w, 0x06, 0x02, 0x7f, 0x00, 0x41, 0x00, 0x0b,
          0x7f, 0x00, 0x23, 0x00, 0x0b);
  expect_module_invalid(&w, "unknown global");

  begin(&w); /* of an imported mutable global */
  SECTION(&w, 0x02, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x03, 0x7f, 0x01);
  SECTION(&w, 0x06, 0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b);
  expect_module_invalid(&w, "constant expression required");

  begin(&w); /* of an imported immutable one */
  SECTION(&w, 0x02, 0x01, 0x01, 0x6d, 0x01, 0x67, 0x03, 0x7f, 0x00);
  SECTION(&w, 0x06, 0x01, 0x7f, 0x00, 0x23, 0x00, 0x0b);
  cm_module_free(expect_valid(&w));

  begin(&w);
  SECTION(&w, 0x06, 0x01, 0x7f, 0x00, 0x42, 0x00, 0x0b); /* i64 for i32 */
  expect_module_invalid(&w, "type mismatch");

  begin(&w);
  SECTION(&w, 0x06, 0x01, 0x7f, 0x00, 0x0b); /* empty */
  expect_module_invalid(&w, "type mismatch");

  begin(&w);
  SECTION(&w, 0x06, 0x01, 0x7f, 0x00, 0x41, 0x00, 0x01, 0x0b); /* nop */
  expect_module_invalid(&w, "constant expression required");

  begin(&w); /* a ref.func in a global declares the function */
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x06, 0x01, 0x70, 0x00, 0xd2, 0x00, 0x0b);
  CODE(&w, 0x00, 0xd2, 0x00, 0x1a, 0x0b);
  cm_module_free(expect_valid(&w));
}

static void test_segments(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* externref segment into a funcref table */
  SECTION(&w, 0x04, 0x01, 0x70, 0x00, 0x01);
  SECTION(&w, 0x09, 0x01, 0x06, 0x00, 0x41, 0x00, 0x0b, 0x6f, 0x00);
  expect_module_invalid(&w, "type mismatch");

  begin(&w);
  SECTION(&w, 0x09, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x00); /* no table */
  expect_module_invalid(&w, "unknown table");

  begin(&w);
  SECTION(&w, 0x0b, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x00); /* no memory */
  expect_module_invalid(&w, "unknown memory");

  begin(&w);
  SECTION(&w, 0x05, 0x01, 0x00, 0x01);
  SECTION(&w, 0x0b, 0x01, 0x02, 0x01, 0x41, 0x00, 0x0b, 0x00); /* memory 1 */
  expect_module_invalid(&w, "unknown memory 1");

  begin(&w);
  SECTION(&w, 0x05, 0x01, 0x04, 0x01);
  SECTION(&w, 0x0b, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x00); /* i32 offset */
  expect_module_invalid(&w, "type mismatch");

  begin(&w);
  SECTION(&w, 0x09, 0x01, 0x05, 0x70, 0x01, 0xd2, 0x03, 0x0b); /* func 3 */
  expect_module_invalid(&w, "unknown function");
}

/* ---- Tail calls ---- */

/* Two functions of types 0 and 1 (two complete type entries), then their
 * code section; w->body is the first body's locals. */
#define TWO_FUNCTIONS(w, ...)                                                \
  do {                                                                       \
    SECTION(w, 0x01, 0x02, __VA_ARGS__);                                     \
    SECTION(w, 0x03, 0x02, 0x00, 0x01);                                      \
  } while (0)
#define TWO_BODIES(w, ...)                                                   \
  do {                                                                       \
    (w)->body = (w)->size + 4; /* id, size, count, first body's size */      \
    SECTION(w, 0x0a, 0x02, __VA_ARGS__);                                     \
  } while (0)

static void test_return_call_compiles_and_sets_the_feature(void **state) {
  (void)state;
  wasm w;
  begin(&w);
  TWO_FUNCTIONS(&w, TYPE_V_I, TYPE_I_I);
  TWO_BODIES(&w, 0x08, 0x00, 0x42, 0x00, /* i64.const 0: dropped */
             0x41, 0x05, 0x12, 0x01, 0x0b, /* i32.const 5; return_call 1 */
             0x04, 0x00, 0x20, 0x00, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x42, 0, 0, 0},
      {0x41, 0, 0, 5},
      {0x12, 0, 1, 0}, /* a = function index */
      {0x0f, 1, 0, 0}, /* the final end, unreachable but emitted */
  };
  expect_code(&m->codes[0], want, 4);
  assert_true(cm_module_features(m) & CM_FEATURE_TAIL_CALL);
  cm_module_free(m);

  /* without a tail call, no feature */
  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x10, 0x00, 0x0b);
  m = expect_valid(&w);
  assert_false(cm_module_features(m) & CM_FEATURE_TAIL_CALL);
  cm_module_free(m);
}

static void test_return_call_results_must_equal_the_callers(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* [] -> [i32] tail-calls [] -> [] */
  TWO_FUNCTIONS(&w, TYPE_V_I, TYPE_V_V);
  TWO_BODIES(&w, 0x04, 0x00, 0x12, 0x01, 0x0b, 0x02, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 1, "type mismatch");

  begin(&w); /* [] -> [] tail-calls [] -> [i32] */
  TWO_FUNCTIONS(&w, TYPE_V_V, TYPE_V_I);
  TWO_BODIES(&w, 0x04, 0x00, 0x12, 0x01, 0x0b, 0x04, 0x00, 0x41, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 1, "type mismatch");

  begin(&w); /* [] -> [i32] tail-calls [] -> [i64] */
  TWO_FUNCTIONS(&w, TYPE_V_I, 0x60, 0x00, 0x01, 0x7e);
  TWO_BODIES(&w, 0x04, 0x00, 0x12, 0x01, 0x0b, 0x04, 0x00, 0x42, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 1, "type mismatch");

  begin(&w); /* an i64 argument for an i32 parameter */
  TWO_FUNCTIONS(&w, TYPE_V_I, TYPE_I_I);
  TWO_BODIES(&w, 0x06, 0x00, 0x42, 0x00, 0x12, 0x01, 0x0b,
             0x04, 0x00, 0x20, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "type mismatch");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x12, 0x01, 0x0b);
  expect_invalid_at(&w, 0, 1, "unknown function");
}

static void test_return_call_makes_the_stack_polymorphic(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* after return_call, i32.add pops unknown operands */
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x12, 0x00, 0x6a, 0x0b);
  cm_module_free(expect_valid(&w));

  begin(&w); /* but what is pushed after it is still checked */
  ONE_FUNCTION(&w, TYPE_V_I);
  CODE(&w, 0x00, 0x12, 0x00, 0x42, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 5, "type mismatch");
}

static void test_return_call_indirect_rules(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* type 1 ([] -> [i32]) from a [] -> [] function */
  SECTION(&w, 0x01, 0x02, TYPE_V_V, TYPE_V_I);
  SECTION(&w, 0x03, 0x01, 0x00);
  SECTION(&w, 0x04, 0x01, 0x70, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x13, 0x01, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "type mismatch");

  begin(&w); /* type 0, the function's own */
  SECTION(&w, 0x01, 0x02, TYPE_V_V, TYPE_V_I);
  SECTION(&w, 0x03, 0x01, 0x00);
  SECTION(&w, 0x04, 0x01, 0x70, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b);
  cm_module *m = expect_valid(&w);
  const insn want[] = {
      {0x41, 0, 0, 0},
      {0x13, 0, 0, 0}, /* a = type, b = table */
      {0x0f, 0, 0, 0},
  };
  expect_code(&m->codes[0], want, 3);
  assert_true(cm_module_features(m) & CM_FEATURE_TAIL_CALL);
  cm_module_free(m);

  begin(&w); /* through an externref table */
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x04, 0x01, 0x6f, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "type mismatch");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  CODE(&w, 0x00, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "unknown table");

  begin(&w);
  ONE_FUNCTION(&w, TYPE_V_V);
  SECTION(&w, 0x04, 0x01, 0x70, 0x00, 0x01);
  CODE(&w, 0x00, 0x41, 0x00, 0x13, 0x05, 0x00, 0x0b);
  expect_invalid_at(&w, 0, 3, "unknown type");
}

/* ---- 64-bit tables (memory64's table64 part) ---- */

/* A [] -> [] function with table 0 `(table i64 1 funcref)`, table 1
 * `(table 1 funcref)` and a passive funcref segment 0, whose body (after
 * its empty locals, before its end) is `ops`. */
static void tables_module(wasm *w, const uint8_t *ops, size_t n) {
  begin(w);
  ONE_FUNCTION(w, TYPE_V_V);
  SECTION(w, 0x04, 0x02, 0x70, 0x04, 0x01, 0x70, 0x00, 0x01);
  SECTION(w, 0x09, 0x01, 0x01, 0x00, 0x00);
  uint8_t head[4] = {0x0a, (uint8_t)(n + 4), 0x01, (uint8_t)(n + 2)};
  assert_true(n < 100);
  put(w, head, sizeof head);
  w->body = w->size;
  put(w, (const uint8_t[]){0x00}, 1);
  put(w, ops, n);
  put(w, (const uint8_t[]){0x0b}, 1);
}

#define TABLES_VALID(...)                                                    \
  do {                                                                       \
    static const uint8_t ops_[] = {__VA_ARGS__};                             \
    wasm w_;                                                                 \
    tables_module(&w_, ops_, sizeof ops_);                                   \
    cm_module *m_ = expect_valid(&w_);                                       \
    assert_true(cm_module_features(m_) & CM_FEATURE_TABLE64);                \
    cm_module_free(m_);                                                      \
  } while (0)
/* invalid: "type mismatch" at the instruction `at` bytes into ops */
#define TABLES_MISMATCH(at, ...)                                             \
  do {                                                                       \
    static const uint8_t ops_[] = {__VA_ARGS__};                             \
    wasm w_;                                                                 \
    tables_module(&w_, ops_, sizeof ops_);                                   \
    expect_invalid_at(&w_, 0, 1 + (at), "type mismatch");                    \
  } while (0)

#define I32_0 0x41, 0x00
#define I64_0 0x42, 0x00
#define NULL_FUNC 0xd0, 0x70

static void test_table64_index_types(void **state) {
  (void)state;
  /* table.get, table.set: the index */
  TABLES_VALID(I64_0, 0x25, 0x00, 0x1a);
  TABLES_MISMATCH(2, I32_0, 0x25, 0x00, 0x1a);
  TABLES_MISMATCH(2, I64_0, 0x25, 0x01, 0x1a); /* table 1 is 32-bit */
  TABLES_VALID(I64_0, NULL_FUNC, 0x26, 0x00);
  TABLES_MISMATCH(4, I32_0, NULL_FUNC, 0x26, 0x00);
  /* table.size: the result (i64.eqz takes it) */
  TABLES_VALID(0xfc, 0x10, 0x00, 0x50, 0x1a);
  TABLES_MISMATCH(3, 0xfc, 0x10, 0x00, 0x45, 0x1a);
  TABLES_VALID(0xfc, 0x10, 0x01, 0x45, 0x1a);
  /* table.grow: the delta and the result */
  TABLES_VALID(NULL_FUNC, 0x42, 0x01, 0xfc, 0x0f, 0x00, 0x50, 0x1a);
  TABLES_MISMATCH(4, NULL_FUNC, 0x41, 0x01, 0xfc, 0x0f, 0x00, 0x1a);
  TABLES_MISMATCH(7, NULL_FUNC, 0x42, 0x01, 0xfc, 0x0f, 0x00, 0x45, 0x1a);
  /* table.fill: index and count */
  TABLES_VALID(I64_0, NULL_FUNC, I64_0, 0xfc, 0x11, 0x00);
  TABLES_MISMATCH(6, I64_0, NULL_FUNC, I32_0, 0xfc, 0x11, 0x00);
  TABLES_MISMATCH(6, I32_0, NULL_FUNC, I64_0, 0xfc, 0x11, 0x00);
  /* table.init: the destination only; source and count stay i32 */
  TABLES_VALID(I64_0, I32_0, I32_0, 0xfc, 0x0c, 0x00, 0x00);
  TABLES_MISMATCH(6, I32_0, I32_0, I32_0, 0xfc, 0x0c, 0x00, 0x00);
  TABLES_MISMATCH(6, I64_0, I64_0, I32_0, 0xfc, 0x0c, 0x00, 0x00);
  TABLES_MISMATCH(6, I64_0, I32_0, I64_0, 0xfc, 0x0c, 0x00, 0x00);
  /* call_indirect and return_call_indirect: the index */
  TABLES_VALID(I64_0, 0x11, 0x00, 0x00);
  TABLES_MISMATCH(2, I32_0, 0x11, 0x00, 0x00);
  TABLES_MISMATCH(2, I64_0, 0x11, 0x00, 0x01);
  TABLES_VALID(I32_0, 0x11, 0x00, 0x01);
  TABLES_VALID(I64_0, 0x13, 0x00, 0x00);
  TABLES_MISMATCH(2, I32_0, 0x13, 0x00, 0x00);
}

/* table.copy d s: [iN iM iK], K = min(N, M) (the proposal's rule). */
static void test_table64_copy_mixes(void **state) {
  (void)state;
  TABLES_VALID(I64_0, I64_0, I64_0, 0xfc, 0x0e, 0x00, 0x00); /* 64 <- 64 */
  TABLES_MISMATCH(6, I64_0, I64_0, I32_0, 0xfc, 0x0e, 0x00, 0x00);
  TABLES_VALID(I64_0, I32_0, I32_0, 0xfc, 0x0e, 0x00, 0x01); /* 64 <- 32 */
  TABLES_MISMATCH(6, I64_0, I32_0, I64_0, 0xfc, 0x0e, 0x00, 0x01);
  TABLES_MISMATCH(6, I32_0, I32_0, I32_0, 0xfc, 0x0e, 0x00, 0x01);
  TABLES_VALID(I32_0, I64_0, I32_0, 0xfc, 0x0e, 0x01, 0x00); /* 32 <- 64 */
  TABLES_MISMATCH(6, I64_0, I64_0, I32_0, 0xfc, 0x0e, 0x01, 0x00);
  TABLES_MISMATCH(6, I32_0, I32_0, I32_0, 0xfc, 0x0e, 0x01, 0x00);
  TABLES_MISMATCH(6, I32_0, I64_0, I64_0, 0xfc, 0x0e, 0x01, 0x00);
}

static void test_table64_segments_and_limits(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* active segment into a 64-bit table: i64 offset */
  SECTION(&w, 0x04, 0x01, 0x70, 0x04, 0x01);
  SECTION(&w, 0x09, 0x01, 0x02, 0x00, I64_0, 0x0b, 0x00, 0x00);
  cm_module *m = expect_valid(&w);
  assert_true(cm_module_features(m) & CM_FEATURE_TABLE64);
  cm_module_free(m);

  begin(&w);
  SECTION(&w, 0x04, 0x01, 0x70, 0x04, 0x01);
  SECTION(&w, 0x09, 0x01, 0x02, 0x00, I32_0, 0x0b, 0x00, 0x00);
  expect_module_invalid(&w, "type mismatch");

  begin(&w); /* and i32 into a 32-bit one */
  SECTION(&w, 0x04, 0x01, 0x70, 0x00, 0x01);
  SECTION(&w, 0x09, 0x01, 0x02, 0x00, I64_0, 0x0b, 0x00, 0x00);
  expect_module_invalid(&w, "type mismatch");

  begin(&w); /* the short form (flags 0) names table 0 */
  SECTION(&w, 0x04, 0x01, 0x70, 0x04, 0x01);
  SECTION(&w, 0x09, 0x01, 0x00, I64_0, 0x0b, 0x00);
  cm_module_free(expect_valid(&w));

  begin(&w); /* limits beyond u32 are valid for a 64-bit table */
  SECTION(&w, 0x04, 0x01, 0x70, 0x05, 0x80, 0x80, 0x80, 0x80, 0x10, 0x80,
          0x80, 0x80, 0x80, 0x20); /* min 2^32, max 2^33 */
  cm_module_free(expect_valid(&w));

  begin(&w);
  SECTION(&w, 0x04, 0x01, 0x70, 0x05, 0x03, 0x02); /* min 3 > max 2 */
  expect_module_invalid(&w, "size minimum must not be greater than maximum");
}

#undef I32_0
#undef I64_0
#undef NULL_FUNC

/* A canister has one memory: a second one, defined or imported, is refused
 * with a message that names the missing feature. */
static void test_multi_memory_is_refused(void **state) {
  (void)state;
  wasm w;
  begin(&w); /* two defined */
  SECTION(&w, 0x05, 0x02, 0x00, 0x00, 0x00, 0x00);
  expect_module_invalid(&w, "multi-memory is not supported");

  begin(&w); /* one imported, one defined */
  SECTION(&w, 0x02, 0x01, 0x01, 'm', 0x01, 'a', 0x02, 0x00, 0x00);
  SECTION(&w, 0x05, 0x01, 0x00, 0x00);
  expect_module_invalid(&w, "multi-memory is not supported");

  begin(&w); /* two imported, one of them 64-bit */
  SECTION(&w, 0x02, 0x02, 0x01, 'm', 0x01, 'a', 0x02, 0x00, 0x00,
          0x01, 'm', 0x01, 'b', 0x02, 0x04, 0x00);
  expect_module_invalid(&w, "multi-memory is not supported");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_compile_constant_return),
      cmocka_unit_test(test_compile_block_br_if_targets_after_end),
      cmocka_unit_test(test_compile_loop_branches_back_to_its_start),
      cmocka_unit_test(test_superinstructions_count_and_respect_targets),
      cmocka_unit_test(test_superinstruction_pairs),
      cmocka_unit_test(test_compile_if_else_targets),
      cmocka_unit_test(test_compile_if_without_else_targets_end),
      cmocka_unit_test(test_compile_br_table_entries),
      cmocka_unit_test(test_compile_multi_value_block_with_params),
      cmocka_unit_test(test_compile_loop_label_carries_params),
      cmocka_unit_test(test_compile_br_to_function_label_targets_return),
      cmocka_unit_test(test_compile_unreachable_stack_is_polymorphic),
      cmocka_unit_test(test_compile_memory_and_calls),
      cmocka_unit_test(test_compile_bulk_and_table_ops),
      cmocka_unit_test(test_invalid_result_type_reported_at_end),
      cmocka_unit_test(test_invalid_indices),
      cmocka_unit_test(test_invalid_call_indirect_through_externref_table),
      cmocka_unit_test(test_label_arity_implementation_limit),
      cmocka_unit_test(test_invalid_immutable_global),
      cmocka_unit_test(test_invalid_alignment),
      cmocka_unit_test(test_compile_v128_takes_two_cells),
      cmocka_unit_test(test_compile_simd_const_and_pure),
      cmocka_unit_test(test_compile_simd_memory),
      cmocka_unit_test(test_invalid_simd),
      cmocka_unit_test(test_invalid_if_without_else_changing_types),
      cmocka_unit_test(test_invalid_br_table_arity),
      cmocka_unit_test(test_br_table_accepts_any_operands_when_unreachable),
      cmocka_unit_test(test_invalid_select),
      cmocka_unit_test(test_ref_func_needs_declaration),
      cmocka_unit_test(test_segment_indices_in_code),
      cmocka_unit_test(test_invalid_error_names_the_function),
      cmocka_unit_test(test_memory_limits),
      cmocka_unit_test(test_memory64_address_types),
      cmocka_unit_test(test_duplicate_export_name),
      cmocka_unit_test(test_start_function_type),
      cmocka_unit_test(test_constant_expressions),
      cmocka_unit_test(test_segments),
      cmocka_unit_test(test_return_call_compiles_and_sets_the_feature),
      cmocka_unit_test(test_return_call_results_must_equal_the_callers),
      cmocka_unit_test(test_return_call_makes_the_stack_polymorphic),
      cmocka_unit_test(test_return_call_indirect_rules),
      cmocka_unit_test(test_table64_index_types),
      cmocka_unit_test(test_table64_copy_mixes),
      cmocka_unit_test(test_table64_segments_and_limits),
      cmocka_unit_test(test_multi_memory_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
