/* canmem profiles: the file syntax of suite/profiles/ over the model's
 * canmem_profile. Every field of the struct is a key here; unknown keys are
 * errors, so a typo never goes unnoticed. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canister.h"
#include "file.h"
#include "profile_file.h"

#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)
#define WASM_PAGE 65536ull

typedef enum {
  VALUE_COUNT, /* a plain number (instructions, functions, ns...) */
  VALUE_BYTES, /* a size: units allowed */
  VALUE_PAGES, /* a size that must be a multiple of 64 KiB */
} value_kind;

static const struct {
  const char *key;
  size_t offset;
  value_kind kind;
} number_keys[] = {
#define NUMBER(key, field, kind) {key, offsetof(canmem_profile, field), kind}
    NUMBER("max_stable_memory", max_stable_bytes, VALUE_PAGES),
    NUMBER("max_stable_memory_32", max_stable32_bytes, VALUE_PAGES),
    NUMBER("max_heap_wasm32", max_heap32_bytes, VALUE_PAGES),
    NUMBER("max_heap_wasm64", max_heap64_bytes, VALUE_PAGES),
    NUMBER("wasm_memory_limit", wasm_memory_limit, VALUE_BYTES),
    NUMBER("wasm_memory_threshold", wasm_memory_threshold, VALUE_BYTES),
    NUMBER("max_wasm_memory_limit", max_wasm_memory_limit, VALUE_BYTES),
    NUMBER("max_wasm_memory_threshold", max_wasm_memory_threshold,
           VALUE_BYTES),
    NUMBER("max_reply_size", max_reply_bytes, VALUE_BYTES),
    NUMBER("max_query_reply_size", max_query_reply_bytes, VALUE_BYTES),
    NUMBER("max_certified_data", max_certified_data_bytes, VALUE_BYTES),
    NUMBER("instructions_update", instructions_update, VALUE_COUNT),
    NUMBER("instructions_query", instructions_query, VALUE_COUNT),
    NUMBER("instructions_install", instructions_install, VALUE_COUNT),
    NUMBER("instructions_inspect", instructions_inspect, VALUE_COUNT),
    NUMBER("max_module_size", max_module_bytes, VALUE_BYTES),
    NUMBER("max_functions", max_functions, VALUE_COUNT),
    NUMBER("max_globals", max_globals, VALUE_COUNT),
    NUMBER("max_exported_methods", max_exported_methods, VALUE_COUNT),
    NUMBER("max_method_names_size", max_method_name_bytes, VALUE_BYTES),
    NUMBER("max_icp_sections", max_icp_sections, VALUE_COUNT),
    NUMBER("max_icp_sections_size", max_icp_section_bytes, VALUE_BYTES),
    NUMBER("time_start_ns", time_start_ns, VALUE_COUNT),
    NUMBER("time_step_ns", time_step_ns, VALUE_COUNT),
    NUMBER("cycle_balance", cycle_balance, VALUE_COUNT),
    NUMBER("stable_access_limit_message", stable_access_limit_message, VALUE_BYTES),
    NUMBER("stable_access_limit_upgrade", stable_access_limit_upgrade, VALUE_BYTES),
    NUMBER("stable_access_limit_query", stable_access_limit_query, VALUE_BYTES),
    NUMBER("stable_write_limit_message", stable_write_limit_message, VALUE_BYTES),
    NUMBER("stable_write_limit_upgrade", stable_write_limit_upgrade, VALUE_BYTES),
    NUMBER("stable_write_limit_query", stable_write_limit_query, VALUE_BYTES),
    NUMBER("heap_access_limit_message", heap_access_limit_message, VALUE_BYTES),
    NUMBER("heap_access_limit_upgrade", heap_access_limit_upgrade, VALUE_BYTES),
    NUMBER("heap_access_limit_query", heap_access_limit_query, VALUE_BYTES),
    NUMBER("max_snapshots", max_snapshots, VALUE_COUNT),
    NUMBER("max_log_size", max_log_bytes, VALUE_BYTES),
#undef NUMBER
};

