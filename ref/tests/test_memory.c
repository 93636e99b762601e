/* Unit tests of ref/engine/memory.c: memories (growth limits, zero fill,
 * large sparse memories), the write journal (commit, rollback, and that
 * their cost follows what was touched), tables and globals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "runtime.h"

static cm_limits pages(uint64_t min, bool has_max, uint64_t max) {
  cm_limits l;
  memset(&l, 0, sizeof l);
  l.min = min;
  l.max = max;
  l.has_max = has_max;
  return l;
}

static cm_store *new_store(void) {
  cm_store *s = cm_store_new(NULL);
  assert_non_null(s);
  return s;
}

/* ---- Growth ---- */

static void test_memory_new_is_zero_filled(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(2, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  assert_non_null(mem);
  assert_int_equal(cm_memory_pages(mem), 2);
  assert_int_equal(cm_memory_size(mem), 2 * 65536);
  assert_false(cm_memory_is64(mem));
  const uint8_t *data = cm_memory_data(mem);
  for (size_t i = 0; i < 2 * 65536; i += 4093)
    assert_int_equal(data[i], 0);
  cm_store_free(s);
}

static void test_memory_grow_returns_old_pages_and_zero_fills(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, true, 4);
  cm_memory *mem = cm_memory_new(s, &l);
  memset(cm_memory_data(mem), 0xab, 65536);
  assert_int_equal(cm_memory_grow(mem, 2), 1);
  assert_int_equal(cm_memory_pages(mem), 3);
  uint8_t *data = cm_memory_data(mem);
  assert_int_equal(data[65535], 0xab); /* old bytes kept */
  assert_int_equal(data[65536], 0);    /* new bytes zero */
  assert_int_equal(data[3 * 65536 - 1], 0);
  assert_int_equal(cm_memory_grow(mem, 0), 3);
  cm_store_free(s);
}

static void test_memory_grow_respects_declared_max(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, true, 2);
  cm_memory *mem = cm_memory_new(s, &l);
  assert_int_equal(cm_memory_grow(mem, 2), UINT64_MAX);
  assert_int_equal(cm_memory_pages(mem), 1);
  assert_int_equal(cm_memory_grow(mem, 1), 1);
  assert_int_equal(cm_memory_grow(mem, 1), UINT64_MAX);
  /* A delta that would wrap around must not. */
  assert_int_equal(cm_memory_grow(mem, UINT64_MAX), UINT64_MAX);
  cm_store_free(s);
}

static void test_memory_grow_respects_platform_max(void **state) {
  (void)state;
  cm_store_limits limits = cm_store_default_limits();
  limits.max_pages32 = 3;
  limits.max_pages64 = 5;
  cm_store *s = cm_store_new(&limits);
  cm_limits l32 = pages(1, false, 0);
  cm_memory *m32 = cm_memory_new(s, &l32);
  assert_int_equal(cm_memory_grow(m32, 3), UINT64_MAX);
  assert_int_equal(cm_memory_grow(m32, 2), 1);
  cm_limits l64 = pages(1, false, 0);
  l64.is64 = true;
  cm_memory *m64 = cm_memory_new(s, &l64);
  assert_true(cm_memory_is64(m64));
  assert_int_equal(cm_memory_grow(m64, 5), UINT64_MAX);
  assert_int_equal(cm_memory_grow(m64, 4), 1);
  /* A minimum above the platform maximum cannot be made. */
  cm_limits too_big = pages(4, false, 0);
  assert_null(cm_memory_new(s, &too_big));
  cm_store_free(s);
}

