/* Turning a canister module into a loaded shared object: wasm2c translates
 * the rewritten module, the adapter writes the glue (ic0 imports that call
 * back into the adapter, entry points that catch traps, accessors for the
 * memory and tables), the system C compiler builds module + glue + runtime
 * into one object, which is cached by a hash of everything that went into
 * it, and dlopen() loads it. */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "w2c_internal.h"
#include "w2c_rt_text.h" /* cmw_rt_lines: w2c_rt.c as text (generated) */

extern char **environ;

/* Deepest wasm call chain, as the reference engine's default. */
#define CMW_MAX_CALL_DEPTH "10000"
/* Bumped whenever the glue or the compile command changes meaning. */
#define CMW_BUILD_ID "cmw-build-4"

struct cmw_object {
  void *handle;
  const cmw_glue *glue;
};

const cmw_glue *cmw_object_glue(const cmw_object *o) { return o->glue; }

void cmw_object_release(cmw_object *o) {
  if (!o)
    return;
  dlclose(o->handle);
  free(o);
}

/* ---- Processes and files ---- */

int cmw_run(char *const argv[], const char *in_path, const char *out_path,
            const char *err_path) {
  posix_spawn_file_actions_t fa;
  if (posix_spawn_file_actions_init(&fa))
    return -1;
  posix_spawn_file_actions_addopen(&fa, 0, in_path ? in_path : "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT |
                                   O_TRUNC, 0600);
  if (out_path)
    posix_spawn_file_actions_addopen(&fa, 1, out_path,
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
  else
    posix_spawn_file_actions_adddup2(&fa, 2, 1);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0)
    return -1;
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

void cmw_first_line(const char *path, char *dst, size_t dst_size) {
  dst[0] = 0;
  FILE *f = fopen(path, "r");
  if (!f)
    return;
  if (!fgets(dst, (int)dst_size, f))
    dst[0] = 0;
  fclose(f);
  dst[strcspn(dst, "\n")] = 0;
}

char *cmw_temp_dir(void) {
  const char *base = getenv("TMPDIR");
  if (!base || !*base)
    base = "/tmp";
  size_t n = strlen(base) + 32;
  char *dir = malloc(n);
  if (!dir)
    return NULL;
  snprintf(dir, n, "%s/canmem-w2c-XXXXXX", base);
  if (!mkdtemp(dir)) {
    free(dir);
    return NULL;
  }
  return dir;
}

static const char *const temp_files[] = {
    "module.wasm", "canister.c", "canister.h", "glue.c", "rt.c",
    "err.txt",     "out.so",     "gz.in",      "gz.out"};

void cmw_remove_dir(const char *dir) {
  char path[4096];
  for (size_t i = 0; i < sizeof temp_files / sizeof temp_files[0]; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, temp_files[i]);
    unlink(path);
  }
  rmdir(dir);
}

static int write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  int ok = fwrite(data, 1, size, f) == size;
  return (fclose(f) == 0 && ok) ? 0 : -1;
}

static int read_file(const char *path, uint64_t max, uint8_t **data,
                     size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return -1;
  cmw_buf b = {0};
  uint8_t chunk[65536];
  size_t n;
  int rc = 0;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if ((uint64_t)b.size + n > max + 1 || cmw_buf_append(&b, chunk, n)) {
      rc = b.size + n > max + 1 ? -2 : -1;
      break;
    }
  }
  fclose(f);
  if (rc) {
    cmw_buf_free(&b);
    return rc;
  }
  *data = b.data;
  *size = b.size;
  return (uint64_t)b.size > max ? -2 : 0;
}

static void join(char *dst, size_t n, const char *dir, const char *file) {
  snprintf(dst, n, "%s/%s", dir, file);
}

/* ---- Edits of the generated C ----
 * Trap kinds: wasm2c 1.0.32's CALL_INDIRECT macro traps with one code for
 * an index out of range, a null entry and a type mismatch, and its table
 * helpers trap with the code of heap accesses. The canister rules name all
 * four apart, so CALL_INDIRECT is replaced, and TRAP(OOB) inside the table
 * helpers becomes TRAP(TABLE_OOB). Output of another wasm2c that lacks
 * these texts is left as it is (the merged codes remain).
 *
 * Memory: wasm-rt.h keeps a memory's byte size in 32 bits, which wraps to
 * 0 at 4 GiB, so the bounds check (RANGE_CHECK) is made to compare with
 * pages * 64 KiB; and every write of wasm code to a memory (stores,
 * memory.fill, memory.copy, memory.init) first tells the adapter's write
 * journal (journal.c, through w2c_rt.c), which is how a trap rolls the
 * heap back. These two
 * edits are required: without them a 4 GiB heap or a rollback would be
 * wrong, so output that lacks their texts is refused. */
