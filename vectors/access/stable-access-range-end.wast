(vector "a stable memory access that ends exactly at a 4 KiB page boundary touches no page after it"
  (rules SM-9 LIM-SM-2)
  (requires stable-access-limits)
  (tags limits access-limits boundary)
  (notes "The pages an access touches are those of its first and its last"
         "byte, offset + size - 1; the page that starts at offset + size is"
         "not touched. Each update touches the first n - 1 pages one byte"
         "each, then reads the 16 bytes that end page n - 1 exactly."))

(module $c
  (memory 1)
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  ;; arg: n (i64), the number of 4 KiB pages touched
  (func (export "canister_update edge")
    (local $n i64) (local $i i64)
    (local.set $n (call $arg_i64 (i32.const 0)))
    (block $end (loop $next
      (br_if $end (i64.ge_u (local.get $i) (i64.sub (local.get $n) (i64.const 1))))
      (call $ic0.stable64_read (i64.const 200)
                               (i64.mul (local.get $i) (i64.const 4096)) (i64.const 1))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next)))
    (call $ic0.stable64_read (i64.const 200)
                             (i64.sub (i64.mul (local.get $n) (i64.const 4096)) (i64.const 16))
                             (i64.const 16))
    (call $reply_i64 (local.get $n))))

(install $c (arg i64 (+ (pages stable_access_limit_message) 2)))
;; exactly the limit: the last read ends at the end of the last allowed page
(update "edge" (arg (i64 (/ stable_access_limit_message 4096))))
(expect reply (i64 (/ stable_access_limit_message 4096)))
;; one page more traps
(update "edge" (arg (i64 (+ (/ stable_access_limit_message 4096) 1))))
(expect trap memory-access-limit)
