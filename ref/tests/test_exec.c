/* Unit tests of the interpreter, instantiation and stores (exec.c,
 * instantiate.c, store.c): results, trap categories, exhaustion, the
 * instruction limit, host functions (also re-entering wasm), calls across
 * instances, segment and start failures, the write journal seen from wasm
 * stores, NaN rules, memory64 bounds, tail calls and 64-bit tables.
 *
 * Each module is embedded as bytes made with wat2wasm (--enable-memory64
 * for mem64, --enable-tail-call for tail) and `xxd -i`; its text is in the
 * comment above it. wabt 1.0.32 cannot write 64-bit tables: those modules
 * were assembled by hand, with their text given the same way. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "numeric.h"
#include "runtime.h"

/* basic.wat (wat2wasm):
   (module
     (type $ii_i (func (param i32 i32) (result i32)))
     (memory 1 2)
     (table 3 funcref)
     (elem (i32.const 0) $add $fac)
     (func $add (export "add") (param i32 i32) (result i32)
       local.get 0 local.get 1 i32.add)
     (func $fac (export "fac") (param i64) (result i64)
       local.get 0 i64.eqz
       if (result i64) i64.const 1
       else local.get 0 local.get 0 i64.const 1 i64.sub call $fac i64.mul end)
     (func (export "sum") (param $n i32) (result i32) (local $acc i32)
       block $done
         loop $again
           local.get $n i32.eqz br_if $done
           local.get $acc local.get $n i32.add local.set $acc
           local.get $n i32.const 1 i32.sub local.set $n
           br $again
         end
       end
       local.get $acc)
     (func (export "div_s") (param i32 i32) (result i32)
       local.get 0 local.get 1 i32.div_s)
     (func (export "trunc") (param f32) (result i32)
       local.get 0 i32.trunc_f32_s)
     (func (export "unreachable") unreachable)
     (func (export "load") (param i32) (result i32)
       local.get 0 i32.load)
     (func (export "load_offset") (param i32) (result i32)
       local.get 0 i32.load offset=65532)
     (func (export "store") (param i32 i32)
       local.get 0 local.get 1 i32.store)
     (func (export "grow") (param i32) (result i32)
       local.get 0 memory.grow)
     (func (export "size") (result i32) memory.size)
     (func (export "call_indirect") (param i32 i32 i32) (result i32)
       local.get 0 local.get 1 local.get 2 call_indirect (type $ii_i))
     (func $runaway (export "runaway") call $runaway)
     (func $recurse (export "recurse") (param i32) (result i32)
       local.get 0 call $recurse)
     (func (export "spin") (loop $l br $l))
     (func (export "f32_add") (param f32 f32) (result f32)
       local.get 0 local.get 1 f32.add)
     (func (export "f32_neg") (param f32) (result f32)
       local.get 0 f32.neg)
     (func (export "f64_min") (param f64 f64) (result f64)
       local.get 0 local.get 1 f64.min)
     (func (export "swap") (param i32 i64) (result i64 i32)
       local.get 1 local.get 0)
     (func (export "br_table") (param i32) (result i32)
       block $c block $b block $a
         local.get 0 br_table $a $b $c
       end i32.const 10 return
       end i32.const 20 return
       end i32.const 30)
     (func (export "fill") (param i32 i32 i32)
       local.get 0 local.get 1 local.get 2 memory.fill)
     (func (export "copy") (param i32 i32 i32)
       local.get 0 local.get 1 local.get 2 memory.copy)
   )
 */

static const unsigned char basic_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x47, 0x0d, 0x60,
  0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x01,
  0x7f, 0x01, 0x7f, 0x60, 0x01, 0x7d, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60,
  0x02, 0x7f, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7f,
  0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7d, 0x7d, 0x01, 0x7d, 0x60, 0x01, 0x7d,
  0x01, 0x7d, 0x60, 0x02, 0x7c, 0x7c, 0x01, 0x7c, 0x60, 0x02, 0x7f, 0x7e,
  0x02, 0x7e, 0x7f, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x00, 0x03, 0x17, 0x16,
  0x00, 0x01, 0x02, 0x00, 0x03, 0x04, 0x02, 0x02, 0x05, 0x02, 0x06, 0x07,
  0x04, 0x02, 0x04, 0x08, 0x09, 0x0a, 0x0b, 0x02, 0x0c, 0x0c, 0x04, 0x04,
  0x01, 0x70, 0x00, 0x03, 0x05, 0x04, 0x01, 0x01, 0x01, 0x02, 0x07, 0xc5,
  0x01, 0x16, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x66, 0x61, 0x63,
  0x00, 0x01, 0x03, 0x73, 0x75, 0x6d, 0x00, 0x02, 0x05, 0x64, 0x69, 0x76,
  0x5f, 0x73, 0x00, 0x03, 0x05, 0x74, 0x72, 0x75, 0x6e, 0x63, 0x00, 0x04,
  0x0b, 0x75, 0x6e, 0x72, 0x65, 0x61, 0x63, 0x68, 0x61, 0x62, 0x6c, 0x65,
  0x00, 0x05, 0x04, 0x6c, 0x6f, 0x61, 0x64, 0x00, 0x06, 0x0b, 0x6c, 0x6f,
  0x61, 0x64, 0x5f, 0x6f, 0x66, 0x66, 0x73, 0x65, 0x74, 0x00, 0x07, 0x05,
  0x73, 0x74, 0x6f, 0x72, 0x65, 0x00, 0x08, 0x04, 0x67, 0x72, 0x6f, 0x77,
  0x00, 0x09, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x0a, 0x0d, 0x63, 0x61,
  0x6c, 0x6c, 0x5f, 0x69, 0x6e, 0x64, 0x69, 0x72, 0x65, 0x63, 0x74, 0x00,
  0x0b, 0x07, 0x72, 0x75, 0x6e, 0x61, 0x77, 0x61, 0x79, 0x00, 0x0c, 0x07,
  0x72, 0x65, 0x63, 0x75, 0x72, 0x73, 0x65, 0x00, 0x0d, 0x04, 0x73, 0x70,
  0x69, 0x6e, 0x00, 0x0e, 0x07, 0x66, 0x33, 0x32, 0x5f, 0x61, 0x64, 0x64,
  0x00, 0x0f, 0x07, 0x66, 0x33, 0x32, 0x5f, 0x6e, 0x65, 0x67, 0x00, 0x10,
  0x07, 0x66, 0x36, 0x34, 0x5f, 0x6d, 0x69, 0x6e, 0x00, 0x11, 0x04, 0x73,
  0x77, 0x61, 0x70, 0x00, 0x12, 0x08, 0x62, 0x72, 0x5f, 0x74, 0x61, 0x62,
  0x6c, 0x65, 0x00, 0x13, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x14, 0x04,
  0x63, 0x6f, 0x70, 0x79, 0x00, 0x15, 0x09, 0x08, 0x01, 0x00, 0x41, 0x00,
  0x0b, 0x02, 0x00, 0x01, 0x0a, 0xec, 0x01, 0x16, 0x07, 0x00, 0x20, 0x00,
  0x20, 0x01, 0x6a, 0x0b, 0x15, 0x00, 0x20, 0x00, 0x50, 0x04, 0x7e, 0x42,
  0x01, 0x05, 0x20, 0x00, 0x20, 0x00, 0x42, 0x01, 0x7d, 0x10, 0x01, 0x7e,
  0x0b, 0x0b, 0x21, 0x01, 0x01, 0x7f, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00,
  0x45, 0x0d, 0x01, 0x20, 0x01, 0x20, 0x00, 0x6a, 0x21, 0x01, 0x20, 0x00,
  0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x01, 0x0b,
  0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6d, 0x0b, 0x05, 0x00, 0x20, 0x00,
  0xa8, 0x0b, 0x03, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x28, 0x02,
  0x00, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x28, 0x02, 0xfc, 0xff, 0x03, 0x0b,
  0x09, 0x00, 0x20, 0x00, 0x20, 0x01, 0x36, 0x02, 0x00, 0x0b, 0x06, 0x00,
  0x20, 0x00, 0x40, 0x00, 0x0b, 0x04, 0x00, 0x3f, 0x00, 0x0b, 0x0b, 0x00,
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x11, 0x00, 0x00, 0x0b, 0x04, 0x00,
  0x10, 0x0c, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x10, 0x0d, 0x0b, 0x07, 0x00,
  0x03, 0x40, 0x0c, 0x00, 0x0b, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01,
  0x92, 0x0b, 0x05, 0x00, 0x20, 0x00, 0x8c, 0x0b, 0x07, 0x00, 0x20, 0x00,
  0x20, 0x01, 0xa4, 0x0b, 0x06, 0x00, 0x20, 0x01, 0x20, 0x00, 0x0b, 0x1a,
  0x00, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40, 0x20, 0x00, 0x0e, 0x02, 0x00,
  0x01, 0x02, 0x0b, 0x41, 0x0a, 0x0f, 0x0b, 0x41, 0x14, 0x0f, 0x0b, 0x41,
  0x1e, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0b,
  0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfc, 0x0a,
  0x00, 0x00, 0x0b
};
static const unsigned int basic_wasm_len = 567;

/* host.wat (wat2wasm):
   (module
     (import "env" "add3" (func $add3 (param i32 i32 i32) (result i32)))
     (import "env" "fail" (func $fail))
     (import "env" "reenter" (func $reenter (param i32) (result i32)))
     (import "env" "poke" (func $poke (param i32)))
     (memory (export "mem") 1)
     (func (export "call_add3") (param i32 i32 i32) (result i32)
       local.get 0 local.get 1 local.get 2 call $add3 i32.const 1 i32.add)
     (func (export "call_fail") call $fail)
     (func (export "double") (param i32) (result i32)
       local.get 0 i32.const 2 i32.mul)
     (func (export "call_reenter") (param i32) (result i32)
       local.get 0 call $reenter i32.const 1 i32.add)
     (func (export "poke_then_load") (param i32) (result i32)
       local.get 0 call $poke local.get 0 i32.load8_u)
   )
 */

static const unsigned char host_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x14, 0x04, 0x60,
  0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f,
  0x01, 0x7f, 0x60, 0x01, 0x7f, 0x00, 0x02, 0x30, 0x04, 0x03, 0x65, 0x6e,
  0x76, 0x04, 0x61, 0x64, 0x64, 0x33, 0x00, 0x00, 0x03, 0x65, 0x6e, 0x76,
  0x04, 0x66, 0x61, 0x69, 0x6c, 0x00, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x07,
  0x72, 0x65, 0x65, 0x6e, 0x74, 0x65, 0x72, 0x00, 0x02, 0x03, 0x65, 0x6e,
  0x76, 0x04, 0x70, 0x6f, 0x6b, 0x65, 0x00, 0x03, 0x03, 0x06, 0x05, 0x00,
  0x01, 0x02, 0x02, 0x02, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x48, 0x06,
  0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f,
  0x61, 0x64, 0x64, 0x33, 0x00, 0x04, 0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f,
  0x66, 0x61, 0x69, 0x6c, 0x00, 0x05, 0x06, 0x64, 0x6f, 0x75, 0x62, 0x6c,
  0x65, 0x00, 0x06, 0x0c, 0x63, 0x61, 0x6c, 0x6c, 0x5f, 0x72, 0x65, 0x65,
  0x6e, 0x74, 0x65, 0x72, 0x00, 0x07, 0x0e, 0x70, 0x6f, 0x6b, 0x65, 0x5f,
  0x74, 0x68, 0x65, 0x6e, 0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x00, 0x08, 0x0a,
  0x32, 0x05, 0x0d, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x10, 0x00,
  0x41, 0x01, 0x6a, 0x0b, 0x04, 0x00, 0x10, 0x01, 0x0b, 0x07, 0x00, 0x20,
  0x00, 0x41, 0x02, 0x6c, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x10, 0x02, 0x41,
  0x01, 0x6a, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x10, 0x03, 0x20, 0x00, 0x2d,
  0x00, 0x00, 0x0b
};
static const unsigned int host_wasm_len = 219;

/* provider.wat (wat2wasm):
   (module
     (memory (export "mem") 1)
     (global $g (export "g") (mut i32) (i32.const 7))
     (table (export "tab") 2 funcref)
     (elem (i32.const 0) $get)
     (func $get (export "get") (param i32) (result i32)
       local.get 0 i32.load)
     (func (export "set") (param i32 i32)
       local.get 0 local.get 1 i32.store)
     (func (export "grow") (param i32) (result i32)
       local.get 0 memory.grow)
   )
 */

static const unsigned char provider_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0b, 0x02, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x03, 0x04, 0x03,
  0x00, 0x01, 0x00, 0x04, 0x04, 0x01, 0x70, 0x00, 0x02, 0x05, 0x03, 0x01,
  0x00, 0x01, 0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x07, 0x0b, 0x07, 0x24,
  0x06, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x67, 0x03, 0x00, 0x03,
  0x74, 0x61, 0x62, 0x01, 0x00, 0x03, 0x67, 0x65, 0x74, 0x00, 0x00, 0x03,
  0x73, 0x65, 0x74, 0x00, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x02,
  0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00, 0x0a, 0x1a, 0x03,
  0x07, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x09, 0x00, 0x20, 0x00,
  0x20, 0x01, 0x36, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00,
  0x0b
};
static const unsigned int provider_wasm_len = 121;

