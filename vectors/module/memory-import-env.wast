(vector "a canister may import its heap as env.memory"
  (rules MOD-MEM-3 MOD-IMP-4)
  (tags module))

;; the system supplies a fresh memory of the declared size
(module $c
  (import "env" "memory" (memory 1))
  (data (i32.const 16) "imported")
  (func (export "canister_update write")
    (i64.store (i32.const 32) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  (func (export "canister_query read")
    (call $append_i64 (i64.load (i32.const 32)))
    (call $ic0.msg_reply_data_append (i32.const 16) (i32.const 8))
    (call $ic0.msg_reply)))

(install $c)
(update "write" (arg i64 77))
(query "read")  (expect reply (i64 77) (text "imported"))
