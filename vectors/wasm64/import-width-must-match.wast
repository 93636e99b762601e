(vector "the pointer width of ic0 imports must match the memory: i64 for memory64, i32 otherwise"
  (rules EDGE-W64-TYPES MOD-IMP-3 W64-1)
  (tags wasm64 module))

;; memory64 importing the 32-bit form of msg_arg_data_copy
(module $narrow_in_64
  (import "ic0" "msg_arg_data_copy" (func $copy (param i32 i32 i32)))
  (memory i64 1)
  (func (export "canister_query hello") (call $reply_empty)))

;; memory64 importing a size function with an i32 result
(module $narrow_size_in_64
  (import "ic0" "msg_caller_size" (func $size (result i32)))
  (memory i64 1)
  (func (export "canister_query hello") (call $reply_empty)))

;; wasm32 importing the 64-bit form
(module $wide_in_32
  (import "ic0" "msg_reply_data_append" (func $append (param i64 i64)))
  (memory 1)
  (func (export "canister_query hello") (call $ic0.msg_reply)))

(module $good
  (import "ic0" "msg_arg_data_copy" (func $copy (param i64 i64 i64)))
  (import "ic0" "msg_caller_size" (func $size (result i64)))
  (memory i64 1)
  (func (export "canister_query hello") (call $reply_empty)))

(install $narrow_in_64)       (expect install-rejected module-import-signature)
(install $narrow_size_in_64)  (expect install-rejected module-import-signature)
(install $wide_in_32)         (expect install-rejected module-import-signature)
(install $good)
(query "hello")               (expect reply)
