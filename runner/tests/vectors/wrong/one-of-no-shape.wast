(vector "one-of where no alternative matches and none has the reply's shape"
  (rules SM-2)
  (tags runner-test)
  (notes "The 8-byte reply fits no alternative's typed payload, so the"
         "report shows it as bytes; the comparison must still fail."))

(module $c
  (memory 1)
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(query "size")  (expect one-of (a reply (i32 0)) (b trap))
