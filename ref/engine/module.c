/* canmem engine: modules, from bytes to a validated cm_module, and the
 * reflection functions hosts use to link by name. */
#include <stdlib.h>
#include <string.h>

#include "module.h"
#include "reader.h"

cm_module *cm_module_new(const uint8_t *bytes, size_t size, cm_error *err) {
  cm_error scratch;
  if (!err) err = &scratch;
  memset(err, 0, sizeof *err);
  err->func = UINT32_MAX;
  cm_module *m = calloc(1, sizeof *m);
  /* one byte at least, so an empty input is not mistaken for a failure */
  uint8_t *copy = malloc(size ? size : 1);
  if (!m || !copy) {
    free(m);
    free(copy);
    cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE, "out of host memory");
    return NULL;
  }
  if (size) memcpy(copy, bytes, size);
  m->bytes = copy;
  m->size = size;
  if (cm_decode(m, err) != CM_OK || cm_validate(m, err) != CM_OK) {
    cm_module_free(m);
    return NULL;
  }
  return m;
}

void cm_module_free(cm_module *m) {
  if (!m) return;
  cm_module_clear(m);
  free(m->bytes);
  free(m);
}

void cm_module_clear(cm_module *m) {
  /* types point into m->bytes: only the array is ours */
  free(m->types);
  for (uint32_t i = 0; i < m->nimports; i++) {
    cm_name_free(m->imports[i].module);
    cm_name_free(m->imports[i].name);
  }
  free(m->imports);
  free(m->func_types);
  free(m->tables);
  free(m->memories);
  free(m->globals);
  free(m->global_inits);
  for (uint32_t i = 0; i < m->nexports; i++) cm_name_free(m->exports[i].name);
  free(m->exports);
  for (uint32_t i = 0; i < m->nelems; i++) free(m->elems[i].items);
  free(m->elems);
  free(m->datas);
  /* codes has one entry per function section entry, allocated or not */
  if (m->codes) {
    for (uint32_t i = 0; i < m->nfuncs - m->nfuncs_imported; i++) {
      free(m->codes[i].local_types);
      free(m->codes[i].code);
    }
  }
  free(m->codes);
  for (uint32_t i = 0; i < m->ncustoms; i++) cm_name_free(m->customs[i].name);
  free(m->customs);

  uint8_t *bytes = m->bytes;
  size_t size = m->size;
  memset(m, 0, sizeof *m);
  m->bytes = bytes;
  m->size = size;
}

/* ---- Reflection ---- */

uint32_t cm_module_import_count(const cm_module *m) { return m->nimports; }

void cm_module_import(const cm_module *m, uint32_t i, const char **module,
                      const char **name, cm_externkind *kind) {
  const cm_import *imp = i < m->nimports ? &m->imports[i] : NULL;
  if (module) *module = imp ? imp->module : NULL;
  if (name) *name = imp ? imp->name : NULL;
  if (kind && imp) *kind = imp->kind;
}

const cm_functype *cm_module_import_functype(const cm_module *m, uint32_t i) {
  if (i >= m->nimports || m->imports[i].kind != CM_EXTERN_FUNC) return NULL;
  return &m->types[m->imports[i].desc.func];
}

uint32_t cm_module_export_count(const cm_module *m) { return m->nexports; }

void cm_module_export(const cm_module *m, uint32_t i, const char **name,
                      cm_externkind *kind) {
  const cm_export *e = i < m->nexports ? &m->exports[i] : NULL;
  if (name) *name = e ? e->name : NULL;
  if (kind && e) *kind = e->kind;
}

const cm_functype *cm_module_export_functype(const cm_module *m,
                                             const char *name) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const cm_export *e = &m->exports[i];
    if (e->kind == CM_EXTERN_FUNC && strcmp(e->name, name) == 0)
      return &m->types[m->func_types[e->index]];
  }
  return NULL;
}

uint32_t cm_module_custom_count(const cm_module *m) { return m->ncustoms; }

void cm_module_custom(const cm_module *m, uint32_t i, const char **name,
                      const uint8_t **bytes, size_t *size) {
  const cm_custom *c = i < m->ncustoms ? &m->customs[i] : NULL;
  if (name) *name = c ? c->name : NULL;
  if (bytes) *bytes = c ? c->bytes : NULL;
  if (size) *size = c ? c->size : 0;
}

uint32_t cm_module_memory_count(const cm_module *m) { return m->nmems; }

const cm_limits *cm_module_memory_limits(const cm_module *m, uint32_t i) {
  return i < m->nmems ? &m->memories[i] : NULL;
}

bool cm_module_has_start(const cm_module *m) { return m->has_start; }

uint32_t cm_module_features(const cm_module *m) {
  uint32_t features = m->features;
  for (uint32_t i = 0; i < m->nmems; i++)
    if (m->memories[i].is64)
      features |= CM_FEATURE_MEMORY64;
  return features;
}
