/* canmem engine: the interpreter (Execution > Instructions).
 *
 * One loop over the compiled cm_insn array of module.h, one `case` per
 * instruction, each reading like the spec's execution rule. The loop is
 * written through VM_CASE / VM_NEXT / VM_DISPATCH so that building with
 * -DCM_USE_COMPUTED_GOTO (GNU C) swaps the switch for a table of label
 * addresses, with the same case bodies.
 *
 * Machine state lives in locals so the compiler can keep it in registers:
 *   pc        the instruction being executed
 *   code      the current function's instruction array (branch targets)
 *   fp, sp    the current frame (locals at fp[0..)) and the operand stack top
 *   inst      the current instance; mem, mem_base, mem_size its memory 0
 *   icount    instructions executed, checked against ilimit at branches
 *             and calls (so it may pass the limit by one straight-line
 *             run). One count per executed cm_insn: block, loop and inner
 *             end are not compiled, so they cost nothing; br_table counts
 *             once.
 * They are written back to the store at two kinds of points only:
 *   SYNC_FOR_HOST  before a host function runs (it may read the count or
 *                  invoke wasm again above our stack), and
 *   the exits      (finished, trapped, failed).
 * After anything that may move or resize memory (a call returning, a host
 * function, memory.grow), RELOAD_MEMORY refreshes mem_base and mem_size.
 *
 * Wasm calls never recurse on the C stack: a call pushes a cm_frame onto
 * the store's frame stack and continues in the loop; a tail call
 * (return_call, return_call_indirect) pushes none and reuses the current
 * frame. */
#include <string.h>

#include "numeric.h"
#include "runtime.h"
#include "simd.h"

#if defined(CM_USE_COMPUTED_GOTO) && defined(__GNUC__)
#define CM_COMPUTED_GOTO 1
/* Labels as values and range initialisers are GNU C. */
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Woverride-init"
#else
#define CM_COMPUTED_GOTO 0
#endif

#if defined(__GNUC__)
#define CM_LIKELY(x) __builtin_expect(!!(x), 1)
#define CM_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define CM_LIKELY(x) (x)
#define CM_UNLIKELY(x) (x)
#endif

/* GCC's global CSE pass turns the single dispatch site of the switch into
 * a tangle of spilled registers: measured 2x slower on our benchmarks.
 * Clang, and GCC with computed goto, do not need this. */
#if !CM_COMPUTED_GOTO && defined(__GNUC__) && !defined(__clang__)
#define CM_EXEC_TUNING __attribute__((optimize("no-gcse")))
#else
#define CM_EXEC_TUNING
#endif

/* Every opcode exec knows, with its compiled value (module.h). The list
 * builds the enum and, with computed goto, the dispatch table; a missing
 * case body is then a compile error. */
