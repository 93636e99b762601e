(vector "in a cleanup callback the availability table's functions work (ic0.time, global_timer_set), while responding, calling and msg_arg_data trap the cleanup, whose changes are then discarded"
  (rules CTX-CLEANUP CTX-1 TXN-10 EDGE-CLEANUP)
  (tags calls availability))

;; The reply callback traps; the cleanup's env says what it tries after
;; writing its env at 1000: 1 ic0.time, 2 msg_reply, 3 call_new,
;; 4 msg_arg_data_size, 5 msg_caller_size. A completed cleanup writes
;; 1 at 1008 too.
(module $c
  (memory 1)
  (table 2 funcref)
  (elem (i32.const 0) $trapping $cleanup)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $ic0.call_on_cleanup (i32.const 1) (call $arg_i32 (i32.const 0)))
    (drop (call $ic0.call_perform))
    (call $reply_empty))
  (func $trapping (param i32) (unreachable))
  (func $cleanup (param $env i32)
    (i64.store (i32.const 1000) (i64.extend_i32_u (local.get $env)))
    (i64.store (i32.const 1008) (i64.const 0))
    (if (i32.eq (local.get $env) (i32.const 1)) (then (drop (call $ic0.time))))
    (if (i32.eq (local.get $env) (i32.const 2)) (then (call $ic0.msg_reply)))
    (if (i32.eq (local.get $env) (i32.const 3))
      (then (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110)
              (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (if (i32.eq (local.get $env) (i32.const 4)) (then (drop (call $ic0.msg_arg_data_size))))
    (if (i32.eq (local.get $env) (i32.const 5)) (then (drop (call $ic0.msg_caller_size))))
    (i64.store (i32.const 1008) (i64.const 1)))
  (func (export "canister_query state")
    (call $append_i64 (i64.load (i32.const 1000)))
    (call $append_i64 (i64.load (i32.const 1008)))
    (call $ic0.msg_reply)))

(install $c)
(update "call" (arg i32 1))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap unreachable)
(query "state")
(expect one-of
  (table reply (i64 1) (i64 1))
  (prose-subset reply (i64 0) (i64 0)))
;; not in C for either reading: the cleanup traps, nothing of it stays
(update "call" (arg i32 2))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap unreachable)
(update "call" (arg i32 3))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap unreachable)
(update "call" (arg i32 4))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap unreachable)
(query "state")
(expect one-of
  (table reply (i64 1) (i64 1))
  (prose-subset reply (i64 0) (i64 0)))
(update "call" (arg i32 5))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap unreachable)
(query "state")
(expect one-of
  (table reply (i64 5) (i64 1))
  (prose-subset reply (i64 0) (i64 0)))
