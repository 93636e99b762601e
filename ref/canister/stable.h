/* canmem canister model: stable memory (SM-*), sparse and journaled.
 *
 * Stable memory is a sequence of 64 KiB pages. Only pages that were written
 * hold storage: growing to 500 GiB and writing three pages costs three
 * pages, and unwritten pages read as zeros. A transaction (begin, then
 * commit or rollback) remembers the size and, on the first write to a page,
 * the page's previous storage, so rollback costs what the transaction
 * touched. Bounds are the caller's business: read and write assume the
 * range lies inside the memory. */
#ifndef CANMEM_STABLE_H
#define CANMEM_STABLE_H

#include <stdbool.h>
#include <stdint.h>

#define CM_STABLE_PAGE 65536u

typedef struct cm_stable cm_stable;

/* An empty stable memory that may grow to max_pages. NULL when out of
 * memory. */
cm_stable *cm_stable_new(uint64_t max_pages);
void cm_stable_free(cm_stable *s);

uint64_t cm_stable_pages(const cm_stable *s);
static inline uint64_t cm_stable_bytes(const cm_stable *s) {
  return cm_stable_pages(s) * CM_STABLE_PAGE;
}

/* Grow by delta pages of zeros. Returns the old size in pages, or one of
 * these (and then nothing changes): */
#define CM_STABLE_GROW_REFUSED UINT64_MAX /* the new size passes the maximum
                                           * (computed without wrap-around) */
#define CM_STABLE_GROW_NO_MEMORY (UINT64_MAX - 1) /* the page directory
                                                   * cannot be allocated */
uint64_t cm_stable_grow(cm_stable *s, uint64_t delta);

/* Copy [offset, offset+size) into dst; unwritten pages give zeros. */
void cm_stable_read(const cm_stable *s, uint64_t offset, uint8_t *dst,
                    uint64_t size);
/* Copy src into [offset, offset+size). false when a page cannot be
 * allocated; the bytes before the failure may have been written (the
 * caller traps and rolls back). */
bool cm_stable_write(cm_stable *s, uint64_t offset, const uint8_t *src,
                     uint64_t size);

/* A copy with the same size and bytes that may grow to max_pages, sharing
 * nothing (snapshots). Only pages with storage are copied. NULL when out
 * of memory or when s is larger than max_pages. Not during a transaction. */
cm_stable *cm_stable_clone(const cm_stable *s, uint64_t max_pages);

/* Transactions. Not nested: begin while one is open is a no-op. */
void cm_stable_begin(cm_stable *s);
void cm_stable_commit(cm_stable *s);
void cm_stable_rollback(cm_stable *s);

/* Accounting, for tests and benchmarks. */
uint64_t cm_stable_resident_pages(const cm_stable *s); /* pages with storage */
uint64_t cm_stable_journal_pages(const cm_stable *s); /* saved this txn */

#endif
