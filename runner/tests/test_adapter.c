/* A deliberately broken adapter for the runner's isolation tests: the
 * reference model, except that calls to a few method names misbehave the
 * way a faulty runtime might. The runner must fail only those vectors.
 *
 *   "crash"  abort()s            "segfault"  raises SIGSEGV
 *   "hang"   never returns       "exit"      ends the process (status 3)
 *   "lie"    returns CANMEM_ERR_INTERNAL
 *   "spawn"  leaves an orphaned process behind (forked twice, holding the
 *            runner's pipe open), then answers like the reference
 *   "spawn-hang"  the same, then never returns
 * $CANMEM_TEST_CRASH_IN=create or =destroy makes that function abort().
 * $CANMEM_TEST_ABI=1 makes it a version-1 adapter: a table that ends
 * before the version-2 operations, whose bits still claim
 * CANMEM_CAP_CALLS (the runner must not believe them).
 * The spawned process's pid is appended to $CANMEM_TEST_PIDFILE, so a test
 * can check the runner killed it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adapter.h"

/* A process that outlives its parent and sleeps; the caller goes on. */
static void spawn_orphan(void) {
  pid_t pid = fork();
  if (pid != 0) {
    if (pid > 0)
      while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
        ;
    return;
  }
  pid_t sleeper = fork();
  if (sleeper != 0) { /* the middle one leaves: the sleeper is an orphan */
    const char *file = getenv("CANMEM_TEST_PIDFILE");
    FILE *f = file && sleeper > 0 ? fopen(file, "a") : NULL;
    if (f) {
      fprintf(f, "%ld\n", (long)sleeper);
      fclose(f);
    }
    _exit(0);
  }
  for (;;)
    pause();
}

static int32_t misbehaving_call(canmem_canister *c, uint32_t kind,
                                const char *method, const uint8_t *arg,
                                uint64_t arg_size, canmem_outcome *out) {
  if (strcmp(method, "crash") == 0)
    abort();
  if (strcmp(method, "segfault") == 0)
    raise(SIGSEGV);
  if (strncmp(method, "spawn", 5) == 0)
    spawn_orphan();
  if (strcmp(method, "hang") == 0 || strcmp(method, "spawn-hang") == 0)
    for (;;)
      pause();
  if (strcmp(method, "exit") == 0)
    _exit(3);
  if (strcmp(method, "lie") == 0) {
    snprintf(out->message, sizeof out->message, "the test adapter refuses");
    return CANMEM_ERR_INTERNAL;
  }
  return cm_ref_adapter()->call(c, kind, method, arg, arg_size, out);
}

/* $CANMEM_TEST_CRASH_IN=create or destroy: that function abort()s. */
static void maybe_crash(const char *function) {
  const char *where = getenv("CANMEM_TEST_CRASH_IN");
  if (where && strcmp(where, function) == 0)
    abort();
}

/* The rest forwards to the reference. */
static canmem_canister *create(const canmem_profile *p, char *error,
                               uint64_t size) {
  maybe_crash("create");
  return cm_ref_adapter()->create(p, error, size);
}
static void destroy(canmem_canister *c) {
  maybe_crash("destroy");
  cm_ref_adapter()->destroy(c);
}
static int32_t install_code(canmem_canister *c, const canmem_install *r,
                            canmem_outcome *out) {
  return cm_ref_adapter()->install_code(c, r, out);
}
static int32_t update_settings(canmem_canister *c, const canmem_settings *s,
                               canmem_outcome *out) {
  return cm_ref_adapter()->update_settings(c, s, out);
}

static const canmem_adapter table = {
    .abi_version = CANMEM_ADAPTER_ABI_VERSION,
    .struct_size = sizeof(canmem_adapter),
    .name = "canmem-test-adapter",
    .version = "0",
    /* no probes, so vectors that need them are skipped */
    .capabilities = CANMEM_CAP_STABLE64 | CANMEM_CAP_SYSTEM_TASKS |
                    CANMEM_CAP_PROFILE_LIMITS,
    .create = create,
    .destroy = destroy,
    .install_code = install_code,
    .call = misbehaving_call,
    .update_settings = update_settings,
};

/* The same as an adapter built against version 1 of the ABI. */
static canmem_adapter table_v1;

const canmem_adapter *canmem_adapter_v1(void) {
  const char *abi = getenv("CANMEM_TEST_ABI");
  if (!abi || strcmp(abi, "1") != 0)
    return &table;
  table_v1 = table;
  table_v1.abi_version = 1;
  table_v1.struct_size = (uint32_t)CANMEM_ADAPTER_V1_SIZE;
  table_v1.capabilities |= CANMEM_CAP_CALLS;
  return &table_v1;
}
