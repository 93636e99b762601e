/* canmem engine, internal: the decoded module and the compiled code format.
 *
 * decode.c fills a cm_module from the binary (Binary Format chapter);
 * validate.c checks it (Validation chapter) and, while type-checking each
 * function body, compiles it into an array of cm_insn with every branch
 * resolved, so exec.c never decodes LEB128 nor searches for an `end`.
 * See docs/engine.md for why we compile instead of interpreting in place. */
#ifndef CANMEM_MODULE_H
#define CANMEM_MODULE_H

#include "wasm.h"

/* ---- Compiled code ----
 *
 * Opcodes: a one-byte wasm opcode keeps its value (0x00..0xd2); the 0xfc
 * prefix ops become CM_OP_FC + subopcode; the 0xfd (SIMD) memory
 * instructions, v128.const and i8x16.shuffle become CM_OP_FD + subopcode;
 * CM_OP_BR_TABLE_ENTRY and the CM_OP_V128_* forms are internal.
 *
 * Cells: a value takes one cell (runtime.h), a v128 two (bytes 0..7 in the
 * lower, 8..15 in the upper). Every count and offset below is in cells.
 * Frame layout seen by exec: fp[0 .. local_cells) are the locals
 * (parameters first), the operand stack starts at fp[local_cells]. A
 * "height" is an offset from fp, so it includes the locals.
 *
 * Immediates per opcode (fields not named are 0):
 *   block, loop, end (inner), nop    not emitted at all
 *   unreachable                      -
 *   if        a = target: index of the first insn of the else arm, or of the
 *               insn after the matching end; jump there when the popped
 *               i32 is zero
 *   else      a = target: index after the matching end (the then arm falls
 *               into `else`, which jumps over the else arm)
 *   br        a = target index, x = arity (cells carried), b = height of
 *               the target label: move the top x cells to fp[b..b+x), set
 *               the stack top to fp + b + x, continue at a
 *   br_if     same as br, taken when the popped i32 is non-zero
 *   br_table  a = n (number of labels without the default); it is followed
 *               by n+1 CM_OP_BR_TABLE_ENTRY insns (labels then default),
 *               each with the br immediates; pop i, take entry min(i, n)
 *   return    x = arity (cells of the function's results); also emitted for
 *               the final end
 *   call      a = function index in the instance's function space
 *   call_indirect a = type index, b = table index
 *   return_call   a = function index (a tail call: the callee takes over
 *                   the current frame)
 *   return_call_indirect a = type index, b = table index
 *   drop, select (both forms)         -
 *   local.get/set/tee  a = fp offset of the local (the V128 forms move two
 *                      cells)
 *   global.get/set     a = global index
 *   table.get/set      a = table index (indices of a 64-bit table are
 *                      i64 cells, of a 32-bit one zero-extended i32: exec
 *                      compares both with the size as they are)
 *   loads/stores       a = alignment exponent (unused by exec), b = offset;
 *                      memory index is always 0
 *   memory.size/grow   -
 *   i32.const, i64.const  b = value (zero-extended for i32)
 *   f32.const, f64.const  b = bit pattern
 *   numeric ops        -
 *   ref.null           -  (pushes 0)
 *   ref.is_null        -
 *   ref.func           a = function index
 *   FC 0..7 trunc_sat  -
 *   memory.init        a = data index
 *   data.drop          a = data index
 *   memory.copy/fill   -
 *   table.init         a = element segment index, b = table index
 *   elem.drop          a = element segment index
 *   table.copy         a = destination table, b = source table
 *   table.grow/size/fill  a = table index
 *   SIMD loads/stores  as loads/stores; the *_lane ones x = lane index
 *   v128.const         b = bytes 0..7; followed by a CM_OP_V128_DATA insn
 *                      with b = bytes 8..15 (exec skips it)
 *   i8x16.shuffle      b = lane indices 0..7 (byte i is lane i); followed
 *                      by CM_OP_V128_DATA with lanes 8..15
 *   V128_PURE          every other 0xfd instruction (simd.h): a = its
 *                      subopcode, x = lane index, b = operand shape
 *                      (CM_SHAPE_* below), so exec needs no table
 *   V128 forms of drop, select, local.*, global.*  as the plain ones
 */
enum {
  CM_OP_FC = 0xe0, /* 0xfc N  ->  CM_OP_FC + N, N <= 17 */
  CM_OP_BR_TABLE_ENTRY = 0xf8,
  CM_OP_FD = 0x100, /* 0xfd N  ->  CM_OP_FD + N, N <= 0xff */
  CM_OP_V128_PURE = 0x200,
  CM_OP_V128_DATA,
  CM_OP_DROP_V128,
  CM_OP_SELECT_V128,
  CM_OP_LOCAL_GET_V128,
  CM_OP_LOCAL_SET_V128,
  CM_OP_LOCAL_TEE_V128,
  CM_OP_GLOBAL_GET_V128,
  CM_OP_GLOBAL_SET_V128,
  /* superinstructions, below */
  CM_OP_LOCAL_COPY = 0x210,
  CM_OP_CONST_TO_LOCAL,
  CM_OP_BR_IF_EQZ,
  CM_OP_BR_IF_LOCAL,
  CM_OP_TEE_BR_IF,
  CM_OP_LOCAL_LOAD, /* + the load's opcode - 0x28 (0x28 .. 0x35) */
  CM_OP_LOCAL_STORE = CM_OP_LOCAL_LOAD + 14, /* + the store's - 0x36 */
  CM_OP_FUSED = 0x240,
  CM_OP_COUNT = CM_OP_FUSED + 15 * 0x40,
};

