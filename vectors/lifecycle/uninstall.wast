(vector "uninstall empties the canister; the next install starts from nothing"
  (rules UNI-1 SM-6)
  (tags lifecycle))

(module $c
  (memory 1)
  (func (export "canister_update grow")
    (call $reply_i64 (call $ic0.stable64_grow (i64.const 2))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow")   (expect reply (i64 0))
(uninstall)
(query "size")    (expect reject destination-invalid canister-empty)
(update "grow")   (expect reject destination-invalid canister-empty)
(install $c)
(query "size")    (expect reply (i64 0))
