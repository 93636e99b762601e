/* The wasm-rt runtime that every module object of the wasm2c adapter is
 * linked with (the adapter embeds this file as text; it is never linked
 * into the adapter itself). It implements the functions wasm-rt.h of wabt
 * 1.0.32 declares, for code compiled with WASM_RT_MEMCHECK_SIGNAL_HANDLER=0
 * (explicit bounds checks and a call-depth count, no signal handlers in the
 * runner's process). Differences from wabt's wasm-rt-impl.c: memory is
 * reserved address space that growth opens (so a 4 GiB heap costs only the
 * pages written), growth is capped by the canister's heap maximum,
 * allocation failures trap (code 100) instead of aborting, traps jump to
 * the glue's current entry point, and writes to the heap of a running
 * transaction go to the adapter's journal (hooks below). The generated C is edited to match
 * (build.c, edit_generated_c): its bounds check compares with pages * 64 KiB,
 * since wasm-rt.h keeps the byte size in 32 bits (4 GiB wraps to 0), and
 * every store, memory.fill, memory.copy and memory.init calls the journal. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wasm-rt.h"

#define CMW_RT_PAGE 65536u
#define CMW_RT_MAX_PAGES 65536u /* a wasm32 memory: 4 GiB */
#define CMW_RT_TRAP_HOST_OOM 100

uint32_t wasm_rt_call_stack_depth;
uint32_t wasm_rt_saved_call_stack_depth;

/* Where a trap jumps: set by the glue around every call into wasm. The
 * adapter runs one call at a time per module object. */
jmp_buf *cmw_rt_trap_target;
/* The canister's heap maximum in pages (profile), applied to every memory
 * the module allocates. */
uint32_t cmw_rt_heap_limit_pages = 65536u;

void wasm_rt_trap(wasm_rt_trap_t code) {
  wasm_rt_call_stack_depth = wasm_rt_saved_call_stack_depth;
  if (!cmw_rt_trap_target)
    abort(); /* a trap outside any entry point: a bug of the glue */
  longjmp(*cmw_rt_trap_target, (int)code);
}

const char *wasm_rt_strerror(wasm_rt_trap_t trap) {
  switch ((int)trap) {
  case WASM_RT_TRAP_NONE: return "no error";
  case WASM_RT_TRAP_OOB: return "out of bounds";
  case WASM_RT_TRAP_INT_OVERFLOW: return "integer overflow";
  case WASM_RT_TRAP_DIV_BY_ZERO: return "integer divide by zero";
  case WASM_RT_TRAP_INVALID_CONVERSION: return "invalid conversion";
  case WASM_RT_TRAP_UNREACHABLE: return "unreachable";
  case WASM_RT_TRAP_CALL_INDIRECT: return "invalid call_indirect";
  case WASM_RT_TRAP_UNCAUGHT_EXCEPTION: return "uncaught exception";
  case CMW_RT_TRAP_HOST_OOM: return "out of host memory";
  case 101: return "table index out of bounds";
  case 102: return "uninitialized element";
  default: return "call stack exhausted";
  }
}

void wasm_rt_init(void) {}
bool wasm_rt_is_initialized(void) { return true; }
void wasm_rt_free(void) {}

/* Function types: a fixed table (types are compared by index). */
#define CMW_RT_MAX_TYPES 4096
#define CMW_RT_MAX_TYPE_VALUES 65536
static uint32_t type_offset[CMW_RT_MAX_TYPES + 1];
static uint32_t type_params[CMW_RT_MAX_TYPES];
static uint32_t type_results[CMW_RT_MAX_TYPES];
static uint8_t type_values[CMW_RT_MAX_TYPE_VALUES];
static uint32_t type_count;

