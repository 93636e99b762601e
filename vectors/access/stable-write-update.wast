(vector "an update may write stable_write_limit_message distinct 4 KiB pages of stable memory; one page more traps and rolls the update back"
  (rules SM-9 LIM-SM-2 TXN-1)
  (requires stable-access-limits)
  (tags limits access-limits boundary)
  (notes "The replica's second limit counts written (dirty) OS pages"
         "(STABLE_MEMORY_DIRTY_PAGE_LIMIT_MESSAGE, 2 GiB). small-limits sets"
         "it below the access limit, so the write limit is the one reached."
         "Pages only read do not count against it."))

(module $c
  (memory 1)
  ;; stable memory for every limit of the profile: arg = 64 KiB pages
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; a counter in the heap (byte 1000) and one in stable memory (offset
  ;; 0): every method below bumps both first, so a rollback shows
  (func $bump
    (call $ic0.stable64_read (i64.const 2000) (i64.const 0) (i64.const 8))
    (i64.store (i32.const 2000) (i64.add (i64.load (i32.const 2000)) (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 2000) (i64.const 8))
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1))))
  ;; one byte of each 4 KiB stable page in [0, n), `times` times over;
  ;; `write` writes it instead of reading it
  (func $touch (param $n i64) (param $times i64) (param $write i32)
    (local $i i64) (local $t i64)
    (block $done (loop $again
      (br_if $done (i64.ge_u (local.get $t) (local.get $times)))
      (local.set $i (i64.const 0))
      (block $end (loop $next
        (br_if $end (i64.ge_u (local.get $i) (local.get $n)))
        (if (local.get $write)
          (then (call $ic0.stable64_write (i64.mul (local.get $i) (i64.const 4096))
                                          (i64.const 2000) (i64.const 1)))
          (else (call $ic0.stable64_read (i64.const 200)
                                         (i64.mul (local.get $i) (i64.const 4096))
                                         (i64.const 1))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
      (local.set $t (i64.add (local.get $t) (i64.const 1)))
      (br $again)))
    (call $reply_i64 (local.get $n)))
  ;; arg: pages (i64), times (i64)
  (func $read (export "canister_update read") (export "canister_query read_q")
    (call $bump)
    (call $touch (call $arg_i64 (i32.const 0)) (call $arg_i64 (i32.const 8)) (i32.const 0)))
  (func $write (export "canister_update write") (export "canister_query write_q")
    (call $bump)
    (call $touch (call $arg_i64 (i32.const 0)) (call $arg_i64 (i32.const 8)) (i32.const 1)))
  ;; the heap counter and the stable counter
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 2000) (i64.const 0) (i64.const 8))
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (i64.load (i32.const 2000)))
    (call $ic0.msg_reply)))

(install $c (arg i64 (+ (pages stable_access_limit_upgrade) 2)))
(update "write" (arg (i64 (/ stable_write_limit_message 4096)) (i64 2)))
(expect reply (i64 (/ stable_write_limit_message 4096)))
(query "state")   (expect reply (i64 1) (i64 1))
(update "write" (arg (i64 (+ (/ stable_write_limit_message 4096) 1)) (i64 1)))
(expect trap memory-access-limit)
(query "state")   (expect reply (i64 1) (i64 1))
;; reading past the write limit (within the access limit) is fine
(update "read" (arg (i64 (min (/ stable_access_limit_message 4096)
                              (+ (/ stable_write_limit_message 4096) 1))) (i64 1)))
(expect reply (i64 (min (/ stable_access_limit_message 4096)
                        (+ (/ stable_write_limit_message 4096) 1))))
(query "state")   (expect reply (i64 2) (i64 2))
