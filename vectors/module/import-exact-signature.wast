(vector "an ic0 import must have exactly the listed type for the module's I"
  (rules MOD-IMP-3)
  (tags module))

;; stable64_read takes three i64, even in a wasm32 module (W64-2)
(module $narrow_stable64
  (import "ic0" "stable64_read" (func $read (param i32 i32 i32)))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

;; an extra result
(module $extra_result
  (import "ic0" "msg_reply" (func $reply (result i32)))
  (memory 1)
  (func (export "canister_query hello")
    (drop (call $reply))))

;; a missing parameter
(module $missing_param
  (import "ic0" "debug_print" (func $print (param i32)))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(module $good
  (import "ic0" "stable64_read" (func $read (param i64 i64 i64)))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $narrow_stable64)  (expect install-rejected module-import-signature)
(install $extra_result)     (expect install-rejected module-import-signature)
(install $missing_param)    (expect install-rejected module-import-signature)
(install $good)
(query "hello")             (expect reply (i32 1))
