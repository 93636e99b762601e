/* canmem canister model: the canister log, see log.h. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "log.h"

void cm_log_free(cm_log *log) {
  cm_log_clear(log);
  free(log->records);
  log->records = NULL;
  log->cap = 0;
}

/* Drop the n oldest records. */
static void drop_oldest(cm_log *log, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    log->bytes -= log->records[i].size;
    free(log->records[i].content);
  }
  log->count -= n;
  if (log->count)
    memmove(log->records, log->records + n,
            (size_t)log->count * sizeof *log->records);
}

void cm_log_clear(cm_log *log) { drop_oldest(log, log->count); }

static void trim(cm_log *log, uint64_t max_bytes) {
  uint64_t n = 0, bytes = log->bytes;
  while (max_bytes && bytes > max_bytes && n < log->count)
    bytes -= log->records[n++].size;
  drop_oldest(log, n);
}

static bool push(cm_log *log, uint8_t *content, uint64_t size, uint64_t time) {
  if (log->count == log->cap) {
    uint64_t cap = log->cap ? log->cap * 2 : 8;
    cm_log_record *grown =
        cm_realloc(log->records, (size_t)cap * sizeof *grown);
    if (!grown)
      return false;
    log->records = grown;
    log->cap = cap;
  }
  cm_log_record *r = &log->records[log->count++];
  r->idx = log->next_idx++;
  r->time = time;
  r->content = content;
  r->size = size;
  log->bytes += size;
  return true;
}

bool cm_log_append(cm_log *log, const uint8_t *content, uint64_t size,
                   uint64_t time, uint64_t max_bytes) {
  uint8_t *copy = cm_malloc(size ? (size_t)size : 1);
  if (!copy)
    return false;
  if (size)
    memcpy(copy, content, (size_t)size);
  if (!push(log, copy, size, time)) {
    free(copy);
    return false;
  }
  trim(log, max_bytes);
  return true;
}

bool cm_log_reserve(cm_log *log, uint64_t n) {
  if (n <= log->cap)
    return true;
  cm_log_record *grown =
      n > SIZE_MAX / sizeof *grown
          ? NULL
          : cm_realloc(log->records, (size_t)n * sizeof *grown);
  if (!grown)
    return false;
  log->records = grown;
  log->cap = n;
  return true;
}

bool cm_log_move(cm_log *log, cm_log *pending, uint64_t max_bytes) {
  /* room for all first, so that a failure changes nothing */
  if (!cm_log_reserve(log, log->count + pending->count))
    return false;
  for (uint64_t i = 0; i < pending->count; i++) {
    cm_log_record *r = &pending->records[i];
    push(log, r->content, r->size, r->time); /* cannot fail: room made */
    r->content = NULL; /* the log owns it now */
  }
  trim(log, max_bytes);
  cm_log_clear(pending);
  return true;
}
