/* canmem canister model: the reference adapter, the ABI table of
 * runner/canmem_adapter.h over the model. The runner links it in directly
 * (cm_ref_adapter); adapter_so.c exports the same table from the loadable
 * module, so the reference is also tested the way other runtimes are.
 * Here, and only here, requests are checked (struct sizes, modes, call
 * kinds, option values; pointers are the caller's duty, docs/adapter-abi.md):
 * the model's functions take well-formed requests. */
#include <stdio.h>
#include <string.h>

#include "adapter.h"
#include "calls.h"
#include "canister.h"
#include "snapshot.h"

/* canmem_canister is the ABI's opaque type; here it is a cm_canister. */
static cm_canister *model(canmem_canister *c) { return (cm_canister *)c; }

static canmem_canister *ref_create(const canmem_profile *profile, char *error,
                                   uint64_t error_size) {
  char why[300];
  cm_canister *c = cm_canister_new(profile, why, sizeof why);
  if (!c && error_size)
    snprintf(error, error_size > 4096 ? 4096 : (size_t)error_size, "%s", why);
  return (canmem_canister *)c;
}

/* A malformed request: an error of the ABI call, the reason in out. */
static int32_t malformed(canmem_outcome *out, const char *why) {
  memset(out, 0, sizeof *out);
  out->struct_size = sizeof *out;
  snprintf(out->message, sizeof out->message, "%s", why);
  return CANMEM_ERR_ARGUMENT;
}

static void ref_destroy(canmem_canister *c) { cm_canister_free(model(c)); }

static int32_t ref_install_code(canmem_canister *c,
                                const canmem_install *req,
                                canmem_outcome *out) {
  if (req->struct_size < sizeof *req || req->mode < CANMEM_MODE_INSTALL ||
      req->mode > CANMEM_MODE_UNINSTALL ||
      req->wasm_memory_persistence > CANMEM_PERSISTENCE_REPLACE)
    return malformed(out, "malformed install request");
  return cm_canister_install(model(c), req, out);
}

static int32_t ref_call(canmem_canister *c, uint32_t call_kind,
                        const char *method, const uint8_t *arg,
                        uint64_t arg_size, canmem_outcome *out) {
  if (call_kind < CANMEM_CALL_UPDATE ||
      call_kind > CANMEM_CALL_INSPECT_MESSAGE)
    return malformed(out, "unknown call kind");
  return cm_canister_call(model(c), call_kind, method, arg, arg_size, out);
}

static int32_t ref_update_settings(canmem_canister *c,
                                   const canmem_settings *settings,
                                   canmem_outcome *out) {
  if (settings->struct_size < sizeof *settings)
    return malformed(out, "malformed settings");
  return cm_canister_update_settings(model(c), settings, out);
}

static int32_t ref_stable_size(canmem_canister *c, uint64_t *pages) {
  *pages = cm_canister_stable_pages(model(c));
  return CANMEM_OK;
}

static int32_t ref_heap_size(canmem_canister *c, uint64_t *pages) {
  *pages = cm_canister_heap_pages(model(c));
  return CANMEM_OK;
}

static int32_t ref_read_stable(canmem_canister *c, uint64_t offset,
                               uint8_t *dst, uint64_t size) {
  return cm_canister_read_stable(model(c), offset, dst, size)
             ? CANMEM_OK
             : CANMEM_ERR_ARGUMENT;
}

static int32_t ref_read_heap(canmem_canister *c, uint64_t offset, uint8_t *dst,
                             uint64_t size) {
  return cm_canister_read_heap(model(c), offset, dst, size)
             ? CANMEM_OK
             : CANMEM_ERR_ARGUMENT;
}

/* ---- Snapshots and logs (version 2) ---- */

static bool known_data_kind(uint32_t kind) {
  return kind >= CANMEM_SNAPSHOT_DATA_MODULE &&
         kind <= CANMEM_SNAPSHOT_DATA_STABLE;
}

static int32_t ref_take_snapshot(canmem_canister *c,
                                 const canmem_snapshot_take *req,
                                 uint64_t *snapshot_id, canmem_outcome *out) {
  if (req->struct_size < sizeof *req ||
      (req->flags & ~(uint32_t)CANMEM_SNAPSHOT_TAKE_UNINSTALL))
    return malformed(out, "malformed take_snapshot request");
  return cm_snapshot_take(model(c), req, snapshot_id, out);
}

static int32_t ref_load_snapshot(canmem_canister *c, canmem_canister *source,
                                 uint64_t snapshot_id, canmem_outcome *out) {
  return cm_snapshot_load(model(c), model(source ? source : c), snapshot_id,
                          out);
}

static int32_t ref_list_snapshots(canmem_canister *c,
                                  canmem_snapshot_info *snapshots,
                                  uint64_t max, uint64_t *count) {
  for (uint64_t i = 0; i < max; i++)
    if (snapshots[i].struct_size < sizeof *snapshots)
      return CANMEM_ERR_ARGUMENT;
  cm_snapshot_list(model(c), snapshots, max, count);
  return CANMEM_OK;
}

static int32_t ref_delete_snapshot(canmem_canister *c, uint64_t snapshot_id,
                                   canmem_outcome *out) {
  return cm_snapshot_delete(model(c), snapshot_id, out);
}

static int32_t ref_read_snapshot_metadata(canmem_canister *c,
                                          uint64_t snapshot_id,
                                          canmem_snapshot_metadata *metadata,
                                          canmem_outcome *out) {
  if (metadata->struct_size < sizeof *metadata)
    return malformed(out, "malformed snapshot metadata struct");
  return cm_snapshot_read_metadata(model(c), snapshot_id, metadata, out);
}

