(vector "the heap may be internal or exported under any name"
  (rules MOD-MEM-3)
  (tags module))

;; neither exported nor imported
(module $internal
  (memory 1)
  (data (i32.const 16) "internal")
  (func (export "canister_query read")
    (call $reply_data (i32.const 16) (i32.const 8))))

;; exported under a name that is not "memory"
(module $exported
  (memory (export "my heap") 1)
  (data (i32.const 16) "exported")
  (func (export "canister_query read")
    (call $reply_data (i32.const 16) (i32.const 8))))

(install $internal)
(query "read")       (expect reply (text "internal"))
(reinstall $exported)
(query "read")       (expect reply (text "exported"))
