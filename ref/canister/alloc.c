/* canmem canister model: the allocator (alloc.h). The fault injection state
 * is the one global of the model, and exists only in builds that ask for it
 * (CM_FAULT_INJECTION). */
#include <stdlib.h>

#include "alloc.h"

#ifdef CM_FAULT_INJECTION
static uint64_t countdown; /* allocations left before the failure; 0: none */
static bool failed, answered;

static bool fail_now(void) {
  if (countdown == 0 || --countdown > 0)
    return false;
  failed = true;
  return true;
}

bool cm_alloc_faults_available(void) { return true; }

void cm_alloc_fail_at(uint64_t n) {
  countdown = n;
  failed = answered = false;
}

bool cm_alloc_failed(void) { return failed; }

void cm_alloc_answered(void) { answered = failed; }

bool cm_alloc_was_answered(void) { return answered; }
#else
static bool fail_now(void) { return false; }

bool cm_alloc_faults_available(void) { return false; }

void cm_alloc_fail_at(uint64_t n) { (void)n; }

bool cm_alloc_failed(void) { return false; }

void cm_alloc_answered(void) {}

bool cm_alloc_was_answered(void) { return false; }
#endif

void *cm_malloc(size_t size) { return fail_now() ? NULL : malloc(size); }

void *cm_calloc(size_t count, size_t size) {
  return fail_now() ? NULL : calloc(count, size);
}

void *cm_realloc(void *p, size_t size) {
  return fail_now() ? NULL : realloc(p, size);
}
