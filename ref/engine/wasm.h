/* canmem WebAssembly engine: the public interface.
 *
 * decode -> validate -> instantiate -> invoke, following the chapters of the
 * WebAssembly specification. Every failure is a value (cm_error), never a
 * crash. There is no global mutable state: a cm_store owns the execution
 * stacks and limits, and any number of stores may live in one process. */
#ifndef CANMEM_WASM_H
#define CANMEM_WASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value types, with their binary encodings. */
typedef enum {
  CM_I32 = 0x7f,
  CM_I64 = 0x7e,
  CM_F32 = 0x7d,
  CM_F64 = 0x7c,
  CM_V128 = 0x7b, /* fixed-width SIMD: 128 bits */
  CM_FUNCREF = 0x70,
  CM_EXTERNREF = 0x6f,
} cm_valtype;

/* One value. Floats are kept as bit patterns; a reference is 0 when null,
 * a cm_func_inst pointer for funcref, and a host-chosen non-zero word for
 * externref. A v128 is 16 bytes in little-endian lane order: bits holds
 * bytes 0..7 and bits_hi bytes 8..15 (each as a little-endian uint64_t);
 * bits_hi is 0 for every other type. */
typedef struct {
  uint8_t type; /* cm_valtype */
  uint64_t bits;
  uint64_t bits_hi; /* v128 only */
} cm_val;

/* How an operation ended. The kinds mirror the spec's failure classes and
 * the assertions of the official test suite one for one. */
typedef enum {
  CM_OK = 0,
  CM_MALFORMED,      /* decoding failed: error.offset is the byte offset */
  CM_INVALID,        /* validation failed: error.func is the function index */
  CM_UNLINKABLE,     /* an import is missing or has the wrong type */
  CM_UNINSTANTIABLE, /* a trap during instantiation (segments, start) */
  CM_TRAP,           /* execution trapped: error.trap says why */
  CM_EXHAUSTED,      /* call depth or value stack exhausted */
  CM_NO_MEMORY,      /* the host could not allocate */
} cm_status;

/* Trap categories. */
typedef enum {
  CM_TRAP_NONE = 0,
  CM_TRAP_UNREACHABLE,
  CM_TRAP_MEMORY_OOB,
  CM_TRAP_TABLE_OOB,
  CM_TRAP_DIV_ZERO,
  CM_TRAP_INT_OVERFLOW,
  CM_TRAP_INVALID_CONVERSION,
  CM_TRAP_INDIRECT_TYPE_MISMATCH,
  CM_TRAP_UNINITIALIZED_ELEMENT,
  CM_TRAP_INSTRUCTION_LIMIT,
  CM_TRAP_HOST, /* raised by a host function; error.host_code says which */
} cm_trap;

typedef struct {
  cm_status status;
  cm_trap trap;       /* with CM_TRAP and CM_UNINSTANTIABLE */
  uint32_t host_code; /* with CM_TRAP_HOST: the host's own category */
  uint64_t offset;    /* with CM_MALFORMED/CM_INVALID: byte offset in the binary */
  uint32_t func;      /* with CM_INVALID: function index (UINT32_MAX: none) */
  char message[200];  /* for people; never compared by tests */
} cm_error;

const char *cm_status_name(cm_status s);
const char *cm_trap_name(cm_trap t);
/* The official test suite's wording of a trap ("integer divide by zero"). */
const char *cm_trap_message(cm_trap t);
/* Fill err (when not NULL) with status, trap and a printf-style message;
 * returns status so failure paths can `return cm_fail(...)`. */
