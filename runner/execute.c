/* canmem runner: loading an adapter and running one vector against it.
 *
 * The modules are compiled in the parent; the steps run in a forked child
 * that reports each step's outcome over a pipe, so a runtime that crashes,
 * hangs or corrupts its memory fails that vector only. The child compares
 * each outcome with its expectation and stops at the first mismatch (the
 * canister's state is off the script from there on). */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adapter.h"
#include "runner.h"

/* Largest probe read, so a typo cannot ask for terabytes. */
#define MAX_PROBE_BYTES (16u << 20)
/* status of a step whose values could not be evaluated (a vector error) */
#define STATUS_VECTOR_ERROR (-1000)
/* Starts the error text of a step that failed under --alloc-faults: a
 * failure of the runtime, not of the vector. */
#define FAULT_NOTE "alloc-fault: "
/* Starts the error text of an outgoing-calls step whose list differs: a
 * failure, the expected list follows. */
#define CALLS_NOTE "calls-differ: "

const char *cmr_verdict_name(cmr_verdict verdict) {
  switch (verdict) {
  case CMR_PASS: return "pass";
  case CMR_FAIL: return "fail";
  case CMR_SKIP: return "skip";
  case CMR_XFAIL: return "xfail";
  case CMR_XPASS: return "xpass";
  case CMR_ERROR: return "error";
  }
  return "unknown";
}

/* ---- Adapters ---- */

bool cmr_adapter_open(cmr_adapter *a, const char *spec, cmr_error *err) {
  memset(a, 0, sizeof *a);
  snprintf(a->source, sizeof a->source, "%s", spec);
  const canmem_adapter *table;
  if (strcmp(spec, "ref") == 0) {
    table = cm_ref_adapter();
  } else {
    char path[1100];
    /* a bare name would make dlopen search the library path */
    snprintf(path, sizeof path, "%s%s", strchr(spec, '/') ? "" : "./", spec);
    a->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!a->handle)
      return cmr_fail(err, 0, 0, "cannot load adapter %s: %s", spec, dlerror());
    void *symbol = dlsym(a->handle, CANMEM_ADAPTER_SYMBOL);
    if (!symbol) {
      cmr_fail(err, 0, 0, "adapter %s does not export %s", spec,
               CANMEM_ADAPTER_SYMBOL);
      cmr_adapter_close(a);
      return false;
    }
    /* ISO C has no object-to-function pointer cast; copy the bits. */
    canmem_adapter_entry entry;
    memcpy(&entry, &symbol, sizeof entry);
    table = entry();
  }
  bool known_version = table &&
                       table->abi_version >= CANMEM_ADAPTER_ABI_MIN_VERSION &&
                       table->abi_version <= CANMEM_ADAPTER_ABI_VERSION;
  if (!table || !known_version ||
      table->struct_size < CANMEM_ADAPTER_V1_SIZE || !table->create ||
      !table->destroy || !table->install_code || !table->call ||
      !table->update_settings) {
    cmr_fail(err, 0, 0, "adapter %s: %s", spec,
             !table ? "returned no table"
             : !known_version
                 ? "speaks an ABI version this runner does not know"
                 : "its table is incomplete (struct_size or a required "
                   "function missing)");
    cmr_adapter_close(a);
    return false;
  }
  a->table = table;
  snprintf(a->name, sizeof a->name, "%s", table->name ? table->name : "?");
  snprintf(a->version, sizeof a->version, "%s",
           table->version ? table->version : "?");
  a->capabilities = table->capabilities & ~CMR_CAP_PROBES;
  if (table->stable_size && table->heap_size && table->read_stable &&
      table->read_heap)
    a->capabilities |= CMR_CAP_PROBES;
  /* A version-2 capability counts only with its operations in the table. */
  if (!CANMEM_ADAPTER_HAS(table, take_snapshot) ||
      !CANMEM_ADAPTER_HAS(table, load_snapshot) ||
      !CANMEM_ADAPTER_HAS(table, list_snapshots) ||
      !CANMEM_ADAPTER_HAS(table, delete_snapshot) ||
      !CANMEM_ADAPTER_HAS(table, read_snapshot_metadata) ||
      !CANMEM_ADAPTER_HAS(table, read_snapshot_data) ||
      !CANMEM_ADAPTER_HAS(table, upload_snapshot_metadata) ||
      !CANMEM_ADAPTER_HAS(table, upload_snapshot_data))
    a->capabilities &= ~(uint64_t)CANMEM_CAP_SNAPSHOTS;
  if (!CANMEM_ADAPTER_HAS(table, canister_logs))
    a->capabilities &= ~(uint64_t)CANMEM_CAP_LOGS;
  /* A version-1 table ends before the calls operations: whatever its bits
   * say, it lacks them, and vectors that need calls skip. */
  if (!CANMEM_ADAPTER_HAS(table, outgoing_calls) ||
      !CANMEM_ADAPTER_HAS(table, respond))
    a->capabilities &= ~(uint64_t)CANMEM_CAP_CALLS;
  return true;
}

