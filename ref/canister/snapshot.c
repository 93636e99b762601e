/* canmem canister model: canister snapshots, see snapshot.h.
 *
 * A snapshot is a copy, sharing nothing with the canister: the module's
 * bytes as installed, the heap's bytes, stable memory (a sparse clone:
 * only pages with data cost), the globals that are exported or mutable,
 * certified data, the timer, the hook status and the canister version.
 * Taking one changes nothing in the canister (the Formal model keeps its
 * version); loading builds a fresh instance of the snapshot's module
 * without running (start), puts the heap, globals and stable memory in
 * and swaps it in only when every check passed (a refused load leaves the
 * canister as it was). Uploaded metadata fixes the sizes in bytes
 * (EDGE-SNAPSHOT-SIZES); what no canister can have is refused at load. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "snapshot.h"

typedef struct cm_snapshot {
  uint64_t id;
  uint32_t source; /* CANMEM_SNAPSHOT_SOURCE_* */
  uint64_t taken_at, version;
  cm_buffer module;
  uint8_t *heap;
  uint64_t heap_size;
  cm_stable *stable;
  uint64_t stable_size; /* bytes; stable holds whole pages */
  canmem_global *globals;
  uint64_t global_count;
  cm_buffer certified;
  uint32_t timer_state; /* CANMEM_SNAPSHOT_TIMER_* */
  uint64_t timer;
  uint32_t hook_status; /* CANMEM_HOOK_*, 0 = absent */
} cm_snapshot;

static void snapshot_free(cm_snapshot *s) {
  if (!s)
    return;
  cm_buffer_free(&s->module);
  free(s->heap);
  cm_stable_free(s->stable);
  free(s->globals);
  cm_buffer_free(&s->certified);
  free(s);
}

void cm_snapshots_free(cm_canister *c) {
  for (uint64_t i = 0; i < c->snapshot_count; i++)
    snapshot_free(c->snapshots[i]);
  free(c->snapshots);
  c->snapshots = NULL;
  c->snapshot_count = 0;
}

#define REFUSE(c, out, category, ...)                                         \
  cm_canister_outcome(c, out, CANMEM_OUTCOME_REJECT,                          \
                      CANMEM_REJECT_CANISTER_ERROR, category, __VA_ARGS__)
#define REPLY(c, out, ...)                                                    \
  cm_canister_outcome(c, out, CANMEM_OUTCOME_REPLY, CANMEM_REJECT_NONE,       \
                      CANMEM_CAT_NONE, __VA_ARGS__)

static bool has(const cm_canister *c, uint64_t feature) {
  return (c->profile.features & feature) != 0;
}

static int32_t unsupported(cm_canister *c, canmem_outcome *out,
                           const char *what) {
  return REFUSE(c, out, CANMEM_CAT_UNSUPPORTED,
                "profile %s does not have %s", c->profile.name, what);
}

static uint64_t find(const cm_canister *c, uint64_t id) {
  uint64_t i = 0;
  while (i < c->snapshot_count && c->snapshots[i]->id != id)
    i++;
  return i; /* snapshot_count: none */
}

static int32_t not_found(cm_canister *c, canmem_outcome *out, uint64_t id) {
  return REFUSE(c, out, CANMEM_CAT_SNAPSHOT_NOT_FOUND,
                "the canister has no snapshot %llu", (unsigned long long)id);
}

static void remove_at(cm_canister *c, uint64_t i) {
  snapshot_free(c->snapshots[i]);
  c->snapshot_count--;
  memmove(c->snapshots + i, c->snapshots + i + 1,
          (size_t)(c->snapshot_count - i) * sizeof *c->snapshots);
}

/* Room for a new snapshot: replace names an existing one (deleted once
 * the new one exists), or the count must be below max_snapshots. false
 * with out refused when there is none. */
static bool room_for_one(cm_canister *c, uint64_t replace,
                         canmem_outcome *out) {
  if (replace && find(c, replace) == c->snapshot_count) {
    not_found(c, out, replace);
    return false;
  }
  if (!replace && c->snapshot_count >= c->profile.max_snapshots) {
    REFUSE(c, out, CANMEM_CAT_SNAPSHOT_LIMIT,
           "the canister has %llu snapshots, the most it may have",
           (unsigned long long)c->snapshot_count);
    return false;
  }
  return true;
}

/* Add s (which c then owns), deleting replace. false when out of memory
 * (s is freed). */
