/* canmem canister model: per-execution memory access limits; see access.h
 * and docs/memory-model.md, "Access limits". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access.h"
#include "alloc.h"
#include "internal.h"
#include "runtime.h"

void cm_access_init(cm_access *a, const canmem_profile *p, uint32_t context) {
  memset(a, 0, sizeof *a);
  uint64_t stable_access, stable_write, heap;
  switch (context) {
  case CM_CTX_UPDATE:
  case CM_CTX_SYSTEM_TASK:
  case CM_CTX_REPLY: /* callbacks are replicated messages */
  case CM_CTX_REJECT:
  case CM_CTX_CLEANUP:
    stable_access = p->stable_access_limit_message;
    stable_write = p->stable_write_limit_message;
    heap = p->heap_access_limit_message;
    break;
  case CM_CTX_START:
  case CM_CTX_INIT:
  case CM_CTX_PRE_UPGRADE:
    stable_access = p->stable_access_limit_upgrade;
    stable_write = p->stable_write_limit_upgrade;
    heap = p->heap_access_limit_upgrade;
    break;
  default: /* queries of either mode, composite queries, inspect_message */
    stable_access = p->stable_access_limit_query;
    stable_write = p->stable_write_limit_query;
    heap = p->heap_access_limit_query;
    break;
  }
  a->stable_access_limit = stable_access / CANMEM_ACCESS_PAGE;
  a->stable_write_limit = stable_write / CANMEM_ACCESS_PAGE;
  a->heap_access_limit = heap / CANMEM_ACCESS_PAGE;
}

void cm_access_free(cm_access *a) {
  free(a->slots);
  a->slots = NULL;
  a->capacity = a->used = 0;
}

/* ---- The set of touched stable pages ---- */

static uint64_t slot_of(const cm_access *a, uint64_t key) {
  uint64_t i = (key * UINT64_C(0x9e3779b97f4a7c15)) & (a->capacity - 1);
  while (a->slots[i] && (a->slots[i] >> 1) != key)
    i = (i + 1) & (a->capacity - 1);
  return i;
}

/* Keep the load at most one half; false when out of host memory. */
static bool reserve(cm_access *a) {
  if (2 * (a->used + 1) <= a->capacity)
    return true;
  uint64_t cap = a->capacity ? 2 * a->capacity : 256;
  if (cap > SIZE_MAX / sizeof(uint64_t))
    return false;
  uint64_t *slots = cm_calloc((size_t)cap, sizeof *slots);
  if (!slots)
    return false;
  cm_access old = *a;
  a->slots = slots;
  a->capacity = cap;
  for (uint64_t i = 0; i < old.capacity; i++)
    if (old.slots[i])
      a->slots[slot_of(a, old.slots[i] >> 1)] = old.slots[i];
  free(old.slots);
  return true;
}

cm_access_result cm_access_stable(cm_access *a, uint64_t offset,
                                  uint64_t size, bool write, char *why,
                                  size_t why_size) {
  if (size == 0 || (!a->stable_access_limit && !a->stable_write_limit))
    return CM_ACCESS_OK;
  uint64_t first = offset / CANMEM_ACCESS_PAGE;
  uint64_t last = (offset + size - 1) / CANMEM_ACCESS_PAGE;
  for (uint64_t page = first; page <= last; page++) {
    if (!reserve(a))
      return CM_ACCESS_NO_MEMORY;
    uint64_t key = page + 1;
    uint64_t i = slot_of(a, key);
    bool known = a->slots[i] != 0;
    bool was_written = a->slots[i] & 1;
    if (!known && a->stable_access_limit &&
        a->accessed + 1 > a->stable_access_limit) {
      snprintf(why, why_size,
               "more than %llu pages of 4 KiB of stable memory accessed",
               (unsigned long long)a->stable_access_limit);
      return CM_ACCESS_OVER_LIMIT;
    }
    if (write && !was_written && a->stable_write_limit &&
        a->written + 1 > a->stable_write_limit) {
      snprintf(why, why_size,
               "more than %llu pages of 4 KiB of stable memory written",
               (unsigned long long)a->stable_write_limit);
      return CM_ACCESS_OVER_LIMIT;
    }
    if (!known) {
      a->used++;
      a->accessed++;
    }
    if (write && !was_written)
      a->written++;
    a->slots[i] = key << 1 | (uint64_t)(write || was_written);
  }
  return CM_ACCESS_OK;
}

/* ---- The heap, through the write journal ---- */

void cm_access_heap_begin(cm_access *a, cm_memory *heap) {
  a->heap = NULL;
  a->heap_journal_ours = false;
  if (!heap || !a->heap_access_limit)
    return;
  a->heap = heap;
  if (!heap->journal.open) {
    cm_memory_journal_begin(heap);
    a->heap_journal_ours = true;
  }
  a->heap_saved_before = cm_memory_journal_saved_blocks(heap);
}

cm_status cm_access_heap_end(cm_access *a, bool succeeded, cm_error *err) {
  if (!a->heap)
    return CM_OK;
  uint64_t written =
      cm_memory_journal_saved_blocks(a->heap) - a->heap_saved_before;
  if (a->heap_journal_ours)
    cm_memory_journal_commit(a->heap);
  a->heap = NULL;
  if (!succeeded || written <= a->heap_access_limit)
    return CM_OK;
  return cm_host_trap(err, CANMEM_CAT_MEMORY_ACCESS_LIMIT,
                      "the execution wrote %llu pages of 4 KiB of the heap, "
                      "more than its limit of %llu",
                      (unsigned long long)written,
                      (unsigned long long)a->heap_access_limit);
}
