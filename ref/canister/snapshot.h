/* canmem canister model: canister snapshots (SNAP-*), the management
 * canister's take/load/list/delete_canister_snapshot and, since 0.47.0,
 * read_canister_snapshot_metadata/_data and upload_canister_snapshot_
 * metadata/_data. The operations mirror the adapter ABI's (canmem_adapter.h):
 * each returns CANMEM_OK with out REPLY, or REJECT (CANISTER_ERROR) with a
 * CANMEM_CAT_SNAPSHOT_* or other category saying why the management
 * canister refused. docs/memory-model.md, "Snapshots", gives the choices. */
#ifndef CANMEM_SNAPSHOT_H
#define CANMEM_SNAPSHOT_H

#include "canister.h"

int32_t cm_snapshot_take(cm_canister *c, const canmem_snapshot_take *request,
                         uint64_t *snapshot_id, canmem_outcome *out);
/* source: the canister the snapshot belongs to (c itself, or another
 * canister of the same process: load from another canister, 0.50.0). */
int32_t cm_snapshot_load(cm_canister *c, cm_canister *source,
                         uint64_t snapshot_id, canmem_outcome *out);
/* Fills at most max entries, sets *count to the number of snapshots. */
void cm_snapshot_list(const cm_canister *c, canmem_snapshot_info *snapshots,
                      uint64_t max, uint64_t *count);
int32_t cm_snapshot_delete(cm_canister *c, uint64_t snapshot_id,
                           canmem_outcome *out);
/* metadata's pointers stay valid until the snapshot changes or goes. */
int32_t cm_snapshot_read_metadata(cm_canister *c, uint64_t snapshot_id,
                                  canmem_snapshot_metadata *metadata,
                                  canmem_outcome *out);
int32_t cm_snapshot_read_data(cm_canister *c, uint64_t snapshot_id,
                              uint32_t data_kind, uint64_t offset,
                              uint8_t *dst, uint64_t size,
                              canmem_outcome *out);
int32_t cm_snapshot_upload_metadata(cm_canister *c,
                                    const canmem_snapshot_metadata *metadata,
                                    uint64_t replace_snapshot,
                                    uint64_t *snapshot_id,
                                    canmem_outcome *out);
int32_t cm_snapshot_upload_data(cm_canister *c, uint64_t snapshot_id,
                                uint32_t data_kind, uint64_t offset,
                                const uint8_t *src, uint64_t size,
                                canmem_outcome *out);

/* The canister log, oldest first (fetch_canister_logs): fills at most max
 * records, sets *count. Contents stay valid until the next operation. */
void cm_canister_logs(const cm_canister *c, canmem_log_record *records,
                      uint64_t max, uint64_t *count);

#endif
