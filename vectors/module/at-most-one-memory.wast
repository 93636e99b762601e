(vector "a module that declares two memories is not a canister module"
  (rules MOD-MEM-1)
  (tags module))

;; multi-memory is valid WebAssembly, but a canister has one heap
(module $two
  (memory 1)
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(module $one
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $two)   (expect install-rejected module-memory)
;; the refusal left the canister empty: a plain install still works
(install $one)
(query "hello")  (expect reply (i32 1))