uint32_t wasm_rt_register_func_type(uint32_t params, uint32_t results, ...) {
  uint8_t values[512];
  uint32_t n = params + results;
  va_list ap;
  va_start(ap, results);
  for (uint32_t i = 0; i < n; i++) {
    int v = va_arg(ap, int); /* wasm_rt_type_t is promoted to int */
    if (i < sizeof values)
      values[i] = (uint8_t)v;
  }
  va_end(ap);
  if (n > sizeof values)
    wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  for (uint32_t t = 0; t < type_count; t++)
    if (type_params[t] == params && type_results[t] == results &&
        memcmp(type_values + type_offset[t], values, n) == 0)
      return t + 1;
  if (type_count == CMW_RT_MAX_TYPES ||
      type_offset[type_count] + n > CMW_RT_MAX_TYPE_VALUES)
    wasm_rt_trap(WASM_RT_TRAP_EXHAUSTION);
  memcpy(type_values + type_offset[type_count], values, n);
  type_params[type_count] = params;
  type_results[type_count] = results;
  type_offset[type_count + 1] = type_offset[type_count] + n;
  return ++type_count;
}

/* Exceptions are not enabled in canisters; these only satisfy the linker. */
static uint32_t tag_count;
uint32_t wasm_rt_register_tag(uint32_t size) {
  (void)size;
  return tag_count++;
}
void wasm_rt_load_exception(uint32_t tag, uint32_t size, const void *values) {
  (void)tag;
  (void)size;
  (void)values;
}
void wasm_rt_throw(void) { wasm_rt_trap(WASM_RT_TRAP_UNCAUGHT_EXCEPTION); }
static WASM_RT_UNWIND_TARGET *unwind_target;
WASM_RT_UNWIND_TARGET *wasm_rt_get_unwind_target(void) { return unwind_target; }
void wasm_rt_set_unwind_target(WASM_RT_UNWIND_TARGET *target) {
  unwind_target = target;
}
uint32_t wasm_rt_exception_tag(void) { return 0; }
uint32_t wasm_rt_exception_size(void) { return 0; }
void *wasm_rt_exception(void) { return NULL; }

/* ---- Memories ----
 * A memory reserves 4 GiB of inaccessible address space, plus one spare OS
 * page (a zero-length access at the end, an empty memory), and growth
 * makes the new pages accessible. The bytes past the current size are
 * always zero (a rolled-back growth gives its pages back), so growth
 * writes nothing and untouched pages take no memory. Every memory reserves
 * the same, whatever its maximum, so an upgrade with `keep` can hand the
 * old heap's block to the new instance (adapter.c). */
#define RESERVED_BYTES ((size_t)CMW_RT_MAX_PAGES * CMW_RT_PAGE + 4096u)

static int make_accessible(uint8_t *data, uint64_t from, uint64_t to) {
  if (to == from)
    return 0;
  return mprotect(data + from, (size_t)(to - from), PROT_READ | PROT_WRITE);
}

