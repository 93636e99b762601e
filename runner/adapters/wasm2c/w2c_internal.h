/* Internals of the wasm2c adapter: a canister runtime that translates each
 * module with wabt's wasm2c, compiles it into a shared object and runs it
 * under its own ic0 host. docs/adapter-wasm2c.md describes the design.
 *
 * Files: adapter.c (ABI table, lifecycle, transactions), sysapi.c (ic0),
 * module.c (parsing, canister module rules, rewriting for wasm2c),
 * features.c (the post-MVP features a module's code uses),
 * build.c (translation, compilation, cache, loading), stable.c (stable
 * memory with a journal), w2c_rt.c (the wasm-rt runtime compiled into every
 * module object; never linked into the adapter). */
#ifndef CMW_INTERNAL_H
#define CMW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "canmem_adapter.h"

#define CMW_PAGE 65536u

/* ---- A growable byte buffer ---- */
typedef struct {
  uint8_t *data;
  size_t size, capacity;
} cmw_buf;
int cmw_buf_append(cmw_buf *b, const void *data, size_t size); /* 0 = ok */
void cmw_buf_free(cmw_buf *b);

/* ---- module.c: the parsed module ---- */
typedef struct {
  uint32_t nparams, nresults;
  uint8_t *types; /* nparams parameter codes then nresults result codes */
} cmw_functype;

#define CMW_EXT_FUNC 0u
#define CMW_EXT_TABLE 1u
#define CMW_EXT_MEMORY 2u
#define CMW_EXT_GLOBAL 3u
#define CMW_EXT_TAG 4u

typedef struct {
  char *module, *name; /* NUL-terminated copies (names may hold NULs) */
  uint32_t module_len, name_len;
  uint32_t kind;
  uint32_t type_index; /* functions */
  uint8_t reftype;     /* tables */
} cmw_import;

typedef struct {
  char *name;
  uint32_t name_len;
  uint32_t kind, index;
} cmw_export;

typedef struct {
  uint32_t memory_index;
  int active, offset_known;
  uint64_t offset;
  const uint8_t *bytes; /* points into the module's bytes */
  uint64_t size;
} cmw_data_segment;

typedef struct {
  uint32_t id;
  size_t start, end; /* payload range in the module's bytes */
} cmw_section;

typedef struct {
  uint8_t *bytes; /* the (decompressed) module, owned */
  size_t size;
  cmw_functype *types;
  uint32_t ntypes;
  cmw_import *imports;
  uint32_t nimports;
  uint32_t *func_types; /* type of every function, imports first */
  uint32_t nfuncs, nimported_funcs;
  uint8_t *table_reftypes; /* every table, imports first */
  uint64_t *table_min, *table_max; /* max UINT32_MAX when absent */
  uint32_t ntables, nimported_tables;
  uint32_t nmemories, nimported_memories;
  uint64_t mem_min, mem_max; /* memory 0, in pages */
  int mem_has_max, mem_is64;
  uint32_t nglobals, nimported_globals;
  uint8_t *global_types, *global_mut; /* every global, imports first */
  cmw_export *exports;
  uint32_t nexports;
  int has_start;
  uint32_t start_func;
  cmw_data_segment *data;
  uint32_t ndata;
  cmw_section *sections;
  uint32_t nsections;
  /* custom sections named icp:... (names and sizes for MOD-CS-1/MOD-LIM) */
  uint32_t nicp;
  uint64_t icp_bytes;
  int icp_bad, icp_conflict;
  int eop; /* icp:private enhanced-orthogonal-persistence */
  /* WebAssembly features seen outside the code (features.c adds the
   * code's): a v128 in a type or global, a table with i64 limits */
  int v128_declared, table64;
} cmw_module;

/* Parses bytes (copied). Returns 0, or -1 with a reason in error. */
int cmw_module_parse(cmw_module *m, const uint8_t *bytes, size_t size,
                     char *error, size_t error_size);
void cmw_module_free(cmw_module *m);

/* ---- features.c: the post-MVP features a module uses ---- */
#define CMW_USES_SIMD (1u << 0)      /* v128 anywhere, any 0xfd opcode */
#define CMW_USES_TAIL_CALL (1u << 1) /* return_call(_indirect) */
#define CMW_USES_TABLE64 (1u << 2)   /* a table with i64 limits */
/* An instruction of a feature the IC does not accept (exceptions, GC,
 * threads, relaxed SIMD...), or code too malformed to walk. */
#define CMW_USES_OTHER (1u << 3)

