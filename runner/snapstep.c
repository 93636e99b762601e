/* canmem conformance runner: the snapshot and canister-log steps of a
 * vector (docs/vector-format.md, "Snapshots" and "Canister logs").
 *
 * Snapshots are named in the vector ($name); the step that takes or
 * uploads one binds the name to the adapter's id for the rest of the run.
 * A name never bound, or bound to a deleted snapshot, gives an id the
 * adapter does not know. Reads turn what the adapter returns into a reply
 * payload in the encodings of docs/vector-format.md, so the usual
 * (expect (reply ...)) checks them. */
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* An id no adapter hands out: a name never bound. */
#define UNBOUND_ID UINT64_MAX
/* Largest snapshot data read, like the probes' limit. */
#define MAX_READ_BYTES (16u << 20)

typedef enum {
  FIELD_SOURCE = 1,
  FIELD_TAKEN_AT,
  FIELD_CANISTER_VERSION,
  FIELD_WASM_MODULE_SIZE,
  FIELD_WASM_MEMORY_SIZE,
  FIELD_STABLE_MEMORY_SIZE,
  FIELD_CERTIFIED_DATA,
  FIELD_GLOBAL_TIMER,
  FIELD_HOOK_STATUS,
  FIELD_GLOBALS,
  FIELD_GLOBAL,
  FIELD_MODULE_IS, /* (i32 1) when the module is $m, byte for byte */
} field;

static const char *const field_names[] = {
    NULL,           "source",          "taken_at",
    "canister_version", "wasm_module_size", "wasm_memory_size",
    "stable_memory_size", "certified_data", "global_timer",
    "hook_status",  "globals",         "global",
    "module_is",
};

typedef struct {
  uint32_t type; /* CANMEM_GLOBAL_* */
  const cmr_sx *bits;
  const cmr_sx *bits_hi; /* v128: the high 64 bits */
} global_value;

struct cmr_snap_step {
  size_t name;         /* index into v->snapshot_names */
  bool has_replace;
  size_t replace;
  bool uninstall;
  field field;
  const cmr_sx *index; /* global N, log record N */
  uint32_t data_kind;  /* CANMEM_SNAPSHOT_DATA_* */
  const cmr_sx *offset, *size;
  cmr_value *values; /* upload data */
  size_t value_count;
  bool whole_module; /* upload-snapshot-data $s module $m */
  size_t module;
  /* upload metadata */
  bool module_size_of; /* (wasm_module_size $m) */
  const cmr_sx *module_size, *heap_size, *stable_size;
  global_value *globals;
  size_t global_count;
  const cmr_sx *certified; /* a string node, or NULL = "" */
  uint32_t timer_state;    /* CANMEM_SNAPSHOT_TIMER_* */
  const cmr_sx *timer_ns;
  uint32_t hook_status; /* CANMEM_HOOK_*, 0 = absent */
  /* canister-logs */
  int log_what; /* 0 count, 1 content, 2 idx, 3 timestamp */
};

static bool fail(cmr_error *err, const cmr_sx *at, const char *fmt,
                 const char *arg) {
  return cmr_fail(err, at->line, at->column, fmt, arg ? arg : "");
}

static bool add_name(cmr_vector *v, const char *name, size_t *index) {
  for (size_t i = 0; i < v->snapshot_name_count; i++)
    if (strcmp(v->snapshot_names[i], name) == 0) {
      *index = i;
      return true;
    }
  char **grown = realloc(v->snapshot_names,
                         (v->snapshot_name_count + 1) * sizeof *grown);
  if (!grown)
    return false;
  v->snapshot_names = grown;
  size_t len = strlen(name);
  char *copy = malloc(len + 1);
  if (!copy)
    return false;
  memcpy(copy, name, len + 1);
  *index = v->snapshot_name_count;
  v->snapshot_names[v->snapshot_name_count++] = copy;
  return true;
}

/* items[i] is a $name: its index in *index. */
static bool parse_name(cmr_vector *v, const cmr_sx *form, size_t i,
                       size_t *index, cmr_error *err) {
  const char *name = form->count > i ? cmr_sx_atom(&form->items[i]) : NULL;
  if (!name || name[0] != '$')
    return fail(err, form->count > i ? &form->items[i] : form,
                "expected a snapshot's name, e.g. $s%s", NULL);
  if (!add_name(v, name, index))
    return cmr_fail(err, form->line, form->column, "out of memory");
  return true;
}