/* consumer.wat (wat2wasm):
   (module
     (import "p" "get" (func $get (param i32) (result i32)))
     (import "p" "tab" (table 2 funcref))
     (import "p" "g" (global $g (mut i32)))
     (import "p" "grow" (func $grow (param i32) (result i32)))
     (type $i_i (func (param i32) (result i32)))
     (memory 1)
     (data (i32.const 0) "\05\00\00\00")
     (func (export "own_plus_imported") (param i32) (result i32)
       local.get 0 i32.load
       local.get 0 call $get
       i32.add)
     (func (export "indirect") (param i32) (result i32)
       local.get 0 i32.const 0 call_indirect (type $i_i))
     (func (export "bump") (result i32)
       global.get $g i32.const 1 i32.add global.set $g global.get $g)
     (func (export "grow_other_then_load") (param i32) (result i32)
       i32.const 1 call $grow drop local.get 0 i32.load)
   )
 */

static const unsigned char consumer_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0a, 0x02, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x60, 0x00, 0x01, 0x7f, 0x02, 0x23, 0x04, 0x01,
  0x70, 0x03, 0x67, 0x65, 0x74, 0x00, 0x00, 0x01, 0x70, 0x03, 0x74, 0x61,
  0x62, 0x01, 0x70, 0x00, 0x02, 0x01, 0x70, 0x01, 0x67, 0x03, 0x7f, 0x01,
  0x01, 0x70, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, 0x03, 0x05, 0x04,
  0x00, 0x00, 0x01, 0x00, 0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x3e, 0x04,
  0x11, 0x6f, 0x77, 0x6e, 0x5f, 0x70, 0x6c, 0x75, 0x73, 0x5f, 0x69, 0x6d,
  0x70, 0x6f, 0x72, 0x74, 0x65, 0x64, 0x00, 0x02, 0x08, 0x69, 0x6e, 0x64,
  0x69, 0x72, 0x65, 0x63, 0x74, 0x00, 0x03, 0x04, 0x62, 0x75, 0x6d, 0x70,
  0x00, 0x04, 0x14, 0x67, 0x72, 0x6f, 0x77, 0x5f, 0x6f, 0x74, 0x68, 0x65,
  0x72, 0x5f, 0x74, 0x68, 0x65, 0x6e, 0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x00,
  0x05, 0x0a, 0x31, 0x04, 0x0c, 0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x20,
  0x00, 0x10, 0x00, 0x6a, 0x0b, 0x09, 0x00, 0x20, 0x00, 0x41, 0x00, 0x11,
  0x00, 0x00, 0x0b, 0x0b, 0x00, 0x23, 0x00, 0x41, 0x01, 0x6a, 0x24, 0x00,
  0x23, 0x00, 0x0b, 0x0c, 0x00, 0x41, 0x01, 0x10, 0x01, 0x1a, 0x20, 0x00,
  0x28, 0x02, 0x00, 0x0b, 0x0b, 0x0a, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x04,
  0x05, 0x00, 0x00, 0x00
};
static const unsigned int consumer_wasm_len = 196;

/* segs.wat (wat2wasm):
   (module
     (import "env" "mem" (memory 1))
     (data (i32.const 0) "ab")
     (data (i32.const 65535) "cd"))
 */

static const unsigned char segs_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x02, 0x0c, 0x01, 0x03,
  0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00, 0x01, 0x0b, 0x11,
  0x02, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x61, 0x62, 0x00, 0x41, 0xff, 0xff,
  0x03, 0x0b, 0x02, 0x63, 0x64
};
static const unsigned int segs_wasm_len = 41;

/* start_trap.wat (wat2wasm):
   (module
     (import "env" "mem" (memory 1))
     (func $start i32.const 8 i32.const 99 i32.store unreachable)
     (start $start))
 */

static const unsigned char start_trap_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
  0x00, 0x00, 0x02, 0x0c, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x6d, 0x65,
  0x6d, 0x02, 0x00, 0x01, 0x03, 0x02, 0x01, 0x00, 0x08, 0x01, 0x00, 0x0a,
  0x0d, 0x01, 0x0b, 0x00, 0x41, 0x08, 0x41, 0xe3, 0x00, 0x36, 0x02, 0x00,
  0x00, 0x0b
};
static const unsigned int start_trap_wasm_len = 50;

/* need_func.wat (wat2wasm):
   (module (import "env" "f" (func (param i32) (result i32))))
 */

static const unsigned char need_func_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7f, 0x01, 0x7f, 0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01,
  0x66, 0x00, 0x00
};
static const unsigned int need_func_wasm_len = 27;

/* mem64.wat (wat2wasm --enable-memory64):
   (module
     (memory i64 1)
     (func (export "load_high_offset") (param i64) (result i32)
       local.get 0 i32.load offset=0xffffffff)
     (func (export "load") (param i64) (result i32)
       local.get 0 i32.load)
     (func (export "grow") (param i64) (result i64)
       local.get 0 memory.grow)
     (func (export "size") (result i64) memory.size))
 */

static const unsigned char mem64_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x03, 0x60,
  0x01, 0x7e, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x00, 0x01,
  0x7e, 0x03, 0x05, 0x04, 0x00, 0x00, 0x01, 0x02, 0x05, 0x03, 0x01, 0x04,
  0x01, 0x07, 0x29, 0x04, 0x10, 0x6c, 0x6f, 0x61, 0x64, 0x5f, 0x68, 0x69,
  0x67, 0x68, 0x5f, 0x6f, 0x66, 0x66, 0x73, 0x65, 0x74, 0x00, 0x00, 0x04,
  0x6c, 0x6f, 0x61, 0x64, 0x00, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00,
  0x02, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00, 0x03, 0x0a, 0x21, 0x04, 0x0b,
  0x00, 0x20, 0x00, 0x28, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b, 0x07,
  0x00, 0x20, 0x00, 0x28, 0x02, 0x00, 0x0b, 0x06, 0x00, 0x20, 0x00, 0x40,
  0x00, 0x0b, 0x04, 0x00, 0x3f, 0x00, 0x0b
};
static const unsigned int mem64_wasm_len = 115;

/* ---- Helpers ---- */

static cm_module *load(const unsigned char *bytes, unsigned int len) {
  cm_error err;
  cm_module *m = cm_module_new(bytes, len, &err);
  if (!m)
    fail_msg("module does not load: %s", err.message);
  return m;
}

static cm_instance *instantiate(cm_store *s, const cm_module *m,
                                const cm_extern *imports, uint32_t n) {
  cm_error err;
  cm_instance *inst = cm_instantiate(s, m, imports, n, &err);
  if (!inst)
    fail_msg("instantiation failed: %s: %s", cm_status_name(err.status),
             err.message);
  return inst;
}

static cm_func_inst *export_func(const cm_instance *inst, const char *name) {
  cm_extern e;
  if (!cm_instance_export(inst, name, &e) || e.kind != CM_EXTERN_FUNC)
    fail_msg("no exported function %s", name);
  return e.as.func;
}

static cm_val val(uint8_t type, uint64_t bits) {
  cm_val x = {.type = type, .bits = bits};
  return x;
}
static cm_val i32(uint32_t v) { return val(CM_I32, v); }
static cm_val i64(uint64_t v) { return val(CM_I64, v); }
static cm_val f32(uint32_t bits) { return val(CM_F32, bits); }
static cm_val f64(uint64_t bits) { return val(CM_F64, bits); }

/* Invoke and expect success; returns the first result's bits. */
static uint64_t call_ok(cm_store *s, cm_instance *inst, const char *name,
                        const cm_val *args) {
  cm_val results[4];
  cm_error err;
  cm_status st = cm_invoke(s, export_func(inst, name), args, results, &err);
  if (st != CM_OK)
    fail_msg("%s: %s: %s", name, cm_status_name(st), err.message);
  return cm_func_type(export_func(inst, name))->nresults ? results[0].bits
                                                         : 0;
}

/* Invoke and expect a trap of one category. */
static void call_traps(cm_store *s, cm_instance *inst, const char *name,
                       const cm_val *args, cm_trap trap) {
  cm_val results[4];
  cm_error err;
  cm_status st = cm_invoke(s, export_func(inst, name), args, results, &err);
  if (st != CM_TRAP || err.trap != trap)
    fail_msg("%s: expected trap %s, got %s/%s (%s)", name,
             cm_trap_name(trap), cm_status_name(st),
             cm_trap_name(st == CM_TRAP ? err.trap : CM_TRAP_NONE),
             st == CM_OK ? "" : err.message);
}

typedef struct {
  cm_store *store;
  cm_module *module;
  cm_instance *inst;
} fixture;

static int basic_setup(void **state) {
  fixture *f = test_malloc(sizeof *f);
  f->store = cm_store_new(NULL);
  f->module = load(basic_wasm, basic_wasm_len);
  f->inst = instantiate(f->store, f->module, NULL, 0);
  *state = f;
  return 0;
}

static int basic_teardown(void **state) {
  fixture *f = *state;
  cm_store_free(f->store);
  cm_module_free(f->module);
  test_free(f);
  return 0;
}

/* ---- Results ---- */

static void test_add_fac_and_loop(void **state) {
  fixture *f = *state;
  cm_val a[2] = {i32(2), i32(3)};
  assert_int_equal(call_ok(f->store, f->inst, "add", a), 5);
  cm_val wrap[2] = {i32(UINT32_MAX), i32(2)};
  assert_int_equal(call_ok(f->store, f->inst, "add", wrap), 1);
  cm_val n[1] = {i64(20)};
  assert_int_equal(call_ok(f->store, f->inst, "fac", n),
                   UINT64_C(2432902008176640000));
  cm_val h[1] = {i32(100)};
  assert_int_equal(call_ok(f->store, f->inst, "sum", h), 5050);
}

static void test_multi_value_and_br_table(void **state) {
  fixture *f = *state;
  cm_val args[2] = {i32(1), i64(2)};
  cm_val r[2];
  cm_error err;
  assert_int_equal(
      cm_invoke(f->store, export_func(f->inst, "swap"), args, r, &err),
      CM_OK);
  assert_int_equal(r[0].type, CM_I64);
  assert_int_equal(r[0].bits, 2);
  assert_int_equal(r[1].type, CM_I32);
  assert_int_equal(r[1].bits, 1);
  static const uint32_t expect[5] = {10, 20, 30, 30, 30};
  for (uint32_t i = 0; i < 5; i++) {
    cm_val x[1] = {i32(i == 4 ? UINT32_MAX : i)};
    assert_int_equal(call_ok(f->store, f->inst, "br_table", x), expect[i]);
  }
}

/* ---- Traps ---- */

static void test_trap_categories(void **state) {
  fixture *f = *state;
  cm_val zero[2] = {i32(1), i32(0)};
  call_traps(f->store, f->inst, "div_s", zero, CM_TRAP_DIV_ZERO);
  cm_val ovf[2] = {i32(0x80000000u), i32(UINT32_MAX)};
  call_traps(f->store, f->inst, "div_s", ovf, CM_TRAP_INT_OVERFLOW);
  cm_val nan[1] = {f32(0x7fc00000u)};
  call_traps(f->store, f->inst, "trunc", nan, CM_TRAP_INVALID_CONVERSION);
  cm_val big[1] = {f32(0x4f32d05eu)}; /* 3e9 */
  call_traps(f->store, f->inst, "trunc", big, CM_TRAP_INT_OVERFLOW);
  cm_val neg[1] = {f32(0xcf000000u)}; /* -2^31 is representable */
  assert_int_equal(call_ok(f->store, f->inst, "trunc", neg), 0x80000000u);
  call_traps(f->store, f->inst, "unreachable", NULL, CM_TRAP_UNREACHABLE);
  cm_val last[1] = {i32(65532)};
  assert_int_equal(call_ok(f->store, f->inst, "load", last), 0);
  cm_val past[1] = {i32(65533)};
  call_traps(f->store, f->inst, "load", past, CM_TRAP_MEMORY_OOB);
  cm_val zero_addr[1] = {i32(0)};
  assert_int_equal(call_ok(f->store, f->inst, "load_offset", zero_addr), 0);
  cm_val one[1] = {i32(1)};
  call_traps(f->store, f->inst, "load_offset", one, CM_TRAP_MEMORY_OOB);
  cm_val top[1] = {i32(UINT32_MAX)};
  call_traps(f->store, f->inst, "load_offset", top, CM_TRAP_MEMORY_OOB);
  /* Bulk operations check bounds before writing anything. */
  cm_val fill[3] = {i32(65530), i32(0xff), i32(7)};
  call_traps(f->store, f->inst, "fill", fill, CM_TRAP_MEMORY_OOB);
  cm_val at[1] = {i32(65530)};
  assert_int_equal(call_ok(f->store, f->inst, "load", at), 0);
}

static void test_trap_message_names_the_function(void **state) {
  fixture *f = *state;
  cm_error err;
  cm_status st = cm_invoke(f->store, export_func(f->inst, "unreachable"),
                           NULL, NULL, &err);
  assert_int_equal(st, CM_TRAP);
  assert_non_null(strstr(err.message, "unreachable"));
  assert_non_null(strstr(err.message, "function 5"));
}