cm_status cm_fail(cm_error *err, cm_status status, cm_trap trap,
                  const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- Types ---- */

typedef struct {
  uint32_t nparams, nresults;
  uint8_t *params, *results; /* cm_valtype each */
} cm_functype;

typedef struct {
  uint64_t min, max; /* in pages (memory) or elements (table) */
  bool has_max;
  bool is64; /* memory64: a 64-bit memory or table (index type i64) */
} cm_limits;

typedef enum {
  CM_EXTERN_FUNC = 0,
  CM_EXTERN_TABLE = 1,
  CM_EXTERN_MEMORY = 2,
  CM_EXTERN_GLOBAL = 3,
} cm_externkind;

/* "i32", "funcref", ...; "func", "memory", ... */
const char *cm_valtype_name(uint8_t type);
const char *cm_externkind_name(cm_externkind kind);

bool cm_functype_equal(const cm_functype *a, const cm_functype *b);

/* ---- Modules ---- */

typedef struct cm_module cm_module;

/* Decode and validate a binary module. The bytes are copied. On failure
 * returns NULL and fills err (CM_MALFORMED, CM_INVALID or CM_NO_MEMORY). */
cm_module *cm_module_new(const uint8_t *bytes, size_t size, cm_error *err);
void cm_module_free(cm_module *m);

/* Reflection, for hosts that link by name (the canister layer, the runner). */
uint32_t cm_module_import_count(const cm_module *m);
void cm_module_import(const cm_module *m, uint32_t i, const char **module,
                      const char **name, cm_externkind *kind);
/* The function type of import i (kind must be CM_EXTERN_FUNC). */
const cm_functype *cm_module_import_functype(const cm_module *m, uint32_t i);
uint32_t cm_module_export_count(const cm_module *m);
void cm_module_export(const cm_module *m, uint32_t i, const char **name,
                      cm_externkind *kind);
/* The type of exported function `name`, or NULL. */
const cm_functype *cm_module_export_functype(const cm_module *m,
                                             const char *name);
/* Custom sections, in order. */
uint32_t cm_module_custom_count(const cm_module *m);
void cm_module_custom(const cm_module *m, uint32_t i, const char **name,
                      const uint8_t **bytes, size_t *size);
/* The module's memories (imported and defined) and their limits. */
uint32_t cm_module_memory_count(const cm_module *m);
const cm_limits *cm_module_memory_limits(const cm_module *m, uint32_t i);
bool cm_module_has_start(const cm_module *m);
/* The post-MVP features a module uses, found by decoding and validation,
 * so a host can refuse those it does not offer (the canister layer's
 * profile). A feature counts when the binary declares it (a v128 type, a
 * 64-bit table) or an instruction uses it. */
#define CM_FEATURE_SIMD (1u << 0)      /* v128 anywhere, any 0xfd opcode */
#define CM_FEATURE_TAIL_CALL (1u << 1) /* return_call, return_call_indirect */
#define CM_FEATURE_TABLE64 (1u << 2)   /* a table with i64 limits */
#define CM_FEATURE_MEMORY64 (1u << 3)  /* a memory with i64 limits */
uint32_t cm_module_features(const cm_module *m);

/* ---- Stores: execution resources and limits ---- */

typedef struct {
  uint32_t max_call_depth;   /* frames; exceeding it is CM_EXHAUSTED */
  uint32_t value_stack_size; /* cells */
  uint64_t max_pages32;      /* platform maximum of a 32-bit memory */
  uint64_t max_pages64;      /* platform maximum of a 64-bit memory */
  uint64_t instruction_limit; /* per invocation; 0 = unlimited */
} cm_store_limits;

typedef struct cm_store cm_store;

/* Defaults: depth 10000, 1 Mi cells, 65536 pages (4 GiB) for wasm32,
 * 2^48/65536 pages for wasm64, no instruction limit. */
cm_store_limits cm_store_default_limits(void);
cm_store *cm_store_new(const cm_store_limits *limits);
void cm_store_free(cm_store *s); /* frees every instance made in it */
/* Instructions executed by the last (or current) invocation. */
uint64_t cm_store_instructions(const cm_store *s);
/* Change the instruction limit of later invocations (0 = unlimited). */
void cm_store_set_instruction_limit(cm_store *s, uint64_t limit);

/* ---- Runtime objects ---- */

typedef struct cm_instance cm_instance;
typedef struct cm_func_inst cm_func_inst;
typedef struct cm_memory cm_memory;
typedef struct cm_table cm_table;
typedef struct cm_global cm_global;

/* A host function. args holds the parameters' cells, results room for the
 * results' cells, in the cell encoding of cm_val.bits: one cell a value,
 * two for a v128 (bits, then bits_hi). `caller` is the instance whose code made
 * the call (NULL when invoked from the host), so ic0 functions can reach its
 * memory. Return CM_OK, or fill err through cm_fail (usually CM_TRAP with
 * CM_TRAP_HOST and err->host_code set) and return that status. */
typedef cm_status (*cm_host_fn)(void *env, cm_instance *caller,
                                const uint64_t *args, uint64_t *results,
                                cm_error *err);

cm_func_inst *cm_host_func_new(cm_store *s, const cm_functype *type,
                               cm_host_fn fn, void *env);
cm_memory *cm_memory_new(cm_store *s, const cm_limits *limits);
cm_table *cm_table_new(cm_store *s, uint8_t elemtype, const cm_limits *limits);
cm_global *cm_global_new(cm_store *s, cm_val init, bool mutable_);

/* A resolved import: one of the objects above, or an export of another
 * instance, of the matching kind. */
typedef struct {
  cm_externkind kind;
  union {
    cm_func_inst *func;
    cm_table *table;
    cm_memory *memory;
    cm_global *global;
  } as;
} cm_extern;

/* Instantiate m with imports[i] for import i. Runs data and element
 * initialisation and the start function. Fails with CM_UNLINKABLE,
 * CM_UNINSTANTIABLE (a trap in initialisation; err->trap says which) or
 * CM_NO_MEMORY, and then returns NULL. The instance belongs to the store; the
 * module must outlive it. */
cm_instance *cm_instantiate(cm_store *s, const cm_module *m,
                            const cm_extern *imports, uint32_t nimports,
                            cm_error *err);
/* Same, but stops before the start function; call cm_run_start next. The
 * canister layer needs the split to place (start) in its transaction. */
cm_instance *cm_instantiate_no_start(cm_store *s, const cm_module *m,
                                     const cm_extern *imports,
                                     uint32_t nimports, cm_error *err);
cm_status cm_run_start(cm_instance *inst, cm_error *err);

const cm_module *cm_instance_module(const cm_instance *inst);
/* Look up an export by name; false when there is none of that name. */
bool cm_instance_export(const cm_instance *inst, const char *name,
                        cm_extern *out);
/* The same with an explicit length: wasm names may contain NUL bytes. */
bool cm_instance_export_n(const cm_instance *inst, const char *name,
                          size_t length, cm_extern *out);
/* The instance's memory 0, or NULL. */
cm_memory *cm_instance_memory(const cm_instance *inst);

/* Call a function with nparams args; on CM_OK results holds nresults
 * values. Traps and exhaustion leave the store usable. */
cm_status cm_invoke(cm_store *s, cm_func_inst *f, const cm_val *args,
                    cm_val *results, cm_error *err);
const cm_functype *cm_func_type(const cm_func_inst *f);

/* Memories. Sizes are in bytes unless named pages. */
uint8_t *cm_memory_data(cm_memory *mem);
uint64_t cm_memory_size(const cm_memory *mem);
uint64_t cm_memory_pages(const cm_memory *mem);
bool cm_memory_is64(const cm_memory *mem);
/* Grow by delta pages; returns the old page count or -1 (as UINT64_MAX)
 * when the declared or platform maximum forbids it or allocation fails. */
uint64_t cm_memory_grow(cm_memory *mem, uint64_t delta);
/* Exchange the storage of two memories: their bytes, sizes and write
 * journals (an open journal goes with the bytes it guards, so a rollback
 * on the memory that holds them afterwards restores them). Limits stay
 * with each memory. No byte is copied or touched: the cost is constant,
 * whatever the sizes. False, and nothing changes, when the index types
 * differ or either size exceeds the other memory's maximum. A host moves
 * a heap from one instance to the next this way (the canister layer's
 * upgrade with wasm_memory_persistence keep), and back if it must. The
 * memories may belong to different stores; none may be executing. */
bool cm_memory_swap_storage(cm_memory *a, cm_memory *b);
/* True when [offset, offset+size) lies inside the memory, computed without
 * wrap-around. The one bounds check shared by the engine and host calls. */
static inline bool cm_range_ok(uint64_t offset, uint64_t size,
                               uint64_t bound) {
  return offset <= bound && size <= bound - offset;
}

/* Write journal, so a host can roll back what one message did at a cost
 * proportional to what it touched. While a journal is open, the first write
 * to each CM_JOURNAL_PAGE-byte block saves the block's old bytes; rollback
 * restores them and the old size, commit forgets them. Host functions that
 * write into a memory call cm_memory_will_write first. */
#define CM_JOURNAL_PAGE 4096u
void cm_memory_journal_begin(cm_memory *mem);
void cm_memory_journal_commit(cm_memory *mem);
void cm_memory_journal_rollback(cm_memory *mem);
/* false on allocation failure (the write must then not happen) */
bool cm_memory_will_write(cm_memory *mem, uint64_t offset, uint64_t size);

cm_val cm_global_get(const cm_global *g);
void cm_global_set(cm_global *g, cm_val v);

uint64_t cm_table_size(const cm_table *t);
/* false when out of bounds */
bool cm_table_get(const cm_table *t, uint64_t i, uint64_t *ref);

#endif
