(vector "pre_upgrade and post_upgrade may each write heap_access_limit_upgrade distinct 4 KiB heap pages; one page more refuses the upgrade"
  (rules LIM-HEAP-ACCESS TXN-5)
  (requires heap-access-limits)
  (tags limits access-limits boundary)
  (notes "dfinity/ic PR #11400 (open): wasm_memory_accessed_page_limit.upgrade."
         "A refused upgrade keeps the old heap (the counter)."))

(module $u
  (memory 20)
  (func $touch (param $n i64)
    (local $i i64)
    (block $end (loop $next
      (br_if $end (i64.ge_u (local.get $i) (local.get $n)))
      (i32.store8 (i32.add (i32.wrap_i64 (i64.mul (local.get $i) (i64.const 4096)))
                           (i32.const 3000))
                  (i32.const 1))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next))))
  ;; pre_upgrade writes the pages planned in heap word 1008
  (func (export "canister_pre_upgrade")
    (call $touch (i64.load (i32.const 1008))))
  ;; arg: pages to write; the counter (word 1000) starts at 7 in a new heap
  (func (export "canister_post_upgrade")
    (call $touch (call $arg_i64 (i32.const 0)))
    (i64.store (i32.const 1000) (i64.const 7)))
  (func (export "canister_update plan")
    (i64.store (i32.const 1008) (call $arg_i64 (i32.const 0)))
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1)))
    (call $reply_empty))
  (func (export "canister_query state")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $u)
(upgrade $u (arg i64 (/ heap_access_limit_upgrade 4096)))          (expect reply)
(query "state")   (expect reply (i64 7))
(upgrade $u (arg i64 (+ (/ heap_access_limit_upgrade 4096) 1)))    (expect install-rejected memory-access-limit)
(query "state")   (expect reply (i64 7))
(update "plan" (arg i64 (+ (/ heap_access_limit_upgrade 4096) 1)))  (expect reply)
(upgrade $u (arg i64 0))          (expect install-rejected memory-access-limit)
(query "state")   (expect reply (i64 8))
(update "plan" (arg i64 (/ heap_access_limit_upgrade 4096)))        (expect reply)
(upgrade $u (arg i64 0))          (expect reply)
(query "state")   (expect reply (i64 7))
