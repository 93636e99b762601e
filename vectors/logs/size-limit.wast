(vector "the canister log keeps the newest records within max_log_size: the oldest go first"
  (rules LOG-2)
  (requires logs)
  (tags logs limits)
  (minimum (max_log_size 4096))
  (notes "fetch_canister_logs: at most 4 KiB of logs; when new ones pass"
         "it, the oldest are removed. Each update logs 1 KiB tagged with a"
         "byte that grows."))

(module $c
  (memory 1)
  (global $tag (mut i32) (i32.const 0x41))
  (func (export "canister_update kib")
    (memory.fill (i32.const 1024) (global.get $tag) (i32.const 1024))
    (global.set $tag (i32.add (global.get $tag) (i32.const 1)))
    (call $ic0.debug_print (i32.const 1024) (i32.const 1024))
    (call $reply_empty)))

(install $c)
(update "kib")
(update "kib")
(update "kib")
(update "kib")
(canister-logs count)           (expect reply (i64 4))
(update "kib")
(canister-logs count)           (expect reply (i64 (/ max_log_size 1024)))
(canister-logs idx 0)           (expect reply (i64 (- 5 (/ max_log_size 1024))))
