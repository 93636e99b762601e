/* canmem canister model: the module rules (MOD-*) a canister module must
 * satisfy beyond WebAssembly validity. A module that breaks one is rejected
 * at install with a category and a reason, and the canister stays as it
 * was. The ic0 signatures come from the System API table (sysapi.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "reader.h" /* cm_name_of: names with their byte length */

static uint32_t reject(char *why, size_t why_size, uint32_t category,
                       const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static uint32_t reject(char *why, size_t why_size, uint32_t category,
                       const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, why_size, fmt, ap);
  va_end(ap);
  return category;
}

/* Module names may contain NUL bytes (they are UTF-8 with U+0000
 * allowed), so they are compared by their stored length, never strcmp. */
static size_t name_length(const char *name) {
  return cm_name_of(name)->length;
}

static bool name_is(const char *name, const char *text) {
  size_t n = strlen(text);
  return name_length(name) == n && memcmp(name, text, n) == 0;
}

static bool starts_with(const char *name, const char *prefix) {
  size_t n = strlen(prefix);
  return name_length(name) >= n && memcmp(name, prefix, n) == 0;
}

static const char *type_text(const cm_functype *t, char *buf, size_t size) {
  size_t len = 0;
  buf[0] = '\0';
  len += (size_t)snprintf(buf + len, size - len, "(");
  for (uint32_t i = 0; i < t->nparams && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
                            t->params[i] == CM_I64 ? "i64" : "i32");
  if (len < size)
    len += (size_t)snprintf(buf + len, size - len, ") -> (");
  for (uint32_t i = 0; i < t->nresults && len < size; i++)
    len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? " " : "",
                            t->results[i] == CM_I64   ? "i64"
                            : t->results[i] == CM_I32 ? "i32"
                                                      : "other");
  if (len < size)
    snprintf(buf + len, size - len, ")");
  return buf;
}

/* MOD-IMP-*: every function import is an ic0 function of the table with
 * exactly its signature for the module's I; memories and tables may be
 * imported (MOD-MEM-3); nothing else can be supplied. */
static uint32_t check_imports(const cm_module *m, const canmem_profile *p,
                              bool is64, char *why, size_t why_size) {
  for (uint32_t i = 0; i < m->nimports; i++) {
    const cm_import *imp = &m->imports[i];
    switch (imp->kind) {
    case CM_EXTERN_FUNC: {
      if (!name_is(imp->module, "ic0"))
        return reject(why, why_size, CANMEM_CAT_MODULE_IMPORT,
                      "import %s.%s: functions can only be imported from ic0",
                      imp->module, imp->name);
      const cm_sysapi_entry *e = strlen(imp->name) == name_length(imp->name)
                                     ? cm_sysapi_lookup(imp->name)
                                     : NULL;
      uint64_t feature = e ? cm_sysapi_feature(e) : 0;
      if (!e || (feature && !(p->features & feature)))
        return reject(why, why_size, CANMEM_CAT_MODULE_IMPORT,
                      "import ic0.%s: no such System API function",
                      imp->name);
      if (is64 && !cm_sysapi_in_wasm64(e))
        return reject(why, why_size, CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY,
                      "import ic0.%s: only available to wasm32 canisters",
                      imp->name);
      uint8_t params[8], results[1];
      cm_functype want;
      cm_sysapi_functype(e, is64, &want, params, results);
      const cm_functype *have = &m->types[imp->desc.func];
      if (!cm_functype_equal(have, &want)) {
        char a[96], b[96];
        return reject(why, why_size, CANMEM_CAT_MODULE_IMPORT_SIGNATURE,
                      "import ic0.%s: type %s, expected %s", imp->name,
                      type_text(have, a, sizeof a),
                      type_text(&want, b, sizeof b));
      }
      break;
    }
    case CM_EXTERN_MEMORY:
    case CM_EXTERN_TABLE: {
      /* Before 2023-06 only env.memory and env.table were allowed. */
      const char *expected =
          imp->kind == CM_EXTERN_MEMORY ? "memory" : "table";
      if (!(p->features & CANMEM_FEATURE_ANY_MEMORY_IMPORT) &&
          (!name_is(imp->module, "env") || !name_is(imp->name, expected)))
        return reject(why, why_size, CANMEM_CAT_MODULE_IMPORT,
                      "import %s.%s: a %s must be imported as env.%s",
                      imp->module, imp->name, expected, expected);
      break;
    }
    default:
      return reject(why, why_size, CANMEM_CAT_MODULE_IMPORT,
                    "import %s.%s: the system provides no such global",
                    imp->module, imp->name);
    }
  }
  return CANMEM_CAT_NONE;
}

