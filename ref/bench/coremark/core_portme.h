/* canmem's port of EEMBC CoreMark to freestanding wasm32 (make bench).
 * CoreMark's own sources (core_*.c, coremark.h) are not in this tree: they
 * are read from ../shared/peers/coremark at build time. This header is the
 * configuration CoreMark asks each port for; core_portme.c is the rest.
 * The module imports nothing: output goes to a buffer, the clock is fake,
 * the seeds are volatile globals, the data block lives on the wasm stack. */
#ifndef CANMEM_COREMARK_PORTME_H
#define CANMEM_COREMARK_PORTME_H

#include <stddef.h>
#include <stdint.h>

/* No floating point output, no stdio, no libc. */
#define HAS_FLOAT 0
#define HAS_TIME_H 0
#define USE_CLOCK 0
#define HAS_STDIO 0
#define HAS_PRINTF 0

/* Iterations of the 2K performance run (seeds 0, 0, 0x66), fixed so that
 * every engine does the same work; the bench script times the whole run.
 * COREMARK_CRCFINAL is the final CRC CoreMark reports for this count,
 * measured with a native build of the same sources and port. */
#ifndef ITERATIONS
#define ITERATIONS 300
#endif
#define COREMARK_CRCFINAL 0x5275

#define COMPILER_VERSION "clang --target=wasm32"
#define COMPILER_FLAGS "-O2 -mcpu=mvp -nostdlib"
#define MEM_LOCATION "STACK"

typedef int16_t ee_s16;
typedef uint16_t ee_u16;
typedef int32_t ee_s32;
typedef uint8_t ee_u8;
typedef uint32_t ee_u32;
typedef uintptr_t ee_ptr_int; /* wide enough for a pointer also natively */
typedef size_t ee_size_t;

/* Round a pointer up to a multiple of 4, as CoreMark expects. */
#define align_mem(x) (void *)(4 + (((ee_ptr_int)(x)-1) & ~(ee_ptr_int)3))

typedef ee_u32 CORE_TICKS;
#define CORETIMETYPE ee_u32

#define SEED_METHOD SEED_VOLATILE
#define MEM_METHOD MEM_STACK
#define MULTITHREAD 1
#define USE_PTHREAD 0
#define USE_FORK 0
#define USE_SOCKET 0
#define MAIN_HAS_NOARGC 1
#define MAIN_HAS_NORETURN 0

extern ee_u32 default_num_contexts;

typedef struct {
  ee_u8 unused;
} core_portable;

void portable_init(core_portable *p, int *argc, char *argv[]);
void portable_fini(core_portable *p);

#define PERFORMANCE_RUN 1

int ee_printf(const char *fmt, ...);

#endif