void cmr_adapter_close(cmr_adapter *a) {
  if (a->handle)
    dlclose(a->handle);
  a->handle = NULL;
  a->table = NULL;
}

static bool contains_name(char *const *list, size_t count, const char *name) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(list[i], name) == 0)
      return true;
  return false;
}

/* A requirement named in (history ...) needs the runtime's capability but
 * not the profile's feature: the vector checks what happens without it. */
bool cmr_requirements_met(const cmr_vector *v, const cmr_adapter *adapter,
                          const canmem_profile *profile, char *why,
                          size_t size) {
  size_t len = 0;
  if (size)
    why[0] = '\0';
  for (size_t i = 0; i < v->require_count; i++) {
    const cmr_requirement *r = cmr_requirement_find(v->requires[i]);
    if (!r)
      continue;
    const char *missing = NULL;
    if (r->capability && !(adapter->capabilities & r->capability))
      missing = "the runtime lacks";
    else if (r->feature && !(profile->features & r->feature) &&
             !contains_name(v->history, v->history_count, r->name))
      missing = "the profile lacks";
    else if (r->profile_ok && !r->profile_ok(profile))
      missing = "the profile's limits are unset or too large for";
    if (!missing || len >= size)
      continue;
    int n = snprintf(why + len, size - len, "%s%s %s", len ? "; " : "", missing,
                     r->name);
    if (n > 0)
      len += (size_t)n;
  }
  /* (minimum|maximum (KEY EXPR)): both were checked when the vector was
   * parsed. 0 is "no limit" for the limits that have one (access limits,
   * instructions, module bounds): it meets any minimum and no maximum */
  for (size_t i = 0; i < v->minimum_count + v->maximum_count; i++) {
    bool least = i < v->minimum_count;
    const cmr_sx *pair =
        least ? v->minimums[i] : v->maximums[i - v->minimum_count];
    uint64_t have, bound;
    cmr_error err;
    if (!cmr_expr_eval(&pair->items[0], profile, &have, &err) ||
        !cmr_expr_eval(&pair->items[1], profile, &bound, &err) ||
        (least ? have == 0 || have >= bound : have != 0 && have <= bound) ||
        len >= size)
      continue;
    int n = snprintf(why + len, size - len,
                     least ? "%sthe profile's %s is %llu, below the vector's "
                             "minimum %llu"
                           : "%sthe profile's %s is %llu, above the vector's "
                             "maximum %llu",
                     len ? "; " : "", pair->items[0].text,
                     (unsigned long long)have, (unsigned long long)bound);
    if (n > 0)
      len += (size_t)n;
  }
  return len == 0;
}

/* ---- The child's side: run the steps, stream outcomes ---- */

typedef struct {
  int fd;       /* >= 0: a pipe */
  uint8_t *buf; /* fd < 0: collected in memory */
  size_t len, cap;
} sink;

static void emit(sink *s, const void *data, size_t size) {
  const uint8_t *p = data;
  if (size == 0)
    return;
  if (s->fd >= 0) {
    while (size) {
      ssize_t n = write(s->fd, p, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return;
      p += n;
      size -= (size_t)n;
    }
    return;
  }
  if (s->len + size > s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + size)
      cap *= 2;
    uint8_t *grown = realloc(s->buf, cap);
    if (!grown)
      return;
    s->buf = grown;
    s->cap = cap;
  }
  memcpy(s->buf + s->len, p, size);
  s->len += size;
}

static void emit_u32(sink *s, uint32_t x) { emit(s, &x, sizeof x); }
static void emit_u64(sink *s, uint64_t x) { emit(s, &x, sizeof x); }
static void emit_text(sink *s, const char *t) {
  size_t n = t ? strnlen(t, 65536) : 0;
  emit_u32(s, (uint32_t)n);
  emit(s, t, n);
}

static void emit_step(sink *s, size_t step, const cmr_outcome *o, bool matched,
                      int alternative, const char *error) {
  emit(s, "S", 1);
  emit_u32(s, (uint32_t)step);
  emit_u32(s, (uint32_t)o->status);
  emit_u32(s, o->kind);
  emit_u32(s, o->reject_code);
  emit_u32(s, o->category);
  emit_u32(s, matched);
  emit_u32(s, (uint32_t)(alternative + 1)); /* 0: none */
  emit_u64(s, o->payload_size);
  emit(s, o->payload, o->payload_size);
  emit_text(s, o->message);
  emit_text(s, error);
}

static void take_outcome(cmr_outcome *o, int32_t status,
                         const canmem_outcome *out) {
  memset(o, 0, sizeof *o);
  o->status = status;
  o->kind = out->kind;
  o->reject_code = out->reject_code;
  o->category = out->category;
  o->payload = (uint8_t *)out->payload; /* not owned: sent right away */
  o->payload_size = (size_t)out->payload_size;
  memcpy(o->message, out->message, sizeof o->message);
  o->message[sizeof o->message - 1] = '\0';
  if (status == CANMEM_OK && o->payload_size && !o->payload) {
    o->status = CANMEM_ERR_INTERNAL;
    o->payload_size = 0;
    snprintf(o->message, sizeof o->message,
             "the adapter reported %llu payload bytes at NULL",
             (unsigned long long)out->payload_size);
  }
}

