(vector "a taken snapshot holds mutable f64 and v128 globals with their type and every bit, and loading it restores them"
  (rules SNAP-1 SNAP-2)
  (requires snapshot-data simd)
  (tags snapshots simd)
  (notes "A snapshot holds the values of the globals that are exported or"
         "mutable (management-canister.md); the globals of the snapshot"
         "metadata are a variant of i32, i64, f32, f64 and v128 (ic.did,"
         "0.47.0), so neither a float nor a vector global is left out, and a"
         "v128 global keeps its high 64 bits."))

(module $c
  (memory 1)
  (global $f (mut f64) (f64.const 1.5))
  (global $v (mut v128) (v128.const i64x2 2 3))
  (func (export "canister_update set")
    (global.set $f (f64.const -2.25))
    (global.set $v (v128.const i64x2 0x1122334455667788 0x99aabbccddeeff00))
    (call $reply_empty))
  (func (export "canister_update clear")
    (global.set $f (f64.const 0))
    (global.set $v (v128.const i64x2 0 0))
    (call $reply_empty))
  (func (export "canister_query get")
    (call $append_i64 (i64.reinterpret_f64 (global.get $f)))
    (v128.store (i32.const 64) (global.get $v))
    (call $ic0.msg_reply_data_append (i32.const 64) (i32.const 16))
    (call $ic0.msg_reply)))

(install $c)
(update "set")
(take-snapshot $s)
(snapshot-metadata $s globals)          (expect reply (i64 2))
;; -2.25 is 0xc002000000000000
(snapshot-metadata $s global 0)         (expect reply (i32 4) (i64 0xc002000000000000))
(snapshot-metadata $s global 1)         (expect reply (i32 5) (i64 0x1122334455667788) (i64 0x99aabbccddeeff00))
(update "clear")
(load-snapshot $s)
(query "get")                           (expect reply (i64 0xc002000000000000) (i64 0x1122334455667788) (i64 0x99aabbccddeeff00))