/* ---- Superinstructions ----
 * After a body is compiled, validate.c's fuse pass (fuse_superinstructions)
 * looks for short runs of insns that move values between locals, constants
 * and the operand stack around one i32 operator, and turns each run into
 * one superinstruction. Only the run's first insn changes (its opcode, and
 * b for LL and LC); the others stay where they are, and exec skips them. So
 * every insn keeps its index (branch targets and trap messages do not
 * move), the instruction count adds the run's length (it counts exactly as
 * before), and a run is fused only when no branch targets an insn inside it.
 *
 *   form   run                                 first insn    effect
 *   SL     local.get y; op                     a = y         [s] -> [s op y]
 *   SC     i32.const c; op                     b = c         [s] -> [s op c]
 *   LL     local.get x; local.get y; op        a = x, b = y  [] -> [x op y]
 *   LC     local.get x; i32.const c; op        a = x, b = c  [] -> [x op c]
 *   BR_S   op; br_if                           -             [s t] -> []
 *   BR_SL, BR_SC, BR_LL, BR_LC: the run of SL, SC, LL, LC followed by br_if
 *   LL_SET, LC_SET: the run of LL, LC followed by local.set z: x = z
 *                  (fused only when z < 65536, x's range)
 *   LL_TEE, LC_TEE: the same with local.tee z
 *   TEE_SC local.tee x; i32.const c; op         a = x, b = c  [s] -> [s op c]
 *   TEE_BR_SC      TEE_SC followed by br_if
 *
 * In the BR forms the br_if is the run's last insn, unchanged, and the
 * branch is taken when the result is not 0. Locals are cell offsets (as in
 * local.get's a). op is one of CM_FUSABLE_I32: the i32 operators that
 * cannot trap, with the C expression exec evaluates over uint32_t a, b.
 * Opcode CM_FUSED_OP(form, op). Pairs with an opcode of their own:
 *
 *   LOCAL_COPY     local.get x; local.set y      a = x, b = y
 *   CONST_TO_LOCAL i32.const c; local.set y      a = y, b = c
 *   BR_IF_EQZ      i32.eqz; br_if                branch when the operand is 0
 *   BR_IF_LOCAL    local.get x; br_if            a = x
 *   TEE_BR_IF      local.tee x; br_if            a = x
 *   LOCAL_LOAD + k local.get x; (load 0x28 + k)  a = x, b = the offset
 *   LOCAL_STORE + k  local.get x; (store 0x36 + k)  a = x (the value),
 *                  b = the offset */
enum {
  CM_FORM_SL, CM_FORM_SC, CM_FORM_LL, CM_FORM_LC,
  CM_FORM_BR_S, CM_FORM_BR_SL, CM_FORM_BR_SC, CM_FORM_BR_LL, CM_FORM_BR_LC,
  CM_FORM_LL_SET, CM_FORM_LC_SET, CM_FORM_LL_TEE, CM_FORM_LC_TEE,
  CM_FORM_TEE_SC, CM_FORM_TEE_BR_SC,
};
#define CM_FUSED_OP(form, wasm_op) (CM_OP_FUSED + (form)*0x40 + ((wasm_op)-0x40))
#define CM_FUSABLE_I32(X)                                                     \
  X(EQ, 0x46, a == b) X(NE, 0x47, a != b)                                     \
  X(LT_S, 0x48, cm_s32(a) < cm_s32(b)) X(LT_U, 0x49, a < b)                   \
  X(GT_S, 0x4a, cm_s32(a) > cm_s32(b)) X(GT_U, 0x4b, a > b)                   \
  X(LE_S, 0x4c, cm_s32(a) <= cm_s32(b)) X(LE_U, 0x4d, a <= b)                 \
  X(GE_S, 0x4e, cm_s32(a) >= cm_s32(b)) X(GE_U, 0x4f, a >= b)                 \
  X(ADD, 0x6a, a + b) X(SUB, 0x6b, a - b) X(MUL, 0x6c, a * b)                 \
  X(AND, 0x71, a & b) X(OR, 0x72, a | b) X(XOR, 0x73, a ^ b)                  \
  X(SHL, 0x74, cm_i32_shl(a, b)) X(SHR_S, 0x75, cm_i32_shr_s(a, b))           \
  X(SHR_U, 0x76, cm_i32_shr_u(a, b))

/* The operand shape of a V128_PURE insn, in its b: how many operands, which
 * of them are v128 (two cells; the others one), and whether the result is. */