#define CM_EXEC_OPCODES(X)                                                    \
  X(UNREACHABLE, 0x00) X(NOP, 0x01) X(BLOCK, 0x02) X(LOOP, 0x03)              \
  X(IF, 0x04) X(ELSE, 0x05) X(END, 0x0b) X(BR, 0x0c) X(BR_IF, 0x0d)           \
  X(BR_TABLE, 0x0e) X(RETURN, 0x0f) X(CALL, 0x10) X(CALL_INDIRECT, 0x11)      \
  X(RETURN_CALL, 0x12) X(RETURN_CALL_INDIRECT, 0x13)                          \
  X(DROP, 0x1a) X(SELECT, 0x1b) X(SELECT_T, 0x1c) X(LOCAL_GET, 0x20)          \
  X(LOCAL_SET, 0x21) X(LOCAL_TEE, 0x22) X(GLOBAL_GET, 0x23)                   \
  X(GLOBAL_SET, 0x24) X(TABLE_GET, 0x25) X(TABLE_SET, 0x26)                   \
  X(I32_LOAD, 0x28) X(I64_LOAD, 0x29) X(F32_LOAD, 0x2a) X(F64_LOAD, 0x2b)     \
  X(I32_LOAD8_S, 0x2c) X(I32_LOAD8_U, 0x2d) X(I32_LOAD16_S, 0x2e)             \
  X(I32_LOAD16_U, 0x2f) X(I64_LOAD8_S, 0x30) X(I64_LOAD8_U, 0x31)             \
  X(I64_LOAD16_S, 0x32) X(I64_LOAD16_U, 0x33) X(I64_LOAD32_S, 0x34)           \
  X(I64_LOAD32_U, 0x35) X(I32_STORE, 0x36) X(I64_STORE, 0x37)                 \
  X(F32_STORE, 0x38) X(F64_STORE, 0x39) X(I32_STORE8, 0x3a)                   \
  X(I32_STORE16, 0x3b) X(I64_STORE8, 0x3c) X(I64_STORE16, 0x3d)               \
  X(I64_STORE32, 0x3e) X(MEMORY_SIZE, 0x3f) X(MEMORY_GROW, 0x40)              \
  X(I32_CONST, 0x41) X(I64_CONST, 0x42) X(F32_CONST, 0x43)                    \
  X(F64_CONST, 0x44) X(I32_EQZ, 0x45) X(I32_EQ, 0x46) X(I32_NE, 0x47)         \
  X(I32_LT_S, 0x48) X(I32_LT_U, 0x49) X(I32_GT_S, 0x4a) X(I32_GT_U, 0x4b)     \
  X(I32_LE_S, 0x4c) X(I32_LE_U, 0x4d) X(I32_GE_S, 0x4e) X(I32_GE_U, 0x4f)     \
  X(I64_EQZ, 0x50) X(I64_EQ, 0x51) X(I64_NE, 0x52) X(I64_LT_S, 0x53)          \
  X(I64_LT_U, 0x54) X(I64_GT_S, 0x55) X(I64_GT_U, 0x56) X(I64_LE_S, 0x57)     \
  X(I64_LE_U, 0x58) X(I64_GE_S, 0x59) X(I64_GE_U, 0x5a) X(F32_EQ, 0x5b)       \
  X(F32_NE, 0x5c) X(F32_LT, 0x5d) X(F32_GT, 0x5e) X(F32_LE, 0x5f)             \
  X(F32_GE, 0x60) X(F64_EQ, 0x61) X(F64_NE, 0x62) X(F64_LT, 0x63)             \
  X(F64_GT, 0x64) X(F64_LE, 0x65) X(F64_GE, 0x66) X(I32_CLZ, 0x67)            \
  X(I32_CTZ, 0x68) X(I32_POPCNT, 0x69) X(I32_ADD, 0x6a) X(I32_SUB, 0x6b)      \
  X(I32_MUL, 0x6c) X(I32_DIV_S, 0x6d) X(I32_DIV_U, 0x6e) X(I32_REM_S, 0x6f)   \
  X(I32_REM_U, 0x70) X(I32_AND, 0x71) X(I32_OR, 0x72) X(I32_XOR, 0x73)        \
  X(I32_SHL, 0x74) X(I32_SHR_S, 0x75) X(I32_SHR_U, 0x76) X(I32_ROTL, 0x77)    \
  X(I32_ROTR, 0x78) X(I64_CLZ, 0x79) X(I64_CTZ, 0x7a) X(I64_POPCNT, 0x7b)     \
  X(I64_ADD, 0x7c) X(I64_SUB, 0x7d) X(I64_MUL, 0x7e) X(I64_DIV_S, 0x7f)       \
  X(I64_DIV_U, 0x80) X(I64_REM_S, 0x81) X(I64_REM_U, 0x82) X(I64_AND, 0x83)   \
  X(I64_OR, 0x84) X(I64_XOR, 0x85) X(I64_SHL, 0x86) X(I64_SHR_S, 0x87)        \
  X(I64_SHR_U, 0x88) X(I64_ROTL, 0x89) X(I64_ROTR, 0x8a) X(F32_ABS, 0x8b)     \
  X(F32_NEG, 0x8c) X(F32_CEIL, 0x8d) X(F32_FLOOR, 0x8e) X(F32_TRUNC, 0x8f)    \
  X(F32_NEAREST, 0x90) X(F32_SQRT, 0x91) X(F32_ADD, 0x92) X(F32_SUB, 0x93)    \
  X(F32_MUL, 0x94) X(F32_DIV, 0x95) X(F32_MIN, 0x96) X(F32_MAX, 0x97)         \
  X(F32_COPYSIGN, 0x98) X(F64_ABS, 0x99) X(F64_NEG, 0x9a) X(F64_CEIL, 0x9b)   \
  X(F64_FLOOR, 0x9c) X(F64_TRUNC, 0x9d) X(F64_NEAREST, 0x9e)                  \
  X(F64_SQRT, 0x9f) X(F64_ADD, 0xa0) X(F64_SUB, 0xa1) X(F64_MUL, 0xa2)        \
  X(F64_DIV, 0xa3) X(F64_MIN, 0xa4) X(F64_MAX, 0xa5) X(F64_COPYSIGN, 0xa6)    \
  X(I32_WRAP_I64, 0xa7) X(I32_TRUNC_F32_S, 0xa8) X(I32_TRUNC_F32_U, 0xa9)     \
  X(I32_TRUNC_F64_S, 0xaa) X(I32_TRUNC_F64_U, 0xab)                           \
  X(I64_EXTEND_I32_S, 0xac) X(I64_EXTEND_I32_U, 0xad)                         \
  X(I64_TRUNC_F32_S, 0xae) X(I64_TRUNC_F32_U, 0xaf)                           \
  X(I64_TRUNC_F64_S, 0xb0) X(I64_TRUNC_F64_U, 0xb1)                           \
  X(F32_CONVERT_I32_S, 0xb2) X(F32_CONVERT_I32_U, 0xb3)                       \
  X(F32_CONVERT_I64_S, 0xb4) X(F32_CONVERT_I64_U, 0xb5)                       \
  X(F32_DEMOTE_F64, 0xb6) X(F64_CONVERT_I32_S, 0xb7)                          \
  X(F64_CONVERT_I32_U, 0xb8) X(F64_CONVERT_I64_S, 0xb9)                       \
  X(F64_CONVERT_I64_U, 0xba) X(F64_PROMOTE_F32, 0xbb)                         \
  X(I32_REINTERPRET_F32, 0xbc) X(I64_REINTERPRET_F64, 0xbd)                   \
  X(F32_REINTERPRET_I32, 0xbe) X(F64_REINTERPRET_I64, 0xbf)                   \
  X(I32_EXTEND8_S, 0xc0) X(I32_EXTEND16_S, 0xc1) X(I64_EXTEND8_S, 0xc2)       \
  X(I64_EXTEND16_S, 0xc3) X(I64_EXTEND32_S, 0xc4) X(REF_NULL, 0xd0)           \
  X(REF_IS_NULL, 0xd1) X(REF_FUNC, 0xd2)                                      \
  X(I32_TRUNC_SAT_F32_S, CM_OP_FC + 0) X(I32_TRUNC_SAT_F32_U, CM_OP_FC + 1)   \
  X(I32_TRUNC_SAT_F64_S, CM_OP_FC + 2) X(I32_TRUNC_SAT_F64_U, CM_OP_FC + 3)   \
  X(I64_TRUNC_SAT_F32_S, CM_OP_FC + 4) X(I64_TRUNC_SAT_F32_U, CM_OP_FC + 5)   \
  X(I64_TRUNC_SAT_F64_S, CM_OP_FC + 6) X(I64_TRUNC_SAT_F64_U, CM_OP_FC + 7)   \
  X(MEMORY_INIT, CM_OP_FC + 8) X(DATA_DROP, CM_OP_FC + 9)                     \
  X(MEMORY_COPY, CM_OP_FC + 10) X(MEMORY_FILL, CM_OP_FC + 11)                 \
  X(TABLE_INIT, CM_OP_FC + 12) X(ELEM_DROP, CM_OP_FC + 13)                    \
  X(TABLE_COPY, CM_OP_FC + 14) X(TABLE_GROW, CM_OP_FC + 15)                   \
  X(TABLE_SIZE, CM_OP_FC + 16) X(TABLE_FILL, CM_OP_FC + 17)                 \
  X(V128_LOAD, CM_OP_FD + 0x00) X(V128_LOAD8X8_S, CM_OP_FD + 0x01)            \
  X(V128_LOAD8X8_U, CM_OP_FD + 0x02) X(V128_LOAD16X4_S, CM_OP_FD + 0x03)      \
  X(V128_LOAD16X4_U, CM_OP_FD + 0x04) X(V128_LOAD32X2_S, CM_OP_FD + 0x05)     \
  X(V128_LOAD32X2_U, CM_OP_FD + 0x06) X(V128_LOAD8_SPLAT, CM_OP_FD + 0x07)    \
  X(V128_LOAD16_SPLAT, CM_OP_FD + 0x08) X(V128_LOAD32_SPLAT, CM_OP_FD + 0x09) \
  X(V128_LOAD64_SPLAT, CM_OP_FD + 0x0a) X(V128_STORE, CM_OP_FD + 0x0b)        \
  X(V128_CONST, CM_OP_FD + 0x0c) X(I8X16_SHUFFLE, CM_OP_FD + 0x0d)            \
  X(V128_LOAD8_LANE, CM_OP_FD + 0x54) X(V128_LOAD16_LANE, CM_OP_FD + 0x55)    \
  X(V128_LOAD32_LANE, CM_OP_FD + 0x56) X(V128_LOAD64_LANE, CM_OP_FD + 0x57)   \
  X(V128_STORE8_LANE, CM_OP_FD + 0x58) X(V128_STORE16_LANE, CM_OP_FD + 0x59)  \
  X(V128_STORE32_LANE, CM_OP_FD + 0x5a) X(V128_STORE64_LANE, CM_OP_FD + 0x5b) \
  X(V128_LOAD32_ZERO, CM_OP_FD + 0x5c) X(V128_LOAD64_ZERO, CM_OP_FD + 0x5d)   \
  X(V128_PURE, CM_OP_V128_PURE) X(DROP_V128, CM_OP_DROP_V128)                 \
  X(SELECT_V128, CM_OP_SELECT_V128) X(LOCAL_GET_V128, CM_OP_LOCAL_GET_V128)   \
  X(LOCAL_SET_V128, CM_OP_LOCAL_SET_V128)                                     \
  X(LOCAL_TEE_V128, CM_OP_LOCAL_TEE_V128)                                     \
  X(GLOBAL_GET_V128, CM_OP_GLOBAL_GET_V128)                                   \
  X(GLOBAL_SET_V128, CM_OP_GLOBAL_SET_V128)                                   \
  X(LOCAL_COPY, CM_OP_LOCAL_COPY) X(CONST_TO_LOCAL, CM_OP_CONST_TO_LOCAL)     \
  X(BR_IF_EQZ, CM_OP_BR_IF_EQZ) X(BR_IF_LOCAL, CM_OP_BR_IF_LOCAL)             \
  X(TEE_BR_IF, CM_OP_TEE_BR_IF)                                               \
  X(LOCAL_I32_LOAD, CM_OP_LOCAL_LOAD + 0)                                     \
  X(LOCAL_I64_LOAD, CM_OP_LOCAL_LOAD + 1)                                     \
  X(LOCAL_F32_LOAD, CM_OP_LOCAL_LOAD + 2)                                     \
  X(LOCAL_F64_LOAD, CM_OP_LOCAL_LOAD + 3)                                     \
  X(LOCAL_I32_LOAD8_S, CM_OP_LOCAL_LOAD + 4)                                  \
  X(LOCAL_I32_LOAD8_U, CM_OP_LOCAL_LOAD + 5)                                  \
  X(LOCAL_I32_LOAD16_S, CM_OP_LOCAL_LOAD + 6)                                 \
  X(LOCAL_I32_LOAD16_U, CM_OP_LOCAL_LOAD + 7)                                 \
  X(LOCAL_I64_LOAD8_S, CM_OP_LOCAL_LOAD + 8)                                  \
  X(LOCAL_I64_LOAD8_U, CM_OP_LOCAL_LOAD + 9)                                  \
  X(LOCAL_I64_LOAD16_S, CM_OP_LOCAL_LOAD + 10)                                \
  X(LOCAL_I64_LOAD16_U, CM_OP_LOCAL_LOAD + 11)                                \
  X(LOCAL_I64_LOAD32_S, CM_OP_LOCAL_LOAD + 12)                                \
  X(LOCAL_I64_LOAD32_U, CM_OP_LOCAL_LOAD + 13)                                \
  X(LOCAL_I32_STORE, CM_OP_LOCAL_STORE + 0)                                   \
  X(LOCAL_I64_STORE, CM_OP_LOCAL_STORE + 1)                                   \
  X(LOCAL_F32_STORE, CM_OP_LOCAL_STORE + 2)                                   \
  X(LOCAL_F64_STORE, CM_OP_LOCAL_STORE + 3)                                   \
  X(LOCAL_I32_STORE8, CM_OP_LOCAL_STORE + 4)                                  \
  X(LOCAL_I32_STORE16, CM_OP_LOCAL_STORE + 5)                                 \
  X(LOCAL_I64_STORE8, CM_OP_LOCAL_STORE + 6)                                  \
  X(LOCAL_I64_STORE16, CM_OP_LOCAL_STORE + 7)                                 \
  X(LOCAL_I64_STORE32, CM_OP_LOCAL_STORE + 8)

enum {
#define CM_OPCODE_ENUM(name, value) OP_##name = (value),
  CM_EXEC_OPCODES(CM_OPCODE_ENUM)
#undef CM_OPCODE_ENUM
};

/* ---- Dispatch ---- */

#if CM_COMPUTED_GOTO
#define VM_CASE(name)                                                         \
  case OP_##name:                                                             \
  L_##name:
#define VM_DISPATCH()                                                         \
  do {                                                                        \
    ++icount;                                                                 \
    goto *dispatch_table[pc->op];                                             \
  } while (0)
#else
#define VM_CASE(name) case OP_##name:
#define VM_DISPATCH() goto dispatch
#endif
/* Continue with the next instruction. */
#define VM_NEXT()                                                             \
  do {                                                                        \
    ++pc;                                                                     \
    VM_DISPATCH();                                                            \
  } while (0)

/* ---- Operand helpers (only for the loop below) ---- */

#define I32_UNARY(expr)                                                       \
  do {                                                                        \
    uint32_t a = (uint32_t)sp[-1];                                            \
    sp[-1] = (uint32_t)(expr);                                                \
    VM_NEXT();                                                                \
  } while (0)
#define I64_UNARY(expr)                                                       \
  do {                                                                        \
    uint64_t a = sp[-1];                                                      \
    sp[-1] = (uint64_t)(expr);                                                \
    VM_NEXT();                                                                \
  } while (0)
#define I32_BINARY(expr)                                                      \
  do {                                                                        \
    uint32_t b = (uint32_t)sp[-1], a = (uint32_t)sp[-2];                      \
    --sp;                                                                     \
    sp[-1] = (uint32_t)(expr);                                                \
    VM_NEXT();                                                                \
  } while (0)
#define I64_BINARY(expr)                                                      \
  do {                                                                        \
    uint64_t b = sp[-1], a = sp[-2];                                          \
    --sp;                                                                     \
    sp[-1] = (uint64_t)(expr);                                                \
    VM_NEXT();                                                                \
  } while (0)
/* Comparisons of 64-bit operands produce an i32. */
#define I64_COMPARE(expr)                                                     \
  do {                                                                        \
    uint64_t b = sp[-1], a = sp[-2];                                          \
    --sp;                                                                     \
    sp[-1] = (expr) ? 1u : 0u;                                                \
    VM_NEXT();                                                                \
  } while (0)
