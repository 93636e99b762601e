/* The canister log of the wasm2c adapter (fetch_canister_logs): records of
 * ic0.debug_print and of traps, each with an index never reused and the
 * time of its execution. An execution collects its records in a pending
 * log of its own; adapter.c moves them to the canister's when the
 * execution ends (EDGE-LOGS-ON-TRAP: a trapped one's too, with its trap
 * message, unless the profile reads the Formal model). The canister's log
 * keeps the newest records whose contents fit the profile's max_log_bytes. */
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"

/* Forgets the first n records. */
static void forget(cmw_log *l, uint64_t n) {
  if (n == 0)
    return; /* records may be NULL: memmove must not see it */
  for (uint64_t i = 0; i < n; i++) {
    l->bytes -= l->records[i].size;
    free(l->records[i].content);
  }
  l->count -= n;
  memmove(l->records, l->records + n, (size_t)l->count * sizeof *l->records);
}

void cmw_log_drop_before(cmw_log *l, uint64_t idx) {
  uint64_t n = 0;
  while (n < l->count && l->records[n].idx < idx)
    n++;
  forget(l, n);
}

void cmw_log_clear(cmw_log *l) { forget(l, l->count); }

void cmw_log_free(cmw_log *l) {
  cmw_log_clear(l);
  free(l->records);
  l->records = NULL;
  l->cap = 0;
}

/* Takes content (malloc'ed, or NULL when size is 0). 0, or -1 when out of
 * host memory (content is then freed). */
static int push(cmw_log *l, uint8_t *content, uint64_t size, uint64_t time) {
  if (l->count == l->cap) {
    uint64_t cap = l->cap ? 2 * l->cap : 16;
    cmw_log_record *grown = realloc(l->records, (size_t)cap * sizeof *grown);
    if (!grown) {
      free(content);
      return -1;
    }
    l->records = grown;
    l->cap = cap;
  }
  l->records[l->count++] = (cmw_log_record){l->next_idx++, time, content, size};
  l->bytes += size;
  return 0;
}

int cmw_log_append(cmw_log *l, const uint8_t *content, uint64_t size,
                   uint64_t time) {
  uint8_t *copy = NULL;
  if (size) {
    if (!(copy = malloc((size_t)size)))
      return -1;
    memcpy(copy, content, (size_t)size);
  }
  return push(l, copy, size, time);
}

void cmw_log_keep(cmw_log *l, cmw_log *pending, uint64_t max_bytes) {
  for (uint64_t i = 0; i < pending->count; i++) {
    cmw_log_record *r = &pending->records[i];
    push(l, r->content, r->size, r->time); /* out of memory: lost */
    r->content = NULL;
    r->size = 0;
  }
  pending->bytes = 0;
  cmw_log_clear(pending);
  uint64_t n = 0, bytes = l->bytes;
  while (max_bytes && bytes > max_bytes && n < l->count)
    bytes -= l->records[n++].size;
  forget(l, n);
}