static bool add(cm_canister *c, cm_snapshot *s, uint64_t replace) {
  cm_snapshot **grown = cm_realloc(
      c->snapshots, (size_t)(c->snapshot_count + 1) * sizeof *grown);
  if (!grown) {
    snapshot_free(s);
    return false;
  }
  c->snapshots = grown;
  if (replace)
    remove_at(c, find(c, replace));
  s->id = ++c->next_snapshot_id;
  c->snapshots[c->snapshot_count++] = s;
  return true;
}

static cm_snapshot *capture(const cm_canister *c) {
  cm_snapshot *s = cm_calloc(1, sizeof *s);
  if (!s)
    return NULL;
  const cm_installed *code = c->code;
  cm_memory *mem = cm_code_memory(code);
  s->source = CANMEM_SNAPSHOT_SOURCE_TAKEN;
  s->taken_at = cm_canister_now(c);
  s->version = c->version;
  s->heap_size = mem ? cm_memory_size(mem) : 0;
  s->stable_size = cm_stable_bytes(c->stable);
  s->global_count = cm_instance_snapshot_globals(code->instance, NULL, 0);
  s->timer_state = c->global_timer ? CANMEM_SNAPSHOT_TIMER_ACTIVE
                                   : CANMEM_SNAPSHOT_TIMER_INACTIVE;
  s->timer = c->global_timer;
  s->hook_status = (uint32_t)c->low_memory + 1; /* cm_low_memory_status */
  s->heap = cm_malloc(s->heap_size ? (size_t)s->heap_size : 1);
  s->globals = cm_calloc((size_t)s->global_count + 1, sizeof *s->globals);
  s->stable = cm_stable_clone(c->stable, cm_stable_pages(c->stable));
  if (!s->heap || !s->globals || !s->stable ||
      !cm_buffer_append(&s->module, code->raw.data, code->raw.size) ||
      !cm_buffer_append(&s->certified, c->certified.data, c->certified.size)) {
    snapshot_free(s);
    return NULL;
  }
  if (s->heap_size)
    memcpy(s->heap, cm_memory_data(mem), (size_t)s->heap_size);
  cm_instance_snapshot_globals(code->instance, s->globals, s->global_count);
  return s;
}

int32_t cm_snapshot_take(cm_canister *c, const canmem_snapshot_take *req,
                         uint64_t *snapshot_id, canmem_outcome *out) {
  cm_canister_begin_operation(c, out);
  *snapshot_id = 0;
  bool uninstall = req->flags & CANMEM_SNAPSHOT_TAKE_UNINSTALL;
  if (!has(c, CANMEM_FEATURE_SNAPSHOTS))
    return unsupported(c, out, "snapshots (0.28.0)");
  if (uninstall && !has(c, CANMEM_FEATURE_SNAPSHOT_UNINSTALL))
    return unsupported(c, out, "take_canister_snapshot's uninstall_code "
                               "(0.54.0)");
  if (!c->code)
    return REFUSE(c, out, CANMEM_CAT_CANISTER_EMPTY,
                  "an empty canister has no state to take a snapshot of");
  if (!room_for_one(c, req->replace_snapshot, out))
    return CANMEM_OK;
  cm_snapshot *s = capture(c);
  if (!s || !add(c, s, req->replace_snapshot))
    return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  *snapshot_id = s->id;
  if (uninstall) /* atomically after taking (0.54.0): as uninstall_code */
    cm_canister_clear(c);
  return REPLY(c, out, "snapshot %llu taken%s", (unsigned long long)s->id,
               uninstall ? ", code uninstalled" : "");
}

/* The size checks of a load (EDGE-SNAPSHOT-SIZES), the hook status check
 * (dfinity/ic#5556) and the state the canister gets: code with heap and
 * globals, stable memory. */
