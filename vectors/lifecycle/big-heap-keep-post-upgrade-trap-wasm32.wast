(vector "a keep upgrade of a wasm32 heap at the profile's maximum whose post_upgrade writes into the kept heap and traps leaves the old heap, bytes and all"
  (rules TXN-5 EOP-1 EDGE-KEEP LIM-HEAP-1)
  (tags lifecycle transactions big-heap)
  (notes "pre_upgrade writes the middle of the heap; the new module's"
         "post_upgrade overwrites both ends and 1 MiB in the middle, then"
         "traps. Everything the upgrade wrote vanishes; a later keep"
         "upgrade still finds the old bytes."))

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
    (call $ic0.msg_reply))
  (func $middle (result i32)
    (i32.mul (i32.div_u (memory.size) (i32.const 2)) (i32.const 65536)))
  (func (export "canister_pre_upgrade")
    (i32.store (call $middle) (i32.const 0x3333)))
  (func (export "canister_query middle")
    (call $reply_i64 (i64.load (call $middle)))))

(module $breaks
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
    (call $ic0.msg_reply))
  (func $middle (result i32)
    (i32.mul (i32.div_u (memory.size) (i32.const 2)) (i32.const 65536)))
  (func (export "canister_post_upgrade")
    (i64.store (i32.const 100) (i64.const -1))
    (i64.store (call $last) (i64.const -1))
    (memory.fill (call $middle) (i32.const 0xee) (i32.const 0x100000))
    (unreachable)))

(install $c)
(update "grow" (arg i64 (- (pages max_heap_wasm32) 1)))  (expect reply (i64 1))
(update "write")
(upgrade $breaks (wasm_memory_persistence keep))   (expect install-rejected unreachable)
(query "state")   (expect reply (i64 (pages max_heap_wasm32)) (i64 0x1111) (i64 0x2222))
(query "middle")  (expect reply (i64 0))
(upgrade $c (wasm_memory_persistence keep))
(query "state")   (expect reply (i64 (pages max_heap_wasm32)) (i64 0x1111) (i64 0x2222))
(query "middle")  (expect reply (i64 0x3333))