static const char call_indirect_split[] =
    "#define WASM_RT_TRAP_TABLE_OOB ((wasm_rt_trap_t)101)\n"
    "#define WASM_RT_TRAP_NULL_ELEMENT ((wasm_rt_trap_t)102)\n"
    "#define CALL_INDIRECT(table, t, ft, x, ...) \\\n"
    "  ((LIKELY((x) < table.size) || TRAP(TABLE_OOB)), \\\n"
    "   (LIKELY(table.data[x].func != NULL) || TRAP(NULL_ELEMENT)), \\\n"
    "   (LIKELY(table.data[x].func_type == func_types[ft]) || \\\n"
    "    TRAP(CALL_INDIRECT)), \\\n"
    "   ((t)table.data[x].func)(__VA_ARGS__))\n";

/* Put before RANGE_CHECK: the journal's entry points (w2c_rt.c). A store
 * (1 to 8 bytes, in bounds) calls the runtime only when one of its pages
 * is not noted yet; bulk writes always do. */
static const char journal_hooks[] =
    "extern wasm_rt_memory_t *cmw_rt_journal_mem;\n"
    "extern const uint8_t *cmw_rt_journal_saved;\n"
    "void cmw_rt_journal_write(wasm_rt_memory_t *, uint64_t, uint64_t);\n"
    "#define CMW_RT_WRITE(mem, addr, n) \\\n"
    "  if (UNLIKELY((mem) == cmw_rt_journal_mem && \\\n"
    "               !(cmw_rt_journal_saved[(u64)(addr) >> 16] & \\\n"
    "                 cmw_rt_journal_saved[((u64)(addr) + (n) - 1) >> 16]))) \\\n"
    "    cmw_rt_journal_write(mem, addr, n);\n"
    "#define CMW_RT_WRITE_RANGE(mem, addr, n) \\\n"
    "  if ((mem) == cmw_rt_journal_mem) \\\n"
    "    cmw_rt_journal_write(mem, addr, n);\n";

static int starts_with(const uint8_t *line, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return len >= n && memcmp(line, prefix, n) == 0;
}

/* Writes line (len bytes, its newline included) with the first `from`
 * replaced by `to`; 1 if it was there. */
static int put_replacing(FILE *f, const char *line, size_t len,
                         const char *from, const char *to) {
  const char *at = strstr(line, from);
  if (!at) {
    fwrite(line, 1, len, f);
    return 0;
  }
  fwrite(line, 1, (size_t)(at - line), f);
  fputs(to, f);
  fputs(at + strlen(from), f);
  return 1;
}

/* Rewrites the generated file in place; 0, -1 (I/O) or -2 (the memory
 * texts were not found: not wasm2c 1.0.32's output). */