static uint32_t call_kind_of(cmr_step_kind kind) {
  switch (kind) {
  case CMR_STEP_UPDATE: return CANMEM_CALL_UPDATE;
  case CMR_STEP_QUERY: return CANMEM_CALL_QUERY;
  case CMR_STEP_REPLICATED_QUERY: return CANMEM_CALL_REPLICATED_QUERY;
  case CMR_STEP_INSPECT: return CANMEM_CALL_INSPECT_MESSAGE;
  case CMR_STEP_SYSTEM_TASK: return CANMEM_CALL_SYSTEM_TASK;
  default: return 0;
  }
}

/* Run one step; false with err set when the vector's values are bad.
 * mismatch: what an outgoing-calls step found different, or empty. */
static bool run_step(const cmr_step *step, const cmr_run_options *opt,
                     canmem_canister *const *canisters, uint64_t *snapshot_ids,
                     size_t *snapshot_owners, uint8_t *const *wasm,
                     const size_t *wasm_size, cmr_outcome *o, uint8_t **owned,
                     char *mismatch, size_t mismatch_size, cmr_error *err) {
  const canmem_adapter *t = opt->adapter->table;
  canmem_canister *c = canisters[step->canister];
  canmem_outcome out;
  memset(&out, 0, sizeof out);
  out.struct_size = sizeof out;
  uint8_t *arg = NULL;
  size_t arg_size = 0;
  if (step->arg_count && !cmr_values_encode(step->args, step->arg_count,
                                            opt->profile, &arg, &arg_size, err))
    return false;
  int32_t status = CANMEM_OK;
  mismatch[0] = '\0';
  switch (step->kind) {
  case CMR_STEP_INSTALL:
  case CMR_STEP_REINSTALL:
  case CMR_STEP_UPGRADE:
  case CMR_STEP_UNINSTALL: {
    canmem_install request;
    memset(&request, 0, sizeof request);
    request.struct_size = sizeof request;
    request.mode = step->kind == CMR_STEP_INSTALL     ? CANMEM_MODE_INSTALL
                   : step->kind == CMR_STEP_REINSTALL ? CANMEM_MODE_REINSTALL
                   : step->kind == CMR_STEP_UPGRADE   ? CANMEM_MODE_UPGRADE
                                                      : CANMEM_MODE_UNINSTALL;
    request.skip_pre_upgrade = step->skip_pre_upgrade;
    request.wasm_memory_persistence = step->wasm_memory_persistence;
    uint8_t *zipped = NULL;
    if (step->kind != CMR_STEP_UNINSTALL) {
      request.wasm = wasm[step->module];
      request.wasm_size = wasm_size[step->module];
      size_t zipped_size;
      if (step->gzip) {
        if (!cmr_gzip(request.wasm, (size_t)request.wasm_size, &zipped,
                      &zipped_size)) {
          free(arg);
          return cmr_fail(err, step->line, step->column, "out of memory");
        }
        request.wasm = zipped;
        request.wasm_size = zipped_size;
      }
    }
    request.arg = arg;
    request.arg_size = arg_size;
    status = t->install_code(c, &request, &out);
    free(zipped);
    break;
  }
  case CMR_STEP_UPDATE:
  case CMR_STEP_QUERY:
  case CMR_STEP_REPLICATED_QUERY:
  case CMR_STEP_INSPECT:
  case CMR_STEP_SYSTEM_TASK:
    status =
        t->call(c, call_kind_of(step->kind), step->method, arg, arg_size, &out);
    break;
  case CMR_STEP_SETTINGS: {
    canmem_settings settings;
    memset(&settings, 0, sizeof settings);
    settings.struct_size = sizeof settings;
    settings.fields = step->settings_fields;
    if ((step->wasm_memory_limit &&
         !cmr_expr_eval(step->wasm_memory_limit, opt->profile,
                        &settings.wasm_memory_limit, err)) ||
        (step->wasm_memory_threshold &&
         !cmr_expr_eval(step->wasm_memory_threshold, opt->profile,
                        &settings.wasm_memory_threshold, err))) {
      free(arg);
      return false;
    }
    status = t->update_settings(c, &settings, &out);
    break;
  }
  case CMR_STEP_PROBE: {
    uint64_t value = 0, offset = 0, size = 0;
    if (step->probe == CMR_PROBE_STABLE_SIZE ||
        step->probe == CMR_PROBE_HEAP_SIZE) {
      status = step->probe == CMR_PROBE_STABLE_SIZE ? t->stable_size(c, &value)
                                                    : t->heap_size(c, &value);
      *owned = malloc(8);
      if (!*owned) {
        free(arg);
        return cmr_fail(err, step->line, step->column, "out of memory");
      }
      for (int i = 0; i < 8; i++)
        (*owned)[i] = (uint8_t)(value >> (8 * i));
      size = 8;
    } else {
      if (!cmr_expr_eval(step->probe_offset, opt->profile, &offset, err) ||
          !cmr_expr_eval(step->probe_size, opt->profile, &size, err)) {
        free(arg);
        return false;
      }
      if (size > MAX_PROBE_BYTES) {
        free(arg);
        return cmr_fail(err, step->line, step->column,
                        "a probe reads at most %u bytes", MAX_PROBE_BYTES);
      }
      *owned = malloc(size ? (size_t)size : 1);
      if (!*owned) {
        free(arg);
        return cmr_fail(err, step->line, step->column, "out of memory");
      }
      status = step->probe == CMR_PROBE_STABLE_BYTES
                   ? t->read_stable(c, offset, *owned, size)
                   : t->read_heap(c, offset, *owned, size);
    }
    out.kind = CANMEM_OUTCOME_REPLY;
    out.payload = *owned;
    out.payload_size = size;
    if (status != CANMEM_OK)
      snprintf(out.message, sizeof out.message, "the probe failed");
    break;
  }
  case CMR_STEP_TAKE_SNAPSHOT:
  case CMR_STEP_LOAD_SNAPSHOT:
  case CMR_STEP_DELETE_SNAPSHOT:
  case CMR_STEP_LIST_SNAPSHOTS:
  case CMR_STEP_SNAPSHOT_METADATA:
  case CMR_STEP_SNAPSHOT_DATA:
  case CMR_STEP_UPLOAD_SNAPSHOT_METADATA:
  case CMR_STEP_UPLOAD_SNAPSHOT_DATA:
  case CMR_STEP_CANISTER_LOGS:
    if (!cmr_snap_run(step, opt, canisters, snapshot_ids, snapshot_owners,
                      wasm, wasm_size, &out,
                      &status, owned, err)) {
      free(arg);
      return false;
    }
    break;
  case CMR_STEP_OUTGOING_CALLS:
  case CMR_STEP_RESPOND:
    if (!cmr_run_call_step(step, t, c, opt->profile, arg, arg_size, &status,
                           &out, owned, mismatch, mismatch_size, err)) {
      free(arg);
      return false;
    }
    break;
  }
  free(arg);
  take_outcome(o, status, &out);
  return true;
}

