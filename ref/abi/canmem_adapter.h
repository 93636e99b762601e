/* canmem adapter ABI, version 2: how the conformance runner drives a canister
 * runtime (the reference model, a replica shim, a test VM).
 *
 * An adapter is a shared object (or code linked into the runner) that
 * exports one symbol, canmem_adapter_v1, returning a table of functions. The
 * runner creates one canister per vector with the limits of a profile,
 * installs modules, sends messages and compares each outcome's kind, reject
 * code, category and payload with the vector's expectation. The outcome's
 * message is shown to people and never compared.
 *
 * Only fixed-size C types cross the boundary (no size_t, no enums in
 * structs, no bool), so adapters written with other compilers or languages
 * (through a thin C shim) agree on the layout. Every struct starts with
 * struct_size so later versions can append fields. docs/adapter-abi.md
 * explains the ABI with a minimal adapter. */
#ifndef CANMEM_ADAPTER_H
#define CANMEM_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

/* Version 2 appends inter-canister calls, snapshots and canister logs to
 * the table (CANMEM_CAP_CALLS, _SNAPSHOTS, _LOGS). A version-1 table, shorter
 * by those fields, still loads: the runner reads a field only when
 * CANMEM_ADAPTER_HAS() says the table holds it. */
#define CANMEM_ADAPTER_ABI_VERSION 2u
#define CANMEM_ADAPTER_ABI_MIN_VERSION 1u
/* The one exported symbol, for dlsym(); its name stays across versions. */
#define CANMEM_ADAPTER_SYMBOL "canmem_adapter_v1"

/* ---- Return values of the table's functions ----
 * A function returns CANMEM_OK when the operation ran and *out holds its
 * outcome (which may well be a trap or a rejection). Anything else means
 * the adapter itself could not do it; out->message says why. */
#define CANMEM_OK 0
#define CANMEM_ERR_UNSUPPORTED 1 /* the runtime lacks this capability */
#define CANMEM_ERR_ARGUMENT 2    /* malformed request (bad mode, NULL...) */
#define CANMEM_ERR_INTERNAL 3    /* host failure: out of memory, crash... */

/* ---- install_code ---- */
#define CANMEM_MODE_INSTALL 1u
#define CANMEM_MODE_REINSTALL 2u
#define CANMEM_MODE_UPGRADE 3u
#define CANMEM_MODE_UNINSTALL 4u /* uninstall_code: wasm and arg unused */

/* upgrade's wasm_memory_persistence option */
#define CANMEM_PERSISTENCE_ABSENT 0u /* the option is null */
#define CANMEM_PERSISTENCE_KEEP 1u
#define CANMEM_PERSISTENCE_REPLACE 2u

typedef struct {
  uint32_t struct_size; /* sizeof(canmem_install) */
  uint32_t mode;        /* CANMEM_MODE_* */
  uint32_t skip_pre_upgrade;        /* upgrade: 1 = opt true */
  uint32_t wasm_memory_persistence; /* upgrade: CANMEM_PERSISTENCE_* */
  const uint8_t *wasm;              /* raw or gzip-compressed module */
  uint64_t wasm_size;
  const uint8_t *arg; /* argument of canister_init / canister_post_upgrade */
  uint64_t arg_size;
} canmem_install;

/* ---- Messages ---- */
#define CANMEM_CALL_UPDATE 1u            /* canister_update <method> */
#define CANMEM_CALL_QUERY 2u             /* canister_query, non-replicated */
#define CANMEM_CALL_REPLICATED_QUERY 3u  /* canister_query, replicated */
/* A system task; method is its export name: canister_heartbeat,
 * canister_global_timer or canister_on_low_wasm_memory. */
#define CANMEM_CALL_SYSTEM_TASK 4u
/* canister_inspect_message for an ingress update to <method>. */
#define CANMEM_CALL_INSPECT_MESSAGE 5u

/* ---- Settings (update_settings of the management canister) ---- */
#define CANMEM_SETTING_WASM_MEMORY_LIMIT (1u << 0)
#define CANMEM_SETTING_WASM_MEMORY_THRESHOLD (1u << 1)

typedef struct {
  uint32_t struct_size;
  uint32_t fields; /* CANMEM_SETTING_* bits: which values below are set */
  uint64_t wasm_memory_limit;     /* bytes, 0 = no limit */
  uint64_t wasm_memory_threshold; /* bytes */
} canmem_settings;

/* ---- Outcomes ---- */
#define CANMEM_OUTCOME_REPLY 1u   /* replied; install/settings succeeded */
#define CANMEM_OUTCOME_REJECT 2u  /* msg_reject, or refused before running */
#define CANMEM_OUTCOME_NO_REPLY 3u /* returned without responding */
#define CANMEM_OUTCOME_TRAP 4u    /* the message trapped: nothing committed */
#define CANMEM_OUTCOME_INSTALL_REJECTED 5u /* install_code had no effect */
/* Version 2 (calls): returned without responding while calls it made are
 * outstanding; the call context stays open. */
