(vector "in a memory64 canister call_new and call_on_cleanup take I = i64 function indices and environments"
  (rules W64-3 W64-1)
  (tags wasm64 module)
  (notes "Inter-canister calls are outside the reference model; this checks"
         "the signatures that callbacks imply at install."))

(module $i64_callbacks
  (import "ic0" "call_new"
    (func (param i64 i64 i64 i64 i64 i64 i64 i64)))
  (import "ic0" "call_on_cleanup" (func (param i64 i64)))
  (memory i64 1)
  (func (export "canister_query hello") (call $reply_empty)))

(module $i32_callbacks
  (import "ic0" "call_new"
    (func (param i64 i64 i64 i64 i32 i32 i32 i32)))
  (memory i64 1)
  (func (export "canister_query hello") (call $reply_empty)))

(install $i32_callbacks)  (expect install-rejected module-import-signature)
(install $i64_callbacks)
(query "hello")           (expect reply)
