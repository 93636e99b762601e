/* A small, strict JSON reader: see json.h. */
#include "json.h"
#include "utf8.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Arena: every node, string and array of one document ---- */

typedef struct arena_chunk {
  struct arena_chunk *next;
  size_t used, size;
  max_align_t data[]; /* max_align_t elements keep every allocation aligned */
} arena_chunk;

struct cm_json_doc {
  arena_chunk *chunks;
  cm_json *root;
};

enum { ARENA_CHUNK_BYTES = 64 * 1024 };

static void *arena_alloc(cm_json_doc *doc, size_t size) {
  const size_t align = sizeof(max_align_t);
  size_t rounded = (size + align - 1) / align * align;
  if (rounded < size)
    return NULL; /* size overflowed */
  arena_chunk *c = doc->chunks;
  if (c == NULL || c->size - c->used < rounded) {
    size_t capacity = rounded > ARENA_CHUNK_BYTES ? rounded : ARENA_CHUNK_BYTES;
    if (capacity > SIZE_MAX - sizeof(arena_chunk))
      return NULL;
    c = malloc(sizeof(arena_chunk) + capacity);
    if (c == NULL)
      return NULL;
    c->size = capacity;
    c->used = 0;
    /* A big dedicated chunk goes behind the current one so the current
     * chunk's free space stays usable. */
    if (doc->chunks != NULL && rounded > ARENA_CHUNK_BYTES) {
      c->next = doc->chunks->next;
      doc->chunks->next = c;
    } else {
      c->next = doc->chunks;
      doc->chunks = c;
    }
  }
  void *p = (char *)c->data + c->used;
  c->used += rounded;
  return p;
}

void cm_json_free(cm_json_doc *doc) {
  if (doc == NULL)
    return;
  arena_chunk *c = doc->chunks;
  while (c != NULL) {
    arena_chunk *next = c->next;
    free(c);
    c = next;
  }
  free(doc);
}

const cm_json *cm_json_root(const cm_json_doc *doc) {
  return doc ? doc->root : NULL;
}

/* ---- Parser state ---- */

typedef struct {
  const unsigned char *p, *end;
  uint32_t line, column; /* of *p */
  cm_json_doc *doc;
  cm_json_error *err;
  /* Children of every open array and object, innermost last; copied into
   * the arena when the container closes. One stack serves all levels. */
  cm_json **items;
  size_t nitems, items_capacity;
  cm_json_member *members;
  size_t nmembers, members_capacity;
} parser;

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static void fail_at(parser *ps, uint32_t line, uint32_t column,
                    const char *fmt, ...) {
  if (ps->err == NULL)
    return;
  ps->err->line = line;
  ps->err->column = column;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ps->err->message, sizeof ps->err->message, fmt, ap);
  va_end(ap);
}

#define fail_here(ps, ...) fail_at((ps), (ps)->line, (ps)->column, __VA_ARGS__)

static bool at_end(const parser *ps) { return ps->p >= ps->end; }

/* Consume one byte, keeping line and column (columns count characters, so
 * UTF-8 continuation bytes do not move them). */
static void advance(parser *ps) {
  unsigned char b = *ps->p++;
  if (b == '\n') {
    ps->line++;
    ps->column = 1;
  } else if ((b & 0xc0) != 0x80) {
    ps->column++;
  }
}

/* What is at the current position, for "expected X, got Y" messages. */
static const char *describe_current(const parser *ps, char *buf, size_t n) {
  if (at_end(ps))
    return "end of input";
  unsigned char b = *ps->p;
  if (b >= 0x21 && b < 0x7f)
    snprintf(buf, n, "'%c'", b);
  else
    snprintf(buf, n, "byte 0x%02x", b);
  return buf;
}

static void skip_whitespace(parser *ps) {
  while (!at_end(ps) && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
                         *ps->p == '\r'))
    advance(ps);
}

static cm_json *new_node(parser *ps, cm_json_kind kind, uint32_t line,
                         uint32_t column) {
  cm_json *node = arena_alloc(ps->doc, sizeof *node);
  if (node == NULL) {
    fail_at(ps, line, column, "out of memory");
    return NULL;
  }
  memset(node, 0, sizeof *node);
  node->kind = kind;
  node->line = line;
  node->column = column;
  return node;
}

