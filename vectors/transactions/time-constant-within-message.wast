(vector "ic0.time is constant within one entry point and grows from one message to the next"
  (rules TXN-12)
  (tags transactions))

(module $c
  (memory 1)
  (global $last (mut i64) (i64.const 0))
  (func $spin (local $i i32)
    (loop $again
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $again (i32.lt_u (local.get $i) (i32.const 1000)))))
  ;; replies 1 when time did not move inside the update and is later than
  ;; the time the previous update saw
  (func (export "canister_update tick")
    (local $before i64)
    (local.set $before (call $ic0.time))
    (call $spin)
    (call $append_i32 (i64.eq (local.get $before) (call $ic0.time)))
    (call $append_i32 (i64.gt_u (local.get $before) (global.get $last)))
    (global.set $last (local.get $before))
    (call $ic0.msg_reply)))

(install $c)
(update "tick")   (expect reply (i32 1) (i32 1))
(update "tick")   (expect reply (i32 1) (i32 1))
