/* canmem-wast: runs the official WebAssembly test suite, in the JSON form
 * that wabt's wast2json writes, against the canmem engine.
 *
 * Each JSON file is one script with its own store, its own `spectest` host
 * module and its own registry of named instances. Every command counts as
 * passed, failed or skipped; a failure prints one line that points at the
 * .wast source. Failures are compared by kind (malformed, invalid,
 * unlinkable, uninstantiable, trap, exhausted), never by message text. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "file.h"
#include "spectest.h"
#include "wasm.h"

static const char usage_text[] =
    "usage: canmem-wast [options] FILE.json...\n"
    "\n"
    "Runs the JSON scripts that wabt's wast2json writes (and the .wasm files\n"
    "next to them) on the canmem engine.\n"
    "\n"
    "options:\n"
    "  -h, --help               show this help and exit\n"
    "  -v, --verbose            print every command and its outcome\n"
    "  --skip-file FILE         skip the commands listed in FILE: one entry a\n"
    "                           line, `WAST[:LINE] reason`, '#' comments\n"
    "  --run-skipped            run listed commands anyway; say which pass\n"
    "  --check-trap-text        also require the trap category to match the\n"
    "                           expected message of assert_trap\n"
    "  --instruction-limit N    per invocation, so an engine bug cannot hang\n"
    "                           the run (default 1000000000; 0 = none)\n"
    "  --print                  let spectest.print* write to stdout\n"
    "\n"
    "Text modules (module_type \"text\") are counted as skipped. Prints\n"
    "`FILE: N passed, N failed, N skipped` per file and the totals last.\n"
    "Exit status: 0 all passed, 1 something failed, 2 usage or input error.\n";

enum { DEFAULT_INSTRUCTION_LIMIT = 1000000000 };

/* ---- Small helpers ---- */

static char *copy_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy != NULL)
    memcpy(copy, s, n);
  return copy;
}

/* The array (of *capacity elements of `size` bytes, count in use) with
 * room for one more: itself or a grown copy; NULL when out of memory (the
 * old array is then still valid). */
static void *reserve_one(void *array, size_t count, size_t *capacity,
                         size_t size) {
  if (count < *capacity)
    return array;
  size_t grown = *capacity ? *capacity * 2 : 8;
  if (grown > SIZE_MAX / size)
    return NULL;
  void *p = realloc(array, grown * size);
  if (p != NULL)
    *capacity = grown;
  return p;
}

/* Read a whole file. On failure returns NULL and writes why into why. */
static char *read_file(const char *path, size_t *size, char *why,
                       size_t why_size) {
  return cm_read_file(path, 0, size, why, why_size);
}

/* The directory part of path ("." when there is none), newly allocated. */
static char *directory_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (slash == NULL)
    return copy_string(".");
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  char *dir = malloc(n + 1);
  if (dir != NULL) {
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  return dir;
}

/* ---- Options and tallies ---- */

typedef struct {
  char *file; /* as written: compared with the end of source_filename */
  uint64_t line; /* 0: the whole file */
  char *reason;
  unsigned source_line; /* in the skip file */
  bool file_seen;       /* a script of this file was run */
  bool used;            /* it skipped (or, with --run-skipped, ran) a command */
} skip_entry;

typedef struct {
  skip_entry *entries;
  size_t count, capacity;
  const char *path;
} skip_list;

typedef struct {
  bool verbose;
  bool run_skipped;
  bool check_trap_text;
  bool print;
  uint64_t instruction_limit;
  skip_list skips;
} options;

typedef struct {
  uint64_t passed, failed, skipped;
  bool input_error; /* a file, a command or the skip list could not be read */
} tally;

/* ---- The skip list ---- */

static void free_skip_list(skip_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    free(list->entries[i].file);
    free(list->entries[i].reason);
  }
  free(list->entries);
  list->entries = NULL;
  list->count = list->capacity = 0;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Parse the skip file; false (after printing why) on any error. */
static bool load_skip_list(skip_list *list, const char *path) {
  char why[512];
  size_t size;
  char *text = read_file(path, &size, why, sizeof why);
  if (text == NULL) {
    fprintf(stderr, "canmem-wast: %s\n", why);
    return false;
  }
  list->path = path;
  bool ok = true;
  unsigned line_number = 0;
  size_t pos = 0;
  while (ok && pos < size) {
    size_t start = pos;
    while (pos < size && text[pos] != '\n')
      pos++;
    size_t end = pos;
    pos++; /* past the newline */
    line_number++;
    while (start < end && is_space(text[start]))
      start++;
    while (end > start && is_space(text[end - 1]))
      end--;
    if (start == end || text[start] == '#')
      continue;
    size_t token_end = start;
    while (token_end < end && !is_space(text[token_end]))
      token_end++;
    size_t reason_start = token_end;
    while (reason_start < end && is_space(text[reason_start]))
      reason_start++;
    if (reason_start == end) {
      fprintf(stderr,
              "%s:%u:%zu: error: expected a reason after the file name: "
              "every skip must say why\n",
              path, line_number, token_end - start + 1);
      ok = false;
      break;
    }
    /* FILE or FILE:LINE */
    size_t file_end = token_end;
    uint64_t skip_line = 0;
    size_t colon = token_end;
    while (colon > start && text[colon - 1] != ':')
      colon--;
    if (colon > start) {
      size_t digits = colon;
      bool all_digits = digits < token_end;
      for (size_t k = digits; k < token_end; k++)
        all_digits = all_digits && text[k] >= '0' && text[k] <= '9';
      if (!all_digits) {
        fprintf(stderr,
                "%s:%u:%zu: error: expected a line number after ':'\n", path,
                line_number, colon - start + 1);
        ok = false;
        break;
      }
      for (size_t k = digits; k < token_end && skip_line < UINT32_MAX; k++)
        skip_line = skip_line * 10 + (uint64_t)(text[k] - '0');
      if (skip_line == 0 || skip_line >= UINT32_MAX) {
        fprintf(stderr, "%s:%u:%zu: error: line number out of range\n", path,
                line_number, colon - start + 1);
        ok = false;
        break;
      }
      file_end = colon - 1;
    }
    if (file_end == start) {
      fprintf(stderr, "%s:%u:1: error: expected a file name\n", path,
              line_number);
      ok = false;
      break;
    }
    skip_entry *grown = reserve_one(list->entries, list->count,
                                    &list->capacity, sizeof *list->entries);
    if (grown == NULL) {
      fprintf(stderr, "canmem-wast: out of memory\n");
      ok = false;
      break;
    }
    list->entries = grown;
    skip_entry *e = &list->entries[list->count];
    memset(e, 0, sizeof *e);
    e->file = malloc(file_end - start + 1);
    e->reason = malloc(end - reason_start + 1);
    if (e->file == NULL || e->reason == NULL) {
      free(e->file);
      free(e->reason);
      fprintf(stderr, "canmem-wast: out of memory\n");
      ok = false;
      break;
    }
    memcpy(e->file, text + start, file_end - start);
    e->file[file_end - start] = '\0';
    memcpy(e->reason, text + reason_start, end - reason_start);
    e->reason[end - reason_start] = '\0';
    e->line = skip_line;
    e->source_line = line_number;
    list->count++;
  }
  free(text);
  return ok;
}

/* An entry names a script when it equals its source_filename or ends it
 * after a '/': "memory64/address.wast" matches
 * "proposals/memory64/address.wast" but "address.wast" does not match
 * "memory64/address.wast" unless the path really ends that way. */