static int32_t ref_read_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                      uint32_t kind, uint64_t offset,
                                      uint8_t *dst, uint64_t size,
                                      canmem_outcome *out) {
  if (!known_data_kind(kind))
    return malformed(out, "unknown snapshot data kind");
  return cm_snapshot_read_data(model(c), snapshot_id, kind, offset, dst, size,
                               out);
}

static int32_t ref_upload_snapshot_metadata(
    canmem_canister *c, const canmem_snapshot_metadata *m,
    uint64_t replace_snapshot, uint64_t *snapshot_id, canmem_outcome *out) {
  if (m->struct_size < sizeof *m ||
      m->global_timer_active > CANMEM_SNAPSHOT_TIMER_ABSENT ||
      m->hook_status > CANMEM_HOOK_EXECUTED)
    return malformed(out, "malformed snapshot metadata");
  for (uint64_t i = 0; i < m->globals_count; i++)
    if (m->globals[i].type < CANMEM_GLOBAL_I32 ||
        m->globals[i].type > CANMEM_GLOBAL_V128)
      return malformed(out, "unknown global type in snapshot metadata");
  return cm_snapshot_upload_metadata(model(c), m, replace_snapshot,
                                     snapshot_id, out);
}

static int32_t ref_upload_snapshot_data(canmem_canister *c,
                                        uint64_t snapshot_id, uint32_t kind,
                                        uint64_t offset, const uint8_t *src,
                                        uint64_t size, canmem_outcome *out) {
  if (!known_data_kind(kind))
    return malformed(out, "unknown snapshot data kind");
  return cm_snapshot_upload_data(model(c), snapshot_id, kind, offset, src,
                                 size, out);
}

static int32_t ref_canister_logs(canmem_canister *c, canmem_log_record *records,
                                 uint64_t max, uint64_t *count) {
  for (uint64_t i = 0; i < max; i++)
    if (records[i].struct_size < sizeof *records)
      return CANMEM_ERR_ARGUMENT;
  cm_canister_logs(model(c), records, max, count);
  return CANMEM_OK;
}

static int32_t ref_outgoing_calls(canmem_canister *c,
                                  canmem_outgoing_call *calls, uint64_t max,
                                  uint64_t *count) {
  for (uint64_t i = 0; i < max; i++)
    if (calls[i].struct_size < sizeof *calls)
      return CANMEM_ERR_ARGUMENT;
  return cm_calls_list(model(c), calls, max, count);
}

static int32_t ref_respond(canmem_canister *c, uint64_t call_id,
                           const canmem_response *response,
                           canmem_outcome *out) {
  if (response->struct_size < sizeof *response ||
      (response->kind != CANMEM_RESPONSE_REPLY &&
       response->kind != CANMEM_RESPONSE_REJECT) ||
      (response->kind == CANMEM_RESPONSE_REJECT &&
       (response->reject_code < CANMEM_REJECT_SYS_FATAL ||
        response->reject_code > CANMEM_REJECT_SYS_UNKNOWN)))
    return malformed(out, "malformed response");
  return cm_calls_respond(model(c), call_id, response, out);
}

static const canmem_adapter reference_adapter = {
    .abi_version = CANMEM_ADAPTER_ABI_VERSION,
    .struct_size = sizeof(canmem_adapter),
    .name = "canmem-ref",
    .version = CM_REF_ADAPTER_VERSION,
    .capabilities =
        CANMEM_CAP_STABLE64 | CANMEM_CAP_WASM64 |
        CANMEM_CAP_WASM_MEMORY_LIMIT | CANMEM_CAP_LOW_MEMORY_HOOK |
        CANMEM_CAP_SKIP_PRE_UPGRADE | CANMEM_CAP_WASM_MEMORY_PERSISTENCE |
        CANMEM_CAP_STABLE_IN_START | CANMEM_CAP_GZIP |
        CANMEM_CAP_REPLICATED_QUERY | CANMEM_CAP_INSPECT_MESSAGE |
        CANMEM_CAP_SYSTEM_TASKS | CANMEM_CAP_PROFILE_LIMITS |
        CANMEM_CAP_INSTRUCTION_LIMIT | CANMEM_CAP_READINGS |
        CANMEM_CAP_SIMD | CANMEM_CAP_TAIL_CALL | CANMEM_CAP_TABLE64 |
        CANMEM_CAP_STABLE_ACCESS_LIMITS | CANMEM_CAP_HEAP_ACCESS_LIMITS |
        CANMEM_CAP_SNAPSHOTS | CANMEM_CAP_LOGS | CANMEM_CAP_CALLS,
    .create = ref_create,
    .destroy = ref_destroy,
    .install_code = ref_install_code,
    .call = ref_call,
    .update_settings = ref_update_settings,
    .stable_size = ref_stable_size,
    .heap_size = ref_heap_size,
    .read_stable = ref_read_stable,
    .read_heap = ref_read_heap,
    .take_snapshot = ref_take_snapshot,
    .load_snapshot = ref_load_snapshot,
    .list_snapshots = ref_list_snapshots,
    .delete_snapshot = ref_delete_snapshot,
    .read_snapshot_metadata = ref_read_snapshot_metadata,
    .read_snapshot_data = ref_read_snapshot_data,
    .upload_snapshot_metadata = ref_upload_snapshot_metadata,
    .upload_snapshot_data = ref_upload_snapshot_data,
    .canister_logs = ref_canister_logs,
    .outgoing_calls = ref_outgoing_calls,
    .respond = ref_respond,
};

const canmem_adapter *cm_ref_adapter(void) { return &reference_adapter; }