static bool push_item(parser *ps, cm_json *item) {
  if (ps->nitems == ps->items_capacity) {
    size_t capacity = ps->items_capacity ? ps->items_capacity * 2 : 64;
    cm_json **grown = realloc(ps->items, capacity * sizeof *grown);
    if (grown == NULL)
      return false;
    ps->items = grown;
    ps->items_capacity = capacity;
  }
  ps->items[ps->nitems++] = item;
  return true;
}

static bool push_member(parser *ps, cm_json_member member) {
  if (ps->nmembers == ps->members_capacity) {
    size_t capacity = ps->members_capacity ? ps->members_capacity * 2 : 64;
    cm_json_member *grown = realloc(ps->members, capacity * sizeof *grown);
    if (grown == NULL)
      return false;
    ps->members = grown;
    ps->members_capacity = capacity;
  }
  ps->members[ps->nmembers++] = member;
  return true;
}

/* ---- Strings ---- */

static int hex_digit_value(unsigned char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Read the 4 hex digits of a \u escape; p points after the 'u'. */
static bool read_hex4(parser *ps, uint32_t *out) {
  uint32_t value = 0;
  for (int i = 0; i < 4; i++) {
    int digit = at_end(ps) ? -1 : hex_digit_value(*ps->p);
    if (digit < 0) {
      char buf[16];
      fail_here(ps, "expected 4 hex digits after \\u, got %s",
                describe_current(ps, buf, sizeof buf));
      return false;
    }
    value = value * 16 + (uint32_t)digit;
    advance(ps);
  }
  *out = value;
  return true;
}

/* Decode one escape sequence; p points at the backslash. */
static bool read_escape(parser *ps, char *out, size_t *length) {
  uint32_t line = ps->line, column = ps->column;
  advance(ps); /* the backslash */
  if (at_end(ps)) {
    fail_at(ps, line, column, "unterminated escape sequence");
    return false;
  }
  unsigned char c = *ps->p;
  const char *simple = NULL;
  switch (c) {
  case '"': simple = "\""; break;
  case '\\': simple = "\\"; break;
  case '/': simple = "/"; break;
  case 'b': simple = "\b"; break;
  case 'f': simple = "\f"; break;
  case 'n': simple = "\n"; break;
  case 'r': simple = "\r"; break;
  case 't': simple = "\t"; break;
  case 'u': break;
  default: {
    char buf[16];
    fail_at(ps, line, column,
            "invalid escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r "
            "\\t \\u after '\\', got %s",
            describe_current(ps, buf, sizeof buf));
    return false;
  }
  }
  advance(ps);
  if (simple != NULL) {
    out[0] = simple[0];
    *length = 1;
    return true;
  }
  uint32_t cp;
  if (!read_hex4(ps, &cp))
    return false;
  if (cp >= 0xdc00 && cp <= 0xdfff) {
    fail_at(ps, line, column,
            "lone low surrogate \\u%04X: expected a high surrogate first",
            (unsigned)cp);
    return false;
  }
  if (cp >= 0xd800 && cp <= 0xdbff) {
    /* A high surrogate must be followed by an escaped low surrogate. */
    if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
      fail_at(ps, line, column,
              "high surrogate \\u%04X must be followed by a \\u low "
              "surrogate (\\uDC00-\\uDFFF)",
              (unsigned)cp);
      return false;
    }
    advance(ps);
    advance(ps);
    uint32_t low;
    if (!read_hex4(ps, &low))
      return false;
    if (low < 0xdc00 || low > 0xdfff) {
      fail_at(ps, line, column,
              "high surrogate \\u%04X is followed by \\u%04X, expected a low "
              "surrogate (\\uDC00-\\uDFFF)",
              (unsigned)cp, (unsigned)low);
      return false;
    }
    cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
  }
  *length = cm_utf8_encode(cp, out);
  return true;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or 0. */
static size_t utf8_sequence_length(const unsigned char *p,
                                   const unsigned char *end) {
  unsigned char b = p[0];
  size_t n;
  unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
  if (b >= 0xc2 && b <= 0xdf) {
    n = 2;
  } else if (b >= 0xe0 && b <= 0xef) {
    n = 3;
    if (b == 0xe0)
      lo = 0xa0;
    if (b == 0xed)
      hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    n = 4;
    if (b == 0xf0)
      lo = 0x90;
    if (b == 0xf4)
      hi = 0x8f;
  } else {
    return 0;
  }
  if ((size_t)(end - p) < n)
    return 0;
  if (p[1] < lo || p[1] > hi)
    return 0;
  for (size_t i = 2; i < n; i++)
    if (p[i] < 0x80 || p[i] > 0xbf)
      return 0;
  return n;
}

/* Parse a string; p points at the opening quote. The decoded bytes go into
 * the arena, NUL-terminated. */
static bool read_string(parser *ps, const char **bytes, size_t *length) {
  uint32_t line = ps->line, column = ps->column;
  /* Find the closing quote first: the decoded text is never longer than
   * the raw text, so that sizes the buffer. */
  const unsigned char *q = ps->p + 1;
  while (q < ps->end && *q != '"')
    q += (*q == '\\' && q + 1 < ps->end) ? 2 : 1;
  if (q >= ps->end) {
    fail_at(ps, line, column, "unterminated string: expected a closing '\"'");
    return false;
  }
  size_t raw_length = (size_t)(q - (ps->p + 1));
  char *out = arena_alloc(ps->doc, raw_length + 1);
  if (out == NULL) {
    fail_at(ps, line, column, "out of memory");
    return false;
  }
  size_t n = 0;
  advance(ps); /* the opening quote */
  while (*ps->p != '"') {
    unsigned char c = *ps->p;
    if (c == '\\') {
      size_t written;
      if (!read_escape(ps, out + n, &written))
        return false;
      n += written;
    } else if (c < 0x20) {
      fail_here(ps, "control character U+%04X must be escaped in a string",
                (unsigned)c);
      return false;
    } else if (c < 0x80) {
      out[n++] = (char)c;
      advance(ps);
    } else {
      size_t seq = utf8_sequence_length(ps->p, ps->end);
      if (seq == 0) {
        fail_here(ps, "invalid UTF-8 byte 0x%02x in string", (unsigned)c);
        return false;
      }
      for (size_t i = 0; i < seq; i++) {
        out[n++] = (char)*ps->p;
        advance(ps);
      }
    }
  }
  advance(ps); /* the closing quote */
  out[n] = '\0';
  *bytes = out;
  *length = n;
  return true;
}

/* ---- Numbers and literals ---- */

static bool is_digit(const parser *ps) {
  return !at_end(ps) && *ps->p >= '0' && *ps->p <= '9';
}

static bool expect_digit(parser *ps, const char *after) {
  if (is_digit(ps))
    return true;
  char buf[16];
  fail_here(ps, "expected a digit %s, got %s", after,
            describe_current(ps, buf, sizeof buf));
  return false;
}

static cm_json *read_number(parser *ps) {
  uint32_t line = ps->line, column = ps->column;
  const unsigned char *start = ps->p;
  if (*ps->p == '-')
    advance(ps);
  if (!expect_digit(ps, "after '-'"))
    return NULL;
  if (*ps->p == '0') {
    advance(ps);
    if (is_digit(ps)) {
      fail_here(ps, "leading zeros are not allowed in a number");
      return NULL;
    }
  } else {
    while (is_digit(ps))
      advance(ps);
  }
  if (!at_end(ps) && *ps->p == '.') {
    advance(ps);
    if (!expect_digit(ps, "after '.'"))
      return NULL;
    while (is_digit(ps))
      advance(ps);
  }
  if (!at_end(ps) && (*ps->p == 'e' || *ps->p == 'E')) {
    advance(ps);
    if (!at_end(ps) && (*ps->p == '+' || *ps->p == '-'))
      advance(ps);
    if (!expect_digit(ps, "in the exponent"))
      return NULL;
    while (is_digit(ps))
      advance(ps);
  }
  size_t length = (size_t)(ps->p - start);
  cm_json *node = new_node(ps, CM_JSON_NUMBER, line, column);
  char *text = node ? arena_alloc(ps->doc, length + 1) : NULL;
  if (text == NULL) {
    fail_at(ps, line, column, "out of memory");
    return NULL;
  }
  memcpy(text, start, length);
  text[length] = '\0';
  node->as.number.text = text;
  /* The grammar checked above is a subset of what strtod accepts. */
  node->as.number.value = strtod(text, NULL);
  return node;
}

static cm_json *read_literal(parser *ps) {
  static const struct {
    const char *word;
    cm_json_kind kind;
    bool value;
  } literals[] = {
      {"true", CM_JSON_BOOL, true},
      {"false", CM_JSON_BOOL, false},
      {"null", CM_JSON_NULL, false},
  };
  uint32_t line = ps->line, column = ps->column;
  for (size_t i = 0; i < sizeof literals / sizeof literals[0]; i++) {
    if (literals[i].word[0] != *ps->p)
      continue;
    size_t n = strlen(literals[i].word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, literals[i].word, n)) {
      fail_here(ps, "invalid literal: expected '%s'", literals[i].word);
      return NULL;
    }
    for (size_t k = 0; k < n; k++)
      advance(ps);
    cm_json *node = new_node(ps, literals[i].kind, line, column);
    if (node != NULL)
      node->as.boolean = literals[i].value;
    return node;
  }
  return NULL; /* not reached: the caller checked the first letter */
}