static bool skip_file_matches(const char *entry, const char *source) {
  size_t ne = strlen(entry), ns = strlen(source);
  if (ne > ns || strcmp(source + ns - ne, entry) != 0)
    return false;
  return ne == ns || source[ns - ne - 1] == '/';
}

/* ---- Values ---- */

/* What an assert_return expects of one result. */
typedef enum {
  EXPECT_BITS,           /* exactly these bits */
  EXPECT_CANONICAL_NAN,  /* nan:canonical */
  EXPECT_ARITHMETIC_NAN, /* nan:arithmetic */
  EXPECT_NON_NULL_REF,   /* a reference without a value: any non-null one */
} expect_kind;

typedef struct {
  uint8_t type;
  expect_kind kind; /* v128: EXPECT_BITS; `lanes` says what each lane is */
  uint64_t bits;
  /* v128 only: bytes 8..15 (bits holds 0..7), the script's lane shape and
   * what each lane must be (EXPECT_BITS or a NaN pattern for float lanes) */
  uint64_t bits_hi;
  unsigned lane_bits;
  bool lane_float;
  expect_kind lanes[16];
} expected_value;

/* The cm_valtype for a JSON type name, or 0 when we do not know it. */
static uint8_t valtype_from_name(const char *name) {
  static const struct {
    const char *name;
    uint8_t type;
  } names[] = {
      {"i32", CM_I32},         {"i64", CM_I64},
      {"f32", CM_F32},         {"f64", CM_F64},
      {"funcref", CM_FUNCREF}, {"externref", CM_EXTERNREF},
      {"v128", CM_V128},
  };
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if (strcmp(names[i].name, name) == 0)
      return names[i].type;
  return 0;
}

