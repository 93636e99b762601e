/* canmem canister model: gzip decompression of canister modules (MOD-FMT-1:
 * a module starting with 1f 8b 08 is a gzip stream, RFC 1952, of deflate
 * data, RFC 1951). Our own small inflater: modules are decompressed once
 * per install, so clarity wins over speed. */
#ifndef CANMEM_GZIP_H
#define CANMEM_GZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Does data start with the gzip magic the spec names (1f 8b 08)? */
bool cm_is_gzip(const uint8_t *data, size_t size);

typedef enum {
  CM_GUNZIP_OK = 0,
  CM_GUNZIP_MALFORMED, /* a malformed stream, a CRC or length mismatch,
                        * trailing bytes */
  CM_GUNZIP_TOO_LARGE, /* the output would exceed max_out bytes */
  CM_GUNZIP_NO_MEMORY,
} cm_gunzip_result;

/* Decompress one gzip member; in starts with the magic (cm_is_gzip). On
 * success *out (malloc'ed, caller frees) and *out_size hold the data;
 * otherwise the reason is in err (err_size >= 1). */
cm_gunzip_result cm_gunzip(const uint8_t *in, size_t in_size,
                           uint64_t max_out, uint8_t **out, size_t *out_size,
                           char *err, size_t err_size);

#endif