static void test_memory32_spec_max_is_65536_pages(void **state) {
  (void)state;
  cm_store_limits limits = cm_store_default_limits();
  limits.max_pages32 = UINT64_C(1) << 20; /* a platform allowing more */
  cm_store *s = cm_store_new(&limits);
  cm_limits l = pages(0, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  assert_int_equal(cm_memory_grow(mem, 65537), UINT64_MAX);
  cm_store_free(s);
}

/* A 4 GiB wasm32 heap: growing must not touch pages (it would take
 * seconds and gigabytes if it did), and both ends are usable. */
static void test_memory_grow_to_4gib_is_lazy(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(0, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  uint64_t old = cm_memory_grow(mem, 65536);
  if (old == UINT64_MAX) {
    /* A host that cannot reserve 4 GiB of address space. */
    cm_store_free(s);
    skip();
  }
  assert_int_equal(old, 0);
  assert_int_equal(cm_memory_size(mem), UINT64_C(1) << 32);
  uint8_t *data = cm_memory_data(mem);
  data[0] = 1;
  data[(UINT64_C(1) << 32) - 1] = 2;
  assert_int_equal(data[(UINT64_C(1) << 31)], 0);
  assert_int_equal(cm_memory_grow(mem, 1), UINT64_MAX);
  cm_store_free(s);
}

static void test_memory_zero_pages(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(0, true, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  assert_non_null(mem);
  assert_int_equal(cm_memory_size(mem), 0);
  assert_int_equal(cm_memory_grow(mem, 1), UINT64_MAX);
  assert_int_equal(cm_memory_grow(mem, 0), 0);
  assert_true(cm_memory_will_write(mem, 0, 0));
  assert_false(cm_memory_will_write(mem, 0, 1));
  cm_store_free(s);
}

static void test_memory_new_rejects_min_above_max(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(3, true, 2);
  assert_null(cm_memory_new(s, &l));
  assert_null(cm_memory_new(NULL, &l));
  cm_store_free(s);
}

static void test_range_ok_has_no_wraparound(void **state) {
  (void)state;
  assert_true(cm_range_ok(0, 0, 0));
  assert_true(cm_range_ok(10, 0, 10));
  assert_false(cm_range_ok(11, 0, 10));
  assert_true(cm_range_ok(6, 4, 10));
  assert_false(cm_range_ok(7, 4, 10));
  assert_false(cm_range_ok(UINT64_MAX, 2, 10));
  assert_false(cm_range_ok(2, UINT64_MAX, 10));
  assert_true(cm_range_ok(0, UINT64_MAX, UINT64_MAX));
}

/* ---- The journal ---- */

static void test_journal_rollback_restores_bytes(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(2, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  uint8_t *data = cm_memory_data(mem);
  data[100] = 7;
  cm_memory_journal_begin(mem);
  assert_true(cm_memory_will_write(mem, 100, 1));
  data[100] = 8;
  assert_true(cm_memory_will_write(mem, 70000, 10));
  memset(data + 70000, 9, 10);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 2);
  cm_memory_journal_rollback(mem);
  data = cm_memory_data(mem);
  assert_int_equal(data[100], 7);
  assert_int_equal(data[70000], 0);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 0);
  cm_store_free(s);
}

static void test_journal_commit_keeps_bytes(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_memory_journal_begin(mem);
  assert_true(cm_memory_will_write(mem, 5, 1));
  cm_memory_data(mem)[5] = 42;
  cm_memory_journal_commit(mem);
  assert_int_equal(cm_memory_data(mem)[5], 42);
  /* A rollback with no journal open does nothing. */
  cm_memory_journal_rollback(mem);
  assert_int_equal(cm_memory_data(mem)[5], 42);
  cm_store_free(s);
}

/* Saving happens once per 4 KiB block, on the first write only. */
static void test_journal_saves_each_block_once(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_memory_journal_begin(mem);
  for (int i = 0; i < 100; i++)
    assert_true(cm_memory_will_write(mem, 4096 + (uint64_t)i, 1));
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
  /* One write straddling two blocks saves both. */
  assert_true(cm_memory_will_write(mem, 3 * 4096 - 2, 4));
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 3);
  /* A range write saves each block it covers. */
  assert_true(cm_memory_will_write(mem, 8 * 4096, 4 * 4096));
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 7);
  cm_memory_journal_commit(mem);
  /* The next journal starts empty: the bits were cleared. */
  cm_memory_journal_begin(mem);
  assert_true(cm_memory_will_write(mem, 4096, 1));
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
  cm_memory_journal_rollback(mem);
  cm_store_free(s);
}

