/* Benchmark: an interpreter inside the interpreter. A small register
 * machine (a switch over opcodes, the shape of most bytecode loops) runs a
 * program that counts the primes below LIMIT by trial division. Checks: the
 * count equals pi(LIMIT) and the same count computed directly in C. */
#include "bench.h"

#define LIMIT 25000
#define PRIMES_BELOW_LIMIT 2762 /* pi(25000) */

enum opcode { MOVI, ADD, ADDI, MUL, REM, JGE, JGT, JNZ, JMP, HALT };

typedef struct {
  uint8_t op;
  uint8_t dst, a, b; /* registers */
  int32_t imm;       /* immediate or jump target */
} instruction;

static int32_t execute(const instruction *code, int32_t *reg) {
  for (int pc = 0;;) {
    const instruction *in = &code[pc++];
    switch (in->op) {
    case MOVI: reg[in->dst] = in->imm; break;
    case ADD: reg[in->dst] = reg[in->a] + reg[in->b]; break;
    case ADDI: reg[in->dst] = reg[in->a] + in->imm; break;
    case MUL: reg[in->dst] = reg[in->a] * reg[in->b]; break;
    case REM: reg[in->dst] = reg[in->a] % reg[in->b]; break;
    case JGE: if (reg[in->a] >= reg[in->b]) pc = in->imm; break;
    case JGT: if (reg[in->a] > reg[in->b]) pc = in->imm; break;
    case JNZ: if (reg[in->a] != 0) pc = in->imm; break;
    case JMP: pc = in->imm; break;
    case HALT: return reg[in->a];
    default: return -1;
    }
  }
}

/* r0 count, r1 n, r2 limit, r3 divisor, r4 is-prime, r5 and r6 scratch. */
static const instruction count_primes[] = {
    {MOVI, 0, 0, 0, 0},  /*  0: count = 0 */
    {MOVI, 1, 0, 0, 2},  /*  1: n = 2 */
    {MOVI, 2, 0, 0, 0},  /*  2: limit (patched in) */
    {JGE, 0, 1, 2, 17},  /*  3: n >= limit -> done */
    {MOVI, 3, 0, 0, 2},  /*  4: d = 2 */
    {MOVI, 4, 0, 0, 1},  /*  5: prime = 1 */
    {MUL, 5, 3, 3, 0},   /*  6: t = d * d */
    {JGT, 0, 5, 1, 14},  /*  7: t > n -> tally */
    {REM, 6, 1, 3, 0},   /*  8: r = n % d */
    {JNZ, 0, 6, 0, 12},  /*  9: r != 0 -> next divisor */
    {MOVI, 4, 0, 0, 0},  /* 10: prime = 0 */
    {JMP, 0, 0, 0, 14},  /* 11: -> tally */
    {ADDI, 3, 3, 0, 1},  /* 12: d += 1 */
    {JMP, 0, 0, 0, 6},   /* 13: -> test d */
    {ADD, 0, 0, 4, 0},   /* 14: count += prime */
    {ADDI, 1, 1, 0, 1},  /* 15: n += 1 */
    {JMP, 0, 0, 0, 3},   /* 16: -> next n */
    {HALT, 0, 0, 0, 0},  /* 17: result in r0 */
};

static int32_t count_primes_directly(int32_t limit) {
  int32_t count = 0;
  for (int32_t n = 2; n < limit; n++) {
    int prime = 1;
    for (int32_t d = 2; d * d <= n; d++)
      if (n % d == 0) {
        prime = 0;
        break;
      }
    count += prime;
  }
  return count;
}

int run(void) {
  instruction code[sizeof count_primes / sizeof count_primes[0]];
  for (unsigned i = 0; i < sizeof code / sizeof code[0]; i++)
    code[i] = count_primes[i];
  /* bench_seed is volatile: the limit is unknown until run time (the xor
   * makes the difference 0), so nothing is folded at compile time. */
  int32_t limit = LIMIT + (int32_t)(bench_seed ^ BENCH_SEED);
  code[2].imm = limit;
  int32_t reg[8] = {0};
  int32_t count = execute(code, reg);
  bench_fingerprint = (uint32_t)count;
  if (count != PRIMES_BELOW_LIMIT)
    return 1;
  return count == count_primes_directly(limit) ? 0 : 2;
}
