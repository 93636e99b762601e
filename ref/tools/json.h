/* A small, strict JSON reader (RFC 8259) that builds a read-only tree.
 *
 * Strict means: no comments, no trailing commas, no leading zeros, no NaN or
 * Infinity, no unescaped control characters, strings must be valid UTF-8 and
 * \u escapes must pair their surrogates. Nesting is limited to
 * CM_JSON_MAX_DEPTH so hostile input cannot exhaust the C stack. Every node
 * lives in one arena owned by the cm_json_doc; freeing the document frees
 * the whole tree. Errors carry the line and column (1-based; the column counts
 * characters, not bytes) and say what was expected. */
#ifndef CANMEM_JSON_H
#define CANMEM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CM_JSON_MAX_DEPTH 256

typedef enum {
  CM_JSON_NULL,
  CM_JSON_BOOL,
  CM_JSON_NUMBER,
  CM_JSON_STRING,
  CM_JSON_ARRAY,
  CM_JSON_OBJECT,
} cm_json_kind;

typedef struct cm_json cm_json;

typedef struct {
  const char *key; /* UTF-8, NUL-terminated; may also contain NUL bytes */
  size_t key_length;
  cm_json *value;
} cm_json_member;

struct cm_json {
  cm_json_kind kind;
  uint32_t line, column; /* where the value starts */
  union {
    bool boolean;
    struct {
      double value;
      const char *text; /* the literal as written, for exact integers */
    } number;
    struct {
      const char *bytes; /* UTF-8, NUL-terminated; may also contain NUL */
      size_t length;
    } string;
    struct {
      cm_json **items;
      size_t count;
    } array;
    struct {
      cm_json_member *members; /* in document order; keys may repeat */
      size_t count;
    } object;
  } as;
};

typedef struct {
  uint32_t line, column;
  char message[160];
} cm_json_error;

typedef struct cm_json_doc cm_json_doc;

/* Parse size bytes of text (no terminating NUL needed). On failure returns
 * NULL and fills err (when not NULL); running out of memory is reported the
 * same way. */
cm_json_doc *cm_json_parse(const char *text, size_t size, cm_json_error *err);
const cm_json *cm_json_root(const cm_json_doc *doc);
void cm_json_free(cm_json_doc *doc);

const char *cm_json_kind_name(cm_json_kind kind);

/* The first member called key, or NULL when there is none or `object` is
 * not an object (or is NULL). */
const cm_json *cm_json_get(const cm_json *object, const char *key);
/* The string's bytes when `value` is a string, else NULL. */
const char *cm_json_string(const cm_json *value);
/* True when `value` is a number written as a non-negative integer that
 * fits 64 bits (no fraction, no exponent); *out receives it exactly. */
bool cm_json_uint64(const cm_json *value, uint64_t *out);

#endif