static const struct {
  const char *key;
  uint64_t bit;
} feature_keys[] = {
    {"feature.stable64", CANMEM_FEATURE_STABLE64},
    {"feature.wasm64", CANMEM_FEATURE_WASM64},
    {"feature.wasm_memory_limit", CANMEM_FEATURE_WASM_MEMORY_LIMIT},
    {"feature.low_memory_hook", CANMEM_FEATURE_LOW_MEMORY_HOOK},
    {"feature.skip_pre_upgrade", CANMEM_FEATURE_SKIP_PRE_UPGRADE},
    {"feature.wasm_memory_persistence",
     CANMEM_FEATURE_WASM_MEMORY_PERSISTENCE},
    {"feature.stable_in_start", CANMEM_FEATURE_STABLE_IN_START},
    {"feature.gzip", CANMEM_FEATURE_GZIP},
    {"feature.any_memory_import", CANMEM_FEATURE_ANY_MEMORY_IMPORT},
    {"feature.simd", CANMEM_FEATURE_SIMD},
    {"feature.tail_call", CANMEM_FEATURE_TAIL_CALL},
    {"feature.table64", CANMEM_FEATURE_TABLE64},
    {"feature.snapshots", CANMEM_FEATURE_SNAPSHOTS},
    {"feature.snapshot_data", CANMEM_FEATURE_SNAPSHOT_DATA},
    {"feature.snapshot_load_other", CANMEM_FEATURE_SNAPSHOT_LOAD_OTHER},
    {"feature.snapshot_uninstall", CANMEM_FEATURE_SNAPSHOT_UNINSTALL},
};

/* Each reading has two names: the prose's (bit clear) and the
 * alternative's (bit set). */