static bool parse_kind(const cmr_sx *node, uint32_t *kind) {
  const char *k = cmr_sx_atom(node);
  if (k && strcmp(k, "module") == 0)
    *kind = CANMEM_SNAPSHOT_DATA_MODULE;
  else if (k && strcmp(k, "heap") == 0)
    *kind = CANMEM_SNAPSHOT_DATA_HEAP;
  else if (k && strcmp(k, "stable") == 0)
    *kind = CANMEM_SNAPSHOT_DATA_STABLE;
  else
    return false;
  return true;
}

static bool find_module(const cmr_vector *v, const char *name, size_t *i) {
  for (*i = 0; *i < v->module_count; (*i)++)
    if (strcmp(v->modules[*i].name, name) == 0)
      return true;
  return false;
}

static bool expr_at(const cmr_sx *form, size_t i, const cmr_sx **out,
                    cmr_error *err) {
  if (form->count <= i)
    return fail(err, form, "expected a number or expression%s", NULL);
  *out = &form->items[i];
  return cmr_expr_check(*out, err);
}

static bool parse_take(cmr_vector *v, const cmr_sx *form, cmr_snap_step *s,
                       cmr_error *err) {
  for (size_t i = 2; i < form->count; i++) {
    const cmr_sx *opt = &form->items[i];
    if (cmr_sx_is_form(opt, "replace") && opt->count == 2 && !s->has_replace) {
      if (!parse_name(v, opt, 1, &s->replace, err))
        return false;
      s->has_replace = true;
    } else if (cmr_sx_is_form(opt, "uninstall") && opt->count == 1 &&
               !s->uninstall) {
      s->uninstall = true;
      if (!cmr_vector_require(v, "snapshot-uninstall"))
        return cmr_fail(err, opt->line, opt->column, "out of memory");
    } else {
      return fail(err, opt, "expected (replace $name) or (uninstall), once "
                            "each%s", NULL);
    }
  }
  return true;
}

static bool parse_metadata_read(const cmr_vector *v, const cmr_sx *form,
                                cmr_snap_step *s, cmr_error *err) {
  const char *f = form->count > 2 ? cmr_sx_atom(&form->items[2]) : NULL;
  size_t n = sizeof field_names / sizeof field_names[0];
  for (size_t i = 1; f && i < n; i++)
    if (strcmp(f, field_names[i]) == 0)
      s->field = (field)i;
  if (!s->field)
    return fail(err, form->count > 2 ? &form->items[2] : form,
                "expected a metadata field: source, taken_at, "
                "canister_version, wasm_module_size, wasm_memory_size, "
                "stable_memory_size, certified_data, global_timer, "
                "hook_status, globals, global N or module_is $module%s",
                NULL);
  size_t want = s->field == FIELD_GLOBAL || s->field == FIELD_MODULE_IS ? 4 : 3;
  if (form->count != want)
    return fail(err, form, "(snapshot-metadata $s %s) has the wrong number "
                           "of operands",
                f);
  if (s->field == FIELD_MODULE_IS) {
    const char *m = cmr_sx_atom(&form->items[3]);
    if (!m || !find_module(v, m, &s->module))
      return fail(err, &form->items[3], "expected a module's name%s", NULL);
    return true;
  }
  return s->field != FIELD_GLOBAL || expr_at(form, 3, &s->index, err);
}

static bool parse_data(cmr_vector *v, const cmr_sx *form, cmr_snap_step *s,
                       bool upload, cmr_error *err) {
  if (form->count < 3 || !parse_kind(&form->items[2], &s->data_kind))
    return fail(err, form->count > 2 ? &form->items[2] : form,
                "expected the kind of data: module, heap or stable%s", NULL);
  if (!upload) {
    if (form->count != 5)
      return fail(err, form, "expected (snapshot-data $s KIND OFFSET SIZE)%s",
                  NULL);
    return expr_at(form, 3, &s->offset, err) &&
           expr_at(form, 4, &s->size, err);
  }
  const char *m = form->count == 4 ? cmr_sx_atom(&form->items[3]) : NULL;
  if (m && m[0] == '$') {
    if (s->data_kind != CANMEM_SNAPSHOT_DATA_MODULE ||
        !find_module(v, m, &s->module))
      return fail(err, &form->items[3],
                  "no module named %s (whole modules go to `module` data)", m);
    s->whole_module = true;
    return true;
  }
  if (form->count < 5 || !expr_at(form, 3, &s->offset, err))
    return fail(err, form, "expected (upload-snapshot-data $s KIND OFFSET "
                           "VALUE...) or (upload-snapshot-data $s module $m)%s",
                NULL);
  s->value_count = form->count - 4;
  s->values = calloc(s->value_count, sizeof *s->values);
  if (!s->values)
    return cmr_fail(err, form->line, form->column, "out of memory");
  for (size_t i = 0; i < s->value_count; i++)
    if (!cmr_value_parse(&form->items[4 + i], 0, &s->values[i], err))
      return false;
  return true;
}

