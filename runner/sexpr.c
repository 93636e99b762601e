/* canmem runner: s-expressions with source positions, in the lexical
 * syntax of the WebAssembly text format, so inline wat modules parse as
 * ordinary lists and their source ranges can be handed to wat2wasm as they
 * were written. Columns count bytes, as wat2wasm does. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "utf8.h"

/* Deep enough for any wat module; bounds the recursion on hostile input. */
#define MAX_DEPTH 200

bool cmr_fail(cmr_error *err, uint32_t line, uint32_t column, const char *fmt,
              ...) {
  if (err) {
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return false;
}

typedef struct {
  const char *src;
  size_t len, pos;
  uint32_t line, column;
  cmr_error *err;
} cursor;

static int peek(const cursor *c, size_t ahead) {
  return c->pos + ahead < c->len ? (unsigned char)c->src[c->pos + ahead] : -1;
}

static void advance(cursor *c) {
  if (c->pos >= c->len)
    return;
  if (c->src[c->pos] == '\n') {
    c->line++;
    c->column = 1;
  } else {
    c->column++;
  }
  c->pos++;
}

/* Skips blanks and comments; false on an unterminated block comment. */
static bool skip_space(cursor *c) {
  for (;;) {
    int ch = peek(c, 0);
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      advance(c);
    } else if (ch == ';' && peek(c, 1) == ';') {
      while (c->pos < c->len && c->src[c->pos] != '\n')
        advance(c);
    } else if (ch == '(' && peek(c, 1) == ';') {
      uint32_t line = c->line, column = c->column;
      unsigned depth = 0;
      do {
        if (c->pos >= c->len)
          return cmr_fail(c->err, line, column,
                          "unterminated block comment '(;'");
        if (peek(c, 0) == '(' && peek(c, 1) == ';') {
          depth++;
          advance(c);
        } else if (peek(c, 0) == ';' && peek(c, 1) == ')') {
          depth--;
          advance(c);
        }
        advance(c);
      } while (depth > 0);
    } else {
      return true;
    }
  }
}

static bool is_atom_char(int ch) {
  return ch > ' ' && ch != '(' && ch != ')' && ch != '"' && ch != ';' &&
         ch != 0x7f;
}

static int hex_value(int ch) {
  if (ch >= '0' && ch <= '9')
    return ch - '0';
  if (ch >= 'a' && ch <= 'f')
    return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F')
    return ch - 'A' + 10;
  return -1;
}

static bool read_string(cursor *c, cmr_sx *node) {
  uint32_t line = c->line, column = c->column;
  advance(c); /* the opening quote */
  /* the decoded form is never longer than the source */
  size_t cap = 16, size = 0;
  char *buf = malloc(cap);
  if (!buf)
    return cmr_fail(c->err, line, column, "out of memory");
  for (;;) {
    int ch = peek(c, 0);
    if (ch < 0 || ch == '\n') {
      free(buf);
      return cmr_fail(c->err, line, column, "unterminated string");
    }
    if (size + 8 >= cap) {
      cap *= 2;
      char *grown = realloc(buf, cap);
      if (!grown) {
        free(buf);
        return cmr_fail(c->err, line, column, "out of memory");
      }
      buf = grown;
    }
    if (ch == '"') {
      advance(c);
      break;
    }
    if (ch != '\\') {
      buf[size++] = (char)ch;
      advance(c);
      continue;
    }
    uint32_t eline = c->line, ecolumn = c->column;
    advance(c);
    int e = peek(c, 0);
    switch (e) {
    case 't':
      buf[size++] = '\t';
      advance(c);
      break;
    case 'n':
      buf[size++] = '\n';
      advance(c);
      break;
    case 'r':
      buf[size++] = '\r';
      advance(c);
      break;
    case '"':
      buf[size++] = '"';
      advance(c);
      break;
    case '\'':
      buf[size++] = '\'';
      advance(c);
      break;
    case '\\':
      buf[size++] = '\\';
      advance(c);
      break;
    case 'u': {
      advance(c);
      if (peek(c, 0) != '{') {
        free(buf);
        return cmr_fail(c->err, eline, ecolumn,
                        "expected '{' after '\\u' in a string");
      }
      advance(c);
      uint32_t cp = 0;
      int digits = 0;
      while (hex_value(peek(c, 0)) >= 0) {
        cp = cp * 16 + (uint32_t)hex_value(peek(c, 0));
        if (cp > 0x10ffff)
          break;
        digits++;
        advance(c);
      }
      if (!digits || peek(c, 0) != '}' || cp > 0x10ffff ||
          (cp >= 0xd800 && cp < 0xe000)) {
        free(buf);
        return cmr_fail(c->err, eline, ecolumn,
                        "expected a Unicode scalar value in '\\u{...}'");
      }
      advance(c);
      size += cm_utf8_encode(cp, buf + size);
      break;
    }
    default: {
      int hi = hex_value(e), lo = hex_value(peek(c, 1));
      if (hi < 0 || lo < 0) {
        free(buf);
        return cmr_fail(c->err, eline, ecolumn,
                        "unknown escape in a string (expected \\t \\n \\r "
                        "\\\" \\' \\\\ \\hh or \\u{...})");
      }
      buf[size++] = (char)(hi * 16 + lo);
      advance(c);
      advance(c);
    }
    }
  }
  buf[size] = '\0';
  node->kind = CMR_SX_STRING;
  node->text = buf;
  node->size = size;
  return true;
}

