/* canmem canister model: sparse, journaled stable memory.
 *
 * Storage is a two-level page table: a directory of chunks, each chunk
 * holding pointers to CHUNK_PAGES pages; a chunk and a page are allocated on
 * the first write that lands in them. 500 GiB of stable memory is 8,000
 * directory slots (64 KB) before anything is written.
 *
 * The journal works by page replacement: the first write to a page in a
 * transaction installs a fresh copy and remembers the old storage (or that
 * there was none). Rollback puts the old storage back, commit frees it. A
 * write that covers a whole page never copies the old bytes, so large
 * writes cost one memcpy, as the throughput target asks. Storage freed by
 * commit and rollback goes to a small pool for the next transaction, so a
 * message that rewrites many pages does not pay the allocator and the
 * kernel's page faults for every one of them again. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "stable.h"

#define CHUNK_PAGES 1024u
/* Spare pages kept for reuse: at most 64 MiB per stable memory. */
#define POOL_PAGES 1024u

typedef struct {
  uint8_t *page[CHUNK_PAGES];
  /* The transaction in which each page last got fresh storage; a page
   * whose epoch is the current one is already journaled. */
  uint64_t epoch[CHUNK_PAGES];
} chunk;

typedef struct {
  uint64_t index;
  uint8_t *old; /* NULL: the page had no storage */
} journal_entry;

struct cm_stable {
  uint64_t pages, max_pages;
  chunk **dir;
  uint64_t dir_size; /* slots allocated in dir */
  uint64_t resident;
  uint8_t *pool; /* spare pages, linked through their first bytes */
  uint64_t pooled;
  /* transaction */
  bool open;
  uint64_t epoch; /* > 0 while open; never reused */
  uint64_t saved_pages;
  uint64_t pages_at_begin;
  journal_entry *journal;
  uint64_t journal_len, journal_cap;
};

cm_stable *cm_stable_new(uint64_t max_pages) {
  cm_stable *s = cm_calloc(1, sizeof *s);
  if (s)
    s->max_pages = max_pages;
  return s;
}

/* A page's storage goes back to the pool, or to the allocator. */
static void free_page(cm_stable *s, uint8_t *page) {
  if (!page)
    return;
  s->resident--;
  if (s->pooled < POOL_PAGES) {
    memcpy(page, &s->pool, sizeof s->pool);
    s->pool = page;
    s->pooled++;
  } else {
    free(page);
  }
}

static uint8_t *new_page(cm_stable *s) {
  uint8_t *page = s->pool;
  if (page) {
    memcpy(&s->pool, page, sizeof s->pool);
    s->pooled--;
  } else {
    page = cm_malloc(CM_STABLE_PAGE);
  }
  if (page)
    s->resident++;
  return page;
}

void cm_stable_free(cm_stable *s) {
  if (!s)
    return;
  for (uint64_t d = 0; d < s->dir_size; d++) {
    chunk *c = s->dir[d];
    if (!c)
      continue;
    for (unsigned i = 0; i < CHUNK_PAGES; i++)
      free(c->page[i]);
    free(c);
  }
  for (uint64_t j = 0; j < s->journal_len; j++)
    free(s->journal[j].old);
  while (s->pool) {
    uint8_t *next;
    memcpy(&next, s->pool, sizeof next);
    free(s->pool);
    s->pool = next;
  }
  free(s->journal);
  free(s->dir);
  free(s);
}

uint64_t cm_stable_pages(const cm_stable *s) { return s->pages; }
uint64_t cm_stable_resident_pages(const cm_stable *s) { return s->resident; }
uint64_t cm_stable_journal_pages(const cm_stable *s) { return s->saved_pages; }

uint64_t cm_stable_grow(cm_stable *s, uint64_t delta) {
  uint64_t old = s->pages;
  if (delta > s->max_pages || old > s->max_pages - delta)
    return CM_STABLE_GROW_REFUSED;
  uint64_t want = (old + delta + CHUNK_PAGES - 1) / CHUNK_PAGES;
  if (want > s->dir_size) {
    /* Directory slots only; chunks and pages come with writes. */
    uint64_t size = s->dir_size ? s->dir_size : 8;
    while (size < want)
      size *= 2;
    chunk **dir = size > SIZE_MAX / sizeof(chunk *)
                      ? NULL
                      : cm_realloc(s->dir, (size_t)size * sizeof(chunk *));
    if (!dir)
      return CM_STABLE_GROW_NO_MEMORY;
    memset(dir + s->dir_size, 0,
           (size_t)(size - s->dir_size) * sizeof(chunk *));
    s->dir = dir;
    s->dir_size = size;
  }
  s->pages = old + delta;
  return old;
}

static const uint8_t *page_for_read(const cm_stable *s, uint64_t index) {
  const chunk *c = s->dir[index / CHUNK_PAGES];
  return c ? c->page[index % CHUNK_PAGES] : NULL;
}