/* The CMW_USES_* bits of a parsed module; with CMW_USES_OTHER, what was
 * found goes into why. */
uint32_t cmw_module_features(const cmw_module *m, char *why, size_t why_size);

/* The canister's methods, found while checking the module. */
#define CMW_METHOD_UPDATE 1u
#define CMW_METHOD_QUERY 2u
#define CMW_METHOD_COMPOSITE 3u
#define CMW_METHOD_SYSTEM 4u /* canister_init, canister_heartbeat, ... */
typedef struct {
  char *name; /* after "canister_update " etc., or the whole system name */
  uint32_t kind;
  uint32_t export_index; /* index into cmw_module.exports */
  uint32_t slot;         /* callable slot in the compiled object */
} cmw_method;

/* Checks the IC module rules (MOD-*) for the profile; returns a
 * CANMEM_CAT_* (CANMEM_CAT_NONE when accepted) and a reason. */
uint32_t cmw_module_check(const cmw_module *m, const canmem_profile *p,
                          char *why, size_t why_size);

/* Snapshots hold the globals that are exported or mutable (of a number
 * type): 1 when global index is one. The glue numbers them 0..n-1 in
 * index order (exports cmw_g<k>). */
int cmw_module_snapshot_global(const cmw_module *m, uint32_t index);
uint32_t cmw_module_snapshot_globals(const cmw_module *m);

/* The canister_* exports as methods; slots number them 0..n-1. */
int cmw_module_methods(const cmw_module *m, cmw_method **methods,
                       uint32_t *count);

/* The module as wasm2c gets it: custom sections and the start section
 * removed, memory/table imports renamed to cmw_env, and extra exports:
 * cmw_mem (memory 0), cmw_tab<i> (table i), cmw_start (the start
 * function), cmw_f<slot> (each method), cmw_g<k> (snapshot globals). */
int cmw_module_rewrite(const cmw_module *m, const cmw_method *methods,
                       uint32_t nmethods, cmw_buf *out);

/* ---- sysapi.c: the ic0 table ---- */
#define CMW_CTX_START (1u << 0)
#define CMW_CTX_INIT (1u << 1) /* canister_init and canister_post_upgrade */
#define CMW_CTX_PRE_UPGRADE (1u << 2)
#define CMW_CTX_UPDATE (1u << 3)
#define CMW_CTX_RQ (1u << 4)
#define CMW_CTX_NRQ (1u << 5)
#define CMW_CTX_CQ (1u << 6)
#define CMW_CTX_INSPECT (1u << 7)
#define CMW_CTX_TASK (1u << 8)
#define CMW_CTX_RY (1u << 9)      /* reply callback */
#define CMW_CTX_RT (1u << 10)     /* reject callback */
#define CMW_CTX_CLEANUP (1u << 11) /* cleanup callback (C) */

typedef struct {
  const char *name;
  const char *params; /* P = pointer-sized (i32 here), i = i32, I = i64 */
  const char *results;
  uint32_t contexts;
  uint32_t flags;
} cmw_syscall_info;
#define CMW_SYS_WASM32_ONLY (1u << 0)
#define CMW_SYS_STABLE (1u << 1)   /* in (start) only with the feature */
#define CMW_SYS_STABLE64 (1u << 2) /* needs feature.stable64 */

/* Looks up an ic0 function; returns its id or -1. */
int cmw_syscall_find(const char *name, uint32_t name_len);
const cmw_syscall_info *cmw_syscall(uint32_t id);
uint32_t cmw_syscall_count(void);

/* ---- stable.c: stable memory with a page journal ---- */
typedef struct {
  uint8_t ***dir; /* directory of chunks of page pointers */
  uint64_t dir_size;
  uint64_t pages;
  /* journal of the open transaction */
  int open;
  uint64_t saved_pages;
  struct cmw_saved_page *saved;
  size_t nsaved, saved_cap;
} cmw_stable;

void cmw_stable_init(cmw_stable *s);
void cmw_stable_free(cmw_stable *s);
void cmw_stable_begin(cmw_stable *s);
void cmw_stable_commit(cmw_stable *s);
void cmw_stable_rollback(cmw_stable *s);
int cmw_stable_grow(cmw_stable *s, uint64_t new_pages); /* 0 = ok */
int cmw_stable_write(cmw_stable *s, uint64_t offset, const uint8_t *src,
                     uint64_t size); /* 0 = ok, -1 = out of host memory */
void cmw_stable_read(const cmw_stable *s, uint64_t offset, uint8_t *dst,
                     uint64_t size);

