(vector "a method name may be exported as only one of update, query and composite query"
  (rules MOD-EXP-2)
  (tags module))

(module $update_and_query
  (memory 1)
  (func (export "canister_update get") (call $reply_empty))
  (func (export "canister_query get") (call $reply_empty)))

(module $query_and_composite
  (memory 1)
  (func (export "canister_query get") (call $reply_empty))
  (func (export "canister_composite_query get") (call $reply_empty)))

;; the names differ only after the space: two different methods
(module $different_names
  (memory 1)
  (func (export "canister_update get") (call $reply_i32 (i32.const 1)))
  (func (export "canister_query get ") (call $reply_i32 (i32.const 2))))

(install $update_and_query)     (expect install-rejected module-duplicate-method)
(install $query_and_composite)  (expect install-rejected module-duplicate-method)
(install $different_names)
(update "get")                  (expect reply (i32 1))
(query "get ")                  (expect reply (i32 2))
