(vector "an empty canister has no heap: calls are rejected until install, and uninstall removes the heap"
  (rules HEAP-2 HEAP-10)
  (tags lifecycle))

(module $c
  (memory 1)
  (func (export "canister_update write")
    (i64.store (i32.const 8) (i64.const 42))
    (call $reply_empty))
  (func (export "canister_query read")
    (call $reply_i64 (i64.load (i32.const 8)))))

(query "read")   (expect reject destination-invalid canister-empty)
(install $c)
(update "write")
(query "read")   (expect reply (i64 42))
(uninstall)
(query "read")   (expect reject destination-invalid canister-empty)
(install $c)
(query "read")   (expect reply (i64 0))
