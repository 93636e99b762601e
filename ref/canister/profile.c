/* canmem canister model: profiles, the limits, features and readings a
 * canister runs under (the ABI's canmem_profile): the built-in defaults and
 * the coherence check every new canister makes. Their file syntax, the
 * suite/profiles/ files, is read by ref/profile. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "canister.h"

#define MIB (1024ull * 1024)
#define GIB (1024ull * MIB)
#define WASM_PAGE 65536ull

static bool fail(char *err, size_t err_size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static bool fail(char *err, size_t err_size, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, err_size, fmt, ap);
  va_end(ap);
  return false;
}

void cm_profile_defaults(canmem_profile *p) {
  memset(p, 0, sizeof *p);
  p->struct_size = sizeof *p;
  snprintf(p->name, sizeof p->name, "ic-current");
  p->features = CANMEM_FEATURE_STABLE64 | CANMEM_FEATURE_WASM64 |
                CANMEM_FEATURE_WASM_MEMORY_LIMIT |
                CANMEM_FEATURE_LOW_MEMORY_HOOK |
                CANMEM_FEATURE_SKIP_PRE_UPGRADE |
                CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE |
                CANMEM_FEATURE_STABLE_IN_START | CANMEM_FEATURE_GZIP |
                CANMEM_FEATURE_ANY_MEMORY_IMPORT | CANMEM_FEATURE_SIMD |
                CANMEM_FEATURE_TAIL_CALL | CANMEM_FEATURE_TABLE64 |
                CANMEM_FEATURE_SNAPSHOTS | CANMEM_FEATURE_SNAPSHOT_DATA |
                CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER |
                CANMEM_FEATURE_SNAPSHOT_UNINSTALL;
  p->readings = 0;
  p->max_stable_bytes = 500 * GIB;
  p->max_stable32_bytes = 4 * GIB;
  p->max_heap32_bytes = 4 * GIB;
  p->max_heap64_bytes = 6 * GIB;
  p->wasm_memory_limit = 0;
  p->wasm_memory_threshold = 0;
  p->max_wasm_memory_limit = 1ull << 48;     /* inclusive since 0.64.0 */
  p->max_wasm_memory_threshold = 1ull << 48; /* since 0.64.0 */
  p->max_reply_bytes = 2 * MIB;
  p->max_query_reply_bytes = 3 * MIB;
  p->max_certified_data_bytes = 32;
  p->instructions_update = 40000000000ull;
  p->instructions_query = 5000000000ull;
  p->instructions_install = 300000000000ull;
  p->instructions_inspect = 200000000ull;
  p->max_module_bytes = 100 * MIB;
  p->max_functions = 50000;
  p->max_globals = 1000;
  p->max_exported_methods = 1000;
  p->max_method_name_bytes = 20000;
  p->max_icp_sections = 16;
  p->max_icp_section_bytes = 1 * MIB;
  p->time_start_ns = 1700000000000000000ull; /* 2023-11-14 */
  p->time_step_ns = 1000000000ull;
  p->cycle_balance = 100000000000000ull; /* 100 T cycles */
  /* SM-9: the replica's STABLE_MEMORY_{ACCESSED,DIRTY}_PAGE_LIMIT_* */
  p->stable_access_limit_message = 2 * GIB;
  p->stable_access_limit_upgrade = 8 * GIB;
  p->stable_access_limit_query = 1 * GIB;
  p->stable_write_limit_message = 2 * GIB;
  p->stable_write_limit_upgrade = 8 * GIB;
  p->stable_write_limit_query = 1 * GIB;
  /* LIM-HEAP-ACCESS: 6 GiB is only proposed (dfinity/ic PR #11400) */
  p->heap_access_limit_message = 0;
  p->heap_access_limit_upgrade = 0;
  p->heap_access_limit_query = 0;
  p->max_snapshots = 10; /* MAX_SNAPSHOTS: resource-limits.md */
  p->max_log_bytes = 4096; /* fetch_canister_logs: 4 KiB */
}

bool cm_profile_check(const canmem_profile *p, char *err, size_t err_size) {
  const uint64_t four_gib = 4 * GIB;
  if (p->struct_size < sizeof *p)
    return fail(err, err_size, "profile struct_size %" PRIu32 " < %zu",
                p->struct_size, sizeof *p);
  if (p->max_stable_bytes % WASM_PAGE || p->max_stable32_bytes % WASM_PAGE ||
      p->max_heap32_bytes % WASM_PAGE || p->max_heap64_bytes % WASM_PAGE)
    return fail(err, err_size, "memory maxima must be multiples of 64 KiB");
  if (p->max_stable32_bytes > four_gib)
    return fail(err, err_size,
                "max_stable_memory_32 above 4 GiB cannot be addressed by the "
                "32-bit API");
  const uint64_t limits[] = {
      p->stable_access_limit_message, p->stable_access_limit_upgrade,
      p->stable_access_limit_query,   p->stable_write_limit_message,
      p->stable_write_limit_upgrade,  p->stable_write_limit_query,
      p->heap_access_limit_message,   p->heap_access_limit_upgrade,
      p->heap_access_limit_query};
  for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
    if (limits[i] % CANMEM_ACCESS_PAGE)
      return fail(err, err_size,
                  "memory access limits must be multiples of 4 KiB");
  if (p->max_heap32_bytes > four_gib)
    return fail(err, err_size, "max_heap_wasm32 above 4 GiB");
  if (p->max_heap64_bytes > (1ull << 48))
    return fail(err, err_size, "max_heap_wasm64 above 2^48 bytes");
  if (p->max_stable_bytes > (1ull << 48))
    return fail(err, err_size, "max_stable_memory above 2^48 bytes");
  return true;
}