static void free_node(cmr_sx *node) {
  free(node->text);
  for (size_t i = 0; i < node->count; i++)
    free_node(&node->items[i]);
  free(node->items);
}

static bool push(cmr_sx **items, size_t *count, size_t *cap,
                 const cmr_sx *node) {
  if (*count == *cap) {
    size_t grown_cap = *cap ? *cap * 2 : 4;
    cmr_sx *grown = realloc(*items, grown_cap * sizeof *grown);
    if (!grown)
      return false;
    *items = grown;
    *cap = grown_cap;
  }
  (*items)[(*count)++] = *node;
  return true;
}

static bool read_node(cursor *c, cmr_sx *node, unsigned depth);

static bool read_list(cursor *c, cmr_sx *node, unsigned depth) {
  uint32_t line = c->line, column = c->column;
  if (depth > MAX_DEPTH)
    return cmr_fail(c->err, line, column, "nested deeper than %d lists",
                    MAX_DEPTH);
  advance(c); /* ( */
  size_t cap = 0;
  for (;;) {
    if (!skip_space(c))
      return false;
    int ch = peek(c, 0);
    if (ch < 0)
      return cmr_fail(c->err, line, column,
                      "unbalanced parenthesis: this '(' is never closed");
    if (ch == ')') {
      advance(c);
      node->end = c->pos;
      return true;
    }
    cmr_sx child;
    if (!read_node(c, &child, depth + 1))
      return false;
    if (!push(&node->items, &node->count, &cap, &child)) {
      free_node(&child);
      return cmr_fail(c->err, line, column, "out of memory");
    }
  }
}

static bool read_node(cursor *c, cmr_sx *node, unsigned depth) {
  memset(node, 0, sizeof *node);
  node->line = c->line;
  node->column = c->column;
  node->start = c->pos;
  int ch = peek(c, 0);
  if (ch == '(') {
    node->kind = CMR_SX_LIST;
    if (!read_list(c, node, depth)) {
      free_node(node);
      return false;
    }
    return true;
  }
  if (ch == ')')
    return cmr_fail(c->err, c->line, c->column,
                    "unexpected ')' without a matching '('");
  if (ch == '"') {
    if (!read_string(c, node))
      return false;
    node->end = c->pos;
    return true;
  }
  if (!is_atom_char(ch))
    return cmr_fail(c->err, c->line, c->column, "unexpected character 0x%02x",
                    (unsigned)ch);
  size_t start = c->pos;
  while (is_atom_char(peek(c, 0)))
    advance(c);
  size_t n = c->pos - start;
  node->kind = CMR_SX_ATOM;
  node->text = malloc(n + 1);
  if (!node->text)
    return cmr_fail(c->err, node->line, node->column, "out of memory");
  memcpy(node->text, c->src + start, n);
  node->text[n] = '\0';
  node->size = n;
  node->end = c->pos;
  return true;
}

bool cmr_sx_parse(const char *src, size_t len, cmr_sx **forms, size_t *count,
                  cmr_error *err) {
  cursor c = {src, len, 0, 1, 1, err};
  cmr_sx *items = NULL;
  size_t n = 0, cap = 0;
  *forms = NULL;
  *count = 0;
  for (;;) {
    if (!skip_space(&c))
      goto fail;
    if (c.pos >= c.len)
      break;
    cmr_sx node;
    if (!read_node(&c, &node, 0))
      goto fail;
    if (!push(&items, &n, &cap, &node)) {
      free_node(&node);
      cmr_fail(err, c.line, c.column, "out of memory");
      goto fail;
    }
  }
  *forms = items;
  *count = n;
  return true;
fail:
  cmr_sx_free_all(items, n);
  return false;
}

void cmr_sx_free_all(cmr_sx *forms, size_t count) {
  for (size_t i = 0; i < count; i++)
    free_node(&forms[i]);
  free(forms);
}

const char *cmr_sx_atom(const cmr_sx *node) {
  return node && node->kind == CMR_SX_ATOM ? node->text : NULL;
}

bool cmr_sx_is_form(const cmr_sx *node, const char *head) {
  return node && node->kind == CMR_SX_LIST && node->count > 0 &&
         node->items[0].kind == CMR_SX_ATOM &&
         strcmp(node->items[0].text, head) == 0;
}