static int edit_generated_c(const char *c_path) {
  uint8_t *text = NULL;
  size_t size = 0;
  if (read_file(c_path, UINT64_MAX - 1, &text, &size) != 0)
    return -1;
  FILE *f = fopen(c_path, "wb");
  if (!f) {
    free(text);
    return -1;
  }
  int in_table_helpers = 0, in_old_macro = 0, in_store = 0, in_fill = 0,
      in_copy = 0;
  /* the memory edits made: RANGE_CHECK, stores, fill, copy, LOAD_DATA */
  int checks = 0, stores = 0, fills = 0, copies = 0, loads = 0;
  size_t start = 0;
  while (start < size) {
    size_t end = start;
    while (end < size && text[end] != '\n')
      end++;
    size_t len = end - start + (end < size); /* with its newline */
    char line[512];
    int whole = len < sizeof line - 1; /* short enough to edit */
    size_t keep = whole ? len : sizeof line - 1;
    memcpy(line, text + start, keep);
    line[keep] = 0;
    const uint8_t *raw = text + start;
    if (in_old_macro) {
      /* the old definition's continuation lines end with a backslash */
      in_old_macro = keep >= 2 && line[keep - 2] == '\\';
    } else if (starts_with(raw, len, "#define CALL_INDIRECT(")) {
      fputs(call_indirect_split, f);
      in_old_macro = keep >= 2 && line[keep - 2] == '\\';
    } else if (!whole) {
      fwrite(raw, 1, len, f);
    } else {
      if (starts_with(raw, len, "#define RANGE_CHECK("))
        fputs(journal_hooks, f);
      if (starts_with(raw, len, "static inline void funcref_table_init("))
        in_table_helpers = 1;
      in_store |= starts_with(raw, len, "#define DEFINE_STORE(");
      in_fill |= starts_with(raw, len, "static inline void memory_fill(");
      in_copy |= starts_with(raw, len, "static inline void memory_copy(");
      if (in_table_helpers)
        put_replacing(f, line, len, "TRAP(OOB)", "TRAP(TABLE_OOB)");
      else
        checks += put_replacing(f, line, len, "> mem->size))",
                                "> (uint64_t)mem->pages * 65536u))");
      /* the journal call goes after the bounds check */
      if (in_store && strstr(line, "MEMCHECK(mem, addr, t1);")) {
        fputs("    CMW_RT_WRITE(mem, addr, sizeof(t1)); \\\n", f);
        stores++;
        in_store = 0;
      } else if (in_fill && strstr(line, "RANGE_CHECK(mem, d, n);")) {
        fputs("  CMW_RT_WRITE_RANGE(mem, d, n);\n", f);
        fills++;
        in_fill = 0;
      } else if (in_copy && strstr(line, "RANGE_CHECK(dest, dest_addr, n);")) {
        fputs("  CMW_RT_WRITE_RANGE(dest, dest_addr, n);\n", f);
        copies++;
        in_copy = 0;
      } else if (strstr(line, "RANGE_CHECK((&m), o, s);")) {
        fputs("    CMW_RT_WRITE_RANGE((&m), o, s); \\\n", f);
        loads++;
      }
      if (starts_with(raw, len, "DEFINE_TABLE_FILL(externref)"))
        in_table_helpers = 0;
    }
    start += len;
  }
  free(text);
  if (fclose(f) != 0)
    return -1;
  return checks == 1 && stores >= 1 && fills == 1 && copies == 1 && loads >= 1
             ? 0
             : -2;
}

/* ---- gzip (MOD-FMT-1) through the gzip program ---- */

int cmw_gunzip(const uint8_t *in, size_t in_size, uint64_t max_size,
               uint8_t **out, size_t *out_size, char *why, size_t why_size) {
  char *dir = cmw_temp_dir();
  if (!dir) {
    snprintf(why, why_size, "cannot create a temporary directory");
    return -3;
  }
  char in_path[4096], out_path[4096], err_path[4096];
  join(in_path, sizeof in_path, dir, "gz.in");
  join(out_path, sizeof out_path, dir, "gz.out");
  join(err_path, sizeof err_path, dir, "err.txt");
  int rc = -3;
  if (write_file(in_path, in, in_size) == 0) {
    char *argv[] = {"gzip", "-dc", NULL};
    int status = cmw_run(argv, in_path, out_path, err_path);
    if (status < 0) {
      snprintf(why, why_size, "cannot run gzip");
    } else if (status != 0) {
      char line[200];
      cmw_first_line(err_path, line, sizeof line);
      snprintf(why, why_size, "bad gzip stream: %s", line);
      rc = -1;
    } else {
      rc = read_file(out_path, max_size ? max_size : UINT64_MAX - 1, out,
                     out_size);
      if (rc == -2)
        snprintf(why, why_size, "the decompressed module is too large");
      else if (rc != 0) {
        snprintf(why, why_size, "out of host memory");
        rc = -3;
      }
    }
  }
  cmw_remove_dir(dir);
  free(dir);
  return rc;
}

/* ---- The glue ---- */

static const char *c_type(char sig) { return sig == 'I' ? "u64" : "u32"; }