/* One run of v's steps on a new canister, into s. With fail_at = n >= 1 the
 * n-th allocation of the runtime fails: the step it fails in must end out of
 * memory, and then the same step run again must give the expected outcome,
 * as must every later step: a failed allocation leaves nothing behind
 * (system tasks are not run again: a trapping task has effects). A step
 * that gives the expected outcome anyway, or where the runtime answered the
 * failure within the spec, ends the run. Returns false when a step
 * did not match (emitted with the reason); *hit tells whether the
 * allocation failed at all. */
static bool run_once(const cmr_vector *v, const cmr_run_options *opt,
                     uint8_t *const *wasm, const size_t *wasm_size, sink *s,
                     uint64_t fail_at, bool *hit) {
  const canmem_adapter *t = opt->adapter->table;
  const cmr_alloc_faults *faults = fail_at ? opt->alloc_faults : NULL;
  *hit = false;
  if (faults)
    faults->fail_at(fail_at);
  char why[1024] = "";
  /* the vector's canister, then one per (on $name ...) name, all with the
   * same profile */
  size_t count = 1 + v->canister_count;
  canmem_canister **canisters = calloc(count, sizeof *canisters);
  for (size_t k = 0; canisters && k < count; k++) {
    canisters[k] = t->create(opt->profile, why, sizeof why);
    if (faults && !*hit && faults->failed()) { /* in create(): create again */
      *hit = true;
      faults->fail_at(0);
      if (!canisters[k])
        canisters[k] = t->create(opt->profile, why, sizeof why);
    }
    if (!canisters[k]) {
      for (size_t j = 0; j < k; j++)
        t->destroy(canisters[j]);
      free(canisters);
      canisters = NULL;
    }
  }
  if (!canisters) {
    why[sizeof why - 1] = '\0';
    emit(s, "X", 1);
    emit_text(s, why[0] ? why : "create() returned NULL without a reason");
    return false;
  }
  emit(s, "C", 1); /* created: a crash from here on is in a step */
  /* snapshot names bind to the adapter's ids, and to the canister that
   * took or uploaded them, as the steps run */
  uint64_t *snapshot_ids =
      malloc((v->snapshot_name_count + 1) * sizeof *snapshot_ids);
  size_t *snapshot_owners =
      calloc(v->snapshot_name_count + 1, sizeof *snapshot_owners);
  for (size_t i = 0; snapshot_ids && i < v->snapshot_name_count; i++)
    snapshot_ids[i] = UINT64_MAX;
  size_t failed_in = SIZE_MAX; /* the step the allocation failed in */
  bool ok = snapshot_ids != NULL && snapshot_owners != NULL;
  for (size_t i = 0; i < v->step_count && ok; i++) {
    cmr_outcome o;
    cmr_error err;
    memset(&err, 0, sizeof err);
    uint8_t *owned = NULL;
    char text[1200] = "";
    char mismatch[1024];
    bool ran = run_step(&v->steps[i], opt, canisters, snapshot_ids,
                        snapshot_owners, wasm, wasm_size, &o, &owned, mismatch,
                        sizeof mismatch, &err);
    int alternative = -1;
    if (ran && faults && !*hit && faults->failed()) {
      bool answered = faults->answered();
      *hit = true;
      faults->fail_at(0);
      failed_in = i;
      cmr_error ignored;
      bool as_expected = cmr_compare(&v->steps[i].expect, &o, opt->profile,
                                     &alternative, &ignored);
      if (answered || as_expected) {
        /* answered within the spec (a grow's -1), or absorbed by something
         * the step ran first (a due hook that trapped): what follows may
         * differ, so the run ends here */
        free(owned);
        break;
      }
      if (o.status != CANMEM_OK || o.category != CANMEM_CAT_OUT_OF_MEMORY) {
        snprintf(text, sizeof text,
                 FAULT_NOTE "allocation %llu failed in this step, which "
                            "did not end out of memory",
                 (unsigned long long)fail_at);
        emit_step(s, i, &o, false, -1, text);
        free(owned);
        ok = false;
        break;
      }
      free(owned);
      owned = NULL;
      /* A task that traps has lasting effects (EDGE-TIMER-TRAP: the timer
       * is gone), so running it again proves nothing: stop here. */
      if (v->steps[i].kind == CMR_STEP_SYSTEM_TASK)
        break;
      ran = run_step(&v->steps[i], opt, canisters, snapshot_ids,
                     snapshot_owners, wasm, wasm_size, &o, &owned, mismatch,
                     sizeof mismatch, &err);
    }
    if (!ran) {
      memset(&o, 0, sizeof o);
      o.status = STATUS_VECTOR_ERROR;
      snprintf(text, sizeof text, "%s:%u:%u: %s", v->path, err.line,
               err.column, err.message);
      emit_step(s, i, &o, false, -1, text);
      ok = false;
      break;
    }
    ok = cmr_compare(&v->steps[i].expect, &o, opt->profile, &alternative, &err);
    if (ok && mismatch[0]) {
      ok = false;
      snprintf(text, sizeof text, CALLS_NOTE "%s", mismatch);
    }
    if (!ok && err.message[0])
      snprintf(text, sizeof text, "%s:%u:%u: %s", v->path, err.line,
               err.column, err.message);
    if (!ok && !text[0] && failed_in != SIZE_MAX)
      snprintf(text, sizeof text,
               FAULT_NOTE "after allocation %llu failed in step %zu, which "
                          "was then run again",
               (unsigned long long)fail_at, failed_in + 1);
    emit_step(s, i, &o, ok, alternative, text[0] ? text : NULL);
    free(owned);
  }
  free(snapshot_ids);
  free(snapshot_owners);
  for (size_t k = 0; k < count; k++)
    t->destroy(canisters[k]);
  free(canisters);
  return ok;
}

