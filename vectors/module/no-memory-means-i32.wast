(vector "a module without memory uses I = i32 for the System API"
  (rules MOD-MEM-2 EDGE-NOMEM)
  (tags module))

(module $i32_api
  (import "ic0" "msg_arg_data_size" (func $size (result i32)))
  (func (export "canister_query hello")
    (call $ic0.msg_reply)))

(module $i64_api
  (import "ic0" "msg_arg_data_size" (func $size (result i64)))
  (func (export "canister_query hello")
    (call $ic0.msg_reply)))

(install $i64_api)  (expect install-rejected module-import-signature)
(install $i32_api)
(query "hello")     (expect reply)
