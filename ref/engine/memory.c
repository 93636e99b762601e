/* canmem engine: memories (with the write journal), tables and globals.
 *
 * Memory bytes live in one contiguous block whose first `size` bytes are
 * the memory. On Linux the block is address space reserved for the
 * memory's maximum when it is made (PROT_NONE, MAP_NORESERVE: no memory is
 * committed); growing opens the next part with mprotect, in place, so a
 * grow costs the same on a memory with gigabytes resident as on an empty
 * one, and no page is touched until wasm writes it (the kernel supplies
 * zero pages lazily). Shrinking (journal rollback) maps fresh PROT_NONE
 * pages over the tail, which frees its pages, and growing again yields
 * zeros. Only growth past the reservation (a maximum above
 * CM_RESERVE_MAX, or a block that another memory handed over with
 * cm_memory_swap_storage) moves the block, with mremap: page tables move,
 * bytes do not. Elsewhere the block is realloc'd and the new part zeroed,
 * which is correct but touches the pages. */
#if defined(__linux__) && !defined(CM_PORTABLE_MEMORY)
#ifndef _GNU_SOURCE /* the fuzz harness's build defines it for all files */
#define _GNU_SOURCE /* mremap */
#endif
#define CM_MEMORY_MMAP 1
#include <sys/mman.h>
#else
#define CM_MEMORY_MMAP 0
#endif

#include <stdlib.h>
#include <string.h>

#include "runtime.h"

/* ---- The byte block ---- */

#if CM_MEMORY_MMAP
/* The most address space one memory reserves up front: above the 18 GiB
 * wasm64 heaps of the IC, far below the 128 TiB of a process. */
#define CM_RESERVE_MAX (UINT64_C(64) << 30)

static const int reserve_flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

/* The reservation for a memory of at most max_pages pages holding size
 * bytes. */
static uint64_t reservation(uint64_t max_pages, uint64_t size) {
  uint64_t bytes = max_pages > CM_RESERVE_MAX / CM_PAGE_SIZE
                       ? CM_RESERVE_MAX
                       : max_pages * CM_PAGE_SIZE;
  return bytes > size ? bytes : size;
}

