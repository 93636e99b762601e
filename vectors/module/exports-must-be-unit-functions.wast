(vector "canister_* exports must be functions of type () -> ()"
  (rules MOD-EXP-1)
  (tags module))

(module $update_with_param
  (memory 1)
  (func (export "canister_update set") (param i32)))

(module $init_with_result
  (memory 1)
  (func (export "canister_init") (result i32) (i32.const 0)))

(module $query_is_global
  (memory 1)
  (global (export "canister_query value") i32 (i32.const 1)))

(module $heartbeat_with_param
  (memory 1)
  (func (export "canister_heartbeat") (param i64)))

(module $good
  (memory 1)
  (func (export "canister_init"))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $update_with_param)     (expect install-rejected module-export)
(install $init_with_result)      (expect install-rejected module-export)
(install $query_is_global)       (expect install-rejected module-export)
(install $heartbeat_with_param)  (expect install-rejected module-export)
(install $good)
(query "hello")                  (expect reply (i32 1))