#define CANMEM_OUTCOME_PENDING 6u
/* Version 2 (calls): a callback returned without responding, and no
 * response is due: its call context had been answered before, or nobody
 * waits on it (a system task's). With category call-context-deleted: the
 * context was deleted by uninstall_code and no callback ran. */
#define CANMEM_OUTCOME_RETURNED 7u

/* IC reject codes the caller would see (1, 2 and 6 arrive only as the
 * responses a vector delivers to a call). */
#define CANMEM_REJECT_NONE 0u
#define CANMEM_REJECT_SYS_FATAL 1u
#define CANMEM_REJECT_SYS_TRANSIENT 2u
#define CANMEM_REJECT_DESTINATION_INVALID 3u /* no such method, empty */
#define CANMEM_REJECT_CANISTER_REJECT 4u     /* ic0.msg_reject */
#define CANMEM_REJECT_CANISTER_ERROR 5u      /* trap, no reply, bad module */
#define CANMEM_REJECT_SYS_UNKNOWN 6u /* best-effort call timed out or lost */

/* Categories say why a message trapped or an operation was refused. They
 * are compared by the suite; keep the numbers stable. */
/* WebAssembly execution */
#define CANMEM_CAT_NONE 0u
#define CANMEM_CAT_UNREACHABLE 1u
#define CANMEM_CAT_HEAP_OUT_OF_BOUNDS 2u /* wasm access or an ic0 heap range */
#define CANMEM_CAT_TABLE_OUT_OF_BOUNDS 3u
#define CANMEM_CAT_INTEGER_DIVIDE_BY_ZERO 4u
#define CANMEM_CAT_INTEGER_OVERFLOW 5u
#define CANMEM_CAT_INVALID_CONVERSION 6u
#define CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH 7u
#define CANMEM_CAT_UNINITIALIZED_ELEMENT 8u
#define CANMEM_CAT_STACK_EXHAUSTED 9u
#define CANMEM_CAT_INSTRUCTION_LIMIT 10u
/* System API and canister limits */
#define CANMEM_CAT_EXPLICIT_TRAP 20u /* ic0.trap */
#define CANMEM_CAT_STABLE_OUT_OF_BOUNDS 21u
#define CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT 22u
#define CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT 23u
/* double reply, reply too large, reject text not UTF-8, certified data
 * too long, data certificate absent... */
#define CANMEM_CAT_CONTRACT_VIOLATION 24u
#define CANMEM_CAT_WASM_MEMORY_LIMIT 25u
#define CANMEM_CAT_NOT_MODELLED 26u /* the runtime does not model this call */
#define CANMEM_CAT_OUT_OF_MEMORY 27u /* the host could not allocate */
/* The replica's IC0521 (CanisterWasmEngineError): the engine could not set
 * the heap up, e.g. a kept heap beyond the new module's declared maximum
 * (dfinity/ic#10593). */
#define CANMEM_CAT_WASM_ENGINE 28u
/* SM-9, LIM-ACCESS-*: the execution touched more 4 KiB pages of stable
 * memory or of the heap than the profile's per-execution access limits. */
#define CANMEM_CAT_MEMORY_ACCESS_LIMIT 29u
/* Refusals: install_code, calls, settings */
#define CANMEM_CAT_INVALID_MODULE 40u /* not wasm, bad gzip, fails validation */
#define CANMEM_CAT_MODULE_IMPORT 41u  /* not an ic0 function, or unsatisfiable */
#define CANMEM_CAT_MODULE_IMPORT_SIGNATURE 42u
#define CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY 43u /* e.g. stable_read in wasm64 */
#define CANMEM_CAT_MODULE_MEMORY 44u /* > 1 memory, too large, memory64 off */
#define CANMEM_CAT_MODULE_EXPORT 45u /* bad canister_* name or type */
#define CANMEM_CAT_MODULE_DUPLICATE_METHOD 46u
#define CANMEM_CAT_MODULE_CUSTOM_SECTION 47u /* icp: section rules */
#define CANMEM_CAT_MODULE_LIMIT 48u /* too many functions, globals, methods */
#define CANMEM_CAT_INSTANTIATION_FAILED 49u /* a segment out of bounds */
#define CANMEM_CAT_CANISTER_NOT_EMPTY 50u
#define CANMEM_CAT_CANISTER_EMPTY 51u
#define CANMEM_CAT_UPGRADE_OPTION 52u /* wasm_memory_persistence rules */
#define CANMEM_CAT_METHOD_NOT_FOUND 53u
#define CANMEM_CAT_TASK_NOT_SCHEDULED 54u
#define CANMEM_CAT_MESSAGE_NOT_ACCEPTED 55u /* inspect_message said no */
#define CANMEM_CAT_INVALID_SETTINGS 56u
#define CANMEM_CAT_UNSUPPORTED 57u /* the profile does not enable this */
/* 60-69: snapshot refusals; 70-79: call refusals (version 2). The helpers
 * that model them define the numbers here. */
