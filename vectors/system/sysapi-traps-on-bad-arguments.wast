(vector "performance_counter, env_var_* and is_controller trap on arguments they do not accept"
  (rules COPY-2 SYS-PERF-1 SYS-ENV-1 SYS-CTRL-1)
  (tags system-api)
  (notes "performance_counter knows the counter types 0 and 1; other types trap."
         "A canister without environment variables has env_var_count 0, so"
         "every index is out of bounds and env_var_name_size traps."
         "A principal is at most 29 bytes: is_controller with 30 traps."
         "env_var_name_exists traps on a name that is not UTF-8."
         "Name and principal ranges past the heap trap (COPY-2)."))

(module $c
  (memory 1)
  (data (i32.const 100) "PATH")
  (data (i32.const 110) "\ff\fe")
  ;; heap bytes [200, 230) are zero: 29 of them are a valid principal
  (func (export "canister_query counter")
    (drop (call $ic0.performance_counter (call $arg_i32 (i32.const 0))))
    (call $reply_empty))
  (func (export "canister_query env-count")
    (call $reply_i32 (call $ic0.env_var_count)))
  (func (export "canister_query env-name-size")
    (call $reply_i32 (call $ic0.env_var_name_size
      (call $arg_i32 (i32.const 0)))))
  ;; arguments: the name's address and size
  (func (export "canister_query env-exists")
    (call $reply_i32 (call $ic0.env_var_name_exists
      (call $arg_i32 (i32.const 0)) (call $arg_i32 (i32.const 4)))))
  ;; arguments: the principal's address and size
  (func (export "canister_query is-controller")
    (call $reply_i32 (call $ic0.is_controller
      (call $arg_i32 (i32.const 0)) (call $arg_i32 (i32.const 4))))))

(install $c)
;; performance_counter: types 0 and 1, nothing else (the type is unsigned)
(query "counter" (arg i32 0))                  (expect reply)
(query "counter" (arg i32 1))                  (expect reply)
(query "counter" (arg i32 2))                  (expect trap contract-violation)
(query "counter" (arg i32 0xffff_ffff))        (expect trap contract-violation)
;; no environment variables: no index is valid, no name exists
(query "env-count")                            (expect reply (i32 0))
(query "env-name-size" (arg i32 0))            (expect trap contract-violation)
(query "env-exists" (arg (i32 100) (i32 4)))   (expect reply (i32 0))
;; a name that is not UTF-8 traps, whether or not such a variable could exist
(query "env-exists" (arg (i32 110) (i32 2)))   (expect trap contract-violation)
(query "env-exists" (arg (i32 0xfffe) (i32 4)))
(expect trap heap-out-of-bounds)
;; is_controller: up to 29 bytes is a principal, 30 are not
(query "is-controller" (arg (i32 200) (i32 29)))   (expect reply (i32 0))
(query "is-controller" (arg (i32 200) (i32 30)))   (expect trap contract-violation)
(query "is-controller" (arg (i32 0xfff0) (i32 29)))
(expect trap heap-out-of-bounds)
