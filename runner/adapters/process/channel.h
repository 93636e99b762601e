/* The adapter side of the process protocol (docs/adapter-process.md),
 * shared by the generic process adapter and the v8 adapter. A
 * canmem_canister here is one child process speaking the protocol. */
#ifndef CM_PROCESS_CHANNEL_H
#define CM_PROCESS_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "canmem_adapter.h"

/* The protocol version this side speaks (hello, create). */
#define CM_PROC_PROTOCOL 1

/* The decoded response head and message of one exchange. */
typedef struct {
  uint32_t status, kind, code, category;
  uint64_t value;
  char message[512];
} proc_response;

/* Each request's deadline in ms: $own_variable (may be NULL), else the
 * runner's $CANMEM_TIMEOUT_MS, else 60000. */
long cm_proc_timeout(const char *own_variable);

/* Starts argv (execvp) with a socket pair as its standard input and
 * output and a pipe as its standard error; label names it in messages.
 * NULL with the reason in error on failure. */
canmem_canister *cm_proc_spawn(const char *label, char *const argv[],
                               long timeout_ms, char *error,
                               size_t error_size);
/* Kills the child at once and frees everything. */
void cm_proc_release(canmem_canister *c);

/* One request (JSON and up to two body pieces) and its response; the
 * payload stays in the canister until the next exchange. */
int32_t cm_proc_exchange(canmem_canister *c, const char *json,
                         const uint8_t *body1, uint64_t size1,
                         const uint8_t *body2, uint64_t size2,
                         proc_response *r);
const uint8_t *cm_proc_payload(const canmem_canister *c, uint64_t *size);

/* The ABI's operations over the protocol. cm_proc_create sends the
 * create request to a spawned child (CANMEM_OK, or the reason in error);
 * cm_proc_destroy closes its input, waits a moment, then kills it. */
int32_t cm_proc_create(canmem_canister *c, const canmem_profile *profile,
                       char *error, size_t error_size);
void cm_proc_destroy(canmem_canister *c);
int32_t cm_proc_install_code(canmem_canister *c, const canmem_install *request,
                             canmem_outcome *out);
int32_t cm_proc_call(canmem_canister *c, uint32_t call_kind,
                     const char *method, const uint8_t *arg,
                     uint64_t arg_size, canmem_outcome *out);
int32_t cm_proc_update_settings(canmem_canister *c,
                                const canmem_settings *settings,
                                canmem_outcome *out);
int32_t cm_proc_stable_size(canmem_canister *c, uint64_t *pages);
int32_t cm_proc_heap_size(canmem_canister *c, uint64_t *pages);
int32_t cm_proc_read_stable(canmem_canister *c, uint64_t offset, uint8_t *dst,
                            uint64_t size);
int32_t cm_proc_read_heap(canmem_canister *c, uint64_t offset, uint8_t *dst,
                          uint64_t size);

/* Version 2 (docs/adapter-process.md, "Calls, snapshots and logs"): for a
 * runtime whose hello announces CANMEM_CAP_CALLS, _SNAPSHOTS or _LOGS. */
int32_t cm_proc_outgoing_calls(canmem_canister *c, canmem_outgoing_call *calls,
                               uint64_t max, uint64_t *count);
int32_t cm_proc_respond(canmem_canister *c, uint64_t call_id,
                        const canmem_response *response, canmem_outcome *out);
int32_t cm_proc_take_snapshot(canmem_canister *c,
                              const canmem_snapshot_take *request,
                              uint64_t *snapshot_id, canmem_outcome *out);
int32_t cm_proc_load_snapshot(canmem_canister *c, canmem_canister *source,
                              uint64_t snapshot_id, canmem_outcome *out);
int32_t cm_proc_list_snapshots(canmem_canister *c,
                               canmem_snapshot_info *snapshots, uint64_t max,
                               uint64_t *count);
int32_t cm_proc_delete_snapshot(canmem_canister *c, uint64_t snapshot_id,
                                canmem_outcome *out);
int32_t cm_proc_read_snapshot_metadata(canmem_canister *c,
                                       uint64_t snapshot_id,
                                       canmem_snapshot_metadata *metadata,
                                       canmem_outcome *out);
int32_t cm_proc_read_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                   uint32_t data_kind, uint64_t offset,
                                   uint8_t *dst, uint64_t size,
                                   canmem_outcome *out);
int32_t cm_proc_upload_snapshot_metadata(
    canmem_canister *c, const canmem_snapshot_metadata *metadata,
    uint64_t replace_snapshot, uint64_t *snapshot_id, canmem_outcome *out);
int32_t cm_proc_upload_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                     uint32_t data_kind, uint64_t offset,
                                     const uint8_t *src, uint64_t size,
                                     canmem_outcome *out);
int32_t cm_proc_canister_logs(canmem_canister *c, canmem_log_record *records,
                              uint64_t max, uint64_t *count);

/* Fills a version-2 table's operations for the capabilities in caps. */
void cm_proc_fill_v2(canmem_adapter *table, uint64_t caps);

#endif
