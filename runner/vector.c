/* canmem runner: a vector file as a header, modules and steps with their
 * expectations (docs/vector-format.md). Every error names the line and
 * column and says what was expected there. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"
#include "file.h"

#define MAX_FILE_SIZE (4u << 20)

static char *dup_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, s, n);
  return copy;
}

static char *dup_bytes(const char *s, size_t n) {
  char *copy = malloc(n + 1);
  if (copy) {
    memcpy(copy, s, n);
    copy[n] = '\0';
  }
  return copy;
}

/* Grow *array (of elem bytes) to hold one more element. */
static bool grow(void **array, size_t count, size_t elem) {
  if (count & (count - 1)) /* not a power of two: room left */
    return true;
  size_t cap = count ? count * 2 : 1;
  void *grown = realloc(*array, cap * elem);
  if (!grown)
    return false;
  *array = grown;
  return true;
}

static bool append_string(char ***list, size_t *count, const char *s) {
  if (!grow((void **)list, *count, sizeof **list))
    return false;
  char *copy = dup_string(s);
  if (!copy)
    return false;
  (*list)[(*count)++] = copy;
  return true;
}

static bool contains(char *const *list, size_t count, const char *s) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(list[i], s) == 0)
      return true;
  return false;
}

/* The line and column of text[offset], counting on from text[from] at
 * *line:*column (a node's known position: scanning from the start for
 * each of 10,000 modules was quadratic). */
static void position_from(const char *text, size_t from, size_t offset,
                          uint32_t *line, uint32_t *column) {
  for (size_t i = from; i < offset; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *column = 1;
    } else {
      (*column)++;
    }
  }
}

static void position_of(const char *text, size_t offset, uint32_t *line,
                        uint32_t *column) {
  *line = 1;
  *column = 1;
  position_from(text, 0, offset, line, column);
}

/* ---- Rule IDs ---- */

/* SM32-4G-1, EDGE-OVF: capitals and digits in dash-separated parts. */
static bool rule_id_syntax(const char *id) {
  if (!isupper((unsigned char)id[0]))
    return false;
  int parts = 1;
  bool empty_part = false;
  for (const char *p = id; *p; p++) {
    if (*p == '-') {
      if (empty_part)
        return false;
      parts++;
      empty_part = true;
    } else if (isupper((unsigned char)*p) || isdigit((unsigned char)*p)) {
      empty_part = false;
    } else {
      return false;
    }
  }
  return parts >= 2 && !empty_part;
}

bool cmr_rule_list_parse(cmr_rule_list *list, const char *text, size_t size,
                         const char *source, cmr_error *err) {
  memset(list, 0, sizeof *list);
  size_t pos = 0;
  uint32_t line = 0;
  while (pos < size) {
    line++;
    size_t start = pos;
    while (pos < size && text[pos] != '\n')
      pos++;
    size_t end = pos;
    if (pos < size)
      pos++;
    /* Indented lines carry a rule's catalogue fields (statement, source,
     * status, readings): the runner needs only the IDs. */
    if (start == end || text[start] == ' ' || text[start] == '\t' ||
        text[start] == '#' || text[start] == '\r')
      continue;
    size_t id_end = start;
    while (id_end < end && !isspace((unsigned char)text[id_end]))
      id_end++;
    char id[64];
    if (id_end - start >= sizeof id) {
      cmr_rule_list_free(list);
      return cmr_fail(err, line, 1, "%s:%u: rule ID too long", source, line);
    }
    memcpy(id, text + start, id_end - start);
    id[id_end - start] = '\0';
    if (!rule_id_syntax(id)) {
      cmr_rule_list_free(list);
      return cmr_fail(err, line, 1,
                      "%s:%u: '%s' is not a rule ID (like SM64-GROW-1)", source,
                      line, id);
    }
    if (cmr_rule_list_contains(list, id)) {
      cmr_rule_list_free(list);
      return cmr_fail(err, line, 1, "%s:%u: rule %s listed twice", source, line,
                      id);
    }
    if (!append_string(&list->ids, &list->count, id)) {
      cmr_rule_list_free(list);
      return cmr_fail(err, line, 1, "out of memory");
    }
  }
  return true;
}

static bool read_file(const char *path, char **text, size_t *size,
                      cmr_error *err) {
  char why[300];
  *text = cm_read_file(path, MAX_FILE_SIZE, size, why, sizeof why);
  return *text || cmr_fail(err, 0, 0, "%s", why);
}

bool cmr_rule_list_load(cmr_rule_list *list, const char *path, cmr_error *err) {
  char *text;
  size_t size;
  memset(list, 0, sizeof *list);
  if (!read_file(path, &text, &size, err))
    return false;
  bool ok = cmr_rule_list_parse(list, text, size, path, err);
  free(text);
  return ok;
}

bool cmr_rule_list_contains(const cmr_rule_list *list, const char *id) {
  return contains(list->ids, list->count, id);
}

void cmr_rule_list_free(cmr_rule_list *list) {
  for (size_t i = 0; i < list->count; i++)
    free(list->ids[i]);
  free(list->ids);
  memset(list, 0, sizeof *list);
}

/* ---- Paths ---- */

char *cmr_vector_id(const char *path) {
  const char *start = path;
  for (const char *p = path; (p = strstr(p, "vectors/")) != NULL; p++)
    if (p == path || p[-1] == '/')
      start = p + strlen("vectors/");
  while (start[0] == '.' && start[1] == '/')
    start += 2;
  size_t n = strlen(start);
  if (n > 5 && strcmp(start + n - 5, ".wast") == 0)
    n -= 5;
  return dup_bytes(start, n);
}

/* ---- Parsing ---- */

typedef struct {
  cmr_vector *v;
  const cmr_rule_list *rules;
  cmr_error *err;
  /* module names seen, for duplicates in constant time (a vector may have
   * 10,000 modules): open addressing, module index + 1, 0 empty */
  size_t *names;
  size_t name_slots; /* a power of two, or 0 */
} parser;

static size_t name_hash(const char *name) {
  uint64_t h = 1469598103934665603ull; /* FNV-1a */
  for (; *name; name++)
    h = (h ^ (unsigned char)*name) * 1099511628211ull;
  return (size_t)(h ^ (h >> 32));
}