static void test_call_indirect_traps(void **state) {
  fixture *f = *state;
  cm_val ok[3] = {i32(2), i32(3), i32(0)};
  assert_int_equal(call_ok(f->store, f->inst, "call_indirect", ok), 5);
  cm_val wrong_type[3] = {i32(2), i32(3), i32(1)};
  call_traps(f->store, f->inst, "call_indirect", wrong_type,
             CM_TRAP_INDIRECT_TYPE_MISMATCH);
  cm_val null[3] = {i32(2), i32(3), i32(2)};
  call_traps(f->store, f->inst, "call_indirect", null,
             CM_TRAP_UNINITIALIZED_ELEMENT);
  cm_val out[3] = {i32(2), i32(3), i32(3)};
  call_traps(f->store, f->inst, "call_indirect", out, CM_TRAP_TABLE_OOB);
  cm_val far[3] = {i32(2), i32(3), i32(UINT32_MAX)};
  call_traps(f->store, f->inst, "call_indirect", far, CM_TRAP_TABLE_OOB);
}

/* ---- Exhaustion and limits ---- */

static void test_call_depth_exhaustion_leaves_store_usable(void **state) {
  fixture *f = *state;
  cm_error err;
  cm_status st = cm_invoke(f->store, export_func(f->inst, "runaway"), NULL,
                           NULL, &err);
  assert_int_equal(st, CM_EXHAUSTED);
  assert_non_null(strstr(err.message, "call stack exhausted"));
  cm_val a[2] = {i32(40), i32(2)};
  assert_int_equal(call_ok(f->store, f->inst, "add", a), 42);
  st = cm_invoke(f->store, export_func(f->inst, "runaway"), NULL, NULL,
                 &err);
  assert_int_equal(st, CM_EXHAUSTED);
}

static void test_value_stack_exhaustion(void **state) {
  (void)state;
  cm_store_limits limits = cm_store_default_limits();
  limits.value_stack_size = 1000;
  cm_store *s = cm_store_new(&limits);
  cm_module *m = load(basic_wasm, basic_wasm_len);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  cm_val args[1] = {i32(1)};
  cm_val r[1];
  cm_error err;
  cm_status st =
      cm_invoke(s, export_func(inst, "recurse"), args, r, &err);
  assert_int_equal(st, CM_EXHAUSTED);
  assert_non_null(strstr(err.message, "value stack"));
  cm_val a[2] = {i32(1), i32(2)};
  assert_int_equal(call_ok(s, inst, "add", a), 3);
  cm_store_free(s);
  cm_module_free(m);
}

static void test_call_depth_limit_is_exact(void **state) {
  (void)state;
  cm_store_limits limits = cm_store_default_limits();
  limits.max_call_depth = 25;
  cm_store *s = cm_store_new(&limits);
  cm_module *m = load(basic_wasm, basic_wasm_len);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  /* fac(n) needs n+1 frames. */
  cm_val ok[1] = {i64(24)};
  cm_val r[1];
  cm_error err;
  assert_int_equal(cm_invoke(s, export_func(inst, "fac"), ok, r, &err),
                   CM_OK);
  cm_val deep[1] = {i64(25)};
  assert_int_equal(cm_invoke(s, export_func(inst, "fac"), deep, r, &err),
                   CM_EXHAUSTED);
  cm_store_free(s);
  cm_module_free(m);
}

static void test_instruction_limit(void **state) {
  fixture *f = *state;
  cm_store_set_instruction_limit(f->store, 1000);
  call_traps(f->store, f->inst, "spin", NULL, CM_TRAP_INSTRUCTION_LIMIT);
  uint64_t used = cm_store_instructions(f->store);
  assert_true(used > 1000 && used < 1010);
  /* Counting is deterministic and per invocation. */
  cm_store_set_instruction_limit(f->store, 0);
  cm_val n[1] = {i32(10)};
  assert_int_equal(call_ok(f->store, f->inst, "sum", n), 55);
  uint64_t first = cm_store_instructions(f->store);
  assert_int_equal(call_ok(f->store, f->inst, "sum", n), 55);
  assert_int_equal(cm_store_instructions(f->store), first);
  assert_true(first > 10 * 10);
  /* A limit just above the need lets it finish. */
  cm_store_set_instruction_limit(f->store, first);
  assert_int_equal(call_ok(f->store, f->inst, "sum", n), 55);
  cm_store_set_instruction_limit(f->store, 0);
}

/* ---- Memory from wasm ---- */

static void test_memory_grow_from_wasm(void **state) {
  fixture *f = *state;
  assert_int_equal(call_ok(f->store, f->inst, "size", NULL), 1);
  cm_val one[1] = {i32(1)};
  assert_int_equal(call_ok(f->store, f->inst, "grow", one), 1);
  assert_int_equal(call_ok(f->store, f->inst, "size", NULL), 2);
  /* The declared maximum is 2: -1 as an i32. */
  assert_int_equal(call_ok(f->store, f->inst, "grow", one), UINT32_MAX);
  cm_val st[2] = {i32(65536 + 8), i32(77)};
  call_ok(f->store, f->inst, "store", st);
  cm_val ld[1] = {i32(65536 + 8)};
  assert_int_equal(call_ok(f->store, f->inst, "load", ld), 77);
}

static void test_journal_records_wasm_stores(void **state) {
  fixture *f = *state;
  cm_memory *mem = cm_instance_memory(f->inst);
  assert_non_null(mem);
  cm_val before[2] = {i32(4), i32(1234)};
  call_ok(f->store, f->inst, "store", before);

  cm_memory_journal_begin(mem);
  cm_val a[2] = {i32(0), i32(1)};
  cm_val b[2] = {i32(4), i32(2)};
  cm_val c[2] = {i32(8192), i32(3)};
  call_ok(f->store, f->inst, "store", a);
  call_ok(f->store, f->inst, "store", b);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
  call_ok(f->store, f->inst, "store", c);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 2);
  /* memory.fill over blocks 4..6 and memory.copy into block 9. */
  cm_val fill[3] = {i32(4 * 4096), i32(9), i32(3 * 4096)};
  call_ok(f->store, f->inst, "fill", fill);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 5);
  cm_val copy[3] = {i32(9 * 4096), i32(0), i32(16)};
  call_ok(f->store, f->inst, "copy", copy);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 6);
  /* A grow inside the journal is undone too. */
  cm_val one[1] = {i32(1)};
  assert_int_equal(call_ok(f->store, f->inst, "grow", one), 1);
  cm_memory_journal_rollback(mem);

  assert_int_equal(call_ok(f->store, f->inst, "size", NULL), 1);
  cm_val l0[1] = {i32(0)}, l4[1] = {i32(4)}, l8k[1] = {i32(8192)};
  cm_val lfill[1] = {i32(5 * 4096)}, lcopy[1] = {i32(9 * 4096 + 4)};
  assert_int_equal(call_ok(f->store, f->inst, "load", l0), 0);
  assert_int_equal(call_ok(f->store, f->inst, "load", l4), 1234);
  assert_int_equal(call_ok(f->store, f->inst, "load", l8k), 0);
  assert_int_equal(call_ok(f->store, f->inst, "load", lfill), 0);
  assert_int_equal(call_ok(f->store, f->inst, "load", lcopy), 0);

  /* And commit keeps what was written. */
  cm_memory_journal_begin(mem);
  call_ok(f->store, f->inst, "store", c);
  cm_memory_journal_commit(mem);
  assert_int_equal(call_ok(f->store, f->inst, "load", l8k), 3);
}

/* ---- Floats ---- */

static void test_float_nan_rules(void **state) {
  fixture *f = *state;
  /* Arithmetic gives the canonical NaN, whatever the payload in. */
  cm_val add[2] = {f32(0x7fa00001u), f32(0x3f800000u)};
  assert_int_equal(call_ok(f->store, f->inst, "f32_add", add), 0x7fc00000u);
  cm_val add_neg[2] = {f32(0xffc00000u), f32(0x3f800000u)};
  assert_int_equal(call_ok(f->store, f->inst, "f32_add", add_neg),
                   0x7fc00000u);
  /* inf - inf makes a NaN from numbers: canonical too. */
  cm_val infs[2] = {f32(0x7f800000u), f32(0xff800000u)};
  assert_int_equal(call_ok(f->store, f->inst, "f32_add", infs), 0x7fc00000u);
  /* neg is a bit operation: the payload stays. */
  cm_val neg[1] = {f32(0x7fa00001u)};
  assert_int_equal(call_ok(f->store, f->inst, "f32_neg", neg), 0xffa00001u);
  /* min: -0 < +0, NaN wins. */
  cm_val zeros[2] = {f64(0), f64(UINT64_C(0x8000000000000000))};
  assert_int_equal(call_ok(f->store, f->inst, "f64_min", zeros),
                   UINT64_C(0x8000000000000000));
  cm_val with_nan[2] = {f64(UINT64_C(0x3ff0000000000000)),
                        f64(UINT64_C(0x7ff0000000000001))};
  assert_int_equal(call_ok(f->store, f->inst, "f64_min", with_nan),
                   UINT64_C(0x7ff8000000000000));
}

/* ---- Invocation checks ---- */

static void test_invoke_checks_argument_types(void **state) {
  fixture *f = *state;
  cm_val wrong[2] = {i64(1), i32(2)};
  cm_val r[1];
  cm_error err;
  assert_int_not_equal(
      cm_invoke(f->store, export_func(f->inst, "add"), wrong, r, &err),
      CM_OK);
  assert_non_null(strstr(err.message, "argument 0"));
  /* High bits of an i32 argument are ignored. */
  cm_val dirty[2] = {val(CM_I32, UINT64_C(0xffffffff00000001)), i32(1)};
  assert_int_equal(call_ok(f->store, f->inst, "add", dirty), 2);
}

static void test_exports_lookup(void **state) {
  fixture *f = *state;
  cm_extern e;
  assert_true(cm_instance_export(f->inst, "add", &e));
  assert_int_equal(e.kind, CM_EXTERN_FUNC);
  assert_int_equal(cm_func_type(e.as.func)->nparams, 2);
  assert_false(cm_instance_export(f->inst, "no such export", &e));
  assert_ptr_equal(cm_instance_module(f->inst), f->module);
}

/* ---- Host functions ---- */

typedef struct {
  cm_store *store;
  cm_instance *inst; /* the instance expected as caller */
  cm_func_inst *callback;
  int calls;
  bool caller_ok;
} host_env;

static cm_status host_add3(void *env, cm_instance *caller,
                           const uint64_t *args, uint64_t *results,
                           cm_error *err) {
  (void)err;
  host_env *h = env;
  h->calls++;
  h->caller_ok = caller == h->inst;
  results[0] = (uint32_t)(args[0] + args[1] + args[2]);
  return CM_OK;
}

static cm_status host_fail(void *env, cm_instance *caller,
                           const uint64_t *args, uint64_t *results,
                           cm_error *err) {
  (void)env; (void)caller; (void)args; (void)results;
  err->host_code = 42;
  return cm_fail(err, CM_TRAP, CM_TRAP_HOST, "the host says no");
}

/* Calls back into wasm: results[0] = double(args[0]). */
static cm_status host_reenter(void *env, cm_instance *caller,
                              const uint64_t *args, uint64_t *results,
                              cm_error *err) {
  (void)caller;
  host_env *h = env;
  cm_val in[1] = {i32((uint32_t)args[0])};
  cm_val out[1];
  cm_status st = cm_invoke(h->store, h->callback, in, out, err);
  if (st != CM_OK)
    return st;
  results[0] = out[0].bits;
  return CM_OK;
}

/* Writes 0x2a at args[0] in the caller's memory, as ic0 functions do. */
static cm_status host_poke(void *env, cm_instance *caller,
                           const uint64_t *args, uint64_t *results,
                           cm_error *err) {
  (void)env; (void)results;
  cm_memory *mem = cm_instance_memory(caller);
  if (!mem || !cm_memory_will_write(mem, args[0], 1))
    return cm_fail(err, CM_TRAP, CM_TRAP_MEMORY_OOB, "poke out of bounds");
  cm_memory_data(mem)[args[0]] = 0x2a;
  return CM_OK;
}

typedef struct {
  cm_store *store;
  cm_module *module;
  cm_instance *inst;
  host_env env;
  cm_func_inst *add3;
} host_fixture;

static int host_setup(void **state) {
  host_fixture *h = test_calloc(1, sizeof *h);
  h->store = cm_store_new(NULL);
  h->module = load(host_wasm, host_wasm_len);
  static const uint8_t iii[3] = {CM_I32, CM_I32, CM_I32};
  static const uint8_t i[1] = {CM_I32};
  cm_functype t_add3 = {3, 1, (uint8_t *)iii, (uint8_t *)i};
  cm_functype t_void = {0, 0, NULL, NULL};
  cm_functype t_i_i = {1, 1, (uint8_t *)i, (uint8_t *)i};
  cm_functype t_i = {1, 0, (uint8_t *)i, NULL};
  h->env.store = h->store;
  h->add3 = cm_host_func_new(h->store, &t_add3, host_add3, &h->env);
  cm_extern imports[4];
  imports[0].kind = CM_EXTERN_FUNC;
  imports[0].as.func = h->add3;
  imports[1].kind = CM_EXTERN_FUNC;
  imports[1].as.func = cm_host_func_new(h->store, &t_void, host_fail, NULL);
  imports[2].kind = CM_EXTERN_FUNC;
  imports[2].as.func =
      cm_host_func_new(h->store, &t_i_i, host_reenter, &h->env);
  imports[3].kind = CM_EXTERN_FUNC;
  imports[3].as.func = cm_host_func_new(h->store, &t_i, host_poke, NULL);
  h->inst = instantiate(h->store, h->module, imports, 4);
  h->env.inst = h->inst;
  h->env.callback = export_func(h->inst, "double");
  *state = h;
  return 0;
}