/* ---- Values, arrays, objects ---- */

static cm_json *read_value(parser *ps, unsigned depth);

static cm_json *read_array(parser *ps, unsigned depth) {
  cm_json *node = new_node(ps, CM_JSON_ARRAY, ps->line, ps->column);
  if (node == NULL)
    return NULL;
  advance(ps); /* '[' */
  size_t base = ps->nitems;
  skip_whitespace(ps);
  if (!at_end(ps) && *ps->p == ']') {
    advance(ps);
    return node;
  }
  for (;;) {
    cm_json *item = read_value(ps, depth + 1);
    if (item == NULL)
      return NULL;
    if (!push_item(ps, item)) {
      fail_at(ps, item->line, item->column, "out of memory");
      return NULL;
    }
    skip_whitespace(ps);
    if (!at_end(ps) && *ps->p == ',') {
      advance(ps);
      continue;
    }
    if (!at_end(ps) && *ps->p == ']') {
      advance(ps);
      break;
    }
    char buf[16];
    fail_here(ps, "expected ',' or ']' after an array element, got %s",
              describe_current(ps, buf, sizeof buf));
    return NULL;
  }
  size_t count = ps->nitems - base;
  if (count > SIZE_MAX / sizeof(cm_json *)) {
    fail_at(ps, node->line, node->column, "out of memory");
    return NULL;
  }
  node->as.array.items = arena_alloc(ps->doc, count * sizeof(cm_json *));
  if (node->as.array.items == NULL) {
    fail_at(ps, node->line, node->column, "out of memory");
    return NULL;
  }
  memcpy(node->as.array.items, ps->items + base, count * sizeof(cm_json *));
  node->as.array.count = count;
  ps->nitems = base;
  return node;
}

