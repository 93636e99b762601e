(vector "inspect_message: accept_message twice traps and refuses the message; a trap or no accept refuses it too"
  (rules MSG-INSPECT-1 TXN-9)
  (requires inspect-message)
  (tags messages))

;; The argument picks the behaviour: 0 accept once, 1 accept twice,
;; 2 never accept, 3 accept and then trap.
(module $c
  (memory 1)
  (func (export "canister_inspect_message")
    (local $how i32)
    (local.set $how (call $arg_i32 (i32.const 0)))
    (if (i32.ne (local.get $how) (i32.const 2))
      (then (call $ic0.accept_message)))
    (if (i32.eq (local.get $how) (i32.const 1))
      (then (call $ic0.accept_message)))
    (if (i32.eq (local.get $how) (i32.const 3))
      (then (unreachable))))
  (func (export "canister_update m")
    (call $reply_empty)))

(install $c)
;; A trap in inspect_message refuses the ingress message; the adapter ABI
;; reports it as the trap itself, with its category.
(inspect-message "m" (arg i32 0))   (expect reply)
(inspect-message "m" (arg i32 1))   (expect trap contract-violation)
(inspect-message "m" (arg i32 2))   (expect reject canister-reject message-not-accepted)
(inspect-message "m" (arg i32 3))   (expect trap unreachable)
