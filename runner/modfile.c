/* canmem runner: modules read from files, and the requirements a module's
 * bytes imply.
 *
 * (module $m file "NAME") names a binary beside the vector or one that the
 * build made in its mirror of the vector's folder (docs/vector-format.md,
 * docs/corpus.md). A build that lacks the toolchain of an artifact leaves
 * NAME.skip there with the reason, so the vector is skipped rather than
 * broken.
 *
 * What a binary needs (SIMD, tail calls, 64-bit tables and memories) comes
 * from the engine's reflection. An engine that does not decode the module
 * (a feature it does not have yet, a module that is invalid on purpose)
 * still gets the declared features: a scan of the type, import, table and
 * memory sections finds 64-bit limits and v128 types. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "runner.h"
#include "wasm.h"

/* The profiles allow 100 MiB; a little more so the runtime, not the
 * runner, refuses a module that is too big. */
#define MAX_MODULE_FILE (128u << 20)

/* ---- Scanning the declarations ---- */

typedef struct {
  const uint8_t *p, *end;
  bool ok;
} reader;

/* What the declarations say: CM_FEATURE_* bits, and whether the module
 * imports the 64-bit stable API (a requirement of its own). */
typedef struct {
  uint32_t features;
  bool stable64;
} declared;

static uint8_t read_byte(reader *r) {
  if (r->p >= r->end) {
    r->ok = false;
    return 0;
  }
  return *r->p++;
}

static uint64_t read_leb(reader *r) {
  uint64_t value = 0;
  for (unsigned shift = 0; shift < 70; shift += 7) {
    uint8_t b = read_byte(r);
    if (shift < 64)
      value |= (uint64_t)(b & 0x7f) << shift;
    if (!(b & 0x80))
      return value;
  }
  r->ok = false;
  return 0;
}

static void skip(reader *r, uint64_t n) {
  if ((uint64_t)(r->end - r->p) < n) {
    r->ok = false;
    return;
  }
  r->p += n;
}

#define VALTYPE_V128 0x7b

/* limits: flags (bit 0 a maximum, bit 2 64-bit), minimum, maximum */
static bool read_limits_64(reader *r) {
  uint8_t flags = read_byte(r);
  read_leb(r);
  if (flags & 1)
    read_leb(r);
  return (flags & 4) != 0;
}

static bool name_is(reader *r, uint64_t size, const char *text, size_t n) {
  return size >= n && (uint64_t)(r->end - r->p) >= size &&
         memcmp(r->p, text, n) == 0;
}

static void scan_types(reader *r, uint32_t *features) {
  for (uint64_t n = read_leb(r); r->ok && n--;) {
    if (read_byte(r) != 0x60) { /* not a plain function type */
      r->ok = false;
      return;
    }
    for (int part = 0; part < 2 && r->ok; part++)
      for (uint64_t k = read_leb(r); r->ok && k--;)
        if (read_byte(r) == VALTYPE_V128)
          *features |= CM_FEATURE_SIMD;
  }
}

static void scan_table_type(reader *r, uint32_t *features) {
  read_byte(r); /* reference type */
  if (read_limits_64(r))
    *features |= CM_FEATURE_TABLE64;
}

static void scan_imports(reader *r, declared *d) {
  uint32_t *features = &d->features;
  for (uint64_t n = read_leb(r); r->ok && n--;) {
    uint64_t size = read_leb(r);
    bool ic0 = size == 3 && name_is(r, size, "ic0", 3);
    skip(r, size);
    size = read_leb(r);
    if (ic0 && name_is(r, size, "stable64_", 9))
      d->stable64 = true;
    skip(r, size);
    switch (read_byte(r)) {
    case 0: read_leb(r); break; /* function: type index */
    case 1: scan_table_type(r, features); break;
    case 2:
      if (read_limits_64(r))
        *features |= CM_FEATURE_MEMORY64;
      break;
    case 3:
      if (read_byte(r) == VALTYPE_V128)
        *features |= CM_FEATURE_SIMD;
      read_byte(r); /* mutability */
      break;
    default: r->ok = false; /* tags and later kinds: stop here */
    }
  }
}

