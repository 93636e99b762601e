/* The module side of the wasm2c adapter: a small WebAssembly binary reader
 * (only what the canister rules and the rewrite need; wasm2c validates the
 * rest), the IC module rules (MOD-*), and the rewrite that gives wasm2c
 * predictable names. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"

int cmw_buf_append(cmw_buf *b, const void *data, size_t size) {
  if (size == 0)
    return 0;
  if (b->size + size > b->capacity) {
    size_t cap = b->capacity ? b->capacity : 256;
    while (cap < b->size + size)
      cap *= 2;
    uint8_t *grown = realloc(b->data, cap);
    if (!grown)
      return -1;
    b->data = grown;
    b->capacity = cap;
  }
  memcpy(b->data + b->size, data, size);
  b->size += size;
  return 0;
}

void cmw_buf_free(cmw_buf *b) {
  free(b->data);
  memset(b, 0, sizeof *b);
}

/* ---- Reading ---- */

typedef struct {
  const uint8_t *p, *end;
  int failed;
  const char *why;
} reader;

static void fail(reader *r, const char *why) {
  if (!r->failed)
    r->why = why;
  r->failed = 1;
  r->p = r->end;
}

static uint8_t read_byte(reader *r) {
  if (r->p >= r->end) {
    fail(r, "unexpected end");
    return 0;
  }
  return *r->p++;
}

static uint64_t read_leb(reader *r, unsigned bits) {
  uint64_t value = 0;
  for (unsigned shift = 0;; shift += 7) {
    if (shift >= bits + 7) {
      fail(r, "integer representation too long");
      return 0;
    }
    uint8_t byte = read_byte(r);
    if (r->failed)
      return 0;
    if (shift < 64)
      value |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80)) {
      if (bits < 64 && shift + 7 > bits && (byte >> (bits - shift)) != 0)
        fail(r, "integer too large");
      return value;
    }
  }
}

static uint32_t read_u32(reader *r) { return (uint32_t)read_leb(r, 32); }

/* Signed LEB128 of the constant instructions: only skipped or read. */
static int64_t read_sleb(reader *r, unsigned bits) {
  int64_t value = 0;
  unsigned shift = 0;
  uint8_t byte;
  do {
    if (shift >= bits + 7) {
      fail(r, "integer representation too long");
      return 0;
    }
    byte = read_byte(r);
    if (r->failed)
      return 0;
    if (shift < 64)
      value |= (int64_t)((uint64_t)(byte & 0x7f) << shift);
    shift += 7;
  } while (byte & 0x80);
  if (shift < 64 && (byte & 0x40))
    value |= (int64_t)(~(uint64_t)0 << shift);
  return value;
}

