/* canmem runner: typed values and integer expressions. Limits are written
 * symbolically (the profile keys of suite/profiles, e.g.
 * (pages max_stable_memory)) and evaluated against the active profile, so
 * one vector runs under every profile. Arithmetic is modulo 2^64, so
 * (- 0 1) and -1 are the same all-ones value. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

#define WASM_PAGE 65536ull

static const struct {
  const char *name;
  size_t offset; /* into canmem_profile; SIZE_MAX for a constant */
  uint64_t constant;
} symbols[] = {
#define FIELD(name, field)                                                     \
  { name, offsetof(canmem_profile, field), 0 }
    {"page", SIZE_MAX, WASM_PAGE},
    FIELD("max_stable_memory", max_stable_bytes),
    FIELD("max_stable_memory_32", max_stable32_bytes),
    FIELD("max_heap_wasm32", max_heap32_bytes),
    FIELD("max_heap_wasm64", max_heap64_bytes),
    FIELD("wasm_memory_limit", wasm_memory_limit),
    FIELD("wasm_memory_threshold", wasm_memory_threshold),
    FIELD("max_wasm_memory_limit", max_wasm_memory_limit),
    FIELD("max_wasm_memory_threshold", max_wasm_memory_threshold),
    FIELD("max_reply_size", max_reply_bytes),
    FIELD("max_query_reply_size", max_query_reply_bytes),
    FIELD("max_certified_data", max_certified_data_bytes),
    FIELD("instructions_update", instructions_update),
    FIELD("instructions_query", instructions_query),
    FIELD("instructions_install", instructions_install),
    FIELD("instructions_inspect", instructions_inspect),
    FIELD("max_module_size", max_module_bytes),
    FIELD("max_functions", max_functions),
    FIELD("max_globals", max_globals),
    FIELD("max_exported_methods", max_exported_methods),
    FIELD("max_method_names_size", max_method_name_bytes),
    FIELD("max_icp_sections", max_icp_sections),
    FIELD("max_icp_sections_size", max_icp_section_bytes),
    FIELD("time_start_ns", time_start_ns),
    FIELD("time_step_ns", time_step_ns),
    FIELD("cycle_balance", cycle_balance),
    FIELD("stable_access_limit_message", stable_access_limit_message),
    FIELD("stable_access_limit_upgrade", stable_access_limit_upgrade),
    FIELD("stable_access_limit_query", stable_access_limit_query),
    FIELD("stable_write_limit_message", stable_write_limit_message),
    FIELD("stable_write_limit_upgrade", stable_write_limit_upgrade),
    FIELD("stable_write_limit_query", stable_write_limit_query),
    FIELD("heap_access_limit_message", heap_access_limit_message),
    FIELD("heap_access_limit_upgrade", heap_access_limit_upgrade),
    FIELD("heap_access_limit_query", heap_access_limit_query),
    FIELD("max_snapshots", max_snapshots),
    FIELD("max_log_size", max_log_bytes),
#undef FIELD
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

const char *cmr_expr_symbol(size_t index) {
  return index < COUNT(symbols) ? symbols[index].name : NULL;
}

/* A literal: [+-] decimal or 0x hex digits with optional _ separators, then
 * an optional unit (KiB MiB GiB TiB). Returns false when text is not a
 * literal; *overflow when it is one but does not fit in 64 bits. */
static bool parse_literal(const char *text, uint64_t *out, bool *overflow) {
  const char *s = text;
  bool negative = false;
  *overflow = false;
  if (*s == '+' || *s == '-')
    negative = *s++ == '-';
  unsigned base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
  }
  uint64_t value = 0;
  int digits = 0;
  bool last_underscore = false;
  for (; *s; s++) {
    if (*s == '_') {
      if (!digits || last_underscore)
        return false;
      last_underscore = true;
      continue;
    }
    int d;
    if (isdigit((unsigned char)*s))
      d = *s - '0';
    else if (base == 16 && isxdigit((unsigned char)*s))
      d = tolower((unsigned char)*s) - 'a' + 10;
    else
      break;
    if (value > (UINT64_MAX - (uint64_t)d) / base)
      *overflow = true;
    value = value * base + (uint64_t)d;
    digits++;
    last_underscore = false;
  }
  if (!digits || last_underscore)
    return false;
  uint64_t scale = 1;
  if (*s) {
    if (strcmp(s, "KiB") == 0)
      scale = 1ull << 10;
    else if (strcmp(s, "MiB") == 0)
      scale = 1ull << 20;
    else if (strcmp(s, "GiB") == 0)
      scale = 1ull << 30;
    else if (strcmp(s, "TiB") == 0)
      scale = 1ull << 40;
    else
      return false;
  }
  if (value > UINT64_MAX / scale)
    *overflow = true;
  value *= scale;
  *out = negative ? (uint64_t)0 - value : value;
  return true;
}

