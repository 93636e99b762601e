(vector "one execution that prints many lines logs every one of them, in order"
  (rules LOG-1 MSG-DBG-1)
  (requires logs)
  (tags logs)
  (notes "fetch_canister_logs returns each debug_print of a replicated"
         "execution as a record of its own, oldest first. Twenty one-byte"
         "records in one update, then twenty more in another, stay far"
         "below any profile's max_log_size, so none is dropped."))

(module $c
  (memory 1)
  (data (i32.const 100) "abcdefghijklmnopqrst")
  (func (export "canister_update twenty")
    (local $i i32)
    (loop $next
      (call $ic0.debug_print (i32.add (i32.const 100) (local.get $i)) (i32.const 1))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 20))))
    (call $reply_empty)))

(install $c)
(update "twenty")
(canister-logs count)           (expect reply (i64 20))
(canister-logs content 0)       (expect reply (text "a"))
(canister-logs content 7)       (expect reply (text "h"))
(canister-logs content 8)       (expect reply (text "i"))
(canister-logs content 9)       (expect reply (text "j"))
(canister-logs content 19)      (expect reply (text "t"))
(canister-logs idx 19)          (expect reply (i64 19))
(update "twenty")
(canister-logs count)           (expect reply (i64 40))
(canister-logs content 20)      (expect reply (text "a"))
(canister-logs content 39)      (expect reply (text "t"))
(canister-logs idx 39)          (expect reply (i64 39))