/* ---- build.c: compiled modules ---- */
/* Layouts of wasm-rt.h (wabt 1.0.32) the adapter reads. */
typedef struct {
  uint8_t *data;
  uint32_t pages, max_pages;
  uint32_t size;
} cmw_rt_memory;
typedef struct {
  void *data;
  uint32_t max_size;
  uint32_t size;
} cmw_rt_table;

/* A host function of the generated glue: returns nonzero to trap. */
typedef int (*cmw_host_fn)(void *host, uint32_t id, const uint64_t *args,
                           uint64_t *result);

/* What the glue of every compiled module exports (symbol cmw_module_v1). */
#define CMW_GLUE_VERSION 3u
typedef struct {
  uint32_t version;
  uint32_t nslots;      /* methods callable by slot */
  uint64_t instance_size;
  uint64_t env_size;
  uint32_t ntables;
  uint32_t has_memory;
  uint32_t has_start;
  uint32_t reserved;
  const uint32_t *table_elem_sizes;
  void (*set_host)(cmw_host_fn fn);
  void (*set_heap_limit)(uint32_t max_pages);
  /* each returns 0 or the wasm_rt trap code */
  int (*instantiate)(void *inst, void *env, void *host);
  int (*run_start)(void *inst);
  int (*call)(void *inst, uint32_t slot);
  void (*free_instance)(void *inst, void *env);
  cmw_rt_memory *(*memory)(void *inst);
  cmw_rt_table *(*table)(void *inst, uint32_t index);
  uint32_t (*grow_memory)(cmw_rt_memory *mem, uint32_t delta);
  /* Where the module's writes to mem go first (journal.c); all NULL: no
   * journal. note returns 0, or -1 when out of host memory. */
  void (*set_journal)(void *journal, cmw_rt_memory *mem, const uint8_t *saved,
                      int (*note)(void *journal, void *mem, uint64_t addr,
                                  uint64_t n));
  /* Runs entry index of table 0 as a callback (env) -> (): 0, a trap
   * code, or CMW_ENTRY_* when the entry is no such function. */
  int (*call_entry)(void *inst, uint32_t index, uint32_t env);
  /* The k-th snapshot global's value (cmw_module_snapshot_global). */
  void *(*global)(void *inst, uint32_t k);
} cmw_glue;

/* ---- journal.c: the heap's write journal ---- */
typedef struct {
  uint32_t page;
  uint8_t *old; /* NULL: the page lay past the size at the start */
} cmw_journal_entry;
typedef struct {
  const cmw_glue *glue; /* the module object it is attached to */
  cmw_rt_memory *mem;   /* NULL: closed */
  uint32_t pages_at_open;
  uint8_t saved[65536]; /* per 64 KiB page: 1 once noted */
  cmw_journal_entry *entries;
  size_t len, cap;
} cmw_journal;
/* Starts journaling mem, whose module object is glue's. */
void cmw_journal_open(cmw_journal *j, const cmw_glue *glue,
                      cmw_rt_memory *mem);
/* The heap's bytes now belong to mem of glue's module (keep). */
void cmw_journal_move(cmw_journal *j, const cmw_glue *glue,
                      cmw_rt_memory *mem);
/* Before writing [addr, addr + n) of mem (inside it): 0, or -1 when out
 * of host memory. Writes to another memory than the journal's pass. */
int cmw_journal_note(void *journal, void *mem, uint64_t addr, uint64_t n);
void cmw_journal_commit(cmw_journal *j);
void cmw_journal_rollback(cmw_journal *j);
void cmw_journal_free(cmw_journal *j);

/* wasm_rt trap codes (wasm-rt.h) and the runtime's own. */
#define CMW_TRAP_NONE 0
#define CMW_TRAP_OOB 1
#define CMW_TRAP_INT_OVERFLOW 2
#define CMW_TRAP_DIV_BY_ZERO 3
#define CMW_TRAP_INVALID_CONVERSION 4
#define CMW_TRAP_UNREACHABLE 5
#define CMW_TRAP_CALL_INDIRECT 6
#define CMW_TRAP_UNCAUGHT_EXCEPTION 7
#define CMW_TRAP_EXHAUSTION 8
#define CMW_TRAP_HOST_OOM 100 /* w2c_rt.c: memory allocation failed */
/* build.c patches the generated code so that these two are told apart
 * from CMW_TRAP_CALL_INDIRECT and from heap accesses (CMW_TRAP_OOB) */
#define CMW_TRAP_TABLE_OOB 101    /* table index out of range */
#define CMW_TRAP_NULL_ELEMENT 102 /* call_indirect to a null entry */
/* glue call_entry: the callback's table entry is out of range, null, or
 * of another type than (i32) -> (); nothing ran */
