/* canmem runner: an outcome against an expectation. Compared: the kind,
 * the reject code, the category when the vector names one, and the payload
 * when the vector gives one. The outcome's message is never compared. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

bool cmr_category_by_name(const char *name, uint32_t *category) {
  /* The ABI numbers categories below 128; "none" is category 0. */
  for (uint32_t c = 0; c < 128; c++) {
    const char *known = canmem_category_name(c);
    if (strcmp(known, "unknown") != 0 && strcmp(known, name) == 0) {
      *category = c;
      return true;
    }
  }
  return false;
}

static const char *const reject_names[] = {
    "none",                /* 0 */
    "sys-fatal",           /* 1 */
    "sys-transient",       /* 2 */
    "destination-invalid", /* 3 */
    "canister-reject",     /* 4 */
    "canister-error",      /* 5 */
    "sys-unknown",         /* 6 */
};

bool cmr_reject_code_by_name(const char *name, uint32_t *code) {
  for (uint32_t c = 1; c < 7; c++) {
    char number[4];
    snprintf(number, sizeof number, "%" PRIu32, c);
    if (strcmp(name, reject_names[c]) == 0 || strcmp(name, number) == 0) {
      *code = c;
      return true;
    }
  }
  return false;
}

const char *cmr_reject_code_name(uint32_t code) {
  return code < 7 ? reject_names[code] : "unknown";
}

static uint32_t outcome_kind_of(cmr_expect_kind kind) {
  switch (kind) {
  case CMR_EXPECT_REPLY: return CANMEM_OUTCOME_REPLY;
  case CMR_EXPECT_REJECT: return CANMEM_OUTCOME_REJECT;
  case CMR_EXPECT_NO_REPLY: return CANMEM_OUTCOME_NO_REPLY;
  case CMR_EXPECT_TRAP: return CANMEM_OUTCOME_TRAP;
  case CMR_EXPECT_INSTALL_REJECTED: return CANMEM_OUTCOME_INSTALL_REJECTED;
  case CMR_EXPECT_PENDING: return CANMEM_OUTCOME_PENDING;
  case CMR_EXPECT_RETURNED: return CANMEM_OUTCOME_RETURNED;
  case CMR_EXPECT_ONE_OF: break;
  }
  return 0;
}

static bool payload_matches(const cmr_expectation *e,
                            const cmr_outcome *outcome,
                            const canmem_profile *profile, cmr_error *err) {
  uint8_t *want;
  size_t size;
  if (!cmr_values_encode(e->payload, e->payload_count, profile, &want, &size,
                         err))
    return false;
  bool same = size == outcome->payload_size &&
              (size == 0 || memcmp(want, outcome->payload, size) == 0);
  free(want);
  return same;
}

bool cmr_compare(const cmr_expectation *e, const cmr_outcome *outcome,
                 const canmem_profile *profile, int *alternative,
                 cmr_error *err) {
  err->message[0] = '\0';
  *alternative = -1;
  if (outcome->status != CANMEM_OK)
    return false;
  if (e->kind == CMR_EXPECT_ONE_OF) {
    for (size_t i = 0; i < e->alternative_count; i++) {
      int ignored;
      if (cmr_compare(&e->alternatives[i], outcome, profile, &ignored, err)) {
        *alternative = (int)i;
        return true;
      }
      if (err->message[0])
        return false;
    }
    return false;
  }
  if (outcome->kind != outcome_kind_of(e->kind))
    return false;
  if (e->kind == CMR_EXPECT_REJECT && outcome->reject_code != e->reject_code)
    return false;
  if (e->has_category && outcome->category != e->category)
    return false;
  if (e->has_payload && !payload_matches(e, outcome, profile, err))
    return false;
  return true;
}

/* ---- Text for people ---- */

typedef struct {
  char *buf;
  size_t size, len;
} text;