static void run_steps(const cmr_vector *v, const cmr_run_options *opt,
                      uint8_t *const *wasm, const size_t *wasm_size, sink *s) {
  bool hit;
  if (!opt->alloc_faults) {
    run_once(v, opt, wasm, wasm_size, s, 0, &hit);
  } else {
    /* n = 1, 2, ... 256, then 6% further each time (past that, allocations
     * are a loop's, repeating a few sites), until a run fails or allocation
     * n is never reached; the last run is the one reported. */
    for (uint64_t n = 1;; n += n < 256 ? 1 : n / 16) {
      sink run = {.fd = -1};
      bool ok = run_once(v, opt, wasm, wasm_size, &run, n, &hit);
      if (!ok || !hit) {
        emit(s, run.buf, run.len);
        free(run.buf);
        break;
      }
      free(run.buf);
    }
  }
  emit(s, "D", 1);
}

/* ---- The parent's side ---- */

typedef struct {
  cmr_outcome outcome;
  bool matched;
  int alternative;
  char *error;
} step_record;

typedef struct {
  const uint8_t *p;
  size_t left;
  bool bad;
} reader;

static void take(reader *r, void *dst, size_t n) {
  if (r->bad || r->left < n) {
    r->bad = true;
    memset(dst, 0, n);
    return;
  }
  memcpy(dst, r->p, n);
  r->p += n;
  r->left -= n;
}

static uint32_t take_u32(reader *r) {
  uint32_t x;
  take(r, &x, sizeof x);
  return x;
}

static char *take_text(reader *r) {
  uint32_t n = take_u32(r);
  if (r->bad || n > r->left) {
    r->bad = true;
    return NULL;
  }
  char *t = malloc(n + 1);
  if (t) {
    memcpy(t, r->p, n);
    t[n] = '\0';
  }
  r->p += n;
  r->left -= n;
  return t;
}

