(vector "stable64_grow past the maximum returns -1 and changes nothing"
  (rules SM64-GROW-2 SM64-GROW-3 SM64-GROW-4 EDGE-GROWARG EDGE-SMLIMIT LIM-SM-1)
  (tags boundary)
  (notes "The maximum is the profile's max_stable_memory, so the same vector"
         "checks 8 GiB under ic-2021 and 500 GiB under ic-current. Growing"
         "to the maximum writes nothing: a runtime with sparse stable"
         "memory does it without allocating."))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
;; one page too many on an empty memory
(update "grow" (arg i64 (+ (pages max_stable_memory) 1)))  (expect reply (i64 -1))
;; the argument is unsigned: -1 is 2^64 - 1 pages, not a shrink
(update "grow" (arg i64 -1))                               (expect reply (i64 -1))
(query "size")                                             (expect reply (i64 0))
;; exactly the maximum works; then even one more page fails
(update "grow" (arg i64 (pages max_stable_memory)))        (expect reply (i64 0))
(update "grow" (arg i64 1))                                (expect reply (i64 -1))
(update "grow" (arg i64 0))
(expect reply (i64 (pages max_stable_memory)))