static cm_json *read_object(parser *ps, unsigned depth) {
  cm_json *node = new_node(ps, CM_JSON_OBJECT, ps->line, ps->column);
  if (node == NULL)
    return NULL;
  advance(ps); /* '{' */
  size_t base = ps->nmembers;
  skip_whitespace(ps);
  if (!at_end(ps) && *ps->p == '}') {
    advance(ps);
    return node;
  }
  for (;;) {
    skip_whitespace(ps);
    char buf[16];
    if (at_end(ps) || *ps->p != '"') {
      fail_here(ps, "expected '\"' to start a member name, got %s",
                describe_current(ps, buf, sizeof buf));
      return NULL;
    }
    cm_json_member member;
    uint32_t line = ps->line, column = ps->column;
    if (!read_string(ps, &member.key, &member.key_length))
      return NULL;
    skip_whitespace(ps);
    if (at_end(ps) || *ps->p != ':') {
      fail_here(ps, "expected ':' after member name \"%.40s\", got %s",
                member.key, describe_current(ps, buf, sizeof buf));
      return NULL;
    }
    advance(ps);
    member.value = read_value(ps, depth + 1);
    if (member.value == NULL)
      return NULL;
    if (!push_member(ps, member)) {
      fail_at(ps, line, column, "out of memory");
      return NULL;
    }
    skip_whitespace(ps);
    if (!at_end(ps) && *ps->p == ',') {
      advance(ps);
      continue;
    }
    if (!at_end(ps) && *ps->p == '}') {
      advance(ps);
      break;
    }
    fail_here(ps, "expected ',' or '}' after an object member, got %s",
              describe_current(ps, buf, sizeof buf));
    return NULL;
  }
  size_t count = ps->nmembers - base;
  if (count > SIZE_MAX / sizeof(cm_json_member)) {
    fail_at(ps, node->line, node->column, "out of memory");
    return NULL;
  }
  node->as.object.members =
      arena_alloc(ps->doc, count * sizeof(cm_json_member));
  if (node->as.object.members == NULL) {
    fail_at(ps, node->line, node->column, "out of memory");
    return NULL;
  }
  memcpy(node->as.object.members, ps->members + base,
         count * sizeof(cm_json_member));
  node->as.object.count = count;
  ps->nmembers = base;
  return node;
}