typedef struct {
  const char *name; /* after the prefix */
  size_t length;    /* of name, in bytes */
  const char *kind; /* the prefix */
} method;

static int compare_methods(const void *a, const void *b) {
  const method *x = a, *y = b;
  int order = memcmp(x->name, y->name,
                     x->length < y->length ? x->length : y->length);
  return order ? order : (x->length > y->length) - (x->length < y->length);
}

/* MOD-EXP-*: canister_* exports. */
static uint32_t check_exports(const cm_module *m, const canmem_profile *p,
                              char *why, size_t why_size) {
  static const char *const system_exports[] = {
      "canister_init",          "canister_inspect_message",
      "canister_pre_upgrade",   "canister_post_upgrade",
      "canister_heartbeat",     "canister_global_timer",
      "canister_on_low_wasm_memory",
  };
  static const char *const method_prefixes[] = {
      "canister_update ", "canister_query ", "canister_composite_query "};
  method *methods = cm_calloc(m->nexports ? m->nexports : 1, sizeof *methods);
  if (!methods)
    return reject(why, why_size, CANMEM_CAT_OUT_OF_MEMORY, "out of memory");
  uint32_t nmethods = 0;
  uint64_t name_bytes = 0;
  uint32_t category = CANMEM_CAT_NONE;
  for (uint32_t i = 0; i < m->nexports && !category; i++) {
    const cm_export *ex = &m->exports[i];
    if (!starts_with(ex->name, "canister_"))
      continue;
    bool known = false;
    for (size_t k = 0; k < sizeof system_exports / sizeof *system_exports;
         k++)
      if (name_is(ex->name, system_exports[k]))
        known = true;
    if (known && name_is(ex->name, "canister_on_low_wasm_memory") &&
        !(p->features & CANMEM_FEATURE_LOW_MEMORY_HOOK))
      known = false;
    for (size_t k = 0; k < 3 && !known; k++)
      if (starts_with(ex->name, method_prefixes[k])) {
        known = true;
        size_t prefix = strlen(method_prefixes[k]);
        methods[nmethods].name = ex->name + prefix;
        methods[nmethods].length = name_length(ex->name) - prefix;
        methods[nmethods].kind = method_prefixes[k];
        name_bytes += methods[nmethods].length;
        nmethods++;
      }
    if (!known) {
      category = reject(why, why_size, CANMEM_CAT_MODULE_EXPORT,
                        "export '%s': names starting with canister_ are "
                        "reserved",
                        ex->name);
      break;
    }
    const cm_functype *t =
        ex->kind == CM_EXTERN_FUNC
            ? &m->types[m->func_types[ex->index]]
            : NULL;
    if (!t || t->nparams != 0 || t->nresults != 0)
      category = reject(why, why_size, CANMEM_CAT_MODULE_EXPORT,
                        "export '%s' must be a function of type () -> ()",
                        ex->name);
  }
  if (!category && nmethods > 1) {
    qsort(methods, nmethods, sizeof *methods, compare_methods);
    for (uint32_t i = 1; i < nmethods; i++)
      if (compare_methods(&methods[i - 1], &methods[i]) == 0) {
        category = reject(why, why_size, CANMEM_CAT_MODULE_DUPLICATE_METHOD,
                          "method '%s' is exported as both '%s' and '%s'",
                          methods[i].name, methods[i - 1].kind,
                          methods[i].kind);
        break;
      }
  }
  if (!category && p->max_exported_methods &&
      nmethods > p->max_exported_methods)
    category = reject(why, why_size, CANMEM_CAT_MODULE_LIMIT,
                      "%u exported methods, at most %llu", nmethods,
                      (unsigned long long)p->max_exported_methods);
  if (!category && p->max_method_name_bytes &&
      name_bytes > p->max_method_name_bytes)
    category = reject(why, why_size, CANMEM_CAT_MODULE_LIMIT,
                      "exported method names total %llu bytes, at most %llu",
                      (unsigned long long)name_bytes,
                      (unsigned long long)p->max_method_name_bytes);
  free(methods);
  return category;
}

