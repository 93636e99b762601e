/* canmem profiles: the file syntax of suite/profiles/. A profile file is
 * `key = value` lines with # comments; values are integers with an optional
 * unit (KiB, MiB, GiB, TiB, pages), yes/no, or a reading's name. Keys and
 * units: docs/memory-model.md, "Profiles". */
#ifndef CANMEM_PROFILE_FILE_H
#define CANMEM_PROFILE_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "canmem_adapter.h"

/* Set one key. Returns false and writes a reason into err on failure. */
bool cm_profile_set(canmem_profile *p, const char *key, const char *value,
                    char *err, size_t err_size);
/* Apply a profile text (on top of what p holds) and check the result
 * (cm_profile_check); source names it in errors, as source:line. A key
 * set twice is an error. */
bool cm_profile_parse(canmem_profile *p, const char *text, size_t size,
                      const char *source, char *err, size_t err_size);
/* Read and apply a whole profile file: besides cm_profile_parse's checks,
 * an empty file (no key) and max_stable_memory_32 above max_stable_memory
 * are errors. */
bool cm_profile_load(canmem_profile *p, const char *path, char *err,
                     size_t err_size);
/* Write every key of p in file syntax into buf (like snprintf). */
size_t cm_profile_format(const canmem_profile *p, char *buf, size_t size);

#endif
