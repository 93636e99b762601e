/* libFuzzer harness for the canister layer, through the adapter ABI
 * (`make fuzz-canister`, docs/fuzzing.md). An input is decoded into a
 * profile and a sequence of install / reinstall / upgrade / uninstall,
 * calls of every kind, settings and probes over a fixed set of canister
 * modules (compiled from the vectors at build time). Two canisters get the
 * same sequence, and after each step the harness checks:
 *
 *   - the adapter ran the operation (CANMEM_OK) and its outcome is well
 *     formed (known kind and category, payload only where one belongs);
 *   - determinism: both canisters' outcomes and memories agree;
 *   - a trap, a refused install, a refused call or settings change, and any
 *     query leave stable memory and the heap as they were;
 *   - stable memory survives an upgrade and is empty after a reinstall or
 *     uninstall, where the modules cannot write it themselves;
 *   - the probes read up to the end of each memory and refuse one byte more.
 *
 * A violation prints what and where, then aborts, so libFuzzer keeps the
 * input. CANMEM_FUZZ_TRACE=1 prints the decoded steps in vector syntax.
 *
 * Environment (the run script sets them): CANMEM_FUZZ_MODULES, a folder
 * of .wasm files; CANMEM_FUZZ_PROFILES, profile files separated by ':';
 * CANMEM_FUZZ_ADAPTER, an adapter .so to test instead of the reference. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <dlfcn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "canmem_adapter.h"
#include "profile_file.h"
#include "wasm.h"

#define PAGE 65536u
#define MAX_STEPS 40
#define MAX_PROFILES 16
/* Instructions per execution: the profiles' hundreds of millions would
 * make one input take minutes under the sanitizers. */
#define FUZZ_INSTRUCTIONS 2000000u

enum { M_UPDATE, M_QUERY };

typedef struct {
  char *name;
  int kind; /* M_UPDATE or M_QUERY */
} method;

typedef struct {
  char *file;
  uint8_t *bytes;
  size_t size;
  method *methods;
  size_t nmethods;
  int writes_stable; /* imports ic0.stable_write or ic0.stable64_write */
  int grows_stable;  /* imports ic0.stable_grow or ic0.stable64_grow */
  int low_memory_hook; /* exports canister_on_low_wasm_memory */
} module_info;

static const canmem_adapter *adapter;
static module_info *modules;
static size_t nmodules;
static canmem_profile profiles[MAX_PROFILES];
static size_t nprofiles;
static int tracing;

static const char *const tasks[] = {"canister_heartbeat",
                                    "canister_global_timer",
                                    "canister_on_low_wasm_memory"};

/* ---- Reporting ---- */

static void trace(const char *fmt, ...) {
  if (!tracing)
    return;
  va_list ap;
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
}

static void violation(int step, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "fuzz-canister: step %d: invariant violated: ", step);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

static void die(const char *fmt, ...) {
  va_list ap;
  fputs("fuzz-canister: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(2);
}

/* ---- Set-up: adapter, profiles, modules ---- */

static void load_adapter(void) {
  const char *path = getenv("CANMEM_FUZZ_ADAPTER");
  if (path == NULL || *path == '\0' || strcmp(path, "ref") == 0) {
    adapter = cm_ref_adapter();
    return;
  }
  void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (handle == NULL)
    die("cannot load %s: %s", path, dlerror());
  canmem_adapter_entry entry;
  *(void **)&entry = dlsym(handle, CANMEM_ADAPTER_SYMBOL);
  if (entry == NULL || (adapter = entry()) == NULL)
    die("%s has no %s", path, CANMEM_ADAPTER_SYMBOL);
  if (adapter->abi_version != CANMEM_ADAPTER_ABI_VERSION)
    die("%s speaks ABI version %u", path, adapter->abi_version);
}

static void load_profiles(void) {
  const char *list = getenv("CANMEM_FUZZ_PROFILES");
  char err[256];
  char *copy = strdup(list ? list : "");
  for (char *p = strtok(copy, ":"); p && nprofiles < MAX_PROFILES;
       p = strtok(NULL, ":")) {
    canmem_profile *prof = &profiles[nprofiles];
    memset(prof, 0, sizeof *prof);
    prof->struct_size = sizeof *prof;
    if (!cm_profile_load(prof, p, err, sizeof err))
      die("%s", err);
    uint64_t *limits[] = {&prof->instructions_update,
                          &prof->instructions_query,
                          &prof->instructions_install,
                          &prof->instructions_inspect};
    for (size_t i = 0; i < sizeof limits / sizeof *limits; i++)
      if (*limits[i] == 0 || *limits[i] > FUZZ_INSTRUCTIONS)
        *limits[i] = FUZZ_INSTRUCTIONS;
    nprofiles++;
  }
  free(copy);
  if (nprofiles == 0)
    die("set CANMEM_FUZZ_PROFILES to one or more profile files");
}

static uint8_t *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (f == NULL)
    die("cannot open %s", path);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  uint8_t *bytes = malloc(n > 0 ? (size_t)n : 1);
  if (bytes == NULL || (n > 0 && fread(bytes, 1, (size_t)n, f) != (size_t)n))
    die("cannot read %s", path);
  fclose(f);
  *size = (size_t)n;
  return bytes;
}