static uint8_t *reserve(uint64_t bytes) {
  if (bytes == 0 || bytes > SIZE_MAX)
    return NULL;
  void *p = mmap(NULL, (size_t)bytes, PROT_NONE, reserve_flags, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

static bool open_range(uint8_t *at, uint64_t bytes) {
  return bytes == 0 ||
         mprotect(at, (size_t)bytes, PROT_READ | PROT_WRITE) == 0;
}
#endif

/* Make mem's block: size bytes of zeros, room for mem->max_pages. */
static bool block_init(cm_memory *mem, uint64_t size) {
  mem->data = NULL;
  mem->size = mem->reserved = 0;
  if (size > SIZE_MAX)
    return false;
#if CM_MEMORY_MMAP
  uint64_t want = reservation(mem->max_pages, size);
  if (want == 0)
    return true;
  uint8_t *p = reserve(want);
  if (!p && want > size) /* no room for the maximum: reserve what is used */
    p = reserve(want = size);
  if (!p)
    return size == 0;
  if (!open_range(p, size)) {
    munmap(p, (size_t)want);
    return false;
  }
  mem->reserved = want;
#else
  uint8_t *p = size ? calloc(1, (size_t)size) : NULL;
  if (size && !p)
    return false;
  mem->reserved = size;
#endif
  mem->data = p;
  mem->size = size;
  return true;
}

/* Grow mem's block to new_size > size bytes; the new bytes are zero. */
static bool block_grow(cm_memory *mem, uint64_t new_size) {
  if (new_size > SIZE_MAX)
    return false;
#if CM_MEMORY_MMAP
  if (new_size <= mem->reserved) {
    if (!open_range(mem->data + mem->size, new_size - mem->size))
      return false;
    mem->size = new_size;
    return true;
  }
  /* Past the reservation: move the open part into a larger one. */
  uint64_t want = reservation(mem->max_pages, new_size);
  uint8_t *p = reserve(want);
  if (!p)
    return false;
  if (mem->size &&
      mremap(mem->data, (size_t)mem->size, (size_t)mem->size,
             MREMAP_MAYMOVE | MREMAP_FIXED, p) == MAP_FAILED) {
    munmap(p, (size_t)want);
    return false;
  }
  if (mem->data && mem->reserved > mem->size) /* the closed tail */
    munmap(mem->data + mem->size, (size_t)(mem->reserved - mem->size));
  mem->data = p;
  mem->reserved = want;
  if (!open_range(p + mem->size, new_size - mem->size))
    return false; /* the old bytes are safe in the new block */
  mem->size = new_size;
  return true;
#else
  uint8_t *p = realloc(mem->data, (size_t)new_size);
  if (!p)
    return false;
  memset(p + mem->size, 0, (size_t)(new_size - mem->size));
  mem->data = p;
  mem->size = mem->reserved = new_size;
  return true;
#endif
}

/* Give back the bytes past new_size < size: growing again yields zeros. */
static void block_shrink(cm_memory *mem, uint64_t new_size) {
  uint8_t *tail = mem->data + new_size;
  size_t bytes = (size_t)(mem->size - new_size);
#if CM_MEMORY_MMAP
  /* fresh reserved pages in place of the tail; should that ever fail, the
   * tail stays open and is zeroed instead */
  if (mmap(tail, bytes, PROT_NONE, reserve_flags | MAP_FIXED, -1, 0) ==
      MAP_FAILED)
    memset(tail, 0, bytes);
#else
  memset(tail, 0, bytes); /* the block keeps its size: reserved */
#endif
  mem->size = new_size;
}

static void block_free(cm_memory *mem) {
#if CM_MEMORY_MMAP
  if (mem->data)
    munmap(mem->data, (size_t)mem->reserved);
#else
  free(mem->data);
#endif
  mem->data = NULL;
  mem->size = mem->reserved = 0;
}

/* ---- Memories ---- */

static uint64_t memory_max_pages(const cm_store *s, const cm_limits *limits) {
  uint64_t spec_max = limits->is64 ? CM_MAX_PAGES64 : CM_MAX_PAGES32;
  uint64_t platform_max =
      limits->is64 ? s->limits.max_pages64 : s->limits.max_pages32;
  uint64_t max = spec_max < platform_max ? spec_max : platform_max;
  if (limits->has_max && limits->max < max)
    max = limits->max;
  return max;
}

cm_memory *cm_memory_create(cm_store *s, const cm_limits *limits) {
  uint64_t max_pages = memory_max_pages(s, limits);
  if (limits->min > max_pages)
    return NULL;
  cm_memory *mem = calloc(1, sizeof *mem);
  if (!mem)
    return NULL;
  mem->max_pages = max_pages;
  if (!block_init(mem, limits->min * CM_PAGE_SIZE)) {
    free(mem);
    return NULL;
  }
  mem->store = s;
  mem->pages = limits->min;
  mem->limits = *limits;
  mem->next_in_store = s->memories;
  s->memories = mem;
  return mem;
}

static void journal_forget(cm_journal *j);

void cm_memory_destroy(cm_memory *mem) {
  journal_forget(&mem->journal);
  free(mem->journal.saved_bits);
  free(mem->journal.blocks);
  free(mem->journal.old_bytes);
  block_free(mem);
  free(mem);
}

cm_memory *cm_memory_new(cm_store *s, const cm_limits *limits) {
  if (!s || !limits || (limits->has_max && limits->max < limits->min))
    return NULL;
  return cm_memory_create(s, limits);
}

uint8_t *cm_memory_data(cm_memory *mem) { return mem->data; }
uint64_t cm_memory_size(const cm_memory *mem) { return mem->size; }
uint64_t cm_memory_pages(const cm_memory *mem) { return mem->pages; }
bool cm_memory_is64(const cm_memory *mem) { return mem->limits.is64; }

uint64_t cm_memory_grow(cm_memory *mem, uint64_t delta) {
  uint64_t old_pages = mem->pages;
  /* old_pages <= max_pages always, so the subtraction cannot wrap. */
  if (delta > mem->max_pages - old_pages)
    return UINT64_MAX;
  if (delta == 0)
    return old_pages;
  uint64_t new_pages = old_pages + delta;
  uint64_t new_size = new_pages * CM_PAGE_SIZE; /* <= 2^64: pages <= 2^48 */
  if (!block_grow(mem, new_size))
    return UINT64_MAX;
  mem->pages = new_pages;
  return old_pages;
}

bool cm_memory_swap_storage(cm_memory *a, cm_memory *b) {
  if (a == b || a->limits.is64 != b->limits.is64 ||
      a->pages > b->max_pages || b->pages > a->max_pages)
    return false;
  /* The journal guards the bytes, so it goes with them: a journal open on
   * a keeps saving (and can restore) the same bytes once they are b's. */
  uint8_t *data = a->data;
  uint64_t size = a->size, pages = a->pages, reserved = a->reserved;
  cm_journal journal = a->journal;
  a->data = b->data;
  a->size = b->size;
  a->pages = b->pages;
  a->reserved = b->reserved;
  a->journal = b->journal;
  b->data = data;
  b->size = size;
  b->pages = pages;
  b->reserved = reserved;
  b->journal = journal;
  return true;
}

/* ---- The write journal ---- */

/* Saved-block buffers up to this many blocks (16 MiB of old bytes) always
 * stay between journals, so ordinary messages allocate nothing; larger
 * ones stay while the journals keep using a good part of them. */
#define CM_JOURNAL_KEEP_BLOCKS 4096u
#define CM_JOURNAL_SMALL_RUN 16u

static uint64_t journal_blocks(uint64_t size) {
  return size / CM_JOURNAL_PAGE; /* sizes are whole wasm pages */
}

static void journal_clear_bit(cm_journal *j, uint64_t block) {
  j->saved_bits[block / 64] &= ~(UINT64_C(1) << (block % 64));
}

/* Forget the saved blocks and clear their bits; cost follows what was
 * saved. The buffers stay for the next journal. */
static void journal_forget(cm_journal *j) {
  for (size_t i = 0; i < j->nentries; i++)
    journal_clear_bit(j, j->blocks[i]);
  size_t used = j->nentries;
  j->nentries = 0;
  if (j->entries_cap <= CM_JOURNAL_KEEP_BLOCKS || used >= j->entries_cap / 4) {
    j->small_run = 0;
    return;
  }
  if (++j->small_run >= CM_JOURNAL_SMALL_RUN) {
    /* A message that wrote gigabytes must not leave their old bytes
     * resident for the canister's life: a run of journals that need less
     * than a quarter of them frees them. (Freeing them at the first small
     * journal would make large messages that alternate with small ones,
     * e.g. stable_read and stable_write of 64 MiB, pay page faults for a
     * fresh buffer each time: measured 0.19x memcpy instead of 0.6x.) */
    j->small_run = 0;
    free(j->blocks);
    free(j->old_bytes);
    j->blocks = NULL;
    j->old_bytes = NULL;
    j->entries_cap = 0;
  }
}

/* Room for one more saved block; false when out of host memory. */
static bool journal_reserve(cm_journal *j) {
  if (j->nentries < j->entries_cap)
    return true;
  size_t cap = j->entries_cap ? 2 * j->entries_cap : 64;
  if (cap > SIZE_MAX / CM_JOURNAL_PAGE)
    return false;
  uint64_t *blocks = realloc(j->blocks, cap * sizeof *blocks);
  if (!blocks)
    return false;
  j->blocks = blocks;
  uint8_t *old_bytes = realloc(j->old_bytes, cap * CM_JOURNAL_PAGE);
  if (!old_bytes)
    return false;
  j->old_bytes = old_bytes;
  j->entries_cap = cap;
  return true;
}

void cm_memory_journal_begin(cm_memory *mem) {
  cm_journal *j = &mem->journal;
  if (j->open) /* journals do not nest: the outer one stays in charge */
    return;
  j->open = true;
  j->broken = false;
  j->start_size = mem->size;
  j->start_pages = mem->pages;
  j->start_blocks = journal_blocks(mem->size);
  uint64_t words = (j->start_blocks + 63) / 64;
  if (words > j->saved_bits_words) {
    /* The bitmap only grows, by what the memory grew: 1 bit per 4 KiB. */
    uint64_t *bits = NULL;
    if (words <= SIZE_MAX / sizeof *bits)
      bits = realloc(j->saved_bits, (size_t)words * sizeof *bits);
    if (!bits) {
      /* Every later write then fails as out of host memory, rather than
       * happening without a way back. */
      j->broken = true;
      return;
    }
    memset(bits + j->saved_bits_words, 0,
           (size_t)(words - j->saved_bits_words) * sizeof *bits);
    j->saved_bits = bits;
    j->saved_bits_words = words;
  }
}

bool cm_memory_journal_save(cm_memory *mem, uint64_t offset, uint64_t size) {
  cm_journal *j = &mem->journal;
  if (!j->open || size == 0)
    return true;
  if (j->broken)
    return false;
  uint64_t first = offset / CM_JOURNAL_PAGE;
  uint64_t last = (offset + size - 1) / CM_JOURNAL_PAGE;
  /* Blocks at or past start_blocks were added by a grow inside this
   * journal; rollback shrinks them away, so they need no copy. */
  if (first >= j->start_blocks)
    return true;
  if (last >= j->start_blocks)
    last = j->start_blocks - 1;
  for (uint64_t block = first; block <= last; block++) {
    uint64_t mask = UINT64_C(1) << (block % 64);
    if (j->saved_bits[block / 64] & mask)
      continue;
    if (!journal_reserve(j))
      return false;
    memcpy(j->old_bytes + j->nentries * CM_JOURNAL_PAGE,
           mem->data + block * CM_JOURNAL_PAGE, CM_JOURNAL_PAGE);
    j->blocks[j->nentries++] = block;
    j->saved_bits[block / 64] |= mask;
  }
  return true;
}

bool cm_memory_will_write(cm_memory *mem, uint64_t offset, uint64_t size) {
  if (!cm_range_ok(offset, size, mem->size))
    return false;
  return cm_memory_journal_touch(mem, offset, size);
}

void cm_memory_journal_commit(cm_memory *mem) {
  cm_journal *j = &mem->journal;
  if (!j->open)
    return;
  journal_forget(j);
  j->open = false;
}

void cm_memory_journal_rollback(cm_memory *mem) {
  cm_journal *j = &mem->journal;
  if (!j->open)
    return;
  /* The saved blocks all lie below start_size <= size: restore them
   * before shrinking. */
  for (size_t i = 0; i < j->nentries; i++)
    memcpy(mem->data + j->blocks[i] * CM_JOURNAL_PAGE,
           j->old_bytes + i * CM_JOURNAL_PAGE, CM_JOURNAL_PAGE);
  journal_forget(j);
  if (mem->size > j->start_size) {
    block_shrink(mem, j->start_size);
    mem->pages = j->start_pages;
  }
  j->open = false;
}

size_t cm_memory_journal_saved_blocks(const cm_memory *mem) {
  return mem->journal.nentries;
}

/* ---- Bulk memory operations (checked first, then performed) ---- */

cm_status cm_memory_init_range(cm_memory *mem, uint64_t dst,
                               const uint8_t *bytes, uint64_t bytes_size,
                               uint64_t src, uint64_t n, cm_error *err) {
  if (!cm_range_ok(src, n, bytes_size) || !cm_range_ok(dst, n, mem->size))
    return cm_fail(err, CM_TRAP, CM_TRAP_MEMORY_OOB,
                   "out of bounds memory access: init of %llu bytes from "
                   "segment offset %llu (size %llu) to %llu (memory size "
                   "%llu)",
                   (unsigned long long)n, (unsigned long long)src,
                   (unsigned long long)bytes_size, (unsigned long long)dst,
                   (unsigned long long)mem->size);
  if (n == 0)
    return CM_OK;
  if (!cm_memory_journal_touch(mem, dst, n))
    return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                   "out of host memory for the write journal");
  memcpy(mem->data + dst, bytes + src, (size_t)n);
  return CM_OK;
}

cm_status cm_memory_copy_range(cm_memory *mem, uint64_t dst, uint64_t src,
                               uint64_t n, cm_error *err) {
  if (!cm_range_ok(src, n, mem->size) || !cm_range_ok(dst, n, mem->size))
    return cm_fail(err, CM_TRAP, CM_TRAP_MEMORY_OOB,
                   "out of bounds memory access: copy of %llu bytes from %llu "
                   "to %llu (memory size %llu)",
                   (unsigned long long)n, (unsigned long long)src,
                   (unsigned long long)dst, (unsigned long long)mem->size);
  if (n == 0)
    return CM_OK;
  if (!cm_memory_journal_touch(mem, dst, n))
    return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                   "out of host memory for the write journal");
  memmove(mem->data + dst, mem->data + src, (size_t)n);
  return CM_OK;
}