static void test_journal_rollback_undoes_grow(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_memory_journal_begin(mem);
  assert_int_equal(cm_memory_grow(mem, 3), 1);
  /* Blocks added by the grow need no copy: rollback drops them. */
  assert_true(cm_memory_will_write(mem, 2 * 65536, 100));
  memset(cm_memory_data(mem) + 2 * 65536, 0x5a, 100);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 0);
  cm_memory_journal_rollback(mem);
  assert_int_equal(cm_memory_pages(mem), 1);
  assert_int_equal(cm_memory_size(mem), 65536);
  /* Growing again yields zeros, not the rolled-back bytes. */
  assert_int_equal(cm_memory_grow(mem, 3), 1);
  assert_int_equal(cm_memory_data(mem)[2 * 65536], 0);
  assert_int_equal(cm_memory_data(mem)[2 * 65536 + 99], 0);
  cm_store_free(s);
}

static void test_journal_commit_keeps_grow(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_memory_journal_begin(mem);
  assert_int_equal(cm_memory_grow(mem, 1), 1);
  cm_memory_data(mem)[65536] = 3;
  cm_memory_journal_commit(mem);
  assert_int_equal(cm_memory_pages(mem), 2);
  /* A later journal saves that block, since it now existed at begin. */
  cm_memory_journal_begin(mem);
  assert_true(cm_memory_will_write(mem, 65536, 1));
  cm_memory_data(mem)[65536] = 4;
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
  cm_memory_journal_rollback(mem);
  assert_int_equal(cm_memory_data(mem)[65536], 3);
  cm_store_free(s);
}

/* The cost of a message on a 4 GiB heap is what it touched: one write,
 * one saved block; commit and rollback then cost one block too. */