/* Operators that may trap: fn(a, b, &result) returns the trap. */
#define I32_BINARY_TRAP(fn)                                                   \
  do {                                                                        \
    uint32_t r = 0;                                                           \
    trap = fn((uint32_t)sp[-2], (uint32_t)sp[-1], &r);                        \
    if (CM_UNLIKELY(trap != CM_TRAP_NONE))                                    \
      goto trapped;                                                           \
    --sp;                                                                     \
    sp[-1] = r;                                                               \
    VM_NEXT();                                                                \
  } while (0)
#define I64_BINARY_TRAP(fn)                                                   \
  do {                                                                        \
    uint64_t r = 0;                                                           \
    trap = fn(sp[-2], sp[-1], &r);                                            \
    if (CM_UNLIKELY(trap != CM_TRAP_NONE))                                    \
      goto trapped;                                                           \
    --sp;                                                                     \
    sp[-1] = r;                                                               \
    VM_NEXT();                                                                \
  } while (0)
/* Truncations that trap; rtype is the integer result type. */
#define TRUNC_TRAP(fn, rtype, atype)                                          \
  do {                                                                        \
    rtype r = 0;                                                              \
    trap = fn((atype)sp[-1], &r);                                             \
    if (CM_UNLIKELY(trap != CM_TRAP_NONE))                                    \
      goto trapped;                                                           \
    sp[-1] = r;                                                               \
    VM_NEXT();                                                                \
  } while (0)

/* The effective address of a load/store: address operand + static offset,
 * with [ea, ea+n) inside the memory. The sum can only wrap for memory64
 * (a 32-bit address and offset fit in 64 bits); wrapping is out of bounds. */
#define EFFECTIVE_ADDRESS(ea, addr, n)                                        \
  do {                                                                        \
    (ea) = (addr) + pc->b;                                                    \
    if (CM_UNLIKELY((ea) < pc->b || !cm_range_ok((ea), (n), mem_size)))       \
      goto trap_memory_oob;                                                   \
  } while (0)
/* load: n bytes, then widen with `extend` (a numeric.h function or a cast) */
#define LOAD(n, extend)                                                       \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-1], n);                                         \
    sp[-1] = extend(cm_load_le(mem_base + ea, n));                            \
    VM_NEXT();                                                                \
  } while (0)
/* store: the low n bytes of the value; the journal sees the write first */
#define STORE(n)                                                              \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-2], n);                                         \
    if (CM_UNLIKELY(mem->journal.open) &&                                     \
        !cm_memory_journal_touch(mem, ea, n))                                 \
      goto fail_journal;                                                      \
    cm_store_le(mem_base + ea, sp[-1], n);                                    \
    sp -= 2;                                                                  \
    VM_NEXT();                                                                \
  } while (0)
/* local.get x; load (a superinstruction): the address is local x. A trap
 * names the load, as the unfused pair would. */
#define LOCAL_LOAD(n, extend)                                                 \
  do {                                                                        \
    uint64_t ea = fp[pc->a] + pc->b;                                          \
    if (CM_UNLIKELY(ea < pc->b || !cm_range_ok(ea, (n), mem_size))) {         \
      ++pc;                                                                   \
      ++icount;                                                               \
      goto trap_memory_oob;                                                   \
    }                                                                         \
    *sp++ = extend(cm_load_le(mem_base + ea, (n)));                           \
    FUSED_NEXT(2);                                                            \
  } while (0)
/* local.get x; store (a superinstruction): the value is local x. */
#define LOCAL_STORE(n)                                                        \
  do {                                                                        \
    uint64_t ea = sp[-1] + pc->b;                                             \
    if (CM_UNLIKELY(ea < pc->b || !cm_range_ok(ea, (n), mem_size))) {         \
      ++pc;                                                                   \
      ++icount;                                                               \
      goto trap_memory_oob;                                                   \
    }                                                                         \
    if (CM_UNLIKELY(mem->journal.open) &&                                     \
        !cm_memory_journal_touch(mem, ea, (n)))                               \
      goto fail_journal;                                                      \
    cm_store_le(mem_base + ea, fp[pc->a], (n));                               \
    --sp;                                                                     \
    FUSED_NEXT(2);                                                            \
  } while (0)
#define ZERO_EXTEND(v) (v)
#define ZERO_EXTEND32(v) ((uint32_t)(v))

/* SIMD memory instructions. A v128 is two cells (runtime.h); a lane of n
 * bytes never straddles them, so lane k sits in cell k*n/8 at bit
 * (k*n*8) % 64. */
#define LANE_MASK(n) ((n) == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (8 * (n))) - 1)
/* v128.load8x8_s ...: 8 bytes, each lane widened to twice its bits */
#define LOAD_WIDEN(bits, sign)                                                \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-1], 8);                                         \
    widen_lanes(cm_load_le(mem_base + ea, 8), bits, sign, sp - 1);            \
    ++sp;                                                                     \
    VM_NEXT();                                                                \
  } while (0)
/* v128.loadN_splat: n bytes in every lane */
#define LOAD_SPLAT(n)                                                         \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-1], n);                                         \
    uint64_t cell_ = splat_cell(cm_load_le(mem_base + ea, n), n);             \
    sp[-1] = cell_;                                                           \
    *sp++ = cell_;                                                            \
    VM_NEXT();                                                                \
  } while (0)
/* v128.loadN_zero: n bytes in lane 0, zeros above */
#define LOAD_ZERO(n)                                                          \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-1], n);                                         \
    sp[-1] = cm_load_le(mem_base + ea, n);                                    \
    *sp++ = 0;                                                                \
    VM_NEXT();                                                                \
  } while (0)
/* v128.loadN_lane: [address v] -> [v with lane x loaded] */
#define LOAD_LANE(n)                                                          \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-3], n);                                         \
    unsigned bit_ = (unsigned)pc->x * (n) * 8u;                               \
    uint64_t *cell_ = sp - 2 + bit_ / 64;                                    \
    uint64_t mask_ = LANE_MASK(n) << (bit_ % 64);                             \
    *cell_ = (*cell_ & ~mask_) |                                              \
             (cm_load_le(mem_base + ea, n) << (bit_ % 64));                   \
    sp[-3] = sp[-2];                                                          \
    sp[-2] = sp[-1];                                                          \
    --sp;                                                                     \
    VM_NEXT();                                                                \
  } while (0)
/* v128.storeN_lane: [address v] -> [], lane x of v to memory */
#define STORE_LANE(n)                                                         \
  do {                                                                        \
    uint64_t ea;                                                              \
    EFFECTIVE_ADDRESS(ea, sp[-3], n);                                         \
    unsigned bit_ = (unsigned)pc->x * (n) * 8u;                               \
    if (CM_UNLIKELY(mem->journal.open) &&                                     \
        !cm_memory_journal_touch(mem, ea, n))                                 \
      goto fail_journal;                                                      \
    cm_store_le(mem_base + ea, *(sp - 2 + bit_ / 64) >> (bit_ % 64), n);     \
    sp -= 3;                                                                  \
    VM_NEXT();                                                                \
  } while (0)

/* Take the branch described by insn `e` (br, br_if, a br_table entry):
 * carry e->x values to the label's height and continue at its target. */
#define BRANCH(e)                                                             \
  do {                                                                        \
    const cm_insn *target_ = (e);                                             \
    uint32_t arity_ = target_->x;                                             \
    uint64_t *dst_ = fp + target_->b;                                         \
    uint64_t *src_ = sp - arity_;                                             \
    if (CM_UNLIKELY(icount > ilimit))                                         \
      goto trap_instruction_limit;                                            \
    if (dst_ != src_) {                                                       \
      for (uint32_t k_ = 0; k_ < arity_; k_++)                                \
        dst_[k_] = src_[k_];                                                  \
    }                                                                         \
    sp = dst_ + arity_;                                                       \
    pc = code + target_->a;                                                   \
    VM_DISPATCH();                                                            \
  } while (0)

/* ---- Superinstructions (module.h) ----
 * A case runs the whole run of n insns it stands for: the dispatch counted
 * its first insn, FUSED_* count the other n - 1 and step over them. In the
 * BR forms the run's last insn is the br_if, whose target BRANCH takes. */
#define FUSED_NEXT(n)                                                         \
  do {                                                                        \
    icount += (n)-1;                                                          \
    pc += (n);                                                                \
    VM_DISPATCH();                                                            \
  } while (0)
#define FUSED_BR_IF(result, n)                                                \
  do {                                                                        \
    icount += (n)-1;                                                          \
    if ((uint32_t)(result) != 0)                                              \
      BRANCH(pc + (n)-1);                                                     \
    pc += (n);                                                                \
    VM_DISPATCH();                                                            \
  } while (0)