static int host_teardown(void **state) {
  host_fixture *h = *state;
  cm_store_free(h->store);
  cm_module_free(h->module);
  test_free(h);
  return 0;
}

static void test_host_function_gets_args_and_caller(void **state) {
  host_fixture *h = *state;
  cm_val args[3] = {i32(1), i32(2), i32(3)};
  assert_int_equal(call_ok(h->store, h->inst, "call_add3", args), 7);
  assert_int_equal(h->env.calls, 1);
  assert_true(h->env.caller_ok);
  /* Invoked directly from the host, the caller is NULL. */
  cm_val r[1];
  cm_error err;
  assert_int_equal(cm_invoke(h->store, h->add3, args, r, &err), CM_OK);
  assert_int_equal(r[0].bits, 6);
  assert_false(h->env.caller_ok);
}

static void test_host_trap_propagates_with_code(void **state) {
  host_fixture *h = *state;
  cm_error err;
  cm_status st = cm_invoke(h->store, export_func(h->inst, "call_fail"), NULL,
                           NULL, &err);
  assert_int_equal(st, CM_TRAP);
  assert_int_equal(err.trap, CM_TRAP_HOST);
  assert_int_equal(err.host_code, 42);
  cm_val args[3] = {i32(1), i32(1), i32(1)};
  assert_int_equal(call_ok(h->store, h->inst, "call_add3", args), 4);
}

static void test_host_reenters_wasm(void **state) {
  host_fixture *h = *state;
  cm_val args[1] = {i32(5)};
  assert_int_equal(call_ok(h->store, h->inst, "call_reenter", args), 11);
  /* The nested invocation's instructions count in the outer one. */
  uint64_t with_nested = cm_store_instructions(h->store);
  assert_int_equal(call_ok(h->store, h->inst, "double", args), 10);
  assert_true(with_nested > cm_store_instructions(h->store));
}

static void test_host_writes_caller_memory_through_journal(void **state) {
  host_fixture *h = *state;
  cm_memory *mem = cm_instance_memory(h->inst);
  cm_val at[1] = {i32(100)};
  cm_memory_journal_begin(mem);
  assert_int_equal(call_ok(h->store, h->inst, "poke_then_load", at), 0x2a);
  assert_int_equal(cm_memory_journal_saved_blocks(mem), 1);
  cm_memory_journal_rollback(mem);
  assert_int_equal(cm_memory_data(mem)[100], 0);
  cm_val past[1] = {i32(65536)};
  call_traps(h->store, h->inst, "poke_then_load", past, CM_TRAP_MEMORY_OOB);
}

static void test_host_reentry_nesting_is_bounded(void **state) {
  host_fixture *h = *state;
  /* call_reenter -> host -> call_reenter -> host -> ... */
  h->env.callback = export_func(h->inst, "call_reenter");
  cm_val args[1] = {i32(1)};
  cm_val r[1];
  cm_error err;
  cm_status st = cm_invoke(h->store, h->env.callback, args, r, &err);
  assert_int_equal(st, CM_EXHAUSTED);
  h->env.callback = export_func(h->inst, "double");
  assert_int_equal(call_ok(h->store, h->inst, "call_reenter", args), 3);
}

/* ---- Numerics (numeric.h directly) ---- */

static void test_int_to_float_conversions_round_once(void **state) {
  (void)state;
  /* Cases where rounding through double first would differ. */
  assert_int_equal(cm_f32_convert_i64_s(UINT64_C(9223371212221054977)),
                   0x5effffffu);
  uint64_t negative = 0 - UINT64_C(9223371761976868863);
  assert_int_equal(cm_f32_convert_i64_s(negative), 0xdeffffffu);
  assert_int_equal(cm_f32_convert_i64_s(UINT64_C(9007199791611905)),
                   0x5a000001u);
  assert_int_equal(cm_f32_convert_i64_u(UINT64_C(18446742424442109953)),
                   0x5f7fffffu);
  /* Ties go to even. */
  assert_int_equal(cm_f32_convert_i32_u(16777217u), 0x4b800000u);
  assert_int_equal(cm_f32_convert_i32_u(16777219u), 0x4b800002u);
  assert_int_equal(cm_f32_convert_i64_s(UINT64_C(0x8000000000000000)),
                   0xdf000000u);
  assert_int_equal(cm_f32_convert_i32_s(0x80000000u), 0xcf000000u);
  assert_int_equal(cm_f64_convert_i64_u(UINT64_MAX),
                   UINT64_C(0x43f0000000000000));
  assert_int_equal(cm_f64_convert_i64_u((UINT64_C(1) << 53) + 1),
                   UINT64_C(0x4340000000000000));
  assert_int_equal(cm_f64_convert_i64_u((UINT64_C(1) << 53) + 3),
                   UINT64_C(0x4340000000000002));
  assert_int_equal(cm_f64_convert_i64_s(UINT64_C(0x8000000000000000)),
                   UINT64_C(0xc3e0000000000000));
  assert_int_equal(cm_f32_convert_i64_u(0), 0);
}

static void test_integer_edge_cases(void **state) {
  (void)state;
  uint32_t r32 = 1;
  assert_int_equal(cm_i32_rem_s(0x80000000u, UINT32_MAX, &r32),
                   CM_TRAP_NONE);
  assert_int_equal(r32, 0);
  assert_int_equal(cm_i32_div_s(0x80000000u, UINT32_MAX, &r32),
                   CM_TRAP_INT_OVERFLOW);
  uint64_t r64 = 1;
  assert_int_equal(cm_i64_rem_s(UINT64_C(0x8000000000000000), UINT64_MAX,
                                &r64),
                   CM_TRAP_NONE);
  assert_int_equal(r64, 0);
  assert_int_equal(cm_i64_div_u(1, 0, &r64), CM_TRAP_DIV_ZERO);
  assert_int_equal(cm_i32_shl(1, 33), 2);
  assert_int_equal(cm_i32_shr_s(0x80000000u, 31), UINT32_MAX);
  assert_int_equal(cm_i64_shr_s(UINT64_C(0x8000000000000000), 64),
                   UINT64_C(0x8000000000000000));
  assert_int_equal(cm_i32_rotl(0x80000001u, 1), 3);
  assert_int_equal(cm_i64_rotr(1, 65), UINT64_C(0x8000000000000000));
  assert_int_equal(cm_i32_clz(0), 32);
  assert_int_equal(cm_i64_ctz(0), 64);
  assert_int_equal(cm_i64_popcnt(UINT64_MAX), 64);
  assert_int_equal(cm_i32_trunc_sat_f32_s(0x7fc00000u), 0);
  assert_int_equal(cm_i32_trunc_sat_f32_s(0x7f800000u), 0x7fffffffu);
  assert_int_equal(cm_i64_trunc_sat_f64_u(UINT64_C(0xfff0000000000000)), 0);
  assert_int_equal(cm_i64_trunc_sat_f64_u(UINT64_C(0x7ff0000000000000)),
                   UINT64_MAX);
  /* nearest: ties to even; min/max of zeros. */
  assert_int_equal(cm_f64_nearest(UINT64_C(0x4004000000000000)), /* 2.5 */
                   UINT64_C(0x4000000000000000));
  assert_int_equal(cm_f32_nearest(0xbf000000u), 0x80000000u); /* -0.5 */
  assert_int_equal(cm_f32_max(0x80000000u, 0), 0);
  assert_int_equal(cm_f32_min(0, 0x80000000u), 0x80000000u);
  /* copysign and abs keep payloads. */
  assert_int_equal(cm_f32_copysign(0x7fa00001u, 0x80000000u), 0xffa00001u);
  assert_int_equal(cm_f64_abs(UINT64_C(0xfff0000000000001)),
                   UINT64_C(0x7ff0000000000001));
}

/* ---- Across instances ---- */

static void test_cross_instance_calls(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *pm = load(provider_wasm, provider_wasm_len);
  cm_module *cmod = load(consumer_wasm, consumer_wasm_len);
  cm_instance *p = instantiate(s, pm, NULL, 0);
  cm_val set[2] = {i32(0), i32(100)};
  call_ok(s, p, "set", set);
  cm_extern imports[4];
  assert_true(cm_instance_export(p, "get", &imports[0]));
  assert_true(cm_instance_export(p, "tab", &imports[1]));
  assert_true(cm_instance_export(p, "g", &imports[2]));
  assert_true(cm_instance_export(p, "grow", &imports[3]));
  cm_instance *c = instantiate(s, cmod, imports, 4);
  cm_val zero[1] = {i32(0)};
  /* 5 from the consumer's memory, 100 from the provider's. */
  assert_int_equal(call_ok(s, c, "own_plus_imported", zero), 105);
  /* Through the shared table, the provider's function sees its memory. */
  assert_int_equal(call_ok(s, c, "indirect", zero), 100);
  assert_int_equal(call_ok(s, c, "bump", NULL), 8);
  cm_extern g;
  assert_true(cm_instance_export(p, "g", &g));
  assert_int_equal(cm_global_get(g.as.global).bits, 8);
  /* After the provider grows its memory, the consumer still reads its own. */
  assert_int_equal(call_ok(s, c, "grow_other_then_load", zero), 5);
  assert_int_equal(cm_memory_pages(cm_instance_memory(p)), 2);
  assert_int_equal(cm_memory_pages(cm_instance_memory(c)), 1);
  cm_store_free(s);
  cm_module_free(pm);
  cm_module_free(cmod);
}

/* ---- Instantiation failures ---- */

static cm_status host_identity(void *env, cm_instance *caller,
                               const uint64_t *args, uint64_t *results,
                               cm_error *err) {
  (void)env; (void)caller; (void)err;
  results[0] = args[0];
  return CM_OK;
}

