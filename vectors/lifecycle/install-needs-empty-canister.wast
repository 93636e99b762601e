(vector "install needs an empty canister, upgrade a non-empty one"
  (rules INST-1 UPG-5 TXN-6)
  (tags lifecycle))

(module $c
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(upgrade $c)    (expect install-rejected canister-empty)
(install $c)
(install $c)    (expect install-rejected canister-not-empty)
(query "hello") (expect reply (i32 1))