/* MOD-CS-1: icp: custom sections. */
static uint32_t check_custom_sections(const cm_module *m,
                                      const canmem_profile *p, bool *eop,
                                      char *why, size_t why_size) {
  uint64_t count = 0, bytes = 0;
  *eop = false;
  for (uint32_t i = 0; i < m->ncustoms; i++) {
    const cm_custom *cs = &m->customs[i];
    if (!starts_with(cs->name, "icp:"))
      continue;
    bool is_private;
    if (starts_with(cs->name, "icp:public ")) {
      is_private = false;
    } else if (starts_with(cs->name, "icp:private ")) {
      is_private = true;
    } else {
      return reject(why, why_size, CANMEM_CAT_MODULE_CUSTOM_SECTION,
                    "custom section '%s': only 'icp:public <name>' and "
                    "'icp:private <name>' may start with icp:",
                    cs->name);
    }
    size_t prefix = strlen(is_private ? "icp:private " : "icp:public ");
    const char *name = cs->name + prefix;
    size_t length = name_length(cs->name) - prefix;
    const char *other_prefix = is_private ? "icp:public " : "icp:private ";
    size_t other = strlen(other_prefix);
    for (uint32_t j = 0; j < i; j++) {
      const char *seen = m->customs[j].name;
      if (starts_with(seen, other_prefix) &&
          name_length(seen) - other == length &&
          memcmp(seen + other, name, length) == 0)
        return reject(why, why_size, CANMEM_CAT_MODULE_CUSTOM_SECTION,
                      "custom section '%s' is both public and private",
                      name);
    }
    if (is_private && name_is(cs->name,
                              "icp:private enhanced-orthogonal-persistence"))
      *eop = true;
    count++;
    bytes += length + cs->size;
  }
  if (p->max_icp_sections && count > p->max_icp_sections)
    return reject(why, why_size, CANMEM_CAT_MODULE_LIMIT,
                  "%llu icp: custom sections, at most %llu",
                  (unsigned long long)count,
                  (unsigned long long)p->max_icp_sections);
  if (p->max_icp_section_bytes && bytes > p->max_icp_section_bytes)
    return reject(why, why_size, CANMEM_CAT_MODULE_LIMIT,
                  "icp: custom sections total %llu bytes, at most %llu",
                  (unsigned long long)bytes,
                  (unsigned long long)p->max_icp_section_bytes);
  return CANMEM_CAT_NONE;
}

/* MOD-FEAT-4: a WebAssembly feature the profile does not enable makes the
 * module invalid, as the replica's validation (wasmtime with the feature
 * off) refused it before the feature arrived. memory64 is MOD-MEM-2's. */
static uint32_t check_features(const cm_module *m, const canmem_profile *p,
                               char *why, size_t why_size) {
  static const struct {
    uint32_t used;     /* CM_FEATURE_* of the engine */
    uint64_t enabled;  /* CANMEM_FEATURE_* of the profile */
    const char *what;
  } features[] = {
      {CM_FEATURE_SIMD, CANMEM_FEATURE_SIMD, "SIMD (v128)"},
      {CM_FEATURE_TAIL_CALL, CANMEM_FEATURE_TAIL_CALL,
       "tail calls (return_call)"},
      {CM_FEATURE_TABLE64, CANMEM_FEATURE_TABLE64, "a 64-bit table"},
  };
  uint32_t used = cm_module_features(m);
  for (size_t i = 0; i < sizeof features / sizeof *features; i++)
    if ((used & features[i].used) && !(p->features & features[i].enabled))
      return reject(why, why_size, CANMEM_CAT_INVALID_MODULE,
                    "the module uses %s, which profile %s does not enable",
                    features[i].what, p->name);
  return CANMEM_CAT_NONE;
}

uint32_t cm_modcheck(const cm_module *m, const canmem_profile *p, bool *is64,
                     bool *eop, char *why, size_t why_size) {
  *is64 = false;
  *eop = false;
  /* MOD-MEM-1: a module with several memories never validates (the
   * engine has no multi-memory); cm_modcheck_counts_memories names it. */
  if (m->nmems == 1) {
    const cm_limits *lim = &m->memories[0];
    *is64 = lim->is64; /* MOD-MEM-2 */
    if (lim->is64 && !(p->features & CANMEM_FEATURE_WASM64))
      return reject(why, why_size, CANMEM_CAT_MODULE_MEMORY,
                    "memory64 canisters are not enabled in profile %s",
                    p->name);
    uint64_t max_pages =
        (lim->is64 ? p->max_heap64_bytes : p->max_heap32_bytes) /
        CM_WASM_PAGE;
    if (lim->min > max_pages)
      return reject(why, why_size, CANMEM_CAT_MODULE_MEMORY,
                    "the memory's minimum of %llu pages exceeds the "
                    "maximum heap of %llu pages",
                    (unsigned long long)lim->min,
                    (unsigned long long)max_pages);
  }
  uint32_t category = check_features(m, p, why, why_size);
  if (!category)
    category = check_imports(m, p, *is64, why, why_size);
  if (!category)
    category = check_exports(m, p, why, why_size);
  if (!category)
    category = check_custom_sections(m, p, eop, why, why_size);
  if (category)
    return category;
  /* MOD-LIM-1 ("may reject"): the profile's bounds, 0 = none */
  if (p->max_functions && m->nfuncs > p->max_functions)
    return reject(why, why_size, CANMEM_CAT_MODULE_LIMIT,
                  "%u functions, at most %llu", m->nfuncs,
                  (unsigned long long)p->max_functions);
  if (p->max_globals && m->nglobals > p->max_globals)
    return reject(why, why_size, CANMEM_CAT_MODULE_LIMIT,
                  "%u globals, at most %llu", m->nglobals,
                  (unsigned long long)p->max_globals);
  return CANMEM_CAT_NONE;
}

