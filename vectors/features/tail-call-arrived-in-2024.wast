(vector "tail calls arrived in late 2024: an upgrade to a module using return_call is refused before, and the old module stays"
  (rules MOD-FEAT-2 MOD-FEAT-4)
  (requires tail-call)
  (history tail-call)
  (tags features tail-call history lifecycle)
  (notes "ic-2021 and ic-2022 lack feature.tail_call."))

(module $plain
  (memory 1)
  (func (export "canister_query which")
    (call $reply_i32 (i32.const 1))))

(module $tail
  (memory 1)
  (func $two (result i32) (i32.const 2))
  (func $via_tail_call (result i32) (return_call $two))
  (func (export "canister_query which")
    (call $reply_i32 (call $via_tail_call))))

(install $plain)
(upgrade $tail)
(expect one-of
  (tail-calls-off install-rejected invalid-module)
  (tail-calls-on reply))
(query "which")
(expect one-of
  (tail-calls-off reply (i32 1))
  (tail-calls-on reply (i32 2)))