#if CM_COMPUTED_GOTO
#define FUSED_CASE(form, name, wasm_op)                                       \
  case CM_FUSED_OP(CM_FORM_##form, wasm_op):                                  \
  L_##form##_##name:
#else
#define FUSED_CASE(form, name, wasm_op)                                       \
  case CM_FUSED_OP(CM_FORM_##form, wasm_op):
#endif
/* The nine forms of one operator; a and b are its operands. */
#define FUSED_I32_CASES(name, wasm_op, expr)                                  \
  FUSED_CASE(SL, name, wasm_op) {                                             \
    uint32_t a = (uint32_t)sp[-1], b = (uint32_t)fp[pc->a];                   \
    sp[-1] = (uint32_t)(expr);                                                \
    FUSED_NEXT(2);                                                            \
  }                                                                           \
  FUSED_CASE(SC, name, wasm_op) {                                             \
    uint32_t a = (uint32_t)sp[-1], b = (uint32_t)pc->b;                       \
    sp[-1] = (uint32_t)(expr);                                                \
    FUSED_NEXT(2);                                                            \
  }                                                                           \
  FUSED_CASE(LL, name, wasm_op) {                                             \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)fp[pc->b];                \
    *sp++ = (uint32_t)(expr);                                                 \
    FUSED_NEXT(3);                                                            \
  }                                                                           \
  FUSED_CASE(LC, name, wasm_op) {                                             \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)pc->b;                    \
    *sp++ = (uint32_t)(expr);                                                 \
    FUSED_NEXT(3);                                                            \
  }                                                                           \
  FUSED_CASE(BR_S, name, wasm_op) {                                           \
    uint32_t a = (uint32_t)sp[-2], b = (uint32_t)sp[-1];                      \
    sp -= 2;                                                                  \
    FUSED_BR_IF(expr, 2);                                                     \
  }                                                                           \
  FUSED_CASE(BR_SL, name, wasm_op) {                                          \
    uint32_t a = (uint32_t)*--sp, b = (uint32_t)fp[pc->a];                    \
    FUSED_BR_IF(expr, 3);                                                     \
  }                                                                           \
  FUSED_CASE(BR_SC, name, wasm_op) {                                          \
    uint32_t a = (uint32_t)*--sp, b = (uint32_t)pc->b;                        \
    FUSED_BR_IF(expr, 3);                                                     \
  }                                                                           \
  FUSED_CASE(BR_LL, name, wasm_op) {                                          \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)fp[pc->b];                \
    FUSED_BR_IF(expr, 4);                                                     \
  }                                                                           \
  FUSED_CASE(BR_LC, name, wasm_op) {                                          \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)pc->b;                    \
    FUSED_BR_IF(expr, 4);                                                     \
  }                                                                           \
  FUSED_CASE(LL_SET, name, wasm_op) {                                         \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)fp[pc->b];                \
    fp[pc->x] = (uint32_t)(expr);                                             \
    FUSED_NEXT(4);                                                            \
  }                                                                           \
  FUSED_CASE(LC_SET, name, wasm_op) {                                         \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)pc->b;                    \
    fp[pc->x] = (uint32_t)(expr);                                             \
    FUSED_NEXT(4);                                                            \
  }                                                                           \
  FUSED_CASE(LL_TEE, name, wasm_op) {                                         \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)fp[pc->b];                \
    *sp++ = fp[pc->x] = (uint32_t)(expr);                                     \
    FUSED_NEXT(4);                                                            \
  }                                                                           \
  FUSED_CASE(LC_TEE, name, wasm_op) {                                         \
    uint32_t a = (uint32_t)fp[pc->a], b = (uint32_t)pc->b;                    \
    *sp++ = fp[pc->x] = (uint32_t)(expr);                                     \
    FUSED_NEXT(4);                                                            \
  }                                                                           \
  FUSED_CASE(TEE_SC, name, wasm_op) {                                         \
    uint32_t a = (uint32_t)(fp[pc->a] = sp[-1]), b = (uint32_t)pc->b;         \
    sp[-1] = (uint32_t)(expr);                                                \
    FUSED_NEXT(3);                                                            \
  }                                                                           \
  FUSED_CASE(TEE_BR_SC, name, wasm_op) {                                      \
    uint32_t a = (uint32_t)(fp[pc->a] = *--sp), b = (uint32_t)pc->b;          \
    FUSED_BR_IF(expr, 4);                                                     \
  }
#define FUSED_I32_LABELS(name, wasm_op, expr)                                 \
  [CM_FUSED_OP(CM_FORM_SL, wasm_op)] = &&L_SL_##name,                         \
  [CM_FUSED_OP(CM_FORM_SC, wasm_op)] = &&L_SC_##name,                         \
  [CM_FUSED_OP(CM_FORM_LL, wasm_op)] = &&L_LL_##name,                         \
  [CM_FUSED_OP(CM_FORM_LC, wasm_op)] = &&L_LC_##name,                         \
  [CM_FUSED_OP(CM_FORM_BR_S, wasm_op)] = &&L_BR_S_##name,                     \
  [CM_FUSED_OP(CM_FORM_BR_SL, wasm_op)] = &&L_BR_SL_##name,                   \
  [CM_FUSED_OP(CM_FORM_BR_SC, wasm_op)] = &&L_BR_SC_##name,                   \
  [CM_FUSED_OP(CM_FORM_BR_LL, wasm_op)] = &&L_BR_LL_##name,                   \
  [CM_FUSED_OP(CM_FORM_BR_LC, wasm_op)] = &&L_BR_LC_##name,                   \
  [CM_FUSED_OP(CM_FORM_LL_SET, wasm_op)] = &&L_LL_SET_##name,                 \
  [CM_FUSED_OP(CM_FORM_LC_SET, wasm_op)] = &&L_LC_SET_##name,                 \
  [CM_FUSED_OP(CM_FORM_LL_TEE, wasm_op)] = &&L_LL_TEE_##name,                 \
  [CM_FUSED_OP(CM_FORM_LC_TEE, wasm_op)] = &&L_LC_TEE_##name,                 \
  [CM_FUSED_OP(CM_FORM_TEE_SC, wasm_op)] = &&L_TEE_SC_##name,                 \
  [CM_FUSED_OP(CM_FORM_TEE_BR_SC, wasm_op)] = &&L_TEE_BR_SC_##name,

/* call_indirect and return_call_indirect (pc->a type, pc->b table): pop
 * the index and set callee, or trap. The index is an i32 or, for a 64-bit
 * table, an i64 cell; both compare against the size as they are. */
#define INDIRECT_CALLEE()                                                     \
  do {                                                                        \
    const cm_table *t_ = inst->tables[pc->b];                                 \
    uint64_t i_ = *--sp;                                                      \
    if (CM_UNLIKELY(i_ >= t_->size)) {                                        \
      trap = CM_TRAP_TABLE_OOB; /* the suite's "undefined element" */         \
      goto trapped;                                                           \
    }                                                                         \
    callee = (cm_func_inst *)(uintptr_t)t_->elems[i_];                        \
    if (CM_UNLIKELY(callee == NULL)) {                                        \
      trap = CM_TRAP_UNINITIALIZED_ELEMENT;                                   \
      goto trapped;                                                           \
    }                                                                         \
    const cm_functype *want_ = &inst->module->types[pc->a];                   \
    /* Same module: same type object. Otherwise compare structurally. */      \
    if (CM_UNLIKELY(callee->type != want_ &&                                  \
                    !cm_functype_equal(callee->type, want_))) {               \
      trap = CM_TRAP_INDIRECT_TYPE_MISMATCH;                                  \
      goto trapped;                                                           \
    }                                                                         \
  } while (0)

/* Memory 0 of the current instance, re-read after anything that may have
 * grown or moved it. */
#define RELOAD_MEMORY()                                                       \
  do {                                                                        \
    mem = inst->memory;                                                       \
    mem_base = mem ? mem->data : NULL;                                        \
    mem_size = mem ? mem->size : 0;                                           \
  } while (0)

/* Before a host function runs: it may read the instruction count or call
 * cm_invoke, which must start above the cells in use. */
#define SYNC_FOR_HOST(top)                                                    \
  do {                                                                        \
    s->stack_top = (top);                                                     \
    s->instructions = icount;                                                 \
    s->depth = depth;                                                         \
  } while (0)

/* The function index of the running code, for messages. */
static uint32_t function_index(const cm_instance *inst, const cm_code *func) {
  if (!inst || !func)
    return UINT32_MAX;
  const cm_module *m = inst->module;
  return (uint32_t)(func - m->codes) + m->nfuncs_imported;
}

/* ---- SIMD helpers: a v128 is two cells, lower one first ---- */

/* The 8 bytes in x as lanes of `bits` bits, each widened (sign- or
 * zero-extended) to 2*bits bits, into out[0..2). */
static inline void widen_lanes(uint64_t x, unsigned bits, bool sign,
                               uint64_t *out) {
  unsigned to = 2 * bits;
  uint64_t mask = (UINT64_C(1) << bits) - 1;
  uint64_t to_mask = to == 64 ? ~UINT64_C(0) : (UINT64_C(1) << to) - 1;
  uint64_t lo = 0, hi = 0;
  for (unsigned i = 0; i < 64 / bits; i++) {
    uint64_t lane = (x >> (i * bits)) & mask;
    if (sign && (lane >> (bits - 1)))
      lane = (lane | ~mask) & to_mask;
    unsigned at = i * to;
    if (at < 64)
      lo |= lane << at;
    else
      hi |= lane << (at - 64);
  }
  out[0] = lo;
  out[1] = hi;
}

/* n bytes (n = 1, 2, 4, 8) repeated across a cell. */
static inline uint64_t splat_cell(uint64_t v, unsigned n) {
  switch (n) {
  case 1: return v * UINT64_C(0x0101010101010101);
  case 2: return v * UINT64_C(0x0001000100010001);
  case 4: return v * UINT64_C(0x0000000100000001);
  default: return v;
  }
}

/* i8x16.shuffle: cells[0..4) are a and b; byte i of the result is byte
 * lanes[i] (< 32, validated) of a:b. The result goes to cells[0..2). */
static void shuffle_cells(uint64_t *cells, uint64_t lanes_lo,
                          uint64_t lanes_hi) {
  uint8_t in[32], out[16];
  for (unsigned i = 0; i < 4; i++)
    cm_store_le(in + 8 * i, cells[i], 8);
  for (unsigned i = 0; i < 16; i++) {
    uint64_t lanes = i < 8 ? lanes_lo : lanes_hi;
    out[i] = in[(lanes >> (8 * (i % 8))) & 31];
  }
  cells[0] = cm_load_le(out, 8);
  cells[1] = cm_load_le(out + 8, 8);
}

/* A pure vector instruction (simd.h) on the cells of its operands: pops
 * them as `shape` (module.h) says, pushes the result; returns the new sp.
 * Scalars travel in the low cell of a cm_v128. */