#define CMW_ENTRY_TABLE_OOB 201
#define CMW_ENTRY_NULL 202
#define CMW_ENTRY_TYPE 203

typedef struct cmw_object cmw_object; /* a loaded shared object */

/* Translates, compiles (or finds in the cache) and loads the module.
 * Returns NULL with a category (invalid-module, or CANMEM_CAT_UNSUPPORTED
 * when wasm2c cannot translate a valid module, or CANMEM_CAT_NONE with
 * *internal set for a host failure) and a reason. */
cmw_object *cmw_build(const cmw_module *m, const cmw_method *methods,
                      uint32_t nmethods, uint32_t *category, int *internal,
                      char *why, size_t why_size);
const cmw_glue *cmw_object_glue(const cmw_object *o);
void cmw_object_release(cmw_object *o);

/* Runs a program (argv[0] is searched in PATH) with stdin from in_path
 * (NULL: /dev/null) and stdout to out_path (NULL: stderr file); its stderr
 * goes to err_path. Returns the exit status, or -1 when it did not run. */
int cmw_run(char *const argv[], const char *in_path, const char *out_path,
            const char *err_path);
/* The first line of a file, for messages. */
void cmw_first_line(const char *path, char *dst, size_t dst_size);
/* A fresh private temporary directory (caller frees and removes). */
char *cmw_temp_dir(void);
void cmw_remove_dir(const char *dir);

/* ---- gzip through the gzip program (MOD-FMT-1) ---- */
int cmw_gunzip(const uint8_t *in, size_t in_size, uint64_t max_size,
               uint8_t **out, size_t *out_size, char *why, size_t why_size);

#endif

/* ---- calls.c: inter-canister calls ---- */
/* A call context: the message a tree of calls and callbacks answers. */
typedef struct {
  int needs_response; /* an update's; a system task's needs none */
  int responded;
  int deleted; /* uninstall_code deleted it: its callbacks do not run */
  uint32_t outstanding; /* calls of it not answered yet */
} cmw_context;

typedef struct {
  uint32_t fun, env; /* table 0 index and its argument */
} cmw_closure;

typedef struct cmw_call cmw_call;
struct cmw_call {
  uint64_t id; /* > 0 once performed and committed */
  cmw_context *context;
  uint32_t flags; /* CANMEM_CALL_FLAG_* */
  uint32_t timeout_seconds;
  cmw_buf callee, method, payload;
  uint64_t cycles_high, cycles_low;
  cmw_closure reply, reject, cleanup;
  cmw_call *next;
};

typedef struct {
  cmw_call *head, *tail;
} cmw_call_list;

void cmw_call_list_free(cmw_call_list *l);
void cmw_call_list_append(cmw_call_list *l, cmw_call *call);
/* Removes and returns the call with this id, or NULL. */
cmw_call *cmw_call_list_take(cmw_call_list *l, uint64_t id);
void cmw_call_free(cmw_call *call);

/* ---- snapshot.c: canister snapshots ---- */
typedef struct cmw_snapshot cmw_snapshot;
struct cmw_snapshot {
  uint64_t id;
  uint32_t source; /* CANMEM_SNAPSHOT_SOURCE_* */
  uint64_t taken_at_ns, canister_version;
  cmw_buf module, heap, stable; /* sizes in bytes, as the metadata says */
  canmem_global *globals;
  uint64_t nglobals;
  cmw_buf certified;
  uint32_t timer_state; /* CANMEM_SNAPSHOT_TIMER_* */
  uint32_t hook_status; /* 0: absent */
  uint64_t timer_ns;
  cmw_snapshot *next;
};

typedef struct {
  cmw_snapshot *head;
  uint64_t count;
} cmw_snapshot_list;

void cmw_snapshot_free(cmw_snapshot *s);
void cmw_snapshot_list_free(cmw_snapshot_list *l);
cmw_snapshot *cmw_snapshot_find(const cmw_snapshot_list *l, uint64_t id);
void cmw_snapshot_add(cmw_snapshot_list *l, cmw_snapshot *s);
int cmw_snapshot_remove(cmw_snapshot_list *l, uint64_t id); /* 0 = found */
int cmw_buf_zeroed(cmw_buf *b, uint64_t size);              /* 0 = ok */
/* The module, heap or stable bytes (CANMEM_SNAPSHOT_DATA_*), or NULL. */
cmw_buf *cmw_snapshot_data(cmw_snapshot *s, uint32_t kind);
uint64_t cmw_snapshot_total_size(const cmw_snapshot *s);
/* Fills m (its struct_size kept); pointers into s. */
void cmw_snapshot_metadata(const cmw_snapshot *s, canmem_snapshot_metadata *m);