static void test_journal_cost_follows_touched_blocks_on_4gib(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(0, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  if (cm_memory_grow(mem, 65536) == UINT64_MAX) {
    cm_store_free(s);
    skip();
  }
  for (int round = 0; round < 3; round++) {
    cm_memory_journal_begin(mem);
    uint64_t at = (UINT64_C(3) << 30) + (uint64_t)round * 4096;
    assert_true(cm_memory_will_write(mem, at, 8));
    cm_memory_data(mem)[at] = 1;
    assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
    if (round % 2)
      cm_memory_journal_commit(mem);
    else
      cm_memory_journal_rollback(mem);
  }
  assert_int_equal(cm_memory_data(mem)[(UINT64_C(3) << 30)], 0);
  assert_int_equal(cm_memory_data(mem)[(UINT64_C(3) << 30) + 4096], 1);
  cm_store_free(s);
}

/* The saved-block buffers of a large journal stay while journals use a
 * good part of them, or while small journals alternate with large ones
 * (stable_read and stable_write of big blocks), and go after a run of 16
 * journals that each use less than a quarter. */
static void test_journal_frees_large_buffers_when_no_longer_used(
    void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(640, false, 0); /* 40 MiB: 10240 blocks */
  cm_memory *mem = cm_memory_new(s, &l);
  for (int round = 0; round < 2; round++) {
    cm_memory_journal_begin(mem);
    assert_true(cm_memory_will_write(mem, 0, 640 * 65536));
    memset(cm_memory_data(mem), round + 1, 640 * 65536);
    assert_int_equal(cm_memory_journal_saved_blocks(mem), 10240);
    if (round == 0)
      cm_memory_journal_commit(mem);
    else
      cm_memory_journal_rollback(mem);
    assert_true(mem->journal.entries_cap >= 10240); /* kept */
  }
  assert_int_equal(cm_memory_data(mem)[640 * 65536 - 1], 1);
  for (int small = 1; small <= 16; small++) {
    cm_memory_journal_begin(mem);
    assert_true(cm_memory_will_write(mem, 5, 1));
    cm_memory_journal_commit(mem);
    if (small == 15) { /* a large journal breaks the run */
      assert_true(mem->journal.entries_cap >= 10240);
      cm_memory_journal_begin(mem);
      assert_true(cm_memory_will_write(mem, 0, 640 * 65536));
      cm_memory_journal_commit(mem);
    }
  }
  assert_true(mem->journal.entries_cap >= 10240); /* 1 small since: kept */
  for (int small = 0; small < 15; small++) {
    cm_memory_journal_begin(mem);
    assert_true(cm_memory_will_write(mem, 5, 1));
    cm_memory_journal_commit(mem);
  }
  assert_int_equal(mem->journal.entries_cap, 0); /* the 16th: freed */
  cm_memory_journal_begin(mem); /* and allocated again when needed */
  assert_true(cm_memory_will_write(mem, 5, 1));
  cm_memory_data(mem)[5] = 9;
  cm_memory_journal_rollback(mem);
  assert_int_equal(cm_memory_data(mem)[5], 1);
  cm_store_free(s);
}

static void test_journal_begin_twice_keeps_outer(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_memory_journal_begin(mem);
  assert_true(cm_memory_will_write(mem, 0, 1));
  cm_memory_data(mem)[0] = 1;
  cm_memory_journal_begin(mem);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
  cm_memory_journal_rollback(mem);
  assert_int_equal(cm_memory_data(mem)[0], 0);
  cm_store_free(s);
}

/* ---- Handing storage from one memory to another ---- */

/* Write one byte through the journal, as exec does. */
static void write_byte(cm_memory *mem, uint64_t at, uint8_t value) {
  assert_true(cm_memory_will_write(mem, at, 1));
  cm_memory_data(mem)[at] = value;
}

static void test_swap_storage_moves_bytes_without_copying(void **state) {
  (void)state;
  cm_store *s = new_store(), *t = new_store(); /* two stores, as upgrades */
  cm_limits la = pages(3, false, 0), lb = pages(1, true, 5);
  cm_memory *a = cm_memory_new(s, &la), *b = cm_memory_new(t, &lb);
  cm_memory_data(a)[70000] = 7;
  cm_memory_data(b)[10] = 9;
  uint8_t *bytes_a = cm_memory_data(a), *bytes_b = cm_memory_data(b);
  assert_true(cm_memory_swap_storage(a, b));
  /* the same blocks change hands: nothing was copied */
  assert_ptr_equal(cm_memory_data(b), bytes_a);
  assert_ptr_equal(cm_memory_data(a), bytes_b);
  assert_int_equal(cm_memory_pages(b), 3);
  assert_int_equal(cm_memory_pages(a), 1);
  assert_int_equal(cm_memory_data(b)[70000], 7);
  assert_int_equal(cm_memory_data(a)[10], 9);
  /* limits stay: b still stops at its declared 5 pages */
  assert_int_equal(cm_memory_grow(b, 3), UINT64_MAX);
  assert_int_equal(cm_memory_grow(b, 2), 3);
  cm_store_free(s);
  cm_store_free(t); /* each store frees the block it holds now */
}

static void test_swap_storage_refuses_what_does_not_fit(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l32 = pages(1, false, 0), l64 = pages(1, false, 0);
  l64.is64 = true;
  cm_limits big = pages(3, false, 0), small = pages(1, true, 2);
  cm_memory *m32 = cm_memory_new(s, &l32), *m64 = cm_memory_new(s, &l64);
  cm_memory *mbig = cm_memory_new(s, &big), *msmall = cm_memory_new(s, &small);
  uint8_t *before = cm_memory_data(m32);
  assert_false(cm_memory_swap_storage(m32, m64)); /* index types differ */
  assert_false(cm_memory_swap_storage(mbig, msmall)); /* 3 pages > max 2 */
  assert_false(cm_memory_swap_storage(msmall, mbig)); /* either order */
  assert_false(cm_memory_swap_storage(m32, m32));
  assert_ptr_equal(cm_memory_data(m32), before);
  assert_int_equal(cm_memory_pages(mbig), 3);
  assert_int_equal(cm_memory_pages(msmall), 1);
  cm_store_free(s);
}

/* The keep upgrade's sequence: a journal opened on the old memory, writes
 * there (pre_upgrade), the storage handed to the new memory, writes and a
 * grow there (post_upgrade), a trap: rollback on the new memory, storage
 * handed back. The old bytes are exactly what remains. */
static void test_swap_storage_takes_the_open_journal_along(void **state) {
  (void)state;
  cm_store *s = new_store(), *t = new_store();
  cm_limits la = pages(2, false, 0), lb = pages(1, false, 0);
  cm_memory *old = cm_memory_new(s, &la), *fresh = cm_memory_new(t, &lb);
  cm_memory_data(old)[100] = 1;
  cm_memory_data(old)[65536 + 100] = 2;
  cm_memory_data(fresh)[5] = 3; /* the new module's own data */
  cm_memory_journal_begin(old);
  write_byte(old, 100, 11);
  assert_true(cm_memory_swap_storage(old, fresh));
  write_byte(fresh, 100, 21);             /* saved already: block 0 */
  write_byte(fresh, 65536 + 100, 22);     /* saved now, in the same journal */
  assert_int_equal(cm_memory_grow(fresh, 2), 2);
  write_byte(fresh, 3 * 65536, 23);       /* grown: dropped on rollback */
  assert_int_equal(cm_memory_journal_saved_blocks(fresh), 2);
  assert_int_equal(cm_memory_journal_saved_blocks(old), 0);
  cm_memory_journal_rollback(fresh);
  assert_int_equal(cm_memory_pages(fresh), 2);
  assert_true(cm_memory_swap_storage(old, fresh));
  assert_int_equal(cm_memory_pages(old), 2);
  assert_int_equal(cm_memory_data(old)[100], 1);
  assert_int_equal(cm_memory_data(old)[65536 + 100], 2);
  assert_int_equal(cm_memory_pages(fresh), 1);
  assert_int_equal(cm_memory_data(fresh)[5], 3);
  /* the journal is closed: a later one on the old memory starts clean */
  cm_memory_journal_begin(old);
  write_byte(old, 100, 31);
  assert_int_equal(cm_memory_journal_saved_blocks(old), 1);
  cm_memory_journal_commit(old);
  assert_int_equal(cm_memory_data(old)[100], 31);
  /* and a success commits on the memory that holds the bytes */
  cm_memory_journal_begin(old);
  write_byte(old, 100, 41);
  assert_true(cm_memory_swap_storage(old, fresh));
  write_byte(fresh, 200, 42);
  cm_memory_journal_commit(fresh);
  assert_int_equal(cm_memory_journal_saved_blocks(fresh), 0);
  cm_memory_journal_begin(fresh);
  cm_memory_journal_rollback(fresh); /* a new journal saved nothing */
  assert_int_equal(cm_memory_data(fresh)[100], 41);
  assert_int_equal(cm_memory_data(fresh)[200], 42);
  cm_store_free(s);
  cm_store_free(t);
}

/* Growth opens the reserved address space in place: the bytes do not
 * move, however many pages are resident (Linux; elsewhere realloc may
 * move them). Past the reservation, here of a block handed over from a
 * memory with a smaller maximum, the block moves and keeps its bytes. */
static void test_memory_grows_in_place_and_past_its_reservation(
    void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(16, false, 0), two = pages(1, true, 2);
  cm_memory *mem = cm_memory_new(s, &l);
  memset(cm_memory_data(mem), 0x5a, 16 * 65536);
#if defined(__linux__) && !defined(CM_PORTABLE_MEMORY)
  uint8_t *before = cm_memory_data(mem);
  for (int i = 0; i < 100; i++)
    assert_int_equal(cm_memory_grow(mem, 1), 16 + (uint64_t)i);
  assert_ptr_equal(cm_memory_data(mem), before);
#else
  assert_int_equal(cm_memory_grow(mem, 100), 16);
#endif
  assert_int_equal(cm_memory_data(mem)[16 * 65536 - 1], 0x5a);
  assert_int_equal(cm_memory_data(mem)[116 * 65536 - 1], 0);
  cm_memory *small = cm_memory_new(s, &two);
  cm_memory *big = cm_memory_new(s, &(cm_limits){.min = 1});
  cm_memory_data(small)[65535] = 9;
  assert_true(cm_memory_swap_storage(small, big)); /* big: a 2-page block */
  assert_int_equal(cm_memory_grow(big, 40), 1);
  assert_int_equal(cm_memory_data(big)[65535], 9);
  assert_int_equal(cm_memory_data(big)[41 * 65536 - 1], 0);
  cm_memory_data(big)[41 * 65536 - 1] = 1;
  /* a rollback shrinks it and the grown pages come back as zeros */
  cm_memory_journal_begin(big);
  assert_int_equal(cm_memory_grow(big, 1), 41);
  cm_memory_data(big)[41 * 65536] = 2;
  cm_memory_journal_rollback(big);
  assert_int_equal(cm_memory_grow(big, 1), 41);
  assert_int_equal(cm_memory_data(big)[41 * 65536], 0);
  assert_int_equal(cm_memory_data(big)[41 * 65536 - 1], 1);
  cm_store_free(s);
}

/* A swap of two 4 GiB memories touches none of their pages. */
static void test_swap_storage_of_4gib_is_constant_time(void **state) {
  (void)state;
  cm_store *s = new_store(), *t = new_store();
  cm_limits l = pages(0, false, 0);
  cm_memory *a = cm_memory_new(s, &l), *b = cm_memory_new(t, &l);
  if (cm_memory_grow(a, 65536) == UINT64_MAX ||
      cm_memory_grow(b, 65536) == UINT64_MAX) {
    cm_store_free(s);
    cm_store_free(t);
    skip();
  }
  cm_memory_data(a)[UINT64_C(0xfffffff0)] = 5;
  for (int i = 0; i < 1001; i++)
    assert_true(cm_memory_swap_storage(a, b));
  assert_int_equal(cm_memory_data(b)[UINT64_C(0xfffffff0)], 5);
  cm_store_free(s);
  cm_store_free(t);
}

static void test_will_write_out_of_bounds_is_refused(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_memory_journal_begin(mem);
  assert_false(cm_memory_will_write(mem, 65535, 2));
  assert_false(cm_memory_will_write(mem, UINT64_MAX, 2));
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 0);
  cm_memory_journal_commit(mem);
  cm_store_free(s);
}