static uint64_t *apply_pure(const cm_insn *insn, uint64_t *sp) {
  uint64_t shape = insn->b;
  cm_v128 args[3];
  for (unsigned i = CM_SHAPE_NPARAMS(shape); i-- > 0;) {
    uint64_t hi = 0;
    if (CM_SHAPE_PARAM_V128(shape, i))
      hi = *--sp;
    uint64_t lo = *--sp;
    cm_store_le(args[i].bytes, lo, 8);
    cm_store_le(args[i].bytes + 8, hi, 8);
  }
  cm_v128 r = cm_simd_apply(insn->a, insn->x, args);
  *sp++ = cm_load_le(r.bytes, 8);
  if (CM_SHAPE_RESULT_V128(shape))
    *sp++ = cm_load_le(r.bytes + 8, 8);
  return sp;
}

/* A host function called directly by cm_invoke (no wasm frame). */
static cm_status exec_host_entry(cm_store *s, cm_func_inst *f, uint64_t *base,
                                 cm_error *err) {
  uint64_t *results = base + f->param_cells;
  if ((size_t)(s->stack_end - results) < f->result_cells)
    return cm_fail(err, CM_EXHAUSTED, CM_TRAP_NONE, "value stack exhausted");
  s->stack_top = results + f->result_cells;
  cm_status status = f->host_fn(f->host_env, NULL, base, results, err);
  if (status != CM_OK)
    return status;
  memmove(base, results, (size_t)f->result_cells * sizeof *base);
  return CM_OK;
}