static int utf8_valid(const uint8_t *s, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return 0;
    }
    if (i + len > n)
      return 0;
    for (size_t k = 1; k < len; k++) {
      if ((s[i + k] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
      return 0;
    i += len;
  }
  return 1;
}

int cmw_utf8_valid(const uint8_t *s, size_t n);
int cmw_utf8_valid(const uint8_t *s, size_t n) { return utf8_valid(s, n); }

static char *read_name(reader *r, uint32_t *len) {
  uint32_t n = read_u32(r);
  if (r->failed || (size_t)(r->end - r->p) < n) {
    fail(r, "name out of bounds");
    return NULL;
  }
  if (!utf8_valid(r->p, n)) {
    fail(r, "malformed UTF-8 encoding");
    return NULL;
  }
  char *s = malloc((size_t)n + 1);
  if (!s) {
    fail(r, "out of host memory");
    return NULL;
  }
  memcpy(s, r->p, n);
  s[n] = 0;
  r->p += n;
  *len = n;
  return s;
}

static void read_limits(reader *r, uint64_t *min, uint64_t *max, int *has_max,
                        int *is64) {
  uint8_t flags = read_byte(r);
  if (flags & ~0x07u) {
    fail(r, "malformed limits flags");
    return;
  }
  *is64 = (flags & 0x04) != 0;
  unsigned bits = *is64 ? 64 : 32;
  *min = read_leb(r, bits);
  *has_max = (flags & 0x01) != 0;
  *max = *has_max ? read_leb(r, bits) : 0;
}

/* Memory limits as validation bounds them: 65,536 pages for wasm32, 2^48
 * for memory64, minimum <= maximum. Checked here because the canister rules
 * below would otherwise report an over-large minimum as module-memory, while
 * the module is plainly invalid (HEAP-3). */
static void check_memory_limits(reader *r, uint64_t min, uint64_t max,
                                int has_max, int is64) {
  uint64_t bound = is64 ? (uint64_t)1 << 48 : (uint64_t)65536;
  if (min > bound || (has_max && (max > bound || min > max)))
    fail(r, "memory limits out of range");
}

/* A constant expression; sets *value when it is one i32/i64.const. */
static void read_const_expr(reader *r, int *known, uint64_t *value) {
  *known = 0;
  int count = 0;
  for (;;) {
    uint8_t op = read_byte(r);
    if (r->failed)
      return;
    count++;
    switch (op) {
    case 0x0b: /* end */
      if (count != 2)
        *known = 0;
      return;
    case 0x41:
      *value = (uint32_t)read_sleb(r, 32);
      *known = 1;
      break;
    case 0x42:
      *value = (uint64_t)read_sleb(r, 64);
      *known = 1;
      break;
    case 0x43:
      r->p = (size_t)(r->end - r->p) >= 4 ? r->p + 4 : r->end;
      break;
    case 0x44:
      r->p = (size_t)(r->end - r->p) >= 8 ? r->p + 8 : r->end;
      break;
    case 0x23: /* global.get */
    case 0xd2: /* ref.func */
      read_u32(r);
      break;
    case 0xd0: /* ref.null */
      read_byte(r);
      break;
    case 0x6a: case 0x6b: case 0x6c: /* extended-const i32 */
    case 0x7c: case 0x7d: case 0x7e: /* extended-const i64 */
      break;
    case 0xfd: /* v128.const */
      if (read_u32(r) != 12) {
        fail(r, "constant expression required");
        return;
      }
      r->p = (size_t)(r->end - r->p) >= 16 ? r->p + 16 : r->end;
      break;
    default:
      fail(r, "constant expression required");
      return;
    }
  }
}

static int grow_array(void **array, uint32_t count, size_t elem) {
  void *grown = realloc(*array, ((size_t)count + 1) * elem);
  if (!grown)
    return -1;
  *array = grown;
  return 0;
}

static int add_global(cmw_module *m, uint8_t type, uint8_t mut) {
  if (grow_array((void **)&m->global_types, m->nglobals, 1) ||
      grow_array((void **)&m->global_mut, m->nglobals, 1))
    return -1;
  m->global_types[m->nglobals] = type;
  m->global_mut[m->nglobals] = mut;
  m->nglobals++;
  return 0;
}

static int add_table(cmw_module *m, uint8_t reftype, uint64_t min,
                     uint64_t max) {
  if (grow_array((void **)&m->table_reftypes, m->ntables, 1) ||
      grow_array((void **)&m->table_min, m->ntables, sizeof(uint64_t)) ||
      grow_array((void **)&m->table_max, m->ntables, sizeof(uint64_t)))
    return -1;
  m->table_reftypes[m->ntables] = reftype;
  m->table_min[m->ntables] = min;
  m->table_max[m->ntables] = max;
  m->ntables++;
  return 0;
}

static void parse_section(cmw_module *m, reader *r, uint32_t id) {
  switch (id) {
  case 0: { /* custom */
    uint32_t len;
    char *name = read_name(r, &len);
    if (!name)
      return;
    if (len >= 4 && memcmp(name, "icp:", 4) == 0) {
      m->nicp++;
      size_t content = (size_t)(r->end - r->p);
      const char *rest = NULL;
      if (len > 11 && memcmp(name, "icp:public ", 11) == 0)
        rest = name + 11;
      else if (len > 12 && memcmp(name, "icp:private ", 12) == 0)
        rest = name + 12;
      if (!rest)
        m->icp_bad = 1;
      else
        m->icp_bytes += (uint64_t)(len - (uint32_t)(rest - name)) + content;
      if (rest && strcmp(name, "icp:private enhanced-orthogonal-persistence") == 0)
        m->eop = 1;
    }
    free(name);
    return;
  }
  case 1: { /* type */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      if (read_byte(r) != 0x60) {
        fail(r, "malformed function type");
        return;
      }
      uint32_t np = read_u32(r);
      if (r->failed || (size_t)(r->end - r->p) < np) {
        fail(r, "malformed function type");
        return;
      }
      const uint8_t *params = r->p;
      r->p += np;
      uint32_t nr = read_u32(r);
      if (r->failed || (size_t)(r->end - r->p) < nr) {
        fail(r, "malformed function type");
        return;
      }
      if (grow_array((void **)&m->types, m->ntypes, sizeof *m->types)) {
        fail(r, "out of host memory");
        return;
      }
      cmw_functype *t = &m->types[m->ntypes];
      t->types = malloc((size_t)np + nr + 1);
      if (!t->types) {
        fail(r, "out of host memory");
        return;
      }
      memcpy(t->types, params, np);
      memcpy(t->types + np, r->p, nr);
      m->v128_declared |= memchr(t->types, 0x7b, (size_t)np + nr) != NULL;
      t->nparams = np;
      t->nresults = nr;
      m->ntypes++;
      r->p += nr;
    }
    return;
  }
  case 2: { /* import */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      if (grow_array((void **)&m->imports, m->nimports, sizeof *m->imports)) {
        fail(r, "out of host memory");
        return;
      }
      cmw_import *im = &m->imports[m->nimports];
      memset(im, 0, sizeof *im);
      im->module = read_name(r, &im->module_len);
      if (!im->module)
        return;
      m->nimports++;
      im->name = read_name(r, &im->name_len);
      if (!im->name)
        return;
      im->kind = read_byte(r);
      uint64_t min, max;
      int has_max, is64;
      switch (im->kind) {
      case CMW_EXT_FUNC:
        im->type_index = read_u32(r);
        if (grow_array((void **)&m->func_types, m->nfuncs,
                       sizeof *m->func_types)) {
          fail(r, "out of host memory");
          return;
        }
        m->func_types[m->nfuncs++] = im->type_index;
        m->nimported_funcs++;
        break;
      case CMW_EXT_TABLE:
        im->reftype = read_byte(r);
        read_limits(r, &min, &max, &has_max, &is64);
        m->table64 |= is64;
        if (add_table(m, im->reftype, min, has_max ? max : UINT32_MAX)) {
          fail(r, "out of host memory");
          return;
        }
        m->nimported_tables++;
        break;
      case CMW_EXT_MEMORY:
        read_limits(r, &min, &max, &has_max, &is64);
        check_memory_limits(r, min, max, has_max, is64);
        if (m->nmemories == 0) {
          m->mem_min = min;
          m->mem_max = max;
          m->mem_has_max = has_max;
          m->mem_is64 = is64;
        }
        m->nmemories++;
        m->nimported_memories++;
        break;
      case CMW_EXT_GLOBAL: {
        uint8_t type = read_byte(r);
        uint8_t mut = read_byte(r);
        m->v128_declared |= type == 0x7b;
        if (add_global(m, type, mut)) {
          fail(r, "out of host memory");
          return;
        }
        m->nimported_globals++;
      }
        break;
      case CMW_EXT_TAG:
        read_byte(r);
        read_u32(r);
        break;
      default:
        fail(r, "malformed import kind");
      }
    }
    return;
  }
  case 3: { /* function */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      uint32_t t = read_u32(r);
      if (grow_array((void **)&m->func_types, m->nfuncs,
                     sizeof *m->func_types)) {
        fail(r, "out of host memory");
        return;
      }
      m->func_types[m->nfuncs++] = t;
    }
    return;
  }
  case 4: { /* table */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      uint8_t reftype = read_byte(r);
      uint64_t min, max;
      int has_max, is64;
      read_limits(r, &min, &max, &has_max, &is64);
      m->table64 |= is64;
      if (add_table(m, reftype, min, has_max ? max : UINT32_MAX)) {
        fail(r, "out of host memory");
        return;
      }
    }
    return;
  }
  case 5: { /* memory */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      uint64_t min, max;
      int has_max, is64;
      read_limits(r, &min, &max, &has_max, &is64);
      check_memory_limits(r, min, max, has_max, is64);
      if (m->nmemories == 0) {
        m->mem_min = min;
        m->mem_max = max;
        m->mem_has_max = has_max;
        m->mem_is64 = is64;
      }
      m->nmemories++;
    }
    return;
  }
  case 6: { /* global */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      uint8_t type = read_byte(r);
      uint8_t mut = read_byte(r);
      m->v128_declared |= type == 0x7b;
      int known;
      uint64_t value;
      read_const_expr(r, &known, &value);
      if (add_global(m, type, mut)) {
        fail(r, "out of host memory");
        return;
      }
    }
    return;
  }
  case 7: { /* export */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      if (grow_array((void **)&m->exports, m->nexports, sizeof *m->exports)) {
        fail(r, "out of host memory");
        return;
      }
      cmw_export *e = &m->exports[m->nexports];
      memset(e, 0, sizeof *e);
      e->name = read_name(r, &e->name_len);
      if (!e->name)
        return;
      m->nexports++;
      e->kind = read_byte(r);
      e->index = read_u32(r);
    }
    return;
  }
  case 8:
    m->has_start = 1;
    m->start_func = read_u32(r);
    return;
  case 11: { /* data */
    uint32_t n = read_u32(r);
    for (uint32_t i = 0; i < n && !r->failed; i++) {
      if (grow_array((void **)&m->data, m->ndata, sizeof *m->data)) {
        fail(r, "out of host memory");
        return;
      }
      cmw_data_segment *d = &m->data[m->ndata];
      memset(d, 0, sizeof *d);
      uint32_t flags = read_u32(r);
      if (flags > 2) {
        fail(r, "malformed data segment");
        return;
      }
      d->active = flags != 1;
      if (flags == 2)
        d->memory_index = read_u32(r);
      if (d->active)
        read_const_expr(r, &d->offset_known, &d->offset);
      uint32_t size = read_u32(r);
      if (r->failed || (size_t)(r->end - r->p) < size) {
        fail(r, "data segment out of bounds");
        return;
      }
      d->bytes = r->p;
      d->size = size;
      r->p += size;
      m->ndata++;
    }
    return;
  }
  default:
    r->p = r->end; /* element, code, data count: wasm2c checks them */
    return;
  }
}

