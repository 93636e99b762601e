(vector "an imported memory counts: importing one and defining another is two memories, refused"
  (rules MOD-MEM-1 MOD-MEM-3)
  (tags module)
  (notes "MOD-MEM-1 counts every memory the module declares, defined or"
         "imported. Both modules here are refused; the refusal leaves the"
         "canister empty, so a later install of one imported memory works."))

;; one memory imported, a second one defined
(module $import_and_define
  (import "env" "memory" (memory 1))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 2))))

;; two memories, both imported (the same name twice is valid WebAssembly)
(module $import_twice
  (import "env" "memory" (memory 1))
  (import "env" "memory" (memory 1))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 2))))

(module $import_once
  (import "env" "memory" (memory 1))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $import_and_define)  (expect install-rejected module-memory)
(install $import_twice)       (expect install-rejected module-memory)
(install $import_once)
(query "hello")               (expect reply (i32 1))