static int32_t build(cm_canister *c, const cm_snapshot *s,
                     cm_installed **code_out, cm_stable **stable_out,
                     canmem_outcome *out) {
  char why[400];
  cm_installed *code = NULL;
  uint32_t category = cm_code_new(c, s->module.data, s->module.size, &code,
                                   why, sizeof why);
  if (category)
    return REFUSE(c, out, category, "the snapshot's module: %s", why);
  cm_memory *mem = cm_code_memory(code);
  uint64_t max_stable = c->profile.max_stable_bytes / CM_WASM_PAGE;
  uint64_t now = mem ? cm_memory_pages(mem) : 0;
  uint64_t pages = s->heap_size / CM_WASM_PAGE;
  const cm_limits *lim = cm_module_memory_limits(code->module, 0);
  bool refused = true;
  if (s->heap_size % CM_WASM_PAGE || s->stable_size % CM_WASM_PAGE)
    REFUSE(c, out, CANMEM_CAT_SNAPSHOT_SIZES,
                    "heap of %llu and stable memory of %llu bytes: not "
                    "whole 64 KiB pages",
                    (unsigned long long)s->heap_size,
                    (unsigned long long)s->stable_size);
  else if ((!mem && pages) || pages < now ||
           s->stable_size / CM_WASM_PAGE > max_stable)
    REFUSE(c, out, CANMEM_CAT_SNAPSHOT_SIZES,
                    "a heap of %llu pages (the module's memory has %llu) or "
                    "stable memory of %llu bytes no canister can have",
                    (unsigned long long)pages, (unsigned long long)now,
                    (unsigned long long)s->stable_size);
  else if ((lim && lim->has_max && pages > lim->max) ||
           (pages > now && cm_memory_grow(mem, pages - now) == UINT64_MAX))
    /* dfinity/ic#10593: the replica's IC0521 */
    REFUSE(c, out, CANMEM_CAT_WASM_ENGINE,
                    "a heap of %llu pages exceeds the module's declared "
                    "maximum",
                    (unsigned long long)pages);
  else if (!cm_instance_load_globals(code->instance, s->globals,
                                     s->global_count, why, sizeof why))
    REFUSE(c, out, CANMEM_CAT_SNAPSHOT_GLOBALS, "%s", why);
  else if (s->source == CANMEM_SNAPSHOT_SOURCE_UPLOADED && s->hook_status &&
           has(c, CANMEM_FEATURE_LOW_MEMORY_HOOK) &&
           cm_low_memory_condition(c, s->heap_size, code->is64) !=
               (s->hook_status != CANMEM_HOOK_CONDITION_NOT_SATISFIED))
    REFUSE(c, out, CANMEM_CAT_SNAPSHOT_HOOK_STATUS,
                    "the uploaded hook status %u contradicts the hook's "
                    "condition for this heap (dfinity/ic#5556)",
                    s->hook_status);
  else
    refused = false;
  if (refused) {
    cm_code_free(code);
    return CANMEM_OK; /* out holds the refusal, *code_out stays NULL */
  }
  if (s->heap_size)
    memcpy(cm_memory_data(mem), s->heap, (size_t)s->heap_size);
  *stable_out = cm_stable_clone(s->stable, max_stable);
  if (!*stable_out) {
    cm_code_free(code);
    return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  }
  *code_out = code;
  return CANMEM_OK;
}

int32_t cm_snapshot_load(cm_canister *c, cm_canister *source,
                         uint64_t snapshot_id, canmem_outcome *out) {
  cm_canister_begin_operation(c, out);
  if (!has(c, CANMEM_FEATURE_SNAPSHOTS))
    return unsupported(c, out, "snapshots (0.28.0)");
  if (source != c && !has(c, CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER))
    return unsupported(c, out, "loading another canister's snapshot "
                               "(0.50.0)");
  uint64_t i = find(source, snapshot_id);
  if (i == source->snapshot_count)
    return not_found(c, out, snapshot_id);
  const cm_snapshot *s = source->snapshots[i];
  cm_installed *code = NULL;
  cm_stable *stable = NULL;
  int32_t result = build(c, s, &code, &stable, out);
  if (result != CANMEM_OK || !code)
    return result;
  cm_buffer certified = {0};
  if (!cm_buffer_append(&certified, s->certified.data, s->certified.size)) {
    cm_code_free(code);
    cm_stable_free(stable);
    return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  }
  cm_canister_adopt(c, code, stable);
  c->version++;
  cm_buffer_free(&c->certified);
  c->certified = certified;
  /* The timer and the hook status come from uploaded metadata that has
   * them; otherwise they stay the canister's (Formal model). */
  bool uploaded = s->source == CANMEM_SNAPSHOT_SOURCE_UPLOADED;
  if (uploaded && s->timer_state != CANMEM_SNAPSHOT_TIMER_ABSENT)
    c->global_timer =
        s->timer_state == CANMEM_SNAPSHOT_TIMER_ACTIVE ? s->timer : 0;
  if (uploaded && s->hook_status)
    c->low_memory = (cm_low_memory_status)(s->hook_status - 1);
  cm_canister_evaluate_low_memory(c);
  return REPLY(c, out, "snapshot %llu loaded",
               (unsigned long long)snapshot_id);
}

static uint64_t total_size(const cm_snapshot *s) {
  return s->module.size + s->heap_size + s->stable_size + s->certified.size;
}

