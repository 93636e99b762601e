;; Integer and float arithmetic, loops and a branch table.
(module
  (func (export "sum") (param $n i32) (result i32)
    (local $acc i32)
    (local.set $n (i32.add (local.get $n) (i32.const 100)))
    (block $done
      (loop $again
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $acc (i32.add (local.get $acc) (i32.mul (local.get $n) (local.get $n))))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $acc))
  (func (export "div") (param i64 i64) (result i64)
    (i64.rem_s (i64.div_u (local.get 0) (i64.const 7)) (i64.add (local.get 1) (i64.const 3))))
  (func (export "floats") (param f64) (result f64)
    (f64.add (f64.sqrt (f64.abs (local.get 0)))
             (f64.promote_f32 (f32.nearest (f32.demote_f64 (local.get 0))))))
  (func (export "convert") (param f32) (result i32 i64)
    (i32.trunc_sat_f32_s (local.get 0))
    (i64.trunc_f32_u (f32.add (local.get 0) (f32.const 1.5))))
  (func (export "bits") (param i32) (result i32)
    (i32.xor (i32.rotl (i32.clz (local.get 0)) (i32.popcnt (local.get 0)))
             (i32.extend8_s (i32.ctz (local.get 0)))))
  (func (export "switch") (param i32) (result i32)
    (block $c (block $b (block $a
      (br_table $a $b $c (local.get 0)))
      (return (i32.const 10)))
      (return (i32.const 20)))
    (i32.const 30)))
