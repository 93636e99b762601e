/* Benchmark: hashing. SHA-256 (FIPS 180-4) of a generated message of a few
 * hundred KiB. Checks: the standard "abc" test vector, then the message's
 * digest against the value Python's hashlib gives for the same bytes:
 *   bytes((i * 131 + (i >> 8)) & 0xff for i in range(MESSAGE_SIZE)) */
#include "bench.h"

#define MESSAGE_SIZE (640 * 1024)
/* First and last words of the message's digest. */
#define EXPECTED_FIRST 0xd2b79032u
#define EXPECTED_LAST 0x18aa1504u

typedef struct {
  uint32_t state[8];
  uint8_t block[64];
  uint32_t used;    /* bytes in block */
  uint64_t length;  /* bytes hashed so far */
} sha256_ctx;

static const uint32_t round_constants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void compress(uint32_t state[8], const uint8_t block[64]) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
           (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
                  ((e & f) ^ (~e & g)) + round_constants[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
                  ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a; state[1] += b; state[2] += c; state[3] += d;
  state[4] += e; state[5] += f; state[6] += g; state[7] += h;
}

static void sha256_init(sha256_ctx *ctx) {
  static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
                                      0xa54ff53a, 0x510e527f, 0x9b05688c,
                                      0x1f83d9ab, 0x5be0cd19};
  for (int i = 0; i < 8; i++)
    ctx->state[i] = initial[i];
  ctx->used = 0;
  ctx->length = 0;
}

static void sha256_byte(sha256_ctx *ctx, uint8_t byte) {
  ctx->block[ctx->used++] = byte;
  ctx->length++;
  if (ctx->used == 64) {
    compress(ctx->state, ctx->block);
    ctx->used = 0;
  }
}

static void sha256_final(sha256_ctx *ctx, uint32_t digest[8]) {
  uint64_t bits = ctx->length * 8;
  sha256_byte(ctx, 0x80);
  while (ctx->used != 56)
    sha256_byte(ctx, 0);
  for (int i = 7; i >= 0; i--)
    sha256_byte(ctx, (uint8_t)(bits >> (8 * i)));
  for (int i = 0; i < 8; i++)
    digest[i] = ctx->state[i];
}

int run(void) {
  static const uint32_t abc_digest[8] = {0xba7816bf, 0x8f01cfea, 0x414140de,
                                         0x5dae2223, 0xb00361a3, 0x96177a9c,
                                         0xb410ff61, 0xf20015ad};
  sha256_ctx ctx;
  uint32_t digest[8];
  sha256_init(&ctx);
  sha256_byte(&ctx, 'a');
  sha256_byte(&ctx, 'b');
  sha256_byte(&ctx, 'c');
  sha256_final(&ctx, digest);
  for (int i = 0; i < 8; i++)
    if (digest[i] != abc_digest[i])
      return 1;

  sha256_init(&ctx);
  for (uint32_t i = 0; i < MESSAGE_SIZE; i++)
    sha256_byte(&ctx, (uint8_t)((i * 131 + (i >> 8)) & 0xff));
  sha256_final(&ctx, digest);
  bench_fingerprint = digest[0];
  return digest[0] == EXPECTED_FIRST && digest[7] == EXPECTED_LAST ? 0 : 2;
}