static bool parse_global(const cmr_sx *node, global_value *g, cmr_error *err) {
  static const char *const types[] = {NULL, "i32", "i64", "f32", "f64",
                                      "v128"};
  const char *t = node->kind == CMR_SX_LIST && node->count >= 2
                      ? cmr_sx_atom(&node->items[0])
                      : NULL;
  for (uint32_t k = 1; t && k < 6; k++)
    if (strcmp(t, types[k]) == 0)
      g->type = k; /* CANMEM_GLOBAL_I32.. V128 */
  if (!g->type ||
      node->count != (g->type == CANMEM_GLOBAL_V128 ? 3u : 2u))
    return fail(err, node, "expected a global: (i32 N), (i64 N), (f32 BITS), "
                           "(f64 BITS) or (v128 LOW HIGH)%s",
                NULL);
  g->bits = &node->items[1];
  g->bits_hi = g->type == CANMEM_GLOBAL_V128 ? &node->items[2] : NULL;
  return cmr_expr_check(g->bits, err) &&
         (!g->bits_hi || cmr_expr_check(g->bits_hi, err));
}

static bool parse_upload_metadata(cmr_vector *v, const cmr_sx *form,
                                  cmr_snap_step *s, cmr_error *err) {
  s->timer_state = CANMEM_SNAPSHOT_TIMER_ABSENT;
  for (size_t i = 2; i < form->count; i++) {
    const cmr_sx *f = &form->items[i];
    const char *head = f->kind == CMR_SX_LIST && f->count
                           ? cmr_sx_atom(&f->items[0])
                           : NULL;
    const char *arg = f->count == 2 ? cmr_sx_atom(&f->items[1]) : NULL;
    bool ok = head != NULL;
    if (!head) {
    } else if (strcmp(head, "wasm_module_size") == 0 && arg && arg[0] == '$') {
      s->module_size_of = find_module(v, arg, &s->module);
      ok = s->module_size_of;
    } else if (strcmp(head, "wasm_module_size") == 0) {
      ok = f->count == 2 && expr_at(f, 1, &s->module_size, err);
    } else if (strcmp(head, "wasm_memory_size") == 0) {
      ok = f->count == 2 && expr_at(f, 1, &s->heap_size, err);
    } else if (strcmp(head, "stable_memory_size") == 0) {
      ok = f->count == 2 && expr_at(f, 1, &s->stable_size, err);
    } else if (strcmp(head, "certified_data") == 0) {
      ok = f->count == 2 && f->items[1].kind == CMR_SX_STRING;
      s->certified = ok ? &f->items[1] : NULL;
    } else if (strcmp(head, "global_timer") == 0) {
      if (arg && strcmp(arg, "inactive") == 0)
        s->timer_state = CANMEM_SNAPSHOT_TIMER_INACTIVE;
      else if (f->count == 2 && cmr_sx_is_form(&f->items[1], "active") &&
               f->items[1].count == 2) {
        s->timer_state = CANMEM_SNAPSHOT_TIMER_ACTIVE;
        ok = expr_at(&f->items[1], 1, &s->timer_ns, err);
      } else {
        ok = false;
      }
    } else if (strcmp(head, "hook_status") == 0) {
      static const char *const names[] = {NULL, "condition-not-satisfied",
                                          "ready", "executed"};
      ok = false;
      for (uint32_t k = 1; arg && k < 4; k++)
        if (strcmp(arg, names[k]) == 0)
          s->hook_status = k, ok = true;
    } else if (strcmp(head, "globals") == 0) {
      s->global_count = f->count - 1;
      s->globals = calloc(s->global_count + 1, sizeof *s->globals);
      if (!s->globals)
        return cmr_fail(err, f->line, f->column, "out of memory");
      for (size_t k = 0; k < s->global_count; k++)
        if (!parse_global(&f->items[k + 1], &s->globals[k], err))
          return false;
    } else if (strcmp(head, "replace") == 0 && f->count == 2) {
      ok = parse_name(v, f, 1, &s->replace, err);
      s->has_replace = ok;
    } else {
      ok = false;
    }
    if (!ok)
      return err->message[0] && err->line
                 ? false
                 : fail(err, f,
                        "expected (wasm_module_size N|$module), "
                        "(wasm_memory_size N), (stable_memory_size N), "
                        "(globals (i32 N)...), (certified_data \"...\"), "
                        "(global_timer inactive|(active N)), (hook_status "
                        "condition-not-satisfied|ready|executed) or "
                        "(replace $s)%s",
                        NULL);
  }
  if (!s->module_size && !s->module_size_of)
    return fail(err, form, "upload-snapshot-metadata needs "
                           "(wasm_module_size N|$module)%s",
                NULL);
  return true;
}

