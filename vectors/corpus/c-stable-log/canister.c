/* A key-value store whose data lives in stable memory and whose index
 * lives in the heap: the layout many canisters use to survive upgrades
 * without serializing anything in pre_upgrade.
 *
 * Stable memory: a 16-byte header (magic, record count, pre_upgrade count)
 * and then 16-byte records (key, value), appended by every put. The heap
 * holds a hash index, key -> latest record, which canister_init starts
 * empty and canister_post_upgrade rebuilds by reading every record back.
 * The same source builds for wasm32 and wasm64 (clang --target=wasm64):
 * pointers and sizes of the System API are uintptr_t, stable offsets are
 * 64-bit in both.
 *
 * Arguments and replies are raw little-endian 64-bit integers, as the
 * vectors write them: (arg (i64 KEY) (i64 VALUE)), (expect reply (i64 N)). */
#include <stddef.h>
#include <stdint.h>

#define IC0(name) __attribute__((import_module("ic0"), import_name(#name)))
IC0(msg_arg_data_size) uintptr_t ic0_msg_arg_data_size(void);
IC0(msg_arg_data_copy)
void ic0_msg_arg_data_copy(uintptr_t dst, uintptr_t offset, uintptr_t size);
IC0(msg_reply_data_append)
void ic0_msg_reply_data_append(uintptr_t src, uintptr_t size);
IC0(msg_reply) void ic0_msg_reply(void);
IC0(trap) void ic0_trap(uintptr_t src, uintptr_t size);
IC0(stable64_size) uint64_t ic0_stable64_size(void);
IC0(stable64_grow) int64_t ic0_stable64_grow(uint64_t new_pages);
IC0(stable64_read) void ic0_stable64_read(uint64_t dst, uint64_t offset,
                                          uint64_t size);
IC0(stable64_write) void ic0_stable64_write(uint64_t offset, uint64_t src,
                                            uint64_t size);

#define EXPORT(name) __attribute__((export_name(name)))

/* wasm-ld may call these for struct copies; -nostdlib has none. */
void *memset(void *dst, int c, size_t n) {
  unsigned char *d = dst;
  while (n--)
    *d++ = (unsigned char)c;
  return dst;
}

void *memcpy(void *dst, const void *src, size_t n) {
  unsigned char *d = dst;
  const unsigned char *s = src;
  while (n--)
    *d++ = *s++;
  return dst;
}

#define MAGIC 0x474f4c53u /* "SLOG" */
#define PAGE 65536u
#define HEADER 16u
#define RECORD 16u

typedef struct {
  uint32_t magic;
  uint32_t count;        /* records in stable memory */
  uint64_t pre_upgrades; /* times canister_pre_upgrade ran */
} header;

typedef struct {
  uint64_t key, value;
} record;

/* Open addressing; a slot holds record index + 1 (0 = empty). */
#define SLOTS 16384u
static uint32_t slots[SLOTS];
static uint32_t distinct_keys;
static uint32_t rebuilt_from; /* records read by the last rebuild */

static void trap(const char *text) {
  uintptr_t n = 0;
  while (text[n])
    n++;
  ic0_trap((uintptr_t)text, n);
}

static void reply_u64(uint64_t x) {
  ic0_msg_reply_data_append((uintptr_t)&x, sizeof x);
  ic0_msg_reply();
}

/* The argument as n little-endian 64-bit values. */
static void args(uint64_t *out, uintptr_t n) {
  if (ic0_msg_arg_data_size() != n * 8)
    trap("expected 64-bit arguments");
  ic0_msg_arg_data_copy((uintptr_t)out, 0, n * 8);
}

static header read_header(void) {
  header h = {0, 0, 0};
  if (ic0_stable64_size() > 0)
    ic0_stable64_read((uint64_t)(uintptr_t)&h, 0, sizeof h);
  if (h.magic != MAGIC) {
    h.magic = MAGIC;
    h.count = 0;
    h.pre_upgrades = 0;
  }
  return h;
}

static void write_header(const header *h) {
  if (ic0_stable64_size() == 0 && ic0_stable64_grow(1) < 0)
    trap("stable memory is full");
  ic0_stable64_write(0, (uint64_t)(uintptr_t)h, sizeof *h);
}

static record read_record(uint32_t i) {
  record r;
  ic0_stable64_read((uint64_t)(uintptr_t)&r, HEADER + (uint64_t)i * RECORD,
                    sizeof r);
  return r;
}