#define CANMEM_CAT_SNAPSHOT_NOT_FOUND 60u /* no snapshot of that id */
#define CANMEM_CAT_SNAPSHOT_LIMIT 61u     /* max_snapshots reached */
/* read/upload data: offset + size beyond the metadata's size */
#define CANMEM_CAT_SNAPSHOT_RANGE 62u
/* upload data to a snapshot that was taken, not uploaded */
#define CANMEM_CAT_SNAPSHOT_NOT_UPLOADED 63u
/* SNAP-2: load: the globals differ from the module's in number or type */
#define CANMEM_CAT_SNAPSHOT_GLOBALS 64u
/* load: an uploaded hook status contradicts the condition (ic#5556) */
#define CANMEM_CAT_SNAPSHOT_HOOK_STATUS 65u
/* load: memory sizes no canister can have (EDGE-SNAPSHOT-SIZES): not a
 * whole number of 64 KiB pages, below the module's minimum, stable
 * memory beyond the profile's maximum */
#define CANMEM_CAT_SNAPSHOT_SIZES 66u
/* respond: the call's context was deleted by uninstall_code, so no
 * callback ran (the outcome is RETURNED with this category). */
#define CANMEM_CAT_CALL_CONTEXT_DELETED 70u

typedef struct {
  uint32_t struct_size;
  uint32_t kind;        /* CANMEM_OUTCOME_* */
  uint32_t reject_code; /* CANMEM_REJECT_* */
  uint32_t category;    /* CANMEM_CAT_* */
  /* Reply data (REPLY) or reject message (REJECT). Owned by the adapter,
   * valid until the next call on the same canister or its destruction. */
  const uint8_t *payload;
  uint64_t payload_size;
  char message[512]; /* for people; never compared */
} canmem_outcome;

/* ---- Profiles: every limit of the model is a parameter ----
 * Files in suite/profiles/ set these; see docs/memory-model.md. */

/* Features: which generations of the interface the profile enables. */
#define CANMEM_FEATURE_STABLE64 (1u << 0)        /* stable64_* API */
#define CANMEM_FEATURE_WASM64 (1u << 1)          /* memory64 canisters */
#define CANMEM_FEATURE_WASM_MEMORY_LIMIT (1u << 2)
#define CANMEM_FEATURE_LOW_MEMORY_HOOK (1u << 3) /* + wasm_memory_threshold */
#define CANMEM_FEATURE_SKIP_PRE_UPGRADE (1u << 4)
#define CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE (1u << 5)
#define CANMEM_FEATURE_STABLE_IN_START (1u << 6) /* stable API in (start) */
#define CANMEM_FEATURE_GZIP (1u << 7)            /* gzip-compressed modules */
/* A memory import may have any name (before 2023-06: only env.memory). */
#define CANMEM_FEATURE_ANY_MEMORY_IMPORT (1u << 8)
/* WebAssembly features a canister module may use (MOD-FEAT-*). */
#define CANMEM_FEATURE_SIMD (1u << 9)      /* fixed-width 128-bit SIMD */
#define CANMEM_FEATURE_TAIL_CALL (1u << 10) /* return_call(_indirect) */
#define CANMEM_FEATURE_TABLE64 (1u << 11)   /* tables with i64 indices */
/* Snapshots by generation (SNAP-4): take, load, list, delete (0.28.0);
 * read and upload metadata and data (0.47.0); load a snapshot of another
 * canister (0.50.0); take with uninstall_code (0.54.0). */
#define CANMEM_FEATURE_SNAPSHOTS (1u << 12)
#define CANMEM_FEATURE_SNAPSHOT_DATA (1u << 13)
#define CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER (1u << 14)
#define CANMEM_FEATURE_SNAPSHOT_UNINSTALL (1u << 15)

/* Readings: where the specification is ambiguous (ic-memory-rules.md
 * section 20) bit clear = the reading of the prose (the reference's
 * default), bit set = the named alternative. */
/* EDGE-WMLIMIT: fail only a message that grew the heap past the limit,
 * instead of any message whose resulting heap exceeds it. */
