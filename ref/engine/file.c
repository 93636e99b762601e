/* canmem: reading a whole file (see file.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

char *cm_read_file(const char *path, size_t max_size, size_t *size,
                   char *why, size_t why_size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    snprintf(why, why_size, "%s: %s", path, strerror(errno));
    return NULL;
  }
  char *data = NULL;
  size_t length = 0, capacity = 0;
  for (;;) {
    if (length == capacity) {
      if (max_size && capacity >= max_size) {
        snprintf(why, why_size, "%s: larger than %zu bytes", path, max_size);
        goto fail;
      }
      size_t grown_capacity = capacity ? 2 * capacity : 65536;
      if (grown_capacity < capacity || grown_capacity == SIZE_MAX) {
        snprintf(why, why_size, "%s: too large", path);
        goto fail;
      }
      char *grown = realloc(data, grown_capacity + 1); /* + the NUL */
      if (!grown) {
        snprintf(why, why_size, "%s: out of memory", path);
        goto fail;
      }
      data = grown;
      capacity = grown_capacity;
    }
    size_t got = fread(data + length, 1, capacity - length, f);
    length += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    snprintf(why, why_size, "%s: read error", path);
    goto fail;
  }
  fclose(f);
  data[length] = '\0';
  *size = length;
  return data;
fail:
  free(data);
  fclose(f);
  return NULL;
}