/* ---- Bulk memory helpers ---- */

static void test_memory_fill_and_copy_check_bounds_first(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(1, false, 0);
  cm_memory *mem = cm_memory_new(s, &l);
  cm_error err;
  assert_int_equal(cm_memory_fill_range(mem, 65530, 1, 10, &err), CM_TRAP);
  assert_int_equal(err.trap, CM_TRAP_MEMORY_OOB);
  assert_int_equal(cm_memory_data(mem)[65530], 0); /* nothing written */
  assert_int_equal(cm_memory_fill_range(mem, 65536, 1, 0, &err), CM_OK);
  assert_int_equal(cm_memory_fill_range(mem, 65537, 1, 0, &err), CM_TRAP);
  assert_int_equal(cm_memory_fill_range(mem, 10, 0xcc, 4, &err), CM_OK);
  /* Overlapping copy behaves like memmove. */
  assert_int_equal(cm_memory_copy_range(mem, 12, 10, 4, &err), CM_OK);
  const uint8_t *d = cm_memory_data(mem);
  assert_int_equal(d[10], 0xcc);
  assert_int_equal(d[15], 0xcc);
  assert_int_equal(d[16], 0);
  assert_int_equal(cm_memory_copy_range(mem, 0, UINT64_MAX, 2, &err),
                   CM_TRAP);
  static const uint8_t seg[4] = {1, 2, 3, 4};
  assert_int_equal(cm_memory_init_range(mem, 100, seg, 4, 1, 3, &err), CM_OK);
  assert_int_equal(d[100], 2);
  assert_int_equal(cm_memory_init_range(mem, 100, seg, 4, 2, 3, &err),
                   CM_TRAP);
  cm_store_free(s);
}