int cmw_module_parse(cmw_module *m, const uint8_t *bytes, size_t size,
                     char *error, size_t error_size) {
  memset(m, 0, sizeof *m);
  m->bytes = malloc(size ? size : 1);
  if (!m->bytes) {
    snprintf(error, error_size, "out of host memory");
    return -1;
  }
  memcpy(m->bytes, bytes, size);
  m->size = size;
  static const uint8_t header[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  if (size < 8 || memcmp(m->bytes, header, 8) != 0) {
    snprintf(error, error_size, "not a WebAssembly module (magic or version)");
    return -1;
  }
  reader r = {m->bytes + 8, m->bytes + size, 0, NULL};
  while (r.p < r.end) {
    uint32_t id = read_byte(&r);
    uint32_t len = read_u32(&r);
    if (r.failed || (size_t)(r.end - r.p) < len) {
      fail(&r, "section out of bounds");
      break;
    }
    if (id > 12) {
      fail(&r, "malformed section id");
      break;
    }
    if (grow_array((void **)&m->sections, m->nsections, sizeof *m->sections)) {
      fail(&r, "out of host memory");
      break;
    }
    cmw_section *s = &m->sections[m->nsections++];
    s->id = id;
    s->start = (size_t)(r.p - m->bytes);
    s->end = s->start + len;
    reader sub = {r.p, r.p + len, 0, NULL};
    parse_section(m, &sub, id);
    if (sub.failed) {
      fail(&r, sub.why);
      break;
    }
    if (id != 0 && id != 2 && id != 3 && id != 4 && id != 5 && id != 6 &&
        id != 7 && id != 8 && id != 11 && sub.p != sub.end) {
      /* skipped sections: fine */
    } else if (sub.p != sub.end && id != 0) {
      fail(&r, "section size mismatch");
      break;
    }
    r.p += len;
  }
  if (r.failed) {
    snprintf(error, error_size, "malformed module: %s", r.why);
    return -1;
  }
  /* What the rewrite and the checks rely on, beyond wasm2c's validation. */
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (m->func_types[i] >= m->ntypes) {
      snprintf(error, error_size, "invalid module: unknown type %u",
               m->func_types[i]);
      return -1;
    }
  if (m->has_start && m->start_func >= m->nfuncs) {
    snprintf(error, error_size, "invalid module: unknown start function");
    return -1;
  }
  if (m->has_start) {
    const cmw_functype *t = &m->types[m->func_types[m->start_func]];
    if (t->nparams || t->nresults) {
      snprintf(error, error_size, "invalid module: start function type");
      return -1;
    }
  }
  return 0;
}

void cmw_module_free(cmw_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++)
    free(m->types[i].types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    free(m->imports[i].module);
    free(m->imports[i].name);
  }
  for (uint32_t i = 0; i < m->nexports; i++)
    free(m->exports[i].name);
  free(m->types);
  free(m->imports);
  free(m->func_types);
  free(m->table_reftypes);
  free(m->global_types);
  free(m->global_mut);
  free(m->table_min);
  free(m->table_max);
  free(m->exports);
  free(m->data);
  free(m->sections);
  free(m->bytes);
  memset(m, 0, sizeof *m);
}