#define CANMEM_READING_LIMIT_ON_GROWTH_ONLY (1u << 0)
/* EDGE-WMLIMIT: also enforce wasm_memory_limit in heartbeat/global timer. */
#define CANMEM_READING_LIMIT_IN_TIMERS (1u << 1)
/* EDGE-WMLIMIT / LOW-6: also enforce it in canister_on_low_wasm_memory. */
#define CANMEM_READING_LIMIT_IN_LOW_MEMORY_HOOK (1u << 2)
/* EDGE-KEEP: with wasm_memory_persistence = keep, re-apply the new
 * module's active data segments onto the kept heap. */
#define CANMEM_READING_KEEP_REAPPLIES_DATA (1u << 3)
/* EDGE-LOWCAP: with no wasm_memory_limit, capacity = 0 (the formal
 * model), instead of the heap maximum. */
#define CANMEM_READING_LOW_MEMORY_FORMAL_CAPACITY (1u << 4)
/* EDGE-NOMEM: in a canister without memory every call that names a heap
 * range traps, instead of treating the heap as empty. */
#define CANMEM_READING_NO_MEMORY_TRAPS (1u << 5)
/* EDGE-ORDER: stable_read/write check the stable range before the heap
 * range (the replica), instead of the formal order. */
#define CANMEM_READING_STABLE_BOUND_FIRST (1u << 6)
/* EDGE-WMLIMIT (the replica's UpdateHelper): an update whose heap is
 * already over wasm_memory_limit fails before it runs (system tasks
 * exempt), instead of running and being judged by its result. */
#define CANMEM_READING_LIMIT_CHECKED_AT_START (1u << 7)
/* EDGE-LOWCAP (the replica): with no wasm_memory_limit the hook's capacity
 * is the wasm32 heap maximum (4 GiB) for wasm64 canisters too, instead of
 * the canister's own heap maximum. */
#define CANMEM_READING_LOW_MEMORY_WASM32_CAPACITY (1u << 8)
/* EDGE-LOGS-ON-TRAP (the Formal model): a trapped execution adds nothing
 * to the canister log, instead of its debug_print lines and the trap
 * message (the prose and the replica). */
#define CANMEM_READING_LOGS_ON_SUCCESS_ONLY (1u << 9)

typedef struct {
  uint32_t struct_size; /* sizeof(canmem_profile) */
  uint32_t reserved;
  char name[64];
  uint64_t features; /* CANMEM_FEATURE_* */
  uint64_t readings; /* CANMEM_READING_* */
  /* memories, in bytes (multiples of 64 KiB) */
  uint64_t max_stable_bytes;   /* stable64_grow beyond it returns -1 */
  uint64_t max_stable32_bytes; /* the 32-bit API's limit: 4 GiB */
  uint64_t max_heap32_bytes;   /* wasm32 memory.grow beyond it is -1 */
  uint64_t max_heap64_bytes;   /* wasm64 likewise */
  /* settings */
  uint64_t wasm_memory_limit;     /* initial value, 0 = no limit */
  uint64_t wasm_memory_threshold; /* initial value */
  uint64_t max_wasm_memory_limit; /* update_settings rejects more */
  /* messages */
  uint64_t max_reply_bytes;       /* replicated executions */
  uint64_t max_query_reply_bytes; /* non-replicated queries */
  uint64_t max_certified_data_bytes;
  /* instructions per execution, 0 = unlimited */
  uint64_t instructions_update; /* also system tasks */
  uint64_t instructions_query;
  uint64_t instructions_install; /* install, reinstall, upgrade (whole) */
  uint64_t instructions_inspect;
  /* module limits (MOD-LIM-1), 0 = no limit */
  uint64_t max_module_bytes; /* after gzip decompression */
  uint64_t max_functions;
  uint64_t max_globals;
  uint64_t max_exported_methods;
  uint64_t max_method_name_bytes; /* sum over exported methods */
  uint64_t max_icp_sections;
  uint64_t max_icp_section_bytes; /* sum of names and contents */
  /* deterministic environment */
  uint64_t time_start_ns; /* ic0.time of the first execution */
  uint64_t time_step_ns;  /* added for every later execution */
  uint64_t cycle_balance; /* ic0.canister_cycle_balance */
  /* settings, continued: update_settings rejects a threshold above it
   * (2^48 since spec 0.64.0; 2^64 - 1 before) */
  uint64_t max_wasm_memory_threshold;
  /* Per-execution memory access limits (SM-9, LIM-SM-2, LIM-HEAP-ACCESS),
   * in bytes, multiples of 4 KiB (CANMEM_ACCESS_PAGE); 0 = no limit. What
   * counts is the number of distinct 4 KiB pages an execution touched;
   * docs/memory-model.md, "Access limits". Message = update and system
   * task; upgrade = every execution of install_code (start, init,
   * pre_upgrade, post_upgrade, each on its own); query = queries of either
   * mode and inspect_message. */
  uint64_t stable_access_limit_message; /* pages read or written */
  uint64_t stable_access_limit_upgrade;
  uint64_t stable_access_limit_query;
  uint64_t stable_write_limit_message; /* pages written */
  uint64_t stable_write_limit_upgrade;
  uint64_t stable_write_limit_query;
  uint64_t heap_access_limit_message; /* heap pages (see the docs) */
  uint64_t heap_access_limit_upgrade;
  uint64_t heap_access_limit_query;
  /* Version 2. Snapshots per canister (10 in the replica); the canister
   * log's size, the oldest records dropped beyond it (4 KiB). */
  uint64_t max_snapshots;
  uint64_t max_log_bytes;
} canmem_profile;