/* ---- Tables ---- */

static void test_table_grow_and_limits(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(2, true, 5);
  cm_table *t = cm_table_new(s, CM_FUNCREF, &l);
  assert_non_null(t);
  assert_int_equal(cm_table_size(t), 2);
  uint64_t ref = 1;
  assert_true(cm_table_get(t, 1, &ref));
  assert_int_equal(ref, 0);
  assert_false(cm_table_get(t, 2, &ref));
  assert_int_equal(cm_table_grow(t, 3, 77), 2);
  assert_true(cm_table_get(t, 4, &ref));
  assert_int_equal(ref, 77);
  assert_int_equal(cm_table_grow(t, 1, 0), UINT64_MAX);
  /* Unbounded tables still stop at the engine's element limit. */
  cm_limits open = pages(0, false, 0);
  cm_table *u = cm_table_new(s, CM_EXTERNREF, &open);
  assert_int_equal(cm_table_grow(u, UINT32_MAX, 0), UINT64_MAX);
  assert_int_equal(cm_table_size(u), 0);
  cm_limits bad = pages(0, false, 0);
  assert_null(cm_table_new(s, CM_I32, &bad));
  cm_store_free(s);
}

static void test_table_bulk_helpers(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_limits l = pages(4, false, 0);
  cm_table *t = cm_table_new(s, CM_EXTERNREF, &l);
  cm_error err;
  static const uint64_t refs[3] = {11, 12, 13};
  assert_int_equal(cm_table_init_range(t, 1, refs, 3, 0, 3, &err), CM_OK);
  assert_int_equal(cm_table_init_range(t, 2, refs, 3, 0, 3, &err), CM_TRAP);
  assert_int_equal(err.trap, CM_TRAP_TABLE_OOB);
  assert_int_equal(cm_table_copy_range(t, t, 0, 1, 3, &err), CM_OK);
  uint64_t ref;
  assert_true(cm_table_get(t, 0, &ref));
  assert_int_equal(ref, 11);
  assert_true(cm_table_get(t, 2, &ref));
  assert_int_equal(ref, 13);
  assert_int_equal(cm_table_fill_range(t, 3, 99, 1, &err), CM_OK);
  assert_int_equal(cm_table_fill_range(t, 3, 99, 2, &err), CM_TRAP);
  assert_true(cm_table_get(t, 3, &ref));
  assert_int_equal(ref, 99);
  cm_store_free(s);
}