cm_status cm_memory_fill_range(cm_memory *mem, uint64_t dst, uint8_t value,
                               uint64_t n, cm_error *err) {
  if (!cm_range_ok(dst, n, mem->size))
    return cm_fail(err, CM_TRAP, CM_TRAP_MEMORY_OOB,
                   "out of bounds memory access: fill of %llu bytes at %llu "
                   "(memory size %llu)",
                   (unsigned long long)n, (unsigned long long)dst,
                   (unsigned long long)mem->size);
  if (n == 0)
    return CM_OK;
  if (!cm_memory_journal_touch(mem, dst, n))
    return cm_fail(err, CM_NO_MEMORY, CM_TRAP_NONE,
                   "out of host memory for the write journal");
  memset(mem->data + dst, value, (size_t)n);
  return CM_OK;
}

/* ---- Tables ---- */

static uint64_t table_max_size(const cm_limits *limits) {
  uint64_t max = CM_MAX_TABLE_ELEMS;
  if (limits->has_max && limits->max < max)
    max = limits->max;
  return max;
}

cm_table *cm_table_create(cm_store *s, uint8_t elemtype,
                          const cm_limits *limits) {
  uint64_t max_size = table_max_size(limits);
  if (limits->min > max_size)
    return NULL;
  cm_table *t = calloc(1, sizeof *t);
  if (!t)
    return NULL;
  if (limits->min > 0) {
    t->elems = calloc((size_t)limits->min, sizeof *t->elems);
    if (!t->elems) {
      free(t);
      return NULL;
    }
  }
  t->store = s;
  t->size = limits->min;
  t->elemtype = elemtype;
  t->limits = *limits;
  t->max_size = max_size;
  t->next_in_store = s->tables;
  s->tables = t;
  return t;
}