/* depth counts the arrays and objects that enclose this value. */
static cm_json *read_value(parser *ps, unsigned depth) {
  skip_whitespace(ps);
  char buf[16];
  if (at_end(ps)) {
    fail_here(ps, "expected a value, got end of input");
    return NULL;
  }
  unsigned char c = *ps->p;
  if ((c == '[' || c == '{') && depth >= CM_JSON_MAX_DEPTH) {
    fail_here(ps, "arrays and objects nested deeper than %d levels",
              CM_JSON_MAX_DEPTH);
    return NULL;
  }
  switch (c) {
  case '[':
    return read_array(ps, depth);
  case '{':
    return read_object(ps, depth);
  case '"': {
    cm_json *node = new_node(ps, CM_JSON_STRING, ps->line, ps->column);
    if (node == NULL ||
        !read_string(ps, &node->as.string.bytes, &node->as.string.length))
      return NULL;
    return node;
  }
  case 't':
  case 'f':
  case 'n':
    return read_literal(ps);
  default:
    if (c == '-' || (c >= '0' && c <= '9'))
      return read_number(ps);
    fail_here(ps,
              "expected a value (object, array, string, number, true, false "
              "or null), got %s",
              describe_current(ps, buf, sizeof buf));
    return NULL;
  }
}

cm_json_doc *cm_json_parse(const char *text, size_t size, cm_json_error *err) {
  if (err != NULL) {
    err->line = 0;
    err->column = 0;
    err->message[0] = '\0';
  }
  cm_json_doc *doc = calloc(1, sizeof *doc);
  if (doc == NULL) {
    if (err != NULL) {
      err->line = 1;
      err->column = 1;
      snprintf(err->message, sizeof err->message, "out of memory");
    }
    return NULL;
  }
  parser ps = {
      .p = (const unsigned char *)text,
      .end = (const unsigned char *)text + size,
      .line = 1,
      .column = 1,
      .doc = doc,
      .err = err,
  };
  if (size >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
    fail_here(&ps, "a byte order mark is not allowed before the JSON value");
  } else {
    doc->root = read_value(&ps, 0);
    if (doc->root != NULL) {
      skip_whitespace(&ps);
      if (!at_end(&ps)) {
        char buf[16];
        fail_here(&ps, "expected end of input after the JSON value, got %s",
                  describe_current(&ps, buf, sizeof buf));
        doc->root = NULL;
      }
    }
  }
  free(ps.items);
  free(ps.members);
  if (doc->root == NULL) {
    cm_json_free(doc);
    return NULL;
  }
  return doc;
}

/* ---- Access ---- */

const char *cm_json_kind_name(cm_json_kind kind) {
  switch (kind) {
  case CM_JSON_NULL: return "null";
  case CM_JSON_BOOL: return "boolean";
  case CM_JSON_NUMBER: return "number";
  case CM_JSON_STRING: return "string";
  case CM_JSON_ARRAY: return "array";
  case CM_JSON_OBJECT: return "object";
  }
  return "unknown";
}

const cm_json *cm_json_get(const cm_json *object, const char *key) {
  if (object == NULL || object->kind != CM_JSON_OBJECT || key == NULL)
    return NULL;
  size_t key_length = strlen(key);
  for (size_t i = 0; i < object->as.object.count; i++) {
    const cm_json_member *m = &object->as.object.members[i];
    if (m->key_length == key_length && memcmp(m->key, key, key_length) == 0)
      return m->value;
  }
  return NULL;
}

const char *cm_json_string(const cm_json *value) {
  return value != NULL && value->kind == CM_JSON_STRING ? value->as.string.bytes
                                                        : NULL;
}

bool cm_json_uint64(const cm_json *value, uint64_t *out) {
  if (value == NULL || value->kind != CM_JSON_NUMBER)
    return false;
  const char *s = value->as.number.text;
  uint64_t result = 0;
  if (*s == '\0')
    return false;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9')
      return false; /* sign, fraction or exponent */
    unsigned digit = (unsigned)(*s - '0');
    if (result > (UINT64_MAX - digit) / 10)
      return false;
    result = result * 10 + digit;
  }
  *out = result;
  return true;
}