static bool find_symbol(const char *name, size_t *index) {
  for (size_t i = 0; i < COUNT(symbols); i++)
    if (strcmp(symbols[i].name, name) == 0) {
      *index = i;
      return true;
    }
  return false;
}

/* Evaluate expr; profile may be NULL to check syntax only. */
static bool eval(const cmr_sx *expr, const canmem_profile *profile,
                 uint64_t *out, cmr_error *err, unsigned depth) {
  if (depth > 64)
    return cmr_fail(err, expr->line, expr->column,
                    "expression nested too deeply");
  if (expr->kind == CMR_SX_ATOM) {
    bool overflow;
    if (parse_literal(expr->text, out, &overflow)) {
      if (overflow)
        return cmr_fail(err, expr->line, expr->column,
                        "'%s' does not fit in 64 bits", expr->text);
      return true;
    }
    size_t i;
    if (!find_symbol(expr->text, &i))
      return cmr_fail(err, expr->line, expr->column,
                      "expected a number or a profile limit "
                      "(max_stable_memory, max_stable_memory_32, "
                      "max_heap_wasm32, page, ...), got '%s'",
                      expr->text);
    if (symbols[i].offset == SIZE_MAX)
      *out = symbols[i].constant;
    else if (profile)
      memcpy(out, (const char *)profile + symbols[i].offset, sizeof *out);
    else
      *out = 0;
    return true;
  }
  if (expr->kind != CMR_SX_LIST || expr->count == 0 ||
      expr->items[0].kind != CMR_SX_ATOM)
    return cmr_fail(err, expr->line, expr->column,
                    "expected a number, a profile limit or an expression "
                    "like (+ a b), (- a b), (* a b), (/ a b), (pages a)");
  const char *op = expr->items[0].text;
  size_t n = expr->count - 1;
  uint64_t v[16];
  if (n > COUNT(v))
    return cmr_fail(err, expr->line, expr->column, "too many operands");
  for (size_t i = 0; i < n; i++)
    if (!eval(&expr->items[i + 1], profile, &v[i], err, depth + 1))
      return false;
  if (strcmp(op, "+") == 0 || strcmp(op, "*") == 0 || strcmp(op, "min") == 0 ||
      strcmp(op, "max") == 0) {
    if (n < 1)
      return cmr_fail(err, expr->line, expr->column,
                      "(%s ...) needs at least one operand", op);
    uint64_t r = v[0];
    for (size_t i = 1; i < n; i++) {
      if (op[0] == '+')
        r += v[i];
      else if (op[0] == '*')
        r *= v[i];
      else if (op[1] == 'i')
        r = v[i] < r ? v[i] : r;
      else
        r = v[i] > r ? v[i] : r;
    }
    *out = r;
    return true;
  }
  if (strcmp(op, "-") == 0) {
    if (n == 1) {
      *out = (uint64_t)0 - v[0];
      return true;
    }
    if (n != 2)
      return cmr_fail(err, expr->line, expr->column,
                      "(- a b) takes one or two operands");
    *out = v[0] - v[1];
    return true;
  }
  if (strcmp(op, "/") == 0 || strcmp(op, "pages") == 0) {
    bool pages = op[0] == 'p';
    if (n != (pages ? 1u : 2u))
      return cmr_fail(err, expr->line, expr->column,
                      pages ? "(pages bytes) takes one operand"
                            : "(/ a b) takes two operands");
    uint64_t divisor = pages ? WASM_PAGE : v[1];
    if (divisor == 0) {
      if (!profile)
        return true; /* a symbol may be 0 in one profile only */
      return cmr_fail(err, expr->line, expr->column, "division by zero");
    }
    *out = v[0] / divisor;
    return true;
  }
  return cmr_fail(err, expr->items[0].line, expr->items[0].column,
                  "unknown operator '%s' (expected + - * / min max pages)", op);
}

bool cmr_expr_check(const cmr_sx *expr, cmr_error *err) {
  uint64_t ignored;
  return eval(expr, NULL, &ignored, err, 0);
}

bool cmr_expr_eval(const cmr_sx *expr, const canmem_profile *profile,
                   uint64_t *out, cmr_error *err) {
  return eval(expr, profile, out, err, 0);
}

/* what an i32 value may be: signed or unsigned, as written */
#define I32_RANGE "(-2147483648 to 4294967295)"

static bool valid_utf8(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t b = s[i];
    size_t len;
    uint32_t cp;
    if (b < 0x80) {
      i++;
      continue;
    } else if ((b & 0xe0) == 0xc0) {
      len = 2;
      cp = b & 0x1f;
    } else if ((b & 0xf0) == 0xe0) {
      len = 3;
      cp = b & 0x0f;
    } else if ((b & 0xf8) == 0xf0) {
      len = 4;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + len > n)
      return false;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
        (cp >= 0xd800 && cp < 0xe000))
      return false;
    i += len;
  }
  return true;
}