static int write_glue(const char *path, const cmw_module *m,
                      const cmw_method *methods, uint32_t nmethods) {
  FILE *f = fopen(path, "w");
  if (!f)
    return -1;
  int has_env = m->nimported_memories || m->nimported_tables;
  fprintf(f, "/* generated by the canmem wasm2c adapter */\n"
             "#include <setjmp.h>\n#include <stdint.h>\n"
             "#include \"canister.h\"\n"
             "extern jmp_buf *cmw_rt_trap_target;\n"
             "extern uint32_t cmw_rt_heap_limit_pages;\n"
             "extern uint32_t wasm_rt_saved_call_stack_depth;\n"
             "typedef int (*cmw_host_fn)(void *, uint32_t, const uint64_t *, "
             "uint64_t *);\n"
             "static cmw_host_fn host_fn;\n");
  /* ic0 imports, each once */
  for (uint32_t i = 0; i < m->nimports; i++) {
    const cmw_import *im = &m->imports[i];
    if (im->kind != CMW_EXT_FUNC)
      continue;
    int seen = 0;
    for (uint32_t k = 0; k < i; k++)
      seen |= m->imports[k].kind == CMW_EXT_FUNC &&
              strcmp(m->imports[k].name, im->name) == 0;
    if (seen)
      continue;
    int id = cmw_syscall_find(im->name, im->name_len);
    const cmw_syscall_info *s = cmw_syscall((uint32_t)id);
    size_t np = strlen(s->params);
    fprintf(f, "%s Z_ic0Z_%s(struct Z_ic0_instance_t *h",
            s->results[0] ? c_type(s->results[0]) : "void", s->name);
    for (size_t k = 0; k < np; k++)
      fprintf(f, ", %s a%zu", c_type(s->params[k]), k);
    fprintf(f, ") {\n  uint64_t args[%zu] = {%s", np ? np : 1, np ? "" : "0");
    for (size_t k = 0; k < np; k++)
      fprintf(f, "%s(uint64_t)a%zu", k ? ", " : "", k);
    fprintf(f, "};\n  uint64_t r = 0;\n"
               "  if (host_fn((void *)h, %du, args, &r))\n"
               "    wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);\n",
            id);
    fprintf(f, s->results[0] ? "  return (%s)r;\n}\n" : "  (void)r;%s\n}\n",
            s->results[0] ? c_type(s->results[0]) : "");
  }
  /* memory and table imports, held in the env block */
  if (has_env) {
    fprintf(f, "struct Z_cmw_env_instance_t {\n");
    if (m->nimported_memories)
      fprintf(f, "  wasm_rt_memory_t mem;\n");
    for (uint32_t t = 0; t < m->nimported_tables; t++)
      fprintf(f, "  wasm_rt_%s_table_t tab%u;\n",
              m->table_reftypes[t] == 0x6f ? "externref" : "funcref", t);
    fprintf(f, "};\n");
    if (m->nimported_memories)
      fprintf(f, "wasm_rt_memory_t *Z_cmw_envZ_mem(struct "
                 "Z_cmw_env_instance_t *e) { return &e->mem; }\n");
    for (uint32_t t = 0; t < m->nimported_tables; t++)
      fprintf(f, "wasm_rt_%s_table_t *Z_cmw_envZ_tab%u(struct "
                 "Z_cmw_env_instance_t *e) { return &e->tab%u; }\n",
              m->table_reftypes[t] == 0x6f ? "externref" : "funcref", t, t);
  }
  /* entry points */
  fprintf(f, "static int initialized;\n"
             "#define CMW_ENTER(body) \\\n"
             "  jmp_buf here; jmp_buf *saved = cmw_rt_trap_target; \\\n"
             "  cmw_rt_trap_target = &here; \\\n"
             "  wasm_rt_call_stack_depth = wasm_rt_saved_call_stack_depth "
             "= 0; \\\n"
             "  int code = setjmp(here); \\\n"
             "  if (code == 0) { body } \\\n"
             "  cmw_rt_trap_target = saved; \\\n"
             "  return code;\n");
  fprintf(f, "static int instantiate(void *inst, void *env, void *host) {\n"
             "  (void)env; (void)host;\n  CMW_ENTER(\n"
             "    if (!initialized) { Z_canister_init_module(); "
             "initialized = 1; }\n");
  if (m->nimported_memories)
    fprintf(f, "    wasm_rt_allocate_memory(&((struct Z_cmw_env_instance_t "
               "*)env)->mem, %lluu, %lluu);\n",
            (unsigned long long)m->mem_min,
            (unsigned long long)(m->mem_has_max && m->mem_max < 65536
                                     ? m->mem_max
                                     : 65536));
  for (uint32_t t = 0; t < m->nimported_tables; t++)
    fprintf(f, "    wasm_rt_allocate_%s_table(&((struct "
               "Z_cmw_env_instance_t *)env)->tab%u, %lluu, %lluu);\n",
            m->table_reftypes[t] == 0x6f ? "externref" : "funcref", t,
            (unsigned long long)m->table_min[t],
            (unsigned long long)(m->table_max[t] > UINT32_MAX
                                     ? UINT32_MAX
                                     : m->table_max[t]));
  /* wasm2c orders the imported modules' instances by name */
  int has_ic0 = m->nimported_funcs > 0;
  fprintf(f, "    Z_canister_instantiate((Z_canister_instance_t *)inst%s%s);\n"
             "  )\n}\n",
          has_env ? ", (struct Z_cmw_env_instance_t *)env" : "",
          has_ic0 ? ", (struct Z_ic0_instance_t *)host" : "");
  fprintf(f, "static int run_start(void *inst) {\n");
  if (m->has_start)
    fprintf(f, "  CMW_ENTER(Z_canisterZ_cmw_start((Z_canister_instance_t "
               "*)inst);)\n}\n");
  else
    fprintf(f, "  (void)inst;\n  return 0;\n}\n");
  fprintf(f, "static int call(void *inst, uint32_t slot) {\n"
             "  CMW_ENTER(\n    switch (slot) {\n");
  for (uint32_t i = 0; i < nmethods; i++)
    fprintf(f, "    case %uu: Z_canisterZ_cmw_f%u((Z_canister_instance_t "
               "*)inst); break;\n",
            methods[i].slot, methods[i].slot);
  fprintf(f, "    default: wasm_rt_trap(WASM_RT_TRAP_UNREACHABLE);\n    }\n"
             "  )\n}\n");
  fprintf(f, "static void free_instance(void *inst, void *env) {\n"
             "  (void)env;\n  Z_canister_free((Z_canister_instance_t "
             "*)inst);\n");
  if (m->nimported_memories)
    fprintf(f, "  wasm_rt_free_memory(&((struct Z_cmw_env_instance_t "
               "*)env)->mem);\n");
  for (uint32_t t = 0; t < m->nimported_tables; t++)
    fprintf(f, "  wasm_rt_free_%s_table(&((struct Z_cmw_env_instance_t "
               "*)env)->tab%u);\n",
            m->table_reftypes[t] == 0x6f ? "externref" : "funcref", t);
  fprintf(f, "}\n");
  fprintf(f, "static void *memory(void *inst) {\n");
  if (m->nmemories)
    fprintf(f, "  return Z_canisterZ_cmw_mem((Z_canister_instance_t "
               "*)inst);\n}\n");
  else
    fprintf(f, "  (void)inst;\n  return 0;\n}\n");
  fprintf(f, "static void *table(void *inst, uint32_t index) {\n"
             "  switch (index) {\n");
  for (uint32_t t = 0; t < m->ntables; t++)
    fprintf(f, "  case %uu: return Z_canisterZ_cmw_tab%u("
               "(Z_canister_instance_t *)inst);\n",
            t, t);
  fprintf(f, "  default: (void)inst; return 0;\n  }\n}\n");
  /* a callback: entry index of table 0, of type (i32) -> () (spec,
   * "Callbacks"); an entry that is none fails before anything runs
   * (CMW_ENTRY_*) */
  fprintf(f, "static int call_entry(void *inst, uint32_t index, "
             "uint32_t env) {\n");
  if (m->ntables && m->table_reftypes[0] == 0x70)
    fprintf(f, "  wasm_rt_funcref_table_t *t = Z_canisterZ_cmw_tab0("
               "(Z_canister_instance_t *)inst);\n"
               "  if (index >= t->size) return 201;\n"
               "  const wasm_rt_funcref_t *e = &t->data[index];\n"
               "  if (!e->func) return 202;\n"
               "  if (e->func_type != wasm_rt_register_func_type(1, 0, "
               "WASM_RT_I32))\n"
               "    return 203;\n"
               "  CMW_ENTER(((void (*)(void *, u32))e->func)("
               "e->module_instance, env);)\n}\n");
  else
    fprintf(f, "  (void)inst; (void)index; (void)env;\n"
               "  return 201; /* no funcref table: every index is out of "
               "range */\n}\n");
  fprintf(f, "static void *global(void *inst, uint32_t k) {\n"
             "  switch (k) {\n");
  for (uint32_t k = 0, n = cmw_module_snapshot_globals(m); k < n; k++)
    fprintf(f, "  case %uu: return Z_canisterZ_cmw_g%u("
               "(Z_canister_instance_t *)inst);\n",
            k, k);
  fprintf(f, "  default: (void)inst; return 0;\n  }\n}\n");
  fprintf(f, "static uint32_t grow_memory(void *mem, uint32_t delta) {\n"
             "  return wasm_rt_grow_memory((wasm_rt_memory_t *)mem, delta);\n"
             "}\n"
             "void cmw_rt_set_journal(void *, void *, const uint8_t *,\n"
             "  int (*)(void *, void *, uint64_t, uint64_t));\n"
             "static void set_host(cmw_host_fn fn) { host_fn = fn; }\n"
             "static void set_heap_limit(uint32_t pages) { "
             "cmw_rt_heap_limit_pages = pages; }\n");
  fprintf(f, "static const uint32_t table_elem_sizes[%u] = {",
          m->ntables ? m->ntables : 1u);
  for (uint32_t t = 0; t < m->ntables; t++)
    fprintf(f, "%s(uint32_t)sizeof(wasm_rt_%s_t)", t ? ", " : "",
            m->table_reftypes[t] == 0x6f ? "externref" : "funcref");
  if (!m->ntables)
    fprintf(f, "0");
  fprintf(f, "};\n");
  fprintf(f,
          "struct cmw_glue {\n  uint32_t version, nslots;\n"
          "  uint64_t instance_size, env_size;\n"
          "  uint32_t ntables, has_memory, has_start, reserved;\n"
          "  const uint32_t *table_elem_sizes;\n"
          "  void (*set_host)(cmw_host_fn);\n"
          "  void (*set_heap_limit)(uint32_t);\n"
          "  int (*instantiate)(void *, void *, void *);\n"
          "  int (*run_start)(void *);\n"
          "  int (*call)(void *, uint32_t);\n"
          "  void (*free_instance)(void *, void *);\n"
          "  void *(*memory)(void *);\n"
          "  void *(*table)(void *, uint32_t);\n"
          "  uint32_t (*grow_memory)(void *, uint32_t);\n"
          "  void (*set_journal)(void *, void *, const uint8_t *,\n"
          "    int (*)(void *, void *, uint64_t, uint64_t));\n"
          "  int (*call_entry)(void *, uint32_t, uint32_t);\n"
          "  void *(*global)(void *, uint32_t);\n};\n");
  fprintf(f,
          "static const struct cmw_glue glue = {%uu, %uu, "
          "sizeof(Z_canister_instance_t), %s, %uu, %uu, %uu, 0,\n"
          "  table_elem_sizes, set_host, set_heap_limit, instantiate,\n"
          "  run_start, call, free_instance, memory, table, grow_memory,\n"
          "  cmw_rt_set_journal, call_entry, global};\n"
          "__attribute__((visibility(\"default\")))\n"
          "const struct cmw_glue *cmw_module_v1(void) { return &glue; }\n",
          CMW_GLUE_VERSION, nmethods,
          has_env ? "sizeof(struct Z_cmw_env_instance_t)" : "0",
          m->ntables, m->nmemories ? 1u : 0u, m->has_start ? 1u : 0u);
  return fclose(f) == 0 ? 0 : -1;
}