static char *dup_text(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* "install $c" / "update \"grow\"" and where it is. */
static void describe_step(const cmr_vector *v, size_t index, char *buf,
                          size_t size) {
  const cmr_step *step = &v->steps[index];
  char source[96];
  size_t n = 0;
  bool space = false;
  for (size_t i = step->start; i < step->end && n + 4 < sizeof source; i++) {
    char ch = v->source[i];
    if (ch == '\n' || ch == '\t' || ch == '\r' || ch == ' ') {
      space = true;
      continue;
    }
    if (space && n)
      source[n++] = ' ';
    space = false;
    source[n++] = ch;
  }
  if (n + 4 >= sizeof source) {
    memcpy(source + n, "...", 3);
    n += 3;
  }
  source[n] = '\0';
  snprintf(buf, size, "step %zu %s at %s:%u:%u", index + 1, source, v->path,
           step->line, step->column);
}

static const char *signal_name(int sig) {
  switch (sig) {
  case SIGSEGV: return "SIGSEGV";
  case SIGABRT: return "SIGABRT";
  case SIGBUS: return "SIGBUS";
  case SIGFPE: return "SIGFPE";
  case SIGILL: return "SIGILL";
  case SIGKILL: return "SIGKILL";
  default: return "a signal";
  }
}

/* Whether the child has ended, without reaping it: while it is a zombie
 * its pid stays its process group's id, so killing the group is safe. */
static bool child_ended(pid_t pid) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  return waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}

/* Read everything the child sends until it has ended, within the deadline.
 * The end is the child's exit, not the pipe's end of file: a process the
 * runtime forked may hold the pipe open. */
static bool collect_output(int fd, pid_t pid, double deadline, uint8_t **data,
                           size_t *size) {
  size_t len = 0, cap = 65536;
  uint8_t *buf = malloc(cap);
  bool open = true, timed_out = false;
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  for (;;) {
    bool ended = child_ended(pid); /* before the read: nothing is lost */
    double left = deadline - now_seconds();
    if (left <= 0 && !ended) {
      timed_out = true;
      break;
    }
    /* short slices: the child's exit wakes no poll on the pipe */
    int ms = open ? (left > 0.05 ? 50 : (int)(left * 1000) + 1) : 1;
    if (open && !ended) {
      struct pollfd p = {fd, POLLIN, 0};
      if (poll(&p, 1, ms) < 0 && errno != EINTR)
        open = false;
    } else if (!open && !ended) {
      struct timespec pause = {0, 1000 * 1000};
      nanosleep(&pause, NULL);
      continue;
    }
    /* drain what is there */
    while (open) {
      if (buf && len == cap) {
        uint8_t *grown = realloc(buf, cap * 2);
        if (!grown) {
          free(buf);
          buf = NULL;
        } else {
          buf = grown;
          cap *= 2;
        }
      }
      uint8_t scratch[4096];
      ssize_t n = buf ? read(fd, buf + len, cap - len)
                      : read(fd, scratch, sizeof scratch);
      if (n < 0 && errno == EINTR)
        continue;
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
        open = false;
      if (n <= 0)
        break;
      if (buf)
        len += (size_t)n;
    }
    if (ended)
      break;
  }
  *data = buf;
  *size = buf ? len : 0;
  return !timed_out;
}

/* ---- Process groups ----
 * Each forked child leads its own process group, and everything a runtime
 * starts (the v8 host, helpers, forked workers) stays in it: the whole group
 * is killed when the vector ends, times out, or the runner itself is
 * interrupted, so a run leaves no process behind. */

static volatile sig_atomic_t running_group; /* 0: none */

static void kill_group_and_die(int sig) {
  if (running_group > 0)
    kill(-(pid_t)running_group, SIGKILL);
  signal(sig, SIG_DFL);
  raise(sig);
}

static void watch_interrupts(void) {
  static bool installed;
  if (installed)
    return;
  installed = true;
  const int signals[] = {SIGINT, SIGTERM, SIGHUP};
  for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
    struct sigaction old, action;
    memset(&action, 0, sizeof action);
    action.sa_handler = kill_group_and_die;
    sigemptyset(&action.sa_mask);
    /* a signal the caller ignores stays ignored (nohup) */
    if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(signals[i], &action, NULL);
  }
}

/* How a forked child leaves. Normally with _exit(): the parent's atexit
 * handlers and the destructors of the loaded objects belong to the parent
 * and must not run twice. But a runtime built with coverage writes its
 * counters from exactly those handlers: gcov and llvm's profile runtime
 * register one per instrumented object, and their flush functions
 * (__gcov_dump, __llvm_profile_write_file) are hidden inside each object,
 * out of reach of dlsym. So under --coverage the child leaves through
 * exit(), which runs them (docs/coverage.md says what this costs). */
static void leave_child(bool flush_coverage) {
  if (flush_coverage)
    exit(0);
  _exit(0);
}

static void set_failure(cmr_result *r, cmr_verdict verdict,
                        const char *reason) {
  r->verdict = verdict;
  free(r->reason);
  r->reason = dup_text(reason);
}