/* ---- Canister rules ---- */

static const char *const system_exports[] = {
    "canister_init",         "canister_inspect_message",
    "canister_pre_upgrade",  "canister_post_upgrade",
    "canister_heartbeat",    "canister_global_timer",
    "canister_on_low_wasm_memory"};

static uint32_t method_kind(const cmw_export *e, const char **rest) {
  static const struct {
    const char *prefix;
    uint32_t kind;
  } prefixes[] = {{"canister_update ", CMW_METHOD_UPDATE},
                  {"canister_query ", CMW_METHOD_QUERY},
                  {"canister_composite_query ", CMW_METHOD_COMPOSITE}};
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    size_t n = strlen(prefixes[i].prefix);
    if (e->name_len >= n && memcmp(e->name, prefixes[i].prefix, n) == 0) {
      *rest = e->name + n;
      return prefixes[i].kind;
    }
  }
  for (size_t i = 0; i < sizeof system_exports / sizeof system_exports[0]; i++)
    if (strlen(system_exports[i]) == e->name_len &&
        strcmp(e->name, system_exports[i]) == 0) {
      *rest = e->name;
      return CMW_METHOD_SYSTEM;
    }
  return 0;
}

static int is_canister_name(const cmw_export *e) {
  return e->name_len >= 9 && memcmp(e->name, "canister_", 9) == 0;
}