#define CM_SHAPE_NPARAMS(b) ((unsigned)(b)&3u)
#define CM_SHAPE_PARAM_V128(b, i) (((b) >> (2 + (i))) & 1u)
#define CM_SHAPE_RESULT_V128(b) (((b) >> 5) & 1u)

/* Cells a value of type t takes (see runtime.h): two for a v128. */
static inline uint32_t cm_valtype_cells(uint8_t t) {
  return t == CM_V128 ? 2u : 1u;
}

/* Cells of a sequence of values: a function type's params or results, a
 * block's label. Computed in 64 bits; validation keeps function types
 * below UINT32_MAX cells. */
static inline uint64_t cm_types_cells(const uint8_t *types, uint32_t n) {
  uint64_t cells = n;
  for (uint32_t i = 0; i < n; i++)
    cells += types[i] == CM_V128;
  return cells;
}

typedef struct {
  uint16_t op;
  uint16_t x;
  uint32_t a;
  uint64_t b;
} cm_insn;

/* ---- Constant expressions ----
 * One instruction: i32/i64/f32/f64.const (value), ref.null (value 0),
 * ref.func (index), global.get (index), v128.const (op 0xfd, the prefix:
 * value bytes 0..7, value_hi bytes 8..15). op is the wasm opcode. */
typedef struct {
  uint8_t op;
  uint32_t index;
  uint64_t value;
  uint64_t value_hi;
} cm_constexpr;

typedef struct {
  uint8_t type; /* cm_valtype */
  bool mut;
} cm_globaltype;

typedef struct {
  uint8_t elemtype; /* CM_FUNCREF or CM_EXTERNREF */
  cm_limits limits;
} cm_tabletype;

typedef struct {
  char *module, *name;
  cm_externkind kind;
  union {
    uint32_t func; /* type index */
    cm_tabletype table;
    cm_limits memory;
    cm_globaltype global;
  } desc;
} cm_import;

typedef struct {
  char *name;
  cm_externkind kind;
  uint32_t index;
} cm_export;

typedef enum { CM_SEG_ACTIVE, CM_SEG_PASSIVE, CM_SEG_DECLARATIVE } cm_segmode;

typedef struct {
  cm_segmode mode;
  uint8_t reftype; /* CM_FUNCREF or CM_EXTERNREF */
  uint32_t table;  /* active only */
  cm_constexpr offset;
  uint32_t count;
  cm_constexpr *items; /* ref.func / ref.null / global.get */
} cm_elem;

typedef struct {
  cm_segmode mode; /* active or passive */
  uint32_t memory;
  cm_constexpr offset;
  const uint8_t *bytes; /* points into cm_module.bytes */
  uint32_t size;
} cm_data;

typedef struct {
  char *name;
  const uint8_t *bytes; /* points into cm_module.bytes */
  size_t size;
} cm_custom;

/* A function defined by the module. */
typedef struct {
  uint32_t type;        /* type index */
  uint32_t nlocals;     /* parameters + declared locals */
  uint8_t *local_types; /* nlocals entries, parameters first */
  const uint8_t *body;  /* expression bytes (after the locals), in bytes */
  size_t body_size;
  size_t body_offset;   /* offset of body in the binary, for errors */
  /* filled by validation */
  cm_insn *code;
  uint32_t ncode;
  uint32_t local_cells; /* cells of the locals, parameters included */
  uint32_t max_height;  /* largest stack height in cells (locals included) */
} cm_code;

struct cm_module {
  uint8_t *bytes; /* our copy of the binary */
  size_t size;

  cm_functype *types;
  uint32_t ntypes;

  cm_import *imports;
  uint32_t nimports;

  /* Index spaces: imports first, then definitions. */
  uint32_t *func_types; /* type index of every function */
  uint32_t nfuncs, nfuncs_imported;
  cm_tabletype *tables;
  uint32_t ntables, ntables_imported;
  cm_limits *memories;
  uint32_t nmems, nmems_imported;
  cm_globaltype *globals;
  uint32_t nglobals, nglobals_imported;
  cm_constexpr *global_inits; /* nglobals - nglobals_imported entries */

  cm_export *exports;
  uint32_t nexports;

  bool has_start;
  uint32_t start;

  cm_elem *elems;
  uint32_t nelems;

  cm_data *datas;
  uint32_t ndatas;
  bool has_datacount;
  uint32_t datacount;

  cm_code *codes; /* nfuncs - nfuncs_imported entries */

  cm_custom *customs;
  uint32_t ncustoms;

  uint32_t features; /* CM_FEATURE_*, set by decode and validate */
};

/* decode.c: parse the binary into m (already zeroed, bytes/size set).
 * Returns CM_OK or CM_MALFORMED/CM_NO_MEMORY with err->offset set. */
cm_status cm_decode(cm_module *m, cm_error *err);
/* validate.c: validate everything and compile every function body. */
cm_status cm_validate(cm_module *m, cm_error *err);
/* Free what decode and validate allocated (not m itself, not m->bytes). */
void cm_module_clear(cm_module *m);

#endif
