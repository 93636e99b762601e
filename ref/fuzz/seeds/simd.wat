;; Fixed-width SIMD: v128 locals, params, results and globals (two cells
;; each), the memory forms (loads, splats, lanes, stores), shuffle, and pure
;; lane operations of several shapes, through calls and branches.
(module
  (memory 1)
  (global $g (mut v128) (v128.const i32x4 1 2 3 4))
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f")
  (func $mix (param $a v128) (param $n i32) (param $b v128) (result v128 i32)
    (local $t v128)
    (local.set $t (i8x16.shuffle 0 17 2 19 4 21 6 23 8 25 10 27 12 29 14 31
                    (local.get $a) (local.get $b)))
    (block (result v128)
      (br_if 0 (local.get $t) (i32.eqz (local.get $n)))
      (drop)
      (i32x4.add (local.get $t) (i32x4.splat (local.get $n))))
    (i32x4.extract_lane 3 (local.get $b)))
  (func (export "loads") (result v128 i32)
    (call $mix
      (v128.load offset=0 (i32.const 0))
      (i32.const 3)
      (v128.load8_lane 5 (i32.const 9)
        (v128.load32_splat (i32.const 4)))))
  (func (export "widen") (result v128)
    (i16x8.add (v128.load8x8_s (i32.const 0)) (v128.load8x8_u (i32.const 8))))
  (func (export "store") (result i64)
    (v128.store offset=32 (i32.const 0) (global.get $g))
    (v128.store16_lane 7 (i32.const 64) (v128.load64_zero (i32.const 0)))
    (global.set $g (f32x4.sqrt (v128.load (i32.const 32))))
    (i64x2.extract_lane 1 (global.get $g)))
  (func (export "select") (param i32) (result v128)
    (select (v128.const i64x2 1 2) (v128.const f64x2 nan -0) (local.get 0)))
  (func (export "trap") (result v128)
    (v128.load (i32.const 65535))))