void cm_snapshot_list(const cm_canister *c, canmem_snapshot_info *list,
                      uint64_t max, uint64_t *count) {
  *count = c->snapshot_count;
  for (uint64_t i = 0; i < c->snapshot_count && i < max; i++) {
    list[i].reserved = 0;
    list[i].id = c->snapshots[i]->id;
    list[i].total_size = total_size(c->snapshots[i]);
    list[i].taken_at_ns = c->snapshots[i]->taken_at;
  }
}

int32_t cm_snapshot_delete(cm_canister *c, uint64_t snapshot_id,
                           canmem_outcome *out) {
  cm_canister_begin_operation(c, out);
  if (!has(c, CANMEM_FEATURE_SNAPSHOTS))
    return unsupported(c, out, "snapshots (0.28.0)");
  uint64_t i = find(c, snapshot_id);
  if (i == c->snapshot_count)
    return not_found(c, out, snapshot_id);
  remove_at(c, i);
  return REPLY(c, out, "snapshot %llu deleted",
               (unsigned long long)snapshot_id);
}

/* The snapshot for read and upload (0.47.0), or NULL with out refused. */
static cm_snapshot *data_snapshot(cm_canister *c, uint64_t id,
                                  canmem_outcome *out) {
  cm_canister_begin_operation(c, out);
  if (!has(c, CANMEM_FEATURE_SNAPSHOTS) ||
      !has(c, CANMEM_FEATURE_SNAPSHOT_DATA)) {
    unsupported(c, out, "snapshot download and upload (0.47.0)");
    return NULL;
  }
  uint64_t i = find(c, id);
  if (i == c->snapshot_count) {
    not_found(c, out, id);
    return NULL;
  }
  return c->snapshots[i];
}

int32_t cm_snapshot_read_metadata(cm_canister *c, uint64_t snapshot_id,
                                  canmem_snapshot_metadata *m,
                                  canmem_outcome *out) {
  const cm_snapshot *s = data_snapshot(c, snapshot_id, out);
  if (!s)
    return CANMEM_OK;
  m->struct_size = sizeof *m;
  m->source = s->source;
  m->taken_at_ns = s->taken_at;
  m->canister_version = s->version;
  m->wasm_module_size = s->module.size;
  m->wasm_memory_size = s->heap_size;
  m->stable_memory_size = s->stable_size;
  m->globals = s->globals;
  m->globals_count = s->global_count;
  m->certified_data = s->certified.data;
  m->certified_data_size = s->certified.size;
  m->global_timer_active = s->timer_state;
  m->hook_status = s->hook_status;
  m->global_timer_ns = s->timer;
  return REPLY(c, out, "metadata of snapshot %llu",
               (unsigned long long)snapshot_id);
}

/* The size of one kind of data in s (adapter.c checked the kind). */
static uint64_t data_size(const cm_snapshot *s, uint32_t kind) {
  return kind == CANMEM_SNAPSHOT_DATA_MODULE ? s->module.size
         : kind == CANMEM_SNAPSHOT_DATA_HEAP ? s->heap_size
                                             : s->stable_size;
}

static int32_t out_of_range(cm_canister *c, canmem_outcome *out,
                            uint64_t offset, uint64_t size, uint64_t limit) {
  return REFUSE(c, out, CANMEM_CAT_SNAPSHOT_RANGE,
                "offset %llu + size %llu exceeds the %llu bytes of the "
                "snapshot's metadata",
                (unsigned long long)offset, (unsigned long long)size,
                (unsigned long long)limit);
}

int32_t cm_snapshot_read_data(cm_canister *c, uint64_t snapshot_id,
                              uint32_t kind, uint64_t offset, uint8_t *dst,
                              uint64_t size, canmem_outcome *out) {
  const cm_snapshot *s = data_snapshot(c, snapshot_id, out);
  if (!s)
    return CANMEM_OK;
  uint64_t limit = data_size(s, kind);
  if (!cm_range_ok(offset, size, limit))
    return out_of_range(c, out, offset, size, limit);
  if (size && kind == CANMEM_SNAPSHOT_DATA_MODULE)
    memcpy(dst, s->module.data + offset, (size_t)size);
  else if (size && kind == CANMEM_SNAPSHOT_DATA_HEAP)
    memcpy(dst, s->heap + offset, (size_t)size);
  else if (size)
    cm_stable_read(s->stable, offset, dst, size);
  return REPLY(c, out, "%llu bytes read", (unsigned long long)size);
}

