(vector "a trap after stable writes restores every byte, and the heap and globals too"
  (rules TXN-1 TXN-7 SM64-WRITE-1 SM32-WRITE-1 HEAP-1)
  (tags transactions)
  (notes "The writes overwrite bytes committed before, across a page"
         "boundary, through both APIs. A query's writes over them are"
         "discarded too (TXN-7). The vector ends with a rolled-back"
         "message, so the runtime tears the canister down right after a"
         "rollback (a crash there fails the vector)."))

(module $c
  (memory 1)
  (global $version (mut i64) (i64.const 1))
  (data (i32.const 100) "committed-bytes!")
  (data (i32.const 200) "TRAPPED-BYTES!!!")
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (i64.const 2)))
    (call $ic0.stable64_write (i64.const 65528) (i64.const 100) (i64.const 16))
    (i64.store (i32.const 300) (i64.const 7)))
  (func (export "canister_update overwrite-then-trap")
    (call $ic0.stable64_write (i64.const 65528) (i64.const 200) (i64.const 8))
    (call $ic0.stable_write (i32.const 65536) (i32.const 208) (i32.const 8))
    (i64.store (i32.const 300) (i64.const 8))
    (global.set $version (i64.const 2))
    (call $ic0.trap (i32.const 0) (i32.const 0)))
  ;; a query writes over committed bytes and sees them; it never commits
  (func (export "canister_query overwrite-and-read")
    (call $ic0.stable64_write (i64.const 65528) (i64.const 200) (i64.const 16))
    (call $ic0.stable64_read (i64.const 400) (i64.const 65528) (i64.const 16))
    (call $ic0.msg_reply_data_append (i32.const 400) (i32.const 16))
    (call $ic0.msg_reply))
  ;; stable [65528, 65544), heap word 300, the global
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 400) (i64.const 65528) (i64.const 16))
    (call $ic0.msg_reply_data_append (i32.const 400) (i32.const 16))
    (call $append_i64 (i64.load (i32.const 300)))
    (call $append_i64 (global.get $version))
    (call $ic0.msg_reply)))

(install $c)
(query "state")                  (expect reply (text "committed-bytes!") (i64 7) (i64 1))
(update "overwrite-then-trap")   (expect trap explicit-trap)
(query "state")                  (expect reply (text "committed-bytes!") (i64 7) (i64 1))
(query "overwrite-and-read")     (expect reply (text "TRAPPED-BYTES!!!"))
(query "state")                  (expect reply (text "committed-bytes!") (i64 7) (i64 1))
;; last, a rollback of writes over committed pages: the canister is torn
;; down right after it
(update "overwrite-then-trap")   (expect trap explicit-trap)
