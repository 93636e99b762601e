(vector "the deprecated 32-bit API still grows by zero pages, writes and reads back"
  (rules SM-8 SM32-GROW-1 SM32-WRITE-1 SM32-READ-1 SM32-SIZE-1)
  (tags basic)
  (notes "Deprecated in 0.25.0 but still specified: it must work in every"
         "profile, ic-current included."))

(module $c
  (memory 1)
  (data (i32.const 100) "32-bit API works")
  (func (export "canister_update grow")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  ;; 16 bytes from heap 100 to stable 65530: across the page boundary
  (func (export "canister_update write")
    (call $ic0.stable_write (i32.const 65530) (i32.const 100) (i32.const 16))
    (call $reply_empty))
  ;; argument: stable offset (i32); 16 bytes from there
  (func (export "canister_query read")
    (call $ic0.stable_read (i32.const 200) (call $arg_i32 (i32.const 0))
                           (i32.const 16))
    (call $reply_data (i32.const 200) (i32.const 16)))
  (func (export "canister_query size")
    (call $reply_i32 (call $ic0.stable_size))))

(install $c)
(update "grow" (arg i32 2))   (expect reply (i32 0))
(query "size")                (expect reply (i32 2))
;; fresh pages are zeros, up to the last byte
(query "read" (arg i32 (- (* 2 page) 16)))
(expect reply (bytes "\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00\00"))
(update "write")              (expect reply)
(query "read" (arg i32 65530))  (expect reply (text "32-bit API works"))