int32_t cm_snapshot_upload_metadata(cm_canister *c,
                                    const canmem_snapshot_metadata *m,
                                    uint64_t replace, uint64_t *snapshot_id,
                                    canmem_outcome *out) {
  cm_canister_begin_operation(c, out);
  *snapshot_id = 0;
  if (!has(c, CANMEM_FEATURE_SNAPSHOTS) ||
      !has(c, CANMEM_FEATURE_SNAPSHOT_DATA))
    return unsupported(c, out, "snapshot download and upload (0.47.0)");
  if (!room_for_one(c, replace, out))
    return CANMEM_OK;
  /* sizes are bytes (SNAP-3); the memories start as zeros */
  uint64_t stable_pages =
      m->stable_memory_size / CM_WASM_PAGE +
      (m->stable_memory_size % CM_WASM_PAGE ? 1 : 0);
  cm_snapshot *s = cm_calloc(1, sizeof *s);
  if (s) {
    s->source = CANMEM_SNAPSHOT_SOURCE_UPLOADED;
    s->taken_at = cm_canister_now(c);
    s->version = c->version;
    s->heap_size = m->wasm_memory_size;
    s->stable_size = m->stable_memory_size;
    s->global_count = m->globals_count;
    s->timer_state = m->global_timer_active;
    s->timer = m->global_timer_ns;
    s->hook_status = m->hook_status;
    s->heap = s->heap_size <= SIZE_MAX ? cm_calloc(1, s->heap_size
                                                          ? (size_t)s->heap_size
                                                          : 1)
                                       : NULL;
    s->globals = m->globals_count < SIZE_MAX / sizeof *s->globals
                     ? cm_calloc((size_t)m->globals_count + 1,
                                 sizeof *s->globals)
                     : NULL;
    s->stable = cm_stable_new(stable_pages);
  }
  if (!s || !s->heap || !s->globals || !s->stable ||
      cm_stable_grow(s->stable, stable_pages) != 0 ||
      !cm_buffer_append(&s->certified, m->certified_data,
                        m->certified_data_size)) {
    snapshot_free(s);
    return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  }
  if (m->globals_count)
    memcpy(s->globals, m->globals, (size_t)m->globals_count * sizeof *s->globals);
  /* the module: zeros of the given size, filled by upload_data */
  uint8_t zero[4096] = {0};
  for (uint64_t left = m->wasm_module_size; left;) {
    uint64_t n = left < sizeof zero ? left : sizeof zero;
    if (!cm_buffer_append(&s->module, zero, n)) {
      snapshot_free(s);
      return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
    }
    left -= n;
  }
  if (!add(c, s, replace))
    return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  *snapshot_id = s->id;
  return REPLY(c, out, "snapshot %llu created from metadata",
               (unsigned long long)s->id);
}

int32_t cm_snapshot_upload_data(cm_canister *c, uint64_t snapshot_id,
                                uint32_t kind, uint64_t offset,
                                const uint8_t *src, uint64_t size,
                                canmem_outcome *out) {
  cm_snapshot *s = data_snapshot(c, snapshot_id, out);
  if (!s)
    return CANMEM_OK;
  if (s->source != CANMEM_SNAPSHOT_SOURCE_UPLOADED)
    return REFUSE(c, out, CANMEM_CAT_SNAPSHOT_NOT_UPLOADED,
                  "snapshot %llu was taken, not uploaded: its data cannot "
                  "change",
                  (unsigned long long)snapshot_id);
  uint64_t limit = data_size(s, kind);
  if (!cm_range_ok(offset, size, limit))
    return out_of_range(c, out, offset, size, limit);
  if (size && kind == CANMEM_SNAPSHOT_DATA_MODULE)
    memcpy(s->module.data + offset, src, (size_t)size);
  else if (size && kind == CANMEM_SNAPSHOT_DATA_HEAP)
    memcpy(s->heap + offset, src, (size_t)size);
  else if (size && !cm_stable_write(s->stable, offset, src, size))
    return REFUSE(c, out, CANMEM_CAT_OUT_OF_MEMORY, "out of host memory");
  return REPLY(c, out, "%llu bytes uploaded", (unsigned long long)size);
}

void cm_canister_logs(const cm_canister *c, canmem_log_record *records,
                      uint64_t max, uint64_t *count) {
  *count = c->log.count;
  for (uint64_t i = 0; i < c->log.count && i < max; i++) {
    const cm_log_record *r = &c->log.records[i];
    records[i].reserved = 0;
    records[i].idx = r->idx;
    records[i].timestamp_ns = r->time;
    records[i].content = r->content;
    records[i].content_size = r->size;
  }
}
