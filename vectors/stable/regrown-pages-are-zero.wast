(vector "pages whose growth and writes were rolled back come back as zeros when grown again"
  (rules SM-3 TXN-1 SM64-GROW-1)
  (tags transactions)
  (notes "A runtime that keeps page storage past the size after a rollback"
         "would show the old bytes here."))

(module $c
  (memory 1)
  (data (i32.const 100) "ghost bytes")
  ;; grows page 1, writes into it, then traps
  (func (export "canister_update grow-write-trap")
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 65536) (i64.const 100) (i64.const 11))
    (unreachable))
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (i64.const 1))))
  ;; the first 11 bytes of page 1
  (func (export "canister_query page1")
    (call $ic0.stable64_read (i64.const 200) (i64.const 65536) (i64.const 11))
    (call $reply_data (i32.const 200) (i32.const 11))))

(install $c)
(update "grow")                  (expect reply (i64 0))
(update "grow-write-trap")       (expect trap unreachable)
(update "grow")                  (expect reply (i64 1))
(query "page1")
(expect reply (bytes "\00\00\00\00\00\00\00\00\00\00\00"))
