(vector "a module may import only listed ic0 functions; anything else refuses the install"
  (rules MOD-IMP-1)
  (tags module))

;; a function from a module other than ic0
(module $env_function
  (import "env" "print" (func $print (param i32 i32)))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

;; an ic0 name the interface does not list
(module $unknown_ic0
  (import "ic0" "stable_shrink" (func $shrink (param i64) (result i64)))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(module $good
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $env_function)  (expect install-rejected module-import)
(install $unknown_ic0)   (expect install-rejected module-import)
(install $good)
(query "hello")          (expect reply (i32 1))