/* Methods and the stable imports, read with the engine's reflection (only
 * to choose what to call: the adapter under test decides the rest). */
static void reflect(module_info *mi) {
  cm_error err;
  cm_module *m = cm_module_new(mi->bytes, mi->size, &err);
  if (m == NULL)
    return;
  for (uint32_t i = 0; i < cm_module_import_count(m); i++) {
    const char *mod, *name;
    cm_externkind kind;
    cm_module_import(m, i, &mod, &name, &kind);
    if (strcmp(mod, "ic0") != 0)
      continue;
    if (strcmp(name, "stable_write") == 0 ||
        strcmp(name, "stable64_write") == 0)
      mi->writes_stable = 1;
    if (strcmp(name, "stable_grow") == 0 || strcmp(name, "stable64_grow") == 0)
      mi->grows_stable = 1;
  }
  uint32_t n = cm_module_export_count(m);
  mi->methods = calloc(n + 1, sizeof *mi->methods);
  for (uint32_t i = 0; i < n; i++) {
    const char *name;
    cm_externkind kind;
    cm_module_export(m, i, &name, &kind);
    if (kind != CM_EXTERN_FUNC)
      continue;
    if (strcmp(name, "canister_on_low_wasm_memory") == 0)
      mi->low_memory_hook = 1;
    if (strncmp(name, "canister_update ", 16) == 0)
      mi->methods[mi->nmethods++] = (method){strdup(name + 16), M_UPDATE};
    else if (strncmp(name, "canister_query ", 15) == 0)
      mi->methods[mi->nmethods++] = (method){strdup(name + 15), M_QUERY};
  }
  cm_module_free(m);
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void load_modules(void) {
  const char *dir = getenv("CANMEM_FUZZ_MODULES");
  if (dir == NULL)
    die("set CANMEM_FUZZ_MODULES to a folder of .wasm modules");
  DIR *d = opendir(dir);
  if (d == NULL)
    die("cannot open %s", dir);
  char **names = NULL;
  size_t n = 0;
  for (struct dirent *e; (e = readdir(d)) != NULL;) {
    size_t len = strlen(e->d_name);
    if (len > 5 && strcmp(e->d_name + len - 5, ".wasm") == 0) {
      names = realloc(names, (n + 1) * sizeof *names);
      names[n++] = strdup(e->d_name);
    }
  }
  closedir(d);
  if (n == 0)
    die("no .wasm module in %s", dir);
  /* sorted, so that an input means the same on every machine */
  qsort(names, n, sizeof *names, by_name);
  modules = calloc(n, sizeof *modules);
  for (size_t i = 0; i < n; i++) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    modules[i].file = names[i];
    modules[i].bytes = read_file(path, &modules[i].size);
    reflect(&modules[i]);
  }
  free(names);
  nmodules = n;
}

int LLVMFuzzerInitialize(int *argc, char ***argv) {
  (void)argc;
  (void)argv;
  tracing = getenv("CANMEM_FUZZ_TRACE") != NULL;
  load_adapter();
  load_profiles();
  load_modules();
  return 0;
}

/* ---- Reading the input ---- */