static const struct {
  const char *key;
  uint64_t bit;
  const char *prose, *alternative;
} reading_keys[] = {
    {"reading.wasm_memory_limit_check", CANMEM_READING_LIMIT_ON_GROWTH_ONLY,
     "resulting-heap", "growth-only"},
    {"reading.wasm_memory_limit_in_timers", CANMEM_READING_LIMIT_IN_TIMERS,
     "no", "yes"},
    {"reading.wasm_memory_limit_in_low_memory_hook",
     CANMEM_READING_LIMIT_IN_LOW_MEMORY_HOOK, "no", "yes"},
    {"reading.keep_data_segments", CANMEM_READING_KEEP_REAPPLIES_DATA,
     "not-applied", "reapplied"},
    {"reading.low_memory_capacity_without_limit",
     CANMEM_READING_LOW_MEMORY_FORMAL_CAPACITY, "heap-maximum", "zero"},
    {"reading.memoryless_heap", CANMEM_READING_NO_MEMORY_TRAPS, "empty",
     "trap"},
    {"reading.stable_check_order", CANMEM_READING_STABLE_BOUND_FIRST,
     "formal", "stable-first"},
    {"reading.wasm_memory_limit_at_start", CANMEM_READING_LIMIT_CHECKED_AT_START,
     "no", "yes"},
    {"reading.low_memory_capacity_wasm64",
     CANMEM_READING_LOW_MEMORY_WASM32_CAPACITY, "heap-maximum",
     "wasm32-maximum"},
    {"reading.logs_of_traps", CANMEM_READING_LOGS_ON_SUCCESS_ONLY, "kept",
     "dropped"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool fail(char *err, size_t err_size, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static bool fail(char *err, size_t err_size, const char *fmt, ...) {
  if (err && err_size) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_size, fmt, ap);
    va_end(ap);
  }
  return false;
}

static bool equal_nocase(const char *a, const char *b) {
  for (; *a && *b; a++, b++)
    if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return false;
  return *a == *b;
}

/* A number with an optional unit; no wrap-around: too large is an error. */
static bool parse_number(const char *text, value_kind kind, uint64_t *out,
                         char *err, size_t err_size) {
  const char *s = text;
  if (!isdigit((unsigned char)*s))
    return fail(err, err_size, "'%s' is not a number", text);
  errno = 0;
  char *end;
  int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
  unsigned long long value = strtoull(s, &end, base);
  if (errno == ERANGE)
    return fail(err, err_size, "'%s' is too large", text);
  while (*end == ' ' || *end == '\t')
    end++;
  uint64_t scale = 1;
  if (*end) {
    if (kind == VALUE_COUNT)
      return fail(err, err_size, "'%s': a count takes no unit", text);
    if (equal_nocase(end, "B"))
      scale = 1;
    else if (equal_nocase(end, "KiB"))
      scale = KIB;
    else if (equal_nocase(end, "MiB"))
      scale = MIB;
    else if (equal_nocase(end, "GiB"))
      scale = GIB;
    else if (equal_nocase(end, "TiB"))
      scale = 1024 * GIB;
    else if (equal_nocase(end, "pages") || equal_nocase(end, "page"))
      scale = WASM_PAGE;
    else
      return fail(err, err_size,
                  "'%s': unknown unit (B, KiB, MiB, GiB, TiB, pages)", text);
  }
  if (value > UINT64_MAX / scale)
    return fail(err, err_size, "'%s' is too large", text);
  value *= scale;
  if (kind == VALUE_PAGES && value % WASM_PAGE)
    return fail(err, err_size, "'%s' is not a multiple of 64 KiB", text);
  *out = value;
  return true;
}

static bool parse_yes_no(const char *text, bool *out) {
  static const char *const yes[] = {"yes", "true", "on", "1"};
  static const char *const no[] = {"no", "false", "off", "0"};
  for (size_t i = 0; i < COUNT(yes); i++) {
    if (equal_nocase(text, yes[i])) {
      *out = true;
      return true;
    }
    if (equal_nocase(text, no[i])) {
      *out = false;
      return true;
    }
  }
  return false;
}

bool cm_profile_set(canmem_profile *p, const char *key, const char *value,
                    char *err, size_t err_size) {
  if (strcmp(key, "name") == 0) {
    if (strlen(value) >= sizeof p->name)
      return fail(err, err_size, "name '%s' is too long", value);
    snprintf(p->name, sizeof p->name, "%s", value);
    return true;
  }
  for (size_t i = 0; i < COUNT(number_keys); i++) {
    if (strcmp(key, number_keys[i].key) != 0)
      continue;
    uint64_t v = 0;
    char why[160];
    if (!parse_number(value, number_keys[i].kind, &v, why, sizeof why))
      return fail(err, err_size, "%s: %s", key, why);
    memcpy((char *)p + number_keys[i].offset, &v, sizeof v);
    return true;
  }
  for (size_t i = 0; i < COUNT(feature_keys); i++) {
    if (strcmp(key, feature_keys[i].key) != 0)
      continue;
    bool on;
    if (!parse_yes_no(value, &on))
      return fail(err, err_size, "%s: '%s' is neither yes nor no", key,
                  value);
    if (on)
      p->features |= feature_keys[i].bit;
    else
      p->features &= ~feature_keys[i].bit;
    return true;
  }
  for (size_t i = 0; i < COUNT(reading_keys); i++) {
    if (strcmp(key, reading_keys[i].key) != 0)
      continue;
    if (strcmp(value, reading_keys[i].prose) == 0)
      p->readings &= ~reading_keys[i].bit;
    else if (strcmp(value, reading_keys[i].alternative) == 0)
      p->readings |= reading_keys[i].bit;
    else
      return fail(err, err_size, "%s: '%s' is neither %s nor %s", key, value,
                  reading_keys[i].prose, reading_keys[i].alternative);
    return true;
  }
  return fail(err, err_size, "unknown key '%s'", key);
}

static bool is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* The keys a text has set so far, for duplicates: every known key is
 * short, and there are fewer than KEYS_SEEN of them. */
#define KEYS_SEEN 96
typedef struct {
  char key[KEYS_SEEN][48];
  unsigned line[KEYS_SEEN];
  size_t count;
} keys_seen;

/* Parses text into p; *keys counts the `key = value` lines. */
static bool parse_text(canmem_profile *p, const char *text, size_t size,
                       const char *source, size_t *keys, char *err,
                       size_t err_size) {
  keys_seen *seen = calloc(1, sizeof *seen);
  if (!seen)
    return fail(err, err_size, "%s: out of memory", source);
  bool ok = true;
  size_t pos = 0;
  unsigned line = 0;
  while (ok && pos < size) {
    line++;
    size_t start = pos;
    while (pos < size && text[pos] != '\n')
      pos++;
    size_t end = pos;
    if (pos < size)
      pos++; /* the newline */
    for (size_t i = start; i < end; i++)
      if (text[i] == '#') {
        end = i;
        break;
      }
    while (start < end && is_blank(text[start]))
      start++;
    while (end > start && is_blank(text[end - 1]))
      end--;
    if (start == end)
      continue;
    char buf[512];
    if (end - start >= sizeof buf) {
      ok = fail(err, err_size, "%s:%u: line too long", source, line);
      break;
    }
    memcpy(buf, text + start, end - start);
    buf[end - start] = '\0';
    char *eq = strchr(buf, '=');
    if (!eq) {
      ok = fail(err, err_size, "%s:%u: expected `key = value`", source, line);
      break;
    }
    char *key_end = eq;
    while (key_end > buf && is_blank(key_end[-1]))
      key_end--;
    *key_end = '\0';
    char *value = eq + 1;
    while (is_blank(*value))
      value++;
    if (!*buf || !*value) {
      ok = fail(err, err_size, "%s:%u: expected `key = value`", source, line);
      break;
    }
    char why[300];
    if (!cm_profile_set(p, buf, value, why, sizeof why)) {
      ok = fail(err, err_size, "%s:%u: %s", source, line, why);
      break;
    }
    /* known from here on, so short */
    for (size_t i = 0; i < seen->count; i++)
      if (strcmp(seen->key[i], buf) == 0) {
        ok = fail(err, err_size, "%s:%u: '%s' is set again (first at line %u)",
                  source, line, buf, seen->line[i]);
        break;
      }
    if (ok && seen->count < KEYS_SEEN && strlen(buf) < sizeof seen->key[0]) {
      snprintf(seen->key[seen->count], sizeof seen->key[0], "%s", buf);
      seen->line[seen->count++] = line;
    }
    (*keys)++;
  }
  free(seen);
  if (!ok)
    return false;
  char why[300];
  if (!cm_profile_check(p, why, sizeof why))
    return fail(err, err_size, "%s: %s", source, why);
  return true;
}

bool cm_profile_parse(canmem_profile *p, const char *text, size_t size,
                      const char *source, char *err, size_t err_size) {
  size_t keys = 0;
  return parse_text(p, text, size, source, &keys, err, err_size);
}

bool cm_profile_load(canmem_profile *p, const char *path, char *err,
                     size_t err_size) {
  size_t size;
  char *text = cm_read_file(path, 1024 * 1024, &size, err, err_size);
  if (!text)
    return false;
  size_t keys = 0;
  bool ok = parse_text(p, text, size, path, &keys, err, err_size);
  free(text);
  if (!ok)
    return false;
  /* A whole profile, not overrides: it says something, and its limits
   * agree with each other. */
  if (keys == 0)
    return fail(err, err_size,
                "%s: the profile is empty (no `key = value` line)", path);
  if (p->max_stable32_bytes > p->max_stable_bytes)
    return fail(err, err_size,
                "%s: max_stable_memory_32 (%" PRIu64 " bytes) is above "
                "max_stable_memory (%" PRIu64 " bytes)",
                path, p->max_stable32_bytes, p->max_stable_bytes);
  return true;
}

/* Append to buf like snprintf, tracking the total length wanted. */
static void append(char *buf, size_t size, size_t *len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void append(char *buf, size_t size, size_t *len, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(*len < size ? buf + *len : NULL,
                    *len < size ? size - *len : 0, fmt, ap);
  va_end(ap);
  if (n > 0)
    *len += (size_t)n;
}

size_t cm_profile_format(const canmem_profile *p, char *buf, size_t size) {
  size_t len = 0;
  if (size)
    buf[0] = '\0';
  append(buf, size, &len, "name = %s\n", p->name);
  for (size_t i = 0; i < COUNT(number_keys); i++) {
    uint64_t v;
    memcpy(&v, (const char *)p + number_keys[i].offset, sizeof v);
    append(buf, size, &len, "%s = %" PRIu64 "\n", number_keys[i].key, v);
  }
  for (size_t i = 0; i < COUNT(feature_keys); i++)
    append(buf, size, &len, "%s = %s\n", feature_keys[i].key,
           (p->features & feature_keys[i].bit) ? "yes" : "no");
  for (size_t i = 0; i < COUNT(reading_keys); i++)
    append(buf, size, &len, "%s = %s\n", reading_keys[i].key,
           (p->readings & reading_keys[i].bit) ? reading_keys[i].alternative
                                               : reading_keys[i].prose);
  return len;
}