/* The unit the access limits count in: the replica's OS page. */
#define CANMEM_ACCESS_PAGE 4096u

/* ---- Capabilities: what an adapter implements ---- */
#define CANMEM_CAP_STABLE64 (1u << 0)
#define CANMEM_CAP_WASM64 (1u << 1)
#define CANMEM_CAP_WASM_MEMORY_LIMIT (1u << 2)
#define CANMEM_CAP_LOW_MEMORY_HOOK (1u << 3)
#define CANMEM_CAP_SKIP_PRE_UPGRADE (1u << 4)
#define CANMEM_CAP_WASM_MEMORY_PERSISTENCE (1u << 5)
#define CANMEM_CAP_STABLE_IN_START (1u << 6)
#define CANMEM_CAP_GZIP (1u << 7)
#define CANMEM_CAP_REPLICATED_QUERY (1u << 8)
#define CANMEM_CAP_INSPECT_MESSAGE (1u << 9)
#define CANMEM_CAP_SYSTEM_TASKS (1u << 10) /* heartbeat and global timer */
/* Honours any profile limits (tiny stable maximum, small heap...). */
#define CANMEM_CAP_PROFILE_LIMITS (1u << 11)
#define CANMEM_CAP_INSTRUCTION_LIMIT (1u << 12)
/* Follows the alternative readings it is asked for in profile.readings. */
#define CANMEM_CAP_READINGS (1u << 13)
/* Runs modules that use these WebAssembly features. */
#define CANMEM_CAP_SIMD (1u << 14)
#define CANMEM_CAP_TAIL_CALL (1u << 15)
#define CANMEM_CAP_TABLE64 (1u << 16)
/* Enforces the profile's stable_access_limit_* and stable_write_limit_*. */
#define CANMEM_CAP_STABLE_ACCESS_LIMITS (1u << 17)
/* Enforces the profile's heap_access_limit_*. */
#define CANMEM_CAP_HEAP_ACCESS_LIMITS (1u << 18)
/* Version 2: the operations of the sections below. */
#define CANMEM_CAP_CALLS (1u << 19)     /* outgoing_calls, respond */
#define CANMEM_CAP_SNAPSHOTS (1u << 20) /* the *_snapshot* operations */
#define CANMEM_CAP_LOGS (1u << 21)      /* canister_logs */

/* ---- Inter-canister calls (version 2) ----
 * The callee is outside the canister: the vector plays it. A message that
 * calls ic0.call_perform leaves a call outstanding once the message
 * commits (a trapping message sends nothing). outgoing_calls lists them;
 * respond delivers a reply or a reject to one, which runs its reply or
 * reject callback as an execution of its own (and the cleanup callback if
 * that traps). docs/adapter-abi.md gives the outcomes of each case. */
#define CANMEM_CALL_FLAG_BEST_EFFORT (1u << 0) /* with_best_effort_response */
#define CANMEM_CALL_FLAG_CLEANUP (1u << 1)     /* call_on_cleanup was set */

typedef struct {
  uint32_t struct_size;     /* sizeof(canmem_outgoing_call), set by caller */
  uint32_t flags;           /* CANMEM_CALL_FLAG_* */
  uint64_t id;              /* the adapter's; > 0, never reused */
  const uint8_t *callee;    /* principal bytes, as given to call_new */
  uint64_t callee_size;
  const uint8_t *method;    /* method name bytes */
  uint64_t method_size;
  const uint8_t *payload;   /* call_data_append's bytes, concatenated */
  uint64_t payload_size;
  uint64_t cycles_high;     /* call_cycles_add128, summed */
  uint64_t cycles_low;
  uint32_t timeout_seconds; /* best-effort: the timeout as given */
  uint32_t reserved;
} canmem_outgoing_call;

#define CANMEM_RESPONSE_REPLY 1u
#define CANMEM_RESPONSE_REJECT 2u