/* ---- Globals ---- */

static void test_global_get_set_normalizes_32bit(void **state) {
  (void)state;
  cm_store *s = new_store();
  cm_val v = {.type = CM_I32, .bits = UINT64_C(0xffffffff00000005)};
  cm_global *g = cm_global_new(s, v, true);
  assert_non_null(g);
  cm_val got = cm_global_get(g);
  assert_int_equal(got.type, CM_I32);
  assert_int_equal(got.bits, 5);
  cm_val w = {.type = CM_I32, .bits = UINT64_C(0x1234567890)};
  cm_global_set(g, w);
  assert_int_equal(cm_global_get(g).bits, 0x34567890);
  cm_val d = {.type = CM_F64, .bits = UINT64_C(0x7ff0000000000001)};
  cm_global *h = cm_global_new(s, d, false);
  assert_int_equal(cm_global_get(h).bits, UINT64_C(0x7ff0000000000001));
  cm_store_free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_memory_new_is_zero_filled),
      cmocka_unit_test(test_memory_grow_returns_old_pages_and_zero_fills),
      cmocka_unit_test(test_memory_grow_respects_declared_max),
      cmocka_unit_test(test_memory_grow_respects_platform_max),
      cmocka_unit_test(test_memory32_spec_max_is_65536_pages),
      cmocka_unit_test(test_memory_grow_to_4gib_is_lazy),
      cmocka_unit_test(test_memory_zero_pages),
      cmocka_unit_test(test_memory_new_rejects_min_above_max),
      cmocka_unit_test(test_range_ok_has_no_wraparound),
      cmocka_unit_test(test_journal_rollback_restores_bytes),
      cmocka_unit_test(test_journal_commit_keeps_bytes),
      cmocka_unit_test(test_journal_saves_each_block_once),
      cmocka_unit_test(test_journal_rollback_undoes_grow),
      cmocka_unit_test(test_journal_commit_keeps_grow),
      cmocka_unit_test(test_journal_cost_follows_touched_blocks_on_4gib),
      cmocka_unit_test(test_journal_frees_large_buffers_when_no_longer_used),
      cmocka_unit_test(test_journal_begin_twice_keeps_outer),
      cmocka_unit_test(test_swap_storage_moves_bytes_without_copying),
      cmocka_unit_test(test_swap_storage_refuses_what_does_not_fit),
      cmocka_unit_test(test_swap_storage_takes_the_open_journal_along),
      cmocka_unit_test(test_swap_storage_of_4gib_is_constant_time),
      cmocka_unit_test(test_memory_grows_in_place_and_past_its_reservation),
      cmocka_unit_test(test_will_write_out_of_bounds_is_refused),
      cmocka_unit_test(test_memory_fill_and_copy_check_bounds_first),
      cmocka_unit_test(test_table_grow_and_limits),
      cmocka_unit_test(test_table_bulk_helpers),
      cmocka_unit_test(test_global_get_set_normalizes_32bit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