/* ---- Hashing (the cache key; not cryptographic, 128 bits) ---- */

typedef struct {
  uint64_t a, b;
} hash128;

static void hash_bytes(hash128 *h, const void *data, size_t size) {
  const uint8_t *p = data;
  for (size_t i = 0; i < size; i++) {
    h->a = (h->a ^ p[i]) * 0x100000001b3ull;
    h->b = (h->b ^ p[i]) * 0x9e3779b97f4a7c15ull + 0x632be59bd9b4e019ull;
    h->b ^= h->b >> 29;
  }
}

static void hash_file(hash128 *h, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return;
  uint8_t chunk[65536];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    hash_bytes(h, chunk, n);
  fclose(f);
}

/* ---- Tools and directories ---- */

static const char *tool(const char *env, const char *fallback) {
  const char *v = getenv(env);
  return v && *v ? v : fallback;
}

/* Where wabt's wasm-rt.h lives: CANMEM_WASM2C_INCLUDE, or where the wabt
 * packages put it (Debian: /usr/src/wasm2c). */
static int find_runtime_include(char *dst, size_t n) {
  const char *env = getenv("CANMEM_WASM2C_INCLUDE");
  const char *candidates[] = {env, "/usr/src/wasm2c",
                              "/usr/local/src/wasm2c",
                              "/usr/share/wabt/wasm2c",
                              "/usr/local/share/wabt/wasm2c",
                              "/usr/include/wasm2c"};
  for (size_t i = 0; i < sizeof candidates / sizeof candidates[0]; i++) {
    if (!candidates[i] || !*candidates[i])
      continue;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/wasm-rt.h", candidates[i]);
    if (access(probe, R_OK) == 0) {
      snprintf(dst, n, "%s", candidates[i]);
      return 0;
    }
  }
  return -1;
}