typedef struct {
  const uint8_t *p;
  size_t left;
} input;

static uint8_t take8(input *in) {
  if (in->left == 0)
    return 0;
  in->left--;
  return *in->p++;
}

static uint64_t take_bytes(input *in, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n; i++)
    v |= (uint64_t)take8(in) << (8 * i);
  return v;
}

/* A value near a boundary of the profile or of the canister's stable
 * memory, or 8 bytes of the input. */
static uint64_t take_value(input *in, const canmem_profile *p,
                           uint64_t stable_bytes) {
  const uint64_t near[] = {
      0, 1, 2, 8, 16, 100, 4096, PAGE - 8, PAGE, PAGE + 1,
      (uint64_t)1 << 31, UINT32_MAX, (uint64_t)1 << 32, UINT64_MAX,
      UINT64_MAX - 1, (uint64_t)1 << 63,
      p->max_stable_bytes / PAGE, p->max_stable32_bytes / PAGE,
      p->max_heap32_bytes / PAGE, p->max_heap64_bytes / PAGE,
      p->max_stable_bytes, p->max_stable32_bytes, p->max_heap32_bytes,
      p->max_heap64_bytes, stable_bytes, stable_bytes / PAGE};
  const size_t n = sizeof near / sizeof *near;
  uint8_t b = take8(in);
  size_t i = b % (n + 2);
  if (i >= n)
    return take_bytes(in, 8);
  /* the value, or one or eight either side */
  static const int64_t shift[] = {0, 0, 0, 0, 1, -1, 8, -8};
  return near[i] + (uint64_t)shift[(b >> 5) & 7];
}

typedef struct {
  uint8_t bytes[64];
  size_t size;
} argument;

static void put(argument *a, uint64_t v, unsigned width) {
  for (unsigned i = 0; i < width && a->size < sizeof a->bytes; i++)
    a->bytes[a->size++] = (uint8_t)(v >> (8 * i));
}

/* Vector methods read i32 or i64 values from the start of their argument;
 * one to three of them, or raw bytes. */
static void take_argument(input *in, const canmem_profile *p,
                          uint64_t stable_bytes, argument *a) {
  a->size = 0;
  uint8_t shape = take8(in);
  unsigned count = shape & 3;
  if (count == 3) {
    unsigned n = take8(in) % 25;
    for (unsigned i = 0; i < n; i++)
      a->bytes[a->size++] = take8(in);
    return;
  }
  for (unsigned i = 0; i <= count; i++)
    put(a, take_value(in, p, stable_bytes), (shape >> (2 + i)) & 1 ? 4 : 8);
}

static void trace_argument(const argument *a) {
  if (a->size == 0)
    return;
  trace(" (arg (bytes \"");
  for (size_t i = 0; i < a->size; i++)
    trace("\\%02x", a->bytes[i]);
  trace("\"))");
}

/* ---- Memories: sizes and digests ---- */

typedef struct {
  int32_t status;  /* of the size probe */
  uint64_t pages;
  uint64_t digest; /* FNV-1a over the sampled pages' 64-bit words */
  int zero;        /* every sampled byte is 0 */
} memory_state;

typedef struct {
  memory_state stable, heap;
} canister_state;

/* Pages read: the first four, each power of two and the last two, so
 * that a 4 GiB memory costs little. */
static uint64_t next_sample(uint64_t page, uint64_t pages) {
  uint64_t next = page + 1;
  if (next < 4 || next + 2 >= pages)
    return next;
  uint64_t pow = 4;
  while (pow < next)
    pow <<= 1;
  return pow + 2 < pages ? pow : pages - 2;
}