bool cmr_value_parse(const cmr_sx *node, size_t first, cmr_value *out,
                     cmr_error *err) {
  memset(out, 0, sizeof *out);
  out->line = node->line;
  out->column = node->column;
  size_t type_index = first ? first - 1 : 0;
  const cmr_sx *type_node =
      node->kind == CMR_SX_LIST && node->count > type_index
          ? &node->items[type_index]
          : NULL;
  const char *head = cmr_sx_atom(type_node);
  if (!head)
    return cmr_fail(err, node->line, node->column,
                    "expected a typed value: (i32 N), (i64 N), "
                    "(bytes \"...\") or (text \"...\")");
  size_t operands = node->count - type_index - 1;
  if (strcmp(head, "i32") == 0 || strcmp(head, "i64") == 0) {
    out->type = head[1] == '3' ? CMR_VALUE_I32 : CMR_VALUE_I64;
    if (operands != 1)
      return cmr_fail(err, type_node->line, type_node->column,
                      "%s takes exactly one number or expression", head);
    out->expr = &node->items[type_index + 1];
    if (!cmr_expr_check(out->expr, err))
      return false;
    /* a literal is checked as written: -2147483649 is not 2^64 - 2^31 - 1 */
    uint64_t magnitude;
    bool overflow;
    const char *text = cmr_sx_atom(out->expr);
    if (out->type == CMR_VALUE_I32 && text &&
        parse_literal(text, &magnitude, &overflow)) {
      bool negative = text[0] == '-';
      if (negative)
        magnitude = (uint64_t)0 - magnitude;
      if (negative ? magnitude > (1ull << 31) : magnitude > UINT32_MAX)
        return cmr_fail(err, out->expr->line, out->expr->column,
                        "%s is out of the i32 range " I32_RANGE, text);
    }
    return true;
  }
  if (strcmp(head, "bytes") == 0 || strcmp(head, "text") == 0) {
    out->type = head[0] == 'b' ? CMR_VALUE_BYTES : CMR_VALUE_TEXT;
    out->list = node;
    out->list_first = type_index + 1;
    for (size_t i = out->list_first; i < node->count; i++) {
      const cmr_sx *s = &node->items[i];
      if (s->kind != CMR_SX_STRING)
        return cmr_fail(err, s->line, s->column, "expected a string after '%s'",
                        head);
      if (out->type == CMR_VALUE_TEXT &&
          !valid_utf8((const uint8_t *)s->text, s->size))
        return cmr_fail(err, s->line, s->column,
                        "text must be valid UTF-8; use bytes "
                        "for arbitrary bytes");
    }
    return true;
  }
  return cmr_fail(err, type_node->line, type_node->column,
                  "unknown value type '%s' (expected i32, i64, bytes, text)",
                  head);
}

bool cmr_values_encode(const cmr_value *values, size_t count,
                       const canmem_profile *profile, uint8_t **out,
                       size_t *size, cmr_error *err) {
  size_t total = 0;
  for (size_t i = 0; i < count; i++) {
    if (values[i].type == CMR_VALUE_I32)
      total += 4;
    else if (values[i].type == CMR_VALUE_I64)
      total += 8;
    else
      for (size_t k = values[i].list_first; k < values[i].list->count; k++)
        total += values[i].list->items[k].size;
  }
  uint8_t *buf = malloc(total ? total : 1);
  if (!buf)
    return cmr_fail(err, 0, 0, "out of memory");
  size_t pos = 0;
  for (size_t i = 0; i < count; i++) {
    const cmr_value *v = &values[i];
    if (v->type == CMR_VALUE_I32 || v->type == CMR_VALUE_I64) {
      uint64_t x;
      if (!cmr_expr_eval(v->expr, profile, &x, err)) {
        free(buf);
        return false;
      }
      size_t width = v->type == CMR_VALUE_I32 ? 4 : 8;
      if (width == 4 && x > UINT32_MAX && x < 0xffffffff80000000ull) {
        /* an expression of profile limits (literals failed at parse) */
        free(buf);
        return cmr_fail(err, v->expr->line, v->expr->column,
                        "the expression's value %llu (%lld as signed) is out "
                        "of the i32 range " I32_RANGE,
                        (unsigned long long)x, (long long)x);
      }
      for (size_t b = 0; b < width; b++)
        buf[pos++] = (uint8_t)(x >> (8 * b));
    } else {
      for (size_t k = v->list_first; k < v->list->count; k++) {
        memcpy(buf + pos, v->list->items[k].text, v->list->items[k].size);
        pos += v->list->items[k].size;
      }
    }
  }
  *out = buf;
  *size = total;
  return true;
}