/* The module named name so far, or SIZE_MAX. */
static size_t module_named(const parser *p, const char *name) {
  if (!p->name_slots)
    return SIZE_MAX;
  for (size_t i = name_hash(name) & (p->name_slots - 1);; 
       i = (i + 1) & (p->name_slots - 1)) {
    size_t slot = p->names[i];
    if (!slot)
      return SIZE_MAX;
    if (strcmp(p->v->modules[slot - 1].name, name) == 0)
      return slot - 1;
  }
}

/* Records module index (named already); false when out of memory. */
static bool remember_module(parser *p, size_t index) {
  if ((index + 1) * 2 > p->name_slots) { /* at most half full */
    size_t slots = p->name_slots ? p->name_slots * 2 : 64;
    size_t *names = calloc(slots, sizeof *names);
    if (!names)
      return false;
    free(p->names);
    p->names = names;
    p->name_slots = slots;
    for (size_t k = 0; k < index; k++)
      remember_module(p, k);
  }
  size_t i = name_hash(p->v->modules[index].name) & (p->name_slots - 1);
  while (p->names[i])
    i = (i + 1) & (p->name_slots - 1);
  p->names[i] = index + 1;
  return true;
}

static bool fail_at(parser *p, const cmr_sx *node, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static bool fail_at(parser *p, const cmr_sx *node, const char *fmt, ...) {
  p->err->line = node->line;
  p->err->column = node->column;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(p->err->message, sizeof p->err->message, fmt, ap);
  va_end(ap);
  return false;
}

static bool out_of_memory(parser *p, const cmr_sx *node) {
  return fail_at(p, node, "out of memory");
}

bool cmr_vector_require(cmr_vector *v, const char *name) {
  return contains(v->requires, v->require_count, name) ||
         append_string(&v->requires, &v->require_count, name);
}

static bool add_requirement(parser *p, const cmr_sx *where, const char *name) {
  return cmr_vector_require(p->v, name) || out_of_memory(p, where);
}

static bool parse_header(parser *p, const cmr_sx *form) {
  cmr_vector *v = p->v;
  if (form->count < 2 || form->items[1].kind != CMR_SX_STRING)
    return fail_at(p, form->count < 2 ? form : &form->items[1],
                   "expected the vector's title as a string: "
                   "(vector \"what it checks\" (rules ...) ...)");
  if (form->items[1].size == 0 ||
      strlen(form->items[1].text) != form->items[1].size)
    return fail_at(p, &form->items[1], "the title must be non-empty text");
  if (!(v->title = dup_string(form->items[1].text)))
    return out_of_memory(p, form);
  bool seen_rules = false;
  for (size_t i = 2; i < form->count; i++) {
    const cmr_sx *item = &form->items[i];
    const char *head = item->kind == CMR_SX_LIST && item->count
                           ? cmr_sx_atom(&item->items[0])
                           : NULL;
    if (!head)
      return fail_at(p, item,
                     "expected (rules ...), (requires ...), (history ...), "
                     "(minimum ...), (maximum ...), (tags ...) or "
                     "(notes \"...\") in the vector header");
    if (strcmp(head, "rules") == 0) {
      if (seen_rules)
        return fail_at(p, item, "(rules ...) given twice");
      seen_rules = true;
      if (item->count < 2)
        return fail_at(p, item, "(rules ...) needs at least one rule ID");
      for (size_t k = 1; k < item->count; k++) {
        const char *id = cmr_sx_atom(&item->items[k]);
        if (!id || !rule_id_syntax(id))
          return fail_at(p, &item->items[k],
                         "expected a rule ID like SM64-GROW-1");
        if (p->rules && !cmr_rule_list_contains(p->rules, id))
          return fail_at(p, &item->items[k],
                         "unknown rule ID '%s' (not in suite/rules.txt)", id);
        if (contains(v->rules, v->rule_count, id))
          return fail_at(p, &item->items[k], "rule %s listed twice", id);
        if (!append_string(&v->rules, &v->rule_count, id))
          return out_of_memory(p, item);
      }
    } else if (strcmp(head, "requires") == 0) {
      for (size_t k = 1; k < item->count; k++) {
        const char *name = cmr_sx_atom(&item->items[k]);
        if (!name || !cmr_requirement_find(name))
          return fail_at(p, &item->items[k],
                         "unknown capability '%s' (see "
                         "suite/capabilities.txt)",
                         name ? name : "(not a name)");
        if (!add_requirement(p, &item->items[k], name))
          return false;
      }
    } else if (strcmp(head, "history") == 0) {
      if (item->count < 2)
        return fail_at(p, item, "(history ...) needs at least one name");
      for (size_t k = 1; k < item->count; k++) {
        const char *name = cmr_sx_atom(&item->items[k]);
        const cmr_requirement *r = name ? cmr_requirement_find(name) : NULL;
        if (!r)
          return fail_at(p, &item->items[k],
                         "unknown capability '%s' (see "
                         "suite/capabilities.txt)",
                         name ? name : "(not a name)");
        if (!r->feature)
          return fail_at(p, &item->items[k],
                         "'%s' is no profile feature: (history ...) names "
                         "features that arrived in some version",
                         name);
        if (contains(v->history, v->history_count, name))
          return fail_at(p, &item->items[k], "%s listed twice", name);
        if (!append_string(&v->history, &v->history_count, name))
          return out_of_memory(p, item);
      }
    } else if (strcmp(head, "minimum") == 0 ||
               strcmp(head, "maximum") == 0) {
      bool least = strcmp(head, "minimum") == 0;
      if (item->count < 2)
        return fail_at(p, item, "(%s (KEY EXPR) ...) needs at least one limit",
                       head);
      for (size_t k = 1; k < item->count; k++) {
        const cmr_sx *pair = &item->items[k];
        const char *key = pair->kind == CMR_SX_LIST && pair->count == 2
                              ? cmr_sx_atom(&pair->items[0])
                              : NULL;
        if (!key)
          return fail_at(p, pair,
                         "expected (KEY EXPR), a profile limit and its "
                         "%s value, e.g. (max_heap_wasm32 (* 64 page))",
                         least ? "least" : "greatest");
        if (!cmr_expr_check(&pair->items[0], p->err) ||
            !cmr_expr_check(&pair->items[1], p->err))
          return false;
        const cmr_sx ***list = least ? &v->minimums : &v->maximums;
        size_t *count = least ? &v->minimum_count : &v->maximum_count;
        if (!grow((void **)list, *count, sizeof **list))
          return out_of_memory(p, item);
        (*list)[(*count)++] = pair;
      }
    } else if (strcmp(head, "tags") == 0) {
      for (size_t k = 1; k < item->count; k++) {
        const char *tag = cmr_sx_atom(&item->items[k]);
        if (!tag)
          return fail_at(p, &item->items[k], "expected a tag (a name)");
        if (!contains(v->tags, v->tag_count, tag) &&
            !append_string(&v->tags, &v->tag_count, tag))
          return out_of_memory(p, item);
      }
    } else if (strcmp(head, "notes") == 0) {
      if (v->notes)
        return fail_at(p, item, "(notes ...) given twice");
      size_t total = 0;
      for (size_t k = 1; k < item->count; k++) {
        if (item->items[k].kind != CMR_SX_STRING)
          return fail_at(p, &item->items[k], "expected notes as strings");
        total += item->items[k].size + 1;
      }
      if (!(v->notes = malloc(total + 1)))
        return out_of_memory(p, item);
      size_t pos = 0;
      for (size_t k = 1; k < item->count; k++) {
        if (pos)
          v->notes[pos++] = ' ';
        memcpy(v->notes + pos, item->items[k].text, item->items[k].size);
        pos += item->items[k].size;
      }
      v->notes[pos] = '\0';
    } else {
      return fail_at(p, item,
                     "unknown header item '%s' (expected rules, requires, "
                     "history, minimum, maximum, tags or notes)",
                     head);
    }
  }
  if (!seen_rules)
    return fail_at(p, form,
                   "the vector header needs (rules ID...): the rule IDs it "
                   "checks");
  return true;
}

/* A memory field (memory ...) or an import of one: is it memory64? */
static bool memory_is_64(const cmr_sx *memory) {
  for (size_t i = 1; i < memory->count; i++) {
    const cmr_sx *item = &memory->items[i];
    const char *atom = cmr_sx_atom(item);
    if (atom && atom[0] == '$')
      continue;
    if (item->kind == CMR_SX_LIST) /* (export ..) (import ..) */
      continue;
    return atom && strcmp(atom, "i64") == 0;
  }
  return false;
}

/* Whether a tail call (return_call, return_call_indirect) appears anywhere
 * in the field, folded or flat: wat2wasm needs --enable-tail-call then. */
static bool uses_tail_call(const cmr_sx *node) {
  const char *atom = cmr_sx_atom(node);
  if (atom)
    return strncmp(atom, "return_call", strlen("return_call")) == 0;
  if (node->kind != CMR_SX_LIST)
    return false;
  for (size_t i = 0; i < node->count; i++)
    if (uses_tail_call(&node->items[i]))
      return true;
  return false;
}

/* (module $m file "NAME"): a name relative to the vector's folder (and
 * to its mirror in the build tree), read by cmr_vector_load_files. */
static bool parse_file_module(parser *p, const cmr_sx *form, cmr_module *m) {
  if (form->count != 4 || form->items[3].kind != CMR_SX_STRING)
    return fail_at(p, form->count > 4 ? &form->items[4] : form,
                   "expected one file name after 'file': (module $m file "
                   "\"counter.wasm\")");
  const cmr_sx *name = &form->items[3];
  if (name->size == 0 || strlen(name->text) != name->size)
    return fail_at(p, name, "the file name must be non-empty text");
  if (name->text[0] == '/' || strstr(name->text, "..") ||
      name->text[name->size - 1] == '/')
    return fail_at(p, name,
                   "expected a file name relative to the vector's folder, "
                   "without '..', got \"%s\"",
                   name->text);
  if (!(m->file = dup_string(name->text)))
    return out_of_memory(p, form);
  return true;
}

static bool parse_module(parser *p, const cmr_sx *form) {
  cmr_vector *v = p->v;
  if (form->count < 2 || !cmr_sx_atom(&form->items[1]) ||
      form->items[1].text[0] != '$' || form->items[1].size < 2)
    return fail_at(p, form->count < 2 ? form : &form->items[1],
                   "expected a module name like $c after 'module': steps "
                   "name the module they install");
  const char *name = form->items[1].text;
  size_t first = module_named(p, name);
  if (first != SIZE_MAX)
    return fail_at(p, &form->items[1],
                   "module %s is defined twice (first "
                   "at line %u)",
                   name, v->modules[first].line);
  if (!grow((void **)&v->modules, v->module_count, sizeof *v->modules))
    return out_of_memory(p, form);
  cmr_module *m = &v->modules[v->module_count++];
  memset(m, 0, sizeof *m);
  m->form = form;
  m->line = form->line;
  m->column = form->column;
  if (!(m->name = dup_string(name)) ||
      !remember_module(p, v->module_count - 1))
    return out_of_memory(p, form);
  if (form->count >= 3 && cmr_sx_atom(&form->items[2]) &&
      strcmp(form->items[2].text, "binary") == 0) {
    m->binary = true;
    size_t total = 0;
    for (size_t i = 3; i < form->count; i++) {
      if (form->items[i].kind != CMR_SX_STRING)
        return fail_at(p, &form->items[i],
                       "expected strings of bytes after 'binary'");
      total += form->items[i].size;
    }
    if (!(m->bytes = malloc(total ? total : 1)))
      return out_of_memory(p, form);
    for (size_t i = 3; i < form->count; i++) {
      memcpy(m->bytes + m->size, form->items[i].text, form->items[i].size);
      m->size += form->items[i].size;
    }
    return cmr_vector_imply_from_wasm(v, m->bytes, m->size) ||
           out_of_memory(p, form);
  }
  if (form->count >= 3 && cmr_sx_atom(&form->items[2]) &&
      strcmp(form->items[2].text, "file") == 0)
    return parse_file_module(p, form, m);
  m->body_start = form->items[1].end;
  m->body_end = form->end - 1; /* before the closing parenthesis */
  m->body_line = form->items[1].line;
  m->body_column = form->items[1].column;
  position_from(v->source, form->items[1].start, m->body_start, &m->body_line,
                &m->body_column);
  unsigned memories = 0;
  for (size_t i = 2; i < form->count; i++) {
    const cmr_sx *field = &form->items[i];
    if (field->kind != CMR_SX_LIST || !field->count ||
        !cmr_sx_atom(&field->items[0]))
      return fail_at(p, field,
                     "expected a module field like (func ...) or "
                     "(memory ...)");
    const char *head = field->items[0].text;
    if (strcmp(head, "@custom") == 0) {
      if (field->count < 2 || field->items[1].kind != CMR_SX_STRING)
        return fail_at(p, field, "expected (@custom \"name\" \"content\"...)");
      if (!grow((void **)&m->sections, m->section_count, sizeof *m->sections))
        return out_of_memory(p, field);
      cmr_custom_section *s = &m->sections[m->section_count++];
      memset(s, 0, sizeof *s);
      if (!(s->name = dup_bytes(field->items[1].text, field->items[1].size)))
        return out_of_memory(p, field);
      s->name_size = field->items[1].size;
      size_t total = 0;
      for (size_t k = 2; k < field->count; k++) {
        if (field->items[k].kind != CMR_SX_STRING)
          return fail_at(p, &field->items[k],
                         "expected the section's content as strings");
        total += field->items[k].size;
      }
      if (!(s->content = malloc(total ? total : 1)))
        return out_of_memory(p, field);
      for (size_t k = 2; k < field->count; k++) {
        memcpy(s->content + s->size, field->items[k].text,
               field->items[k].size);
        s->size += field->items[k].size;
      }
    } else if (strcmp(head, "func") == 0) {
      if (uses_tail_call(field))
        m->tail_call = true;
    } else if (strcmp(head, "memory") == 0) {
      memories++;
      if (memory_is_64(field))
        m->wasm64 = true;
    } else if (strcmp(head, "import") == 0) {
      for (size_t k = 1; k < field->count; k++)
        if (cmr_sx_is_form(&field->items[k], "memory")) {
          memories++;
          if (memory_is_64(&field->items[k]))
            m->wasm64 = true;
        }
    }
  }
  m->multi_memory = memories > 1;
  return true;
}

static cmr_module *find_module(cmr_vector *v, const char *name, size_t *index) {
  for (size_t i = 0; i < v->module_count; i++)
    if (strcmp(v->modules[i].name, name) == 0) {
      *index = i;
      return &v->modules[i];
    }
  return NULL;
}

static bool parse_args(parser *p, const cmr_sx *form, cmr_step *step) {
  if (step->args)
    return fail_at(p, form, "(arg ...) given twice");
  size_t first = 0;
  const char *type = form->count > 1 ? cmr_sx_atom(&form->items[1]) : NULL;
  if (type && (strcmp(type, "i32") == 0 || strcmp(type, "i64") == 0 ||
               strcmp(type, "bytes") == 0 || strcmp(type, "text") == 0))
    first = 2; /* (arg i64 5): one value */
  size_t n = first ? 1 : form->count - 1;
  step->args = calloc(n ? n : 1, sizeof *step->args);
  if (!step->args)
    return out_of_memory(p, form);
  step->arg_count = n;
  if (first) {
    bool ok = cmr_value_parse(form, first, &step->args[0], p->err);
    return ok;
  }
  for (size_t i = 0; i < n; i++)
    if (!cmr_value_parse(&form->items[i + 1], 0, &step->args[i], p->err))
      return false;
  return true;
}

/* The payload values of an expectation, from items[first]. */
static bool parse_payload(parser *p, const cmr_sx *form, size_t first,
                          cmr_expectation *e) {
  size_t n = form->count > first ? form->count - first : 0;
  if (!n)
    return true;
  e->has_payload = true;
  e->payload = calloc(n, sizeof *e->payload);
  if (!e->payload)
    return out_of_memory(p, form);
  e->payload_count = n;
  for (size_t i = 0; i < n; i++)
    if (!cmr_value_parse(&form->items[first + i], 0, &e->payload[i], p->err))
      return false;
  return true;
}

static bool parse_category(parser *p, const cmr_sx *node, cmr_expectation *e) {
  const char *name = cmr_sx_atom(node);
  if (!name || !cmr_category_by_name(name, &e->category))
    return fail_at(p, node,
                   "expected a category like heap-out-of-bounds, "
                   "stable-out-of-bounds, explicit-trap (see "
                   "docs/adapter-abi.md), got %s",
                   name ? name : "a list");
  e->has_category = true;
  return true;
}

/* Parse KIND ARGS... from form->items[first]. */
static bool parse_expectation_body(parser *p, const cmr_sx *form, size_t first,
                                   cmr_expectation *e, bool allow_one_of) {
  const cmr_sx *kind_node = form->count > first ? &form->items[first] : form;
  const char *kind = cmr_sx_atom(kind_node);
  e->line = kind_node->line;
  e->column = kind_node->column;
  if (!kind)
    return fail_at(p, kind_node,
                   "expected an outcome: reply, reject, trap, no-reply, "
                   "install-rejected, pending, returned%s",
                   allow_one_of ? " or one-of" : "");
  size_t rest = first + 1;
  if (strcmp(kind, "reply") == 0) {
    e->kind = CMR_EXPECT_REPLY;
    return parse_payload(p, form, rest, e);
  }
  if (strcmp(kind, "reject") == 0) {
    e->kind = CMR_EXPECT_REJECT;
    const char *code =
        form->count > rest ? cmr_sx_atom(&form->items[rest]) : NULL;
    if (!code || !cmr_reject_code_by_name(code, &e->reject_code))
      return fail_at(p, form->count > rest ? &form->items[rest] : kind_node,
                     "expected a reject code after 'reject': 1-6 or "
                     "sys-fatal, sys-transient, destination-invalid, "
                     "canister-reject, canister-error, sys-unknown");
    rest++;
    if (form->count > rest && form->items[rest].kind == CMR_SX_ATOM) {
      if (!parse_category(p, &form->items[rest], e))
        return false;
      rest++;
    }
    return parse_payload(p, form, rest, e);
  }
  if (strcmp(kind, "trap") == 0 || strcmp(kind, "install-rejected") == 0) {
    e->kind = kind[0] == 't' ? CMR_EXPECT_TRAP : CMR_EXPECT_INSTALL_REJECTED;
    if (form->count > rest && !parse_category(p, &form->items[rest], e))
      return false;
    if (form->count > rest + 1)
      return fail_at(p, &form->items[rest + 1], "'%s' takes only a category",
                     kind);
    return true;
  }
  if (strcmp(kind, "pending") == 0 || strcmp(kind, "returned") == 0) {
    e->kind = kind[0] == 'p' ? CMR_EXPECT_PENDING : CMR_EXPECT_RETURNED;
    if (form->count > rest && !parse_category(p, &form->items[rest], e))
      return false;
    if (form->count > rest + 1)
      return fail_at(p, &form->items[rest + 1], "'%s' takes only a category",
                     kind);
    return true;
  }
  if (strcmp(kind, "no-reply") == 0) {
    e->kind = CMR_EXPECT_NO_REPLY;
    if (form->count > rest)
      return fail_at(p, &form->items[rest], "'no-reply' takes nothing more");
    return true;
  }
  if (strcmp(kind, "one-of") == 0 && allow_one_of) {
    e->kind = CMR_EXPECT_ONE_OF;
    size_t n = form->count - rest;
    if (n < 2)
      return fail_at(p, kind_node,
                     "one-of needs at least two readings: (one-of (NAME "
                     "OUTCOME...) (NAME OUTCOME...))");
    e->alternatives = calloc(n, sizeof *e->alternatives);
    if (!e->alternatives)
      return out_of_memory(p, form);
    for (size_t i = 0; i < n; i++) {
      const cmr_sx *alt = &form->items[rest + i];
      const char *name = alt->kind == CMR_SX_LIST && alt->count
                             ? cmr_sx_atom(&alt->items[0])
                             : NULL;
      if (!name)
        return fail_at(p, alt,
                       "expected a named reading: (NAME OUTCOME ...), e.g. "
                       "(formal trap heap-out-of-bounds)");
      for (size_t k = 0; k < i; k++)
        if (strcmp(e->alternatives[k].reading, name) == 0)
          return fail_at(p, &alt->items[0], "reading '%s' named twice", name);
      cmr_expectation *a = &e->alternatives[e->alternative_count++];
      if (!(a->reading = dup_string(name)))
        return out_of_memory(p, alt);
      if (!parse_expectation_body(p, alt, 1, a, false))
        return false;
    }
    return true;
  }
  return fail_at(p, kind_node,
                 "unknown outcome '%s' (expected reply, reject, trap, "
                 "no-reply, install-rejected, pending, returned%s)",
                 kind, allow_one_of ? " or one-of" : "");
}

static bool parse_expect(parser *p, const cmr_sx *form) {
  cmr_vector *v = p->v;
  if (!v->step_count)
    return fail_at(p, form, "(expect ...) must follow a step");
  cmr_step *step = &v->steps[v->step_count - 1];
  if (!step->expect.implicit)
    return fail_at(p, form,
                   "this step already has an expectation (line %u); use "
                   "one-of for alternatives",
                   step->expect.line);
  memset(&step->expect, 0, sizeof step->expect);
  return parse_expectation_body(p, form, 1, &step->expect, true);
}

static const struct {
  const char *name;
  cmr_step_kind kind;
} step_names[] = {
    {"install", CMR_STEP_INSTALL},
    {"reinstall", CMR_STEP_REINSTALL},
    {"upgrade", CMR_STEP_UPGRADE},
    {"uninstall", CMR_STEP_UNINSTALL},
    {"update", CMR_STEP_UPDATE},
    {"query", CMR_STEP_QUERY},
    {"replicated-query", CMR_STEP_REPLICATED_QUERY},
    {"inspect-message", CMR_STEP_INSPECT},
    {"system-task", CMR_STEP_SYSTEM_TASK},
    {"settings", CMR_STEP_SETTINGS},
    {"probe", CMR_STEP_PROBE},
    {"take-snapshot", CMR_STEP_TAKE_SNAPSHOT},
    {"load-snapshot", CMR_STEP_LOAD_SNAPSHOT},
    {"delete-snapshot", CMR_STEP_DELETE_SNAPSHOT},
    {"list-snapshots", CMR_STEP_LIST_SNAPSHOTS},
    {"snapshot-metadata", CMR_STEP_SNAPSHOT_METADATA},
    {"snapshot-data", CMR_STEP_SNAPSHOT_DATA},
    {"upload-snapshot-metadata", CMR_STEP_UPLOAD_SNAPSHOT_METADATA},
    {"upload-snapshot-data", CMR_STEP_UPLOAD_SNAPSHOT_DATA},
    {"canister-logs", CMR_STEP_CANISTER_LOGS},
    {"outgoing-calls", CMR_STEP_OUTGOING_CALLS},
    {"respond", CMR_STEP_RESPOND},
};

const char *cmr_step_kind_name(cmr_step_kind kind) {
  for (size_t i = 0; i < sizeof step_names / sizeof step_names[0]; i++)
    if (step_names[i].kind == kind)
      return step_names[i].name;
  return "unknown";
}

static bool parse_bool(const cmr_sx *node, uint32_t *out) {
  const char *atom = cmr_sx_atom(node);
  if (atom && strcmp(atom, "true") == 0)
    *out = 1;
  else if (atom && strcmp(atom, "false") == 0)
    *out = 0;
  else
    return false;
  return true;
}

static bool parse_install_step(parser *p, const cmr_sx *form, cmr_step *step) {
  const char *name = form->count > 1 ? cmr_sx_atom(&form->items[1]) : NULL;
  if (!name || name[0] != '$')
    return fail_at(p, form->count > 1 ? &form->items[1] : form,
                   "expected the name of a module, e.g. (%s $c)",
                   cmr_step_kind_name(step->kind));
  if (!find_module(p->v, name, &step->module))
    return fail_at(p, &form->items[1],
                   "no module named %s (modules are defined before the "
                   "steps that use them)",
                   name);
  bool seen_skip = false, seen_persistence = false;
  for (size_t i = 2; i < form->count; i++) {
    const cmr_sx *opt = &form->items[i];
    const char *head = opt->kind == CMR_SX_LIST && opt->count
                           ? cmr_sx_atom(&opt->items[0])
                           : NULL;
    if (head && strcmp(head, "arg") == 0) {
      if (!parse_args(p, opt, step))
        return false;
    } else if (head && strcmp(head, "gzip") == 0 && opt->count == 1) {
      step->gzip = true;
      if (!add_requirement(p, opt, "gzip"))
        return false;
    } else if (head && strcmp(head, "skip_pre_upgrade") == 0 &&
               step->kind == CMR_STEP_UPGRADE) {
      if (seen_skip || opt->count != 2 ||
          !parse_bool(&opt->items[1], &step->skip_pre_upgrade))
        return fail_at(p, opt, "expected (skip_pre_upgrade true|false), once");
      seen_skip = true;
      if (!add_requirement(p, opt, "skip-pre-upgrade"))
        return false;
    } else if (head && strcmp(head, "wasm_memory_persistence") == 0 &&
               step->kind == CMR_STEP_UPGRADE) {
      const char *mode = opt->count == 2 ? cmr_sx_atom(&opt->items[1]) : NULL;
      if (seen_persistence || !mode ||
          (strcmp(mode, "keep") != 0 && strcmp(mode, "replace") != 0))
        return fail_at(p, opt,
                       "expected (wasm_memory_persistence keep|replace), "
                       "once");
      seen_persistence = true;
      step->wasm_memory_persistence =
          mode[0] == 'k' ? CANMEM_PERSISTENCE_KEEP : CANMEM_PERSISTENCE_REPLACE;
      if (!add_requirement(p, opt, "wasm-memory-persistence"))
        return false;
    } else {
      return fail_at(p, opt,
                     step->kind == CMR_STEP_UPGRADE
                         ? "expected (arg ...), (gzip), (skip_pre_upgrade "
                           "true|false) or (wasm_memory_persistence "
                           "keep|replace)"
                         : "expected (arg ...) or (gzip)");
    }
  }
  if (p->v->modules[step->module].wasm64 && !add_requirement(p, form, "wasm64"))
    return false;
  return true;
}

static bool parse_call_step(parser *p, const cmr_sx *form, cmr_step *step) {
  if (form->count < 2 || form->items[1].kind != CMR_SX_STRING ||
      strlen(form->items[1].text) != form->items[1].size)
    return fail_at(p, form->count > 1 ? &form->items[1] : form,
                   "expected the method name as a string, e.g. (%s "
                   "\"grow\")",
                   cmr_step_kind_name(step->kind));
  if (!(step->method = dup_string(form->items[1].text)))
    return out_of_memory(p, form);
  for (size_t i = 2; i < form->count; i++) {
    if (!cmr_sx_is_form(&form->items[i], "arg"))
      return fail_at(p, &form->items[i], "expected (arg VALUE...)");
    if (!parse_args(p, &form->items[i], step))
      return false;
  }
  if (step->kind == CMR_STEP_REPLICATED_QUERY)
    return add_requirement(p, form, "replicated-query");
  if (step->kind == CMR_STEP_INSPECT)
    return add_requirement(p, form, "inspect-message");
  return true;
}

static bool parse_task_step(parser *p, const cmr_sx *form, cmr_step *step) {
  static const char *const tasks[] = {"heartbeat", "global_timer",
                                      "on_low_wasm_memory"};
  const char *name = form->count == 2 ? cmr_sx_atom(&form->items[1]) : NULL;
  if (name && strncmp(name, "canister_", 9) == 0)
    name += 9;
  size_t i = 0;
  while (name && i < 3 && strcmp(name, tasks[i]) != 0)
    i++;
  if (!name || i == 3)
    return fail_at(p, form->count > 1 ? &form->items[1] : form,
                   "expected (system-task heartbeat|global_timer|"
                   "on_low_wasm_memory)");
  char export_name[64];
  snprintf(export_name, sizeof export_name, "canister_%s", tasks[i]);
  if (!(step->method = dup_string(export_name)))
    return out_of_memory(p, form);
  if (!add_requirement(p, form, "system-tasks"))
    return false;
  return i != 2 || add_requirement(p, form, "low-memory-hook");
}

static bool parse_settings_step(parser *p, const cmr_sx *form, cmr_step *step) {
  if (form->count < 2)
    return fail_at(p, form,
                   "expected (settings (wasm_memory_limit N) "
                   "(wasm_memory_threshold N))");
  for (size_t i = 1; i < form->count; i++) {
    const cmr_sx *field = &form->items[i];
    const char *head = field->kind == CMR_SX_LIST && field->count
                           ? cmr_sx_atom(&field->items[0])
                           : NULL;
    uint32_t bit;
    const cmr_sx **slot;
    const char *requirement;
    if (head && strcmp(head, "wasm_memory_limit") == 0) {
      bit = CANMEM_SETTING_WASM_MEMORY_LIMIT;
      slot = &step->wasm_memory_limit;
      requirement = "wasm-memory-limit";
    } else if (head && strcmp(head, "wasm_memory_threshold") == 0) {
      bit = CANMEM_SETTING_WASM_MEMORY_THRESHOLD;
      slot = &step->wasm_memory_threshold;
      requirement = "low-memory-hook";
    } else {
      return fail_at(p, field,
                     "expected (wasm_memory_limit N) or "
                     "(wasm_memory_threshold N)");
    }
    if (step->settings_fields & bit)
      return fail_at(p, field, "%s given twice", head);
    if (field->count != 2)
      return fail_at(p, field, "expected (%s N): one number or expression",
                     head);
    if (!cmr_expr_check(&field->items[1], p->err))
      return false;
    step->settings_fields |= bit;
    *slot = &field->items[1];
    if (!add_requirement(p, field, requirement))
      return false;
  }
  return true;
}

static bool parse_probe_step(parser *p, const cmr_sx *form, cmr_step *step) {
  const char *what = form->count > 1 ? cmr_sx_atom(&form->items[1]) : NULL;
  size_t operands = 0;
  if (what && strcmp(what, "stable-size") == 0)
    step->probe = CMR_PROBE_STABLE_SIZE;
  else if (what && strcmp(what, "heap-size") == 0)
    step->probe = CMR_PROBE_HEAP_SIZE;
  else if (what && strcmp(what, "stable-bytes") == 0)
    step->probe = CMR_PROBE_STABLE_BYTES, operands = 2;
  else if (what && strcmp(what, "heap-bytes") == 0)
    step->probe = CMR_PROBE_HEAP_BYTES, operands = 2;
  else
    return fail_at(p, form->count > 1 ? &form->items[1] : form,
                   "expected (probe stable-size), (probe heap-size), (probe "
                   "stable-bytes OFFSET SIZE) or (probe heap-bytes OFFSET "
                   "SIZE)");
  if (form->count != 2 + operands)
    return fail_at(p, form, "(probe %s) takes %zu operand%s", what, operands,
                   operands == 1 ? "" : "s");
  if (operands) {
    step->probe_offset = &form->items[2];
    step->probe_size = &form->items[3];
    if (!cmr_expr_check(step->probe_offset, p->err) ||
        !cmr_expr_check(step->probe_size, p->err))
      return false;
  }
  return add_requirement(p, form, "probes");
}

static bool parse_step(parser *p, const cmr_sx *form, cmr_step_kind kind) {
  cmr_vector *v = p->v;
  if (!grow((void **)&v->steps, v->step_count, sizeof *v->steps))
    return out_of_memory(p, form);
  cmr_step *step = &v->steps[v->step_count++];
  memset(step, 0, sizeof *step);
  step->kind = kind;
  step->line = form->line;
  step->column = form->column;
  step->start = form->start;
  step->end = form->end;
  /* Without (expect ...) a step must succeed: system tasks complete
   * without a reply, everything else replies. */
  step->expect.implicit = true;
  step->expect.kind =
      kind == CMR_STEP_SYSTEM_TASK ? CMR_EXPECT_NO_REPLY : CMR_EXPECT_REPLY;
  step->expect.line = form->line;
  step->expect.column = form->column;
  switch (kind) {
  case CMR_STEP_INSTALL:
  case CMR_STEP_REINSTALL:
  case CMR_STEP_UPGRADE: return parse_install_step(p, form, step);
  case CMR_STEP_UNINSTALL:
    if (form->count != 1)
      return fail_at(p, &form->items[1], "(uninstall) takes nothing");
    return true;
  case CMR_STEP_UPDATE:
  case CMR_STEP_QUERY:
  case CMR_STEP_REPLICATED_QUERY:
  case CMR_STEP_INSPECT: return parse_call_step(p, form, step);
  case CMR_STEP_SYSTEM_TASK: return parse_task_step(p, form, step);
  case CMR_STEP_SETTINGS: return parse_settings_step(p, form, step);
  case CMR_STEP_PROBE: return parse_probe_step(p, form, step);
  case CMR_STEP_TAKE_SNAPSHOT:
  case CMR_STEP_LOAD_SNAPSHOT:
  case CMR_STEP_DELETE_SNAPSHOT:
  case CMR_STEP_LIST_SNAPSHOTS:
  case CMR_STEP_SNAPSHOT_METADATA:
  case CMR_STEP_SNAPSHOT_DATA:
  case CMR_STEP_UPLOAD_SNAPSHOT_METADATA:
  case CMR_STEP_UPLOAD_SNAPSHOT_DATA:
  case CMR_STEP_CANISTER_LOGS: return cmr_snap_parse(v, form, step, p->err);
  case CMR_STEP_OUTGOING_CALLS:
    return cmr_parse_outgoing_calls(form, step, p->err) &&
           add_requirement(p, form, "calls");
  case CMR_STEP_RESPOND:
    return cmr_parse_respond(form, step, p->err) &&
           add_requirement(p, form, "calls");
  }
  return fail_at(p, form, "internal: unknown step kind");
}

/* (on $name STEP): *canister becomes $name's number (1 for the first
 * name used, and so on), STEP must be a step's form. */
static bool parse_on(parser *p, const cmr_sx *form, size_t *canister) {
  cmr_vector *v = p->v;
  const char *name = form->count == 3 ? cmr_sx_atom(&form->items[1]) : NULL;
  const cmr_sx *step = form->count == 3 ? &form->items[2] : NULL;
  if (!name || name[0] != '$' || step->kind != CMR_SX_LIST || !step->count ||
      !cmr_sx_atom(&step->items[0]))
    return fail_at(p, form, "expected (on $canister (STEP ...))");
  size_t i = 0;
  while (i < v->canister_count && strcmp(v->canister_names[i], name) != 0)
    i++;
  if (i == v->canister_count) {
    char *copy = dup_string(name);
    if (!copy || !grow((void **)&v->canister_names, v->canister_count,
                       sizeof *v->canister_names)) {
      free(copy);
      return out_of_memory(p, form);
    }
    v->canister_names[v->canister_count++] = copy;
  }
  *canister = i + 1;
  return true;
}

static bool parse_forms(parser *p) {
  cmr_vector *v = p->v;
  if (v->form_count == 0) {
    p->err->line = 1;
    p->err->column = 1;
    snprintf(p->err->message, sizeof p->err->message,
             "empty file: expected (vector \"title\" (rules ...) ...)");
    return false;
  }
  if (!cmr_sx_is_form(&v->forms[0], "vector"))
    return fail_at(p, &v->forms[0],
                   "a vector starts with its header: (vector \"title\" "
                   "(rules ID...) (requires ...) (tags ...) (notes ...))");
  if (!parse_header(p, &v->forms[0]))
    return false;
  for (size_t i = 1; i < v->form_count; i++) {
    const cmr_sx *form = &v->forms[i];
    const char *head = form->kind == CMR_SX_LIST && form->count
                           ? cmr_sx_atom(&form->items[0])
                           : NULL;
    if (!head)
      return fail_at(
          p, form, "expected a module, a step or (expect ...), not %s",
          form->kind == CMR_SX_LIST ? "an empty list" : "a bare value");
    if (strcmp(head, "vector") == 0)
      return fail_at(p, form, "one (vector ...) header per file");
    if (strcmp(head, "module") == 0) {
      if (v->step_count)
        return fail_at(p, form,
                       "modules come before the steps (keeps the vector "
                       "readable top-down)");
      if (!parse_module(p, form))
        return false;
      continue;
    }
    if (strcmp(head, "expect") == 0) {
      if (!parse_expect(p, form))
        return false;
      continue;
    }
    /* (on $b STEP): STEP runs on the vector's canister $b */
    size_t canister = 0;
    const cmr_sx *outer = form;
    if (strcmp(head, "on") == 0) {
      if (!parse_on(p, form, &canister))
        return false;
      form = &form->items[2];
      head = cmr_sx_atom(&form->items[0]);
    }
    size_t k = 0, n = sizeof step_names / sizeof step_names[0];
    while (k < n && strcmp(step_names[k].name, head) != 0)
      k++;
    if (k == n)
      return fail_at(p, form,
                     "unknown form '%s': expected module, install, "
                     "reinstall, upgrade, uninstall, update, query, "
                     "replicated-query, inspect-message, system-task, "
                     "settings, probe, a snapshot step (take-snapshot, "
                     "load-snapshot, delete-snapshot, list-snapshots, "
                     "snapshot-metadata, snapshot-data, "
                     "upload-snapshot-metadata, upload-snapshot-data), "
                     "canister-logs, (on $canister STEP) or expect",
                     head);
    if (!parse_step(p, form, step_names[k].kind))
      return false;
    cmr_step *step = &v->steps[v->step_count - 1];
    step->canister = canister;
    step->start = outer->start;
    step->end = outer->end;
  }
  if (!cmr_snap_require_other(v))
    return out_of_memory(p, &v->forms[0]);
  if (!v->step_count)
    return fail_at(p, &v->forms[0], "the vector has no steps");
  for (size_t i = 0; i < v->module_count; i++) {
    cmr_module *m = &v->modules[i];
    if (m->binary || m->file)
      continue;
    bool stable64 = false;
    if (!cmr_module_scan(m, &stable64, p->err))
      return false;
    if (stable64 && !add_requirement(p, m->form, "stable64"))
      return false;
  }
  /* (history NAME): the vector must need NAME, or the item says nothing */
  for (size_t i = 0; i < v->history_count; i++)
    if (!contains(v->requires, v->require_count, v->history[i]))
      return fail_at(p, &v->forms[0],
                     "(history %s): the vector does not need %s (neither "
                     "(requires ...) nor a step implies it)",
                     v->history[i], v->history[i]);
  return true;
}

bool cmr_vector_parse(cmr_vector *v, const char *path, const char *text,
                      size_t size, const cmr_rule_list *rules, cmr_error *err) {
  memset(v, 0, sizeof *v);
  memset(err, 0, sizeof *err);
  v->path = dup_string(path);
  v->id = cmr_vector_id(path);
  v->source = dup_bytes(text, size);
  if (!v->path || !v->id || !v->source)
    return cmr_fail(err, 0, 0, "out of memory");
  v->source_size = size;
  const char *slash = strchr(v->id, '/');
  v->area = dup_bytes(v->id, slash ? (size_t)(slash - v->id) : 0);
  if (!v->area)
    return cmr_fail(err, 0, 0, "out of memory");
  if (memchr(text, '\0', size)) {
    const char *nul = memchr(text, '\0', size);
    uint32_t line, column;
    position_of(text, (size_t)(nul - text), &line, &column);
    return cmr_fail(err, line, column, "NUL byte in the file");
  }
  if (!cmr_sx_parse(v->source, size, &v->forms, &v->form_count, err))
    return false;
  parser p = {v, rules, err, NULL, 0};
  bool ok = parse_forms(&p);
  free(p.names);
  return ok;
}

bool cmr_vector_load(cmr_vector *v, const char *path,
                     const cmr_rule_list *rules, cmr_error *err) {
  char *text;
  size_t size;
  memset(v, 0, sizeof *v);
  if (!read_file(path, &text, &size, err)) {
    v->path = dup_string(path);
    v->id = cmr_vector_id(path);
    return false;
  }
  bool ok = cmr_vector_parse(v, path, text, size, rules, err);
  free(text);
  return ok;
}

static void free_expectation(cmr_expectation *e) {
  free(e->payload);
  free(e->reading);
  for (size_t i = 0; i < e->alternative_count; i++)
    free_expectation(&e->alternatives[i]);
  free(e->alternatives);
}

static void free_strings(char **list, size_t count) {
  for (size_t i = 0; i < count; i++)
    free(list[i]);
  free(list);
}

void cmr_vector_free(cmr_vector *v) {
  free(v->path);
  free(v->id);
  free(v->area);
  free(v->source);
  cmr_sx_free_all(v->forms, v->form_count);
  free(v->title);
  free_strings(v->rules, v->rule_count);
  free_strings(v->requires, v->require_count);
  free_strings(v->history, v->history_count);
  free_strings(v->tags, v->tag_count);
  free(v->minimums);
  free(v->maximums);
  free(v->notes);
  for (size_t i = 0; i < v->module_count; i++) {
    cmr_module *m = &v->modules[i];
    free(m->name);
    free(m->file);
    free(m->found);
    free(m->bytes);
    free(m->wasm);
    for (size_t k = 0; k < m->section_count; k++) {
      free(m->sections[k].name);
      free(m->sections[k].content);
    }
    free(m->sections);
  }
  free(v->modules);
  for (size_t i = 0; i < v->step_count; i++) {
    free(v->steps[i].method);
    free(v->steps[i].args);
    cmr_snap_free(v->steps[i].snap);
    free_expectation(&v->steps[i].expect);
  }
  free(v->steps);
  free_strings(v->snapshot_names, v->snapshot_name_count);
  free_strings(v->canister_names, v->canister_count);
  free(v->unavailable);
  memset(v, 0, sizeof *v);
}