void cmr_vector_run(const cmr_vector *v, const cmr_run_options *opt,
                    cmr_result *r, FILE *log) {
  memset(r, 0, sizeof *r);
  double start = now_seconds();
  uint8_t **wasm = calloc(v->module_count + 1, sizeof *wasm);
  size_t *wasm_size = calloc(v->module_count + 1, sizeof *wasm_size);
  if (!wasm || !wasm_size) {
    free(wasm);
    free(wasm_size);
    set_failure(r, CMR_ERROR, "out of memory");
    return;
  }
  for (size_t i = 0; i < v->module_count; i++) {
    cmr_error err;
    memset(&err, 0, sizeof err);
    const cmr_module *m = &v->modules[i];
    if (m->wasm) { /* compiled before (cmr_vector_compile) */
      if (!(wasm[i] = malloc(m->wasm_size ? m->wasm_size : 1))) {
        set_failure(r, CMR_ERROR, "out of memory");
        goto done;
      }
      memcpy(wasm[i], m->wasm, m->wasm_size);
      wasm_size[i] = m->wasm_size;
      continue;
    }
    if (!cmr_module_compile(opt->compiler, v, m, &wasm[i], &wasm_size[i],
                            &err)) {
      char text[1400];
      snprintf(text, sizeof text, "%s:%u:%u: %s", v->path, err.line, err.column,
               err.message);
      set_failure(r, CMR_ERROR, text);
      goto done;
    }
  }

  /* the runtime's time starts here, after the modules are compiled */
  double run_start = now_seconds();
  uint8_t *data = NULL;
  size_t size = 0;
  bool finished_in_time = true;
  int wait_status = 0;
  if (opt->fork_each) {
    int fds[2];
    if (pipe(fds) != 0) {
      set_failure(r, CMR_ERROR, "pipe() failed");
      goto done;
    }
    fflush(NULL);
    watch_interrupts();
#ifdef __linux__
    pid_t runner = getpid();
#endif
    pid_t pid = fork();
    if (pid < 0) {
      close(fds[0]);
      close(fds[1]);
      set_failure(r, CMR_ERROR, "fork() failed");
      goto done;
    }
    if (pid == 0) {
      setpgid(0, 0);
#ifdef __linux__
      /* A runner killed outright (SIGKILL) runs no handler: the vector,
       * in a group of its own, must not run on with no deadline. */
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != runner)
        _exit(127);
#endif
      close(fds[0]);
      /* Helper processes a runtime starts must not hold the pipe open
       * (the runner would wait for them), and whatever the runtime
       * prints must not end up in the TAP stream. */
      fcntl(fds[1], F_SETFD, FD_CLOEXEC);
      dup2(2, 1);
      /* adapters with deadlines of their own derive them from this one
       * (docs/runner.md) */
      char ms[32];
      snprintf(ms, sizeof ms, "%.0f", opt->timeout_seconds * 1000);
      setenv("CANMEM_TIMEOUT_MS", ms, 1);
      sink s = {fds[1], NULL, 0, 0};
      run_steps(v, opt, wasm, wasm_size, &s);
      close(fds[1]);
      leave_child(opt->flush_coverage);
    }
    setpgid(pid, pid); /* both sides: whichever runs first */
    running_group = pid;
    close(fds[1]);
    finished_in_time = collect_output(fds[0], pid, run_start +
                                      opt->timeout_seconds, &data, &size);
    close(fds[0]);
    /* the child has ended or is out of time: its group goes with it */
    kill(-pid, SIGKILL);
    running_group = 0;
    while (waitpid(pid, &wait_status, 0) < 0 && errno == EINTR)
      ;
  } else {
    sink s = {-1, NULL, 0, 0};
    run_steps(v, opt, wasm, wasm_size, &s);
    data = s.buf;
    size = s.len;
  }

  /* Decode what the child said. */
  step_record *records = calloc(v->step_count + 1, sizeof *records);
  size_t record_count = 0;
  char *setup_error = NULL;
  bool done_marker = false, created = false;
  reader rd = {data, size, false};
  while (records && rd.left && !rd.bad && !done_marker) {
    char type;
    take(&rd, &type, 1);
    if (type == 'D') {
      done_marker = true;
    } else if (type == 'C') {
      created = true;
    } else if (type == 'X') {
      free(setup_error);
      setup_error = take_text(&rd);
    } else if (type == 'S' && record_count < v->step_count) {
      step_record *sr = &records[record_count];
      take_u32(&rd); /* step index: records arrive in order */
      sr->outcome.status = (int32_t)take_u32(&rd);
      sr->outcome.kind = take_u32(&rd);
      sr->outcome.reject_code = take_u32(&rd);
      sr->outcome.category = take_u32(&rd);
      sr->matched = take_u32(&rd) != 0;
      sr->alternative = (int)(take_u32(&rd) & 0xffff) - 1;
      uint64_t payload_size;
      take(&rd, &payload_size, sizeof payload_size);
      if (rd.bad || payload_size > rd.left) {
        rd.bad = true;
        break;
      }
      sr->outcome.payload = malloc(payload_size ? (size_t)payload_size : 1);
      if (sr->outcome.payload)
        memcpy(sr->outcome.payload, rd.p, (size_t)payload_size);
      sr->outcome.payload_size = (size_t)payload_size;
      rd.p += payload_size;
      rd.left -= (size_t)payload_size;
      char *message = take_text(&rd);
      snprintf(sr->outcome.message, sizeof sr->outcome.message, "%s",
               message ? message : "");
      free(message);
      sr->error = take_text(&rd);
      if (sr->error && !sr->error[0]) {
        free(sr->error);
        sr->error = NULL;
      }
      if (!rd.bad)
        record_count++;
    } else {
      rd.bad = true;
    }
  }
  free(data);
  r->steps_run = record_count;

  if (log && opt->verbose)
    for (size_t i = 0; i < record_count; i++) {
      char what[200], actual[600];
      describe_step(v, i, what, sizeof what);
      cmr_format_outcome(&records[i].outcome, &v->steps[i].expect, opt->profile,
                         actual, sizeof actual);
      fprintf(log, "# %s: %s\n", what, actual);
    }

  for (size_t i = 0; i < record_count; i++)
    if (records[i].matched && records[i].alternative >= 0) {
      cmr_reading_match *grown =
          realloc(r->readings, (r->reading_count + 1) * sizeof *grown);
      if (grown) {
        r->readings = grown;
        r->readings[r->reading_count].step = i;
        r->readings[r->reading_count].alternative = records[i].alternative;
        r->reading_count++;
      }
    }

  if (setup_error) {
    char text[1400];
    snprintf(text, sizeof text, "the adapter could not create a canister: %s",
             setup_error);
    set_failure(r, CMR_FAIL, text);
  } else if (record_count && !records[record_count - 1].matched) {
    step_record *last = &records[record_count - 1];
    const cmr_step *step = &v->steps[record_count - 1];
    char what[200];
    describe_step(v, record_count - 1, what, sizeof what);
    r->has_step = true;
    r->step = record_count - 1;
    bool fault = last->error &&
                 strncmp(last->error, FAULT_NOTE, strlen(FAULT_NOTE)) == 0;
    bool calls = last->error &&
                 strncmp(last->error, CALLS_NOTE, strlen(CALLS_NOTE)) == 0;
    if (last->outcome.status == STATUS_VECTOR_ERROR ||
        (last->error && !fault && !calls)) {
      char text[1600];
      snprintf(text, sizeof text, "%s: %s", what,
               last->error ? last->error : "cannot evaluate the step");
      set_failure(r, CMR_ERROR, text);
    } else {
      char expected[1000], actual[1000];
      if (calls)
        snprintf(expected, sizeof expected, "%s",
                 last->error + strlen(CALLS_NOTE));
      else
        cmr_format_expectation(&step->expect, opt->profile, expected,
                               sizeof expected);
      size_t listed = last->outcome.payload_size;
      if (calls) /* the payload is the list, as text */
        snprintf(actual, sizeof actual, "calls %.*s",
                 listed ? (int)(listed < 900 ? listed : 900) : 6,
                 listed ? (const char *)last->outcome.payload : "(none)");
      else
        cmr_format_outcome(&last->outcome, &step->expect, opt->profile,
                           actual, sizeof actual);
      r->expected = dup_text(expected);
      r->actual = dup_text(actual);
      r->message = dup_text(last->outcome.message);
      char text[600];
      snprintf(text, sizeof text, "%s: the outcome differs%s%s%s", what,
               fault ? " (" : "", fault ? last->error + strlen(FAULT_NOTE) : "",
               fault ? ")" : "");
      set_failure(r, CMR_FAIL, text);
    }
  } else if (!done_marker || record_count < v->step_count) {
    /* the child died or hung in the step after the last record */
    /* every step answered: it was the canister's teardown; no canister
     * yet: its creation (under --alloc-faults the child's records come
     * at its end, so a crash there leaves no trace of progress) */
    char what[200] = "destroy() after the last step";
    if (record_count < v->step_count && !created && !opt->alloc_faults)
      snprintf(what, sizeof what, "create()");
    else if (record_count < v->step_count)
      describe_step(v, record_count, what, sizeof what);
    r->has_step = record_count < v->step_count;
    r->step = record_count;
    char text[600];
    if (!finished_in_time)
      snprintf(text, sizeof text, "timed out after %.0f s in %s",
               opt->timeout_seconds, what);
    else if (WIFSIGNALED(wait_status))
      snprintf(text, sizeof text, "the runtime crashed (%s, signal %d) in %s",
               signal_name(WTERMSIG(wait_status)), WTERMSIG(wait_status), what);
    else if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) != 0)
      snprintf(text, sizeof text, "the runtime exited with status %d in %s",
               WEXITSTATUS(wait_status), what);
    else
      snprintf(text, sizeof text, "the runtime stopped answering in %s", what);
    set_failure(r, CMR_FAIL, text);
  } else {
    r->verdict = CMR_PASS;
  }

  for (size_t i = 0; i < record_count; i++) {
    free(records[i].outcome.payload);
    free(records[i].error);
  }
  free(records);
  free(setup_error);
done:
  for (size_t i = 0; i < v->module_count; i++)
    free(wasm[i]);
  free(wasm);
  free(wasm_size);
  r->seconds = now_seconds() - start;
}

void cmr_result_free(cmr_result *r) {
  free(r->reason);
  free(r->expected);
  free(r->actual);
  free(r->message);
  free(r->readings);
  memset(r, 0, sizeof *r);
}