static void digest_memory(canmem_canister *c, int stable, uint64_t limit,
                          memory_state *s) {
  int32_t (*size)(canmem_canister *, uint64_t *) =
      stable ? adapter->stable_size : adapter->heap_size;
  int32_t (*read)(canmem_canister *, uint64_t, uint8_t *, uint64_t) =
      stable ? adapter->read_stable : adapter->read_heap;
  memset(s, 0, sizeof *s);
  s->zero = 1;
  if (size == NULL || read == NULL)
    return;
  s->status = size(c, &s->pages);
  if (s->status != CANMEM_OK)
    return;
  uint64_t pages = s->pages < limit ? s->pages : limit;
  static uint8_t buf[PAGE];
  uint64_t h = 14695981039346656037u;
  for (uint64_t pg = 0; pg < pages; pg = next_sample(pg, pages)) {
    if (read(c, pg * PAGE, buf, PAGE) != CANMEM_OK)
      violation(-1, "the %s probe refused page %llu of %llu",
                stable ? "stable" : "heap", (unsigned long long)pg,
                (unsigned long long)pages);
    for (size_t i = 0; i < PAGE; i += 8) {
      uint64_t w;
      memcpy(&w, buf + i, 8);
      h = (h ^ w) * 1099511628211u;
      s->zero &= w == 0;
    }
  }
  s->digest = h;
}

static void take_state(canmem_canister *c, canister_state *s) {
  digest_memory(c, 1, UINT64_MAX, &s->stable);
  digest_memory(c, 0, UINT64_MAX, &s->heap);
}

static int same_memory(const memory_state *a, const memory_state *b) {
  return a->status == b->status && a->pages == b->pages &&
         a->digest == b->digest;
}

/* ---- Outcomes ---- */

typedef enum { OP_INSTALL, OP_CALL, OP_SETTINGS } op_class;

static void check_outcome(int step, int32_t rc, const canmem_outcome *o,
                          op_class cls) {
  if (rc != CANMEM_OK)
    violation(step, "the adapter returned %d (%.200s)", rc, o->message);
  if (memchr(o->message, '\0', sizeof o->message) == NULL)
    violation(step, "the message is not NUL-terminated");
  const char *kind = canmem_outcome_kind_name(o->kind);
  if (strcmp(kind, "unknown") == 0)
    violation(step, "unknown outcome kind %u", o->kind);
  if (strcmp(canmem_category_name(o->category), "unknown") == 0)
    violation(step, "unknown category %u", o->category);
  if (o->payload_size > 0 && o->payload == NULL)
    violation(step, "payload of %llu bytes at NULL",
              (unsigned long long)o->payload_size);
  if (o->payload_size > 0 && o->kind != CANMEM_OUTCOME_REPLY &&
      o->kind != CANMEM_OUTCOME_REJECT)
    violation(step, "a %s outcome with a payload", kind);
  if (o->kind == CANMEM_OUTCOME_REPLY &&
      (o->category != CANMEM_CAT_NONE || o->reject_code != CANMEM_REJECT_NONE))
    violation(step, "a reply with category %s, reject code %u",
              canmem_category_name(o->category), o->reject_code);
  if ((o->kind == CANMEM_OUTCOME_TRAP ||
       o->kind == CANMEM_OUTCOME_INSTALL_REJECTED) &&
      o->category == CANMEM_CAT_NONE)
    violation(step, "a %s outcome without a category", kind);
  if (o->kind == CANMEM_OUTCOME_REJECT && o->reject_code == CANMEM_REJECT_NONE)
    violation(step, "a reject without a reject code");
  int fits;
  switch (cls) {
  case OP_INSTALL:
    fits = o->kind == CANMEM_OUTCOME_REPLY ||
           o->kind == CANMEM_OUTCOME_INSTALL_REJECTED;
    break;
  case OP_SETTINGS:
    fits = o->kind == CANMEM_OUTCOME_REPLY || o->kind == CANMEM_OUTCOME_REJECT;
    break;
  default:
    fits = o->kind != CANMEM_OUTCOME_INSTALL_REJECTED;
  }
  if (!fits)
    violation(step, "a %s outcome for this operation", kind);
}

static void same_outcome(int step, const canmem_outcome *a,
                         const canmem_outcome *b) {
  if (a->kind != b->kind || a->reject_code != b->reject_code ||
      a->category != b->category)
    violation(step, "the two canisters differ: %s %u %s / %s %u %s",
              canmem_outcome_kind_name(a->kind), a->reject_code,
              canmem_category_name(a->category),
              canmem_outcome_kind_name(b->kind), b->reject_code,
              canmem_category_name(b->category));
  if (a->payload_size != b->payload_size ||
      (a->payload_size > 0 &&
       memcmp(a->payload, b->payload, (size_t)a->payload_size) != 0))
    violation(step, "the two canisters' payloads differ");
}

