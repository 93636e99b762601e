/* canmem canister model: the allocator of every part of the model. In a
 * build with fault injection (configure --enable-coverage) any one of its
 * allocations can be made to fail, so that `canmem-run --alloc-faults` can
 * check that each failure ends as an out-of-memory outcome and rolls back
 * (docs/coverage.md). Without it these are malloc, calloc and realloc, and
 * the model keeps no global state. */
#ifndef CANMEM_CANISTER_ALLOC_H
#define CANMEM_CANISTER_ALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *cm_malloc(size_t size);
void *cm_calloc(size_t count, size_t size);
void *cm_realloc(void *p, size_t size);

/* Whether this build can inject failures. */
bool cm_alloc_faults_available(void);
/* Make the n-th allocation from now fail (n >= 1), or none (n = 0). */
void cm_alloc_fail_at(uint64_t n);
/* Whether the failure asked for has happened. */
bool cm_alloc_failed(void);
/* The model calls this where it answers a failed allocation within the
 * spec instead of failing (a stable grow returns -1, SM32-GROW-5); what the
 * canister then does with the answer is its own. */
void cm_alloc_answered(void);
/* Whether it did, since the failure was asked for. */
bool cm_alloc_was_answered(void);

#endif
