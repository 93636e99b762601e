(vector "a v128 written to stable memory before an upgrade is read back by the new module's SIMD code"
  (rules MOD-FEAT-1 UPG-1)
  (requires simd)
  (tags features simd lifecycle)
  (notes "The upgrade wipes the heap (no keep): the new module finds the"
         "vector only in stable memory."))

(module $v1
  (memory 1)
  ;; i8x16 lanes 0..15 plus 16 each: bytes 16..31
  (func (export "canister_update save")
    (v128.store (i32.const 64)
      (i8x16.add (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                 (i8x16.splat (i32.const 16))))
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 64) (i64.const 16))
    (call $reply_empty)))

(module $v2
  (memory 1)
  (func (export "canister_query heap")
    (call $reply_data (i32.const 64) (i32.const 16)))
  ;; read the vector back, shift every i16 lane left by one, reply it
  (func (export "canister_query restored")
    (call $ic0.stable64_read (i64.const 64) (i64.const 0) (i64.const 16))
    (v128.store (i32.const 64) (i16x8.shl (v128.load (i32.const 64)) (i32.const 1)))
    (call $reply_data (i32.const 64) (i32.const 16))))

(install $v1)
(update "save")
(upgrade $v2)
(query "heap")      (expect reply (bytes "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00"))
;; i16 lanes 0x1110, 0x1312, ... doubled: 0x2220, 0x2624, ...
(query "restored")  (expect reply (bytes "\20\22\24\26\28\2a\2c\2e\30\32\34\36\38\3a\3c\3e"))