typedef struct {
  uint32_t struct_size; /* sizeof(canmem_response) */
  uint32_t kind;        /* CANMEM_RESPONSE_* */
  uint32_t reject_code; /* REJECT: CANMEM_REJECT_* 1..6; a best-effort
                           timeout is CANMEM_REJECT_SYS_UNKNOWN */
  uint32_t reserved;
  const uint8_t *payload; /* reply data, or the reject message */
  uint64_t payload_size;
} canmem_response;

/* ---- Snapshots (version 2): the management canister's methods ----
 * Ids are the adapter's (> 0). Memory sizes and offsets are in bytes. */
#define CANMEM_SNAPSHOT_DATA_MODULE 1u /* the Wasm module */
#define CANMEM_SNAPSHOT_DATA_HEAP 2u   /* main (wasm) memory */
#define CANMEM_SNAPSHOT_DATA_STABLE 3u /* stable memory */

#define CANMEM_SNAPSHOT_TAKE_UNINSTALL (1u << 0) /* uninstall after (0.54) */

typedef struct {
  uint32_t struct_size;
  uint32_t flags;            /* CANMEM_SNAPSHOT_TAKE_* */
  uint64_t replace_snapshot; /* 0 = none */
} canmem_snapshot_take;

typedef struct {
  uint32_t struct_size;
  uint32_t reserved;
  uint64_t id;
  uint64_t total_size; /* bytes */
  uint64_t taken_at_ns;
} canmem_snapshot_info;

#define CANMEM_GLOBAL_I32 1u
#define CANMEM_GLOBAL_I64 2u
#define CANMEM_GLOBAL_F32 3u
#define CANMEM_GLOBAL_F64 4u
#define CANMEM_GLOBAL_V128 5u

typedef struct {
  uint32_t type; /* CANMEM_GLOBAL_* */
  uint32_t reserved;
  uint64_t bits;    /* the value's bits (f32/f64 as their bit patterns) */
  uint64_t bits_hi; /* v128: the high 64 bits */
} canmem_global;

#define CANMEM_SNAPSHOT_SOURCE_TAKEN 1u
#define CANMEM_SNAPSHOT_SOURCE_UPLOADED 2u

#define CANMEM_HOOK_CONDITION_NOT_SATISFIED 1u
#define CANMEM_HOOK_READY 2u
#define CANMEM_HOOK_EXECUTED 3u

/* The global timer in snapshot metadata. ABSENT (null) only in uploaded
 * metadata: loading it leaves the canister's timer as it is. */
#define CANMEM_SNAPSHOT_TIMER_INACTIVE 0u
#define CANMEM_SNAPSHOT_TIMER_ACTIVE 1u /* at global_timer_ns */
#define CANMEM_SNAPSHOT_TIMER_ABSENT 2u

typedef struct {
  uint32_t struct_size;
  uint32_t source;         /* CANMEM_SNAPSHOT_SOURCE_* */
  uint64_t taken_at_ns;
  uint64_t canister_version;
  uint64_t wasm_module_size;
  uint64_t wasm_memory_size;   /* bytes */
  uint64_t stable_memory_size; /* bytes */
  const canmem_global *globals; /* the module's exported globals */
  uint64_t globals_count;
  const uint8_t *certified_data;
  uint64_t certified_data_size;
  uint32_t global_timer_active; /* CANMEM_SNAPSHOT_TIMER_* */
  uint32_t hook_status;         /* CANMEM_HOOK_*, 0 = absent */
  uint64_t global_timer_ns;
} canmem_snapshot_metadata;

/* ---- Canister logs (version 2) ---- */
typedef struct {
  uint32_t struct_size;
  uint32_t reserved;
  uint64_t idx;
  uint64_t timestamp_ns;
  const uint8_t *content;
  uint64_t content_size;
} canmem_log_record;

typedef struct canmem_canister canmem_canister; /* the adapter's own type */

