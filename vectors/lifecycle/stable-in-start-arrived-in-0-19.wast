(vector "(start) may use stable memory since interface spec 0.19.0: the install traps before, succeeds since"
  (rules SM-7 MOD-START-1 CTX-1)
  (tags lifecycle history)
  (notes "Without (requires stable-in-start), so the vector also runs where"
         "the profile lacks feature.stable_in_start: there the call traps"
         "as not allowed in (start) and the install fails with it."))

(module $c
  (memory 1)
  (start $start)
  (func $start
    (drop (call $ic0.stable64_grow (i64.const 1))))
  (func (export "canister_query size")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(expect one-of
  (before-0.19 install-rejected not-allowed-in-this-context)
  (since-0.19 reply))
(query "size")
(expect one-of
  (before-0.19 reject destination-invalid canister-empty)
  (since-0.19 reply (i64 1)))
