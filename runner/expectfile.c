/* canmem runner: per-runtime expectation files (suite/expect/<runtime>).
 * Each line marks the vectors matching a glob as skipped or expected to
 * fail, with a reason:
 *
 *   # comment
 *   stable/grow-past-max     xfail  caps stable memory at 400 GiB (#12)
 *   *low-memory*             skip   no low-memory hook yet
 *
 * Parsing is strict: an unknown mark or a missing reason is an error. */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "file.h"

bool cmr_glob_match(const char *pattern, const char *text) {
  return fnmatch(pattern, text, 0) == 0;
}

static char *copy_range(const char *s, size_t n) {
  char *copy = malloc(n + 1);
  if (copy) {
    memcpy(copy, s, n);
    copy[n] = '\0';
  }
  return copy;
}

bool cmr_expect_file_parse(cmr_expect_file *f, const char *text, size_t size,
                           const char *source, cmr_error *err) {
  memset(f, 0, sizeof *f);
  if (!(f->path = copy_range(source, strlen(source))))
    return cmr_fail(err, 0, 0, "out of memory");
  size_t pos = 0, cap = 0;
  uint32_t line = 0;
  while (pos < size) {
    line++;
    size_t start = pos;
    while (pos < size && text[pos] != '\n')
      pos++;
    size_t end = pos;
    if (pos < size)
      pos++;
    while (end > start && isspace((unsigned char)text[end - 1]))
      end--;
    size_t p = start;
    while (p < end && isspace((unsigned char)text[p]))
      p++;
    if (p == end || text[p] == '#')
      continue;
    size_t pattern_start = p;
    while (p < end && !isspace((unsigned char)text[p]))
      p++;
    size_t pattern_end = p;
    while (p < end && isspace((unsigned char)text[p]))
      p++;
    size_t mark_start = p;
    while (p < end && !isspace((unsigned char)text[p]))
      p++;
    size_t mark_len = p - mark_start;
    while (p < end && isspace((unsigned char)text[p]))
      p++;
    cmr_mark mark;
    if (mark_len == 4 && strncmp(text + mark_start, "skip", 4) == 0)
      mark = CMR_MARK_SKIP;
    else if (mark_len == 5 && strncmp(text + mark_start, "xfail", 5) == 0)
      mark = CMR_MARK_XFAIL;
    else {
      cmr_fail(err, line, (uint32_t)(mark_start - start + 1),
               "%s:%u:%zu: expected 'skip' or 'xfail' after the vector "
               "pattern, got '%.*s'",
               source, line, mark_start - start + 1, (int)mark_len,
               text + mark_start);
      cmr_expect_file_free(f);
      return false;
    }
    if (p == end) {
      cmr_fail(err, line, (uint32_t)(p - start + 1),
               "%s:%u:%zu: expected a reason after '%s' (say why, e.g. "
               "with an issue link)",
               source, line, p - start + 1,
               mark == CMR_MARK_SKIP ? "skip" : "xfail");
      cmr_expect_file_free(f);
      return false;
    }
    if (f->count == cap) {
      cap = cap ? cap * 2 : 8;
      cmr_expect_entry *grown = realloc(f->entries, cap * sizeof *grown);
      if (!grown) {
        cmr_expect_file_free(f);
        return cmr_fail(err, line, 1, "out of memory");
      }
      f->entries = grown;
    }
    cmr_expect_entry *e = &f->entries[f->count];
    memset(e, 0, sizeof *e);
    e->pattern = copy_range(text + pattern_start, pattern_end - pattern_start);
    e->reason = copy_range(text + p, end - p);
    e->mark = mark;
    e->line = line;
    f->count++;
    if (!e->pattern || !e->reason) {
      cmr_expect_file_free(f);
      return cmr_fail(err, line, 1, "out of memory");
    }
  }
  return true;
}

bool cmr_expect_file_load(cmr_expect_file *f, const char *path,
                          cmr_error *err) {
  memset(f, 0, sizeof *f);
  char why[300];
  size_t n;
  char *text = cm_read_file(path, 1u << 20, &n, why, sizeof why);
  if (!text)
    return cmr_fail(err, 0, 0, "%s", why);
  bool ok = cmr_expect_file_parse(f, text, n, path, err);
  free(text);
  return ok;
}

cmr_expect_entry *cmr_expect_file_lookup(cmr_expect_file *f, const char *id) {
  for (size_t i = 0; i < f->count; i++)
    if (cmr_glob_match(f->entries[i].pattern, id)) {
      f->entries[i].used = true;
      return &f->entries[i];
    }
  return NULL;
}

void cmr_expect_file_free(cmr_expect_file *f) {
  for (size_t i = 0; i < f->count; i++) {
    free(f->entries[i].pattern);
    free(f->entries[i].reason);
  }
  free(f->entries);
  free(f->path);
  memset(f, 0, sizeof *f);
}