static int make_dirs(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p != '/')
      continue;
    *p = 0;
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
      return -1;
    *p = '/';
  }
  return (mkdir(tmp, 0755) == 0 || errno == EEXIST) ? 0 : -1;
}

/* CANMEM_CACHE_DIR, else $XDG_CACHE_HOME/canmem/wasm2c, else
 * $HOME/.cache/canmem/wasm2c, else a directory under $TMPDIR. */
static int cache_dir(char *dst, size_t n) {
  const char *v = getenv("CANMEM_CACHE_DIR");
  if (v && *v)
    snprintf(dst, n, "%s/wasm2c", v);
  else if ((v = getenv("XDG_CACHE_HOME")) && *v)
    snprintf(dst, n, "%s/canmem/wasm2c", v);
  else if ((v = getenv("HOME")) && *v)
    snprintf(dst, n, "%s/.cache/canmem/wasm2c", v);
  else
    snprintf(dst, n, "%s/canmem-wasm2c-cache",
             (v = getenv("TMPDIR")) && *v ? v : "/tmp");
  return make_dirs(dst);
}

static cmw_object *load(const char *path, char *why, size_t why_size) {
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(why, why_size, "dlopen: %s", dlerror());
    return NULL;
  }
  const cmw_glue *(*entry)(void);
  *(void **)&entry = dlsym(handle, "cmw_module_v1");
  const cmw_glue *glue = entry ? entry() : NULL;
  if (!glue || glue->version != CMW_GLUE_VERSION) {
    snprintf(why, why_size, "%s: not a module object of this adapter", path);
    dlclose(handle);
    return NULL;
  }
  cmw_object *o = calloc(1, sizeof *o);
  if (!o) {
    dlclose(handle);
    snprintf(why, why_size, "out of host memory");
    return NULL;
  }
  o->handle = handle;
  o->glue = glue;
  return o;
}