void wasm_rt_allocate_memory(wasm_rt_memory_t *memory, uint32_t initial_pages,
                             uint32_t max_pages) {
  if (max_pages > cmw_rt_heap_limit_pages)
    max_pages = cmw_rt_heap_limit_pages;
  if (max_pages > CMW_RT_MAX_PAGES)
    max_pages = CMW_RT_MAX_PAGES;
  memory->data = NULL;
  memory->pages = 0;
  memory->size = 0;
  memory->max_pages = max_pages;
  if (initial_pages > max_pages)
    wasm_rt_trap((wasm_rt_trap_t)CMW_RT_TRAP_HOST_OOM);
  void *base = mmap(NULL, RESERVED_BYTES, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (base == MAP_FAILED)
    wasm_rt_trap((wasm_rt_trap_t)CMW_RT_TRAP_HOST_OOM);
  memory->data = base;
  uint64_t bytes = (uint64_t)initial_pages * CMW_RT_PAGE;
  if (make_accessible(memory->data, 0, bytes + 4096u) != 0)
    wasm_rt_trap((wasm_rt_trap_t)CMW_RT_TRAP_HOST_OOM);
  memory->pages = initial_pages;
  memory->size = (uint32_t)bytes; /* 4 GiB wraps to 0: unused, see above */
}

uint32_t wasm_rt_grow_memory(wasm_rt_memory_t *memory, uint32_t delta) {
  uint32_t old_pages = memory->pages;
  uint64_t new_pages = (uint64_t)old_pages + delta;
  if (new_pages > memory->max_pages)
    return (uint32_t)-1;
  if (delta == 0)
    return old_pages;
  uint64_t old_bytes = (uint64_t)old_pages * CMW_RT_PAGE;
  uint64_t new_bytes = new_pages * CMW_RT_PAGE;
  if (make_accessible(memory->data, old_bytes + 4096u, new_bytes + 4096u) != 0)
    return (uint32_t)-1;
  memory->pages = (uint32_t)new_pages;
  memory->size = (uint32_t)new_bytes;
  return old_pages;
}

/* ---- The write journal's hooks ----
 * The journal itself is the adapter's (journal.c), which sets these while
 * a transaction runs; the edited generated code reads the first two on
 * every store and calls cmw_rt_journal_write for a page not noted yet. */
wasm_rt_memory_t *cmw_rt_journal_mem; /* NULL: no transaction */
const uint8_t *cmw_rt_journal_saved;  /* per page: 1 once noted */
static void *journal;
static int (*journal_note)(void *, void *, uint64_t, uint64_t);

void cmw_rt_set_journal(void *j, void *memory, const uint8_t *saved,
                        int (*note)(void *, void *, uint64_t, uint64_t)) {
  journal = j;
  cmw_rt_journal_mem = memory;
  cmw_rt_journal_saved = saved;
  journal_note = note;
}

void cmw_rt_journal_write(wasm_rt_memory_t *memory, uint64_t addr,
                          uint64_t n) {
  if (memory == cmw_rt_journal_mem && journal_note(journal, memory, addr, n))
    wasm_rt_trap((wasm_rt_trap_t)CMW_RT_TRAP_HOST_OOM);
}

void wasm_rt_free_memory(wasm_rt_memory_t *memory) {
  if (memory->data)
    munmap(memory->data, RESERVED_BYTES);
  memory->data = NULL;
}

#define CMW_RT_TABLE_OPS(type)                                                \
  void wasm_rt_allocate_##type##_table(wasm_rt_##type##_table_t *table,      \
                                       uint32_t elements,                    \
                                       uint32_t max_elements) {              \
    table->size = 0;                                                         \
    table->max_size = max_elements;                                          \
    table->data = calloc((size_t)elements + 1, sizeof(wasm_rt_##type##_t));  \
    if (!table->data)                                                        \
      wasm_rt_trap((wasm_rt_trap_t)CMW_RT_TRAP_HOST_OOM);                    \
    table->size = elements;                                                  \
  }                                                                          \
  void wasm_rt_free_##type##_table(wasm_rt_##type##_table_t *table) {        \
    free(table->data);                                                       \
    table->data = NULL;                                                      \
  }                                                                          \
  uint32_t wasm_rt_grow_##type##_table(wasm_rt_##type##_table_t *table,      \
                                       uint32_t delta,                       \
                                       wasm_rt_##type##_t init) {            \
    uint32_t old = table->size;                                              \
    uint64_t grown = (uint64_t)old + delta;                                  \
    if (grown > table->max_size || grown > 10000000u)                        \
      return (uint32_t)-1;                                                   \
    wasm_rt_##type##_t *data =                                               \
        realloc(table->data, ((size_t)grown + 1) * sizeof *data);            \
    if (!data)                                                               \
      return (uint32_t)-1;                                                   \
    for (uint64_t i = old; i < grown; i++)                                   \
      data[i] = init;                                                        \
    table->data = data;                                                      \
    table->size = (uint32_t)grown;                                           \
    return old;                                                              \
  }

CMW_RT_TABLE_OPS(funcref)
CMW_RT_TABLE_OPS(externref)
