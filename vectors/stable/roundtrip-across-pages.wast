(vector "bytes written with stable64_write read back with stable_read across a page boundary"
  (rules SM64-WRITE-1 SM32-READ-1 SM-4 EDGE-READSWAP)
  (tags basic))

(module $c
  (memory 1)
  (data (i32.const 100) "0123456789abcdef")
  (func (export "canister_update write")
    (drop (call $ic0.stable64_grow (i64.const 2)))
    ;; 16 bytes from heap 100 to stable 65528: 8 in each page
    (call $ic0.stable64_write (i64.const 65528) (i64.const 100) (i64.const 16))
    (call $reply_empty))
  (func (export "canister_query read")
    ;; the 32-bit API reads the same bytes into heap 200
    (call $ic0.stable_read (i32.const 200) (i32.const 65528) (i32.const 16))
    (call $reply_data (i32.const 200) (i32.const 16))))

(install $c)
(update "write")  (expect reply (bytes ""))
(query "read")    (expect reply (text "0123456789abcdef"))