static bool parse_logs(const cmr_sx *form, cmr_snap_step *s,
                       cmr_error *err) {
  static const char *const what[] = {"count", "content", "idx", "timestamp"};
  const char *w = form->count > 1 ? cmr_sx_atom(&form->items[1]) : NULL;
  s->log_what = -1;
  for (int k = 0; w && k < 4; k++)
    if (strcmp(w, what[k]) == 0)
      s->log_what = k;
  if (s->log_what < 0 || form->count != (s->log_what ? 3u : 2u))
    return fail(err, form, "expected (canister-logs count) or (canister-logs "
                           "content|idx|timestamp N)%s",
                NULL);
  return s->log_what == 0 || expr_at(form, 2, &s->index, err);
}

bool cmr_snap_parse(cmr_vector *v, const cmr_sx *form, cmr_step *step,
                    cmr_error *err) {
  cmr_snap_step *s = calloc(1, sizeof *s);
  if (!s)
    return cmr_fail(err, form->line, form->column, "out of memory");
  step->snap = s;
  const char *need = "snapshots";
  bool ok;
  switch (step->kind) {
  case CMR_STEP_TAKE_SNAPSHOT:
    ok = parse_name(v, form, 1, &s->name, err) &&
         parse_take(v, form, s, err);
    break;
  case CMR_STEP_LOAD_SNAPSHOT:
  case CMR_STEP_DELETE_SNAPSHOT:
    ok = parse_name(v, form, 1, &s->name, err);
    if (ok && form->count != 2)
      ok = fail(err, &form->items[2], "expected only the snapshot's name%s",
                NULL);
    break;
  case CMR_STEP_LIST_SNAPSHOTS:
    ok = form->count == 1 ||
         fail(err, &form->items[1], "(list-snapshots) takes nothing%s", NULL);
    break;
  case CMR_STEP_SNAPSHOT_METADATA:
    need = "snapshot-data";
    ok = parse_name(v, form, 1, &s->name, err) &&
         parse_metadata_read(v, form, s, err);
    break;
  case CMR_STEP_SNAPSHOT_DATA:
  case CMR_STEP_UPLOAD_SNAPSHOT_DATA:
    need = "snapshot-data";
    ok = parse_name(v, form, 1, &s->name, err) &&
         parse_data(v, form, s, step->kind == CMR_STEP_UPLOAD_SNAPSHOT_DATA,
                    err);
    break;
  case CMR_STEP_UPLOAD_SNAPSHOT_METADATA:
    need = "snapshot-data";
    ok = parse_name(v, form, 1, &s->name, err) &&
         parse_upload_metadata(v, form, s, err);
    break;
  default: /* CMR_STEP_CANISTER_LOGS */
    need = "logs";
    ok = parse_logs(form, s, err);
    break;
  }
  if (ok && !cmr_vector_require(v, need))
    return cmr_fail(err, form->line, form->column, "out of memory");
  return ok;
}

void cmr_snap_free(cmr_snap_step *s) {
  if (!s)
    return;
  free(s->values);
  free(s->globals);
  free(s);
}

/* ---- Running ---- */

static uint8_t *put(uint8_t *p, uint64_t x, unsigned width) {
  for (unsigned i = 0; i < width; i++)
    *p++ = (uint8_t)(x >> (8 * i));
  return p;
}