/* An unsigned decimal that fits `max`. */
static bool parse_decimal(const char *s, uint64_t max, uint64_t *out) {
  uint64_t value = 0;
  if (*s == '\0')
    return false;
  for (; *s != '\0'; s++) {
    if (*s < '0' || *s > '9')
      return false;
    unsigned digit = (unsigned)(*s - '0');
    if (value > (max - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

static bool is_nan_bits(uint8_t type, uint64_t bits) {
  if (type == CM_F32)
    return (bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0;
  return (bits & UINT64_C(0x7ff0000000000000)) ==
             UINT64_C(0x7ff0000000000000) &&
         (bits & UINT64_C(0x000fffffffffffff)) != 0;
}

/* A cell as people read it: "i32:-1", "f64:0.5", "f32:nan:0x7fc00000",
 * "externref:3", "funcref:null". */
static void format_cell(char *buf, size_t n, uint8_t type, uint64_t bits) {
  switch (type) {
  case CM_I32:
  case CM_F32:
    if (bits > UINT32_MAX) {
      snprintf(buf, n, "%s:0x%016" PRIx64 "(high bits set)",
               cm_valtype_name(type), bits);
      return;
    }
    if (type == CM_I32) {
      snprintf(buf, n, "i32:%" PRId32, (int32_t)(uint32_t)bits);
    } else if (is_nan_bits(type, bits)) {
      snprintf(buf, n, "f32:nan:0x%08" PRIx64, bits);
    } else {
      uint32_t b32 = (uint32_t)bits;
      float f;
      memcpy(&f, &b32, sizeof f);
      snprintf(buf, n, "f32:%.9g", (double)f);
    }
    return;
  case CM_I64:
    snprintf(buf, n, "i64:%" PRId64, (int64_t)bits);
    return;
  case CM_F64:
    if (is_nan_bits(type, bits)) {
      snprintf(buf, n, "f64:nan:0x%016" PRIx64, bits);
    } else {
      double d;
      memcpy(&d, &bits, sizeof d);
      snprintf(buf, n, "f64:%.17g", d);
    }
    return;
  case CM_FUNCREF:
    snprintf(buf, n, bits ? "funcref:<function>" : "funcref:null");
    return;
  case CM_EXTERNREF:
    if (bits == 0)
      snprintf(buf, n, "externref:null");
    else
      snprintf(buf, n, "externref:%" PRIu64, bits - 1);
    return;
  }
  snprintf(buf, n, "%s:0x%" PRIx64, cm_valtype_name(type), bits);
}

/* Lane i (of `bits` bits) of the v128 in cells lo, hi. */
static uint64_t v128_lane(uint64_t lo, uint64_t hi, unsigned bits,
                          unsigned i) {
  unsigned at = i * bits;
  uint64_t cell = at < 64 ? lo : hi;
  uint64_t mask = bits == 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
  return (cell >> (at % 64)) & mask;
}

/* A v128 as four i32 lanes in hex, lane 0 first: "v128:[0x1 0x0 0x0 0x0]". */
static void format_v128(char *buf, size_t n, uint64_t lo, uint64_t hi) {
  snprintf(buf, n, "v128:[0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64 " 0x%" PRIx64
                   "]",
           v128_lane(lo, hi, 32, 0), v128_lane(lo, hi, 32, 1),
           v128_lane(lo, hi, 32, 2), v128_lane(lo, hi, 32, 3));
}

/* An expected v128 in its script's lane shape: "v128:f32x4[nan:canonical
 * 0x3f800000 ...]". */
static void format_expected_v128(char *buf, size_t n,
                                 const expected_value *e) {
  unsigned count = 128 / e->lane_bits;
  int used = snprintf(buf, n, "v128:%c%ux%u[", e->lane_float ? 'f' : 'i',
                      e->lane_bits, count);
  for (unsigned i = 0; i < count && used >= 0 && (size_t)used < n; i++) {
    const char *sep = i ? " " : "";
    if (e->lanes[i] == EXPECT_CANONICAL_NAN)
      used += snprintf(buf + used, n - (size_t)used, "%snan:canonical", sep);
    else if (e->lanes[i] == EXPECT_ARITHMETIC_NAN)
      used += snprintf(buf + used, n - (size_t)used, "%snan:arithmetic", sep);
    else
      used += snprintf(buf + used, n - (size_t)used, "%s0x%" PRIx64, sep,
                       v128_lane(e->bits, e->bits_hi, e->lane_bits, i));
  }
  if (used >= 0 && (size_t)used < n)
    snprintf(buf + used, n - (size_t)used, "]");
}

static void format_expected(char *buf, size_t n, const expected_value *e) {
  if (e->type == CM_V128) {
    format_expected_v128(buf, n, e);
    return;
  }
  switch (e->kind) {
  case EXPECT_BITS:
    format_cell(buf, n, e->type, e->bits);
    return;
  case EXPECT_CANONICAL_NAN:
    snprintf(buf, n, "%s:nan:canonical", cm_valtype_name(e->type));
    return;
  case EXPECT_ARITHMETIC_NAN:
    snprintf(buf, n, "%s:nan:arithmetic", cm_valtype_name(e->type));
    return;
  case EXPECT_NON_NULL_REF:
    snprintf(buf, n, "%s:<non-null>", cm_valtype_name(e->type));
    return;
  }
}

/* A NaN pattern (nan:canonical, nan:arithmetic) of an f32 or f64. */
static bool nan_matches(expect_kind kind, uint8_t type, uint64_t bits) {
  if (kind == EXPECT_CANONICAL_NAN) {
    if (type == CM_F32)
      return bits <= UINT32_MAX && (bits & 0x7fffffffu) == 0x7fc00000u;
    return (bits & UINT64_C(0x7fffffffffffffff)) ==
           UINT64_C(0x7ff8000000000000);
  }
  if (type == CM_F32)
    return bits <= UINT32_MAX && (bits & 0x7fc00000u) == 0x7fc00000u;
  return (bits & UINT64_C(0x7ff8000000000000)) ==
         UINT64_C(0x7ff8000000000000);
}

/* A v128 lane by lane, in the expected value's lane shape. */
static bool v128_matches(const expected_value *e, const cm_val *got) {
  for (unsigned i = 0; i < 128 / e->lane_bits; i++) {
    uint64_t lane = v128_lane(got->bits, got->bits_hi, e->lane_bits, i);
    if (e->lanes[i] == EXPECT_BITS) {
      if (lane != v128_lane(e->bits, e->bits_hi, e->lane_bits, i))
        return false;
    } else if (!nan_matches(e->lanes[i], e->lane_bits == 32 ? CM_F32 : CM_F64,
                            lane)) {
      return false;
    }
  }
  return true;
}

static bool value_matches(const expected_value *e, const cm_val *got) {
  if (got->type != e->type)
    return false;
  if (e->type == CM_V128)
    return v128_matches(e, got);
  switch (e->kind) {
  case EXPECT_BITS:
    return got->bits == e->bits;
  case EXPECT_NON_NULL_REF:
    return got->bits != 0;
  case EXPECT_CANONICAL_NAN:
  case EXPECT_ARITHMETIC_NAN:
    return nan_matches(e->kind, e->type, got->bits);
  }
  return false;
}

/* ---- Script state ---- */

typedef struct {
  char *name; /* a module variable ("$M") or a registered name */
  cm_instance *inst;
} named_instance;

typedef struct {
  const options *opt;
  skip_list *skips;
  const char *json_path;
  char *dir;          /* where the JSON lives: modules load from there */
  const char *source; /* source_filename: the .wast, for messages */
  cm_store *store;
  cm_spectest *spectest;
  cm_module **modules; /* every module decoded: instances point into them */
  size_t nmodules, modules_capacity;
  named_instance *named; /* module variables, later ones shadow earlier */
  size_t nnamed, named_capacity;
  named_instance *registered; /* register "as" names, later ones shadow */
  size_t nregistered, registered_capacity;
  cm_instance *current; /* the last module command's instance, or NULL */
  tally t;
} script;

typedef enum { RESULT_PASS, RESULT_FAIL, RESULT_SKIP } command_result;

/* The command being run, for messages. */
typedef struct {
  const cm_json *node;
  const char *type;
  uint64_t line;
  char what[320]; /* "assert_return (invoke "add" i32:1 i32:2)" */
  /* The action whose text `what` still lacks: formatting every argument
   * of every command cost about a tenth of a run, and only messages read
   * it (command_what). */
  const cm_json *action;
  const char *skip_reason; /* with RESULT_SKIP */
} command;

static const char *command_what(script *sc, command *c);

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void report_failure(script *sc, command *c, const char *fmt, ...) {
  printf("%s:%" PRIu64 ": %s: ", sc->source, c->line, command_what(sc, c));
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
}

/* Bad input: the JSON does not say what a wast2json script says. It points
 * at the JSON node, and counts as a failure of the command. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void report_input_error(script *sc, const cm_json *node,
                               const char *fmt, ...) {
  if (node != NULL)
    printf("%s:%u:%u: error: ", sc->json_path, (unsigned)node->line,
           (unsigned)node->column);
  else
    printf("%s: error: ", sc->json_path);
  va_list ap;
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  putchar('\n');
  sc->t.input_error = true;
}

static const cm_json *require_member(script *sc, const cm_json *object,
                                     const char *key, cm_json_kind kind) {
  const cm_json *value = cm_json_get(object, key);
  if (value == NULL) {
    report_input_error(sc, object, "missing \"%s\" (a %s)", key,
                       cm_json_kind_name(kind));
    return NULL;
  }
  if (value->kind != kind) {
    report_input_error(sc, value, "\"%s\" must be a %s, not a %s", key,
                       cm_json_kind_name(kind), cm_json_kind_name(value->kind));
    return NULL;
  }
  return value;
}

static const char *require_string(script *sc, const cm_json *object,
                                  const char *key) {
  return cm_json_string(require_member(sc, object, key, CM_JSON_STRING));
}

/* An optional string member: NULL when absent; *bad when of another kind. */
static const char *optional_string(script *sc, const cm_json *object,
                                   const char *key, bool *bad) {
  const cm_json *value = cm_json_get(object, key);
  if (value == NULL)
    return NULL;
  if (value->kind != CM_JSON_STRING) {
    report_input_error(sc, value, "\"%s\" must be a string, not a %s", key,
                       cm_json_kind_name(value->kind));
    *bad = true;
    return NULL;
  }
  return value->as.string.bytes;
}

static bool add_named(named_instance **list, size_t *count, size_t *capacity,
                      const char *name, cm_instance *inst) {
  char *copy = copy_string(name);
  named_instance *grown =
      copy ? reserve_one(*list, *count, capacity, sizeof **list) : NULL;
  if (grown == NULL) {
    free(copy);
    return false;
  }
  *list = grown;
  (*list)[*count].name = copy;
  (*list)[*count].inst = inst;
  (*count)++;
  return true;
}

static cm_instance *find_named(const named_instance *list, size_t count,
                               const char *name) {
  for (size_t i = count; i-- > 0;)
    if (strcmp(list[i].name, name) == 0)
      return list[i].inst;
  return NULL;
}

/* ---- Parsing constants ---- */

/* The cell of a JSON value string of the given type: decimal bit patterns
 * for numbers, "null" for references, N for the externref cell N+1 (so a
 * host value 0 is not the null reference). Functions have no number in a
 * script, so a funcref can only be null. */
static bool parse_cell(uint8_t type, const char *value, uint64_t *bits) {
  switch (type) {
  case CM_I32:
  case CM_F32:
    return parse_decimal(value, UINT32_MAX, bits);
  case CM_I64:
  case CM_F64:
    return parse_decimal(value, UINT64_MAX, bits);
  case CM_FUNCREF:
    *bits = 0;
    return strcmp(value, "null") == 0;
  case CM_EXTERNREF:
    if (strcmp(value, "null") == 0) {
      *bits = 0;
      return true;
    }
    if (!parse_decimal(value, UINT64_MAX - 1, bits))
      return false;
    (*bits)++;
    return true;
  }
  return false;
}

/* The "type" of a constant. false after reporting an input error. */
static bool parse_const_type(script *sc, const cm_json *node, uint8_t *type) {
  if (node->kind != CM_JSON_OBJECT) {
    report_input_error(sc, node, "a value must be an object, not a %s",
                       cm_json_kind_name(node->kind));
    return false;
  }
  const char *type_name = require_string(sc, node, "type");
  if (type_name == NULL)
    return false;
  *type = valtype_from_name(type_name);
  if (*type == 0) {
    report_input_error(sc, node, "unknown value type \"%s\"", type_name);
    return false;
  }
  return true;
}

/* {"type": "v128", "lane_type": "i8".."f64", "value": [lanes]}: each lane
 * an unsigned decimal of its width, or, where `patterns` allows it (an
 * expected result), a NaN pattern in a float lane. */
static bool parse_v128(script *sc, const cm_json *node, bool patterns,
                       expected_value *out) {
  static const struct {
    const char *name;
    unsigned bits;
    bool is_float;
  } shapes[] = {{"i8", 8, false},   {"i16", 16, false}, {"i32", 32, false},
                {"i64", 64, false}, {"f32", 32, true},  {"f64", 64, true}};
  const char *lane_type = require_string(sc, node, "lane_type");
  const cm_json *values = require_member(sc, node, "value", CM_JSON_ARRAY);
  if (lane_type == NULL || values == NULL)
    return false;
  out->lane_bits = 0;
  for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++)
    if (strcmp(shapes[i].name, lane_type) == 0) {
      out->lane_bits = shapes[i].bits;
      out->lane_float = shapes[i].is_float;
    }
  if (out->lane_bits == 0) {
    report_input_error(sc, node, "unknown v128 lane type \"%s\"", lane_type);
    return false;
  }
  unsigned count = 128 / out->lane_bits;
  if (values->as.array.count != count) {
    report_input_error(sc, values, "a v128 of %s lanes needs %u values",
                       lane_type, count);
    return false;
  }
  uint64_t max = out->lane_bits == 64 ? UINT64_MAX
                                      : (UINT64_C(1) << out->lane_bits) - 1;
  out->kind = EXPECT_BITS;
  out->bits = out->bits_hi = 0;
  for (unsigned i = 0; i < count; i++) {
    const char *text = cm_json_string(values->as.array.items[i]);
    uint64_t lane = 0;
    out->lanes[i] = EXPECT_BITS;
    if (text != NULL && patterns && out->lane_float &&
        strcmp(text, "nan:canonical") == 0) {
      out->lanes[i] = EXPECT_CANONICAL_NAN;
    } else if (text != NULL && patterns && out->lane_float &&
               strcmp(text, "nan:arithmetic") == 0) {
      out->lanes[i] = EXPECT_ARITHMETIC_NAN;
    } else if (text == NULL || !parse_decimal(text, max, &lane)) {
      report_input_error(sc, values->as.array.items[i],
                         "bad %s lane of a v128", lane_type);
      return false;
    }
    unsigned at = i * out->lane_bits;
    if (at < 64)
      out->bits |= lane << at;
    else
      out->bits_hi |= lane << (at - 64);
  }
  return true;
}

/* {"type": T, "value": V} as an argument of an invoke. */
static bool parse_argument(script *sc, const cm_json *node, cm_val *out) {
  uint8_t type;
  if (!parse_const_type(sc, node, &type))
    return false;
  out->bits_hi = 0;
  if (type == CM_V128) {
    expected_value v;
    if (!parse_v128(sc, node, false, &v))
      return false;
    out->type = CM_V128;
    out->bits = v.bits;
    out->bits_hi = v.bits_hi;
    return true;
  }
  const char *value = require_string(sc, node, "value");
  if (value == NULL)
    return false;
  out->type = type;
  if (!parse_cell(type, value, &out->bits)) {
    report_input_error(sc, node, "bad %s value \"%s\"", cm_valtype_name(type),
                       value);
    return false;
  }
  return true;
}

/* One entry of "expected": a value, a NaN pattern, or a reference type
 * without a value (any non-null reference). */
static bool parse_expected(script *sc, const cm_json *node,
                           expected_value *out) {
  if (!parse_const_type(sc, node, &out->type))
    return false;
  if (out->type == CM_V128)
    return parse_v128(sc, node, true, out);
  out->kind = EXPECT_BITS;
  out->bits = 0;
  bool bad = false;
  const char *value = optional_string(sc, node, "value", &bad);
  if (bad)
    return false;
  bool is_float = out->type == CM_F32 || out->type == CM_F64;
  if (value == NULL) {
    if (out->type == CM_FUNCREF || out->type == CM_EXTERNREF) {
      out->kind = EXPECT_NON_NULL_REF;
      return true;
    }
    report_input_error(sc, node, "missing \"value\" of a %s result",
                       cm_valtype_name(out->type));
    return false;
  }
  if (is_float && strcmp(value, "nan:canonical") == 0) {
    out->kind = EXPECT_CANONICAL_NAN;
    return true;
  }
  if (is_float && strcmp(value, "nan:arithmetic") == 0) {
    out->kind = EXPECT_ARITHMETIC_NAN;
    return true;
  }
  if (!parse_cell(out->type, value, &out->bits)) {
    report_input_error(sc, node, "bad %s value \"%s\"",
                       cm_valtype_name(out->type), value);
    return false;
  }
  return true;
}

/* ---- Describing commands ---- */

/* Append text to buf (of size n, holding a string), truncating. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void append(char *buf, size_t n, const char *fmt, ...) {
  size_t used = strlen(buf);
  if (used + 1 >= n)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf + used, n - used, fmt, ap);
  va_end(ap);
}

/* A name in double quotes with control bytes, quotes and backslashes
 * escaped; other UTF-8 is kept. */
static void append_quoted(char *buf, size_t n, const char *bytes,
                          size_t length) {
  append(buf, n, "\"");
  for (size_t i = 0; i < length && i < 64; i++) {
    unsigned char b = (unsigned char)bytes[i];
    if (b < 0x20 || b == 0x7f || b == '"' || b == '\\')
      append(buf, n, "\\%02x", b);
    else
      append(buf, n, "%c", b);
  }
  append(buf, n, length > 64 ? "...\"" : "\"");
}

static void append_cells(char *buf, size_t n, const cm_val *vals,
                         size_t count) {
  for (size_t i = 0; i < count; i++) {
    char cell[64];
    if (vals[i].type == CM_V128)
      format_v128(cell, sizeof cell, vals[i].bits, vals[i].bits_hi);
    else
      format_cell(cell, sizeof cell, vals[i].type, vals[i].bits);
    append(buf, n, "%s%s", i ? " " : "", cell);
  }
}

/* "ok", "trap [integer-divide-by-zero]", "malformed", ... */
static void describe_status(char *buf, size_t n, const cm_error *err) {
  if (err->status == CM_TRAP || err->status == CM_UNINSTANTIABLE)
    snprintf(buf, n, "%s [%s]", cm_status_name(err->status),
             cm_trap_name(err->trap));
  else
    snprintf(buf, n, "%s", cm_status_name(err->status));
}

/* ---- Actions ---- */

typedef enum {
  PREP_OK,          /* see action_outcome */
  PREP_INPUT_ERROR, /* reported */
} prep_result;

typedef struct {
  bool ran;          /* the engine ran it; else `problem` says why not */
  char problem[300];
  cm_error err;      /* err.status: how it ended */
  cm_val *results;
  uint32_t nresults;
} action_outcome;

static void free_outcome(action_outcome *out) {
  free(out->results);
  out->results = NULL;
}

/* The instance an action or register names: a module variable, or the
 * current module. NULL after writing why into problem. */
static cm_instance *target_instance(script *sc, const char *module_name,
                                    char *problem, size_t n) {
  if (module_name != NULL) {
    cm_instance *inst = find_named(sc->named, sc->nnamed, module_name);
    if (inst == NULL)
      snprintf(problem, n, "no instantiated module called %s", module_name);
    return inst;
  }
  if (sc->current == NULL)
    snprintf(problem, n, "no current module (none was instantiated, or the "
                         "last module command failed)");
  return sc->current;
}

/* c->what with the action's text: "assert_return (invoke "add" i32:1)".
 * The action was read once by run_action, so reading it again succeeds. */
static const char *command_what(script *sc, command *c) {
  const cm_json *action = c->action;
  if (action == NULL)
    return c->what;
  c->action = NULL;
  const cm_json *field = cm_json_get(action, "field");
  const cm_json *kind = cm_json_get(action, "type");
  const cm_json *module = cm_json_get(action, "module");
  const cm_json *args_node = cm_json_get(action, "args");
  if (field == NULL || kind == NULL)
    return c->what;
  snprintf(c->what, sizeof c->what, "%s (%s ", c->type, kind->as.string.bytes);
  if (module != NULL && module->kind == CM_JSON_STRING)
    append(c->what, sizeof c->what, "%s ", module->as.string.bytes);
  append_quoted(c->what, sizeof c->what, field->as.string.bytes,
                field->as.string.length);
  size_t nargs = args_node != NULL && args_node->kind == CM_JSON_ARRAY
                     ? args_node->as.array.count
                     : 0;
  cm_val *args = calloc(nargs ? nargs : 1, sizeof *args);
  bool parsed = args != NULL;
  for (size_t i = 0; parsed && i < nargs; i++)
    parsed = parse_argument(sc, args_node->as.array.items[i], &args[i]);
  if (parsed && nargs > 0) {
    append(c->what, sizeof c->what, " ");
    append_cells(c->what, sizeof c->what, args, nargs);
  }
  free(args);
  append(c->what, sizeof c->what, ")");
  return c->what;
}

/* Run {"type": "invoke"|"get", "module"?, "field", "args"?}. Fills out and
 * remembers the action for command_what. */
static prep_result run_action(script *sc, command *c, const cm_json *action,
                              action_outcome *out) {
  memset(out, 0, sizeof *out);
  const char *kind = require_string(sc, action, "type");
  const cm_json *field = require_member(sc, action, "field", CM_JSON_STRING);
  if (kind == NULL || field == NULL)
    return PREP_INPUT_ERROR;
  bool is_invoke = strcmp(kind, "invoke") == 0;
  if (!is_invoke && strcmp(kind, "get") != 0) {
    report_input_error(sc, action, "unknown action type \"%s\"", kind);
    return PREP_INPUT_ERROR;
  }
  bool bad = false;
  const char *module_name = optional_string(sc, action, "module", &bad);
  if (bad)
    return PREP_INPUT_ERROR;

  const cm_json *args_node = NULL;
  size_t nargs = 0;
  if (is_invoke) {
    args_node = require_member(sc, action, "args", CM_JSON_ARRAY);
    if (args_node == NULL)
      return PREP_INPUT_ERROR;
    nargs = args_node->as.array.count;
  }
  cm_val *args = calloc(nargs ? nargs : 1, sizeof *args);
  if (args == NULL) {
    report_input_error(sc, action, "out of memory");
    return PREP_INPUT_ERROR;
  }
  for (size_t i = 0; i < nargs; i++) {
    if (!parse_argument(sc, args_node->as.array.items[i], &args[i])) {
      free(args);
      return PREP_INPUT_ERROR;
    }
  }

  c->action = action;

  cm_instance *inst =
      target_instance(sc, module_name, out->problem, sizeof out->problem);
  cm_extern ext;
  if (inst == NULL) {
    /* problem says why */
  } else if (!cm_instance_export_n(inst, field->as.string.bytes,
                                   field->as.string.length, &ext)) {
    snprintf(out->problem, sizeof out->problem, "no export called \"%s\"",
             field->as.string.bytes);
  } else if (is_invoke && ext.kind != CM_EXTERN_FUNC) {
    snprintf(out->problem, sizeof out->problem,
             "export \"%s\" is a %s, not a function", field->as.string.bytes,
             cm_externkind_name(ext.kind));
  } else if (!is_invoke && ext.kind != CM_EXTERN_GLOBAL) {
    snprintf(out->problem, sizeof out->problem,
             "export \"%s\" is a %s, not a global", field->as.string.bytes,
             cm_externkind_name(ext.kind));
  } else if (!is_invoke) {
    out->results = malloc(sizeof *out->results);
    if (out->results == NULL) {
      snprintf(out->problem, sizeof out->problem, "out of memory");
    } else {
      out->results[0] = cm_global_get(ext.as.global);
      out->nresults = 1;
      out->ran = true;
      out->err.status = CM_OK;
    }
  } else {
    const cm_functype *type = cm_func_type(ext.as.func);
    bool types_match = type->nparams == nargs;
    for (size_t i = 0; types_match && i < nargs; i++)
      types_match = type->params[i] == args[i].type;
    if (!types_match) {
      snprintf(out->problem, sizeof out->problem,
               "the arguments do not match the type of \"%s\" (%" PRIu32
               " parameters)",
               field->as.string.bytes, type->nparams);
    } else {
      out->results =
          calloc(type->nresults ? type->nresults : 1, sizeof *out->results);
      if (out->results == NULL) {
        snprintf(out->problem, sizeof out->problem, "out of memory");
      } else {
        /* Result types stay 0 here: the engine must set them, and
         * assert_return checks that it set the declared ones. */
        out->nresults = type->nresults;
        memset(&out->err, 0, sizeof out->err);
        out->err.status =
            cm_invoke(sc->store, ext.as.func, args, out->results, &out->err);
        out->ran = true;
      }
    }
  }
  free(args);
  return PREP_OK;
}

/* What an action ended with, for "got ..." */
static void describe_outcome(char *buf, size_t n, const action_outcome *out) {
  buf[0] = '\0';
  if (!out->ran) {
    append(buf, n, "%s", out->problem);
  } else if (out->err.status == CM_OK) {
    append(buf, n, "return (");
    append_cells(buf, n, out->results, out->nresults);
    append(buf, n, ")");
  } else {
    describe_status(buf, n, &out->err);
    append(buf, n, " (%s)", out->err.message);
  }
}

/* ---- Modules ---- */

/* Resolve every import of m by (module name, field) from the registered
 * instances, then the spectest module. A missing import, or one of another
 * kind, makes the module unlinkable; the engine checks the types. */
static cm_extern *resolve_imports(script *sc, const cm_module *m,
                                  cm_error *err) {
  uint32_t n = cm_module_import_count(m);
  cm_extern *imports = calloc(n ? n : 1, sizeof *imports);
  if (imports == NULL) {
    cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE, "out of memory");
    return NULL;
  }
  for (uint32_t i = 0; i < n; i++) {
    const char *module_name = NULL, *name = NULL;
    cm_externkind kind;
    cm_module_import(m, i, &module_name, &name, &kind);
    cm_instance *inst =
        find_named(sc->registered, sc->nregistered, module_name);
    bool found = false;
    if (inst != NULL)
      found = cm_instance_export(inst, name, &imports[i]);
    else if (strcmp(module_name, "spectest") == 0)
      found = cm_spectest_lookup(sc->spectest, name, &imports[i]);
    if (!found) {
      cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE, "unknown import \"%s\".\"%s\"",
              module_name, name);
      free(imports);
      return NULL;
    }
    if (imports[i].kind != kind) {
      cm_fail(err, CM_UNLINKABLE, CM_TRAP_NONE,
              "incompatible import type: \"%s\".\"%s\" is a %s, the module "
              "imports a %s",
              module_name, name, cm_externkind_name(imports[i].kind),
              cm_externkind_name(kind));
      free(imports);
      return NULL;
    }
  }
  return imports;
}

/* Read the command's "filename" (relative to the JSON) and decode it.
 * Returns false after an input error; otherwise *out is the module, or NULL
 * with err saying why it was rejected. The script keeps every module until
 * its store is gone, since instances (and functions placed in other
 * instances' tables) point into it. */
static bool load_module(script *sc, command *c, cm_module **out,
                        cm_error *err) {
  *out = NULL;
  const char *filename = require_string(sc, c->node, "filename");
  if (filename == NULL)
    return false;
  append(c->what, sizeof c->what, " (%s)", filename);
  size_t path_size = strlen(sc->dir) + strlen(filename) + 2;
  char *path = malloc(path_size);
  if (path == NULL) {
    report_input_error(sc, c->node, "out of memory");
    return false;
  }
  if (filename[0] == '/')
    snprintf(path, path_size, "%s", filename);
  else
    snprintf(path, path_size, "%s/%s", sc->dir, filename);
  char why[600];
  size_t size;
  char *bytes = read_file(path, &size, why, sizeof why);
  free(path);
  if (bytes == NULL) {
    report_input_error(sc, c->node, "%s", why);
    return false;
  }
  cm_module **grown = reserve_one(sc->modules, sc->nmodules,
                                  &sc->modules_capacity, sizeof *sc->modules);
  if (grown == NULL) {
    free(bytes);
    report_input_error(sc, c->node, "out of memory");
    return false;
  }
  sc->modules = grown;
  memset(err, 0, sizeof *err);
  *out = cm_module_new((const uint8_t *)bytes, size, err);
  free(bytes);
  if (*out != NULL)
    sc->modules[sc->nmodules++] = *out;
  return true;
}

static cm_instance *instantiate(script *sc, const cm_module *m,
                                cm_error *err) {
  memset(err, 0, sizeof *err);
  cm_extern *imports = resolve_imports(sc, m, err);
  if (imports == NULL)
    return NULL;
  cm_instance *inst =
      cm_instantiate(sc->store, m, imports, cm_module_import_count(m), err);
  free(imports);
  return inst;
}

/* ---- Commands ---- */

static command_result cmd_module(script *sc, command *c) {
  bool bad = false;
  const char *name = optional_string(sc, c->node, "name", &bad);
  if (bad)
    return RESULT_FAIL;
  if (name != NULL)
    append(c->what, sizeof c->what, " %s", name);
  const char *module_type = optional_string(sc, c->node, "module_type", &bad);
  if (bad)
    return RESULT_FAIL;
  /* The current module changes even when this one fails, so later
   * commands do not act on an older module by mistake. */
  sc->current = NULL;
  if (module_type != NULL && strcmp(module_type, "text") == 0) {
    const char *filename = cm_json_string(cm_json_get(c->node, "filename"));
    if (filename != NULL)
      append(c->what, sizeof c->what, " (%s)", filename);
    c->skip_reason = "text module";
    return RESULT_SKIP;
  }
  cm_module *m;
  cm_error err;
  if (!load_module(sc, c, &m, &err))
    return RESULT_FAIL;
  cm_instance *inst = m != NULL ? instantiate(sc, m, &err) : NULL;
  if (inst == NULL) {
    char got[80];
    describe_status(got, sizeof got, &err);
    report_failure(sc, c, "expected ok, got %s (%s)", got, err.message);
    return RESULT_FAIL;
  }
  sc->current = inst;
  if (name != NULL && !add_named(&sc->named, &sc->nnamed,
                                 &sc->named_capacity, name, inst)) {
    report_input_error(sc, c->node, "out of memory");
    return RESULT_FAIL;
  }
  return RESULT_PASS;
}

/* assert_malformed, assert_invalid, assert_unlinkable,
 * assert_uninstantiable and the module form of assert_trap. */
static command_result cmd_assert_module(script *sc, command *c,
                                        cm_status expected) {
  bool bad = false;
  const char *module_type = optional_string(sc, c->node, "module_type", &bad);
  const char *text = optional_string(sc, c->node, "text", &bad);
  if (bad)
    return RESULT_FAIL;
  if (module_type != NULL && strcmp(module_type, "text") == 0) {
    /* It tests the text parser; the engine reads binaries only. */
    const char *filename = cm_json_string(cm_json_get(c->node, "filename"));
    if (filename != NULL)
      append(c->what, sizeof c->what, " (%s)", filename);
    c->skip_reason = "text module";
    return RESULT_SKIP;
  }
  if (module_type != NULL && strcmp(module_type, "binary") != 0) {
    report_input_error(sc, c->node, "unknown module_type \"%s\"",
                       module_type);
    return RESULT_FAIL;
  }
  cm_module *m;
  cm_error err;
  if (!load_module(sc, c, &m, &err))
    return RESULT_FAIL;
  bool decode_only = expected == CM_MALFORMED || expected == CM_INVALID;
  if (m != NULL && !decode_only && instantiate(sc, m, &err) != NULL)
    err.status = CM_OK;
  else if (m != NULL && decode_only)
    err.status = CM_OK;
  if (err.status == expected)
    return RESULT_PASS;
  char got[80];
  describe_status(got, sizeof got, &err);
  if (err.status == CM_OK)
    report_failure(sc, c, "expected %s \"%s\", got ok", cm_status_name(expected),
                   text ? text : "");
  else
    report_failure(sc, c, "expected %s \"%s\", got %s (%s)",
                   cm_status_name(expected), text ? text : "", got,
                   err.message);
  return RESULT_FAIL;
}

/* The trap category the suite's message names; CM_TRAP_NONE when the text
 * is not one we know (then any trap is accepted). */
static cm_trap trap_for_text(const char *text) {
  static const struct {
    const char *prefix;
    cm_trap trap;
  } texts[] = {
      {"unreachable", CM_TRAP_UNREACHABLE},
      {"out of bounds memory access", CM_TRAP_MEMORY_OOB},
      {"out of bounds table access", CM_TRAP_TABLE_OOB},
      {"undefined element", CM_TRAP_TABLE_OOB},
      {"uninitialized element", CM_TRAP_UNINITIALIZED_ELEMENT},
      {"integer divide by zero", CM_TRAP_DIV_ZERO},
      {"integer overflow", CM_TRAP_INT_OVERFLOW},
      {"invalid conversion to integer", CM_TRAP_INVALID_CONVERSION},
      {"indirect call type mismatch", CM_TRAP_INDIRECT_TYPE_MISMATCH},
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    if (strncmp(text, texts[i].prefix, strlen(texts[i].prefix)) == 0)
      return texts[i].trap;
  return CM_TRAP_NONE;
}

/* assert_trap and assert_exhaustion of an action. */
static command_result cmd_assert_failure(script *sc, command *c,
                                         cm_status expected) {
  const cm_json *action = require_member(sc, c->node, "action", CM_JSON_OBJECT);
  if (action == NULL)
    return RESULT_FAIL;
  bool bad = false;
  const char *text = optional_string(sc, c->node, "text", &bad);
  if (bad)
    return RESULT_FAIL;
  if (text == NULL)
    text = "";
  action_outcome out;
  if (run_action(sc, c, action, &out) != PREP_OK)
    return RESULT_FAIL;
  command_result result = RESULT_PASS;
  char got[400];
  describe_outcome(got, sizeof got, &out);
  if (!out.ran || out.err.status != expected) {
    report_failure(sc, c, "expected %s \"%s\", got %s",
                   cm_status_name(expected), text, got);
    result = RESULT_FAIL;
  } else if (expected == CM_TRAP && sc->opt->check_trap_text) {
    cm_trap wanted = trap_for_text(text);
    if (wanted != CM_TRAP_NONE && wanted != out.err.trap) {
      report_failure(sc, c, "expected trap [%s] \"%s\", got %s",
                     cm_trap_name(wanted), text, got);
      result = RESULT_FAIL;
    }
  }
  free_outcome(&out);
  return result;
}

static command_result cmd_assert_return(script *sc, command *c) {
  const cm_json *action = require_member(sc, c->node, "action", CM_JSON_OBJECT);
  const cm_json *expected_node =
      require_member(sc, c->node, "expected", CM_JSON_ARRAY);
  if (action == NULL || expected_node == NULL)
    return RESULT_FAIL;
  size_t nexpected = expected_node->as.array.count;
  expected_value *expected = calloc(nexpected ? nexpected : 1, sizeof *expected);
  if (expected == NULL) {
    report_input_error(sc, c->node, "out of memory");
    return RESULT_FAIL;
  }
  for (size_t i = 0; i < nexpected; i++) {
    if (!parse_expected(sc, expected_node->as.array.items[i], &expected[i])) {
      free(expected);
      return RESULT_FAIL;
    }
  }
  action_outcome out;
  if (run_action(sc, c, action, &out) != PREP_OK) {
    free(expected);
    return RESULT_FAIL;
  }
  bool matches = out.ran && out.err.status == CM_OK &&
                 out.nresults == nexpected;
  for (size_t i = 0; matches && i < nexpected; i++)
    matches = value_matches(&expected[i], &out.results[i]);
  if (!matches) {
    char want[800] = "", got[800];
    append(want, sizeof want, "return (");
    for (size_t i = 0; i < nexpected; i++) {
      char cell[160];
      format_expected(cell, sizeof cell, &expected[i]);
      append(want, sizeof want, "%s%s", i ? " " : "", cell);
    }
    append(want, sizeof want, ")");
    describe_outcome(got, sizeof got, &out);
    report_failure(sc, c, "expected %s, got %s", want, got);
  }
  free_outcome(&out);
  free(expected);
  return matches ? RESULT_PASS : RESULT_FAIL;
}

static command_result cmd_action(script *sc, command *c) {
  const cm_json *action = require_member(sc, c->node, "action", CM_JSON_OBJECT);
  if (action == NULL)
    return RESULT_FAIL;
  action_outcome out;
  if (run_action(sc, c, action, &out) != PREP_OK)
    return RESULT_FAIL;
  bool ok = out.ran && out.err.status == CM_OK;
  if (!ok) {
    char got[400];
    describe_outcome(got, sizeof got, &out);
    report_failure(sc, c, "expected ok, got %s", got);
  }
  free_outcome(&out);
  return ok ? RESULT_PASS : RESULT_FAIL;
}

static command_result cmd_register(script *sc, command *c) {
  const char *as = require_string(sc, c->node, "as");
  bool bad = false;
  const char *name = optional_string(sc, c->node, "name", &bad);
  if (as == NULL || bad)
    return RESULT_FAIL;
  snprintf(c->what, sizeof c->what, "register \"%s\"%s%s", as,
           name ? " " : "", name ? name : "");
  char problem[300];
  cm_instance *inst = target_instance(sc, name, problem, sizeof problem);
  if (inst == NULL) {
    report_failure(sc, c, "expected ok, got %s", problem);
    return RESULT_FAIL;
  }
  if (!add_named(&sc->registered, &sc->nregistered, &sc->registered_capacity,
                 as, inst)) {
    report_input_error(sc, c->node, "out of memory");
    return RESULT_FAIL;
  }
  return RESULT_PASS;
}

static command_result run_command(script *sc, command *c) {
  const char *t = c->type;
  if (strcmp(t, "module") == 0)
    return cmd_module(sc, c);
  if (strcmp(t, "register") == 0)
    return cmd_register(sc, c);
  if (strcmp(t, "action") == 0)
    return cmd_action(sc, c);
  if (strcmp(t, "assert_return") == 0)
    return cmd_assert_return(sc, c);
  if (strcmp(t, "assert_trap") == 0) {
    /* wast2json writes a trapping module as assert_uninstantiable; accept
     * the module form of assert_trap too. */
    if (cm_json_get(c->node, "action") == NULL &&
        cm_json_get(c->node, "filename") != NULL)
      return cmd_assert_module(sc, c, CM_UNINSTANTIABLE);
    return cmd_assert_failure(sc, c, CM_TRAP);
  }
  if (strcmp(t, "assert_exhaustion") == 0)
    return cmd_assert_failure(sc, c, CM_EXHAUSTED);
  if (strcmp(t, "assert_malformed") == 0)
    return cmd_assert_module(sc, c, CM_MALFORMED);
  if (strcmp(t, "assert_invalid") == 0)
    return cmd_assert_module(sc, c, CM_INVALID);
  if (strcmp(t, "assert_unlinkable") == 0)
    return cmd_assert_module(sc, c, CM_UNLINKABLE);
  if (strcmp(t, "assert_uninstantiable") == 0)
    return cmd_assert_module(sc, c, CM_UNINSTANTIABLE);
  report_input_error(sc, c->node, "unknown command type \"%s\"", t);
  return RESULT_FAIL;
}

/* ---- Scripts ---- */

static skip_entry *find_skip(skip_list *skips, const char *source,
                             uint64_t line) {
  for (size_t i = 0; i < skips->count; i++) {
    skip_entry *e = &skips->entries[i];
    if ((e->line == 0 || e->line == line) &&
        skip_file_matches(e->file, source))
      return e;
  }
  return NULL;
}

static void free_script(script *sc) {
  /* The store first: its instances point into the modules. */
  cm_store_free(sc->store);
  cm_spectest_free(sc->spectest);
  for (size_t i = 0; i < sc->nmodules; i++)
    cm_module_free(sc->modules[i]);
  free(sc->modules);
  for (size_t i = 0; i < sc->nnamed; i++)
    free(sc->named[i].name);
  free(sc->named);
  for (size_t i = 0; i < sc->nregistered; i++)
    free(sc->registered[i].name);
  free(sc->registered);
  free(sc->dir);
}

static void run_commands(script *sc, const cm_json *commands) {
  const options *opt = sc->opt;
  for (size_t i = 0; i < commands->as.array.count; i++) {
    command c;
    memset(&c, 0, sizeof c);
    c.node = commands->as.array.items[i];
    if (c.node->kind != CM_JSON_OBJECT) {
      report_input_error(sc, c.node, "a command must be an object, not a %s",
                         cm_json_kind_name(c.node->kind));
      sc->t.failed++;
      continue;
    }
    c.type = require_string(sc, c.node, "type");
    const cm_json *line = require_member(sc, c.node, "line", CM_JSON_NUMBER);
    if (c.type == NULL || line == NULL) {
      sc->t.failed++;
      continue;
    }
    if (!cm_json_uint64(line, &c.line)) {
      report_input_error(sc, line, "\"line\" must be a non-negative integer");
      sc->t.failed++;
      continue;
    }
    snprintf(c.what, sizeof c.what, "%s", c.type);
    c.action = NULL;
    skip_entry *skip = find_skip(sc->skips, sc->source, c.line);
    if (skip != NULL)
      skip->used = true;
    if (skip != NULL && !opt->run_skipped) {
      sc->t.skipped++;
      if (opt->verbose)
        printf("%s:%" PRIu64 ": %s: skipped (%s)\n", sc->source, c.line,
               c.type, skip->reason);
      continue;
    }
    command_result result = run_command(sc, &c);
    switch (result) {
    case RESULT_PASS:
      sc->t.passed++;
      break;
    case RESULT_FAIL:
      sc->t.failed++;
      break;
    case RESULT_SKIP:
      sc->t.skipped++;
      break;
    }
    if (skip != NULL && result == RESULT_PASS)
      printf("%s:%" PRIu64 ": note: %s passes but is in the skip list (%s)\n",
             sc->source, c.line, command_what(sc, &c), skip->reason);
    if (opt->verbose && result == RESULT_SKIP)
      printf("%s:%" PRIu64 ": %s: skipped (%s)\n", sc->source, c.line,
             command_what(sc, &c), c.skip_reason ? c.skip_reason : "unsupported");
    else if (opt->verbose)
      printf("%s:%" PRIu64 ": %s: %s\n", sc->source, c.line, command_what(sc, &c),
             result == RESULT_PASS ? "ok" : "FAILED");
  }
}

/* Run one JSON script and add its tally to *total. */
static void run_file(const options *opt, skip_list *skips,
                     const char *json_path, tally *total) {
  script sc;
  memset(&sc, 0, sizeof sc);
  sc.opt = opt;
  sc.skips = skips;
  sc.json_path = json_path;
  sc.source = json_path;

  char why[600];
  size_t size;
  char *text = read_file(json_path, &size, why, sizeof why);
  cm_json_doc *doc = NULL;
  if (text == NULL) {
    printf("%s: error: %s\n", json_path, why);
  } else {
    cm_json_error err;
    doc = cm_json_parse(text, size, &err);
    free(text);
    if (doc == NULL)
      printf("%s:%u:%u: error: %s\n", json_path, (unsigned)err.line,
             (unsigned)err.column, err.message);
  }
  const cm_json *root = cm_json_root(doc);
  const cm_json *commands = NULL;
  if (root != NULL && root->kind != CM_JSON_OBJECT) {
    report_input_error(&sc, root, "the top level must be an object");
  } else if (root != NULL) {
    const char *source = require_string(&sc, root, "source_filename");
    if (source != NULL)
      sc.source = source;
    commands = require_member(&sc, root, "commands", CM_JSON_ARRAY);
  }
  sc.dir = directory_of(json_path);
  cm_store_limits limits = cm_store_default_limits();
  limits.instruction_limit = opt->instruction_limit;
  cm_error err;
  memset(&err, 0, sizeof err);
  if (commands != NULL && sc.dir != NULL &&
      (sc.store = cm_store_new(&limits)) != NULL &&
      (sc.spectest = cm_spectest_new(sc.store, opt->print ? stdout : NULL,
                                     &err)) != NULL) {
    for (size_t i = 0; i < skips->count; i++)
      if (skip_file_matches(skips->entries[i].file, sc.source))
        skips->entries[i].file_seen = true;
    run_commands(&sc, commands);
  } else if (commands != NULL) {
    printf("%s: error: cannot set up a store and the spectest module: %s\n",
           json_path, err.message[0] ? err.message : "out of memory");
    sc.t.input_error = true;
  }
  if (commands == NULL) {
    /* An unreadable script is one failure, whatever it held. */
    sc.t.failed++;
    sc.t.input_error = true;
  }
  printf("%s: %" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n",
         sc.source, sc.t.passed, sc.t.failed, sc.t.skipped);
  fflush(stdout);
  total->passed += sc.t.passed;
  total->failed += sc.t.failed;
  total->skipped += sc.t.skipped;
  total->input_error = total->input_error || sc.t.input_error;
  /* sc.source may point into doc: free the document last. */
  free_script(&sc);
  cm_json_free(doc);
}

/* ---- Command line ---- */

static int usage_error(const char *fmt, const char *arg) {
  fprintf(stderr, "canmem-wast: ");
  fprintf(stderr, fmt, arg);
  fprintf(stderr, "\nTry 'canmem-wast --help'.\n");
  return 2;
}

/* "--name VALUE" or "--name=VALUE": the value, advancing *i; NULL if this
 * argument is not --name. *missing when the value is absent. */
static const char *option_value(int argc, char **argv, int *i,
                                const char *name, bool *missing) {
  size_t n = strlen(name);
  const char *arg = argv[*i];
  if (strncmp(arg, name, n) != 0)
    return NULL;
  if (arg[n] == '=')
    return arg + n + 1;
  if (arg[n] != '\0')
    return NULL;
  if (*i + 1 >= argc) {
    *missing = true;
    return NULL;
  }
  return argv[++*i];
}

int main(int argc, char **argv) {
  options opt;
  memset(&opt, 0, sizeof opt);
  opt.instruction_limit = DEFAULT_INSTRUCTION_LIMIT;
  const char *skip_path = NULL;
  int first_file = argc;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    bool missing = false;
    const char *value;
    if (strcmp(arg, "--") == 0) {
      first_file = i + 1;
      break;
    }
    if (arg[0] != '-' || arg[1] == '\0') {
      first_file = i;
      break;
    }
    if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      fputs(usage_text, stdout);
      return 0;
    } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
      opt.verbose = true;
    } else if (strcmp(arg, "--run-skipped") == 0) {
      opt.run_skipped = true;
    } else if (strcmp(arg, "--check-trap-text") == 0) {
      opt.check_trap_text = true;
    } else if (strcmp(arg, "--print") == 0) {
      opt.print = true;
    } else if ((value = option_value(argc, argv, &i, "--skip-file",
                                     &missing)) != NULL) {
      skip_path = value;
    } else if ((value = option_value(argc, argv, &i, "--instruction-limit",
                                     &missing)) != NULL) {
      if (!parse_decimal(value, UINT64_MAX, &opt.instruction_limit))
        return usage_error("--instruction-limit wants a number, not '%s'",
                           value);
    } else if (missing) {
      return usage_error("option '%s' needs a value", arg);
    } else {
      return usage_error("unknown option '%s'", arg);
    }
  }
  if (first_file >= argc)
    return usage_error("%s", "no JSON file given");
  if (skip_path != NULL && !load_skip_list(&opt.skips, skip_path)) {
    free_skip_list(&opt.skips);
    return 2;
  }

  tally total;
  memset(&total, 0, sizeof total);
  for (int i = first_file; i < argc; i++)
    run_file(&opt, &opt.skips, argv[i], &total);

  /* A skip entry for a script that ran but matched nothing is stale. */
  for (size_t i = 0; i < opt.skips.count; i++) {
    const skip_entry *e = &opt.skips.entries[i];
    if (!e->file_seen || e->used)
      continue;
    if (e->line != 0)
      printf("%s:%u: warning: skip entry %s:%" PRIu64
             " matched no command\n",
             opt.skips.path, e->source_line, e->file, e->line);
    else
      printf("%s:%u: warning: skip entry %s matched no command\n",
             opt.skips.path, e->source_line, e->file);
  }
  free_skip_list(&opt.skips);
  printf("%" PRIu64 " passed, %" PRIu64 " failed, %" PRIu64 " skipped\n",
         total.passed, total.failed, total.skipped);
  if (total.input_error)
    return 2;
  return total.failed > 0 ? 1 : 0;
}
