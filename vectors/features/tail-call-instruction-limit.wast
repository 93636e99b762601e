(vector "endless tail recursion ends at the instruction limit, not in stack exhaustion"
  (rules MOD-FEAT-2 LIM-INSTR-1 TXN-2)
  (requires tail-call instruction-limit)
  (tags features tail-call limits)
  (notes "inspect_message has the smallest limit (200 M on the IC, 10 M"
         "under small-limits), so the vector stays fast under every"
         "profile. As many calls as the limit has instructions cannot fit"
         "in it: each call takes several. A smaller depth is accepted."))

(module $c
  (memory 1)
  (func $spin (param $n i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (return_call $spin (i64.sub (local.get $n) (i64.const 1))))))
  (func (export "canister_inspect_message")
    (drop (call $spin (call $arg_i64 (i32.const 0))))
    (call $ic0.accept_message))
  (func (export "canister_update hello")
    (call $reply_i32 (i32.const 1))))

(install $c)
(inspect-message "hello" (arg i64 100000))
(inspect-message "hello" (arg i64 instructions_inspect))  (expect trap instruction-limit)