/* The payload for a metadata field, into *owned. */
static bool metadata_payload(const cmr_snap_step *s,
                             const canmem_snapshot_metadata *m,
                             const canmem_profile *profile, uint8_t **owned,
                             uint64_t *size, char *why, size_t why_size,
                             cmr_error *err) {
  uint8_t *buf = malloc(32 + (size_t)m->certified_data_size);
  if (!buf)
    return cmr_fail(err, 0, 0, "out of memory");
  *owned = buf;
  uint8_t *p = buf;
  uint64_t index = 0;
  switch (s->field) {
  case FIELD_SOURCE: p = put(p, m->source, 4); break;
  case FIELD_HOOK_STATUS: p = put(p, m->hook_status, 4); break;
  case FIELD_TAKEN_AT: p = put(p, m->taken_at_ns, 8); break;
  case FIELD_CANISTER_VERSION: p = put(p, m->canister_version, 8); break;
  case FIELD_WASM_MODULE_SIZE: p = put(p, m->wasm_module_size, 8); break;
  case FIELD_WASM_MEMORY_SIZE: p = put(p, m->wasm_memory_size, 8); break;
  case FIELD_STABLE_MEMORY_SIZE: p = put(p, m->stable_memory_size, 8); break;
  case FIELD_GLOBALS: p = put(p, m->globals_count, 8); break;
  case FIELD_GLOBAL_TIMER:
    p = put(p, m->global_timer_active, 4);
    p = put(p, m->global_timer_ns, 8);
    break;
  case FIELD_CERTIFIED_DATA:
    if (m->certified_data_size)
      memcpy(p, m->certified_data, (size_t)m->certified_data_size);
    p += m->certified_data_size;
    break;
  case FIELD_MODULE_IS: break; /* cmr_snap_run compares */
  case FIELD_GLOBAL:
    if (!cmr_expr_eval(s->index, profile, &index, err))
      return false;
    if (index >= m->globals_count) {
      snprintf(why, why_size, "the snapshot has %llu globals, no global %llu",
               (unsigned long long)m->globals_count,
               (unsigned long long)index);
      break;
    }
    p = put(p, m->globals[index].type, 4);
    p = put(p, m->globals[index].bits, 8);
    if (m->globals[index].type == CANMEM_GLOBAL_V128)
      p = put(p, m->globals[index].bits_hi, 8);
    break;
  }
  *size = (uint64_t)(p - buf);
  return true;
}

static bool upload_metadata(const cmr_snap_step *s,
                            const cmr_run_options *opt, const size_t *wasm_size,
                            canmem_snapshot_metadata *m, canmem_global **globals,
                            cmr_error *err) {
  const canmem_profile *profile = opt->profile;
  memset(m, 0, sizeof *m);
  m->struct_size = sizeof *m;
  m->source = CANMEM_SNAPSHOT_SOURCE_UPLOADED;
  if (s->module_size_of)
    m->wasm_module_size = wasm_size[s->module];
  else if (!cmr_expr_eval(s->module_size, profile, &m->wasm_module_size, err))
    return false;
  if ((s->heap_size &&
       !cmr_expr_eval(s->heap_size, profile, &m->wasm_memory_size, err)) ||
      (s->stable_size &&
       !cmr_expr_eval(s->stable_size, profile, &m->stable_memory_size, err)) ||
      (s->timer_ns &&
       !cmr_expr_eval(s->timer_ns, profile, &m->global_timer_ns, err)))
    return false;
  m->global_timer_active = s->timer_state;
  m->hook_status = s->hook_status;
  if (s->certified) {
    m->certified_data = (const uint8_t *)s->certified->text;
    m->certified_data_size = s->certified->size;
  }
  *globals = calloc(s->global_count + 1, sizeof **globals);
  if (!*globals)
    return cmr_fail(err, 0, 0, "out of memory");
  for (size_t i = 0; i < s->global_count; i++) {
    (*globals)[i].type = s->globals[i].type;
    if (!cmr_expr_eval(s->globals[i].bits, profile, &(*globals)[i].bits,
                       err) ||
        (s->globals[i].bits_hi &&
         !cmr_expr_eval(s->globals[i].bits_hi, profile, &(*globals)[i].bits_hi,
                        err)))
      return false;
    if (s->globals[i].type == CANMEM_GLOBAL_I32 ||
        s->globals[i].type == CANMEM_GLOBAL_F32)
      (*globals)[i].bits &= 0xffffffffu;
  }
  m->globals = *globals;
  m->globals_count = s->global_count;
  return true;
}