/* ---- A minimal binary scan for MOD-MEM-1 ----
 * The engine refuses a module with two memories as invalid (multi-memory is
 * not one of its features); this scan lets the install report the
 * canister rule instead. */

typedef struct {
  const uint8_t *p, *end;
} scan;

static bool scan_u64(scan *s, uint64_t *v) {
  uint64_t result = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (s->p >= s->end)
      return false;
    uint8_t b = *s->p++;
    result |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80)) {
      *v = result;
      return true;
    }
  }
  return false;
}

static bool scan_skip(scan *s, uint64_t n) {
  if ((uint64_t)(s->end - s->p) < n)
    return false;
  s->p += n;
  return true;
}

static bool scan_limits(scan *s) {
  uint64_t flags, v;
  if (!scan_u64(s, &flags) || !scan_u64(s, &v))
    return false;
  return !(flags & 1) || scan_u64(s, &v);
}

bool cm_modcheck_counts_memories(const uint8_t *bytes, size_t size,
                                 uint32_t *memories) {
  *memories = 0;
  if (size < 8 || memcmp(bytes, "\0asm", 4) != 0)
    return false;
  scan s = {bytes + 8, bytes + size};
  uint64_t count = 0;
  while (s.p < s.end) {
    uint8_t id = *s.p++;
    uint64_t len;
    if (!scan_u64(&s, &len) || (uint64_t)(s.end - s.p) < len)
      return false;
    scan body = {s.p, s.p + len};
    s.p += len;
    if (id == 5) { /* memory section: a vector of limits, all present */
      uint64_t n;
      if (!scan_u64(&body, &n))
        return false;
      for (uint64_t i = 0; i < n; i++)
        if (!scan_limits(&body))
          return false;
      count += n;
    } else if (id == 2) { /* imports */
      uint64_t n;
      if (!scan_u64(&body, &n))
        return false;
      for (uint64_t i = 0; i < n; i++) {
        uint64_t l, v;
        if (!scan_u64(&body, &l) || !scan_skip(&body, l) ||
            !scan_u64(&body, &l) || !scan_skip(&body, l) ||
            body.p >= body.end)
          return false;
        uint8_t kind = *body.p++;
        bool ok;
        switch (kind) {
        case 0: ok = scan_u64(&body, &v); break;                 /* func */
        case 1: ok = scan_skip(&body, 1) && scan_limits(&body); break;
        case 2: ok = scan_limits(&body); count++; break;          /* memory */
        case 3: ok = scan_skip(&body, 2); break;                  /* global */
        case 4: ok = scan_skip(&body, 1) && scan_u64(&body, &v); break;
        default: ok = false; break;
        }
        if (!ok)
          return false;
      }
    }
  }
  *memories = count > UINT32_MAX ? UINT32_MAX : (uint32_t)count;
  return true;
}

/* EDGE-KEEP (dfinity/ic#10593): a kept heap of `pages` pages larger than
 * the new module's declared maximum fails the upgrade gracefully, as the
 * replica's IC0521 ("Failed to grow wasm memory"), before anything is
 * adopted. Checked on its own so the keep path stays as it is. */
uint32_t cm_modcheck_kept_heap(const cm_module *m, uint64_t pages, char *why,
                               size_t why_size) {
  const cm_limits *lim = cm_module_memory_limits(m, 0);
  if (!lim || !lim->has_max || pages <= lim->max)
    return CANMEM_CAT_NONE;
  return reject(why, why_size, CANMEM_CAT_WASM_ENGINE,
                "wasm_memory_persistence = keep: failed to grow the wasm "
                "memory to the kept %llu pages: it exceeds the module's "
                "declared maximum of %llu pages",
                (unsigned long long)pages, (unsigned long long)lim->max);
}
