/* The `spectest` host module that the official test suite imports from.
 *
 * globals global_i32 = 666, global_i64 = 666, global_f32 = 666.6 and
 * global_f64 = 666.6 (all immutable), table (10 20 funcref), memory (1 2),
 * and the functions print, print_i32, print_i64, print_f32, print_f64,
 * print_i32_f32 and print_f64_f64, which return nothing and print their
 * arguments only when asked to. */
#ifndef CANMEM_SPECTEST_H
#define CANMEM_SPECTEST_H

#include <stdbool.h>
#include <stdio.h>

#include "wasm.h"

typedef struct cm_spectest cm_spectest;

/* Make the module's objects in store s. print_to receives one line per
 * print call; NULL keeps them silent. Returns NULL with err filled
 * (CM_NO_MEMORY) on failure. The objects belong to the store; free the
 * cm_spectest after the store. */
cm_spectest *cm_spectest_new(cm_store *s, FILE *print_to, cm_error *err);
void cm_spectest_free(cm_spectest *st);

/* The export called name, as an import would see it; false if none. */
bool cm_spectest_lookup(const cm_spectest *st, const char *name,
                        cm_extern *out);

#endif
