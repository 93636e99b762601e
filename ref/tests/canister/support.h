/* Helpers for the canister model's cmocka tests: compile wat with wat2wasm,
 * wrap test bodies in a small prelude, drive a canister and check outcomes.
 *
 * The prelude (see support.c) imports the System API functions most tests
 * use under short names ($stable64_grow, $msg_reply, ...) and gives:
 *   $arg (param i32 index) (result i64)  the index-th u64 of the argument
 *   $reply (param i64)                   reply with one u64
 *   $reply_none                          reply with no data
 * It uses heap bytes [0, 64) as scratch; tests use addresses above that. */
#ifndef CANMEM_TEST_CANISTER_SUPPORT_H
#define CANMEM_TEST_CANISTER_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "canister.h"
#include "internal.h"
#include "profile_file.h"

/* White-box reads of the model's state (internal.h), for what a canister
 * cannot observe through its own System API calls. */
static inline bool state_is_empty(const cm_canister *c) {
  return c->code == NULL;
}
static inline uint64_t state_version(const cm_canister *c) {
  return c->version;
}
static inline uint64_t state_wasm_memory_limit(const cm_canister *c) {
  return c->wasm_memory_limit;
}
static inline cm_low_memory_status state_low_memory(const cm_canister *c) {
  return c->low_memory;
}
static inline uint64_t state_global_timer(const cm_canister *c) {
  return c->global_timer;
}
/* The length of the certified data as last committed. */
static inline uint64_t state_certified_size(const cm_canister *c) {
  return c->certified.size;
}

/* Compile wat text (wat2wasm --enable-memory64 --enable-multi-memory);
 * fails the test when wat2wasm refuses it. Caller frees. */
uint8_t *wat_to_wasm(const char *wat, size_t *size);
/* Gzip bytes with the system's gzip tool. Caller frees. */
uint8_t *gzip_bytes(const uint8_t *data, size_t size, size_t *out_size);

/* Append a custom section (name, content) to a binary module; returns a
 * new buffer (caller frees) and frees nothing. */
uint8_t *with_custom_section(const uint8_t *wasm, size_t size,
                             const char *name, const char *content,
                             size_t *out_size);
/* wat_to_wasm, then with_custom_section. */
uint8_t *wat_with_custom_section(const char *wat, const char *name,
                                 size_t *out_size);

/* A module: prelude for wasm32 (is64 false) or wasm64, the memory
 * declaration (e.g. "(memory 1)"; "" for none: then the prelude's heap
 * helpers are left out), then body. Returns wat text (caller frees). */
char *canister_wat(int is64, const char *memory, const char *body);

/* A canister with the default profile (ic-current) changed by
 * "key = value" lines in overrides (NULL for none). */
cm_canister *new_canister(const char *overrides);

/* Operations; they assert that the ABI call itself succeeded. */
canmem_outcome install_wat(cm_canister *c, uint32_t mode, const char *wat);
canmem_outcome install_wasm(cm_canister *c, uint32_t mode,
                            const uint8_t *wasm, size_t size,
                            const uint8_t *arg, size_t arg_size);
canmem_outcome upgrade_wat(cm_canister *c, const char *wat, int skip_pre,
                           uint32_t persistence);
canmem_outcome upgrade_wasm(cm_canister *c, const uint8_t *wasm, size_t size,
                            int skip_pre, uint32_t persistence,
                            const uint8_t *arg, size_t arg_size);
canmem_outcome call(cm_canister *c, uint32_t kind, const char *method,
                    const uint64_t *args, size_t nargs);
canmem_outcome update(cm_canister *c, const char *method, size_t nargs, ...);
canmem_outcome query(cm_canister *c, const char *method, size_t nargs, ...);
canmem_outcome task(cm_canister *c, const char *name);
canmem_outcome set_limit(cm_canister *c, uint64_t limit);
canmem_outcome set_threshold(cm_canister *c, uint64_t threshold);

/* Checks with readable failures. */
void check_kind(canmem_outcome o, uint32_t kind, const char *where,
                int line);
void check_category(canmem_outcome o, uint32_t kind, uint32_t category,
                    const char *where, int line);
uint64_t reply_u64(canmem_outcome o, const char *where, int line);

#define expect_reply(o) check_kind((o), CANMEM_OUTCOME_REPLY, __FILE__, __LINE__)
#define expect_no_reply(o)                                                    \
  check_kind((o), CANMEM_OUTCOME_NO_REPLY, __FILE__, __LINE__)
#define expect_trap(o, cat)                                                   \
  check_category((o), CANMEM_OUTCOME_TRAP, cat, __FILE__, __LINE__)
#define expect_reject(o, cat)                                                 \
  check_category((o), CANMEM_OUTCOME_REJECT, cat, __FILE__, __LINE__)
#define expect_refused(o, cat)                                                \
  check_category((o), CANMEM_OUTCOME_INSTALL_REJECTED, cat, __FILE__,        \
                 __LINE__)
#define expect_u64(o, v)                                                      \
  assert_int_equal(reply_u64((o), __FILE__, __LINE__), (uint64_t)(v))

/* Shorthands */
#define KIB 1024ull
#define MIB (1024ull * KIB)
#define GIB (1024ull * MIB)
#define PAGE 65536ull
#define NEG1 UINT64_MAX
#define NEG1_32 0xffffffffull

#endif
