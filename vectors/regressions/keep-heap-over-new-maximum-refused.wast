(vector "regression dfinity/ic#10593: an EOP keep upgrade whose kept heap exceeds the new module's declared maximum is refused, and the canister keeps working"
  (rules EDGE-KEEP EOP-1 TXN-5)
  (tags regression lifecycle)
  (notes "dfinity/ic#10593 (fix) and dfinity/ic#10783 (tests, 2026-07-15):"
         "the replica panicked (expect(\"memory grow failed\")) when a kept"
         "20-page heap met a new module with (memory 1 1); it now refuses the"
         "upgrade with IC0521. The bug shows here as a crash of the runtime"
         "(an adapter error), or as an upgrade that succeeds with a heap the"
         "module never declared; the refused upgrade must leave the old"
         "heap, and a later fitting upgrade must still work."))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update grow")
    (drop (memory.grow (i32.const 19)))
    (i64.store (i32.const 100) (i64.const 20))
    (i64.store (i32.const 1245000) (i64.const 0x10593))
    (call $reply_empty))
  (func (export "canister_query words")
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (i64.load (i32.const 1245000)))
    (call $ic0.msg_reply)))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1 1)
  (func (export "canister_query words")
    (call $append_i64 (i64.load (i32.const 100)))
    (call $ic0.msg_reply)))

(module $v3
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1 32)
  (func (export "canister_query words")
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (i64.load (i32.const 1245000)))
    (call $ic0.msg_reply)))

(install $v1)
(update "grow")                                (expect reply)
(upgrade $v2 (wasm_memory_persistence keep))   (expect install-rejected)
(query "words")                                (expect reply (i64 20) (i64 0x10593))
(upgrade $v3 (wasm_memory_persistence keep))   (expect reply)
(query "words")                                (expect reply (i64 20) (i64 0x10593))