CM_EXEC_TUNING
cm_status cm_exec(cm_store *s, cm_func_inst *f, uint64_t *base,
                  cm_error *err) {
  if (!f->code)
    return exec_host_entry(s, f, base, err);

#if CM_COMPUTED_GOTO
  static const void *const dispatch_table[CM_OP_COUNT] = {
      [0 ... CM_OP_COUNT - 1] = &&L_ILLEGAL,
#define CM_OPCODE_LABEL(name, value) [value] = &&L_##name,
      CM_EXEC_OPCODES(CM_OPCODE_LABEL)
#undef CM_OPCODE_LABEL
      CM_FUSABLE_I32(FUSED_I32_LABELS)
  };
#endif

  /* The machine registers (see the header comment). */
  const cm_insn *pc = NULL;
  const cm_insn *code = NULL;
  const cm_code *func = NULL;
  uint64_t *sp = base + f->param_cells;
  uint64_t *fp = NULL;
  cm_instance *inst = NULL;
  cm_memory *mem = NULL;
  uint8_t *mem_base = NULL;
  uint64_t mem_size = 0;
  uint64_t icount = s->instructions;
  const uint64_t ilimit = s->limits.instruction_limit
                              ? s->limits.instruction_limit
                              : UINT64_MAX;
  uint32_t depth = s->depth;
  const uint32_t max_depth = s->limits.max_call_depth;
  cm_frame *const frames = s->frames;
  uint64_t *const stack_end = s->stack_end;

  cm_func_inst *callee = f;
  bool tail = false;      /* the call at `call:` is a tail call */
  uint32_t ret_cells = 0; /* cells do_return moves (RETURN's pc->x) */
  cm_trap trap = CM_TRAP_NONE;
  cm_status status = CM_OK;

  /* Enter f as if called from a frame whose pc is NULL: its return ends
   * the loop. */
  goto call;

#if !CM_COMPUTED_GOTO
dispatch:
  ++icount;
#endif
  switch (pc->op) {

  /* ---- Control ---- */

  VM_CASE(UNREACHABLE) {
    trap = CM_TRAP_UNREACHABLE;
    goto trapped;
  }

  /* Never emitted (module.h), harmless if they were. */
  VM_CASE(NOP)
  VM_CASE(BLOCK)
  VM_CASE(LOOP)
  VM_CASE(END) { VM_NEXT(); }

  VM_CASE(IF) {
    /* i32 cells are zero-extended, so the whole cell is the condition. */
    if (*--sp == 0)
      pc = code + pc->a;
    else
      ++pc;
    VM_DISPATCH();
  }

  VM_CASE(ELSE) {
    pc = code + pc->a;
    VM_DISPATCH();
  }

  VM_CASE(BR) { BRANCH(pc); }

  VM_CASE(BR_IF) {
    if (*--sp != 0)
      BRANCH(pc);
    VM_NEXT();
  }

  VM_CASE(BR_TABLE) {
    uint64_t i = *--sp;
    uint32_t n = pc->a;
    BRANCH(pc + 1 + (i < n ? i : n));
  }

  VM_CASE(RETURN) {
    ret_cells = pc->x;
    goto do_return;
  }

  VM_CASE(CALL) {
    callee = inst->funcs[pc->a];
    goto call;
  }

  VM_CASE(CALL_INDIRECT) {
    INDIRECT_CALLEE();
    goto call;
  }

  VM_CASE(RETURN_CALL) {
    callee = inst->funcs[pc->a];
    tail = true;
    goto call;
  }

  VM_CASE(RETURN_CALL_INDIRECT) {
    INDIRECT_CALLEE();
    tail = true;
    goto call;
  }

  /* The top ret_cells cells become the results of the current function,
   * at its fp, and its caller continues. */
do_return: {
    uint32_t n = ret_cells;
    uint64_t *src = sp - n;
    for (uint32_t k = 0; k < n; k++)
      fp[k] = src[k];
    sp = fp + n;
    const cm_frame *caller = &frames[--depth];
    if (caller->pc == NULL)
      goto finished;
    pc = caller->pc + 1;
    code = caller->code->code;
    func = caller->code;
    fp = caller->fp;
    inst = caller->inst;
    /* The callee may have grown this memory, or used another one. */
    RELOAD_MEMORY();
    VM_DISPATCH();
  }

  /* ---- Parametric ---- */

  VM_CASE(DROP) {
    --sp;
    VM_NEXT();
  }

  VM_CASE(SELECT)
  VM_CASE(SELECT_T) {
    sp -= 2;
    if (sp[1] == 0)
      sp[-1] = sp[0];
    VM_NEXT();
  }

  /* ---- Variables ---- */

  VM_CASE(LOCAL_GET) {
    *sp++ = fp[pc->a];
    VM_NEXT();
  }
  VM_CASE(LOCAL_SET) {
    fp[pc->a] = *--sp;
    VM_NEXT();
  }
  VM_CASE(LOCAL_TEE) {
    fp[pc->a] = sp[-1];
    VM_NEXT();
  }
  VM_CASE(GLOBAL_GET) {
    *sp++ = inst->globals[pc->a]->value;
    VM_NEXT();
  }
  VM_CASE(GLOBAL_SET) {
    inst->globals[pc->a]->value = *--sp;
    VM_NEXT();
  }

  /* ---- Tables ---- */

  VM_CASE(TABLE_GET) {
    const cm_table *t = inst->tables[pc->a];
    uint64_t i = sp[-1];
    if (CM_UNLIKELY(i >= t->size)) {
      trap = CM_TRAP_TABLE_OOB;
      goto trapped;
    }
    sp[-1] = t->elems[i];
    VM_NEXT();
  }
  VM_CASE(TABLE_SET) {
    cm_table *t = inst->tables[pc->a];
    uint64_t i = sp[-2];
    if (CM_UNLIKELY(i >= t->size)) {
      trap = CM_TRAP_TABLE_OOB;
      goto trapped;
    }
    t->elems[i] = sp[-1];
    sp -= 2;
    VM_NEXT();
  }

  /* ---- Memory ---- */

  VM_CASE(I32_LOAD) LOAD(4, ZERO_EXTEND);
  VM_CASE(I64_LOAD) LOAD(8, ZERO_EXTEND);
  VM_CASE(F32_LOAD) LOAD(4, ZERO_EXTEND);
  VM_CASE(F64_LOAD) LOAD(8, ZERO_EXTEND);
  VM_CASE(I32_LOAD8_S) LOAD(1, cm_i32_extend8_s);
  VM_CASE(I32_LOAD8_U) LOAD(1, ZERO_EXTEND);
  VM_CASE(I32_LOAD16_S) LOAD(2, cm_i32_extend16_s);
  VM_CASE(I32_LOAD16_U) LOAD(2, ZERO_EXTEND);
  VM_CASE(I64_LOAD8_S) LOAD(1, cm_i64_extend8_s);
  VM_CASE(I64_LOAD8_U) LOAD(1, ZERO_EXTEND);
  VM_CASE(I64_LOAD16_S) LOAD(2, cm_i64_extend16_s);
  VM_CASE(I64_LOAD16_U) LOAD(2, ZERO_EXTEND);
  VM_CASE(I64_LOAD32_S) LOAD(4, cm_i64_extend32_s);
  VM_CASE(I64_LOAD32_U) LOAD(4, ZERO_EXTEND);
  VM_CASE(I32_STORE) STORE(4);
  VM_CASE(I64_STORE) STORE(8);
  VM_CASE(F32_STORE) STORE(4);
  VM_CASE(F64_STORE) STORE(8);
  VM_CASE(I32_STORE8) STORE(1);
  VM_CASE(I32_STORE16) STORE(2);
  VM_CASE(I64_STORE8) STORE(1);
  VM_CASE(I64_STORE16) STORE(2);
  VM_CASE(I64_STORE32) STORE(4);

  VM_CASE(MEMORY_SIZE) {
    *sp++ = mem->pages;
    VM_NEXT();
  }
  VM_CASE(MEMORY_GROW) {
    uint64_t old_pages = cm_memory_grow(mem, sp[-1]);
    /* -1 of the memory's address type */
    if (old_pages == UINT64_MAX && !mem->limits.is64)
      old_pages = UINT32_MAX;
    sp[-1] = old_pages;
    RELOAD_MEMORY();
    VM_NEXT();
  }

  VM_CASE(MEMORY_INIT) {
    uint64_t n = sp[-1], src = sp[-2], dst = sp[-3];
    const cm_data *d = &inst->module->datas[pc->a];
    uint64_t size = inst->data_dropped[pc->a] ? 0 : d->size;
    sp -= 3;
    status = cm_memory_init_range(mem, dst, d->bytes, size, src, n, err);
    if (CM_UNLIKELY(status != CM_OK))
      goto failed;
    VM_NEXT();
  }
  VM_CASE(DATA_DROP) {
    inst->data_dropped[pc->a] = true;
    VM_NEXT();
  }
  VM_CASE(MEMORY_COPY) {
    uint64_t n = sp[-1], src = sp[-2], dst = sp[-3];
    sp -= 3;
    status = cm_memory_copy_range(mem, dst, src, n, err);
    if (CM_UNLIKELY(status != CM_OK))
      goto failed;
    VM_NEXT();
  }
  VM_CASE(MEMORY_FILL) {
    uint64_t n = sp[-1], value = sp[-2], dst = sp[-3];
    sp -= 3;
    status = cm_memory_fill_range(mem, dst, (uint8_t)value, n, err);
    if (CM_UNLIKELY(status != CM_OK))
      goto failed;
    VM_NEXT();
  }

  /* ---- Numeric: constants ---- */

  VM_CASE(I32_CONST)
  VM_CASE(F32_CONST) {
    *sp++ = (uint32_t)pc->b;
    VM_NEXT();
  }
  VM_CASE(I64_CONST)
  VM_CASE(F64_CONST) {
    *sp++ = pc->b;
    VM_NEXT();
  }

  /* ---- Numeric: i32 ---- */

  VM_CASE(I32_EQZ) I32_UNARY(a == 0);
  VM_CASE(I32_EQ) I32_BINARY(a == b);
  VM_CASE(I32_NE) I32_BINARY(a != b);
  VM_CASE(I32_LT_S) I32_BINARY(cm_s32(a) < cm_s32(b));
  VM_CASE(I32_LT_U) I32_BINARY(a < b);
  VM_CASE(I32_GT_S) I32_BINARY(cm_s32(a) > cm_s32(b));
  VM_CASE(I32_GT_U) I32_BINARY(a > b);
  VM_CASE(I32_LE_S) I32_BINARY(cm_s32(a) <= cm_s32(b));
  VM_CASE(I32_LE_U) I32_BINARY(a <= b);
  VM_CASE(I32_GE_S) I32_BINARY(cm_s32(a) >= cm_s32(b));
  VM_CASE(I32_GE_U) I32_BINARY(a >= b);
  VM_CASE(I32_CLZ) I32_UNARY(cm_i32_clz(a));
  VM_CASE(I32_CTZ) I32_UNARY(cm_i32_ctz(a));
  VM_CASE(I32_POPCNT) I32_UNARY(cm_i32_popcnt(a));
  VM_CASE(I32_ADD) I32_BINARY(a + b);
  VM_CASE(I32_SUB) I32_BINARY(a - b);
  VM_CASE(I32_MUL) I32_BINARY(a * b);
  VM_CASE(I32_DIV_S) I32_BINARY_TRAP(cm_i32_div_s);
  VM_CASE(I32_DIV_U) I32_BINARY_TRAP(cm_i32_div_u);
  VM_CASE(I32_REM_S) I32_BINARY_TRAP(cm_i32_rem_s);
  VM_CASE(I32_REM_U) I32_BINARY_TRAP(cm_i32_rem_u);
  VM_CASE(I32_AND) I32_BINARY(a & b);
  VM_CASE(I32_OR) I32_BINARY(a | b);
  VM_CASE(I32_XOR) I32_BINARY(a ^ b);
  VM_CASE(I32_SHL) I32_BINARY(cm_i32_shl(a, b));
  VM_CASE(I32_SHR_S) I32_BINARY(cm_i32_shr_s(a, b));
  VM_CASE(I32_SHR_U) I32_BINARY(cm_i32_shr_u(a, b));
  VM_CASE(I32_ROTL) I32_BINARY(cm_i32_rotl(a, b));
  VM_CASE(I32_ROTR) I32_BINARY(cm_i32_rotr(a, b));

  /* ---- Numeric: i64 ---- */

  VM_CASE(I64_EQZ) I64_UNARY(a == 0);
  VM_CASE(I64_EQ) I64_COMPARE(a == b);
  VM_CASE(I64_NE) I64_COMPARE(a != b);
  VM_CASE(I64_LT_S) I64_COMPARE(cm_s64(a) < cm_s64(b));
  VM_CASE(I64_LT_U) I64_COMPARE(a < b);
  VM_CASE(I64_GT_S) I64_COMPARE(cm_s64(a) > cm_s64(b));
  VM_CASE(I64_GT_U) I64_COMPARE(a > b);
  VM_CASE(I64_LE_S) I64_COMPARE(cm_s64(a) <= cm_s64(b));
  VM_CASE(I64_LE_U) I64_COMPARE(a <= b);
  VM_CASE(I64_GE_S) I64_COMPARE(cm_s64(a) >= cm_s64(b));
  VM_CASE(I64_GE_U) I64_COMPARE(a >= b);
  VM_CASE(I64_CLZ) I64_UNARY(cm_i64_clz(a));
  VM_CASE(I64_CTZ) I64_UNARY(cm_i64_ctz(a));
  VM_CASE(I64_POPCNT) I64_UNARY(cm_i64_popcnt(a));
  VM_CASE(I64_ADD) I64_BINARY(a + b);
  VM_CASE(I64_SUB) I64_BINARY(a - b);
  VM_CASE(I64_MUL) I64_BINARY(a * b);
  VM_CASE(I64_DIV_S) I64_BINARY_TRAP(cm_i64_div_s);
  VM_CASE(I64_DIV_U) I64_BINARY_TRAP(cm_i64_div_u);
  VM_CASE(I64_REM_S) I64_BINARY_TRAP(cm_i64_rem_s);
  VM_CASE(I64_REM_U) I64_BINARY_TRAP(cm_i64_rem_u);
  VM_CASE(I64_AND) I64_BINARY(a & b);
  VM_CASE(I64_OR) I64_BINARY(a | b);
  VM_CASE(I64_XOR) I64_BINARY(a ^ b);
  VM_CASE(I64_SHL) I64_BINARY(cm_i64_shl(a, b));
  VM_CASE(I64_SHR_S) I64_BINARY(cm_i64_shr_s(a, b));
  VM_CASE(I64_SHR_U) I64_BINARY(cm_i64_shr_u(a, b));
  VM_CASE(I64_ROTL) I64_BINARY(cm_i64_rotl(a, b));
  VM_CASE(I64_ROTR) I64_BINARY(cm_i64_rotr(a, b));

  /* ---- Numeric: f32 (operands are bit patterns) ---- */

  VM_CASE(F32_EQ) I32_BINARY(cm_f32_eq(a, b));
  VM_CASE(F32_NE) I32_BINARY(cm_f32_ne(a, b));
  VM_CASE(F32_LT) I32_BINARY(cm_f32_lt(a, b));
  VM_CASE(F32_GT) I32_BINARY(cm_f32_gt(a, b));
  VM_CASE(F32_LE) I32_BINARY(cm_f32_le(a, b));
  VM_CASE(F32_GE) I32_BINARY(cm_f32_ge(a, b));
  VM_CASE(F32_ABS) I32_UNARY(cm_f32_abs(a));
  VM_CASE(F32_NEG) I32_UNARY(cm_f32_neg(a));
  VM_CASE(F32_CEIL) I32_UNARY(cm_f32_ceil(a));
  VM_CASE(F32_FLOOR) I32_UNARY(cm_f32_floor(a));
  VM_CASE(F32_TRUNC) I32_UNARY(cm_f32_trunc(a));
  VM_CASE(F32_NEAREST) I32_UNARY(cm_f32_nearest(a));
  VM_CASE(F32_SQRT) I32_UNARY(cm_f32_sqrt(a));
  VM_CASE(F32_ADD) I32_BINARY(cm_f32_add(a, b));
  VM_CASE(F32_SUB) I32_BINARY(cm_f32_sub(a, b));
  VM_CASE(F32_MUL) I32_BINARY(cm_f32_mul(a, b));
  VM_CASE(F32_DIV) I32_BINARY(cm_f32_div(a, b));
  VM_CASE(F32_MIN) I32_BINARY(cm_f32_min(a, b));
  VM_CASE(F32_MAX) I32_BINARY(cm_f32_max(a, b));
  VM_CASE(F32_COPYSIGN) I32_BINARY(cm_f32_copysign(a, b));

  /* ---- Numeric: f64 ---- */

  VM_CASE(F64_EQ) I64_COMPARE(cm_f64_eq(a, b));
  VM_CASE(F64_NE) I64_COMPARE(cm_f64_ne(a, b));
  VM_CASE(F64_LT) I64_COMPARE(cm_f64_lt(a, b));
  VM_CASE(F64_GT) I64_COMPARE(cm_f64_gt(a, b));
  VM_CASE(F64_LE) I64_COMPARE(cm_f64_le(a, b));
  VM_CASE(F64_GE) I64_COMPARE(cm_f64_ge(a, b));
  VM_CASE(F64_ABS) I64_UNARY(cm_f64_abs(a));
  VM_CASE(F64_NEG) I64_UNARY(cm_f64_neg(a));
  VM_CASE(F64_CEIL) I64_UNARY(cm_f64_ceil(a));
  VM_CASE(F64_FLOOR) I64_UNARY(cm_f64_floor(a));
  VM_CASE(F64_TRUNC) I64_UNARY(cm_f64_trunc(a));
  VM_CASE(F64_NEAREST) I64_UNARY(cm_f64_nearest(a));
  VM_CASE(F64_SQRT) I64_UNARY(cm_f64_sqrt(a));
  VM_CASE(F64_ADD) I64_BINARY(cm_f64_add(a, b));
  VM_CASE(F64_SUB) I64_BINARY(cm_f64_sub(a, b));
  VM_CASE(F64_MUL) I64_BINARY(cm_f64_mul(a, b));
  VM_CASE(F64_DIV) I64_BINARY(cm_f64_div(a, b));
  VM_CASE(F64_MIN) I64_BINARY(cm_f64_min(a, b));
  VM_CASE(F64_MAX) I64_BINARY(cm_f64_max(a, b));
  VM_CASE(F64_COPYSIGN) I64_BINARY(cm_f64_copysign(a, b));

  /* ---- Conversions ---- */

  VM_CASE(I32_WRAP_I64) I64_UNARY((uint32_t)a);
  VM_CASE(I32_TRUNC_F32_S) TRUNC_TRAP(cm_i32_trunc_f32_s, uint32_t, uint32_t);
  VM_CASE(I32_TRUNC_F32_U) TRUNC_TRAP(cm_i32_trunc_f32_u, uint32_t, uint32_t);
  VM_CASE(I32_TRUNC_F64_S) TRUNC_TRAP(cm_i32_trunc_f64_s, uint32_t, uint64_t);
  VM_CASE(I32_TRUNC_F64_U) TRUNC_TRAP(cm_i32_trunc_f64_u, uint32_t, uint64_t);
  VM_CASE(I64_EXTEND_I32_S) I64_UNARY(cm_i64_extend32_s(a));
  VM_CASE(I64_EXTEND_I32_U) I64_UNARY(a); /* already zero-extended */
  VM_CASE(I64_TRUNC_F32_S) TRUNC_TRAP(cm_i64_trunc_f32_s, uint64_t, uint32_t);
  VM_CASE(I64_TRUNC_F32_U) TRUNC_TRAP(cm_i64_trunc_f32_u, uint64_t, uint32_t);
  VM_CASE(I64_TRUNC_F64_S) TRUNC_TRAP(cm_i64_trunc_f64_s, uint64_t, uint64_t);
  VM_CASE(I64_TRUNC_F64_U) TRUNC_TRAP(cm_i64_trunc_f64_u, uint64_t, uint64_t);
  VM_CASE(F32_CONVERT_I32_S) I32_UNARY(cm_f32_convert_i32_s(a));
  VM_CASE(F32_CONVERT_I32_U) I32_UNARY(cm_f32_convert_i32_u(a));
  VM_CASE(F32_CONVERT_I64_S) I64_UNARY(cm_f32_convert_i64_s(a));
  VM_CASE(F32_CONVERT_I64_U) I64_UNARY(cm_f32_convert_i64_u(a));
  VM_CASE(F32_DEMOTE_F64) I64_UNARY(cm_f32_demote_f64(a));
  VM_CASE(F64_CONVERT_I32_S) I64_UNARY(cm_f64_convert_i32_s((uint32_t)a));
  VM_CASE(F64_CONVERT_I32_U) I64_UNARY(cm_f64_convert_i32_u((uint32_t)a));
  VM_CASE(F64_CONVERT_I64_S) I64_UNARY(cm_f64_convert_i64_s(a));
  VM_CASE(F64_CONVERT_I64_U) I64_UNARY(cm_f64_convert_i64_u(a));
  VM_CASE(F64_PROMOTE_F32) I64_UNARY(cm_f64_promote_f32((uint32_t)a));
  /* Cells hold bit patterns, so reinterpretation moves nothing. */
  VM_CASE(I32_REINTERPRET_F32)
  VM_CASE(I64_REINTERPRET_F64)
  VM_CASE(F32_REINTERPRET_I32)
  VM_CASE(F64_REINTERPRET_I64) { VM_NEXT(); }
  VM_CASE(I32_EXTEND8_S) I32_UNARY(cm_i32_extend8_s(a));
  VM_CASE(I32_EXTEND16_S) I32_UNARY(cm_i32_extend16_s(a));
  VM_CASE(I64_EXTEND8_S) I64_UNARY(cm_i64_extend8_s(a));
  VM_CASE(I64_EXTEND16_S) I64_UNARY(cm_i64_extend16_s(a));
  VM_CASE(I64_EXTEND32_S) I64_UNARY(cm_i64_extend32_s(a));
  VM_CASE(I32_TRUNC_SAT_F32_S) I32_UNARY(cm_i32_trunc_sat_f32_s(a));
  VM_CASE(I32_TRUNC_SAT_F32_U) I32_UNARY(cm_i32_trunc_sat_f32_u(a));
  VM_CASE(I32_TRUNC_SAT_F64_S) I64_UNARY(cm_i32_trunc_sat_f64_s(a));
  VM_CASE(I32_TRUNC_SAT_F64_U) I64_UNARY(cm_i32_trunc_sat_f64_u(a));
  VM_CASE(I64_TRUNC_SAT_F32_S) I64_UNARY(cm_i64_trunc_sat_f32_s((uint32_t)a));
  VM_CASE(I64_TRUNC_SAT_F32_U) I64_UNARY(cm_i64_trunc_sat_f32_u((uint32_t)a));
  VM_CASE(I64_TRUNC_SAT_F64_S) I64_UNARY(cm_i64_trunc_sat_f64_s(a));
  VM_CASE(I64_TRUNC_SAT_F64_U) I64_UNARY(cm_i64_trunc_sat_f64_u(a));

  /* ---- References ---- */

  VM_CASE(REF_NULL) {
    *sp++ = 0;
    VM_NEXT();
  }
  VM_CASE(REF_IS_NULL) {
    sp[-1] = sp[-1] == 0;
    VM_NEXT();
  }
  VM_CASE(REF_FUNC) {
    *sp++ = (uint64_t)(uintptr_t)inst->funcs[pc->a];
    VM_NEXT();
  }

  /* ---- Table instructions ---- */

  VM_CASE(TABLE_INIT) {
    uint64_t n = sp[-1], src = sp[-2], dst = sp[-3];
    sp -= 3;
    status = cm_table_init_range(inst->tables[pc->b], dst,
                                 inst->elem_refs[pc->a],
                                 inst->elem_sizes[pc->a], src, n, err);
    if (CM_UNLIKELY(status != CM_OK))
      goto failed;
    VM_NEXT();
  }
  VM_CASE(ELEM_DROP) {
    /* The refs stay allocated until the instance goes; size 0 is drop. */
    inst->elem_sizes[pc->a] = 0;
    VM_NEXT();
  }
  VM_CASE(TABLE_COPY) {
    uint64_t n = sp[-1], src = sp[-2], dst = sp[-3];
    sp -= 3;
    status = cm_table_copy_range(inst->tables[pc->a], inst->tables[pc->b],
                                 dst, src, n, err);
    if (CM_UNLIKELY(status != CM_OK))
      goto failed;
    VM_NEXT();
  }
  VM_CASE(TABLE_GROW) {
    uint64_t n = sp[-1], init = sp[-2];
    cm_table *t = inst->tables[pc->a];
    uint64_t old_size = cm_table_grow(t, n, init);
    --sp;
    /* -1 of the table's index type */
    if (old_size == UINT64_MAX && !t->limits.is64)
      old_size = UINT32_MAX;
    sp[-1] = old_size;
    VM_NEXT();
  }
  VM_CASE(TABLE_SIZE) {
    *sp++ = inst->tables[pc->a]->size;
    VM_NEXT();
  }
  VM_CASE(TABLE_FILL) {
    uint64_t n = sp[-1], ref = sp[-2], dst = sp[-3];
    sp -= 3;
    status = cm_table_fill_range(inst->tables[pc->a], dst, ref, n, err);
    if (CM_UNLIKELY(status != CM_OK))
      goto failed;
    VM_NEXT();
  }

  /* ---- SIMD: a v128 is two cells, bytes 0..7 first; the pure
   * instructions are one case calling simd.c ---- */

  VM_CASE(V128_LOAD) {
    uint64_t ea;
    EFFECTIVE_ADDRESS(ea, sp[-1], 16);
    sp[-1] = cm_load_le(mem_base + ea, 8);
    *sp++ = cm_load_le(mem_base + ea + 8, 8);
    VM_NEXT();
  }
  VM_CASE(V128_LOAD8X8_S) LOAD_WIDEN(8, true);
  VM_CASE(V128_LOAD8X8_U) LOAD_WIDEN(8, false);
  VM_CASE(V128_LOAD16X4_S) LOAD_WIDEN(16, true);
  VM_CASE(V128_LOAD16X4_U) LOAD_WIDEN(16, false);
  VM_CASE(V128_LOAD32X2_S) LOAD_WIDEN(32, true);
  VM_CASE(V128_LOAD32X2_U) LOAD_WIDEN(32, false);
  VM_CASE(V128_LOAD8_SPLAT) LOAD_SPLAT(1);
  VM_CASE(V128_LOAD16_SPLAT) LOAD_SPLAT(2);
  VM_CASE(V128_LOAD32_SPLAT) LOAD_SPLAT(4);
  VM_CASE(V128_LOAD64_SPLAT) LOAD_SPLAT(8);
  VM_CASE(V128_LOAD32_ZERO) LOAD_ZERO(4);
  VM_CASE(V128_LOAD64_ZERO) LOAD_ZERO(8);
  VM_CASE(V128_LOAD8_LANE) LOAD_LANE(1);
  VM_CASE(V128_LOAD16_LANE) LOAD_LANE(2);
  VM_CASE(V128_LOAD32_LANE) LOAD_LANE(4);
  VM_CASE(V128_LOAD64_LANE) LOAD_LANE(8);
  VM_CASE(V128_STORE8_LANE) STORE_LANE(1);
  VM_CASE(V128_STORE16_LANE) STORE_LANE(2);
  VM_CASE(V128_STORE32_LANE) STORE_LANE(4);
  VM_CASE(V128_STORE64_LANE) STORE_LANE(8);
  VM_CASE(V128_STORE) {
    uint64_t ea;
    EFFECTIVE_ADDRESS(ea, sp[-3], 16);
    if (CM_UNLIKELY(mem->journal.open) &&
        !cm_memory_journal_touch(mem, ea, 16))
      goto fail_journal;
    cm_store_le(mem_base + ea, sp[-2], 8);
    cm_store_le(mem_base + ea + 8, sp[-1], 8);
    sp -= 3;
    VM_NEXT();
  }
  VM_CASE(V128_CONST) {
    /* bytes 8..15 are in the following CM_OP_V128_DATA insn */
    sp[0] = pc[0].b;
    sp[1] = pc[1].b;
    sp += 2;
    pc += 2;
    VM_DISPATCH();
  }
  VM_CASE(I8X16_SHUFFLE) {
    sp -= 2;
    shuffle_cells(sp - 2, pc[0].b, pc[1].b);
    pc += 2;
    VM_DISPATCH();
  }
  VM_CASE(V128_PURE) {
    sp = apply_pure(pc, sp);
    VM_NEXT();
  }
  VM_CASE(DROP_V128) {
    sp -= 2;
    VM_NEXT();
  }
  VM_CASE(SELECT_V128) {
    sp -= 3; /* the first operand is at sp[-2..-1], the second at sp[0..1] */
    if (sp[2] == 0) {
      sp[-2] = sp[0];
      sp[-1] = sp[1];
    }
    VM_NEXT();
  }
  VM_CASE(LOCAL_GET_V128) {
    sp[0] = fp[pc->a];
    sp[1] = fp[pc->a + 1];
    sp += 2;
    VM_NEXT();
  }
  VM_CASE(LOCAL_SET_V128) {
    sp -= 2;
    fp[pc->a] = sp[0];
    fp[pc->a + 1] = sp[1];
    VM_NEXT();
  }
  VM_CASE(LOCAL_TEE_V128) {
    fp[pc->a] = sp[-2];
    fp[pc->a + 1] = sp[-1];
    VM_NEXT();
  }
  VM_CASE(GLOBAL_GET_V128) {
    const cm_global *g = inst->globals[pc->a];
    sp[0] = g->value;
    sp[1] = g->value_hi;
    sp += 2;
    VM_NEXT();
  }
  VM_CASE(GLOBAL_SET_V128) {
    cm_global *g = inst->globals[pc->a];
    sp -= 2;
    g->value = sp[0];
    g->value_hi = sp[1];
    VM_NEXT();
  }

  /* ---- Superinstructions (module.h) ---- */

  CM_FUSABLE_I32(FUSED_I32_CASES)

  VM_CASE(LOCAL_COPY) {
    fp[pc->b] = fp[pc->a];
    FUSED_NEXT(2);
  }
  VM_CASE(CONST_TO_LOCAL) {
    fp[pc->a] = (uint32_t)pc->b;
    FUSED_NEXT(2);
  }
  VM_CASE(BR_IF_EQZ) {
    uint64_t c = *--sp;
    FUSED_BR_IF(c == 0, 2);
  }
  VM_CASE(BR_IF_LOCAL) {
    FUSED_BR_IF(fp[pc->a] != 0, 2);
  }
  VM_CASE(TEE_BR_IF) {
    uint64_t c = *--sp;
    fp[pc->a] = c;
    FUSED_BR_IF(c != 0, 2);
  }
  VM_CASE(LOCAL_I32_LOAD) LOCAL_LOAD(4, ZERO_EXTEND);
  VM_CASE(LOCAL_I64_LOAD) LOCAL_LOAD(8, ZERO_EXTEND);
  VM_CASE(LOCAL_F32_LOAD) LOCAL_LOAD(4, ZERO_EXTEND);
  VM_CASE(LOCAL_F64_LOAD) LOCAL_LOAD(8, ZERO_EXTEND);
  VM_CASE(LOCAL_I32_LOAD8_S) LOCAL_LOAD(1, cm_i32_extend8_s);
  VM_CASE(LOCAL_I32_LOAD8_U) LOCAL_LOAD(1, ZERO_EXTEND);
  VM_CASE(LOCAL_I32_LOAD16_S) LOCAL_LOAD(2, cm_i32_extend16_s);
  VM_CASE(LOCAL_I32_LOAD16_U) LOCAL_LOAD(2, ZERO_EXTEND);
  VM_CASE(LOCAL_I64_LOAD8_S) LOCAL_LOAD(1, cm_i64_extend8_s);
  VM_CASE(LOCAL_I64_LOAD8_U) LOCAL_LOAD(1, ZERO_EXTEND);
  VM_CASE(LOCAL_I64_LOAD16_S) LOCAL_LOAD(2, cm_i64_extend16_s);
  VM_CASE(LOCAL_I64_LOAD16_U) LOCAL_LOAD(2, ZERO_EXTEND);
  VM_CASE(LOCAL_I64_LOAD32_S) LOCAL_LOAD(4, cm_i64_extend32_s);
  VM_CASE(LOCAL_I64_LOAD32_U) LOCAL_LOAD(4, ZERO_EXTEND);
  VM_CASE(LOCAL_I32_STORE) LOCAL_STORE(4);
  VM_CASE(LOCAL_I64_STORE) LOCAL_STORE(8);
  VM_CASE(LOCAL_F32_STORE) LOCAL_STORE(4);
  VM_CASE(LOCAL_F64_STORE) LOCAL_STORE(8);
  VM_CASE(LOCAL_I32_STORE8) LOCAL_STORE(1);
  VM_CASE(LOCAL_I32_STORE16) LOCAL_STORE(2);
  VM_CASE(LOCAL_I64_STORE8) LOCAL_STORE(1);
  VM_CASE(LOCAL_I64_STORE16) LOCAL_STORE(2);
  VM_CASE(LOCAL_I64_STORE32) LOCAL_STORE(4);

  default:
#if CM_COMPUTED_GOTO
  L_ILLEGAL:
#endif
    status = cm_fail(err, CM_TRAP, CM_TRAP_UNREACHABLE,
                     "internal error: opcode 0x%x is not executable "
                     "(function %u, instruction %u)",
                     (unsigned)pc->op, function_index(inst, func),
                     (unsigned)(pc - code));
    goto out;
  }

  /* ---- Calls: callee is set; pc is the call instruction (NULL on entry);
   * tail is true for return_call and return_call_indirect ---- */
call:
  if (CM_UNLIKELY(icount > ilimit))
    goto trap_instruction_limit;
  if (callee->code == NULL) {
    /* A host function, given the calling instance. Its results are
     * written above its arguments, then moved down over them. A tail call
     * to it is a call followed by return. */
    uint32_t nresults = callee->result_cells;
    uint64_t *args = sp - callee->param_cells;
    if (CM_UNLIKELY((size_t)(stack_end - sp) < nresults))
      goto exhausted_stack;
    SYNC_FOR_HOST(sp + nresults);
    err->host_code = 0;
    status = callee->host_fn(callee->host_env, inst, args, sp, err);
    icount = s->instructions; /* it may have run wasm through cm_invoke */
    if (status != CM_OK)
      goto failed;
    memmove(args, sp, (size_t)nresults * sizeof *sp);
    sp = args + nresults;
    RELOAD_MEMORY();
    if (tail) {
      tail = false;
      ret_cells = nresults;
      goto do_return;
    }
    VM_NEXT();
  }
  {
    const cm_code *callee_code = callee->code;
    uint32_t nargs = callee->param_cells;
    uint64_t *callee_fp;
    if (tail) {
      /* The callee takes over the current frame: its arguments move down
       * to fp, and no cm_frame is pushed, so neither the call depth nor
       * the value stack grows with a chain of tail calls. */
      tail = false;
      callee_fp = fp;
      if (CM_UNLIKELY((size_t)(stack_end - callee_fp) <
                      callee_code->max_height))
        goto exhausted_stack;
      memmove(callee_fp, sp - nargs, (size_t)nargs * sizeof *sp);
    } else {
      callee_fp = sp - nargs;
      if (CM_UNLIKELY(depth >= max_depth))
        goto exhausted_calls;
      /* max_height covers locals and operands of the whole body, so this
       * one check makes every push inside the function safe. */
      if (CM_UNLIKELY((size_t)(stack_end - callee_fp) <
                      callee_code->max_height))
        goto exhausted_stack;
      frames[depth].pc = pc;
      frames[depth].code = func;
      frames[depth].fp = fp;
      frames[depth].inst = inst;
      depth++;
    }
    for (uint32_t k = nargs; k < callee_code->local_cells; k++)
      callee_fp[k] = 0; /* declared locals start at zero (null refs too) */
    fp = callee_fp;
    sp = fp + callee_code->local_cells;
    func = callee_code;
    code = callee_code->code;
    pc = code;
    if (callee->inst != inst) {
      inst = callee->inst; /* a function of another instance */
      RELOAD_MEMORY();
    }
    VM_DISPATCH();
  }

  /* ---- Exits: the store gets back the count; cm_invoke restores the
   * stacks ---- */
trap_memory_oob:
  trap = CM_TRAP_MEMORY_OOB;
  goto trapped;
trap_instruction_limit:
  trap = CM_TRAP_INSTRUCTION_LIMIT;
  goto trapped;
trapped:
  status = cm_fail(err, CM_TRAP, trap, "%s (function %u, instruction %u)",
                   cm_trap_message(trap), function_index(inst, func),
                   pc ? (unsigned)(pc - code) : 0u);
  goto out;
exhausted_calls:
  status = cm_fail(err, CM_EXHAUSTED, CM_TRAP_NONE,
                   "call stack exhausted (depth %u)", depth);
  goto out;
exhausted_stack:
  status = cm_fail(err, CM_EXHAUSTED, CM_TRAP_NONE, "value stack exhausted");
  goto out;
fail_journal:
  status = cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                   "out of host memory for the write journal");
  goto out;
failed: /* err was filled by the operation or host function */
  err->status = status;
  goto out;
finished:
  status = CM_OK;
out:
  s->instructions = icount;
  return status;
}