typedef struct {
  uint32_t abi_version; /* CANMEM_ADAPTER_ABI_VERSION */
  uint32_t struct_size; /* sizeof(canmem_adapter) */
  const char *name;
  const char *version;
  uint64_t capabilities; /* CANMEM_CAP_* */

  /* A new, empty canister with the profile's limits and settings. Returns
   * NULL and writes a reason into error (NUL-terminated) on failure. */
  canmem_canister *(*create)(const canmem_profile *profile, char *error,
                             uint64_t error_size);
  void (*destroy)(canmem_canister *canister);

  int32_t (*install_code)(canmem_canister *canister,
                          const canmem_install *request, canmem_outcome *out);
  /* method: the name after "canister_update "/"canister_query ", or the
   * system task's export name. */
  int32_t (*call)(canmem_canister *canister, uint32_t call_kind,
                  const char *method, const uint8_t *arg, uint64_t arg_size,
                  canmem_outcome *out);
  int32_t (*update_settings)(canmem_canister *canister,
                             const canmem_settings *settings,
                             canmem_outcome *out);

  /* White-box probes, NULL when not offered. Return CANMEM_OK or an error
   * (reading outside the memory is CANMEM_ERR_ARGUMENT). */
  int32_t (*stable_size)(canmem_canister *canister, uint64_t *pages);
  int32_t (*heap_size)(canmem_canister *canister, uint64_t *pages);
  int32_t (*read_stable)(canmem_canister *canister, uint64_t offset,
                         uint8_t *dst, uint64_t size);
  int32_t (*read_heap)(canmem_canister *canister, uint64_t offset,
                       uint8_t *dst, uint64_t size);

  /* ---- Version 2. Each is NULL when the adapter lacks it. Pointers in
   * what they return stay valid until the next operation on the same
   * canister. Lists: fill at most max entries (each entry's struct_size
   * set by the caller), set *count to how many there are. */

  /* Calls (CANMEM_CAP_CALLS): outstanding calls in the order performed. */
  int32_t (*outgoing_calls)(canmem_canister *canister,
                            canmem_outgoing_call *calls, uint64_t max,
                            uint64_t *count);
  int32_t (*respond)(canmem_canister *canister, uint64_t call_id,
                     const canmem_response *response, canmem_outcome *out);

  /* Snapshots (CANMEM_CAP_SNAPSHOTS). Each returns CANMEM_OK with out
   * REPLY when the management canister would accept, REJECT with a
   * category when it would refuse. load: source is the canister the
   * snapshot belongs to (NULL = this one; another: since 0.50.0). */
  int32_t (*take_snapshot)(canmem_canister *canister,
                           const canmem_snapshot_take *request,
                           uint64_t *snapshot_id, canmem_outcome *out);
  int32_t (*load_snapshot)(canmem_canister *canister,
                           canmem_canister *source, uint64_t snapshot_id,
                           canmem_outcome *out);
  int32_t (*list_snapshots)(canmem_canister *canister,
                            canmem_snapshot_info *snapshots, uint64_t max,
                            uint64_t *count);
  int32_t (*delete_snapshot)(canmem_canister *canister, uint64_t snapshot_id,
                             canmem_outcome *out);
  int32_t (*read_snapshot_metadata)(canmem_canister *canister,
                                    uint64_t snapshot_id,
                                    canmem_snapshot_metadata *metadata,
                                    canmem_outcome *out);
  int32_t (*read_snapshot_data)(canmem_canister *canister,
                                uint64_t snapshot_id, uint32_t data_kind,
                                uint64_t offset, uint8_t *dst, uint64_t size,
                                canmem_outcome *out);
  /* replace_snapshot: 0 = none */
  int32_t (*upload_snapshot_metadata)(canmem_canister *canister,
                                      const canmem_snapshot_metadata *metadata,
                                      uint64_t replace_snapshot,
                                      uint64_t *snapshot_id,
                                      canmem_outcome *out);
  int32_t (*upload_snapshot_data)(canmem_canister *canister,
                                  uint64_t snapshot_id, uint32_t data_kind,
                                  uint64_t offset, const uint8_t *src,
                                  uint64_t size, canmem_outcome *out);

  /* Logs (CANMEM_CAP_LOGS): the canister's log, oldest first. */
  int32_t (*canister_logs)(canmem_canister *canister,
                           canmem_log_record *records, uint64_t max,
                           uint64_t *count);
} canmem_adapter;

/* The table's length as of version 1 (up to read_heap). */
#define CANMEM_ADAPTER_V1_SIZE                                                 \
  (offsetof(canmem_adapter, read_heap) + sizeof(void (*)(void)))
/* True when the table holds field (a version-2 field in a version-1 table
 * is absent) and it is set. */
#define CANMEM_ADAPTER_HAS(table, field)                                       \
  ((table)->struct_size >=                                                     \
       offsetof(canmem_adapter, field) + sizeof((table)->field) &&             \
   (table)->field != NULL)

/* The exported entry point of a loadable adapter. */
typedef const canmem_adapter *(*canmem_adapter_entry)(void);
const canmem_adapter *canmem_adapter_v1(void);

/* Names of outcome kinds and categories, as vectors and reports spell
 * them. Unknown values give "unknown". */
static inline const char *canmem_outcome_kind_name(uint32_t kind) {
  switch (kind) {
  case CANMEM_OUTCOME_REPLY: return "reply";
  case CANMEM_OUTCOME_REJECT: return "reject";
  case CANMEM_OUTCOME_NO_REPLY: return "no-reply";
  case CANMEM_OUTCOME_TRAP: return "trap";
  case CANMEM_OUTCOME_INSTALL_REJECTED: return "install-rejected";
  case CANMEM_OUTCOME_PENDING: return "pending";
  case CANMEM_OUTCOME_RETURNED: return "returned";
  default: return "unknown";
  }
}

