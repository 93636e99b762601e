/* canmem canister model: gzip (RFC 1952) and inflate (RFC 1951).
 *
 * Huffman codes are canonical, so a code is described by how many symbols
 * have each length plus the symbols in code order; decoding walks the
 * lengths one bit at a time. Slow next to a table-driven inflater, but a
 * module is decompressed once per install. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "gzip.h"

#define MAX_CODE_BITS 15
#define MAX_LITLEN_SYMBOLS 288
#define MAX_DIST_SYMBOLS 30
#define WINDOW 32768u

typedef struct {
  uint16_t count[MAX_CODE_BITS + 1]; /* symbols per code length */
  uint16_t symbol[MAX_LITLEN_SYMBOLS]; /* symbols ordered by code */
} huffman;

typedef struct {
  const uint8_t *in;
  size_t in_size, pos;
  uint32_t bits;
  unsigned nbits;
  uint8_t *out;
  size_t out_size, out_cap;
  uint64_t max_out;
  const char *error; /* first failure, static text */
  cm_gunzip_result result;
} inflater;

static bool fail_as(inflater *z, cm_gunzip_result result, const char *why) {
  if (!z->error) {
    z->error = why;
    z->result = result;
  }
  return false;
}

static bool fail(inflater *z, const char *why) {
  return fail_as(z, CM_GUNZIP_MALFORMED, why);
}

static bool get_bits(inflater *z, unsigned n, uint32_t *value) {
  while (z->nbits < n) {
    if (z->pos >= z->in_size)
      return fail(z, "deflate data is truncated");
    z->bits |= (uint32_t)z->in[z->pos++] << z->nbits;
    z->nbits += 8;
  }
  *value = n ? z->bits & ((1u << n) - 1) : 0;
  z->bits = n < 32 ? z->bits >> n : 0;
  z->nbits -= n;
  return true;
}

static bool emit(inflater *z, uint8_t byte) {
  if (z->out_size == z->out_cap) {
    if (z->out_size >= z->max_out)
      return fail_as(z, CM_GUNZIP_TOO_LARGE,
                     "decompressed module is larger than max_module_size");
    size_t cap = z->out_cap ? z->out_cap * 2 : 65536;
    if (cap > z->max_out)
      cap = (size_t)z->max_out;
    uint8_t *grown = cm_realloc(z->out, cap);
    if (!grown)
      return fail_as(z, CM_GUNZIP_NO_MEMORY, "out of memory");
    z->out = grown;
    z->out_cap = cap;
  }
  z->out[z->out_size++] = byte;
  return true;
}

/* Build a canonical code from per-symbol lengths (0 = unused). Incomplete
 * codes are allowed (RFC 1951 permits a lone distance code); an
 * over-subscribed one is an error. */
static bool huffman_build(inflater *z, huffman *h, const uint8_t *lengths,
                          unsigned n) {
  memset(h->count, 0, sizeof h->count);
  for (unsigned s = 0; s < n; s++)
    h->count[lengths[s]]++;
  h->count[0] = 0;
  int unused = 1;
  for (unsigned len = 1; len <= MAX_CODE_BITS; len++) {
    unused = unused * 2 - h->count[len];
    if (unused < 0)
      return fail(z, "over-subscribed Huffman code");
  }
  uint16_t next[MAX_CODE_BITS + 2];
  next[1] = 0;
  for (unsigned len = 1; len <= MAX_CODE_BITS; len++)
    next[len + 1] = (uint16_t)(next[len] + h->count[len]);
  for (unsigned s = 0; s < n; s++)
    if (lengths[s])
      h->symbol[next[lengths[s]]++] = (uint16_t)s;
  return true;
}

/* Codes are read most significant bit first, one bit at a time: at each
 * length, the codes of that length are the `count` values starting at
 * `first`. Returns the symbol or -1. */
static int huffman_decode(inflater *z, const huffman *h) {
  int code = 0, first = 0, index = 0;
  for (unsigned len = 1; len <= MAX_CODE_BITS; len++) {
    uint32_t bit;
    if (!get_bits(z, 1, &bit))
      return -1;
    code |= (int)bit;
    int count = h->count[len];
    if (code - first < count)
      return h->symbol[index + (code - first)];
    index += count;
    first = (first + count) << 1;
    code <<= 1;
  }
  fail(z, "invalid Huffman code");
  return -1;
}

