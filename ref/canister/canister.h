/* canmem canister model: one Internet Computer canister on top of the
 * reference engine: heap, 32/64-bit stable memory, the ic0 System API,
 * install/reinstall/upgrade/uninstall and messages as transactions.
 *
 * The model speaks the vocabulary of the adapter ABI (canmem_adapter.h):
 * profiles, install requests, call kinds, settings and outcomes are the
 * ABI's structs, so the reference adapter (adapter.c) is a thin table. The
 * rules it follows are named by their IDs in ../shared/reference/
 * ic-memory-rules.md; docs/memory-model.md explains the choices. No global
 * state: any number of canisters may live in one process. */
#ifndef CANMEM_CANISTER_H
#define CANMEM_CANISTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "canmem_adapter.h"

/* ---- Profiles (profile.c) ----
 * The limits, features and readings of the ABI's canmem_profile; the file
 * syntax of suite/profiles/ is ref/profile/profile_file.h. */

/* The built-in defaults: the current IC (suite/profiles/ic-current). */
void cm_profile_defaults(canmem_profile *p);
/* Check that the limits are coherent (page multiples, 32-bit limits within
 * 4 GiB); cm_canister_new refuses profiles that are not. */
bool cm_profile_check(const canmem_profile *p, char *err, size_t err_size);

/* ---- Canisters (canister.c) ---- */

typedef struct cm_canister cm_canister;

/* States of the low-memory hook (LOW-3, LOW-4). */
typedef enum {
  CM_LOW_MEMORY_NOT_SATISFIED = 0,
  CM_LOW_MEMORY_READY = 1,
  CM_LOW_MEMORY_EXECUTED = 2,
} cm_low_memory_status;

/* A new empty canister. NULL with a reason in err on failure. */
cm_canister *cm_canister_new(const canmem_profile *profile, char *err,
                             size_t err_size);
void cm_canister_free(cm_canister *c);

/* The three operations of the ABI, on well-formed requests (adapter.c
 * refuses the others). They return CANMEM_OK with *out filled;
 * out->payload points into the canister and stays valid until its next
 * operation. */
int32_t cm_canister_install(cm_canister *c, const canmem_install *request,
                            canmem_outcome *out);
int32_t cm_canister_call(cm_canister *c, uint32_t call_kind,
                         const char *method, const uint8_t *arg,
                         uint64_t arg_size, canmem_outcome *out);
int32_t cm_canister_update_settings(cm_canister *c,
                                    const canmem_settings *settings,
                                    canmem_outcome *out);

/* Probes: observe the state without running canister code. */
uint64_t cm_canister_stable_pages(const cm_canister *c);
uint64_t cm_canister_heap_pages(const cm_canister *c);
/* false when [offset, offset+size) is outside the memory */
bool cm_canister_read_stable(const cm_canister *c, uint64_t offset,
                             uint8_t *dst, uint64_t size);
bool cm_canister_read_heap(const cm_canister *c, uint64_t offset, uint8_t *dst,
                           uint64_t size);

/* The principal the model gives the user who installs and calls (also
 * the canister's only controller). */
const uint8_t *cm_user_principal(uint64_t *size);

/* What the last operation cost, for tests and benchmarks of the rollback
 * rule ("costs what the message touched"). */
typedef struct {
  uint64_t instructions;           /* wasm instructions executed */
  uint64_t stable_pages_journaled; /* stable pages saved for rollback */
  uint64_t stable_pages_resident;  /* stable pages holding data now */
  uint64_t globals_saved;          /* globals and table slots snapshotted */
} cm_canister_stats;
void cm_canister_last_stats(const cm_canister *c, cm_canister_stats *stats);

#endif