cmw_object *cmw_build(const cmw_module *m, const cmw_method *methods,
                      uint32_t nmethods, uint32_t *category, int *internal,
                      char *why, size_t why_size) {
  *category = CANMEM_CAT_NONE;
  *internal = 1;
  cmw_object *result = NULL;
  cmw_buf wasm = {0};
  char *dir = NULL;
  int rw = cmw_module_rewrite(m, methods, nmethods, &wasm);
  if (rw == -2) {
    *internal = 0;
    *category = CANMEM_CAT_UNSUPPORTED;
    snprintf(why, why_size, "export names starting with cmw_ are reserved by "
                            "the wasm2c adapter");
    goto done;
  }
  if (rw != 0) {
    snprintf(why, why_size, "cannot rewrite the module");
    goto done;
  }
  char include[4096];
  if (find_runtime_include(include, sizeof include) != 0) {
    snprintf(why, why_size, "wasm-rt.h of wabt not found (set "
                            "CANMEM_WASM2C_INCLUDE)");
    goto done;
  }
  const char *cc = tool("CANMEM_CC", "cc");
  const char *cflags = tool("CANMEM_WASM2C_CFLAGS", "-O1");
  char *wasm2c = (char *)tool("CANMEM_WASM2C", "wasm2c");
  dir = cmw_temp_dir();
  if (!dir) {
    snprintf(why, why_size, "cannot create a temporary directory");
    goto done;
  }
  char wasm_path[4096], c_path[4096], glue_path[4096], rt_path[4096],
      err_path[4096], so_path[4096];
  join(wasm_path, sizeof wasm_path, dir, "module.wasm");
  join(c_path, sizeof c_path, dir, "canister.c");
  join(glue_path, sizeof glue_path, dir, "glue.c");
  join(rt_path, sizeof rt_path, dir, "rt.c");
  join(err_path, sizeof err_path, dir, "err.txt");
  join(so_path, sizeof so_path, dir, "out.so");
  if (write_file(wasm_path, wasm.data, wasm.size) != 0 ||
      write_glue(glue_path, m, methods, nmethods) != 0) {
    snprintf(why, why_size, "cannot write into %s", dir);
    goto done;
  }
  /* the key: everything the object depends on */
  hash128 h = {0xcbf29ce484222325ull, 0x84222325cbf29ce4ull};
  hash_bytes(&h, CMW_BUILD_ID, strlen(CMW_BUILD_ID));
  hash_bytes(&h, wasm.data, wasm.size);
  hash_file(&h, glue_path);
  for (size_t i = 0; cmw_rt_lines[i]; i++)
    hash_bytes(&h, cmw_rt_lines[i], strlen(cmw_rt_lines[i]));
  hash_bytes(&h, cc, strlen(cc) + 1);
  hash_bytes(&h, cflags, strlen(cflags) + 1);
  hash_bytes(&h, include, strlen(include) + 1);
  char cache[4096], cached[4200];
  int have_cache = cache_dir(cache, sizeof cache) == 0;
  snprintf(cached, sizeof cached, "%s/%016llx%016llx.so", cache,
           (unsigned long long)h.a, (unsigned long long)h.b);
  if (have_cache && access(cached, R_OK) == 0) {
    result = load(cached, why, why_size);
    if (result)
      goto done;
  }
  /* translate */
  {
    char *argv[] = {wasm2c, wasm_path, "-n", "canister", "-o", c_path, NULL};
    int status = cmw_run(argv, NULL, NULL, err_path);
    if (status != 0) {
      char line[300];
      cmw_first_line(err_path, line, sizeof line);
      if (status < 0) {
        snprintf(why, why_size, "cannot run %s", wasm2c);
      } else if (status > 128) { /* a signal: wasm2c's fault, not the module's */
        snprintf(why, why_size, "%s crashed (signal %d) on the module%s%s",
                 wasm2c, status - 128, line[0] ? ": " : "", line);
      } else {
        *internal = 0;
        *category = strstr(line, "support") ? CANMEM_CAT_UNSUPPORTED
                                            : CANMEM_CAT_INVALID_MODULE;
        snprintf(why, why_size, "wasm2c: %s", line);
      }
      goto done;
    }
  }
  int edited = edit_generated_c(c_path);
  if (edited != 0) {
    if (edited == -2)
      snprintf(why, why_size,
               "%s's output lacks the memory code of wabt 1.0.32 the adapter "
               "edits (RANGE_CHECK, DEFINE_STORE, memory_fill, memory_copy, "
               "LOAD_DATA)",
               wasm2c);
    else
      snprintf(why, why_size, "cannot edit %s", c_path);
    goto done;
  }
  FILE *rt = fopen(rt_path, "w");
  if (!rt) {
    snprintf(why, why_size, "cannot write into %s", dir);
    goto done;
  }
  for (size_t i = 0; cmw_rt_lines[i]; i++)
    fputs(cmw_rt_lines[i], rt);
  if (fclose(rt) != 0) {
    snprintf(why, why_size, "cannot write into %s", dir);
    goto done;
  }
  {
    char inc_rt[4200], inc_dir[4200];
    snprintf(inc_rt, sizeof inc_rt, "-I%s", include);
    snprintf(inc_dir, sizeof inc_dir, "-I%s", dir);
    char *argv[] = {(char *)cc,
                    (char *)cflags,
                    "-w",
                    "-fPIC",
                    "-shared",
                    "-fvisibility=hidden",
                    "-DWASM_RT_MEMCHECK_SIGNAL_HANDLER=0",
                    "-DWASM_RT_MAX_CALL_STACK_DEPTH=" CMW_MAX_CALL_DEPTH,
                    inc_rt,
                    inc_dir,
                    "-o",
                    so_path,
                    c_path,
                    glue_path,
                    rt_path,
                    "-lm",
                    NULL};
    int status = cmw_run(argv, NULL, NULL, err_path);
    if (status != 0) {
      char line[300];
      cmw_first_line(err_path, line, sizeof line);
      snprintf(why, why_size, "%s failed: %s", cc, line);
      goto done;
    }
  }
  if (have_cache) {
    /* atomic publication: other processes may compile the same module */
    char part[4300];
    snprintf(part, sizeof part, "%s.%ld.part", cached, (long)getpid());
    FILE *in = fopen(so_path, "rb"), *out = fopen(part, "wb");
    int ok = in && out;
    if (ok) {
      uint8_t chunk[65536];
      size_t n;
      while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        ok &= fwrite(chunk, 1, n, out) == n;
    }
    if (in)
      fclose(in);
    if (out)
      ok &= fclose(out) == 0;
    if (ok && rename(part, cached) == 0) {
      result = load(cached, why, why_size);
      goto done;
    }
    unlink(part);
  }
  result = load(so_path, why, why_size);
done:
  if (result)
    *internal = 0;
  if (dir) {
    /* CANMEM_WASM2C_KEEP_TEMP=1 keeps the sources for debugging */
    const char *keep = getenv("CANMEM_WASM2C_KEEP_TEMP");
    if (keep && *keep == '1')
      fprintf(stderr, "wasm2c adapter: sources kept in %s\n", dir);
    else
      cmw_remove_dir(dir);
    free(dir);
  }
  cmw_buf_free(&wasm);
  return result;
}