void cm_stable_read(const cm_stable *s, uint64_t offset, uint8_t *dst,
                    uint64_t size) {
  while (size > 0) {
    uint64_t index = offset / CM_STABLE_PAGE;
    uint64_t in_page = offset % CM_STABLE_PAGE;
    uint64_t n = CM_STABLE_PAGE - in_page;
    if (n > size)
      n = size;
    const uint8_t *page = page_for_read(s, index);
    if (page)
      memcpy(dst, page + in_page, (size_t)n);
    else
      memset(dst, 0, (size_t)n);
    dst += n;
    offset += n;
    size -= n;
  }
}

static bool journal_push(cm_stable *s, uint64_t index, uint8_t *old) {
  if (s->journal_len == s->journal_cap) {
    uint64_t cap = s->journal_cap ? s->journal_cap * 2 : 64;
    if (cap > SIZE_MAX / sizeof(journal_entry))
      return false;
    journal_entry *j = cm_realloc(s->journal, (size_t)cap * sizeof *j);
    if (!j)
      return false;
    s->journal = j;
    s->journal_cap = cap;
  }
  s->journal[s->journal_len].index = index;
  s->journal[s->journal_len].old = old;
  s->journal_len++;
  return true;
}

/* Storage for writing [in_page, in_page+n) of page index, journaled when a
 * transaction is open. NULL when out of memory. */
static uint8_t *page_for_write(cm_stable *s, uint64_t index, uint64_t in_page,
                               uint64_t n) {
  chunk **slot = &s->dir[index / CHUNK_PAGES];
  if (!*slot) {
    *slot = cm_calloc(1, sizeof(chunk));
    if (!*slot)
      return NULL;
  }
  chunk *c = *slot;
  unsigned i = (unsigned)(index % CHUNK_PAGES);
  uint8_t *old = c->page[i];
  bool whole = in_page == 0 && n == CM_STABLE_PAGE;
  if (old && (!s->open || c->epoch[i] == s->epoch))
    return old; /* not journaled, or already saved in this transaction */
  if (s->open && !journal_push(s, index, old))
    return NULL;
  uint8_t *fresh = new_page(s);
  if (!fresh) {
    if (s->open)
      s->journal_len--;
    return NULL;
  }
  if (!whole) {
    if (old)
      memcpy(fresh, old, CM_STABLE_PAGE);
    else
      memset(fresh, 0, CM_STABLE_PAGE);
  }
  c->page[i] = fresh;
  if (s->open) {
    c->epoch[i] = s->epoch;
    s->saved_pages++;
  }
  return fresh;
}

bool cm_stable_write(cm_stable *s, uint64_t offset, const uint8_t *src,
                     uint64_t size) {
  while (size > 0) {
    uint64_t index = offset / CM_STABLE_PAGE;
    uint64_t in_page = offset % CM_STABLE_PAGE;
    uint64_t n = CM_STABLE_PAGE - in_page;
    if (n > size)
      n = size;
    uint8_t *page = page_for_write(s, index, in_page, n);
    if (!page)
      return false;
    memcpy(page + in_page, src, (size_t)n);
    src += n;
    offset += n;
    size -= n;
  }
  return true;
}

void cm_stable_begin(cm_stable *s) {
  if (s->open)
    return;
  s->open = true;
  s->epoch++;
  s->saved_pages = 0;
  s->journal_len = 0;
  s->pages_at_begin = s->pages;
}

void cm_stable_commit(cm_stable *s) {
  if (!s->open)
    return;
  for (uint64_t j = 0; j < s->journal_len; j++)
    free_page(s, s->journal[j].old);
  s->journal_len = 0;
  s->open = false;
}

void cm_stable_rollback(cm_stable *s) {
  if (!s->open)
    return;
  /* Newest first, though each page appears once per transaction. */
  for (uint64_t j = s->journal_len; j-- > 0;) {
    uint64_t index = s->journal[j].index;
    chunk *c = s->dir[index / CHUNK_PAGES];
    unsigned i = (unsigned)(index % CHUNK_PAGES);
    free_page(s, c->page[i]);
    c->page[i] = s->journal[j].old;
    c->epoch[i] = 0;
  }
  s->journal_len = 0;
  s->pages = s->pages_at_begin;
  s->open = false;
}

cm_stable *cm_stable_clone(const cm_stable *s, uint64_t max_pages) {
  cm_stable *copy = cm_stable_new(max_pages);
  if (!copy)
    return NULL;
  if (s->pages > max_pages || cm_stable_grow(copy, s->pages) != 0) {
    cm_stable_free(copy);
    return NULL;
  }
  for (uint64_t d = 0; d < s->dir_size; d++) {
    const chunk *c = s->dir[d];
    for (unsigned i = 0; c && i < CHUNK_PAGES; i++) {
      uint64_t index = d * CHUNK_PAGES + i;
      if (c->page[i] && index < s->pages &&
          !cm_stable_write(copy, index * CM_STABLE_PAGE, c->page[i],
                           CM_STABLE_PAGE)) {
        cm_stable_free(copy);
        return NULL;
      }
    }
  }
  return copy;
}