/* ---- log.c: the canister log ---- */
typedef struct {
  uint64_t idx, time;
  uint8_t *content; /* NULL when size is 0 */
  uint64_t size;
} cmw_log_record;

typedef struct {
  cmw_log_record *records; /* oldest first */
  uint64_t count, cap, bytes;
  uint64_t next_idx; /* indexes are never reused, even after a purge */
} cmw_log;

/* Appends a copy; 0, or -1 when out of host memory. */
int cmw_log_append(cmw_log *l, const uint8_t *content, uint64_t size,
                   uint64_t time);
/* Moves pending's records to l (new indexes), then drops l's oldest while
 * its contents exceed max_bytes (0 = no limit); pending ends empty. */
void cmw_log_keep(cmw_log *l, cmw_log *pending, uint64_t max_bytes);
void cmw_log_drop_before(cmw_log *l, uint64_t idx);
void cmw_log_clear(cmw_log *l);
void cmw_log_free(cmw_log *l);

/* ---- One execution of an entry point (sysapi.c reads, adapter.c runs) ---- */
#define CMW_RESPONSE_NONE 0
#define CMW_RESPONSE_REPLY 1
#define CMW_RESPONSE_REJECT 2

typedef struct {
  const canmem_profile *profile;
  cmw_stable *stable;
  cmw_rt_memory *heap; /* NULL: the module has no memory */
  cmw_journal *journal; /* host writes into the heap are noted here */
  uint32_t context;    /* one CMW_CTX_* */
  int replicated;
  const uint8_t *arg;
  uint64_t arg_size;
  const uint8_t *caller;
  uint64_t caller_size;
  const char *method; /* inspect_message: the method inspected */
  int accepted;
  int response; /* CMW_RESPONSE_* */
  cmw_buf reply, reject;
  uint64_t max_reply;
  uint64_t time, version, timer;
  /* effects that land on commit */
  int certified_set;
  cmw_buf certified;
  int timer_set;
  uint64_t timer_value;
  /* why it trapped (set by a host function before it traps) */
  uint32_t trap_category;
  char trap_message[400];
  /* SM-9: the 4 KiB stable pages this execution touched, a hash set of
   * (page + 1) * 2 + written (0 = free slot); limits in pages, 0 = none */
  uint64_t access_limit, write_limit;
  uint64_t *touched;
  uint64_t touched_slots, touched_pages, written_pages;
  /* calls (calls.c): the call under construction and the calls performed,
   * sent only if the execution commits */
  cmw_call *building;
  cmw_call_list performed;
  uint64_t cycles_added_high, cycles_added_low; /* over all its calls */
  /* callbacks: their call context, and what the response was */
  cmw_context *call_context;
  uint32_t reject_code; /* Rt, and C after a reject callback */
  const uint8_t *reject_msg;
  uint64_t reject_msg_size;
  cmw_log logs; /* its records, kept as it ends (adapter.c) */
} cmw_exec;

/* The object every compiled module gets as its ic0 "instance". */
typedef struct {
  cmw_exec *current;
} cmw_host;

/* The dispatcher the glue calls for every ic0 import. */
int cmw_host_call(void *host, uint32_t id, const uint64_t *args,
                  uint64_t *result);
/* For handlers outside sysapi.c: trap with a category (returns 1), check
 * a heap range (0 = inside), copy [a[1], +a[2]) of a blob to heap a[0]. */
int cmw_trap(cmw_exec *x, uint32_t category, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cmw_heap_check(cmw_exec *x, uint64_t addr, uint64_t size,
                   const char *what);
int cmw_copy_out(cmw_exec *x, const uint64_t *a, const uint8_t *blob,
                 uint64_t blob_size, const char *what);

/* calls.c: the ic0.call_* and msg_reject_* handlers */
int cmw_h_call_new(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_call_on_cleanup(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_call_data_append(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_call_best_effort(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_call_cycles_add128(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_call_cycles_add(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_call_perform(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_reject_code(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_reject_msg_size(cmw_exec *x, const uint64_t *a, uint64_t *r);
int cmw_h_reject_msg_copy(cmw_exec *x, const uint64_t *a, uint64_t *r);

/* The fixed principals of the model. */
const uint8_t *cmw_user_principal(uint64_t *size);
int cmw_utf8_valid(const uint8_t *s, size_t n);
