/* The heap's write journal: while a transaction runs, the first write to
 * each 64 KiB page of the journaled memory saves the page's old bytes;
 * pages past the size at the start are only noted (they were zero, and
 * rollback gives them back to the kernel). Rollback puts the saved bytes
 * back, so a message costs what it writes, whatever the heap's size.
 *
 * Writes of wasm code reach cmw_journal_note through the compiled module
 * (the generated C is edited to call it, build.c), host writes through
 * sysapi.c. The journal follows the heap's bytes, not an instance: an
 * upgrade with `keep` moves it to the new instance, which adopts the old
 * heap, and back if the upgrade fails. */
#define _DEFAULT_SOURCE /* madvise */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "w2c_internal.h"

static void attach(cmw_journal *j, const cmw_glue *glue, cmw_rt_memory *mem) {
  j->glue = glue;
  j->mem = mem;
  glue->set_journal(j, mem, j->saved, cmw_journal_note);
}

static void detach(cmw_journal *j) {
  if (j->glue)
    j->glue->set_journal(NULL, NULL, NULL, NULL);
  j->glue = NULL;
  j->mem = NULL;
}

void cmw_journal_open(cmw_journal *j, const cmw_glue *glue,
                      cmw_rt_memory *mem) {
  j->len = 0;
  j->pages_at_open = mem->pages;
  attach(j, glue, mem);
}

void cmw_journal_move(cmw_journal *j, const cmw_glue *glue,
                      cmw_rt_memory *mem) {
  if (!j->mem)
    return;
  detach(j);
  attach(j, glue, mem);
}

int cmw_journal_note(void *journal, void *memory, uint64_t addr, uint64_t n) {
  cmw_journal *j = journal;
  cmw_rt_memory *mem = memory;
  if (!j || mem != j->mem || n == 0)
    return 0;
  for (uint64_t p = addr / CMW_PAGE; p <= (addr + n - 1) / CMW_PAGE; p++) {
    if (j->saved[p])
      continue;
    if (j->len == j->cap) {
      size_t cap = j->cap ? 2 * j->cap : 64;
      cmw_journal_entry *grown = realloc(j->entries, cap * sizeof *grown);
      if (!grown)
        return -1;
      j->entries = grown;
      j->cap = cap;
    }
    uint8_t *old = NULL;
    if (p < j->pages_at_open) {
      old = malloc(CMW_PAGE);
      if (!old)
        return -1;
      memcpy(old, mem->data + p * CMW_PAGE, CMW_PAGE);
    }
    j->entries[j->len++] = (cmw_journal_entry){(uint32_t)p, old};
    j->saved[p] = 1;
  }
  return 0;
}

static void forget(cmw_journal *j) {
  for (size_t i = 0; i < j->len; i++) {
    j->saved[j->entries[i].page] = 0;
    free(j->entries[i].old);
  }
  j->len = 0;
  detach(j);
}

void cmw_journal_commit(cmw_journal *j) { forget(j); }

void cmw_journal_rollback(cmw_journal *j) {
  for (size_t i = 0; j->mem && i < j->len; i++) {
    uint8_t *at = j->mem->data + (size_t)j->entries[i].page * CMW_PAGE;
    if (j->entries[i].old)
      memcpy(at, j->entries[i].old, CMW_PAGE);
    else if (madvise(at, CMW_PAGE, MADV_DONTNEED) != 0)
      memset(at, 0, CMW_PAGE); /* zero it the slow way */
  }
  forget(j);
}

void cmw_journal_free(cmw_journal *j) {
  forget(j);
  free(j->entries);
  j->entries = NULL;
  j->cap = 0;
}
