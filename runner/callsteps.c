/* canmem runner: the steps of inter-canister calls. The vector plays the
 * callee: (outgoing-calls ...) checks the calls the canister has
 * outstanding, (respond N ...) answers the N-th of them, which runs its
 * callback (docs/vector-format.md, "Calls"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* Largest list of outstanding calls a step reads. */
#define MAX_CALLS 4096u

static bool fail_node(cmr_error *err, const cmr_sx *node, const char *what) {
  return cmr_fail(err, node->line, node->column, "%s", what);
}

static const char *head_of(const cmr_sx *node) {
  return node->kind == CMR_SX_LIST && node->count ? cmr_sx_atom(&node->items[0])
                                                  : NULL;
}

/* The values of (arg V...) or (callee V...): each item a typed value, or
 * the shorthand (arg i64 5) for one. *values is the caller's to free. */
static bool parse_values(const cmr_sx *node, cmr_value **values, size_t *n,
                         cmr_error *err) {
  const char *type = node->count > 1 ? cmr_sx_atom(&node->items[1]) : NULL;
  bool shorthand =
      type && (strcmp(type, "i32") == 0 || strcmp(type, "i64") == 0 ||
               strcmp(type, "bytes") == 0 || strcmp(type, "text") == 0);
  *n = shorthand ? 1 : node->count - 1;
  *values = calloc(*n ? *n : 1, sizeof **values);
  if (!*values)
    return cmr_fail(err, node->line, node->column, "out of memory");
  if (shorthand)
    return cmr_value_parse(node, 2, &(*values)[0], err);
  for (size_t i = 0; i < *n; i++)
    if (!cmr_value_parse(&node->items[i + 1], 0, &(*values)[i], err))
      return false;
  return true;
}

/* Encode those values: the bytes in *out (caller frees). */
static bool encode_values(const cmr_sx *node, const canmem_profile *profile,
                          uint8_t **out, size_t *size, cmr_error *err) {
  cmr_value *values;
  size_t n;
  *out = NULL;
  *size = 0;
  bool ok = parse_values(node, &values, &n, err);
  if (ok && n)
    ok = cmr_values_encode(values, n, profile, out, size, err);
  free(values);
  return ok;
}

/* ---- Parsing ---- */

static const char *const call_fields =
    "expected (call (callee VALUE...) (method \"NAME\") [(arg VALUE...)] "
    "[(cycles N)] [(best-effort SECONDS)] [(cleanup)])";

static bool check_call(const cmr_sx *call, cmr_error *err) {
  if (!cmr_sx_is_form(call, "call"))
    return fail_node(err, call, call_fields);
  bool callee = false, method = false;
  for (size_t i = 1; i < call->count; i++) {
    const cmr_sx *f = &call->items[i];
    const char *h = head_of(f);
    if (h && (strcmp(h, "callee") == 0 || strcmp(h, "arg") == 0)) {
      /* values are checked now, evaluated when the step runs */
      cmr_value *values;
      size_t n;
      bool ok = parse_values(f, &values, &n, err);
      free(values);
      if (!ok)
        return false;
      if (strcmp(h, "callee") == 0)
        callee = true;
    } else if (h && strcmp(h, "method") == 0 && f->count == 2 &&
               f->items[1].kind == CMR_SX_STRING) {
      method = true;
    } else if (h &&
               (strcmp(h, "cycles") == 0 || strcmp(h, "best-effort") == 0) &&
               f->count == 2) {
      if (!cmr_expr_check(&f->items[1], err))
        return false;
    } else if (!(h && strcmp(h, "cleanup") == 0 && f->count == 1)) {
      return fail_node(err, f, call_fields);
    }
  }
  if (!callee || !method)
    return fail_node(err, call,
                     "a call needs (callee VALUE...) and "
                     "(method \"NAME\")");
  return true;
}

bool cmr_parse_outgoing_calls(const cmr_sx *form, cmr_step *step,
                              cmr_error *err) {
  for (size_t i = 1; i < form->count; i++)
    if (!check_call(&form->items[i], err))
      return false;
  step->calls = form;
  return true;
}