bool cmr_snap_run(const cmr_step *step, const cmr_run_options *opt,
                  canmem_canister *const *canisters, uint64_t *ids,
                  size_t *owners, uint8_t *const *wasm,
                  const size_t *wasm_size, canmem_outcome *out,
                  int32_t *status, uint8_t **owned, cmr_error *err) {
  const canmem_adapter *t = opt->adapter->table;
  const cmr_snap_step *s = step->snap;
  canmem_canister *c = canisters[step->canister];
  uint64_t id = ids[s->name];
  uint64_t replace = s->has_replace ? ids[s->replace] : 0;
  switch (step->kind) {
  case CMR_STEP_TAKE_SNAPSHOT: {
    canmem_snapshot_take req = {sizeof req, 0, replace};
    if (s->uninstall)
      req.flags |= CANMEM_SNAPSHOT_TAKE_UNINSTALL;
    uint64_t taken = 0;
    *status = t->take_snapshot(c, &req, &taken, out);
    if (*status == CANMEM_OK && out->kind == CANMEM_OUTCOME_REPLY) {
      ids[s->name] = taken;
      owners[s->name] = step->canister;
    }
    return true;
  }
  case CMR_STEP_LOAD_SNAPSHOT: {
    /* a snapshot of another canister of the vector: that one is the source
     * (0.50.0); NULL says this canister's own */
    size_t from = owners[s->name];
    *status = t->load_snapshot(
        c, id != UNBOUND_ID && from != step->canister ? canisters[from] : NULL,
        id, out);
    return true;
  }
  case CMR_STEP_DELETE_SNAPSHOT:
    *status = t->delete_snapshot(c, id, out);
    return true;
  case CMR_STEP_LIST_SNAPSHOTS: {
    uint64_t count = 0;
    canmem_snapshot_info info[16];
    for (size_t i = 0; i < 16; i++)
      info[i].struct_size = sizeof info[i];
    *status = t->list_snapshots(c, info, 16, &count);
    if (!(*owned = malloc(8)))
      return cmr_fail(err, step->line, step->column, "out of memory");
    put(*owned, count, 8);
    out->kind = CANMEM_OUTCOME_REPLY;
    out->payload = *owned;
    out->payload_size = 8;
    return true;
  }
  case CMR_STEP_SNAPSHOT_METADATA: {
    canmem_snapshot_metadata m;
    memset(&m, 0, sizeof m);
    m.struct_size = sizeof m;
    *status = t->read_snapshot_metadata(c, id, &m, out);
    if (*status != CANMEM_OK || out->kind != CANMEM_OUTCOME_REPLY)
      return true;
    char why[200] = "";
    uint64_t size = 0;
    if (!metadata_payload(s, &m, opt->profile, owned, &size, why, sizeof why,
                          err))
      return false;
    if (why[0]) {
      *status = CANMEM_ERR_ARGUMENT;
      snprintf(out->message, sizeof out->message, "%s", why);
    }
    if (s->field == FIELD_MODULE_IS) {
      size_t n = wasm_size[s->module];
      uint8_t *bytes = malloc(n ? n : 1);
      if (!bytes)
        return cmr_fail(err, step->line, step->column, "out of memory");
      bool same = m.wasm_module_size == n;
      if (same) {
        canmem_outcome read;
        memset(&read, 0, sizeof read);
        read.struct_size = sizeof read;
        *status = t->read_snapshot_data(c, id, CANMEM_SNAPSHOT_DATA_MODULE, 0,
                                        bytes, n, &read);
        same = *status == CANMEM_OK && read.kind == CANMEM_OUTCOME_REPLY &&
               (n == 0 || memcmp(bytes, wasm[s->module], n) == 0);
      }
      free(bytes);
      put(*owned, same, 4);
      size = 4;
    }
    out->payload = *owned;
    out->payload_size = size;
    return true;
  }
  case CMR_STEP_SNAPSHOT_DATA: {
    uint64_t offset, size;
    if (!cmr_expr_eval(s->offset, opt->profile, &offset, err) ||
        !cmr_expr_eval(s->size, opt->profile, &size, err))
      return false;
    if (size > MAX_READ_BYTES)
      return cmr_fail(err, step->line, step->column,
                      "a snapshot read takes at most %u bytes",
                      MAX_READ_BYTES);
    if (!(*owned = malloc(size ? (size_t)size : 1)))
      return cmr_fail(err, step->line, step->column, "out of memory");
    *status = t->read_snapshot_data(c, id, s->data_kind, offset, *owned, size,
                                    out);
    if (*status == CANMEM_OK && out->kind == CANMEM_OUTCOME_REPLY) {
      out->payload = *owned;
      out->payload_size = size;
    }
    return true;
  }
  case CMR_STEP_UPLOAD_SNAPSHOT_METADATA: {
    canmem_snapshot_metadata m;
    canmem_global *globals = NULL;
    if (!upload_metadata(s, opt, wasm_size, &m, &globals, err)) {
      free(globals);
      return false;
    }
    uint64_t created = 0;
    *status = t->upload_snapshot_metadata(c, &m, replace, &created, out);
    free(globals);
    if (*status == CANMEM_OK && out->kind == CANMEM_OUTCOME_REPLY) {
      ids[s->name] = created;
      owners[s->name] = step->canister;
    }
    return true;
  }
  case CMR_STEP_UPLOAD_SNAPSHOT_DATA: {
    uint64_t offset = 0;
    uint8_t *bytes = NULL;
    size_t size = 0;
    if (s->whole_module) {
      *status = t->upload_snapshot_data(c, id, s->data_kind, 0,
                                        wasm[s->module], wasm_size[s->module],
                                        out);
      return true;
    }
    if (!cmr_expr_eval(s->offset, opt->profile, &offset, err) ||
        !cmr_values_encode(s->values, s->value_count, opt->profile, &bytes,
                           &size, err))
      return false;
    *status =
        t->upload_snapshot_data(c, id, s->data_kind, offset, bytes, size, out);
    free(bytes);
    return true;
  }
  default: /* CMR_STEP_CANISTER_LOGS */
    break;
  }
  uint64_t count = 0, index = 0;
  *status = t->canister_logs(c, NULL, 0, &count);
  if (s->log_what && !cmr_expr_eval(s->index, opt->profile, &index, err))
    return false;
  canmem_log_record *records = calloc(count + 1, sizeof *records);
  if (!records)
    return cmr_fail(err, step->line, step->column, "out of memory");
  for (uint64_t i = 0; i < count; i++)
    records[i].struct_size = sizeof *records;
  if (*status == CANMEM_OK)
    *status = t->canister_logs(c, records, count, &count);
  out->kind = CANMEM_OUTCOME_REPLY;
  if (*status == CANMEM_OK && s->log_what && index >= count) {
    *status = CANMEM_ERR_ARGUMENT;
    snprintf(out->message, sizeof out->message,
             "the log has %llu records, no record %llu",
             (unsigned long long)count, (unsigned long long)index);
  }
  uint64_t size = 8;
  if (*status == CANMEM_OK && s->log_what == 1)
    size = records[index].content_size;
  *owned = malloc(size ? (size_t)size : 1);
  if (!*owned) {
    free(records);
    return cmr_fail(err, step->line, step->column, "out of memory");
  }
  if (*status != CANMEM_OK)
    size = 0;
  else if (s->log_what == 0)
    put(*owned, count, 8);
  else if (s->log_what == 1 && size)
    memcpy(*owned, records[index].content, (size_t)size);
  else if (s->log_what == 2)
    put(*owned, records[index].idx, 8);
  else if (s->log_what == 3)
    put(*owned, records[index].timestamp_ns, 8);
  free(records);
  out->payload = *owned;
  out->payload_size = size;
  return true;
}

/* A name's canister: the first step that takes or uploads it. */
bool cmr_snap_require_other(cmr_vector *v) {
  for (size_t i = 0; i < v->step_count; i++) {
    const cmr_step *load = &v->steps[i];
    if (load->kind != CMR_STEP_LOAD_SNAPSHOT)
      continue;
    for (size_t k = 0; k < i; k++) {
      const cmr_step *bind = &v->steps[k];
      if ((bind->kind == CMR_STEP_TAKE_SNAPSHOT ||
           bind->kind == CMR_STEP_UPLOAD_SNAPSHOT_METADATA) &&
          bind->snap->name == load->snap->name) {
        if (bind->canister != load->canister)
          return cmr_vector_require(v, "snapshot-load-other");
        break;
      }
    }
  }
  return true;
}
