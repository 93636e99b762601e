/* canmem engine, internal: the Runtime Structure chapter.
 *
 * A store owns everything made in it (function, table, memory and global
 * instances, module instances) and the execution stacks; cm_store_free frees
 * it all. Objects are linked into per-kind lists of their store.
 *
 * Cells: every value is a uint64_t. i32 is zero-extended, f32 keeps its bits
 * in the low 32 bits (high bits zero), i64/f64 use all 64 bits, a funcref is
 * (uintptr_t) of its cm_func_inst or 0, an externref is a host word, 0 for
 * null. The invariant "32-bit values are zero-extended" lets memory64 and
 * wasm32 share one address path. A v128 takes two cells, bytes 0..7 in the
 * lower one and 8..15 in the upper (module.h counts everything in cells),
 * so the other types keep their one-cell paths. */
#ifndef CANMEM_RUNTIME_H
#define CANMEM_RUNTIME_H

#include "module.h"

#define CM_PAGE_SIZE UINT64_C(65536)
/* Spec maximum of a 32-bit memory, whatever the platform allows. */
#define CM_MAX_PAGES32 UINT64_C(65536)
/* Spec maximum of a 64-bit memory: 2^64 bytes / 64 KiB. The store's
 * platform limit is always smaller in practice. */
#define CM_MAX_PAGES64 (UINT64_C(1) << 48)
/* Tables have no platform limit in the store limits; this one keeps a
 * table.grow by 2^32-1 (or, for a 64-bit table, by up to 2^64-1) from
 * asking the host for 32 GiB or more. It applies whatever maximum the table
 * declares. */
#define CM_MAX_TABLE_ELEMS UINT64_C(10000000)
/* A host function may call cm_invoke, which may call a host function...
 * each level recurses on the C stack, so the nesting is bounded apart from
 * the wasm call depth. */
#define CM_MAX_NESTED_INVOKES 100u

struct cm_func_inst {
  cm_store *store;
  const cm_functype *type; /* the module's type, or our copy for host fns */
  /* a wasm function: */
  cm_instance *inst;
  const cm_code *code; /* NULL for a host function */
  uint32_t index;      /* in inst's function space, for messages */
  /* a host function: */
  cm_host_fn host_fn;
  void *host_env;
  cm_functype host_type; /* owns params/results of a host function */
  uint32_t param_cells, result_cells; /* cm_types_cells of the type */
  cm_func_inst *next_in_store;
};

/* The write journal of a memory (see wasm.h). Blocks are CM_JOURNAL_PAGE
 * bytes. Only blocks below the size the memory had when the journal opened
 * are saved: rollback shrinks the memory back, which drops the rest. */

typedef struct {
  bool open;
  bool broken;          /* the bitmap could not be allocated: writes fail */
  uint64_t start_size;  /* bytes, when the journal opened */
  uint64_t start_pages;
  uint64_t start_blocks; /* start_size / CM_JOURNAL_PAGE */
  /* One bit per block below start_size: already saved in this journal.
   * It persists across journals; commit and rollback clear only the bits
   * they set, so their cost follows what was touched. */
  uint64_t *saved_bits;
  uint64_t saved_bits_words;
  /* Saved block i is block number blocks[i], its old bytes at
   * old_bytes + i * CM_JOURNAL_PAGE. Both arrays are kept between journals
   * (a high-water mark), so a message pays no allocation per block;
   * beyond 16 MiB of old bytes they are freed by the first journal that
   * used less than a quarter of them (memory.c, journal_forget). */
  uint64_t *blocks;
  uint8_t *old_bytes;
  size_t nentries, entries_cap;
  /* Journals in a row that used less than a quarter of a large buffer
   * (journal_forget frees it after CM_JOURNAL_SMALL_RUN of them). */
  uint32_t small_run;
} cm_journal;

struct cm_memory {
  cm_store *store;
  uint8_t *data;     /* size bytes (memory.c: "The byte block") */
  uint64_t size;     /* bytes = pages * CM_PAGE_SIZE */
  uint64_t reserved; /* bytes of the block: it grows in place up to here */
  uint64_t pages;
  cm_limits limits;  /* declared; limits.min is the initial size */
  uint64_t max_pages; /* min(declared max, platform max, spec max) */
  cm_journal journal;
  cm_memory *next_in_store;
};

struct cm_table {
  cm_store *store;
  uint64_t *elems; /* size refs */
  uint64_t size;
  uint8_t elemtype; /* CM_FUNCREF or CM_EXTERNREF */
  cm_limits limits;
  uint64_t max_size; /* min(declared max, CM_MAX_TABLE_ELEMS) */
  cm_table *next_in_store;
};

struct cm_global {
  cm_store *store;
  uint8_t type; /* cm_valtype */
  bool mut;
  uint64_t value;    /* a cell; a v128's bytes 0..7 */
  uint64_t value_hi; /* a v128's bytes 8..15; 0 for other types */
  cm_global *next_in_store;
};

struct cm_instance {
  cm_store *store;
  const cm_module *module;
  /* Index spaces, imports first, in the module's order. */
  cm_func_inst **funcs;
  cm_table **tables;
  cm_memory *memory; /* memory 0 or NULL: at most one memory */
  cm_global **globals;
  /* Element segments as evaluated references; a dropped segment has
   * length 0. Data segments are read from the module; dropped ones too. */
  uint64_t **elem_refs;
  uint32_t *elem_sizes;
  bool *data_dropped;
  cm_instance *next_in_store;
};