bool cmr_parse_respond(const cmr_sx *form, cmr_step *step, cmr_error *err) {
  static const char *const usage =
      "expected (respond N (reply VALUE...)), (respond N (reject CODE "
      "\"message\")) or (respond N timeout)";
  if (form->count != 3 || !cmr_expr_check(&form->items[1], err))
    return err->message[0] ? false : fail_node(err, form, usage);
  step->respond_index = &form->items[1];
  const cmr_sx *r = &form->items[2];
  const char *h = head_of(r);
  const char *atom = cmr_sx_atom(r);
  if (atom && strcmp(atom, "timeout") == 0) {
    step->response_kind = CANMEM_RESPONSE_REJECT;
    step->response_code = CANMEM_REJECT_SYS_UNKNOWN;
    step->response_timeout = true;
    return true;
  }
  if (h && strcmp(h, "reply") == 0) {
    step->response_kind = CANMEM_RESPONSE_REPLY;
    size_t n = r->count - 1;
    step->args = calloc(n ? n : 1, sizeof *step->args);
    if (!step->args)
      return fail_node(err, r, "out of memory");
    step->arg_count = n;
    for (size_t i = 0; i < n; i++)
      if (!cmr_value_parse(&r->items[i + 1], 0, &step->args[i], err))
        return false;
    return true;
  }
  const char *code = h && strcmp(h, "reject") == 0 && r->count == 3
                         ? cmr_sx_atom(&r->items[1])
                         : NULL;
  if (!code || r->items[2].kind != CMR_SX_STRING)
    return fail_node(err, r, usage);
  if (!cmr_reject_code_by_name(code, &step->response_code))
    return fail_node(err, &r->items[1],
                     "expected a reject code: sys-fatal, sys-transient, "
                     "destination-invalid, canister-reject, canister-error, "
                     "sys-unknown or 1-6");
  step->response_kind = CANMEM_RESPONSE_REJECT;
  step->reject_text = &r->items[2];
  return true;
}

/* ---- Running ---- */

typedef struct {
  char *buf;
  size_t size, len;
} text;

static void put(text *t, const char *s, size_t n) {
  for (size_t i = 0; i < n && t->len + 1 < t->size; i++)
    t->buf[t->len++] = s[i];
  if (t->size)
    t->buf[t->len] = '\0';
}

static void put_str(text *t, const char *s) { put(t, s, strlen(s)); }

static void put_bytes(text *t, const uint8_t *b, uint64_t n) {
  put_str(t, "\"");
  for (uint64_t i = 0; i < n; i++) {
    char one[8];
    if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '"' && b[i] != '\\')
      snprintf(one, sizeof one, "%c", b[i]);
    else
      snprintf(one, sizeof one, "\\%02x", b[i]);
    put_str(t, one);
  }
  put_str(t, "\"");
}

static void put_u64(text *t, const char *label, uint64_t v) {
  char num[48];
  snprintf(num, sizeof num, " %s %llu", label, (unsigned long long)v);
  put_str(t, num);
}

/* One call in the form both sides are compared in. */
static void put_call(text *t, size_t index, const uint8_t *callee,
                     uint64_t callee_size, const uint8_t *method,
                     uint64_t method_size, const uint8_t *payload,
                     uint64_t payload_size, uint64_t cycles_high,
                     uint64_t cycles_low, bool best_effort, uint64_t timeout,
                     bool cleanup) {
  char head[32];
  snprintf(head, sizeof head, "%s%zu: callee ", index > 1 ? "; " : "", index);
  put_str(t, head);
  put_bytes(t, callee, callee_size);
  put_str(t, " method ");
  put_bytes(t, method, method_size);
  put_str(t, " arg ");
  put_bytes(t, payload, payload_size);
  if (cycles_high)
    put_u64(t, "cycles-high", cycles_high);
  if (cycles_low)
    put_u64(t, "cycles", cycles_low);
  if (best_effort)
    put_u64(t, "best-effort", timeout);
  if (cleanup)
    put_str(t, " cleanup");
}

/* The step's list, rendered like the adapter's. */
static bool render_expected(const cmr_sx *form, const canmem_profile *profile,
                            text *t, cmr_error *err) {
  for (size_t i = 1; i < form->count; i++) {
    const cmr_sx *call = &form->items[i];
    uint8_t *callee = NULL, *payload = NULL;
    size_t callee_size = 0, payload_size = 0;
    const char *method = "";
    uint64_t cycles = 0, timeout = 0;
    bool best_effort = false, cleanup = false, ok = true;
    for (size_t k = 1; k < call->count && ok; k++) {
      const cmr_sx *f = &call->items[k];
      const char *h = head_of(f);
      if (strcmp(h, "callee") == 0)
        ok = encode_values(f, profile, &callee, &callee_size, err);
      else if (strcmp(h, "arg") == 0)
        ok = encode_values(f, profile, &payload, &payload_size, err);
      else if (strcmp(h, "method") == 0)
        method = f->items[1].text;
      else if (strcmp(h, "cycles") == 0)
        ok = cmr_expr_eval(&f->items[1], profile, &cycles, err);
      else if (strcmp(h, "best-effort") == 0)
        ok = best_effort = cmr_expr_eval(&f->items[1], profile, &timeout, err);
      else
        cleanup = true;
    }
    if (ok)
      put_call(t, i, callee, callee_size, (const uint8_t *)method,
               strlen(method), payload, payload_size, 0, cycles, best_effort,
               timeout, cleanup);
    free(callee);
    free(payload);
    if (!ok)
      return false;
  }
  return true;
}