void cm_table_destroy(cm_table *t) {
  free(t->elems);
  free(t);
}

cm_table *cm_table_new(cm_store *s, uint8_t elemtype,
                       const cm_limits *limits) {
  if (!s || !limits || (elemtype != CM_FUNCREF && elemtype != CM_EXTERNREF) ||
      (limits->has_max && limits->max < limits->min))
    return NULL;
  return cm_table_create(s, elemtype, limits);
}

uint64_t cm_table_grow(cm_table *t, uint64_t delta, uint64_t init) {
  uint64_t old_size = t->size;
  if (delta > t->max_size - old_size)
    return UINT64_MAX;
  if (delta == 0)
    return old_size;
  uint64_t new_size = old_size + delta; /* <= CM_MAX_TABLE_ELEMS */
  uint64_t *elems = realloc(t->elems, (size_t)new_size * sizeof *elems);
  if (!elems)
    return UINT64_MAX;
  for (uint64_t i = old_size; i < new_size; i++)
    elems[i] = init;
  t->elems = elems;
  t->size = new_size;
  return old_size;
}

uint64_t cm_table_size(const cm_table *t) { return t->size; }

bool cm_table_get(const cm_table *t, uint64_t i, uint64_t *ref) {
  if (i >= t->size)
    return false;
  *ref = t->elems[i];
  return true;
}