static const uint16_t length_base[29] = {
    3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
    31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t length_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1,
                                         1, 1, 2, 2, 2, 2, 3, 3, 3, 3,
                                         4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {
    1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
    33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2,  2,  3,  3,
                                       4, 4, 5, 5, 6, 6, 7,  7,  8,  8,
                                       9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static bool inflate_codes(inflater *z, const huffman *litlen,
                          const huffman *dist) {
  for (;;) {
    int sym = huffman_decode(z, litlen);
    if (sym < 0)
      return false;
    if (sym < 256) {
      if (!emit(z, (uint8_t)sym))
        return false;
      continue;
    }
    if (sym == 256)
      return true;
    sym -= 257;
    if (sym >= 29)
      return fail(z, "invalid length symbol");
    uint32_t extra;
    if (!get_bits(z, length_extra[sym], &extra))
      return false;
    uint32_t length = length_base[sym] + extra;
    /* < 30: distance codes have at most 30 symbols (hdist <= 30) */
    int dsym = huffman_decode(z, dist);
    if (dsym < 0)
      return false;
    if (!get_bits(z, dist_extra[dsym], &extra))
      return false;
    uint32_t distance = dist_base[dsym] + extra;
    if (distance > z->out_size)
      return fail(z, "distance reaches before the start of the data");
    for (uint32_t i = 0; i < length; i++)
      if (!emit(z, z->out[z->out_size - distance]))
        return false;
  }
}

static bool inflate_stored(inflater *z) {
  z->bits = 0; /* stored blocks start at a byte boundary */
  z->nbits = 0;
  if (z->in_size - z->pos < 4)
    return fail(z, "stored block header is truncated");
  unsigned len = z->in[z->pos] | (unsigned)z->in[z->pos + 1] << 8;
  unsigned nlen = z->in[z->pos + 2] | (unsigned)z->in[z->pos + 3] << 8;
  z->pos += 4;
  if (len != (~nlen & 0xffffu))
    return fail(z, "stored block length check failed");
  if (z->in_size - z->pos < len)
    return fail(z, "stored block is truncated");
  for (unsigned i = 0; i < len; i++)
    if (!emit(z, z->in[z->pos + i]))
      return false;
  z->pos += len;
  return true;
}

static bool inflate_fixed(inflater *z) {
  uint8_t lengths[MAX_LITLEN_SYMBOLS];
  unsigned s = 0;
  for (; s < 144; s++)
    lengths[s] = 8;
  for (; s < 256; s++)
    lengths[s] = 9;
  for (; s < 280; s++)
    lengths[s] = 7;
  for (; s < 288; s++)
    lengths[s] = 8;
  /* The fixed codes are valid: building them cannot fail. */
  huffman litlen, dist;
  (void)huffman_build(z, &litlen, lengths, 288);
  for (s = 0; s < MAX_DIST_SYMBOLS; s++)
    lengths[s] = 5;
  (void)huffman_build(z, &dist, lengths, MAX_DIST_SYMBOLS);
  return inflate_codes(z, &litlen, &dist);
}

static bool inflate_dynamic(inflater *z) {
  static const uint8_t order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                    11, 4,  12, 3, 13, 2, 14, 1, 15};
  uint32_t hlit, hdist, hclen;
  if (!get_bits(z, 5, &hlit) || !get_bits(z, 5, &hdist) ||
      !get_bits(z, 4, &hclen))
    return false;
  hlit += 257;
  hdist += 1;
  hclen += 4;
  if (hlit > 286 || hdist > 30)
    return fail(z, "too many length or distance codes");
  uint8_t lengths[MAX_LITLEN_SYMBOLS + MAX_DIST_SYMBOLS];
  memset(lengths, 0, 19);
  for (unsigned i = 0; i < hclen; i++) {
    uint32_t v;
    if (!get_bits(z, 3, &v))
      return false;
    lengths[order[i]] = (uint8_t)v;
  }
  huffman lencode;
  if (!huffman_build(z, &lencode, lengths, 19))
    return false;
  unsigned n = 0;
  while (n < hlit + hdist) {
    int sym = huffman_decode(z, &lencode);
    if (sym < 0)
      return false;
    if (sym < 16) {
      lengths[n++] = (uint8_t)sym;
      continue;
    }
    uint8_t repeat_value = 0;
    uint32_t times;
    if (sym == 16) {
      if (n == 0)
        return fail(z, "repeat with no previous length");
      repeat_value = lengths[n - 1];
      if (!get_bits(z, 2, &times))
        return false;
      times += 3;
    } else if (sym == 17) {
      if (!get_bits(z, 3, &times))
        return false;
      times += 3;
    } else {
      if (!get_bits(z, 7, &times))
        return false;
      times += 11;
    }
    if (n + times > hlit + hdist)
      return fail(z, "code lengths overrun");
    while (times--)
      lengths[n++] = repeat_value;
  }
  if (lengths[256] == 0)
    return fail(z, "no end-of-block code");
  huffman litlen, dist;
  if (!huffman_build(z, &litlen, lengths, hlit) ||
      !huffman_build(z, &dist, lengths + hlit, hdist))
    return false;
  return inflate_codes(z, &litlen, &dist);
}

static bool inflate(inflater *z) {
  uint32_t last;
  do {
    uint32_t type;
    if (!get_bits(z, 1, &last) || !get_bits(z, 2, &type))
      return false;
    bool ok;
    switch (type) {
    case 0: ok = inflate_stored(z); break;
    case 1: ok = inflate_fixed(z); break;
    case 2: ok = inflate_dynamic(z); break;
    default: ok = fail(z, "invalid deflate block type"); break;
    }
    if (!ok)
      return false;
  } while (!last);
  return true;
}

static uint32_t crc32_of(const uint8_t *data, size_t size) {
  uint32_t table[256];
  for (uint32_t n = 0; n < 256; n++) {
    uint32_t c = n;
    for (int k = 0; k < 8; k++)
      c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < size; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}

bool cm_is_gzip(const uint8_t *data, size_t size) {
  return size >= 3 && memcmp(data, "\x1f\x8b\x08", 3) == 0;
}

static uint32_t read_le32(const uint8_t *p) {
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static cm_gunzip_result report_as(char *err, size_t err_size,
                                  cm_gunzip_result result, const char *why) {
  snprintf(err, err_size, "gzip: %s", why);
  return result;
}

static cm_gunzip_result report(char *err, size_t err_size, const char *why) {
  return report_as(err, err_size, CM_GUNZIP_MALFORMED, why);
}

cm_gunzip_result cm_gunzip(const uint8_t *in, size_t in_size,
                           uint64_t max_out, uint8_t **out, size_t *out_size,
                           char *err, size_t err_size) {
  enum { FHCRC = 2, FEXTRA = 4, FNAME = 8, FCOMMENT = 16 };
  *out = NULL;
  *out_size = 0;
  if (in_size < 18)
    return report(err, err_size, "not a gzip stream");
  uint8_t flags = in[3];
  if (flags & 0xe0)
    return report(err, err_size, "reserved header flags set");
  size_t pos = 10;
  if (flags & FEXTRA) { /* XLEN is there: in_size >= 18 */
    size_t xlen = in[pos] | (size_t)in[pos + 1] << 8;
    pos += 2;
    if (in_size - pos < xlen)
      return report(err, err_size, "header is truncated");
    pos += xlen;
  }
  for (int field = FNAME; field <= FCOMMENT; field <<= 1) {
    if (!(flags & field))
      continue;
    while (pos < in_size && in[pos] != 0)
      pos++;
    if (pos >= in_size)
      return report(err, err_size, "header is truncated");
    pos++;
  }
  if (flags & FHCRC) {
    if (in_size - pos < 2)
      return report(err, err_size, "header is truncated");
    pos += 2;
  }
  if (in_size - pos < 8)
    return report(err, err_size, "stream is truncated");
  inflater z = {.in = in, .in_size = in_size - 8, .pos = pos,
                .max_out = max_out};
  if (!inflate(&z)) {
    free(z.out);
    return report_as(err, err_size, z.result,
                     z.error ? z.error : "inflate failed");
  }
  const uint8_t *trailer = in + z.pos;
  if (z.pos != in_size - 8) {
    free(z.out);
    return report(err, err_size, "trailing bytes after the gzip member");
  }
  if (read_le32(trailer) != crc32_of(z.out, z.out_size) ||
      read_le32(trailer + 4) != (uint32_t)z.out_size) {
    free(z.out);
    return report(err, err_size, "CRC or length check failed");
  }
  *out = z.out;
  *out_size = z.out_size;
  return CM_GUNZIP_OK;
}