/* One activation record of the explicit call stack: where to continue in the
 * caller. pc == NULL marks a return to the host. */
typedef struct {
  const cm_insn *pc;
  const cm_code *code;
  uint64_t *fp;
  cm_instance *inst;
} cm_frame;

struct cm_store {
  cm_store_limits limits;
  uint64_t *stack; /* limits.value_stack_size cells */
  uint64_t *stack_end;
  /* Cells below this are used by invocations in progress; a host function
   * that calls cm_invoke again starts above them. */
  uint64_t *stack_top;
  cm_frame *frames; /* limits.max_call_depth + 1 entries */
  uint32_t depth;   /* frames in use */
  bool running;     /* an invocation is in progress (re-entrant invoke) */
  uint32_t nesting; /* invocations in progress, each with a C stack frame */
  uint64_t instructions;
  cm_func_inst *funcs;
  cm_memory *memories;
  cm_table *tables;
  cm_global *globals;
  cm_instance *instances;
};

/* ---- memory.c ---- */

/* Make a memory with limits->min pages; NULL on allocation failure or when
 * the minimum exceeds the platform maximum. */
cm_memory *cm_memory_create(cm_store *s, const cm_limits *limits);
void cm_memory_destroy(cm_memory *mem);
/* Slow path of the journal: save the blocks of [offset, offset+size) not
 * yet saved. The range must be inside the memory. */
bool cm_memory_journal_save(cm_memory *mem, uint64_t offset, uint64_t size);

/* The fast path of cm_memory_will_write for exec and the bulk operations:
 * one predictable branch when no journal is open, a bitmap test for a write
 * inside one block that is already saved. The range must be inside the
 * memory. */
static inline bool cm_memory_journal_touch(cm_memory *mem, uint64_t offset,
                                           uint64_t size) {
  const cm_journal *j = &mem->journal;
  if (!j->open || size == 0)
    return true;
  uint64_t first = offset / CM_JOURNAL_PAGE;
  if (first == (offset + size - 1) / CM_JOURNAL_PAGE) {
    if (first >= j->start_blocks)
      return true; /* grown inside the journal: rollback drops it */
    if (first / 64 < j->saved_bits_words &&
        (j->saved_bits[first / 64] >> (first % 64)) & 1)
      return true;
  }
  return cm_memory_journal_save(mem, offset, size);
}
/* How many blocks the open journal has saved (for tests and hosts that
 * want to see the cost of a rollback). */
size_t cm_memory_journal_saved_blocks(const cm_memory *mem);

cm_table *cm_table_create(cm_store *s, uint8_t elemtype,
                          const cm_limits *limits);
void cm_table_destroy(cm_table *t);
/* table.grow: old size, or UINT64_MAX when the maximum or the host forbids. */
uint64_t cm_table_grow(cm_table *t, uint64_t delta, uint64_t init);

cm_global *cm_global_create(cm_store *s, uint8_t type, bool mut,
                            uint64_t value, uint64_t value_hi);
void cm_global_destroy(cm_global *g);

/* Bulk operations shared by exec and instantiation, with the Wasm 2.0
 * semantics: every range is checked first (CM_TRAP with the category, err
 * filled), then the operation happens; memory writes go through the
 * journal (CM_NO_MEMORY when it cannot save). */
cm_status cm_memory_init_range(cm_memory *mem, uint64_t dst,
                               const uint8_t *bytes, uint64_t bytes_size,
                               uint64_t src, uint64_t n, cm_error *err);
cm_status cm_memory_copy_range(cm_memory *mem, uint64_t dst, uint64_t src,
                               uint64_t n, cm_error *err);
cm_status cm_memory_fill_range(cm_memory *mem, uint64_t dst, uint8_t value,
                               uint64_t n, cm_error *err);
cm_status cm_table_init_range(cm_table *t, uint64_t dst, const uint64_t *refs,
                              uint64_t refs_size, uint64_t src, uint64_t n,
                              cm_error *err);
cm_status cm_table_copy_range(cm_table *dst_table, cm_table *src_table,
                              uint64_t dst, uint64_t src, uint64_t n,
                              cm_error *err);
cm_status cm_table_fill_range(cm_table *t, uint64_t dst, uint64_t ref,
                              uint64_t n, cm_error *err);

/* A host-supplied value as a cell: 32-bit types zero-extended. */
uint64_t cm_cell_normalize(uint8_t type, uint64_t bits);

/* ---- store.c ---- */

cm_func_inst *cm_func_create(cm_store *s, cm_instance *inst, uint32_t index,
                             const cm_functype *type, const cm_code *code);
void cm_func_destroy(cm_func_inst *f);

/* ---- exec.c ---- */

/* Run f with its arguments in cells base[0..f->param_cells); on CM_OK the
 * results are in base[0..f->result_cells). base must be s->stack_top and
 * have room for the larger of the two. err is never NULL. */
cm_status cm_exec(cm_store *s, cm_func_inst *f, uint64_t *base,
                  cm_error *err);

/* ---- instantiate.c ---- */

/* The value of a constant expression in an instance being built; for a
 * v128 the lower cell, cm_eval_const_hi gives the upper one (0 for other
 * types). */
uint64_t cm_eval_const(const cm_instance *inst, const cm_constexpr *e);
uint64_t cm_eval_const_hi(const cm_instance *inst, const cm_constexpr *e);

#endif
