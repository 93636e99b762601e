(vector "pages grown with stable_grow count towards the maximum of stable64_grow: the maximum succeeds, one page past returns -1"
  (rules SM-4 SM64-GROW-2 SM64-GROW-4 LIM-SM-1 EDGE-SMLIMIT)
  (tags boundary)
  (notes "Mixes the two APIs on one memory. The maximum is the profile's"
         "max_stable_memory; growing to it writes nothing."))

(module $c
  (memory 1)
  (func (export "canister_update grow32")
    (call $reply_i32 (call $ic0.stable_grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_update grow64")
    (call $reply_i64 (call $ic0.stable64_grow (call $arg_i64 (i32.const 0)))))
  (func (export "canister_query size64")
    (call $reply_i64 (call $ic0.stable64_size))))

(install $c)
(update "grow32" (arg i32 3))  (expect reply (i32 0))
;; the rest up to the maximum, plus one: refused as a whole
(update "grow64" (arg i64 (- (pages max_stable_memory) 2)))  (expect reply (i64 -1))
(query "size64")               (expect reply (i64 3))
(update "grow64" (arg i64 (- (pages max_stable_memory) 3)))  (expect reply (i64 3))
(query "size64")               (expect reply (i64 (pages max_stable_memory)))
(update "grow64" (arg i64 1))  (expect reply (i64 -1))
(update "grow32" (arg i32 0))  (expect trap stable-too-big-for-32-bit)
(query "size64")               (expect reply (i64 (pages max_stable_memory)))