static inline const char *canmem_category_name(uint32_t category) {
  switch (category) {
  case CANMEM_CAT_NONE: return "none";
  case CANMEM_CAT_UNREACHABLE: return "unreachable";
  case CANMEM_CAT_HEAP_OUT_OF_BOUNDS: return "heap-out-of-bounds";
  case CANMEM_CAT_TABLE_OUT_OF_BOUNDS: return "table-out-of-bounds";
  case CANMEM_CAT_INTEGER_DIVIDE_BY_ZERO: return "integer-divide-by-zero";
  case CANMEM_CAT_INTEGER_OVERFLOW: return "integer-overflow";
  case CANMEM_CAT_INVALID_CONVERSION: return "invalid-conversion";
  case CANMEM_CAT_INDIRECT_CALL_TYPE_MISMATCH:
    return "indirect-call-type-mismatch";
  case CANMEM_CAT_UNINITIALIZED_ELEMENT: return "uninitialized-element";
  case CANMEM_CAT_STACK_EXHAUSTED: return "stack-exhausted";
  case CANMEM_CAT_INSTRUCTION_LIMIT: return "instruction-limit";
  case CANMEM_CAT_EXPLICIT_TRAP: return "explicit-trap";
  case CANMEM_CAT_STABLE_OUT_OF_BOUNDS: return "stable-out-of-bounds";
  case CANMEM_CAT_STABLE_TOO_BIG_FOR_32_BIT: return "stable-too-big-for-32-bit";
  case CANMEM_CAT_NOT_ALLOWED_IN_THIS_CONTEXT:
    return "not-allowed-in-this-context";
  case CANMEM_CAT_CONTRACT_VIOLATION: return "contract-violation";
  case CANMEM_CAT_WASM_MEMORY_LIMIT: return "wasm-memory-limit";
  case CANMEM_CAT_NOT_MODELLED: return "not-modelled";
  case CANMEM_CAT_OUT_OF_MEMORY: return "out-of-memory";
  case CANMEM_CAT_WASM_ENGINE: return "wasm-engine";
  case CANMEM_CAT_MEMORY_ACCESS_LIMIT: return "memory-access-limit";
  case CANMEM_CAT_INVALID_MODULE: return "invalid-module";
  case CANMEM_CAT_MODULE_IMPORT: return "module-import";
  case CANMEM_CAT_MODULE_IMPORT_SIGNATURE: return "module-import-signature";
  case CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY: return "module-import-wasm32-only";
  case CANMEM_CAT_MODULE_MEMORY: return "module-memory";
  case CANMEM_CAT_MODULE_EXPORT: return "module-export";
  case CANMEM_CAT_MODULE_DUPLICATE_METHOD: return "module-duplicate-method";
  case CANMEM_CAT_MODULE_CUSTOM_SECTION: return "module-custom-section";
  case CANMEM_CAT_MODULE_LIMIT: return "module-limit";
  case CANMEM_CAT_INSTANTIATION_FAILED: return "instantiation-failed";
  case CANMEM_CAT_CANISTER_NOT_EMPTY: return "canister-not-empty";
  case CANMEM_CAT_CANISTER_EMPTY: return "canister-empty";
  case CANMEM_CAT_UPGRADE_OPTION: return "upgrade-option";
  case CANMEM_CAT_METHOD_NOT_FOUND: return "method-not-found";
  case CANMEM_CAT_TASK_NOT_SCHEDULED: return "task-not-scheduled";
  case CANMEM_CAT_MESSAGE_NOT_ACCEPTED: return "message-not-accepted";
  case CANMEM_CAT_INVALID_SETTINGS: return "invalid-settings";
  case CANMEM_CAT_UNSUPPORTED: return "unsupported";
  case CANMEM_CAT_SNAPSHOT_NOT_FOUND: return "snapshot-not-found";
  case CANMEM_CAT_SNAPSHOT_LIMIT: return "snapshot-limit";
  case CANMEM_CAT_SNAPSHOT_RANGE: return "snapshot-range";
  case CANMEM_CAT_SNAPSHOT_NOT_UPLOADED: return "snapshot-not-uploaded";
  case CANMEM_CAT_SNAPSHOT_GLOBALS: return "snapshot-globals";
  case CANMEM_CAT_SNAPSHOT_HOOK_STATUS: return "snapshot-hook-status";
  case CANMEM_CAT_SNAPSHOT_SIZES: return "snapshot-sizes";
  case CANMEM_CAT_CALL_CONTEXT_DELETED: return "call-context-deleted";
  default: return "unknown";
  }
}

#endif
