(vector "a canister computes with SIMD: i32x4 lanes over heap data, stored back to the heap, seen by later messages"
  (rules MOD-FEAT-1)
  (requires simd)
  (tags features simd))

(module $c
  (memory 1)
  ;; four i32 lanes at heap bytes [64, 80): 1, 2, 3, 4
  (data (i32.const 64) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
  ;; lane-wise v = v * 3 + (10, 20, 30, 40); an unaligned copy to 81
  (func (export "canister_update step")
    (v128.store (i32.const 64)
      (i32x4.add
        (i32x4.mul (v128.load (i32.const 64)) (i32x4.splat (i32.const 3)))
        (v128.const i32x4 10 20 30 40)))
    (v128.store align=1 (i32.const 81) (v128.load (i32.const 64)))
    (call $reply_empty))
  (func (export "canister_query lanes")
    (call $reply_data (i32.const 64) (i32.const 16)))
  (func (export "canister_query copy")
    (call $reply_data (i32.const 81) (i32.const 16)))
  ;; the lanes' sum through extract_lane
  (func (export "canister_query sum") (local $v v128)
    (local.set $v (v128.load (i32.const 81)))
    (call $reply_i32
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $v))
                 (i32x4.extract_lane 1 (local.get $v)))
        (i32.add (i32x4.extract_lane 2 (local.get $v))
                 (i32x4.extract_lane 3 (local.get $v)))))))

(install $c)
(query "lanes")  (expect reply (i32 1) (i32 2) (i32 3) (i32 4))
(update "step")
(query "lanes")  (expect reply (i32 13) (i32 26) (i32 39) (i32 52))
(update "step")
(query "lanes")  (expect reply (i32 49) (i32 98) (i32 147) (i32 196))
(query "copy")   (expect reply (i32 49) (i32 98) (i32 147) (i32 196))
(query "sum")    (expect reply (i32 490))
