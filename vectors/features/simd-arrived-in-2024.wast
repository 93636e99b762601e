(vector "SIMD arrived in 2024: a module using v128 is refused as invalid before, installed since"
  (rules MOD-FEAT-1 MOD-FEAT-4)
  (requires simd)
  (history simd)
  (tags features simd history)
  (notes "ic-2021 and ic-2022 lack feature.simd; no source gives the day"
         "SIMD was enabled (docs/memory-model.md, Wasm features)."))

(module $c
  (memory 1)
  (func (export "canister_query sum")
    (call $reply_i32
      (i32x4.extract_lane 3
        (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8))))))

(install $c)
(expect one-of
  (simd-off install-rejected invalid-module)
  (simd-on reply))
;; a refused install leaves the canister empty
(query "sum")
(expect one-of
  (simd-off reject destination-invalid canister-empty)
  (simd-on reply (i32 12)))
