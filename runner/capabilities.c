/* canmem runner: the names a vector may list in (requires ...). Each one
 * needs an adapter capability, a profile feature, or both: a vector that
 * needs wasm64 is skipped when the runtime cannot run wasm64 canisters and
 * also when the active profile describes an IC without them.
 * suite/capabilities.txt documents the same list; a test keeps the two in
 * step (canmem-run --list-requirements). */
#include <string.h>

#include "runner.h"

/* A vector reaches an access limit by touching limit + 1 pages, so it only
 * runs where every limit it tests is set and at most this large: 16 MiB of
 * sparse stable memory, 1 MiB of heap (the heap vectors' modules declare
 * 20 pages: 1.25 MiB, within every profile's heap maximum). */
#define REACHABLE_STABLE_LIMIT (16ull * 1024 * 1024)
#define REACHABLE_HEAP_LIMIT (1024ull * 1024)

static bool reachable(uint64_t limit, uint64_t at_most) {
  return limit != 0 && limit <= at_most;
}

static bool stable_limits_reachable(const canmem_profile *p) {
  return reachable(p->stable_access_limit_message, REACHABLE_STABLE_LIMIT) &&
         reachable(p->stable_access_limit_upgrade, REACHABLE_STABLE_LIMIT) &&
         reachable(p->stable_access_limit_query, REACHABLE_STABLE_LIMIT) &&
         reachable(p->stable_write_limit_message, REACHABLE_STABLE_LIMIT) &&
         reachable(p->stable_write_limit_upgrade, REACHABLE_STABLE_LIMIT) &&
         reachable(p->stable_write_limit_query, REACHABLE_STABLE_LIMIT);
}

static bool heap_limits_reachable(const canmem_profile *p) {
  return reachable(p->heap_access_limit_message, REACHABLE_HEAP_LIMIT) &&
         reachable(p->heap_access_limit_upgrade, REACHABLE_HEAP_LIMIT) &&
         reachable(p->heap_access_limit_query, REACHABLE_HEAP_LIMIT);
}

static const cmr_requirement requirements[] = {
    {"stable64", CANMEM_CAP_STABLE64, CANMEM_FEATURE_STABLE64,
     "the 64-bit stable memory API (stable64_*)", NULL},
    {"wasm64", CANMEM_CAP_WASM64, CANMEM_FEATURE_WASM64,
     "memory64 canisters (I = i64)", NULL},
    {"wasm-memory-limit", CANMEM_CAP_WASM_MEMORY_LIMIT,
     CANMEM_FEATURE_WASM_MEMORY_LIMIT, "the wasm_memory_limit setting", NULL},
    {"low-memory-hook", CANMEM_CAP_LOW_MEMORY_HOOK,
     CANMEM_FEATURE_LOW_MEMORY_HOOK,
     "canister_on_low_wasm_memory and wasm_memory_threshold", NULL},
    {"skip-pre-upgrade", CANMEM_CAP_SKIP_PRE_UPGRADE,
     CANMEM_FEATURE_SKIP_PRE_UPGRADE, "upgrade's skip_pre_upgrade option",
     NULL},
    {"wasm-memory-persistence", CANMEM_CAP_WASM_MEMORY_PERSISTENCE,
     CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE,
     "upgrade's wasm_memory_persistence option (keep/replace)", NULL},
    {"stable-in-start", CANMEM_CAP_STABLE_IN_START,
     CANMEM_FEATURE_STABLE_IN_START, "the stable API in (start)", NULL},
    {"gzip", CANMEM_CAP_GZIP, CANMEM_FEATURE_GZIP, "gzip-compressed modules",
     NULL},
    {"simd", CANMEM_CAP_SIMD, CANMEM_FEATURE_SIMD,
     "fixed-width 128-bit SIMD in canister modules", NULL},
    {"tail-call", CANMEM_CAP_TAIL_CALL, CANMEM_FEATURE_TAIL_CALL,
     "return_call and return_call_indirect in canister modules", NULL},
    {"table64", CANMEM_CAP_TABLE64, CANMEM_FEATURE_TABLE64,
     "tables with 64-bit indices (memory64 proposal)", NULL},
    {"any-memory-import", 0, CANMEM_FEATURE_ANY_MEMORY_IMPORT,
     "a memory import under any name (not only env.memory)", NULL},
    {"replicated-query", CANMEM_CAP_REPLICATED_QUERY, 0,
     "queries in replicated mode", NULL},
    {"inspect-message", CANMEM_CAP_INSPECT_MESSAGE, 0,
     "canister_inspect_message", NULL},
    {"system-tasks", CANMEM_CAP_SYSTEM_TASKS, 0,
     "heartbeat, global timer and low-memory hook as system tasks", NULL},
    {"profile-limits", CANMEM_CAP_PROFILE_LIMITS, 0,
     "honours arbitrary profile limits (small stable and heap maxima)", NULL},
    {"instruction-limit", CANMEM_CAP_INSTRUCTION_LIMIT, 0,
     "instruction limits per execution", NULL},
    {"readings", CANMEM_CAP_READINGS, 0,
     "follows the alternative readings a profile asks for", NULL},
    {"probes", CMR_CAP_PROBES, 0,
     "white-box probes: stable and heap size and contents", NULL},
    {"snapshots", CANMEM_CAP_SNAPSHOTS, CANMEM_FEATURE_SNAPSHOTS,
     "take, load, list and delete canister snapshots (0.28.0)", NULL},
    {"snapshot-data", CANMEM_CAP_SNAPSHOTS, CANMEM_FEATURE_SNAPSHOT_DATA,
     "read and upload snapshot metadata and data (0.47.0)", NULL},
    {"snapshot-load-other", CANMEM_CAP_SNAPSHOTS,
     CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER,
     "load a snapshot of another canister (0.50.0)", NULL},
    {"snapshot-uninstall", CANMEM_CAP_SNAPSHOTS,
     CANMEM_FEATURE_SNAPSHOT_UNINSTALL,
     "take_canister_snapshot with uninstall_code (0.54.0)", NULL},
    {"logs", CANMEM_CAP_LOGS, 0, "the canister log (fetch_canister_logs)",
     NULL},
    {"stable-access-limits", CANMEM_CAP_STABLE_ACCESS_LIMITS, 0,
     "per-execution stable access and write limits, set and at most 16 MiB "
     "in the profile",
     stable_limits_reachable},
    {"heap-access-limits", CANMEM_CAP_HEAP_ACCESS_LIMITS, 0,
     "per-execution heap access limits, set and at most 1 MiB in the "
     "profile",
     heap_limits_reachable},
    {"calls", CANMEM_CAP_CALLS, 0,
     "inter-canister calls: outgoing_calls and respond (ABI version 2)",
     NULL},
};

const cmr_requirement *cmr_requirements(size_t *count) {
  *count = sizeof requirements / sizeof requirements[0];
  return requirements;
}

const cmr_requirement *cmr_requirement_find(const char *name) {
  size_t n;
  const cmr_requirement *all = cmr_requirements(&n);
  for (size_t i = 0; i < n; i++)
    if (strcmp(all[i].name, name) == 0)
      return &all[i];
  return NULL;
}