cm_status cm_table_init_range(cm_table *t, uint64_t dst, const uint64_t *refs,
                              uint64_t refs_size, uint64_t src, uint64_t n,
                              cm_error *err) {
  if (!cm_range_ok(src, n, refs_size) || !cm_range_ok(dst, n, t->size))
    return cm_fail(err, CM_TRAP, CM_TRAP_TABLE_OOB,
                   "out of bounds table access: init of %llu elements from "
                   "segment offset %llu (size %llu) to %llu (table size %llu)",
                   (unsigned long long)n, (unsigned long long)src,
                   (unsigned long long)refs_size, (unsigned long long)dst,
                   (unsigned long long)t->size);
  if (n > 0)
    memcpy(t->elems + dst, refs + src, (size_t)n * sizeof *refs);
  return CM_OK;
}

cm_status cm_table_copy_range(cm_table *dst_table, cm_table *src_table,
                              uint64_t dst, uint64_t src, uint64_t n,
                              cm_error *err) {
  if (!cm_range_ok(src, n, src_table->size) ||
      !cm_range_ok(dst, n, dst_table->size))
    return cm_fail(err, CM_TRAP, CM_TRAP_TABLE_OOB,
                   "out of bounds table access: copy of %llu elements from "
                   "%llu (size %llu) to %llu (size %llu)",
                   (unsigned long long)n, (unsigned long long)src,
                   (unsigned long long)src_table->size,
                   (unsigned long long)dst,
                   (unsigned long long)dst_table->size);
  if (n > 0)
    memmove(dst_table->elems + dst, src_table->elems + src,
            (size_t)n * sizeof *dst_table->elems);
  return CM_OK;
}