static char type_code(char sig, int wasm64) {
  switch (sig) {
  case 'i': return (char)0x7f;
  case 'I': return (char)0x7e;
  default: return (char)(wasm64 ? 0x7e : 0x7f); /* P */
  }
}

static int signature_matches(const cmw_functype *t,
                             const cmw_syscall_info *s, int wasm64) {
  size_t np = strlen(s->params), nr = strlen(s->results);
  if (t->nparams != np || t->nresults != nr)
    return 0;
  for (size_t i = 0; i < np; i++)
    if ((char)t->types[i] != type_code(s->params[i], wasm64))
      return 0;
  for (size_t i = 0; i < nr; i++)
    if ((char)t->types[np + i] != type_code(s->results[i], wasm64))
      return 0;
  return 1;
}

#define WHY(...) snprintf(why, why_size, __VA_ARGS__)

uint32_t cmw_module_check(const cmw_module *m, const canmem_profile *p,
                          char *why, size_t why_size) {
  /* MOD-MEM-1/2 and the profile's heap maximum */
  if (m->nmemories > 1) {
    WHY("the module declares %u memories (at most one)", m->nmemories);
    return CANMEM_CAT_MODULE_MEMORY;
  }
  int wasm64 = m->nmemories && m->mem_is64;
  if (wasm64 && !(p->features & CANMEM_FEATURE_WASM64)) {
    WHY("memory64 modules are not enabled by the profile");
    return CANMEM_CAT_MODULE_MEMORY;
  }
  uint64_t heap_max = wasm64 ? p->max_heap64_bytes : p->max_heap32_bytes;
  if (m->nmemories && m->mem_min > heap_max / CMW_PAGE) {
    WHY("the memory's minimum (%llu pages) exceeds the heap maximum",
        (unsigned long long)m->mem_min);
    return CANMEM_CAT_MODULE_MEMORY;
  }
  /* imports: MOD-IMP-1..4 */
  for (uint32_t i = 0; i < m->nimports; i++) {
    const cmw_import *im = &m->imports[i];
    if (im->kind == CMW_EXT_MEMORY || im->kind == CMW_EXT_TABLE) {
      const char *want = im->kind == CMW_EXT_MEMORY ? "memory" : "table";
      if (!(p->features & CANMEM_FEATURE_ANY_MEMORY_IMPORT) &&
          !(strcmp(im->module, "env") == 0 && im->module_len == 3 &&
            strcmp(im->name, want) == 0 && im->name_len == strlen(want))) {
        WHY("a %s import must be env.%s in this profile", want, want);
        return CANMEM_CAT_MODULE_IMPORT;
      }
      continue;
    }
    if (im->kind != CMW_EXT_FUNC) {
      WHY("import %s.%s: only functions, a memory and tables may be imported",
          im->module, im->name);
      return CANMEM_CAT_MODULE_IMPORT;
    }
    if (im->module_len != 3 || strcmp(im->module, "ic0") != 0) {
      WHY("import %s.%s: functions must come from ic0", im->module, im->name);
      return CANMEM_CAT_MODULE_IMPORT;
    }
    int id = cmw_syscall_find(im->name, im->name_len);
    if (id < 0) {
      WHY("import ic0.%s: no such System API function", im->name);
      return CANMEM_CAT_MODULE_IMPORT;
    }
    const cmw_syscall_info *s = cmw_syscall((uint32_t)id);
    if ((s->flags & CMW_SYS_STABLE64) &&
        !(p->features & CANMEM_FEATURE_STABLE64)) {
      WHY("import ic0.%s: the 64-bit stable API is not in this profile",
          im->name);
      return CANMEM_CAT_MODULE_IMPORT;
    }
    if ((s->flags & CMW_SYS_WASM32_ONLY) && wasm64) {
      WHY("import ic0.%s is only available to wasm32 modules", im->name);
      return CANMEM_CAT_MODULE_IMPORT_WASM32_ONLY;
    }
    if (im->type_index >= m->ntypes ||
        !signature_matches(&m->types[im->type_index], s, wasm64)) {
      WHY("import ic0.%s has the wrong type", im->name);
      return CANMEM_CAT_MODULE_IMPORT_SIGNATURE;
    }
  }
  /* exports: MOD-EXP-1..3 */
  uint64_t nmethods = 0, method_bytes = 0;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const cmw_export *e = &m->exports[i];
    if (!is_canister_name(e))
      continue;
    const char *rest = NULL;
    uint32_t kind = method_kind(e, &rest);
    if (!kind) {
      WHY("export '%s': not an allowed canister_ name", e->name);
      return CANMEM_CAT_MODULE_EXPORT;
    }
    if (kind == CMW_METHOD_SYSTEM &&
        strcmp(e->name, "canister_on_low_wasm_memory") == 0 &&
        !(p->features & CANMEM_FEATURE_LOW_MEMORY_HOOK)) {
      WHY("export '%s': the low-memory hook is not in this profile", e->name);
      return CANMEM_CAT_MODULE_EXPORT;
    }
    if (e->kind != CMW_EXT_FUNC || e->index >= m->nfuncs ||
        m->types[m->func_types[e->index]].nparams != 0 ||
        m->types[m->func_types[e->index]].nresults != 0) {
      WHY("export '%s' must be a function of type () -> ()", e->name);
      return CANMEM_CAT_MODULE_EXPORT;
    }
    if (kind == CMW_METHOD_SYSTEM)
      continue;
    nmethods++;
    size_t len = e->name_len - (size_t)(rest - e->name);
    method_bytes += len;
    for (uint32_t k = 0; k < i; k++) {
      const char *other = NULL;
      uint32_t other_kind = method_kind(&m->exports[k], &other);
      if (other_kind && other_kind != CMW_METHOD_SYSTEM &&
          m->exports[k].name_len - (size_t)(other - m->exports[k].name) == len &&
          memcmp(other, rest, len) == 0) {
        WHY("method '%s' is exported more than once", rest);
        return CANMEM_CAT_MODULE_DUPLICATE_METHOD;
      }
    }
  }
  /* custom sections: MOD-CS-1 */
  if (m->icp_bad) {
    WHY("an icp: custom section other than icp:public/icp:private <name>");
    return CANMEM_CAT_MODULE_CUSTOM_SECTION;
  }
  for (uint32_t i = 0; i < m->nsections; i++) {
    if (m->sections[i].id != 0)
      continue;
    for (uint32_t k = i + 1; k < m->nsections; k++) {
      if (m->sections[k].id != 0)
        continue;
      /* both icp:public X and icp:private X, or the same one twice */
      reader a = {m->bytes + m->sections[i].start,
                  m->bytes + m->sections[i].end, 0, NULL};
      reader b = {m->bytes + m->sections[k].start,
                  m->bytes + m->sections[k].end, 0, NULL};
      uint32_t la = read_u32(&a), lb = read_u32(&b);
      if (a.failed || b.failed)
        continue;
      const char *na = (const char *)a.p, *nb = (const char *)b.p;
      const char *ra = NULL, *rb = NULL;
      if (la > 11 && memcmp(na, "icp:public ", 11) == 0)
        ra = na + 11;
      else if (la > 12 && memcmp(na, "icp:private ", 12) == 0)
        ra = na + 12;
      if (lb > 11 && memcmp(nb, "icp:public ", 11) == 0)
        rb = nb + 11;
      else if (lb > 12 && memcmp(nb, "icp:private ", 12) == 0)
        rb = nb + 12;
      if (ra && rb && la - (ra - na) == lb - (rb - nb) &&
          memcmp(ra, rb, la - (size_t)(ra - na)) == 0) {
        WHY("custom section icp:... %.*s declared twice",
            (int)(la - (ra - na)), ra);
        return CANMEM_CAT_MODULE_CUSTOM_SECTION;
      }
    }
  }
  /* limits: MOD-LIM-1/2 */
  if (p->max_functions && m->nfuncs > p->max_functions) {
    WHY("%u functions (at most %llu)", m->nfuncs,
        (unsigned long long)p->max_functions);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  if (p->max_globals && m->nglobals > p->max_globals) {
    WHY("%u globals (at most %llu)", m->nglobals,
        (unsigned long long)p->max_globals);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  if (p->max_exported_methods && nmethods > p->max_exported_methods) {
    WHY("%llu exported methods", (unsigned long long)nmethods);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  if (p->max_method_name_bytes && method_bytes > p->max_method_name_bytes) {
    WHY("method names take %llu bytes", (unsigned long long)method_bytes);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  if (p->max_icp_sections && m->nicp > p->max_icp_sections) {
    WHY("%u icp: custom sections", m->nicp);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  if (p->max_icp_section_bytes && m->icp_bytes > p->max_icp_section_bytes) {
    WHY("icp: custom sections take %llu bytes",
        (unsigned long long)m->icp_bytes);
    return CANMEM_CAT_MODULE_LIMIT;
  }
  return CANMEM_CAT_NONE;
}

int cmw_module_methods(const cmw_module *m, cmw_method **methods,
                       uint32_t *count) {
  *methods = NULL;
  *count = 0;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const char *rest = NULL;
    uint32_t kind = method_kind(&m->exports[i], &rest);
    if (!kind || m->exports[i].kind != CMW_EXT_FUNC)
      continue;
    if (grow_array((void **)methods, *count, sizeof **methods))
      return -1;
    cmw_method *me = &(*methods)[*count];
    me->name = strdup(rest);
    if (!me->name)
      return -1;
    me->kind = kind;
    me->export_index = i;
    me->slot = *count;
    (*count)++;
  }
  return 0;
}

/* ---- Rewriting ---- */

static int put_leb(cmw_buf *b, uint64_t v) {
  uint8_t tmp[10];
  size_t n = 0;
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    if (v)
      byte |= 0x80;
    tmp[n++] = byte;
  } while (v);
  return cmw_buf_append(b, tmp, n);
}

static int put_name(cmw_buf *b, const char *s, size_t n) {
  return put_leb(b, n) || cmw_buf_append(b, s, n);
}

static int put_section(cmw_buf *out, uint8_t id, const cmw_buf *payload) {
  return cmw_buf_append(out, &id, 1) || put_leb(out, payload->size) ||
         cmw_buf_append(out, payload->data, payload->size);
}

static int put_export(cmw_buf *b, const char *name, uint8_t kind,
                      uint32_t index) {
  return put_name(b, name, strlen(name)) || cmw_buf_append(b, &kind, 1) ||
         put_leb(b, index);
}

/* The import section with memory and table imports renamed, so that the
 * glue knows what wasm2c calls them. */
static int rewrite_imports(const cmw_module *m, const cmw_section *s,
                           cmw_buf *payload) {
  reader r = {m->bytes + s->start, m->bytes + s->end, 0, NULL};
  uint32_t n = read_u32(&r);
  if (put_leb(payload, n))
    return -1;
  uint32_t table = 0;
  for (uint32_t i = 0; i < n && !r.failed; i++) {
    uint32_t len;
    char *module = read_name(&r, &len);
    free(module);
    char *name = read_name(&r, &len);
    free(name);
    const uint8_t *desc = r.p;
    const cmw_import *im = &m->imports[i];
    /* skip the description with the same reader as parse_section */
    uint64_t a, b;
    int c, d;
    uint8_t kind = read_byte(&r);
    if (kind == CMW_EXT_FUNC) {
      read_u32(&r);
    } else if (kind == CMW_EXT_TABLE) {
      read_byte(&r);
      read_limits(&r, &a, &b, &c, &d);
    } else if (kind == CMW_EXT_MEMORY) {
      read_limits(&r, &a, &b, &c, &d);
    } else {
      return -1; /* refused by the checks before */
    }
    char renamed[32];
    if (im->kind == CMW_EXT_MEMORY) {
      if (put_name(payload, "cmw_env", 7) || put_name(payload, "mem", 3))
        return -1;
    } else if (im->kind == CMW_EXT_TABLE) {
      snprintf(renamed, sizeof renamed, "tab%u", table++);
      if (put_name(payload, "cmw_env", 7) ||
          put_name(payload, renamed, strlen(renamed)))
        return -1;
    } else {
      if (put_name(payload, im->module, im->module_len) ||
          put_name(payload, im->name, im->name_len))
        return -1;
    }
    if (cmw_buf_append(payload, desc, (size_t)(r.p - desc)))
      return -1;
  }
  return r.failed ? -1 : 0;
}

int cmw_module_snapshot_global(const cmw_module *m, uint32_t index) {
  uint8_t t = m->global_types[index];
  if (t != 0x7f && t != 0x7e && t != 0x7d && t != 0x7c && t != 0x7b)
    return 0; /* references have no value a snapshot could carry */
  if (m->global_mut[index])
    return 1;
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].kind == CMW_EXT_GLOBAL && m->exports[i].index == index)
      return 1;
  return 0;
}

