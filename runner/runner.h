/* canmem conformance runner: the library behind canmem-run.
 *
 * A vector file (docs/vector-format.md) is read as s-expressions
 * (sexpr.c), turned into a vector: header, modules, steps and
 * expectations (vector.c). Integer values may name profile limits and are
 * evaluated against the active profile (value.c). Modules get the prelude
 * spliced in (prelude.c) and are compiled by wat2wasm with a cache keyed by
 * content hash (wat.c). Each vector runs in a forked child against an
 * adapter (execute.c); outcomes are compared with expectations (compare.c)
 * and reported as TAP, JSON and JUnit XML (report.c). Per-runtime
 * expectation files mark vectors skip or xfail (expectfile.c); the names
 * a vector may require are in capabilities.c. main.c is canmem-run.
 *
 * Symbols carry the prefix cmr_. No global mutable state. */
#ifndef CANMEM_RUNNER_H
#define CANMEM_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "canmem_adapter.h"

/* ---- Errors with a source position ---- */

typedef struct {
  uint32_t line, column; /* 1-based; 0 when not about a position */
  char message[1024];
} cmr_error;

/* Set err's position and message; returns false, for `return cmr_fail(..)`. */
bool cmr_fail(cmr_error *err, uint32_t line, uint32_t column, const char *fmt,
              ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ---- S-expressions (sexpr.c) ----
 * The lexical syntax of the WebAssembly text format: ( ) atoms, "strings"
 * with escapes, ;; line comments and nested (; block comments ;). */

typedef enum {
  CMR_SX_LIST,
  CMR_SX_ATOM,
  CMR_SX_STRING,
} cmr_sx_kind;

typedef struct cmr_sx {
  cmr_sx_kind kind;
  uint32_t line, column; /* where the node starts */
  size_t start, end;     /* byte range in the source, parentheses included */
  /* ATOM: its text (NUL-terminated); STRING: the decoded bytes (also
   * NUL-terminated, but may contain NULs: use size). */
  char *text;
  size_t size;
  struct cmr_sx *items; /* LIST */
  size_t count;
} cmr_sx;

/* Parse all top-level forms of src. On failure err holds the position. */
bool cmr_sx_parse(const char *src, size_t len, cmr_sx **forms, size_t *count,
                  cmr_error *err);
void cmr_sx_free_all(cmr_sx *forms, size_t count);
/* The atom text of a node, or NULL when it is not an atom. */
const char *cmr_sx_atom(const cmr_sx *node);
/* A list whose first item is the atom head. */
bool cmr_sx_is_form(const cmr_sx *node, const char *head);

/* ---- Values (value.c) ----
 * Typed values of arguments and payloads. Integers are expressions over
 * literals and profile symbols, evaluated when the vector runs. */

typedef enum {
  CMR_VALUE_I32,
  CMR_VALUE_I64,
  CMR_VALUE_BYTES,
  CMR_VALUE_TEXT,
} cmr_value_type;

typedef struct {
  cmr_value_type type;
  const cmr_sx *expr; /* I32/I64: the expression node */
  const cmr_sx *list; /* BYTES/TEXT: a list holding the strings */
  size_t list_first;  /* index of the first string in list */
  uint32_t line, column;
} cmr_value;

/* Check an integer expression's syntax and symbols (no profile needed). */
bool cmr_expr_check(const cmr_sx *expr, cmr_error *err);
/* Evaluate modulo 2^64 against a profile. */
bool cmr_expr_eval(const cmr_sx *expr, const canmem_profile *profile,
                   uint64_t *out, cmr_error *err);
/* Parse one typed value: (i32 E) (i64 E) (bytes "..."...) (text "...").
 * With first > 0 the type is node->items[first - 1] and the operands
 * follow, as in the shorthand (arg i64 5). */
bool cmr_value_parse(const cmr_sx *node, size_t first, cmr_value *out,
                     cmr_error *err);
/* Encode values little-endian, one after the other, into a new buffer. */
bool cmr_values_encode(const cmr_value *values, size_t count,
                       const canmem_profile *profile, uint8_t **out,
                       size_t *size, cmr_error *err);
/* The index-th symbol an expression may use (NULL past the last). */
const char *cmr_expr_symbol(size_t index);

/* ---- Requirements (capabilities.c) ----
 * A vector names what it needs; each name is an adapter capability bit
 * and/or a profile feature bit. suite/capabilities.txt lists them. */

typedef struct {
  const char *name;
  uint64_t capability; /* CANMEM_CAP_* (0: none) */
  uint64_t feature;    /* CANMEM_FEATURE_* (0: none) */
  const char *summary;
  /* NULL, or a test of the active profile: the access-limit vectors need
   * limits small enough to reach in a few pages. */
  bool (*profile_ok)(const canmem_profile *profile);
} cmr_requirement;

/* The runner's own capability: the adapter offers all four probes. */
#define CMR_CAP_PROBES (1ull << 63)

const cmr_requirement *cmr_requirements(size_t *count);
const cmr_requirement *cmr_requirement_find(const char *name);

/* ---- Vectors (vector.c) ---- */

typedef enum {
  CMR_EXPECT_REPLY = 1,
  CMR_EXPECT_REJECT,
  CMR_EXPECT_NO_REPLY,
  CMR_EXPECT_TRAP,
  CMR_EXPECT_INSTALL_REJECTED,
  CMR_EXPECT_ONE_OF,
  CMR_EXPECT_PENDING,  /* calls: no response yet, calls outstanding */
  CMR_EXPECT_RETURNED, /* calls: a callback returned, no response due */
} cmr_expect_kind;

typedef struct cmr_expectation {
  cmr_expect_kind kind;
  bool implicit; /* no (expect ...) was written: the step must succeed */
  uint32_t line, column;
  bool has_payload; /* reply/reject: compare the payload */
  cmr_value *payload;
  size_t payload_count;
  uint32_t reject_code; /* REJECT: CANMEM_REJECT_* */
  bool has_category;
  uint32_t category; /* CANMEM_CAT_* */
  char *reading;     /* an alternative of ONE_OF: the reading's name */
  struct cmr_expectation *alternatives;
  size_t alternative_count;
} cmr_expectation;

typedef enum {
  CMR_STEP_INSTALL = 1,
  CMR_STEP_REINSTALL,
  CMR_STEP_UPGRADE,
  CMR_STEP_UNINSTALL,
  CMR_STEP_UPDATE,
  CMR_STEP_QUERY,
  CMR_STEP_REPLICATED_QUERY,
  CMR_STEP_INSPECT,
  CMR_STEP_SYSTEM_TASK,
  CMR_STEP_SETTINGS,
  CMR_STEP_PROBE,
  /* snapstep.c */
  CMR_STEP_TAKE_SNAPSHOT,
  CMR_STEP_LOAD_SNAPSHOT,
  CMR_STEP_DELETE_SNAPSHOT,
  CMR_STEP_LIST_SNAPSHOTS,
  CMR_STEP_SNAPSHOT_METADATA,
  CMR_STEP_SNAPSHOT_DATA,
  CMR_STEP_UPLOAD_SNAPSHOT_METADATA,
  CMR_STEP_UPLOAD_SNAPSHOT_DATA,
  CMR_STEP_CANISTER_LOGS,
  CMR_STEP_OUTGOING_CALLS, /* callsteps.c */
  CMR_STEP_RESPOND,
} cmr_step_kind;

/* The operands of a snapshot or log step (snapstep.c). */
typedef struct cmr_snap_step cmr_snap_step;

typedef enum {
  CMR_PROBE_STABLE_SIZE = 1,
  CMR_PROBE_HEAP_SIZE,
  CMR_PROBE_STABLE_BYTES,
  CMR_PROBE_HEAP_BYTES,
} cmr_probe_kind;

typedef struct {
  cmr_step_kind kind;
  uint32_t line, column;
  size_t start, end; /* the step's source text */
  size_t module;     /* install, reinstall, upgrade: index into modules */
  size_t canister;   /* 0: the vector's canister; k: canister_names[k - 1] */
  bool gzip;
  uint32_t skip_pre_upgrade;        /* 1 = opt true */
  uint32_t wasm_memory_persistence; /* CANMEM_PERSISTENCE_* */
  char *method;                     /* calls; system tasks: the export name */
  cmr_value *args;
  size_t arg_count;
  uint32_t settings_fields; /* CANMEM_SETTING_* */
  const cmr_sx *wasm_memory_limit, *wasm_memory_threshold;
  cmr_probe_kind probe;
  const cmr_sx *probe_offset, *probe_size;
  cmr_snap_step *snap; /* snapshot and log steps */
  /* outgoing-calls: the step's form; respond: the call's position (an
   * expression), the response (reply values in args; a reject's code and
   * message string) */
  const cmr_sx *calls;
  const cmr_sx *respond_index;
  uint32_t response_kind; /* CANMEM_RESPONSE_* */
  uint32_t response_code; /* CANMEM_REJECT_* */
  bool response_timeout;  /* a best-effort call's timeout (SYS_UNKNOWN) */
  const cmr_sx *reject_text;
  cmr_expectation expect;
} cmr_step;

typedef struct {
  char *name; /* custom section name; may hold NUL bytes */
  size_t name_size;
  uint8_t *content;
  size_t size;
} cmr_custom_section;

typedef struct {
  char *name; /* "$c" */
  uint32_t line, column;
  bool binary;  /* (module $m binary "...") */
  char *file;   /* (module $m file "NAME"): the name as written */
  char *found;  /* file: the path it was read from (cmr_vector_load_files) */
  uint8_t *bytes; /* binary; file, once loaded */
  size_t size;
  /* wat: the text between the name and the closing parenthesis */
  size_t body_start, body_end;
  uint32_t body_line, body_column;
  bool wasm64;                  /* declares or imports a memory64 memory */
  bool multi_memory;            /* more than one memory */
  bool tail_call;               /* a func uses return_call(_indirect) */
  cmr_custom_section *sections; /* (@custom "name" "content") */
  size_t section_count;
  const cmr_sx *form;
  uint8_t *wasm; /* compiled by cmr_vector_compile (NULL: not yet) */
  size_t wasm_size;
} cmr_module;

typedef struct {
  char *path;   /* as given */
  char *id;     /* path below vectors/, without extension */
  char *area;   /* first component of id */
  char *source; /* whole file */
  size_t source_size;
  cmr_sx *forms;
  size_t form_count;
  char *title;
  char **rules;
  size_t rule_count;
  char **requires; /* explicit and implied, unique */
  size_t require_count;
  char **history; /* (history ...): requirements whose profile feature is
                     not needed (the vector checks the feature's arrival) */
  size_t history_count;
  char **tags;
  size_t tag_count;
  /* (minimum (KEY EXPR) ...): each a list node; the vector is skipped
   * under a profile whose KEY is below EXPR (a real canister's needs) */
  const cmr_sx **minimums;
  size_t minimum_count;
  /* (maximum (KEY EXPR) ...): skipped under a profile whose KEY is above
   * EXPR or 0 ("no limit"): a limit the vector must reach in little time */
  const cmr_sx **maximums;
  size_t maximum_count;
  char *notes;
  cmr_module *modules;
  size_t module_count;
  cmr_step *steps;
  size_t step_count;
  char **snapshot_names; /* $names of snapshot steps, in first use order */
  size_t snapshot_name_count;
  char **canister_names; /* $names of (on $name STEP), in first use order */
  size_t canister_count;
  /* Not NULL: a module file the build could not make (its toolchain is
   * missing); the vector is skipped with this reason. */
  char *unavailable;
} cmr_vector;

/* Known rule IDs (suite/rules.txt): one "ID title" per line. */
typedef struct {
  char **ids;
  size_t count;
} cmr_rule_list;

bool cmr_rule_list_load(cmr_rule_list *list, const char *path, cmr_error *err);
bool cmr_rule_list_parse(cmr_rule_list *list, const char *text, size_t size,
                         const char *source, cmr_error *err);
bool cmr_rule_list_contains(const cmr_rule_list *list, const char *id);
void cmr_rule_list_free(cmr_rule_list *list);

/* The vector id of a path: the part after the last "vectors/" (or the
 * whole path), without ".wast". Caller frees. */
char *cmr_vector_id(const char *path);
/* Parse text as a vector. rules may be NULL (then rule IDs are only
 * checked for syntax). On failure err has the line and column. */
bool cmr_vector_parse(cmr_vector *v, const char *path, const char *text,
                      size_t size, const cmr_rule_list *rules, cmr_error *err);
bool cmr_vector_load(cmr_vector *v, const char *path,
                     const cmr_rule_list *rules, cmr_error *err);
void cmr_vector_free(cmr_vector *v);
const char *cmr_step_kind_name(cmr_step_kind kind);
/* Add a requirement name (once); false when out of memory. */
bool cmr_vector_require(cmr_vector *v, const char *name);

/* ---- Snapshot and log steps (snapstep.c) ---- */

/* Parse form, a step of a snapshot or log kind, into step->snap, adding
 * the snapshot names to v and the requirements the step implies. */
bool cmr_snap_parse(cmr_vector *v, const cmr_sx *form, cmr_step *step,
                    cmr_error *err);
void cmr_snap_free(cmr_snap_step *s);
/* Add the requirement snapshot-load-other when a load-snapshot step may
 * load a snapshot another canister of v took or uploaded; false when out
 * of memory. */
bool cmr_snap_require_other(cmr_vector *v);
/* ---- Steps of inter-canister calls (callsteps.c) ---- */

/* Parse (outgoing-calls (call ...)...) and (respond N RESPONSE) into step;
 * the caller has set its kind. */
bool cmr_parse_outgoing_calls(const cmr_sx *form, cmr_step *step,
                              cmr_error *err);
bool cmr_parse_respond(const cmr_sx *form, cmr_step *step, cmr_error *err);
/* Run one of them: status and out as from an adapter call (out's payload
 * in *owned). outgoing-calls replies with the calls as text and writes
 * what differs from the step's list into mismatch (empty when equal).
 * arg: respond's reply payload. False with err set on a vector error. */
bool cmr_run_call_step(const cmr_step *step, const canmem_adapter *table,
                       canmem_canister *c, const canmem_profile *profile,
                       const uint8_t *arg, size_t arg_size, int32_t *status,
                       canmem_outcome *out, uint8_t **owned, char *mismatch,
                       size_t mismatch_size, cmr_error *err);

/* ---- Module files and what a binary implies (modfile.c) ---- */

/* Where (module $m file "NAME") is looked for: NAME in each build tree's
 * mirror of the vector's folder, BUILD/vectors/<folder of the id>/NAME,
 * then beside the vector. */
typedef struct {
  const char *const *build_dirs;
  size_t count;
} cmr_file_lookup;

/* Read every file module of v and add the requirements its bytes imply.
 * A file that is not found anywhere, but whose NAME.skip the build left
 * in a mirror folder (its toolchain is missing), sets v->unavailable to
 * that file's reason. Otherwise a missing file is an error at the
 * module's line:column naming every path tried. */
bool cmr_vector_load_files(cmr_vector *v, const cmr_file_lookup *lookup,
                           cmr_error *err);
/* The post-MVP features a binary uses (CM_FEATURE_*): the engine's
 * reflection when it decodes the module, else a scan of the type,
 * import, table and memory sections (64-bit limits, v128 types). */
uint32_t cmr_wasm_features(const uint8_t *wasm, size_t size);
/* Add the requirements a module's bytes imply: simd, tail-call,
 * table64, wasm64, and stable64 for an import of ic0.stable64_*. */
bool cmr_vector_imply_from_wasm(cmr_vector *v, const uint8_t *wasm,
                                size_t size);

/* ---- Comparison (compare.c) ---- */

typedef struct {
  int32_t status; /* what the adapter function returned (CANMEM_OK...) */
  uint32_t kind, reject_code, category;
  uint8_t *payload;
  size_t payload_size;
  char message[512];
} cmr_outcome;

/* Compare one outcome with an expectation. Returns true on a match; for
 * ONE_OF *alternative is the index of the reading that matched, else -1.
 * A false return with err->message set means the expectation could not be
 * evaluated (a vector error), not a mismatch. */
bool cmr_compare(const cmr_expectation *expect, const cmr_outcome *outcome,
                 const canmem_profile *profile, int *alternative,
                 cmr_error *err);
/* Human text, e.g. "reply (i64 5)" / "trap heap-out-of-bounds". */
void cmr_format_expectation(const cmr_expectation *expect,
                            const canmem_profile *profile, char *buf,
                            size_t size);
/* The outcome; when hint has typed payload values of the same total
 * size, the payload is shown in the same shape, else as bytes. */
void cmr_format_outcome(const cmr_outcome *outcome, const cmr_expectation *hint,
                        const canmem_profile *profile, char *buf, size_t size);
/* Name <-> number */
bool cmr_category_by_name(const char *name, uint32_t *category);
bool cmr_reject_code_by_name(const char *name, uint32_t *code);
const char *cmr_reject_code_name(uint32_t code);

/* ---- Modules (prelude.c, wat.c) ---- */

/* The module text wat2wasm gets: prelude imports, the body, helpers.
 * first_body_line is the generated line where the body starts. */
bool cmr_module_text(const cmr_vector *v, const cmr_module *m, char **text,
                     size_t *size, uint32_t *first_body_line, cmr_error *err);
/* Check a module's references to the prelude ($ic0.NAME, helpers) and
 * report whether it uses the 64-bit stable API. */
bool cmr_module_scan(const cmr_module *m, bool *uses_stable64, cmr_error *err);
/* The wat2wasm feature flags for a module, e.g. "--enable-memory64". */
size_t cmr_module_flags(const cmr_module *m, const char **flags, size_t max);

typedef struct {
  const char *wat2wasm;  /* program (searched in PATH) */
  const char *cache_dir; /* compiled modules by content hash */
  const char *save_dir;  /* NULL, or where to save spliced wat and wasm */
} cmr_compiler;

/* Compile a module of v to wasm bytes (custom sections appended). A
 * wat2wasm error comes back in err with positions mapped to the vector. */
bool cmr_module_compile(const cmr_compiler *compiler, const cmr_vector *v,
                        const cmr_module *m, uint8_t **wasm, size_t *size,
                        cmr_error *err);
/* Compile every module of v into m->wasm and add the requirements the
 * bytes imply (a text module's SIMD or tail calls show only in its
 * binary). On failure err names the vector's file:line:column. */
bool cmr_vector_compile(cmr_vector *v, const cmr_compiler *compiler,
                        cmr_error *err);
/* gzip with stored (uncompressed) deflate blocks. */
bool cmr_gzip(const uint8_t *data, size_t size, uint8_t **out,
              size_t *out_size);
/* 128-bit content hash as 32 hex digits (not cryptographic). */
void cmr_content_hash(const void *data, size_t size, char hex[33]);

/* ---- Expectation files (expectfile.c) ----
 * Lines "PATTERN skip|xfail REASON"; PATTERN is a glob over vector ids. */

typedef enum {
  CMR_MARK_NONE = 0,
  CMR_MARK_SKIP,
  CMR_MARK_XFAIL,
} cmr_mark;

typedef struct {
  char *pattern;
  cmr_mark mark;
  char *reason;
  uint32_t line;
  bool used;
} cmr_expect_entry;

typedef struct {
  char *path;
  cmr_expect_entry *entries;
  size_t count;
} cmr_expect_file;

bool cmr_expect_file_parse(cmr_expect_file *f, const char *text, size_t size,
                           const char *source, cmr_error *err);
bool cmr_expect_file_load(cmr_expect_file *f, const char *path, cmr_error *err);
/* The first entry whose pattern matches id, or NULL. */
cmr_expect_entry *cmr_expect_file_lookup(cmr_expect_file *f, const char *id);
void cmr_expect_file_free(cmr_expect_file *f);
/* Glob match (* ? [...]) via fnmatch, without FNM_PATHNAME. */
bool cmr_glob_match(const char *pattern, const char *text);

/* ---- Execution (execute.c) ---- */

typedef struct {
  const canmem_adapter *table;
  char name[128]; /* from the table */
  char version[64];
  char source[1024];     /* "ref" or the path it was loaded from */
  uint64_t capabilities; /* CANMEM_CAP_* plus CMR_CAP_PROBES */
  void *handle;          /* dlopen handle, or NULL */
} cmr_adapter;

/* "ref" = the built-in reference; anything else is a path to dlopen. */
bool cmr_adapter_open(cmr_adapter *a, const char *spec, cmr_error *err);
void cmr_adapter_close(cmr_adapter *a);

typedef enum {
  CMR_PASS = 0,
  CMR_FAIL,
  CMR_SKIP,
  CMR_XFAIL,
  CMR_XPASS,
  CMR_ERROR, /* the vector itself is broken: parse, compile, evaluation */
} cmr_verdict;

const char *cmr_verdict_name(cmr_verdict verdict);

typedef struct {
  size_t step;     /* index */
  int alternative; /* which reading of a one-of matched */
} cmr_reading_match;

typedef struct {
  cmr_verdict verdict;
  char *reason; /* skip/xfail reason, error text, or what failed */
  /* a failure: the step, what was expected, what happened */
  bool has_step;
  size_t step;
  char *expected;
  char *actual;
  char *message; /* the outcome's message, never compared */
  cmr_reading_match *readings;
  size_t reading_count;
  size_t steps_run;
  double seconds;
} cmr_result;

void cmr_result_free(cmr_result *r);

/* Allocation faults of a runtime that offers them (the reference built with
 * fault injection, ref/canister/alloc.h). */
typedef struct {
  void (*fail_at)(uint64_t n); /* the n-th allocation from now fails; 0: none */
  bool (*failed)(void);        /* whether it has */
  bool (*answered)(void); /* and the runtime answered it within the spec */
} cmr_alloc_faults;

typedef struct {
  const cmr_adapter *adapter;
  const canmem_profile *profile;
  const cmr_compiler *compiler;
  double timeout_seconds;
  bool fork_each; /* false: in-process (for debuggers) */
  bool verbose;   /* log each step as TAP comments to log */
  /* Not NULL: run each vector once per allocation it makes, that allocation
   * failing (--alloc-faults, docs/runner.md). */
  const cmr_alloc_faults *alloc_faults;
  /* The runtime is built with coverage instrumentation: a forked child
   * writes its counters before it leaves (--coverage, docs/coverage.md). */
  bool flush_coverage;
} cmr_run_options;

/* Run a snapshot or log step on canisters[step->canister]. ids: one per
 * snapshot name of the vector (UINT64_MAX while unbound), updated by take
 * and upload; owners: the canister each name's snapshot belongs to (a load
 * passes it as the source when it is another canister). Fills
 * *out and *status as the adapter's function did; a read's payload goes
 * into *owned (the caller frees it). false with err set when the vector's
 * values are bad. */
bool cmr_snap_run(const cmr_step *step, const cmr_run_options *opt,
                  canmem_canister *const *canisters, uint64_t *ids,
                  size_t *owners, uint8_t *const *wasm,
                  const size_t *wasm_size, canmem_outcome *out,
                  int32_t *status, uint8_t **owned, cmr_error *err);

/* Missing requirements of v for this adapter and profile, as text into
 * why; true when all are met. */
bool cmr_requirements_met(const cmr_vector *v, const cmr_adapter *adapter,
                          const canmem_profile *profile, char *why,
                          size_t size);
/* Compile v's modules and run its steps (in a child unless !fork_each).
 * Fills r (verdict PASS, FAIL or ERROR; the caller applies skips and
 * expectation-file marks). log gets per-step lines when verbose. */
void cmr_vector_run(const cmr_vector *v, const cmr_run_options *options,
                    cmr_result *r, FILE *log);

/* ---- Reports (report.c) ---- */

/* One vector of a run: parsed or not, and its result. */
typedef struct {
  char *path;
  char *id;
  bool parsed;
  cmr_vector vector; /* when parsed */
  char *parse_error; /* "path:line:col: message" when not */
  cmr_result result;
  char *reproduce; /* one command that runs this vector alone */
} cmr_entry;

typedef struct {
  size_t total, passed, failed, skipped, xfail, xpass, errors;
} cmr_counts;

typedef struct {
  const cmr_adapter *adapter;
  const canmem_profile *profile;
  const char *expect_path; /* NULL when none */
  char started[32];        /* UTC, ISO 8601 */
  double seconds;
  cmr_counts counts;
} cmr_run_info;

void cmr_count(cmr_counts *counts, cmr_verdict verdict);
/* Non-zero exit status exactly when something failed. */
bool cmr_counts_ok(const cmr_counts *counts);

void cmr_tap_entry(FILE *out, size_t number, const cmr_entry *e);
void cmr_tap_summary(FILE *out, const cmr_run_info *info,
                     const cmr_entry *entries, size_t count);
bool cmr_write_json(const char *path, const cmr_run_info *info,
                    const cmr_entry *entries, size_t count);
bool cmr_write_junit(const char *path, const cmr_run_info *info,
                     const cmr_entry *entries, size_t count);

#endif
