(vector "a wasm64 heap at the profile's maximum survives two keep upgrades with its bytes"
  (rules EOP-1 EDGE-KEEP LIM-HEAP-2 W64-6)
  (requires wasm64)
  (tags lifecycle wasm64 big-heap)
  (notes "The heap grows to max_heap_wasm64 and holds a word at each end;"
         "two upgrades with wasm_memory_persistence keep hand it on. A"
         "runtime should pay for the pages an upgrade touches, not for the"
         "heap's size: the vector is meant to pass under the default"
         "per-vector timeout."))

(module $c
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory i64 1)
  (func $last (result i64)
    (i64.sub (i64.mul (memory.size) (i64.const 65536)) (i64.const 8)))
  (func (export "canister_update grow")
    (call $reply_i64 (memory.grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_update write")
    (i64.store (i64.const 100) (i64.const 0x1111))
    (i64.store (call $last) (i64.const 0x2222))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $append_i64 (memory.size))
    (call $append_i64 (i64.load (i64.const 100)))
    (call $append_i64 (i64.load (call $last)))
    (call $ic0.msg_reply)))

(install $c)
(update "grow" (arg i64 (- (pages max_heap_wasm64) 1)))  (expect reply (i64 1))
(update "write")
(upgrade $c (wasm_memory_persistence keep))
(query "state")   (expect reply (i64 (pages max_heap_wasm64)) (i64 0x1111) (i64 0x2222))
(upgrade $c (wasm_memory_persistence keep))
(query "state")   (expect reply (i64 (pages max_heap_wasm64)) (i64 0x1111) (i64 0x2222))
