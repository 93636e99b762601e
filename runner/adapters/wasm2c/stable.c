/* Stable memory of the wasm2c adapter: 64 KiB pages that get storage on
 * their first write (unwritten pages read as zeros), in a two-level table
 * so that a 500 GiB memory costs only what is written. A transaction keeps
 * the old storage of every page it writes (copy on first write) and its
 * size, so rollback is as cheap as the message was. */
#include <stdlib.h>
#include <string.h>

#include "w2c_internal.h"

#define CHUNK_PAGES 4096u /* pages per directory entry: 256 MiB */

struct cmw_saved_page {
  uint64_t page;
  uint8_t *old; /* NULL: the page had no storage */
};

void cmw_stable_init(cmw_stable *s) { memset(s, 0, sizeof *s); }

static uint8_t **slot_of(const cmw_stable *s, uint64_t page) {
  uint64_t chunk = page / CHUNK_PAGES;
  if (chunk >= s->dir_size || !s->dir[chunk])
    return NULL;
  return &s->dir[chunk][page % CHUNK_PAGES];
}

static void free_pages(cmw_stable *s) {
  for (uint64_t c = 0; c < s->dir_size; c++) {
    if (!s->dir[c])
      continue;
    for (uint32_t i = 0; i < CHUNK_PAGES; i++)
      free(s->dir[c][i]);
    free(s->dir[c]);
  }
  free(s->dir);
  s->dir = NULL;
  s->dir_size = 0;
}

void cmw_stable_free(cmw_stable *s) {
  cmw_stable_commit(s);
  free_pages(s);
  free(s->saved);
  memset(s, 0, sizeof *s);
}

void cmw_stable_begin(cmw_stable *s) {
  s->open = 1;
  s->saved_pages = s->pages;
  s->nsaved = 0;
}

void cmw_stable_commit(cmw_stable *s) {
  for (size_t i = 0; i < s->nsaved; i++)
    free(s->saved[i].old);
  s->nsaved = 0;
  s->open = 0;
}

void cmw_stable_rollback(cmw_stable *s) {
  /* newest first, so a page saved once gets its original storage back */
  for (size_t i = s->nsaved; i-- > 0;) {
    uint8_t **slot = slot_of(s, s->saved[i].page);
    if (slot) {
      free(*slot);
      *slot = s->saved[i].old;
    }
  }
  s->nsaved = 0;
  /* pages past the old size were never saved: drop them */
  for (uint64_t p = s->saved_pages; p < s->pages; p++) {
    uint8_t **slot = slot_of(s, p);
    if (slot) {
      free(*slot);
      *slot = NULL;
    }
  }
  s->pages = s->saved_pages;
  s->open = 0;
}

int cmw_stable_grow(cmw_stable *s, uint64_t new_pages) {
  uint64_t chunks = (new_pages + CHUNK_PAGES - 1) / CHUNK_PAGES;
  if (chunks > s->dir_size) {
    uint8_t ***dir = realloc(s->dir, chunks * sizeof *dir);
    if (!dir)
      return -1;
    memset(dir + s->dir_size, 0, (chunks - s->dir_size) * sizeof *dir);
    s->dir = dir;
    s->dir_size = chunks;
  }
  s->pages = new_pages;
  return 0;
}

/* The storage of a page, made writable for this transaction. */
static uint8_t *writable_page(cmw_stable *s, uint64_t page) {
  uint64_t chunk = page / CHUNK_PAGES;
  if (!s->dir[chunk]) {
    s->dir[chunk] = calloc(CHUNK_PAGES, sizeof(uint8_t *));
    if (!s->dir[chunk])
      return NULL;
  }
  uint8_t **slot = &s->dir[chunk][page % CHUNK_PAGES];
  if (s->open) {
    int saved = 0;
    /* a page grown in this transaction needs no saving: rollback drops it */
    if (page >= s->saved_pages)
      saved = 1;
    for (size_t i = 0; i < s->nsaved && !saved; i++)
      saved = s->saved[i].page == page;
    if (!saved) {
      if (s->nsaved == s->saved_cap) {
        size_t cap = s->saved_cap ? s->saved_cap * 2 : 16;
        struct cmw_saved_page *grown = realloc(s->saved, cap * sizeof *grown);
        if (!grown)
          return NULL;
        s->saved = grown;
        s->saved_cap = cap;
      }
      uint8_t *copy = malloc(CMW_PAGE);
      if (!copy)
        return NULL;
      if (*slot)
        memcpy(copy, *slot, CMW_PAGE);
      else
        memset(copy, 0, CMW_PAGE);
      s->saved[s->nsaved].page = page;
      s->saved[s->nsaved].old = *slot;
      s->nsaved++;
      *slot = copy;
      return copy;
    }
  }
  if (!*slot)
    *slot = calloc(1, CMW_PAGE);
  return *slot;
}

int cmw_stable_write(cmw_stable *s, uint64_t offset, const uint8_t *src,
                     uint64_t size) {
  while (size > 0) {
    uint64_t page = offset / CMW_PAGE, in = offset % CMW_PAGE;
    uint64_t n = CMW_PAGE - in < size ? CMW_PAGE - in : size;
    uint8_t *dst = writable_page(s, page);
    if (!dst)
      return -1;
    memcpy(dst + in, src, n);
    offset += n;
    src += n;
    size -= n;
  }
  return 0;
}

void cmw_stable_read(const cmw_stable *s, uint64_t offset, uint8_t *dst,
                     uint64_t size) {
  while (size > 0) {
    uint64_t page = offset / CMW_PAGE, in = offset % CMW_PAGE;
    uint64_t n = CMW_PAGE - in < size ? CMW_PAGE - in : size;
    uint8_t **slot = slot_of(s, page);
    if (slot && *slot)
      memcpy(dst, *slot + in, n);
    else
      memset(dst, 0, n);
    offset += n;
    dst += n;
    size -= n;
  }
}
