/* canmem canister model: the canister log (fetch_canister_logs).
 *
 * Every replicated execution collects the lines it passes to
 * ic0.debug_print, and the trap message when it traps, in a pending list;
 * when it ends they join the canister's log (EDGE-LOGS-ON-TRAP: a trapped
 * execution's records too, as the prose and the replica say, unless the
 * profile asks for the Formal model's reading). The log keeps the newest
 * records whose contents fit max_log_bytes; each record has an index that
 * is never reused and the execution's time. */
#ifndef CANMEM_LOG_H
#define CANMEM_LOG_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
  uint64_t idx;
  uint64_t time; /* ns */
  uint8_t *content;
  uint64_t size;
} cm_log_record;

typedef struct {
  cm_log_record *records; /* oldest first */
  uint64_t count, cap;
  uint64_t bytes;    /* sum of the contents' sizes */
  uint64_t next_idx; /* survives purges: indexes are never reused */
} cm_log;

void cm_log_free(cm_log *log);
/* Drop every record (reinstall, uninstall); indexes go on. */
void cm_log_clear(cm_log *log);
/* Append a copy of content at time, then drop the oldest records while the
 * log is over max_bytes. false when out of memory (nothing changed). A
 * pending list is a cm_log too: it is appended with max_bytes = 0 (no
 * limit) and its records get their indexes when moved. */
bool cm_log_append(cm_log *log, const uint8_t *content, uint64_t size,
                   uint64_t time, uint64_t max_bytes);
/* Make room for n records in all, without changing the contents (so that a
 * later cm_log_move of that many cannot fail). false when out of memory. */
bool cm_log_reserve(cm_log *log, uint64_t n);
/* Move pending's records into log in order, trimming to max_bytes;
 * pending ends empty. false when out of memory: then nothing changed. */
bool cm_log_move(cm_log *log, cm_log *pending, uint64_t max_bytes);

#endif
