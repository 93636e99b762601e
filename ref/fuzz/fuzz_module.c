/* libFuzzer harness for the engine (`make fuzz`): any byte string goes
 * through decode + validate, instantiation with dummy imports, and a call
 * of every exported function with zero arguments under an instruction
 * limit, inside an open write journal that is alternately committed and
 * rolled back. The engine promises that every failure is a returned value,
 * so any crash, sanitizer report or leak here is a bug.
 *
 * Built with -DCM_FUZZ_STANDALONE it gets a main() that runs the files
 * named on the command line once each, for replaying a crash under a
 * debugger or valgrind without libFuzzer. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "module.h"

/* Small limits keep each input fast and the process far from the fuzzer's
 * memory limit. */
enum {
  FUZZ_MAX_PAGES = 256,         /* 16 MiB per memory, 32- and 64-bit */
  FUZZ_MAX_TABLE = 1u << 16,    /* see too_big_to_try */
  FUZZ_INSTRUCTIONS = 200000,   /* per invocation */
  FUZZ_CALL_DEPTH = 500,
  FUZZ_STACK_CELLS = 1u << 16,
};

/* A dummy import function returns zeros, in cells (a v128 takes two);
 * env is its type. */
static cm_status dummy_function(void *env, cm_instance *caller,
                                const uint64_t *args, uint64_t *results,
                                cm_error *err) {
  const cm_functype *type = env;
  (void)caller;
  (void)args;
  (void)err;
  uint64_t cells = cm_types_cells(type->results, type->nresults);
  for (uint64_t i = 0; i < cells; i++)
    results[i] = 0;
  return CM_OK;
}

/* cm_store_limits bounds memories but not tables: a table declared with
 * min 2^32 would make the engine allocate 32 GiB, which libFuzzer reports
 * as out-of-memory. Such inputs are skipped rather than reported. */
static int too_big_to_try(const cm_module *m) {
  for (uint32_t i = 0; i < m->ntables; i++)
    if (m->tables[i].limits.min > FUZZ_MAX_TABLE)
      return 1;
  return 0;
}

/* Makes one object of the imported kind and type. Returns 0 when the
 * engine refuses (e.g. a memory larger than the store allows). */
static int make_dummy_import(cm_store *store, const cm_module *m, uint32_t i,
                             cm_extern *out) {
  const cm_import *imp = &m->imports[i];
  out->kind = imp->kind;
  switch (imp->kind) {
  case CM_EXTERN_FUNC: {
    if (imp->desc.func >= m->ntypes)
      return 0;
    const cm_functype *type = &m->types[imp->desc.func];
    out->as.func = cm_host_func_new(store, type, dummy_function, (void *)type);
    return out->as.func != NULL;
  }
  case CM_EXTERN_TABLE:
    out->as.table =
        cm_table_new(store, imp->desc.table.elemtype, &imp->desc.table.limits);
    return out->as.table != NULL;
  case CM_EXTERN_MEMORY:
    out->as.memory = cm_memory_new(store, &imp->desc.memory);
    return out->as.memory != NULL;
  case CM_EXTERN_GLOBAL: {
    cm_val zero = {.type = imp->desc.global.type, .bits = 0};
    out->as.global = cm_global_new(store, zero, imp->desc.global.mut);
    return out->as.global != NULL;
  }
  }
  return 0;
}

static void call_every_export(cm_store *store, cm_instance *inst,
                              const cm_module *m) {
  cm_memory *memory = cm_instance_memory(inst);
  for (uint32_t i = 0; i < cm_module_export_count(m); i++) {
    const char *name;
    cm_externkind kind;
    cm_extern fn;
    cm_module_export(m, i, &name, &kind);
    if (kind != CM_EXTERN_FUNC || !cm_instance_export(inst, name, &fn))
      continue;
    const cm_functype *type = cm_func_type(fn.as.func);
    cm_val *args = calloc((size_t)type->nparams + 1, sizeof *args);
    cm_val *results = calloc((size_t)type->nresults + 1, sizeof *results);
    if (args != NULL && results != NULL) {
      for (uint32_t p = 0; p < type->nparams; p++)
        args[p].type = type->params[p];
      cm_error err;
      if (memory != NULL)
        cm_memory_journal_begin(memory);
      (void)cm_invoke(store, fn.as.func, args, results, &err);
      if (memory != NULL) {
        if (i % 2)
          cm_memory_journal_rollback(memory);
        else
          cm_memory_journal_commit(memory);
      }
    }
    free(args);
    free(results);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cm_error err;
  cm_module *m = cm_module_new(data, size, &err);
  if (m == NULL)
    return 0;
  if (too_big_to_try(m)) {
    cm_module_free(m);
    return 0;
  }

  cm_store_limits limits = cm_store_default_limits();
  limits.max_pages32 = FUZZ_MAX_PAGES;
  limits.max_pages64 = FUZZ_MAX_PAGES;
  limits.instruction_limit = FUZZ_INSTRUCTIONS;
  limits.max_call_depth = FUZZ_CALL_DEPTH;
  limits.value_stack_size = FUZZ_STACK_CELLS;
  cm_store *store = cm_store_new(&limits);
  uint32_t nimports = cm_module_import_count(m);
  cm_extern *imports = calloc((size_t)nimports + 1, sizeof *imports);
  int linked = store != NULL && imports != NULL;
  for (uint32_t i = 0; linked && i < nimports; i++)
    linked = make_dummy_import(store, m, i, &imports[i]);

  if (linked) {
    cm_instance *inst = cm_instantiate(store, m, imports, nimports, &err);
    if (inst != NULL)
      call_every_export(store, inst, m);
  }
  free(imports);
  if (store != NULL)
    cm_store_free(store);
  cm_module_free(m);
  return 0;
}

#ifdef CM_FUZZ_STANDALONE
int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (f == NULL) {
      perror(argv[i]);
      return 2;
    }
    size_t capacity = 1 << 20, size;
    uint8_t *bytes = malloc(capacity);
    size = bytes ? fread(bytes, 1, capacity, f) : 0;
    fclose(f);
    if (bytes == NULL || size == capacity) {
      fprintf(stderr, "%s: unreadable or larger than 1 MiB\n", argv[i]);
      free(bytes);
      return 2;
    }
    LLVMFuzzerTestOneInput(bytes, size);
    free(bytes);
    printf("%s: done\n", argv[i]);
  }
  return 0;
}
#endif