uint32_t cmw_module_snapshot_globals(const cmw_module *m) {
  uint32_t n = 0;
  for (uint32_t i = 0; i < m->nglobals; i++)
    n += (uint32_t)cmw_module_snapshot_global(m, i);
  return n;
}

static int rewrite_exports(const cmw_module *m, const cmw_section *s,
                           const cmw_method *methods, uint32_t nmethods,
                           cmw_buf *payload) {
  uint32_t extra = nmethods + m->ntables + (m->nmemories ? 1u : 0u) +
                   (m->has_start ? 1u : 0u) + cmw_module_snapshot_globals(m);
  if (put_leb(payload, (uint64_t)m->nexports + extra))
    return -1;
  if (s) {
    reader r = {m->bytes + s->start, m->bytes + s->end, 0, NULL};
    read_u32(&r);
    if (cmw_buf_append(payload, r.p, (size_t)(r.end - r.p)))
      return -1;
  }
  char name[32];
  for (uint32_t i = 0; i < nmethods; i++) {
    snprintf(name, sizeof name, "cmw_f%u", methods[i].slot);
    if (put_export(payload, name, CMW_EXT_FUNC,
                   m->exports[methods[i].export_index].index))
      return -1;
  }
  for (uint32_t i = 0; i < m->ntables; i++) {
    snprintf(name, sizeof name, "cmw_tab%u", i);
    if (put_export(payload, name, CMW_EXT_TABLE, i))
      return -1;
  }
  if (m->nmemories && put_export(payload, "cmw_mem", CMW_EXT_MEMORY, 0))
    return -1;
  if (m->has_start &&
      put_export(payload, "cmw_start", CMW_EXT_FUNC, m->start_func))
    return -1;
  for (uint32_t i = 0, k = 0; i < m->nglobals; i++) {
    if (!cmw_module_snapshot_global(m, i))
      continue;
    snprintf(name, sizeof name, "cmw_g%u", k++);
    if (put_export(payload, name, CMW_EXT_GLOBAL, i))
      return -1;
  }
  return 0;
}