/* Nothing is committed by these outcomes: the state must be as before. */
static int changes_nothing(op_class cls, uint32_t call_kind,
                           const canmem_outcome *o, int hook_may_run) {
  /* A ready low-memory hook runs before the next update, replicated query
   * or system task, even one that is then refused or traps: its changes
   * stay (vectors/low-memory/hook-runs-before-refused-task.wast). */
  if (hook_may_run && cls == OP_CALL &&
      (call_kind == CANMEM_CALL_UPDATE ||
       call_kind == CANMEM_CALL_REPLICATED_QUERY ||
       call_kind == CANMEM_CALL_SYSTEM_TASK))
    return 0;
  if (o->kind == CANMEM_OUTCOME_TRAP ||
      o->kind == CANMEM_OUTCOME_INSTALL_REJECTED)
    return 1;
  if (cls == OP_SETTINGS && o->kind == CANMEM_OUTCOME_REJECT)
    return 1;
  if (cls == OP_CALL && (call_kind == CANMEM_CALL_QUERY ||
                         call_kind == CANMEM_CALL_REPLICATED_QUERY ||
                         call_kind == CANMEM_CALL_INSPECT_MESSAGE))
    return 1;
  /* refused before running: no such method, empty canister */
  return o->kind == CANMEM_OUTCOME_REJECT &&
         o->reject_code == CANMEM_REJECT_DESTINATION_INVALID;
}

/* ---- Probe bounds ---- */

static void check_probe_bounds(int step, canmem_canister *a,
                               canmem_canister *b, int stable, input *in) {
  int32_t (*size)(canmem_canister *, uint64_t *) =
      stable ? adapter->stable_size : adapter->heap_size;
  int32_t (*read)(canmem_canister *, uint64_t, uint8_t *, uint64_t) =
      stable ? adapter->read_stable : adapter->read_heap;
  const char *what = stable ? "stable" : "heap";
  if (size == NULL || read == NULL)
    return;
  uint64_t pages;
  if (size(a, &pages) != CANMEM_OK)
    return;
  uint64_t end = pages * PAGE;
  uint8_t buf[4096], other[4096];
  uint64_t k = 1 + take8(in) % 16;
  if (k > end)
    k = end;
  if (k > 0 && read(a, end - k, buf, k) != CANMEM_OK)
    violation(step, "%s probe refused the last %llu bytes", what,
              (unsigned long long)k);
  if (read(a, end - k, buf, k + 1) == CANMEM_OK)
    violation(step, "%s probe read one byte past the end (%llu pages)", what,
              (unsigned long long)pages);
  if (read(a, end, buf, 1) == CANMEM_OK)
    violation(step, "%s probe read at the end (%llu pages)", what,
              (unsigned long long)pages);
  if (read(a, UINT64_MAX, buf, 2) == CANMEM_OK ||
      read(a, UINT64_MAX - 3, buf, 8) == CANMEM_OK)
    violation(step, "%s probe read a range that wraps around", what);
  /* a range of the input's choosing reads the same in both canisters */
  uint64_t off = end ? take_bytes(in, 4) % end : take_bytes(in, 1);
  uint64_t n = 1 + take_bytes(in, 2) % (sizeof buf - 1);
  int32_t ra = read(a, off, buf, n), rb = read(b, off, other, n);
  if (ra != rb || (ra == CANMEM_OK && memcmp(buf, other, (size_t)n) != 0))
    violation(step, "%s bytes [%llu, +%llu) differ between the canisters",
              what, (unsigned long long)off, (unsigned long long)n);
  if ((ra == CANMEM_OK) != (off + n <= end))
    violation(step, "%s probe of [%llu, +%llu) in %llu bytes returned %d",
              what, (unsigned long long)off, (unsigned long long)n,
              (unsigned long long)end, ra);
}

/* ---- One input ---- */

typedef struct {
  canmem_canister *a, *b;
  const canmem_profile *profile;
  long installed; /* module index, -1 when empty, -2 a mutated module */
  canister_state before;
} run;

static int probes(void) {
  return adapter->stable_size && adapter->heap_size && adapter->read_stable &&
         adapter->read_heap;
}

