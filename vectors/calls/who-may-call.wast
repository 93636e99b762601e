(vector "call_new may be used in updates, system tasks and callbacks, but not in canister_init, canister_pre_upgrade or canister_inspect_message"
  (rules CTX-1 CALL-BUILD-1 CALL-SYSTASK-1)
  (tags calls availability))

;; $c calls call_new in init when its argument is 1, in pre_upgrade when
;; the word at 1000 is 1, in inspect_message always; the global timer
;; performs a call.
(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func $new
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
  (func (export "canister_init")
    (if (i32.eq (call $ic0.msg_arg_data_size) (i32.const 4))
      (then (if (call $arg_i32 (i32.const 0)) (then (call $new))))))
  (func (export "canister_pre_upgrade")
    (if (i64.eq (i64.load (i32.const 1000)) (i64.const 1)) (then (call $new))))
  (func (export "canister_inspect_message")
    (call $new)
    (call $ic0.accept_message))
  (func (export "canister_global_timer")
    (call $new)
    (drop (call $ic0.call_perform)))
  (func (export "canister_update arm")
    (i64.store (i32.const 1000) (call $arg_i64 (i32.const 0)))
    (drop (call $ic0.global_timer_set (i64.const 1)))
    (call $reply_empty))
  (func $cb (param i32)))

(install $c (arg i32 1))            (expect install-rejected not-allowed-in-this-context)
(install $c (arg i32 0))
(inspect-message "arm")             (expect trap not-allowed-in-this-context)
(update "arm" (arg i64 1))          (expect reply (bytes ""))
(upgrade $c)                        (expect install-rejected not-allowed-in-this-context)
(update "arm" (arg i64 0))          (expect reply (bytes ""))
(system-task global_timer)
(outgoing-calls
  (call (callee (bytes "\00\00\00\00\00\00\00\02\01\01")) (method "ping")))