/* Sections in their binary order (data count, 12, sits before code). */
static int section_rank(uint32_t id) {
  static const int rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
  return id <= 12 ? rank[id] : 99;
}

int cmw_module_rewrite(const cmw_module *m, const cmw_method *methods,
                       uint32_t nmethods, cmw_buf *out) {
  static const uint8_t header[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  if (cmw_buf_append(out, header, 8))
    return -1;
  /* our export names must not collide with the module's own */
  for (uint32_t i = 0; i < m->nexports; i++)
    if (m->exports[i].name_len >= 4 &&
        memcmp(m->exports[i].name, "cmw_", 4) == 0)
      return -2;
  int exports_done = 0;
  cmw_buf payload = {0};
  for (uint32_t i = 0; i < m->nsections; i++) {
    const cmw_section *s = &m->sections[i];
    if (s->id == 0 || s->id == 8)
      continue;
    if (!exports_done && section_rank(s->id) > section_rank(7)) {
      payload.size = 0;
      if (rewrite_exports(m, NULL, methods, nmethods, &payload) ||
          put_section(out, 7, &payload))
        goto fail;
      exports_done = 1;
    }
    payload.size = 0;
    if (s->id == 2) {
      if (rewrite_imports(m, s, &payload) || put_section(out, 2, &payload))
        goto fail;
    } else if (s->id == 7) {
      if (rewrite_exports(m, s, methods, nmethods, &payload) ||
          put_section(out, 7, &payload))
        goto fail;
      exports_done = 1;
    } else {
      cmw_buf raw = {m->bytes + s->start, s->end - s->start, 0};
      if (put_section(out, (uint8_t)s->id, &raw))
        goto fail;
    }
  }
  if (!exports_done) {
    payload.size = 0;
    if (rewrite_exports(m, NULL, methods, nmethods, &payload) ||
        put_section(out, 7, &payload))
      goto fail;
  }
  cmw_buf_free(&payload);
  return 0;
fail:
  cmw_buf_free(&payload);
  return -1;
}
