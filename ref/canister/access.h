/* canmem canister model: per-execution memory access limits (SM-9,
 * LIM-SM-2, LIM-HEAP-ACCESS). docs/memory-model.md, "Access limits".
 *
 * Stable memory: every stable read or write names the distinct 4 KiB pages
 * (CANMEM_ACCESS_PAGE) it touches; an execution may touch at most the
 * profile's stable_access_limit_* pages and write at most its
 * stable_write_limit_* pages, as the replica counts its OS pages. The call
 * that would pass a limit traps before it copies anything.
 *
 * Heap: counted through the engine's write journal, so the interpreter's
 * loads and stores pay nothing: the 4 KiB heap pages that existed when the
 * execution began and that it wrote. Reads, and pages added by memory.grow
 * during the execution, are not counted (the reading "written-pages").
 * The check runs when the execution ends. */
#ifndef CANMEM_ACCESS_H
#define CANMEM_ACCESS_H

#include <stdbool.h>
#include <stdint.h>

#include "canmem_adapter.h"
#include "wasm.h"

/* The pages one execution touched, and its limits (in pages, 0 = none). */
typedef struct {
  uint64_t stable_access_limit, stable_write_limit, heap_access_limit;
  /* Touched stable pages: open addressing, slot = (page + 1) << 1 | written
   * (0 = empty). Allocated on the first counted access. */
  uint64_t *slots;
  uint64_t capacity, used;
  uint64_t accessed, written;
  /* heap: the memory watched and its journal's saved blocks at the start */
  cm_memory *heap;
  uint64_t heap_saved_before;
  bool heap_journal_ours; /* opened for counting only: commit at the end */
} cm_access;

/* Limits for an execution of `context` (a CM_CTX_* bit) under p. */
void cm_access_init(cm_access *a, const canmem_profile *p, uint32_t context);
void cm_access_free(cm_access *a);

typedef enum {
  CM_ACCESS_OK,
  CM_ACCESS_OVER_LIMIT, /* the access would pass a limit: trap */
  CM_ACCESS_NO_MEMORY,  /* the page set could not grow */
} cm_access_result;

/* Record a stable access of [offset, offset+size), a write or a read. On
 * OVER_LIMIT, which limit is named in why. */
cm_access_result cm_access_stable(cm_access *a, uint64_t offset,
                                  uint64_t size, bool write, char *why,
                                  size_t why_size);

/* Around one execution on a heap (NULL when the canister has none): begin
 * notes the journal's saved blocks (opening a journal when none is open and
 * the heap limit is on); end returns CM_OK, or fills err with a
 * memory-access-limit trap when the execution wrote more heap pages than
 * its limit. end always closes a journal that begin opened. */
void cm_access_heap_begin(cm_access *a, cm_memory *heap);
cm_status cm_access_heap_end(cm_access *a, bool succeeded, cm_error *err);

#endif
