/* canmem: reading a whole file, shared by the tools, the runner and the
 * canister model's profile loader. */
#ifndef CANMEM_FILE_H
#define CANMEM_FILE_H

#include <stddef.h>

/* Reads the file at path, at most max_size bytes (0: no limit), into a
 * malloc'd buffer followed by one NUL byte (not counted in *size). On
 * failure returns NULL and writes "PATH: reason" into why. */
char *cm_read_file(const char *path, size_t max_size, size_t *size,
                   char *why, size_t why_size);

#endif
