(vector "is_controller and in_replicated_execution may be called from (start)"
  (rules EDGE-IS-CONTROLLER-START MOD-START-1)
  (tags lifecycle contexts))

(module $c
  (memory 1)
  (global $replicated (mut i32) (i32.const -1))
  (global $controller (mut i32) (i32.const -1))
  (func $start
    (global.set $replicated (call $ic0.in_replicated_execution))
    ;; an empty principal is no controller; the call must not trap
    (global.set $controller (call $ic0.is_controller (i32.const 0) (i32.const 0))))
  (start $start)
  (func (export "canister_query report")
    (call $append_i32 (global.get $replicated))
    (call $append_i32 (global.get $controller))
    (call $ic0.msg_reply)))

(install $c)
(query "report")   (expect reply (i32 1) (i32 0))
