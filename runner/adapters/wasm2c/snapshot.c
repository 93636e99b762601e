/* Canister snapshots of the wasm2c adapter, from the management canister's
 * take/load/list/delete/read/upload_canister_snapshot_* (IC interface
 * specification 0.66.0): the store of one canister's snapshots and the
 * checks that need nothing but a snapshot. Capturing a canister into a
 * snapshot and loading one back are adapter.c's (they touch the instance). */
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"

void cmw_snapshot_free(cmw_snapshot *s) {
  if (!s)
    return;
  cmw_buf_free(&s->module);
  cmw_buf_free(&s->heap);
  cmw_buf_free(&s->stable);
  cmw_buf_free(&s->certified);
  free(s->globals);
  free(s);
}

void cmw_snapshot_list_free(cmw_snapshot_list *l) {
  while (l->head) {
    cmw_snapshot *next = l->head->next;
    cmw_snapshot_free(l->head);
    l->head = next;
  }
  l->count = 0;
}

cmw_snapshot *cmw_snapshot_find(const cmw_snapshot_list *l, uint64_t id) {
  for (cmw_snapshot *s = l->head; s; s = s->next)
    if (s->id == id)
      return s;
  return NULL;
}

/* Appends s (in the order created, which list_canister_snapshots keeps). */
void cmw_snapshot_add(cmw_snapshot_list *l, cmw_snapshot *s) {
  cmw_snapshot **at = &l->head;
  while (*at)
    at = &(*at)->next;
  s->next = NULL;
  *at = s;
  l->count++;
}

int cmw_snapshot_remove(cmw_snapshot_list *l, uint64_t id) {
  for (cmw_snapshot **at = &l->head; *at; at = &(*at)->next) {
    if ((*at)->id != id)
      continue;
    cmw_snapshot *s = *at;
    *at = s->next;
    cmw_snapshot_free(s);
    l->count--;
    return 0;
  }
  return -1;
}

/* A zero-filled buffer of size bytes (uploaded snapshots start empty). */
int cmw_buf_zeroed(cmw_buf *b, uint64_t size) {
  memset(b, 0, sizeof *b);
  if (size == 0)
    return 0;
  if (size > SIZE_MAX)
    return -1;
  b->data = calloc(1, (size_t)size);
  if (!b->data)
    return -1;
  b->size = b->capacity = (size_t)size;
  return 0;
}

cmw_buf *cmw_snapshot_data(cmw_snapshot *s, uint32_t kind) {
  switch (kind) {
  case CANMEM_SNAPSHOT_DATA_MODULE: return &s->module;
  case CANMEM_SNAPSHOT_DATA_HEAP: return &s->heap;
  case CANMEM_SNAPSHOT_DATA_STABLE: return &s->stable;
  default: return NULL;
  }
}

uint64_t cmw_snapshot_total_size(const cmw_snapshot *s) {
  return (uint64_t)s->module.size + s->heap.size + s->stable.size +
         s->certified.size;
}

void cmw_snapshot_metadata(const cmw_snapshot *s, canmem_snapshot_metadata *m) {
  uint32_t struct_size = m->struct_size;
  memset(m, 0, sizeof *m);
  m->struct_size = struct_size;
  m->source = s->source;
  m->taken_at_ns = s->taken_at_ns;
  m->canister_version = s->canister_version;
  m->wasm_module_size = s->module.size;
  m->wasm_memory_size = s->heap.size;
  m->stable_memory_size = s->stable.size;
  m->globals = s->globals;
  m->globals_count = s->nglobals;
  m->certified_data = s->certified.data;
  m->certified_data_size = s->certified.size;
  m->global_timer_active = s->timer_state;
  m->global_timer_ns = s->timer_ns;
  m->hook_status = s->hook_status;
}
