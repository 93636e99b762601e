(vector "a query may write heap_access_limit_query distinct 4 KiB heap pages (discarded anyway); one page more traps"
  (rules LIM-HEAP-ACCESS)
  (requires heap-access-limits replicated-query)
  (tags limits access-limits boundary)
  (notes "dfinity/ic PR #11400 (open): wasm_memory_accessed_page_limit.query"
         "for queries of either mode."))

(module $h
  (memory 20)
  ;; the heap counter (word 1000), bumped by every update below
  (func $bump
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1))))
  ;; one byte at offset 3000 of each 4 KiB heap page in [from, from+n):
  ;; written, or read into a sum
  (func $touch (param $from i64) (param $n i64) (param $write i32)
    (local $i i64) (local $at i32) (local $sum i64)
    (block $end (loop $next
      (br_if $end (i64.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.add (i32.wrap_i64 (i64.mul (i64.add (local.get $from) (local.get $i))
                                                     (i64.const 4096)))
                              (i32.const 3000)))
      (if (local.get $write)
        (then (i32.store8 (local.get $at) (i32.const 1)))
        (else (local.set $sum (i64.add (local.get $sum) (i64.load8_u (local.get $at))))))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (call $reply_i64 (local.get $n)))
  ;; arg: 4 KiB pages
  (func (export "canister_update write") (export "canister_query write_q")
    (call $bump)
    (call $touch (i64.const 0) (call $arg_i64 (i32.const 0)) (i32.const 1)))
  (func (export "canister_update read") (export "canister_query read_q")
    (call $bump)
    (call $touch (i64.const 0) (call $arg_i64 (i32.const 0)) (i32.const 0)))
  ;; grow the heap by enough 64 KiB pages and write n new 4 KiB pages
  (func (export "canister_update grow_write")
    (local $n i64) (local $old i32)
    (call $bump)
    (local.set $n (call $arg_i64 (i32.const 0)))
    (local.set $old (memory.grow (i32.wrap_i64 (i64.div_u (i64.add (local.get $n) (i64.const 15))
                                                          (i64.const 16)))))
    (call $touch (i64.mul (i64.extend_i32_u (local.get $old)) (i64.const 16))
                 (local.get $n) (i32.const 1)))
  (func (export "canister_query state")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $h)
(query "write_q" (arg i64 (/ heap_access_limit_query 4096)))
(expect reply (i64 (/ heap_access_limit_query 4096)))
(query "write_q" (arg i64 (+ (/ heap_access_limit_query 4096) 1)))
(expect trap memory-access-limit)
(replicated-query "write_q" (arg i64 (+ (/ heap_access_limit_query 4096) 1)))
(expect trap memory-access-limit)
(query "state")   (expect reply (i64 0))