/* The checks every step ends with; state_a is the state of canister a now. */
static void after_step(int step, run *r, op_class cls, uint32_t call_kind,
                       const canmem_outcome *oa, canister_state *state_a) {
  canister_state sb;
  take_state(r->a, state_a);
  take_state(r->b, &sb);
  if (!same_memory(&state_a->stable, &sb.stable) ||
      !same_memory(&state_a->heap, &sb.heap))
    violation(step, "the two canisters' memories differ (stable %llu/%llu "
                    "pages, heap %llu/%llu pages)",
              (unsigned long long)state_a->stable.pages,
              (unsigned long long)sb.stable.pages,
              (unsigned long long)state_a->heap.pages,
              (unsigned long long)sb.heap.pages);
  int hook_may_run = r->installed == -2 ||
                     (r->installed >= 0 && modules[r->installed].low_memory_hook);
  if (probes() && changes_nothing(cls, call_kind, oa, hook_may_run) &&
      (!same_memory(&state_a->stable, &r->before.stable) ||
       !same_memory(&state_a->heap, &r->before.heap)))
    violation(step, "a %s (%s) changed the memories: stable %llu -> %llu "
                    "pages, heap %llu -> %llu pages",
              canmem_outcome_kind_name(oa->kind),
              canmem_category_name(oa->category),
              (unsigned long long)r->before.stable.pages,
              (unsigned long long)state_a->stable.pages,
              (unsigned long long)r->before.heap.pages,
              (unsigned long long)state_a->heap.pages);
}

static void do_install(int step, run *r, uint32_t mode, input *in,
                       const uint8_t *wasm, size_t wasm_size, long index) {
  canmem_install req = {0};
  argument arg;
  req.struct_size = sizeof req;
  req.mode = mode;
  req.wasm = wasm;
  req.wasm_size = wasm_size;
  if (mode == CANMEM_MODE_UPGRADE) {
    uint8_t opt = take8(in);
    req.skip_pre_upgrade = opt & 1;
    req.wasm_memory_persistence = (opt >> 1) % 3;
  }
  take_argument(in, r->profile, r->before.stable.pages * PAGE, &arg);
  if (mode != CANMEM_MODE_UNINSTALL) {
    req.arg = arg.bytes;
    req.arg_size = arg.size;
  }
  static const char *const names[] = {"", "install", "reinstall", "upgrade",
                                      "uninstall"};
  if (mode == CANMEM_MODE_UNINSTALL)
    trace("(uninstall)");
  else {
    trace("(%s $m%ld", names[mode], index);
    trace_argument(&arg);
    if (req.skip_pre_upgrade)
      trace(" (skip_pre_upgrade true)");
    if (req.wasm_memory_persistence)
      trace(" (wasm_memory_persistence %s)",
            req.wasm_memory_persistence == 1 ? "keep" : "replace");
    trace(")");
  }
  canmem_outcome oa = {0}, ob = {0};
  oa.struct_size = ob.struct_size = sizeof oa;
  int32_t ra = adapter->install_code(r->a, &req, &oa);
  int32_t rb = adapter->install_code(r->b, &req, &ob);
  if (ra == CANMEM_ERR_UNSUPPORTED && rb == ra) {
    trace("  ;; unsupported\n");
    return;
  }
  check_outcome(step, ra, &oa, OP_INSTALL);
  check_outcome(step, rb, &ob, OP_INSTALL);
  same_outcome(step, &oa, &ob);
  trace("  ;; %s %s\n", canmem_outcome_kind_name(oa.kind),
        canmem_category_name(oa.category));

  canister_state now;
  after_step(step, r, OP_INSTALL, 0, &oa, &now);
  if (oa.kind == CANMEM_OUTCOME_REPLY && probes()) {
    const module_info *old = r->installed >= 0 ? &modules[r->installed] : NULL;
    const module_info *new = index >= 0 ? &modules[index] : NULL;
    if (mode == CANMEM_MODE_UPGRADE && old && new && !old->writes_stable &&
        !new->writes_stable) {
      /* what was there is still there; growth only adds zeros */
      memory_state prefix;
      digest_memory(r->a, 1, r->before.stable.pages, &prefix);
      if (now.stable.pages < r->before.stable.pages ||
          prefix.digest != r->before.stable.digest)
        violation(step, "stable memory did not survive the upgrade "
                        "(%llu -> %llu pages)",
                  (unsigned long long)r->before.stable.pages,
                  (unsigned long long)now.stable.pages);
    }
    if ((mode == CANMEM_MODE_REINSTALL && new && !new->writes_stable &&
         !now.stable.zero) ||
        (mode == CANMEM_MODE_REINSTALL && new && !new->grows_stable &&
         now.stable.pages != 0))
      violation(step, "stable memory is not empty after a reinstall");
    if (mode == CANMEM_MODE_UNINSTALL && now.stable.pages != 0)
      violation(step, "stable memory is not empty after uninstall");
  }
  if (oa.kind == CANMEM_OUTCOME_REPLY)
    r->installed = mode == CANMEM_MODE_UNINSTALL ? -1 : index;
  r->before = now;
}

