;; A 64-bit memory (memory64): i64 addresses and sizes.
(module
  (memory i64 1 3)
  (data (i64.const 8) "sixty-four")
  (func (export "grow_and_store") (result i64)
    (drop (memory.grow (i64.const 1)))
    (i64.store (i64.const 65536) (memory.size))
    (memory.fill (i64.const 0) (i32.const 7) (i64.const 8))
    (i64.load (i64.const 65536)))
  (func (export "far") (result i32)
    (i32.load8_u (i64.const 0x100000000))))
