/* Which post-MVP WebAssembly features a module's code uses (MOD-FEAT):
 * SIMD, tail calls and 64-bit tables, which a profile may or may not
 * enable, and anything beyond what the IC accepts. wasm2c 1.0.32 cannot
 * translate the first three (it aborts on SIMD and refuses the others), so
 * the adapter has to know before it runs wasm2c: to refuse the module as
 * the IC would when the profile lacks the feature, and to say plainly that
 * this runtime cannot run it when the profile has it.
 *
 * The walk only follows instruction immediates; validation is wasm2c's.
 * Code that ends inside an instruction counts as CMW_USES_OTHER, so it is
 * refused as invalid, which is what wasm2c would say. */
#include <stdio.h>
#include <string.h>

#include "w2c_internal.h"

typedef struct {
  const uint8_t *p, *end;
  int failed;
} walker;

static uint8_t next(walker *w) {
  if (w->p >= w->end) {
    w->failed = 1;
    return 0;
  }
  return *w->p++;
}

/* Any LEB128 number, signed or not: only its length matters here. */
static uint64_t leb(walker *w) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 70; shift += 7) {
    uint8_t b = next(w);
    if (shift < 64)
      v |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return v;
  }
  w->failed = 1;
  return 0;
}

static void skip(walker *w, size_t n) {
  if ((size_t)(w->end - w->p) < n) {
    w->failed = 1;
    return;
  }
  w->p += n;
}

/* A value type; (ref null? ht) carries a heap type. */
static uint8_t valtype(walker *w) {
  uint8_t t = next(w);
  if (t == 0x63 || t == 0x64)
    leb(w);
  return t;
}

static void memarg(walker *w) {
  uint64_t align = leb(w);
  if (align & 0x40) /* multi-memory: a memory index follows */
    leb(w);
  leb(w);
}

/* How many LEB immediates follow each 0xfc opcode: 0-7 saturating
 * truncation, then memory.init, data.drop, memory.copy, memory.fill,
 * table.init, elem.drop, table.copy, table.grow, table.size, table.fill. */
static const uint8_t fc_immediates[] = {0, 0, 0, 0, 0, 0, 0, 0, 2,
                                        1, 2, 1, 2, 1, 2, 1, 1, 1};

/* One instruction; returns 0, or -1 with its name in why when it belongs
 * to no feature the IC knows. */
static int instruction(walker *w, uint32_t *uses, char *why,
                       size_t why_size) {
  uint8_t op = next(w);
  if (op <= 0x01 || op == 0x05 || op == 0x0b || op == 0x0f || op == 0x1a ||
      op == 0x1b || op == 0xd1 || (op >= 0x45 && op <= 0xc4))
    return 0; /* no immediate */
  if (op >= 0x02 && op <= 0x04) { /* block type */
    uint8_t b = w->p < w->end ? *w->p : 0;
    if (b == 0x40)
      w->p++;
    else if (b >= 0x40 && b < 0x80) { /* a value type (negative s33) */
      if (valtype(w) == 0x7b)
        *uses |= CMW_USES_SIMD;
    } else
      leb(w); /* a type index */
    return 0;
  }
  switch (op) {
  case 0x0c: case 0x0d: case 0x10: case 0x20: case 0x21: case 0x22:
  case 0x23: case 0x24: case 0x25: case 0x26: case 0x3f: case 0x40:
  case 0xd0: case 0xd2: case 0x41: case 0x42:
    leb(w);
    return 0;
  case 0x11:
    leb(w);
    leb(w);
    return 0;
  case 0x12: /* return_call */
    *uses |= CMW_USES_TAIL_CALL;
    leb(w);
    return 0;
  case 0x13: /* return_call_indirect */
    *uses |= CMW_USES_TAIL_CALL;
    leb(w);
    leb(w);
    return 0;
  case 0x0e: { /* br_table: the labels, then the default */
    uint64_t n = leb(w);
    for (uint64_t k = 0; k <= n && !w->failed; k++)
      leb(w);
    return 0;
  }
  case 0x1c: { /* select t* */
    uint64_t n = leb(w);
    for (uint64_t k = 0; k < n && !w->failed; k++)
      if (valtype(w) == 0x7b)
        *uses |= CMW_USES_SIMD;
    return 0;
  }
  case 0x43:
    skip(w, 4);
    return 0;
  case 0x44:
    skip(w, 8);
    return 0;
  case 0xfc: {
    uint64_t sub = leb(w);
    if (sub >= sizeof fc_immediates) {
      snprintf(why, why_size, "instruction 0xfc %llu",
               (unsigned long long)sub);
      return -1;
    }
    for (unsigned k = 0; k < fc_immediates[sub]; k++)
      leb(w);
    return 0;
  }
  case 0xfd: { /* fixed-width SIMD */
    *uses |= CMW_USES_SIMD;
    uint64_t sub = leb(w);
    if (sub <= 0x0b || sub == 0x5c || sub == 0x5d)
      memarg(w);
    else if (sub == 0x0c || sub == 0x0d) /* v128.const, i8x16.shuffle */
      skip(w, 16);
    else if (sub >= 0x15 && sub <= 0x22) /* lane index */
      skip(w, 1);
    else if (sub >= 0x54 && sub <= 0x5b) { /* load/store lane */
      memarg(w);
      skip(w, 1);
    } else if (sub > 0xff) {
      snprintf(why, why_size, "instruction 0xfd %llu (relaxed SIMD)",
               (unsigned long long)sub);
      return -1;
    }
    return 0;
  }
  default:
    if (op >= 0x28 && op <= 0x3e) { /* loads and stores */
      memarg(w);
      return 0;
    }
    snprintf(why, why_size, "instruction 0x%02x", op);
    return -1;
  }
}

uint32_t cmw_module_features(const cmw_module *m, char *why,
                             size_t why_size) {
  uint32_t uses = (m->v128_declared ? CMW_USES_SIMD : 0) |
                  (m->table64 ? CMW_USES_TABLE64 : 0);
  for (uint32_t s = 0; s < m->nsections; s++) {
    if (m->sections[s].id != 10)
      continue;
    walker w = {m->bytes + m->sections[s].start,
                m->bytes + m->sections[s].end, 0};
    uint64_t nbodies = leb(&w);
    for (uint64_t i = 0; i < nbodies && !w.failed; i++) {
      uint64_t size = leb(&w);
      walker body = {w.p, w.p, 1};
      if (!w.failed && size <= (uint64_t)(w.end - w.p)) {
        body = (walker){w.p, w.p + size, 0};
        w.p += size;
      }
      uint64_t groups = leb(&body);
      for (uint64_t k = 0; k < groups && !body.failed; k++) {
        leb(&body);
        if (valtype(&body) == 0x7b)
          uses |= CMW_USES_SIMD;
      }
      while (body.p < body.end && !body.failed)
        if (instruction(&body, &uses, why, why_size) != 0)
          return uses | CMW_USES_OTHER;
      if (body.failed) {
        snprintf(why, why_size, "malformed code in function body %llu",
                 (unsigned long long)i);
        return uses | CMW_USES_OTHER;
      }
    }
  }
  return uses;
}