static void scan_tables(reader *r, uint32_t *features) {
  for (uint64_t n = read_leb(r); r->ok && n--;) {
    if (r->p + 1 < r->end && r->p[0] == 0x40 && r->p[1] == 0x00) {
      /* a table with an initializer: the type, then an expression this
       * scan does not decode, so it stops after the type */
      skip(r, 2);
      scan_table_type(r, features);
      return;
    }
    scan_table_type(r, features);
  }
}

static void scan_memories(reader *r, uint32_t *features) {
  for (uint64_t n = read_leb(r); r->ok && n--;)
    if (read_limits_64(r))
      *features |= CM_FEATURE_MEMORY64;
}

static declared scan_declarations(const uint8_t *wasm, size_t size) {
  declared d = {0, false};
  uint32_t *features = &d.features;
  if (size < 8 || memcmp(wasm, "\0asm", 4) != 0)
    return d;
  reader module = {wasm + 8, wasm + size, true};
  while (module.ok && module.p < module.end) {
    uint8_t id = read_byte(&module);
    uint64_t length = read_leb(&module);
    if (!module.ok || (uint64_t)(module.end - module.p) < length)
      break;
    reader section = {module.p, module.p + length, true};
    module.p += length;
    switch (id) {
    case 1: scan_types(&section, features); break;
    case 2: scan_imports(&section, &d); break;
    case 4: scan_tables(&section, features); break;
    case 5: scan_memories(&section, features); break;
    default: break;
    }
  }
  return d;
}

uint32_t cmr_wasm_features(const uint8_t *wasm, size_t size) {
  cm_error err;
  memset(&err, 0, sizeof err);
  cm_module *m = cm_module_new(wasm, size, &err);
  if (!m)
    return scan_declarations(wasm, size).features;
  uint32_t features = cm_module_features(m);
  cm_module_free(m);
  return features;
}

bool cmr_vector_imply_from_wasm(cmr_vector *v, const uint8_t *wasm,
                                size_t size) {
  static const struct {
    uint32_t feature;
    const char *requirement;
  } implied[] = {
      {CM_FEATURE_SIMD, "simd"},
      {CM_FEATURE_TAIL_CALL, "tail-call"},
      {CM_FEATURE_TABLE64, "table64"},
      {CM_FEATURE_MEMORY64, "wasm64"},
  };
  uint32_t features = cmr_wasm_features(wasm, size);
  for (size_t i = 0; i < sizeof implied / sizeof implied[0]; i++)
    if ((features & implied[i].feature) &&
        !cmr_vector_require(v, implied[i].requirement))
      return false;
  return !scan_declarations(wasm, size).stable64 ||
         cmr_vector_require(v, "stable64");
}

/* ---- Finding and reading module files ---- */

static char *join(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s%s", a, b, c);
  return s;
}