/* The adapter's outstanding calls into *list (caller frees). */
static int32_t list_calls(const canmem_adapter *table, canmem_canister *c,
                          canmem_outgoing_call **list, uint64_t *count) {
  *list = NULL;
  int32_t status = table->outgoing_calls(c, NULL, 0, count);
  if (status != CANMEM_OK)
    return status;
  if (*count > MAX_CALLS)
    return CANMEM_ERR_INTERNAL;
  *list = calloc(*count ? (size_t)*count : 1, sizeof **list);
  if (!*list)
    return CANMEM_ERR_INTERNAL;
  for (uint64_t i = 0; i < *count; i++)
    (*list)[i].struct_size = sizeof **list;
  uint64_t again = 0;
  status = table->outgoing_calls(c, *list, *count, &again);
  if (status == CANMEM_OK && again != *count)
    status = CANMEM_ERR_INTERNAL; /* the list changed between two reads */
  return status;
}

bool cmr_run_call_step(const cmr_step *step, const canmem_adapter *table,
                       canmem_canister *c, const canmem_profile *profile,
                       const uint8_t *arg, size_t arg_size, int32_t *status,
                       canmem_outcome *out, uint8_t **owned, char *mismatch,
                       size_t mismatch_size, cmr_error *err) {
  mismatch[0] = '\0';
  canmem_outgoing_call *calls;
  uint64_t count;
  *status = list_calls(table, c, &calls, &count);
  if (*status != CANMEM_OK) {
    free(calls);
    snprintf(out->message, sizeof out->message,
             "outgoing_calls failed or listed more than %u calls", MAX_CALLS);
    return true;
  }
  bool ok = true;
  if (step->kind == CMR_STEP_OUTGOING_CALLS) {
    size_t size = 256 + (size_t)count * 512;
    for (uint64_t i = 0; i < count; i++)
      size += 4 * (size_t)(calls[i].callee_size + calls[i].method_size +
                           calls[i].payload_size);
    char *have = malloc(size), *want = malloc(size);
    text h = {have, size, 0}, w = {want, size, 0};
    if (!have || !want) {
      free(have);
      free(want);
      free(calls);
      return cmr_fail(err, step->line, step->column, "out of memory");
    }
    have[0] = want[0] = '\0';
    for (uint64_t i = 0; i < count; i++) {
      const canmem_outgoing_call *k = &calls[i];
      put_call(&h, (size_t)i + 1, k->callee, k->callee_size, k->method,
               k->method_size, k->payload, k->payload_size, k->cycles_high,
               k->cycles_low, k->flags & CANMEM_CALL_FLAG_BEST_EFFORT,
               k->timeout_seconds, k->flags & CANMEM_CALL_FLAG_CLEANUP);
    }
    ok = render_expected(step->calls, profile, &w, err);
    if (ok && strcmp(have, want) != 0)
      snprintf(mismatch, mismatch_size, "calls %s", want[0] ? want : "(none)");
    free(want);
    out->kind = CANMEM_OUTCOME_REPLY;
    out->payload = (const uint8_t *)have;
    out->payload_size = strlen(have);
    *owned = (uint8_t *)have;
    snprintf(out->message, sizeof out->message, "%llu outstanding call(s)",
             (unsigned long long)count);
    free(calls);
    return ok;
  }
  uint64_t n;
  if (!cmr_expr_eval(step->respond_index, profile, &n, err)) {
    free(calls);
    return false;
  }
  if (n == 0 || n > count) {
    *status = CANMEM_ERR_ARGUMENT;
    snprintf(out->message, sizeof out->message,
             "respond %llu: %llu call(s) are outstanding",
             (unsigned long long)n, (unsigned long long)count);
  } else if (step->response_timeout &&
             !(calls[n - 1].flags & CANMEM_CALL_FLAG_BEST_EFFORT)) {
    *status = CANMEM_ERR_ARGUMENT;
    snprintf(out->message, sizeof out->message,
             "respond %llu timeout: the call is not best-effort, it cannot "
             "time out",
             (unsigned long long)n);
  } else {
    canmem_response r;
    memset(&r, 0, sizeof r);
    r.struct_size = sizeof r;
    r.kind = step->response_kind;
    if (r.kind == CANMEM_RESPONSE_REPLY) {
      r.payload = arg;
      r.payload_size = arg_size;
    } else {
      r.reject_code = step->response_code;
      r.payload = step->reject_text ? (const uint8_t *)step->reject_text->text
                                    : (const uint8_t *)"timed out";
      r.payload_size =
          step->reject_text ? step->reject_text->size : strlen("timed out");
    }
    *status = table->respond(c, calls[n - 1].id, &r, out);
  }
  free(calls);
  return true;
}