static void do_call(int step, run *r, uint32_t kind, const char *name,
                    input *in) {
  argument arg;
  take_argument(in, r->profile, r->before.stable.pages * PAGE, &arg);
  static const char *const names[] = {"", "update", "query",
                                      "replicated-query", "system-task",
                                      "inspect-message"};
  if (kind == CANMEM_CALL_SYSTEM_TASK) {
    trace("(system-task %s)", name + 9);
    arg.size = 0;
  } else {
    trace("(%s \"%s\"", names[kind], name);
    trace_argument(&arg);
    trace(")");
  }
  canmem_outcome oa = {0}, ob = {0};
  oa.struct_size = ob.struct_size = sizeof oa;
  int32_t ra = adapter->call(r->a, kind, name, arg.bytes, arg.size, &oa);
  int32_t rb = adapter->call(r->b, kind, name, arg.bytes, arg.size, &ob);
  if (ra == CANMEM_ERR_UNSUPPORTED && rb == ra) {
    trace("  ;; unsupported\n");
    return;
  }
  check_outcome(step, ra, &oa, OP_CALL);
  check_outcome(step, rb, &ob, OP_CALL);
  same_outcome(step, &oa, &ob);
  trace("  ;; %s %s (%llu bytes)\n", canmem_outcome_kind_name(oa.kind),
        canmem_category_name(oa.category),
        (unsigned long long)oa.payload_size);
  canister_state now;
  after_step(step, r, OP_CALL, kind, &oa, &now);
  r->before = now;
}

static void do_settings(int step, run *r, input *in) {
  canmem_settings s = {0};
  s.struct_size = sizeof s;
  s.fields = take8(in) % 3 + 1;
  s.wasm_memory_limit = take_value(in, r->profile, 0);
  s.wasm_memory_threshold = take_value(in, r->profile, 0);
  trace("(settings");
  if (s.fields & CANMEM_SETTING_WASM_MEMORY_LIMIT)
    trace(" (wasm_memory_limit %llu)", (unsigned long long)s.wasm_memory_limit);
  if (s.fields & CANMEM_SETTING_WASM_MEMORY_THRESHOLD)
    trace(" (wasm_memory_threshold %llu)",
          (unsigned long long)s.wasm_memory_threshold);
  trace(")");
  canmem_outcome oa = {0}, ob = {0};
  oa.struct_size = ob.struct_size = sizeof oa;
  int32_t ra = adapter->update_settings(r->a, &s, &oa);
  int32_t rb = adapter->update_settings(r->b, &s, &ob);
  if (ra == CANMEM_ERR_UNSUPPORTED && rb == ra) {
    trace("  ;; unsupported\n");
    return;
  }
  check_outcome(step, ra, &oa, OP_SETTINGS);
  check_outcome(step, rb, &ob, OP_SETTINGS);
  same_outcome(step, &oa, &ob);
  trace("  ;; %s %s\n", canmem_outcome_kind_name(oa.kind),
        canmem_category_name(oa.category));
  canister_state now;
  after_step(step, r, OP_SETTINGS, 0, &oa, &now);
  r->before = now;
}

