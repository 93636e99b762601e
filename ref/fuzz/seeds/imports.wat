;; Every kind of import, and a start function that uses them.
(module
  (import "env" "log" (func $log (param i32 f64) (result i32)))
  (import "env" "memory" (memory 1))
  (import "env" "table" (table 2 funcref))
  (import "env" "base" (global $base i32))
  (import "env" "counter" (global $counter (mut i64)))
  (data (global.get $base) "from an imported global")
  (func $start
    (global.set $counter (i64.add (global.get $counter) (i64.const 1)))
    (drop (call $log (global.get $base) (f64.const 0.5))))
  (start $start)
  (func (export "read") (result i32)
    (i32.load (global.get $base))))