cm_status cm_table_fill_range(cm_table *t, uint64_t dst, uint64_t ref,
                              uint64_t n, cm_error *err) {
  if (!cm_range_ok(dst, n, t->size))
    return cm_fail(err, CM_TRAP, CM_TRAP_TABLE_OOB,
                   "out of bounds table access: fill of %llu elements at "
                   "%llu (table size %llu)",
                   (unsigned long long)n, (unsigned long long)dst,
                   (unsigned long long)t->size);
  for (uint64_t i = 0; i < n; i++)
    t->elems[dst + i] = ref;
  return CM_OK;
}

/* ---- Globals ---- */

cm_global *cm_global_create(cm_store *s, uint8_t type, bool mut,
                            uint64_t value, uint64_t value_hi) {
  cm_global *g = calloc(1, sizeof *g);
  if (!g)
    return NULL;
  g->store = s;
  g->type = type;
  g->mut = mut;
  g->value = value;
  g->value_hi = value_hi;
  g->next_in_store = s->globals;
  s->globals = g;
  return g;
}

void cm_global_destroy(cm_global *g) { free(g); }

/* 32-bit values are zero-extended in cells, whatever the host passed. */
uint64_t cm_cell_normalize(uint8_t type, uint64_t bits) {
  return (type == CM_I32 || type == CM_F32) ? (uint32_t)bits : bits;
}

cm_global *cm_global_new(cm_store *s, cm_val init, bool mutable_) {
  if (!s)
    return NULL;
  return cm_global_create(s, init.type, mutable_,
                          cm_cell_normalize(init.type, init.bits),
                          init.type == CM_V128 ? init.bits_hi : 0);
}

cm_val cm_global_get(const cm_global *g) {
  cm_val v;
  v.type = g->type;
  v.bits = g->value;
  v.bits_hi = g->value_hi;
  return v;
}

void cm_global_set(cm_global *g, cm_val v) {
  g->value = cm_cell_normalize(g->type, v.bits);
  g->value_hi = g->type == CM_V128 ? v.bits_hi : 0;
}
