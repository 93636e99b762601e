(vector "a wasm64 heap at the profile's maximum survives two keep upgrades with its bytes"
  (rules EDGE-KEEP EOP-1 W64-6 LIM-HEAP-2)
  (requires wasm64)
  (tags wasm64 lifecycle big-heap)
  (notes "The heap grows to max_heap_wasm64 and holds a word at each end;"
         "two upgrades with wasm_memory_persistence keep hand it on. A"
         "runtime should pay for the pages the upgrade touches, not for the"
         "heap's size: this vector runs under the default timeout."))

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
  (func (export "canister_query size")
    (call $reply_i64 (memory.size)))
  (func (export "canister_query words")
    (call $append_i64 (i64.load (i64.const 100)))
    (call $append_i64 (i64.load (call $last)))
    (call $ic0.msg_reply)))

(install $c)
(update "grow" (arg i64 (- (pages max_heap_wasm64) 1)))  (expect reply (i64 1))
(update "write")
(upgrade $c (wasm_memory_persistence keep))
(query "size")    (expect reply (i64 (pages max_heap_wasm64)))
(upgrade $c (wasm_memory_persistence keep))
(query "size")    (expect reply (i64 (pages max_heap_wasm64)))
(query "words")   (expect reply (i64 0x1111) (i64 0x2222))