/* A vector module with a few bytes changed: exercises the module checks. */
static void do_mutated_install(int step, run *r, input *in) {
  long index = (long)(take_bytes(in, 2) % nmodules);
  const module_info *mi = &modules[index];
  uint8_t *copy = malloc(mi->size ? mi->size : 1);
  memcpy(copy, mi->bytes, mi->size);
  unsigned flips = 1 + take8(in) % 4;
  trace(";; $m%ld with", index);
  for (unsigned i = 0; i < flips && mi->size > 0; i++) {
    size_t at = (size_t)take_bytes(in, 3) % mi->size;
    copy[at] = take8(in);
    trace(" byte %zu = 0x%02x", at, copy[at]);
  }
  trace("\n");
  uint32_t mode = take8(in) % 3 + 1;
  /* -2: installed, but the reflected facts of the original no longer hold */
  do_install(step, r, mode, in, copy, mi->size, -2);
  free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  input in = {data, size};
  run r = {0};
  r.profile = &profiles[take8(&in) % nprofiles];
  r.installed = -1;
  char err[256];
  r.a = adapter->create(r.profile, err, sizeof err);
  r.b = adapter->create(r.profile, err, sizeof err);
  if (r.a == NULL || r.b == NULL)
    die("cannot create a canister under %s: %s", r.profile->name, err);
  trace(";; profile %s\n", r.profile->name);
  take_state(r.a, &r.before);

  for (int step = 1; step <= MAX_STEPS && in.left > 0; step++) {
    uint8_t op = take8(&in);
    const module_info *cur =
        r.installed >= 0 ? &modules[r.installed] : &modules[0];
    switch (op % 16) {
    case 0:
    case 1:
    case 2: {
      long index = (long)(take_bytes(&in, 2) % nmodules);
      uint32_t mode = op % 16 == 0   ? CANMEM_MODE_INSTALL
                      : op % 16 == 1 ? CANMEM_MODE_REINSTALL
                                     : CANMEM_MODE_UPGRADE;
      /* mostly the module already there, as real upgrades do */
      if (mode == CANMEM_MODE_UPGRADE && r.installed >= 0 && (op & 0x10))
        index = r.installed;
      trace(";; $m%ld = %s\n", index, modules[index].file);
      do_install(step, &r, mode, &in, modules[index].bytes,
                 modules[index].size, index);
      break;
    }
    case 3:
      do_install(step, &r, CANMEM_MODE_UNINSTALL, &in, NULL, 0, -1);
      break;
    case 4:
    case 5:
    case 6:
    case 7:
    case 8:
    case 9:
    case 10: {
      /* a method of the module, called as it is exported or otherwise */
      uint8_t pick = take8(&in);
      const char *name = cur->nmethods ? cur->methods[pick % cur->nmethods].name
                                       : "missing";
      int is_query = cur->nmethods && cur->methods[pick % cur->nmethods].kind ==
                                          M_QUERY;
      uint32_t kind = is_query ? CANMEM_CALL_QUERY : CANMEM_CALL_UPDATE;
      if (op % 16 == 9)
        kind = is_query ? CANMEM_CALL_REPLICATED_QUERY
                        : CANMEM_CALL_INSPECT_MESSAGE;
      if (op % 16 == 10)
        kind = is_query ? CANMEM_CALL_UPDATE : CANMEM_CALL_QUERY;
      do_call(step, &r, kind, name, &in);
      break;
    }
    case 11:
      do_call(step, &r, CANMEM_CALL_SYSTEM_TASK, tasks[take8(&in) % 3], &in);
      break;
    case 12:
      do_settings(step, &r, &in);
      break;
    case 13:
    case 14:
      check_probe_bounds(step, r.a, r.b, op % 16 == 13, &in);
      break;
    default:
      do_mutated_install(step, &r, &in);
    }
  }
  adapter->destroy(r.a);
  adapter->destroy(r.b);
  return 0;
}

#ifdef CM_FUZZ_STANDALONE
int main(int argc, char **argv) {
  LLVMFuzzerInitialize(&argc, &argv);
  for (int i = 1; i < argc; i++) {
    size_t size;
    uint8_t *bytes = read_file(argv[i], &size);
    LLVMFuzzerTestOneInput(bytes, size);
    free(bytes);
    printf("%s: done\n", argv[i]);
  }
  return 0;
}
#endif
