/* The `spectest` host module: see spectest.h. */
#include "spectest.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

enum { PRINT_FUNC_COUNT = 7, MAX_PRINT_PARAMS = 2, EXPORT_COUNT = 13 };

/* One print function: its name and type, and the module it belongs to so
 * it knows where to print. */
typedef struct {
  const char *name;
  const cm_spectest *owner;
  cm_functype type;
  uint8_t params[MAX_PRINT_PARAMS];
} print_func;

typedef struct {
  const char *name;
  cm_extern ext;
} spectest_export;

struct cm_spectest {
  FILE *print_to;
  print_func prints[PRINT_FUNC_COUNT];
  spectest_export exports[EXPORT_COUNT];
  size_t nexports;
};

static void print_value(FILE *out, uint8_t type, uint64_t cell) {
  switch (type) {
  case CM_I32:
    fprintf(out, "%" PRId32 " : i32", (int32_t)(uint32_t)cell);
    break;
  case CM_I64:
    fprintf(out, "%" PRId64 " : i64", (int64_t)cell);
    break;
  case CM_F32: {
    uint32_t bits = (uint32_t)cell;
    float f;
    memcpy(&f, &bits, sizeof f);
    fprintf(out, "%.9g : f32", (double)f);
    break;
  }
  case CM_F64: {
    double d;
    memcpy(&d, &cell, sizeof d);
    fprintf(out, "%.17g : f64", d);
    break;
  }
  default:
    fprintf(out, "0x%" PRIx64 " : ?", cell);
    break;
  }
}

static cm_status print_call(void *env, cm_instance *caller,
                            const uint64_t *args, uint64_t *results,
                            cm_error *err) {
  (void)caller;
  (void)results; /* print functions return nothing */
  (void)err;
  const print_func *pf = env;
  FILE *out = pf->owner->print_to;
  if (out == NULL)
    return CM_OK;
  fprintf(out, "spectest.%s(", pf->name);
  for (uint32_t i = 0; i < pf->type.nparams; i++) {
    if (i > 0)
      fputs(", ", out);
    print_value(out, pf->type.params[i], args[i]);
  }
  fputs(")\n", out);
  return CM_OK;
}

static bool add_export(cm_spectest *st, const char *name, cm_extern ext) {
  if (st->nexports == EXPORT_COUNT)
    return false;
  st->exports[st->nexports].name = name;
  st->exports[st->nexports].ext = ext;
  st->nexports++;
  return true;
}

static bool add_global(cm_spectest *st, cm_store *s, const char *name,
                       uint8_t type, uint64_t bits) {
  cm_val v = {.type = type, .bits = bits};
  cm_global *g = cm_global_new(s, v, false);
  if (g == NULL)
    return false;
  return add_export(st, name, (cm_extern){.kind = CM_EXTERN_GLOBAL,
                                          .as.global = g});
}

cm_spectest *cm_spectest_new(cm_store *s, FILE *print_to, cm_error *err) {
  static const struct {
    const char *name;
    uint32_t nparams;
    uint8_t params[MAX_PRINT_PARAMS];
  } print_types[PRINT_FUNC_COUNT] = {
      {"print", 0, {0, 0}},
      {"print_i32", 1, {CM_I32, 0}},
      {"print_i64", 1, {CM_I64, 0}},
      {"print_f32", 1, {CM_F32, 0}},
      {"print_f64", 1, {CM_F64, 0}},
      {"print_i32_f32", 2, {CM_I32, CM_F32}},
      {"print_f64_f64", 2, {CM_F64, CM_F64}},
  };
  cm_spectest *st = calloc(1, sizeof *st);
  if (st == NULL) {
    cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE, "spectest: out of memory");
    return NULL;
  }
  st->print_to = print_to;

  for (size_t i = 0; i < PRINT_FUNC_COUNT; i++) {
    print_func *pf = &st->prints[i];
    pf->name = print_types[i].name;
    pf->owner = st;
    memcpy(pf->params, print_types[i].params, sizeof pf->params);
    pf->type.nparams = print_types[i].nparams;
    pf->type.params = pf->params;
    pf->type.nresults = 0;
    pf->type.results = NULL;
    cm_func_inst *f = cm_host_func_new(s, &pf->type, print_call, pf);
    if (f == NULL ||
        !add_export(st, pf->name,
                    (cm_extern){.kind = CM_EXTERN_FUNC, .as.func = f}))
      goto out_of_memory;
  }

  /* 666.6 is not exact in binary; the suite expects the nearest float and
   * the nearest double, as the literals below round. */
  float f32_value = 666.6f;
  double f64_value = 666.6;
  uint32_t f32_bits;
  uint64_t f64_bits;
  memcpy(&f32_bits, &f32_value, sizeof f32_bits);
  memcpy(&f64_bits, &f64_value, sizeof f64_bits);
  if (!add_global(st, s, "global_i32", CM_I32, 666) ||
      !add_global(st, s, "global_i64", CM_I64, 666) ||
      !add_global(st, s, "global_f32", CM_F32, f32_bits) ||
      !add_global(st, s, "global_f64", CM_F64, f64_bits))
    goto out_of_memory;

  cm_limits table_limits = {.min = 10, .max = 20, .has_max = true};
  cm_table *table = cm_table_new(s, CM_FUNCREF, &table_limits);
  if (table == NULL ||
      !add_export(st, "table",
                  (cm_extern){.kind = CM_EXTERN_TABLE, .as.table = table}))
    goto out_of_memory;

  cm_limits memory_limits = {.min = 1, .max = 2, .has_max = true};
  cm_memory *memory = cm_memory_new(s, &memory_limits);
  if (memory == NULL ||
      !add_export(st, "memory",
                  (cm_extern){.kind = CM_EXTERN_MEMORY, .as.memory = memory}))
    goto out_of_memory;
  return st;

out_of_memory:
  /* Objects already made belong to the store, which frees them. */
  free(st);
  cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
          "spectest: cannot create the host module's objects");
  return NULL;
}

void cm_spectest_free(cm_spectest *st) { free(st); }

bool cm_spectest_lookup(const cm_spectest *st, const char *name,
                        cm_extern *out) {
  for (size_t i = 0; i < st->nexports; i++) {
    if (strcmp(st->exports[i].name, name) == 0) {
      *out = st->exports[i].ext;
      return true;
    }
  }
  return false;
}