static void put(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void put(text *t, const char *fmt, ...) {
  if (t->len >= t->size)
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
  va_end(ap);
  if (n > 0)
    t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

static void put_escaped(text *t, const uint8_t *bytes, size_t n, size_t max) {
  put(t, "\"");
  for (size_t i = 0; i < n && i < max; i++) {
    uint8_t b = bytes[i];
    if (b == '"' || b == '\\')
      put(t, "\\%c", b);
    else if (b >= 0x20 && b < 0x7f)
      put(t, "%c", b);
    else
      put(t, "\\%02x", b);
  }
  put(t, "\"");
  if (n > max)
    put(t, "... (%zu bytes)", n);
}

static void put_int(text *t, cmr_value_type type, uint64_t x) {
  if (type == CMR_VALUE_I32) {
    uint32_t v = (uint32_t)x;
    if (v & 0x80000000u)
      put(t, "(i32 %" PRId32 ")", (int32_t)(v - 0x80000000u) - INT32_MAX - 1);
    else
      put(t, "(i32 %" PRIu32 ")", v);
  } else {
    if (x >> 63)
      put(t, "(i64 -%" PRIu64 ")", (uint64_t)0 - x);
    else
      put(t, "(i64 %" PRIu64 ")", x);
  }
}

static void put_values(text *t, const cmr_value *values, size_t count,
                       const canmem_profile *profile) {
  for (size_t i = 0; i < count; i++) {
    const cmr_value *v = &values[i];
    put(t, " ");
    if (v->type == CMR_VALUE_I32 || v->type == CMR_VALUE_I64) {
      uint64_t x;
      cmr_error err;
      if (cmr_expr_eval(v->expr, profile, &x, &err))
        put_int(t, v->type, x);
      else
        put(t, "(%s ?)", v->type == CMR_VALUE_I32 ? "i32" : "i64");
    } else {
      put(t, "(%s ", v->type == CMR_VALUE_BYTES ? "bytes" : "text");
      for (size_t k = v->list_first; k < v->list->count; k++)
        put_escaped(t, (const uint8_t *)v->list->items[k].text,
                    v->list->items[k].size, 64);
      if (v->list_first >= v->list->count)
        put(t, "\"\"");
      put(t, ")");
    }
  }
}

static void put_expectation(text *t, const cmr_expectation *e,
                            const canmem_profile *profile) {
  switch (e->kind) {
  case CMR_EXPECT_REPLY:
    put(t, "reply");
    if (e->has_payload)
      put_values(t, e->payload, e->payload_count, profile);
    else if (!e->implicit)
      put(t, " (any payload)");
    break;
  case CMR_EXPECT_REJECT:
    put(t, "reject %s (%" PRIu32 ")", cmr_reject_code_name(e->reject_code),
        e->reject_code);
    break;
  case CMR_EXPECT_TRAP: put(t, "trap"); break;
  case CMR_EXPECT_INSTALL_REJECTED: put(t, "install-rejected"); break;
  case CMR_EXPECT_NO_REPLY: put(t, "no-reply"); break;
  case CMR_EXPECT_PENDING: put(t, "pending"); break;
  case CMR_EXPECT_RETURNED: put(t, "returned"); break;
  case CMR_EXPECT_ONE_OF:
    put(t, "one of:");
    for (size_t i = 0; i < e->alternative_count; i++) {
      put(t, "%s %s = ", i ? " |" : "", e->alternatives[i].reading);
      put_expectation(t, &e->alternatives[i], profile);
    }
    return;
  }
  if (e->has_category)
    put(t, " %s", canmem_category_name(e->category));
  if (e->kind == CMR_EXPECT_REJECT && e->has_payload)
    put_values(t, e->payload, e->payload_count, profile);
  if (e->implicit)
    put(t, " (the step succeeds)");
}

void cmr_format_expectation(const cmr_expectation *e,
                            const canmem_profile *profile, char *buf,
                            size_t size) {
  text t = {buf, size, 0};
  if (size)
    buf[0] = '\0';
  put_expectation(&t, e, profile);
}

/* The expectation whose typed payload has exactly this many bytes. */
static const cmr_expectation *shape_hint(const cmr_expectation *e, size_t size,
                                         const canmem_profile *profile) {
  if (!e)
    return NULL;
  if (e->kind == CMR_EXPECT_ONE_OF) {
    for (size_t i = 0; i < e->alternative_count; i++) {
      const cmr_expectation *hint =
          shape_hint(&e->alternatives[i], size, profile);
      if (hint)
        return hint;
    }
    return NULL;
  }
  if (!e->has_payload)
    return NULL;
  size_t total = 0;
  for (size_t i = 0; i < e->payload_count; i++) {
    const cmr_value *v = &e->payload[i];
    if (v->type == CMR_VALUE_I32)
      total += 4;
    else if (v->type == CMR_VALUE_I64)
      total += 8;
    else
      return NULL; /* bytes/text: show the outcome as bytes anyway */
  }
  (void)profile;
  return total == size ? e : NULL;
}

static uint64_t load_le(const uint8_t *p, size_t width) {
  uint64_t x = 0;
  for (size_t i = 0; i < width; i++)
    x |= (uint64_t)p[i] << (8 * i);
  return x;
}

static bool printable_text(const uint8_t *p, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (p[i] < 0x20 || p[i] == 0x7f)
      return false;
  return true;
}

void cmr_format_outcome(const cmr_outcome *o, const cmr_expectation *hint,
                        const canmem_profile *profile, char *buf, size_t size) {
  text t = {buf, size, 0};
  if (size)
    buf[0] = '\0';
  if (o->status != CANMEM_OK) {
    static const char *const errors[] = {"ok", "CANMEM_ERR_UNSUPPORTED",
                                         "CANMEM_ERR_ARGUMENT",
                                         "CANMEM_ERR_INTERNAL"};
    put(&t, "adapter error %s",
        o->status >= 0 && o->status < 4 ? errors[o->status] : "(unknown)");
    return;
  }
  put(&t, "%s", canmem_outcome_kind_name(o->kind));
  if (o->kind == CANMEM_OUTCOME_REJECT)
    put(&t, " %s (%" PRIu32 ")", cmr_reject_code_name(o->reject_code),
        o->reject_code);
  if (o->category != CANMEM_CAT_NONE)
    put(&t, " %s", canmem_category_name(o->category));
  if (o->kind != CANMEM_OUTCOME_REPLY && o->kind != CANMEM_OUTCOME_REJECT)
    return;
  const cmr_expectation *shape = shape_hint(hint, o->payload_size, profile);
  if (shape) {
    size_t pos = 0;
    for (size_t i = 0; i < shape->payload_count; i++) {
      size_t width = shape->payload[i].type == CMR_VALUE_I32 ? 4 : 8;
      put(&t, " ");
      put_int(&t, shape->payload[i].type, load_le(o->payload + pos, width));
      pos += width;
    }
    return;
  }
  if (o->payload_size == 0) {
    if (o->kind == CANMEM_OUTCOME_REPLY)
      put(&t, " (bytes \"\")");
    return;
  }
  if (printable_text(o->payload, o->payload_size)) {
    put(&t, " (text ");
    put_escaped(&t, o->payload, o->payload_size, 120);
    put(&t, ")");
    return;
  }
  put(&t, " (bytes ");
  put_escaped(&t, o->payload, o->payload_size, 64);
  put(&t, ")");
  if (o->payload_size == 4 || o->payload_size == 8) {
    put(&t, " = ");
    put_int(&t, o->payload_size == 4 ? CMR_VALUE_I32 : CMR_VALUE_I64,
            load_le(o->payload, o->payload_size));
  }
}
