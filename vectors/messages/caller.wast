(vector "msg_caller is the requesting user in calls and installs, and the management canister (empty) in system tasks"
  (rules MSG-CALLER-1)
  (requires system-tasks)
  (tags messages))

;; The model's user is a 29-byte self-authenticating principal; the
;; management canister's id is the empty blob.
(module $c
  (memory 1)
  (global $init-caller (mut i32) (i32.const -1))
  (global $heartbeat-caller (mut i32) (i32.const -1))
  (func (export "canister_init")
    (global.set $init-caller (call $ic0.msg_caller_size)))
  (func (export "canister_heartbeat")
    (global.set $heartbeat-caller (call $ic0.msg_caller_size)))
  (func (export "canister_update caller")
    (call $reply_i32 (call $ic0.msg_caller_size)))
  (func (export "canister_query callers")
    (call $append_i32 (global.get $init-caller))
    (call $append_i32 (global.get $heartbeat-caller))
    (call $append_i32 (call $ic0.msg_caller_size))
    (call $ic0.msg_reply)))

(install $c)
(update "caller")        (expect reply (i32 29))
(system-task heartbeat)
(query "callers")        (expect reply (i32 29) (i32 0) (i32 29))