static void test_unlinkable_imports_are_named(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(need_func_wasm, need_func_wasm_len);
  static const uint8_t i64t[1] = {CM_I64};
  static const uint8_t i32t[1] = {CM_I32};
  cm_functype wrong = {1, 1, (uint8_t *)i64t, (uint8_t *)i64t};
  cm_functype right = {1, 1, (uint8_t *)i32t, (uint8_t *)i32t};
  cm_extern e;
  e.kind = CM_EXTERN_FUNC;
  e.as.func = cm_host_func_new(s, &wrong, host_identity, NULL);
  cm_error err;
  assert_null(cm_instantiate(s, m, &e, 1, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  assert_non_null(strstr(err.message, "\"env\" \"f\""));
  /* Wrong kind. */
  cm_limits l = {1, 0, false, false};
  cm_extern mem;
  mem.kind = CM_EXTERN_MEMORY;
  mem.as.memory = cm_memory_new(s, &l);
  assert_null(cm_instantiate(s, m, &mem, 1, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  /* Wrong count, and NULL objects, are unlinkable rather than crashes. */
  assert_null(cm_instantiate(s, m, NULL, 0, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  cm_extern null_func;
  null_func.kind = CM_EXTERN_FUNC;
  null_func.as.func = NULL;
  assert_null(cm_instantiate(s, m, &null_func, 1, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  /* The right type links. */
  e.as.func = cm_host_func_new(s, &right, host_identity, NULL);
  assert_non_null(cm_instantiate(s, m, &e, 1, &err));
  cm_store_free(s);
  cm_module_free(m);
}

static void test_memory_import_limits_subtyping(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(segs_wasm, segs_wasm_len);
  cm_error err;
  cm_limits empty = {0, 0, false, false};
  cm_extern e;
  e.kind = CM_EXTERN_MEMORY;
  e.as.memory = cm_memory_new(s, &empty); /* 0 pages < 1 wanted */
  assert_null(cm_instantiate(s, m, &e, 1, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  cm_limits l64 = {1, 0, false, true};
  e.as.memory = cm_memory_new(s, &l64); /* memory64 for a 32-bit import */
  assert_null(cm_instantiate(s, m, &e, 1, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  cm_store_free(s);
  cm_module_free(m);
}

static void test_segment_trap_keeps_earlier_writes(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(segs_wasm, segs_wasm_len);
  cm_limits l = {1, 0, false, false};
  cm_extern e;
  e.kind = CM_EXTERN_MEMORY;
  e.as.memory = cm_memory_new(s, &l);
  cm_error err;
  assert_null(cm_instantiate(s, m, &e, 1, &err));
  assert_int_equal(err.status, CM_UNINSTANTIABLE);
  assert_int_equal(err.trap, CM_TRAP_MEMORY_OOB);
  const uint8_t *d = cm_memory_data(e.as.memory);
  assert_int_equal(d[0], 'a');
  assert_int_equal(d[1], 'b');
  assert_int_equal(d[65535], 0); /* the failing segment wrote nothing */
  /* With two pages both segments fit. */
  assert_int_equal(cm_memory_grow(e.as.memory, 1), 1);
  assert_non_null(cm_instantiate(s, m, &e, 1, &err));
  assert_int_equal(cm_memory_data(e.as.memory)[65536], 'd');
  cm_store_free(s);
  cm_module_free(m);
}

static void test_start_trap_is_uninstantiable(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(start_trap_wasm, start_trap_wasm_len);
  assert_true(cm_module_has_start(m));
  cm_limits l = {1, 0, false, false};
  cm_extern e;
  e.kind = CM_EXTERN_MEMORY;
  e.as.memory = cm_memory_new(s, &l);
  cm_error err;
  assert_null(cm_instantiate(s, m, &e, 1, &err));
  assert_int_equal(err.status, CM_UNINSTANTIABLE);
  assert_int_equal(err.trap, CM_TRAP_UNREACHABLE);
  assert_int_equal(cm_memory_data(e.as.memory)[8], 99);
  /* Split: the instance exists before start runs. */
  cm_instance *inst = cm_instantiate_no_start(s, m, &e, 1, &err);
  assert_non_null(inst);
  assert_int_equal(cm_run_start(inst, &err), CM_UNINSTANTIABLE);
  assert_int_equal(err.trap, CM_TRAP_UNREACHABLE);
  cm_store_free(s);
  cm_module_free(m);
}

/* ---- memory64 ---- */

static void test_memory64_bounds_and_grow(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(mem64_wasm, mem64_wasm_len);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  assert_true(cm_memory_is64(cm_instance_memory(inst)));
  /* address + offset overflows 64 bits: out of bounds, not a wrap. */
  cm_val high[1] = {i64(UINT64_MAX - 10)};
  call_traps(s, inst, "load_high_offset", high, CM_TRAP_MEMORY_OOB);
  cm_val ok[1] = {i64(65532)};
  assert_int_equal(call_ok(s, inst, "load", ok), 0);
  cm_val past[1] = {i64(65533)};
  call_traps(s, inst, "load", past, CM_TRAP_MEMORY_OOB);
  cm_val huge_addr[1] = {i64(UINT64_C(1) << 40)};
  call_traps(s, inst, "load", huge_addr, CM_TRAP_MEMORY_OOB);
  cm_val one[1] = {i64(1)};
  assert_int_equal(call_ok(s, inst, "grow", one), 1);
  assert_int_equal(call_ok(s, inst, "size", NULL), 2);
  /* Past the platform maximum: -1 as an i64. */
  cm_val huge[1] = {i64(UINT64_C(1) << 40)};
  assert_int_equal(call_ok(s, inst, "grow", huge), UINT64_MAX);
  cm_store_free(s);
  cm_module_free(m);
}

/* ---- Tail calls ---- */

/* tail.wat (wat2wasm --enable-tail-call):
   (module
     (type $ll_l (func (param i64 i64) (result i64)))
     (import "env" "add" (func $add (param i64 i64) (result i64)))
     (table 5 funcref)
     (elem (i32.const 0) $count $even)
     (elem (i32.const 3) $count_ind $add)
     (func $count (export "count") (param $n i64) (param $acc i64) (result i64)
       (if (result i64) (i64.eqz (local.get $n))
         (then (local.get $acc))
         (else (return_call $count (i64.sub (local.get $n) (i64.const 1))
                                   (i64.add (local.get $acc) (i64.const 1))))))
     (func $count_call (export "count_call") (param $n i64) (param $acc i64)
       (result i64)
       (if (result i64) (i64.eqz (local.get $n))
         (then (local.get $acc))
         (else (call $count_call (i64.sub (local.get $n) (i64.const 1))
                                 (i64.add (local.get $acc) (i64.const 1))))))
     (func (export "count_plus_100") (param $n i64) (result i64)
       (i64.add (i64.const 100) (call $count (local.get $n) (i64.const 0))))
     (func $even (export "even") (param $n i64) (result i32)
       (if (result i32) (i64.eqz (local.get $n))
         (then (i32.const 1))
         (else (return_call $odd (i64.sub (local.get $n) (i64.const 1))))))
     (func $odd (export "odd") (param $n i64) (result i32)
       (local $pad1 i64) (local $pad2 i64) (local $pad3 i64)
       (if (result i32) (i64.eqz (local.get $n))
         (then (i32.const 0))
         (else (return_call $even (i64.sub (local.get $n) (i64.const 1))))))
     (func $count_ind (export "count_ind") (param $n i64) (param $acc i64)
       (result i64)
       (if (result i64) (i64.eqz (local.get $n))
         (then (local.get $acc))
         (else (return_call_indirect (type $ll_l)
                 (i64.sub (local.get $n) (i64.const 1))
                 (i64.add (local.get $acc) (i64.const 1))
                 (i32.const 3)))))
     (func (export "through_slot") (param $slot i32) (param $n i64) (result i64)
       (return_call_indirect (type $ll_l) (local.get $n) (i64.const 0)
         (local.get $slot)))
     (func $host_tail (export "host_tail") (param i64 i64) (result i64)
       (local i32 i32)
       (return_call $add (local.get 0) (local.get 1)))
     (func (export "via_host") (param i64) (result i64)
       (i64.mul (call $host_tail (local.get 0) (i64.const 1)) (i64.const 2)))
     (func $spin (export "spin") (return_call $spin))
   )
 */
static const unsigned char tail_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x1a, 0x05, 0x60,
  0x02, 0x7e, 0x7e, 0x01, 0x7e, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x01,
  0x7e, 0x01, 0x7f, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7e, 0x60, 0x00, 0x00,
  0x02, 0x0b, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x03, 0x61, 0x64, 0x64, 0x00,
  0x00, 0x03, 0x0b, 0x0a, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x03, 0x00,
  0x01, 0x04, 0x04, 0x04, 0x01, 0x70, 0x00, 0x05, 0x07, 0x6d, 0x0a, 0x05,
  0x63, 0x6f, 0x75, 0x6e, 0x74, 0x00, 0x01, 0x0a, 0x63, 0x6f, 0x75, 0x6e,
  0x74, 0x5f, 0x63, 0x61, 0x6c, 0x6c, 0x00, 0x02, 0x0e, 0x63, 0x6f, 0x75,
  0x6e, 0x74, 0x5f, 0x70, 0x6c, 0x75, 0x73, 0x5f, 0x31, 0x30, 0x30, 0x00,
  0x03, 0x04, 0x65, 0x76, 0x65, 0x6e, 0x00, 0x04, 0x03, 0x6f, 0x64, 0x64,
  0x00, 0x05, 0x09, 0x63, 0x6f, 0x75, 0x6e, 0x74, 0x5f, 0x69, 0x6e, 0x64,
  0x00, 0x06, 0x0c, 0x74, 0x68, 0x72, 0x6f, 0x75, 0x67, 0x68, 0x5f, 0x73,
  0x6c, 0x6f, 0x74, 0x00, 0x07, 0x09, 0x68, 0x6f, 0x73, 0x74, 0x5f, 0x74,
  0x61, 0x69, 0x6c, 0x00, 0x08, 0x08, 0x76, 0x69, 0x61, 0x5f, 0x68, 0x6f,
  0x73, 0x74, 0x00, 0x09, 0x04, 0x73, 0x70, 0x69, 0x6e, 0x00, 0x0a, 0x09,
  0x0f, 0x02, 0x00, 0x41, 0x00, 0x0b, 0x02, 0x01, 0x04, 0x00, 0x41, 0x03,
  0x0b, 0x02, 0x06, 0x00, 0x0a, 0xa9, 0x01, 0x0a, 0x17, 0x00, 0x20, 0x00,
  0x50, 0x04, 0x7e, 0x20, 0x01, 0x05, 0x20, 0x00, 0x42, 0x01, 0x7d, 0x20,
  0x01, 0x42, 0x01, 0x7c, 0x12, 0x01, 0x0b, 0x0b, 0x17, 0x00, 0x20, 0x00,
  0x50, 0x04, 0x7e, 0x20, 0x01, 0x05, 0x20, 0x00, 0x42, 0x01, 0x7d, 0x20,
  0x01, 0x42, 0x01, 0x7c, 0x10, 0x02, 0x0b, 0x0b, 0x0c, 0x00, 0x42, 0xe4,
  0x00, 0x20, 0x00, 0x42, 0x00, 0x10, 0x01, 0x7c, 0x0b, 0x12, 0x00, 0x20,
  0x00, 0x50, 0x04, 0x7f, 0x41, 0x01, 0x05, 0x20, 0x00, 0x42, 0x01, 0x7d,
  0x12, 0x05, 0x0b, 0x0b, 0x14, 0x01, 0x03, 0x7e, 0x20, 0x00, 0x50, 0x04,
  0x7f, 0x41, 0x00, 0x05, 0x20, 0x00, 0x42, 0x01, 0x7d, 0x12, 0x04, 0x0b,
  0x0b, 0x1a, 0x00, 0x20, 0x00, 0x50, 0x04, 0x7e, 0x20, 0x01, 0x05, 0x20,
  0x00, 0x42, 0x01, 0x7d, 0x20, 0x01, 0x42, 0x01, 0x7c, 0x41, 0x03, 0x13,
  0x00, 0x00, 0x0b, 0x0b, 0x0b, 0x00, 0x20, 0x01, 0x42, 0x00, 0x20, 0x00,
  0x13, 0x00, 0x00, 0x0b, 0x0a, 0x01, 0x02, 0x7f, 0x20, 0x00, 0x20, 0x01,
  0x12, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x42, 0x01, 0x10, 0x08, 0x42,
  0x02, 0x7e, 0x0b, 0x04, 0x00, 0x12, 0x0a, 0x0b
};

static cm_status host_add_i64(void *env, cm_instance *caller,
                              const uint64_t *args, uint64_t *results,
                              cm_error *err) {
  (void)err;
  int *calls = env;
  (*calls)++;
  assert_non_null(caller); /* the tail call still names its instance */
  results[0] = args[0] + args[1];
  return CM_OK;
}

typedef struct {
  cm_store *store;
  cm_module *module;
  cm_instance *inst;
  int host_calls;
  cm_module *other; /* a second module instantiated in the store */
} tail_fixture;

/* The tail module in a store of 64 value-stack cells and depth 4: enough
 * for any one of its frames, far too little for a chain of calls. */
static int tail_setup(void **state) {
  tail_fixture *t = test_calloc(1, sizeof *t);
  cm_store_limits limits = cm_store_default_limits();
  limits.value_stack_size = 64;
  limits.max_call_depth = 4;
  t->store = cm_store_new(&limits);
  t->module = load(tail_wasm, sizeof tail_wasm);
  static const uint8_t ll[2] = {CM_I64, CM_I64};
  cm_functype t_add = {2, 1, (uint8_t *)ll, (uint8_t *)ll};
  cm_extern imports[1];
  imports[0].kind = CM_EXTERN_FUNC;
  imports[0].as.func =
      cm_host_func_new(t->store, &t_add, host_add_i64, &t->host_calls);
  t->inst = instantiate(t->store, t->module, imports, 1);
  *state = t;
  return 0;
}

static int tail_teardown(void **state) {
  tail_fixture *t = *state;
  cm_store_free(t->store);
  cm_module_free(t->module);
  if (t->other)
    cm_module_free(t->other);
  test_free(t);
  return 0;
}

static void test_tail_call_feature_is_reported(void **state) {
  tail_fixture *t = *state;
  assert_true(cm_module_features(t->module) & CM_FEATURE_TAIL_CALL);
  assert_false(cm_module_features(t->module) & CM_FEATURE_TABLE64);
  cm_module *m = load(basic_wasm, basic_wasm_len);
  assert_false(cm_module_features(m) & CM_FEATURE_TAIL_CALL);
  cm_module_free(m);
}

/* 10,000,000 self tail calls in 64 cells and 4 frames: the callee takes
 * over the caller's frame. The same loop with `call` runs out. */
static void test_tail_recursion_runs_in_constant_space(void **state) {
  tail_fixture *t = *state;
  cm_val args[2] = {i64(10000000), i64(0)};
  assert_int_equal(call_ok(t->store, t->inst, "count", args), 10000000);
  cm_val r[1];
  cm_error err;
  cm_val few[2] = {i64(10), i64(0)};
  cm_status st = cm_invoke(t->store, export_func(t->inst, "count_call"), few,
                           r, &err);
  assert_int_equal(st, CM_EXHAUSTED);
  /* the store is still usable, and a tail-calling callee returns to its
   * caller's caller with the right result */
  cm_val n[1] = {i64(1000)};
  assert_int_equal(call_ok(t->store, t->inst, "count_plus_100", n), 1100);
  cm_val zero[2] = {i64(0), i64(5)};
  assert_int_equal(call_ok(t->store, t->inst, "count", zero), 5);
}

/* even and odd tail-call each other; odd has more locals than even, so
 * the shared frame changes size on every call. */
static void test_mutual_tail_recursion(void **state) {
  tail_fixture *t = *state;
  cm_val big[1] = {i64(1000001)};
  assert_int_equal(call_ok(t->store, t->inst, "even", big), 0);
  assert_int_equal(call_ok(t->store, t->inst, "odd", big), 1);
  cm_val zero[1] = {i64(0)};
  assert_int_equal(call_ok(t->store, t->inst, "even", zero), 1);
  assert_int_equal(call_ok(t->store, t->inst, "odd", zero), 0);
}

static void test_return_call_indirect(void **state) {
  tail_fixture *t = *state;
  cm_val loop[2] = {i64(1000000), i64(0)};
  assert_int_equal(call_ok(t->store, t->inst, "count_ind", loop), 1000000);
  cm_val slot0[2] = {i32(0), i64(123)}; /* $count */
  assert_int_equal(call_ok(t->store, t->inst, "through_slot", slot0), 123);
  cm_val slot4[2] = {i32(4), i64(40)}; /* the host's add: 40 + 0 */
  assert_int_equal(call_ok(t->store, t->inst, "through_slot", slot4), 40);
  cm_val wrong[2] = {i32(1), i64(1)}; /* $even: [i64] -> [i32] */
  call_traps(t->store, t->inst, "through_slot", wrong,
             CM_TRAP_INDIRECT_TYPE_MISMATCH);
  cm_val null[2] = {i32(2), i64(1)};
  call_traps(t->store, t->inst, "through_slot", null,
             CM_TRAP_UNINITIALIZED_ELEMENT);
  cm_val out[2] = {i32(5), i64(1)};
  call_traps(t->store, t->inst, "through_slot", out, CM_TRAP_TABLE_OOB);
  cm_val far[2] = {i32(UINT32_MAX), i64(1)};
  call_traps(t->store, t->inst, "through_slot", far, CM_TRAP_TABLE_OOB);
}

/* A tail call to a host function is a call followed by return. */
static void test_tail_call_to_host_function(void **state) {
  tail_fixture *t = *state;
  cm_val args[2] = {i64(3), i64(4)};
  assert_int_equal(call_ok(t->store, t->inst, "host_tail", args), 7);
  assert_int_equal(t->host_calls, 1);
  cm_val x[1] = {i64(20)};
  assert_int_equal(call_ok(t->store, t->inst, "via_host", x), 42);
  assert_int_equal(t->host_calls, 2);
}

/* Tail calls count and are checked against the limit as calls are: a
 * loop made of nothing but return_call stops at the limit. */
static void test_tail_calls_meet_the_instruction_limit(void **state) {
  tail_fixture *t = *state;
  cm_store_set_instruction_limit(t->store, 100000);
  call_traps(t->store, t->inst, "spin", NULL, CM_TRAP_INSTRUCTION_LIMIT);
  uint64_t used = cm_store_instructions(t->store);
  assert_true(used > 100000 && used < 100010);
  cm_store_set_instruction_limit(t->store, 0);
  /* one more iteration costs the same fixed number of instructions */
  cm_val a10[2] = {i64(10), i64(0)}, a11[2] = {i64(11), i64(0)},
         a20[2] = {i64(20), i64(0)};
  call_ok(t->store, t->inst, "count", a10);
  uint64_t n10 = cm_store_instructions(t->store);
  call_ok(t->store, t->inst, "count", a11);
  uint64_t n11 = cm_store_instructions(t->store);
  call_ok(t->store, t->inst, "count", a20);
  uint64_t n20 = cm_store_instructions(t->store);
  assert_true(n11 > n10);
  assert_int_equal(n20 - n10, 10 * (n11 - n10));
}

/* tail_cross.wat (wat2wasm --enable-tail-call): a tail call into another
 * instance, whose return lands back in this one.
   (module
     (import "tail" "count" (func $count (param i64 i64) (result i64)))
     (memory 1)
     (data (i32.const 8) "\2a")
     (func $go (param i64) (result i64)
       (return_call $count (local.get 0) (i64.const 0)))
     (func (export "go_then_load") (param i64) (result i64)
       (i64.add (call $go (local.get 0)) (i64.load8_u (i32.const 8)))))
 */
static const unsigned char tail_cross_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0c, 0x02, 0x60,
  0x02, 0x7e, 0x7e, 0x01, 0x7e, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x02, 0x0e,
  0x01, 0x04, 0x74, 0x61, 0x69, 0x6c, 0x05, 0x63, 0x6f, 0x75, 0x6e, 0x74,
  0x00, 0x00, 0x03, 0x03, 0x02, 0x01, 0x01, 0x05, 0x03, 0x01, 0x00, 0x01,
  0x07, 0x10, 0x01, 0x0c, 0x67, 0x6f, 0x5f, 0x74, 0x68, 0x65, 0x6e, 0x5f,
  0x6c, 0x6f, 0x61, 0x64, 0x00, 0x02, 0x0a, 0x17, 0x02, 0x08, 0x00, 0x20,
  0x00, 0x42, 0x00, 0x12, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x10, 0x01,
  0x41, 0x08, 0x31, 0x00, 0x00, 0x7c, 0x0b, 0x0b, 0x07, 0x01, 0x00, 0x41,
  0x08, 0x0b, 0x01, 0x2a
};

static void test_tail_call_into_another_instance(void **state) {
  tail_fixture *t = *state;
  t->other = load(tail_cross_wasm, sizeof tail_cross_wasm);
  cm_extern imports[1];
  assert_true(cm_instance_export(t->inst, "count", &imports[0]));
  cm_instance *other = instantiate(t->store, t->other, imports, 1);
  /* count(1000) in the tail instance (which has no memory), then a load
   * from this instance's memory: 1000 + 42 */
  cm_val n[1] = {i64(1000)};
  assert_int_equal(call_ok(t->store, other, "go_then_load", n), 1042);
}

/* ---- 64-bit tables (memory64's table64 part) ---- */

/* table64: written by hand (wabt 1.0.32 has no text syntax for it):
   (module
     (type $v_l (func (result i64)))
     (table $t (export "t") i64 4 10 funcref)   ;; table 0
     (table $u 2 funcref)                       ;; table 1, 32-bit
     (elem (table $t) (i64.const 1) func $seven $eight)
     (elem $e func $seven $eight)               ;; passive, segment 1
     (func $seven (export "seven") (result i64) i64.const 7)
     (func $eight (export "eight") (result i64) i64.const 8)
     (func (export "size") (result i64) table.size $t)
     (func (export "grow") (param i64) (result i64)
       ref.null func local.get 0 table.grow $t)
     (func (export "grow32") (param i32) (result i32)
       ref.null func local.get 0 table.grow $u)
     (func (export "call") (param i64) (result i64)
       local.get 0 call_indirect $t (type $v_l))
     (func (export "tail") (param i64) (result i64)
       local.get 0 return_call_indirect $t (type $v_l))
     (func (export "is_null") (param i64) (result i32)
       local.get 0 table.get $t ref.is_null)
     (func (export "set_null") (param i64)
       local.get 0 ref.null func table.set $t)
     (func (export "fill") (param i64 i64)
       local.get 0 ref.func $seven local.get 1 table.fill $t)
     (func (export "copy_64_32") (param i64 i32 i32)
       local.get 0 local.get 1 local.get 2 table.copy $t $u)
     (func (export "copy_32_64") (param i32 i64 i32)
       local.get 0 local.get 1 local.get 2 table.copy $u $t)
     (func (export "init") (param i64 i32 i32)
       local.get 0 local.get 1 local.get 2 table.init $t $e)
     (func (export "is_null32") (param i32) (result i32)
       local.get 0 table.get $u ref.is_null))
 */
static const unsigned char table64_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x2d, 0x09, 0x60,
  0x00, 0x01, 0x7e, 0x60, 0x01, 0x7e, 0x01, 0x7e, 0x60, 0x01, 0x7f, 0x01,
  0x7f, 0x60, 0x01, 0x7e, 0x01, 0x7f, 0x60, 0x01, 0x7e, 0x00, 0x60, 0x02,
  0x7e, 0x7e, 0x00, 0x60, 0x03, 0x7e, 0x7f, 0x7f, 0x00, 0x60, 0x03, 0x7f,
  0x7e, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7e, 0x03, 0x0f, 0x0e, 0x00, 0x00,
  0x08, 0x01, 0x02, 0x01, 0x01, 0x03, 0x04, 0x05, 0x06, 0x07, 0x06, 0x02,
  0x04, 0x08, 0x02, 0x70, 0x05, 0x04, 0x0a, 0x70, 0x00, 0x02, 0x07, 0x83,
  0x01, 0x0f, 0x05, 0x73, 0x65, 0x76, 0x65, 0x6e, 0x00, 0x00, 0x05, 0x65,
  0x69, 0x67, 0x68, 0x74, 0x00, 0x01, 0x04, 0x73, 0x69, 0x7a, 0x65, 0x00,
  0x02, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x03, 0x06, 0x67, 0x72, 0x6f,
  0x77, 0x33, 0x32, 0x00, 0x04, 0x04, 0x63, 0x61, 0x6c, 0x6c, 0x00, 0x05,
  0x04, 0x74, 0x61, 0x69, 0x6c, 0x00, 0x06, 0x07, 0x69, 0x73, 0x5f, 0x6e,
  0x75, 0x6c, 0x6c, 0x00, 0x07, 0x08, 0x73, 0x65, 0x74, 0x5f, 0x6e, 0x75,
  0x6c, 0x6c, 0x00, 0x08, 0x04, 0x66, 0x69, 0x6c, 0x6c, 0x00, 0x09, 0x0a,
  0x63, 0x6f, 0x70, 0x79, 0x5f, 0x36, 0x34, 0x5f, 0x33, 0x32, 0x00, 0x0a,
  0x0a, 0x63, 0x6f, 0x70, 0x79, 0x5f, 0x33, 0x32, 0x5f, 0x36, 0x34, 0x00,
  0x0b, 0x04, 0x69, 0x6e, 0x69, 0x74, 0x00, 0x0c, 0x09, 0x69, 0x73, 0x5f,
  0x6e, 0x75, 0x6c, 0x6c, 0x33, 0x32, 0x00, 0x0d, 0x01, 0x74, 0x01, 0x00,
  0x09, 0x0f, 0x02, 0x02, 0x00, 0x42, 0x01, 0x0b, 0x00, 0x02, 0x00, 0x01,
  0x01, 0x00, 0x02, 0x00, 0x01, 0x0a, 0x81, 0x01, 0x0e, 0x04, 0x00, 0x42,
  0x07, 0x0b, 0x04, 0x00, 0x42, 0x08, 0x0b, 0x05, 0x00, 0xfc, 0x10, 0x00,
  0x0b, 0x09, 0x00, 0xd0, 0x70, 0x20, 0x00, 0xfc, 0x0f, 0x00, 0x0b, 0x09,
  0x00, 0xd0, 0x70, 0x20, 0x00, 0xfc, 0x0f, 0x01, 0x0b, 0x07, 0x00, 0x20,
  0x00, 0x11, 0x00, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x13, 0x00, 0x00,
  0x0b, 0x07, 0x00, 0x20, 0x00, 0x25, 0x00, 0xd1, 0x0b, 0x08, 0x00, 0x20,
  0x00, 0xd0, 0x70, 0x26, 0x00, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0xd2, 0x00,
  0x20, 0x01, 0xfc, 0x11, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20, 0x01,
  0x20, 0x02, 0xfc, 0x0e, 0x00, 0x01, 0x0b, 0x0c, 0x00, 0x20, 0x00, 0x20,
  0x01, 0x20, 0x02, 0xfc, 0x0e, 0x01, 0x00, 0x0b, 0x0c, 0x00, 0x20, 0x00,
  0x20, 0x01, 0x20, 0x02, 0xfc, 0x0c, 0x01, 0x00, 0x0b, 0x07, 0x00, 0x20,
  0x00, 0x25, 0x01, 0xd1, 0x0b
};

/* (table i64 1 0xffffffffffffffff funcref) and
   (func (export "grow") (param i64) (result i64)
     ref.null func local.get 0 table.grow 0) */
static const unsigned char table64_max_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x06, 0x01, 0x60,
  0x01, 0x7e, 0x01, 0x7e, 0x03, 0x02, 0x01, 0x00, 0x04, 0x0e, 0x01, 0x70,
  0x05, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
  0x07, 0x08, 0x01, 0x04, 0x67, 0x72, 0x6f, 0x77, 0x00, 0x00, 0x0a, 0x0b,
  0x01, 0x09, 0x00, 0xd0, 0x70, 0x20, 0x00, 0xfc, 0x0f, 0x00, 0x0b
};

/* (table i64 0x10000000000 funcref) (func): valid, but beyond the
 * platform's CM_MAX_TABLE_ELEMS */
static const unsigned char table64_huge_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
  0x00, 0x00, 0x03, 0x02, 0x01, 0x00, 0x04, 0x09, 0x01, 0x70, 0x04, 0x80,
  0x80, 0x80, 0x80, 0x80, 0x20, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b
};

/* (import "env" "t" (table i64 1 funcref))
   (import "env" "u" (table 1 funcref)) (func) */
static const unsigned char table64_import_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60,
  0x00, 0x00, 0x02, 0x15, 0x02, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x74, 0x01,
  0x70, 0x04, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x75, 0x01, 0x70, 0x00,
  0x01, 0x03, 0x02, 0x01, 0x00, 0x0a, 0x04, 0x01, 0x02, 0x00, 0x0b
};

#define BIT32 (UINT64_C(1) << 32)

static void test_table64_access_and_calls(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(table64_wasm, sizeof table64_wasm);
  assert_true(cm_module_features(m) & CM_FEATURE_TABLE64);
  assert_false(cm_module_features(m) & CM_FEATURE_MEMORY64);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  assert_int_equal(call_ok(s, inst, "size", NULL), 4);
  cm_val a[1] = {i64(0)};
  assert_int_equal(call_ok(s, inst, "is_null", a), 1);
  call_traps(s, inst, "call", a, CM_TRAP_UNINITIALIZED_ELEMENT);
  a[0] = i64(1); /* the active segment wrote slots 1 and 2 */
  assert_int_equal(call_ok(s, inst, "is_null", a), 0);
  assert_int_equal(call_ok(s, inst, "call", a), 7);
  a[0] = i64(2);
  assert_int_equal(call_ok(s, inst, "call", a), 8);
  assert_int_equal(call_ok(s, inst, "tail", a), 8);
  /* an index that only a truncation to 32 bits would bring in bounds */
  a[0] = i64(BIT32 + 1);
  call_traps(s, inst, "call", a, CM_TRAP_TABLE_OOB);
  call_traps(s, inst, "tail", a, CM_TRAP_TABLE_OOB);
  call_traps(s, inst, "is_null", a, CM_TRAP_TABLE_OOB);
  call_traps(s, inst, "set_null", a, CM_TRAP_TABLE_OOB);
  a[0] = i64(4);
  call_traps(s, inst, "call", a, CM_TRAP_TABLE_OOB);
  a[0] = i64(1);
  call_ok(s, inst, "set_null", a);
  assert_int_equal(call_ok(s, inst, "is_null", a), 1);
  /* the table is exported with its index type */
  cm_extern e;
  assert_true(cm_instance_export(inst, "t", &e));
  assert_true(e.as.table->limits.is64);
  cm_store_free(s);
  cm_module_free(m);
}

/* ---- SIMD: v128 values in cells ---- */

/* simd.wat (wat2wasm):
   (module
     (import "host" "mix" (func $mix (param i32 v128 i64) (result v128 i32)))
     (memory 1)
     (global $g (export "g") (mut v128) (v128.const i32x4 1 2 3 4))
     (func $pass (param i32 v128 i64) (result i64 v128 i32)
       local.get 2 local.get 1 local.get 0)
     (func (export "through_call") (param v128) (result v128) (local i64 v128)
       i32.const 7 local.get 0 i64.const 9 call $pass
       drop local.set 2 local.set 1
       block (result v128)
         local.get 2
         local.get 1 i64.const 9 i64.eq br_if 0
         drop v128.const i64x2 0 0
       end)
     (func (export "global_swap") (param v128) (result v128)
       global.get $g local.get 0 global.set $g)
     (func (export "call_host") (param v128) (result v128 i32)
       i32.const 5 local.get 0 i64.const 6 call $mix)
     (func (export "store_load") (param i32 v128) (result v128)
       local.get 0 local.get 1 v128.store offset=1
       local.get 0 v128.load offset=1)
     (func (export "lane3") (param v128) (result i32)
       local.get 0 i32x4.extract_lane 3))
 */
static const unsigned char simd_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x28, 0x06, 0x60,
  0x03, 0x7f, 0x7b, 0x7e, 0x02, 0x7b, 0x7f, 0x60, 0x03, 0x7f, 0x7b, 0x7e,
  0x03, 0x7e, 0x7b, 0x7f, 0x60, 0x01, 0x7b, 0x01, 0x7b, 0x60, 0x01, 0x7b,
  0x02, 0x7b, 0x7f, 0x60, 0x02, 0x7f, 0x7b, 0x01, 0x7b, 0x60, 0x01, 0x7b,
  0x01, 0x7f, 0x02, 0x0c, 0x01, 0x04, 0x68, 0x6f, 0x73, 0x74, 0x03, 0x6d,
  0x69, 0x78, 0x00, 0x00, 0x03, 0x07, 0x06, 0x01, 0x02, 0x02, 0x03, 0x04,
  0x05, 0x05, 0x03, 0x01, 0x00, 0x01, 0x06, 0x16, 0x01, 0x7b, 0x01, 0xfd,
  0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00,
  0x00, 0x04, 0x00, 0x00, 0x00, 0x0b, 0x07, 0x43, 0x06, 0x01, 0x67, 0x03,
  0x00, 0x0c, 0x74, 0x68, 0x72, 0x6f, 0x75, 0x67, 0x68, 0x5f, 0x63, 0x61,
  0x6c, 0x6c, 0x00, 0x02, 0x0b, 0x67, 0x6c, 0x6f, 0x62, 0x61, 0x6c, 0x5f,
  0x73, 0x77, 0x61, 0x70, 0x00, 0x03, 0x09, 0x63, 0x61, 0x6c, 0x6c, 0x5f,
  0x68, 0x6f, 0x73, 0x74, 0x00, 0x04, 0x0a, 0x73, 0x74, 0x6f, 0x72, 0x65,
  0x5f, 0x6c, 0x6f, 0x61, 0x64, 0x00, 0x05, 0x05, 0x6c, 0x61, 0x6e, 0x65,
  0x33, 0x00, 0x06, 0x0a, 0x6a, 0x06, 0x08, 0x00, 0x20, 0x02, 0x20, 0x01,
  0x20, 0x00, 0x0b, 0x32, 0x02, 0x01, 0x7e, 0x01, 0x7b, 0x41, 0x07, 0x20,
  0x00, 0x42, 0x09, 0x10, 0x01, 0x1a, 0x21, 0x02, 0x21, 0x01, 0x02, 0x7b,
  0x20, 0x02, 0x20, 0x01, 0x42, 0x09, 0x51, 0x0d, 0x00, 0x1a, 0xfd, 0x0c,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x0b, 0x0b, 0x08, 0x00, 0x23, 0x00, 0x20, 0x00,
  0x24, 0x00, 0x0b, 0x0a, 0x00, 0x41, 0x05, 0x20, 0x00, 0x42, 0x06, 0x10,
  0x00, 0x0b, 0x10, 0x00, 0x20, 0x00, 0x20, 0x01, 0xfd, 0x0b, 0x04, 0x01,
  0x20, 0x00, 0xfd, 0x00, 0x04, 0x01, 0x0b, 0x07, 0x00, 0x20, 0x00, 0xfd,
  0x1b, 0x03, 0x0b
};
static const unsigned int simd_wasm_len = 279;

static cm_val v128(uint64_t lo, uint64_t hi) {
  cm_val x = {.type = CM_V128, .bits = lo, .bits_hi = hi};
  return x;
}

/* host "mix" (i32 v128 i64) -> (v128 i32): the v128 takes args[1..2] and
 * results[0..1], the others one cell each. */
static cm_status host_mix(void *env, cm_instance *caller, const uint64_t *args,
                          uint64_t *results, cm_error *err) {
  (void)env, (void)caller, (void)err;
  results[0] = args[1] + args[0];
  results[1] = args[2] + args[3];
  results[2] = (uint32_t)(args[3] * 10);
  return CM_OK;
}

static void expect_v128(const cm_val *got, uint64_t lo, uint64_t hi) {
  assert_int_equal(got->type, CM_V128);
  assert_int_equal(got->bits, lo);
  assert_int_equal(got->bits_hi, hi);
}

static void test_simd_values_through_calls_globals_and_host(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(simd_wasm, simd_wasm_len);
  assert_true(cm_module_features(m) & CM_FEATURE_SIMD);
  static const uint8_t params[3] = {CM_I32, CM_V128, CM_I64};
  static const uint8_t results[2] = {CM_V128, CM_I32};
  cm_functype t = {.nparams = 3,
                   .nresults = 2,
                   .params = (uint8_t *)params,
                   .results = (uint8_t *)results};
  cm_extern imp;
  imp.kind = CM_EXTERN_FUNC;
  imp.as.func = cm_host_func_new(s, &t, host_mix, NULL);
  cm_instance *inst = instantiate(s, m, &imp, 1);
  const uint64_t lo = UINT64_C(0x0123456789abcdef);
  const uint64_t hi = UINT64_C(0xfedcba9876543210);
  cm_val v = v128(lo, hi), r[2];
  cm_error err;

  /* a call with values around the v128, a br_if carrying it */
  assert_int_equal(
      cm_invoke(s, export_func(inst, "through_call"), &v, r, &err), CM_OK);
  expect_v128(&r[0], lo, hi);
  assert_int_equal(call_ok(s, inst, "lane3", &v), 0xfedcba98u);

  /* a mutable v128 global, from wasm and from the host */
  cm_extern g;
  assert_true(cm_instance_export(inst, "g", &g));
  cm_val old = cm_global_get(g.as.global);
  expect_v128(&old, UINT64_C(0x0000000200000001), UINT64_C(0x0000000400000003));
  assert_int_equal(
      cm_invoke(s, export_func(inst, "global_swap"), &v, r, &err), CM_OK);
  expect_v128(&r[0], old.bits, old.bits_hi);
  cm_val now = cm_global_get(g.as.global);
  expect_v128(&now, lo, hi);
  cm_global_set(g.as.global, v128(5, 6));
  assert_int_equal(
      cm_invoke(s, export_func(inst, "global_swap"), &v, r, &err), CM_OK);
  expect_v128(&r[0], 5, 6);

  /* the host function called from wasm, then directly */
  assert_int_equal(cm_invoke(s, export_func(inst, "call_host"), &v, r, &err),
                   CM_OK);
  expect_v128(&r[0], lo + 5, hi + 6);
  assert_int_equal(r[1].type, CM_I32);
  assert_int_equal(r[1].bits, 60);
  cm_val host_args[3] = {i32(1), v, i64(2)};
  assert_int_equal(cm_invoke(s, imp.as.func, host_args, r, &err), CM_OK);
  expect_v128(&r[0], lo + 1, hi + 2);
  assert_int_equal(r[1].bits, 20);

  /* v128.store and v128.load: little-endian, bounds of all 16 bytes */
  cm_val at[2] = {i32(65519), v};
  assert_int_equal(cm_invoke(s, export_func(inst, "store_load"), at, r, &err),
                   CM_OK);
  expect_v128(&r[0], lo, hi);
  const uint8_t *mem = cm_memory_data(cm_instance_memory(inst));
  assert_int_equal(mem[65520], 0xef);
  assert_int_equal(mem[65535], 0xfe);
  at[0] = i32(65520);
  call_traps(s, inst, "store_load", at, CM_TRAP_MEMORY_OOB);

  /* an i64 where the v128 goes is refused */
  cm_val wrong = i64(lo);
  assert_int_equal(cm_invoke(s, export_func(inst, "lane3"), &wrong, r, &err),
                   CM_TRAP);
  cm_store_free(s);
  cm_module_free(m);
}

/* simd64.wat (wat2wasm --enable-memory64):
   (module
     (memory i64 1)
     (func (export "load") (param i64) (result v128)
       local.get 0 v128.load offset=16)
     (func (export "store_lane") (param i64 v128)
       local.get 0 local.get 1 v128.store64_lane offset=8 1))
 */
static const unsigned char simd64_wasm[] = {
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0b, 0x02, 0x60,
  0x01, 0x7e, 0x01, 0x7b, 0x60, 0x02, 0x7e, 0x7b, 0x00, 0x03, 0x03, 0x02,
  0x00, 0x01, 0x05, 0x03, 0x01, 0x04, 0x01, 0x07, 0x15, 0x02, 0x04, 0x6c,
  0x6f, 0x61, 0x64, 0x00, 0x00, 0x0a, 0x73, 0x74, 0x6f, 0x72, 0x65, 0x5f,
  0x6c, 0x61, 0x6e, 0x65, 0x00, 0x01, 0x0a, 0x16, 0x02, 0x08, 0x00, 0x20,
  0x00, 0xfd, 0x00, 0x04, 0x10, 0x0b, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01,
  0xfd, 0x5b, 0x03, 0x08, 0x01, 0x0b
};
static const unsigned int simd64_wasm_len = 78;

/* SIMD accesses take the same bounds path as the others: all 16 bytes (or
 * the lane's) inside, address + offset never wrapping. */
/* A tail call carries v128 arguments (two cells each) into the reused
 * frame, directly and through a table. tail-v128.wat (wat2wasm
 * --enable-tail-call):
   (module
     (func $loop (export "loop") (param $n i32) (param $acc v128)
                 (param $k i64) (result v128 i64)
       (if (i32.eqz (local.get $n))
         (then (return (local.get $acc) (local.get $k))))
       (return_call $loop (i32.sub (local.get $n) (i32.const 1))
         (i32x4.add (local.get $acc) (v128.const i32x4 1 2 3 4))
         (i64.add (local.get $k) (i64.const 1))))
     (type $t (func (param i32 v128 i64) (result v128 i64)))
     (table 1 funcref) (elem (i32.const 0) $loop)
     (func (export "ind") (param $n i32) (result v128 i64)
       (return_call_indirect (type $t) (local.get $n)
         (v128.const i32x4 0 0 0 0) (i64.const 5) (i32.const 0))))
*/
static const unsigned char tail_v128_wasm[] = {
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x0f, 0x02, 0x60,
    0x03, 0x7f, 0x7b, 0x7e, 0x02, 0x7b, 0x7e, 0x60, 0x01, 0x7f, 0x02, 0x7b,
    0x7e, 0x03, 0x03, 0x02, 0x00, 0x01, 0x04, 0x04, 0x01, 0x70, 0x00, 0x01,
    0x07, 0x0e, 0x02, 0x04, 0x6c, 0x6f, 0x6f, 0x70, 0x00, 0x00, 0x03, 0x69,
    0x6e, 0x64, 0x00, 0x01, 0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01,
    0x00, 0x0a, 0x50, 0x02, 0x30, 0x00, 0x20, 0x00, 0x45, 0x04, 0x40, 0x20,
    0x01, 0x20, 0x02, 0x0f, 0x0b, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x20, 0x01,
    0xfd, 0x0c, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x03, 0x00,
    0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xfd, 0xae, 0x01, 0x20, 0x02, 0x42,
    0x01, 0x7c, 0x12, 0x00, 0x0b, 0x1d, 0x00, 0x20, 0x00, 0xfd, 0x0c, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x42, 0x05, 0x41, 0x00, 0x13, 0x00, 0x00, 0x0b,
};

static void test_tail_call_moves_v128_arguments(void **state) {
  (void)state;
  cm_store_limits limits = cm_store_default_limits();
  limits.max_call_depth = 4; /* a chain of tail calls needs no depth */
  cm_store *s = cm_store_new(&limits);
  cm_module *m = load(tail_v128_wasm, sizeof tail_v128_wasm);
  assert_true(cm_module_features(m) & CM_FEATURE_SIMD);
  assert_true(cm_module_features(m) & CM_FEATURE_TAIL_CALL);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  cm_val r[2];
  cm_error err;
  cm_val args[3] = {i32(1000000), v128(0, 0), i64(7)};
  assert_int_equal(cm_invoke(s, export_func(inst, "loop"), args, r, &err),
                   CM_OK);
  /* lanes 1,2,3,4 added a million times */
  expect_v128(&r[0], UINT64_C(0x001e8480000f4240),
              UINT64_C(0x003d0900002dc6c0));
  assert_int_equal(r[1].bits, 1000007);
  cm_val ten[1] = {i32(10)};
  assert_int_equal(cm_invoke(s, export_func(inst, "ind"), ten, r, &err),
                   CM_OK);
  expect_v128(&r[0], UINT64_C(0x000000140000000a),
              UINT64_C(0x000000280000001e));
  assert_int_equal(r[1].bits, 15);
  cm_store_free(s);
  cm_module_free(m);
}

static void test_simd_memory64_bounds(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(simd64_wasm, simd64_wasm_len);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  uint8_t *mem = cm_memory_data(cm_instance_memory(inst));
  mem[65535] = 0xab;
  cm_val r[1];
  cm_error err;
  cm_val last[1] = {i64(65536 - 32)}; /* + offset 16: the last 16 bytes */
  assert_int_equal(cm_invoke(s, export_func(inst, "load"), last, r, &err),
                   CM_OK);
  expect_v128(&r[0], 0, UINT64_C(0xab00000000000000));
  cm_val past[1] = {i64(65536 - 31)};
  call_traps(s, inst, "load", past, CM_TRAP_MEMORY_OOB);
  cm_val wrap[1] = {i64(UINT64_MAX - 8)};
  call_traps(s, inst, "load", wrap, CM_TRAP_MEMORY_OOB);
  /* lane 1 (bytes 8..15) of the v128 to [address + 8, + 8) */
  cm_val lane[2] = {i64(65536 - 16),
                    v128(UINT64_C(0x1111111111111111),
                         UINT64_C(0x0807060504030201))};
  assert_int_equal(
      cm_invoke(s, export_func(inst, "store_lane"), lane, NULL, &err), CM_OK);
  assert_int_equal(mem[65528], 0x01);
  assert_int_equal(mem[65535], 0x08);
  lane[0] = i64(65536 - 15);
  call_traps(s, inst, "store_lane", lane, CM_TRAP_MEMORY_OOB);
  assert_int_equal(mem[65535], 0x08); /* nothing written */
  cm_store_free(s);
  cm_module_free(m);
}

static void test_table64_grow_and_size(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(table64_wasm, sizeof table64_wasm);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  cm_val d[1] = {i64(3)};
  assert_int_equal(call_ok(s, inst, "grow", d), 4);
  assert_int_equal(call_ok(s, inst, "size", NULL), 7);
  d[0] = i64(4); /* 11 > max 10: -1 as an i64 */
  assert_true(call_ok(s, inst, "grow", d) == UINT64_MAX);
  d[0] = i64(BIT32 + 1); /* not 1 after a truncation */
  assert_true(call_ok(s, inst, "grow", d) == UINT64_MAX);
  d[0] = i64(0);
  assert_int_equal(call_ok(s, inst, "grow", d), 7);
  /* the 32-bit table's failure stays an i32 -1 */
  cm_val d32[1] = {i32(UINT32_MAX)};
  assert_int_equal(call_ok(s, inst, "grow32", d32), UINT32_MAX);
  d32[0] = i32(1);
  assert_int_equal(call_ok(s, inst, "grow32", d32), 2);
  cm_store_free(s);
  cm_module_free(m);

  /* a declared maximum of 2^64-1 does not overflow the platform limit */
  s = cm_store_new(NULL);
  m = load(table64_max_wasm, sizeof table64_max_wasm);
  inst = instantiate(s, m, NULL, 0);
  d[0] = i64(CM_MAX_TABLE_ELEMS);
  assert_true(call_ok(s, inst, "grow", d) == UINT64_MAX);
  d[0] = i64(UINT64_MAX);
  assert_true(call_ok(s, inst, "grow", d) == UINT64_MAX);
  d[0] = i64(CM_MAX_TABLE_ELEMS - 1);
  assert_int_equal(call_ok(s, inst, "grow", d), 1);
  d[0] = i64(1);
  assert_true(call_ok(s, inst, "grow", d) == UINT64_MAX);
  cm_store_free(s);
  cm_module_free(m);

  /* a minimum beyond it fails to instantiate, with a reason */
  s = cm_store_new(NULL);
  m = load(table64_huge_wasm, sizeof table64_huge_wasm);
  cm_error err;
  assert_null(cm_instantiate(s, m, NULL, 0, &err));
  assert_int_equal(err.status, CM_NO_MEMORY);
  assert_non_null(strstr(err.message, "platform maximum"));
  cm_store_free(s);
  cm_module_free(m);
}

static void test_table64_bulk_operations(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(table64_wasm, sizeof table64_wasm);
  cm_instance *inst = instantiate(s, m, NULL, 0);
  cm_val g[1] = {i64(3)};
  call_ok(s, inst, "grow", g); /* size 7 */
  cm_val fill[2] = {i64(4), i64(3)};
  call_ok(s, inst, "fill", fill);
  cm_val a[1] = {i64(6)};
  assert_int_equal(call_ok(s, inst, "call", a), 7);
  fill[0] = i64(5); /* 5 + 3 > 7 */
  call_traps(s, inst, "fill", fill, CM_TRAP_TABLE_OOB);
  fill[0] = i64(BIT32 + 4);
  fill[1] = i64(0);
  call_traps(s, inst, "fill", fill, CM_TRAP_TABLE_OOB);
  /* 64 <- 32: table 1 is all null */
  cm_val c1[3] = {i64(1), i32(0), i32(2)};
  call_ok(s, inst, "copy_64_32", c1);
  a[0] = i64(2);
  assert_int_equal(call_ok(s, inst, "is_null", a), 1);
  c1[0] = i64(BIT32);
  c1[2] = i32(0);
  call_traps(s, inst, "copy_64_32", c1, CM_TRAP_TABLE_OOB);
  /* 32 <- 64 */
  cm_val c2[3] = {i32(0), i64(5), i32(2)};
  call_ok(s, inst, "copy_32_64", c2);
  cm_val z[1] = {i32(1)};
  assert_int_equal(call_ok(s, inst, "is_null32", z), 0);
  c2[1] = i64(BIT32 + 5);
  call_traps(s, inst, "copy_32_64", c2, CM_TRAP_TABLE_OOB);
  /* init from the passive segment at a 64-bit destination */
  cm_val init[3] = {i64(0), i32(0), i32(2)};
  call_ok(s, inst, "init", init);
  a[0] = i64(0);
  assert_int_equal(call_ok(s, inst, "call", a), 7);
  a[0] = i64(1);
  assert_int_equal(call_ok(s, inst, "call", a), 8);
  init[0] = i64(BIT32);
  init[2] = i32(0);
  call_traps(s, inst, "init", init, CM_TRAP_TABLE_OOB);
  cm_store_free(s);
  cm_module_free(m);
}

/* A table import matches only a table of the same index type. */
static void test_table64_import_matching(void **state) {
  (void)state;
  cm_store *s = cm_store_new(NULL);
  cm_module *m = load(table64_import_wasm, sizeof table64_import_wasm);
  assert_true(cm_module_features(m) & CM_FEATURE_TABLE64);
  cm_limits l64 = {1, 0, false, true}, l32 = {1, 0, false, false};
  cm_table *t64 = cm_table_new(s, CM_FUNCREF, &l64);
  cm_table *t32 = cm_table_new(s, CM_FUNCREF, &l32);
  cm_extern imports[2];
  imports[0].kind = imports[1].kind = CM_EXTERN_TABLE;
  imports[0].as.table = t64;
  imports[1].as.table = t32;
  cm_error err;
  assert_non_null(cm_instantiate(s, m, imports, 2, &err));
  imports[0].as.table = t32; /* i32 table for the i64 import */
  assert_null(cm_instantiate(s, m, imports, 2, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  assert_non_null(strstr(err.message, "\"env\" \"t\""));
  assert_non_null(strstr(err.message, "i64"));
  imports[0].as.table = t64;
  imports[1].as.table = t64; /* i64 table for the i32 import */
  assert_null(cm_instantiate(s, m, imports, 2, &err));
  assert_int_equal(err.status, CM_UNLINKABLE);
  assert_non_null(strstr(err.message, "\"env\" \"u\""));
  cm_store_free(s);
  cm_module_free(m);
}

#undef BIT32

int main(void) {
  const struct CMUnitTest tests[] = {
#define BASIC(t) cmocka_unit_test_setup_teardown(t, basic_setup, basic_teardown)
#define HOST(t) cmocka_unit_test_setup_teardown(t, host_setup, host_teardown)
#define TAIL(t) cmocka_unit_test_setup_teardown(t, tail_setup, tail_teardown)
      BASIC(test_add_fac_and_loop),
      BASIC(test_multi_value_and_br_table),
      BASIC(test_trap_categories),
      BASIC(test_trap_message_names_the_function),
      BASIC(test_call_indirect_traps),
      BASIC(test_call_depth_exhaustion_leaves_store_usable),
      cmocka_unit_test(test_value_stack_exhaustion),
      cmocka_unit_test(test_call_depth_limit_is_exact),
      BASIC(test_instruction_limit),
      BASIC(test_memory_grow_from_wasm),
      BASIC(test_journal_records_wasm_stores),
      BASIC(test_float_nan_rules),
      BASIC(test_invoke_checks_argument_types),
      BASIC(test_exports_lookup),
      HOST(test_host_function_gets_args_and_caller),
      HOST(test_host_trap_propagates_with_code),
      HOST(test_host_reenters_wasm),
      HOST(test_host_writes_caller_memory_through_journal),
      HOST(test_host_reentry_nesting_is_bounded),
      cmocka_unit_test(test_int_to_float_conversions_round_once),
      cmocka_unit_test(test_integer_edge_cases),
      cmocka_unit_test(test_cross_instance_calls),
      cmocka_unit_test(test_unlinkable_imports_are_named),
      cmocka_unit_test(test_memory_import_limits_subtyping),
      cmocka_unit_test(test_segment_trap_keeps_earlier_writes),
      cmocka_unit_test(test_start_trap_is_uninstantiable),
      cmocka_unit_test(test_memory64_bounds_and_grow),
      TAIL(test_tail_call_feature_is_reported),
      TAIL(test_tail_recursion_runs_in_constant_space),
      TAIL(test_mutual_tail_recursion),
      TAIL(test_return_call_indirect),
      TAIL(test_tail_call_to_host_function),
      TAIL(test_tail_calls_meet_the_instruction_limit),
      TAIL(test_tail_call_into_another_instance),
      cmocka_unit_test(test_table64_access_and_calls),
      cmocka_unit_test(test_table64_grow_and_size),
      cmocka_unit_test(test_table64_bulk_operations),
      cmocka_unit_test(test_table64_import_matching),
      cmocka_unit_test(test_simd_values_through_calls_globals_and_host),
      cmocka_unit_test(test_simd_memory64_bounds),
      cmocka_unit_test(test_tail_call_moves_v128_arguments),
#undef BASIC
#undef HOST
#undef TAIL
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
