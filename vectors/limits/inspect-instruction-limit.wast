(vector "an execution past its instruction limit traps: inspect_message that never ends"
  (rules LIM-INSTR-1)
  (requires instruction-limit)
  (tags limits)
  (notes "inspect_message has the smallest limit (200 M on the IC), so the"
         "vector stays fast under every profile."))

(module $c
  (memory 1)
  (func (export "canister_inspect_message")
    (loop $forever (br $forever)))
  (func (export "canister_update hello")
    (call $reply_i32 (i32.const 1))))

(install $c)
(inspect-message "hello")  (expect trap instruction-limit)
