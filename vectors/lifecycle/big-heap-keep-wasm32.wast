(vector "a wasm32 heap at the profile's maximum survives two keep upgrades with its bytes"
  (rules EOP-1 EDGE-KEEP LIM-HEAP-1)
  (tags lifecycle big-heap)
  (notes "The heap grows to max_heap_wasm32 (4 GiB on the IC, every page"
         "of a 32-bit address space) and holds a word at each end; two"
         "upgrades with wasm_memory_persistence keep hand it on."))

(module $c
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func $last (result i32)
    ;; wraps to 0xfffffff8 at 4 GiB, the right address
    (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 8)))
  (func (export "canister_update grow")
    (call $reply_i64 (i64.extend_i32_s
      (memory.grow (i32.wrap_i64 (call $arg_i64 (i32.const 0)))))))
  (func (export "canister_update write")
    (i64.store (i32.const 100) (i64.const 0x1111))
    (i64.store (call $last) (i64.const 0x2222))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $append_i64 (i64.extend_i32_u (memory.size)))
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (i64.load (call $last)))
    (call $ic0.msg_reply)))

(install $c)
(update "grow" (arg i64 (- (pages max_heap_wasm32) 1)))  (expect reply (i64 1))
(update "write")
(upgrade $c (wasm_memory_persistence keep))
(query "state")   (expect reply (i64 (pages max_heap_wasm32)) (i64 0x1111) (i64 0x2222))
(upgrade $c (wasm_memory_persistence keep))
(query "state")   (expect reply (i64 (pages max_heap_wasm32)) (i64 0x1111) (i64 0x2222))