static bool is_file(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The candidate paths of a module file, in the order they are tried:
 * BUILD/vectors/<folder of the id>/NAME for each build tree, then beside
 * the vector. The build trees come first: what the build made is current,
 * while a source tree that once held an in-tree build may keep stale
 * copies; a file committed beside the vector is never made by the build. */
static char **candidates(const cmr_vector *v, const cmr_module *m,
                         const cmr_file_lookup *lookup, size_t *count) {
  char **paths = calloc(lookup->count + 1, sizeof *paths);
  if (!paths)
    return NULL;
  const char *slash = strrchr(v->path, '/');
  char *beside;
  if (slash) {
    size_t n = (size_t)(slash - v->path) + 1;
    char *folder = malloc(n + 1);
    if (folder) {
      memcpy(folder, v->path, n);
      folder[n] = '\0';
    }
    beside = folder ? join(folder, m->file, "") : NULL;
    free(folder);
  } else {
    beside = join(m->file, "", "");
  }
  size_t k = 0;
  const char *id_slash = strrchr(v->id, '/');
  size_t id_folder = id_slash ? (size_t)(id_slash - v->id) + 1 : 0;
  for (size_t i = 0; i < lookup->count; i++) {
    size_t n = strlen(lookup->build_dirs[i]) + strlen("/vectors/") + id_folder +
               strlen(m->file) + 1;
    char *path = malloc(n);
    if (!path)
      goto fail;
    snprintf(path, n, "%s/vectors/%.*s%s", lookup->build_dirs[i],
             (int)id_folder, v->id, m->file);
    paths[k++] = path;
  }
  if (!beside)
    goto fail;
  paths[k++] = beside;
  *count = k;
  return paths;
fail:
  free(beside);
  for (size_t i = 0; i < k; i++)
    free(paths[i]);
  free(paths);
  return NULL;
}

static void free_paths(char **paths, size_t count) {
  for (size_t i = 0; i < count; i++)
    free(paths[i]);
  free(paths);
}

/* The reason in PATH.skip (its first line), or NULL when there is none. */
static char *skip_reason(const char *path) {
  char *marker = join(path, ".skip", "");
  if (!marker || !is_file(marker)) {
    free(marker);
    return NULL;
  }
  char why[300];
  size_t size;
  char *text = cm_read_file(marker, 4096, &size, why, sizeof why);
  free(marker);
  if (!text)
    return NULL;
  char *newline = strchr(text, '\n');
  if (newline)
    *newline = '\0';
  if (!text[0]) {
    free(text);
    return join("the build could not make this module (no reason given)", "",
                "");
  }
  return text;
}

static bool load_one(cmr_vector *v, cmr_module *m,
                     const cmr_file_lookup *lookup, cmr_error *err) {
  size_t count = 0;
  char **paths = candidates(v, m, lookup, &count);
  if (!paths)
    return cmr_fail(err, m->line, m->column, "out of memory");
  for (size_t i = 0; i < count; i++) {
    if (!is_file(paths[i]))
      continue;
    char why[300];
    m->bytes =
        (uint8_t *)cm_read_file(paths[i], MAX_MODULE_FILE, &m->size, why,
                                sizeof why);
    if (!m->bytes) {
      free_paths(paths, count);
      return cmr_fail(err, m->line, m->column, "module %s: cannot read %s",
                      m->name, why);
    }
    m->found = paths[i];
    paths[i] = NULL;
    free_paths(paths, count);
    return cmr_vector_imply_from_wasm(v, m->bytes, m->size) ||
           cmr_fail(err, m->line, m->column, "out of memory");
  }
  /* Not built: a marker says why (a missing toolchain), in the build tree
   * or, once installed, beside the vector (the last candidate). */
  for (size_t i = 0; i < count && !v->unavailable; i++) {
    char *reason = skip_reason(paths[i]);
    if (!reason)
      continue;
    size_t n = strlen(m->file) + strlen(reason) + 40;
    if ((v->unavailable = malloc(n)))
      snprintf(v->unavailable, n, "module file %s was not built: %s", m->file,
               reason);
    free(reason);
    free_paths(paths, count);
    return v->unavailable ||
           cmr_fail(err, m->line, m->column, "out of memory");
  }
  char tried[700] = "";
  size_t len = 0;
  for (size_t i = 0; i < count && len < sizeof tried; i++) {
    int n = snprintf(tried + len, sizeof tried - len, "%s%s", i ? ", " : "",
                     paths[i]);
    if (n > 0)
      len += (size_t)n;
  }
  free_paths(paths, count);
  return cmr_fail(err, m->line, m->column,
                  "module %s: file \"%s\" not found (tried %s); files made "
                  "by the build appear after `make`",
                  m->name, m->file, tried);
}

bool cmr_vector_load_files(cmr_vector *v, const cmr_file_lookup *lookup,
                           cmr_error *err) {
  for (size_t i = 0; i < v->module_count; i++) {
    cmr_module *m = &v->modules[i];
    if (m->file && !m->bytes && !load_one(v, m, lookup, err))
      return false;
    if (v->unavailable)
      return true;
  }
  return true;
}