static uint32_t hash(uint64_t key) {
  key ^= key >> 33;
  key *= 0xff51afd7ed558ccdull;
  key ^= key >> 33;
  return (uint32_t)key & (SLOTS - 1);
}

/* The slot of key: the one holding it, or the empty one where it goes. */
static uint32_t *slot_of(uint64_t key) {
  for (uint32_t i = hash(key), probes = 0; probes < SLOTS;
       i = (i + 1) & (SLOTS - 1), probes++) {
    if (slots[i] == 0 || read_record(slots[i] - 1).key == key)
      return &slots[i];
  }
  trap("the index is full");
  return 0;
}

static void index_record(uint64_t key, uint32_t i) {
  uint32_t *slot = slot_of(key);
  if (*slot == 0) {
    if (distinct_keys + 1 > SLOTS / 2)
      trap("the index is full");
    distinct_keys++;
  }
  *slot = i + 1;
}

static void put(uint64_t key, uint64_t value) {
  header h = read_header();
  uint64_t end = HEADER + ((uint64_t)h.count + 1) * RECORD;
  uint64_t pages = (end + PAGE - 1) / PAGE;
  uint64_t have = ic0_stable64_size();
  if (pages > have && ic0_stable64_grow(pages - have) < 0)
    trap("stable memory is full");
  record r = {key, value};
  ic0_stable64_write(end - RECORD, (uint64_t)(uintptr_t)&r, sizeof r);
  index_record(key, h.count);
  h.count++;
  write_header(&h);
}

static void clear_index(void) {
  for (uint32_t i = 0; i < SLOTS; i++)
    slots[i] = 0;
  distinct_keys = 0;
}

EXPORT("canister_init") void init(void) {
  clear_index();
  header h = read_header();
  write_header(&h);
}

/* The index is not saved: post_upgrade reads it back from the records. */
EXPORT("canister_pre_upgrade") void pre_upgrade(void) {
  header h = read_header();
  h.pre_upgrades++;
  write_header(&h);
}

EXPORT("canister_post_upgrade") void post_upgrade(void) {
  clear_index();
  header h = read_header();
  for (uint32_t i = 0; i < h.count; i++)
    index_record(read_record(i).key, i);
  rebuilt_from = h.count;
}

/* put KEY VALUE -> the number of records */
EXPORT("canister_update put") void update_put(void) {
  uint64_t a[2];
  args(a, 2);
  put(a[0], a[1]);
  reply_u64(read_header().count);
}

/* put_many FIRST N: keys FIRST .. FIRST+N-1, value 3 * key + 1 */
EXPORT("canister_update put_many") void update_put_many(void) {
  uint64_t a[2];
  args(a, 2);
  for (uint64_t k = a[0]; k < a[0] + a[1]; k++)
    put(k, 3 * k + 1);
  reply_u64(read_header().count);
}

/* put KEY VALUE, then trap: nothing of it may remain */
EXPORT("canister_update put_then_trap") void update_put_then_trap(void) {
  uint64_t a[2];
  args(a, 2);
  put(a[0], a[1]);
  trap("put_then_trap");
}

/* get KEY -> the latest value, or all ones when the key is absent */
EXPORT("canister_query get") void query_get(void) {
  uint64_t key;
  args(&key, 1);
  uint32_t slot = *slot_of(key);
  reply_u64(slot ? read_record(slot - 1).value : ~0ull);
}

/* sum FIRST N -> the sum of the values of keys FIRST .. FIRST+N-1 */
EXPORT("canister_query sum") void query_sum(void) {
  uint64_t a[2], sum = 0;
  args(a, 2);
  for (uint64_t k = a[0]; k < a[0] + a[1]; k++) {
    uint32_t slot = *slot_of(k);
    if (!slot)
      trap("sum: a key is absent");
    sum += read_record(slot - 1).value;
  }
  reply_u64(sum);
}

EXPORT("canister_query records") void query_records(void) {
  reply_u64(read_header().count);
}

EXPORT("canister_query keys") void query_keys(void) {
  reply_u64(distinct_keys);
}

EXPORT("canister_query pre_upgrades") void query_pre_upgrades(void) {
  reply_u64(read_header().pre_upgrades);
}

EXPORT("canister_query rebuilt_from") void query_rebuilt_from(void) {
  reply_u64(rebuilt_from);
}

/* 8 bytes per pointer: shows which build runs */
EXPORT("canister_query pointer_size") void query_pointer_size(void) {
  reply_u64(sizeof(void *));
}
