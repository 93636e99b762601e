(vector "stable growth and writes vanish after a composite query, an update call to a query and inspect_message"
  (rules EDGE-QUERYSTABLE TXN-7 TXN-9 SM32-GROW-4)
  (tags transactions)
  (notes "query-discards-growth covers the plain and replicated query; this"
         "covers the other read-only entry points, the 32-bit API, and"
         "canister_version, which no query may advance."))

(module $c
  (memory 1)
  (data (i32.const 100) "scribble")
  (func $scribble
    (drop (call $ic0.stable_grow (i32.const 2)))
    (call $ic0.stable_write (i32.const 0) (i32.const 100) (i32.const 8)))
  (func (export "canister_composite_query scribble-composite")
    (call $scribble)
    (call $reply_i32 (call $ic0.stable_size)))
  ;; an update call to this query runs it replicated
  (func (export "canister_query scribble-query")
    (call $scribble)
    (call $reply_i32 (call $ic0.stable_size)))
  (func (export "canister_inspect_message")
    (call $scribble)
    (call $ic0.accept_message))
  (func (export "canister_init")
    (drop (call $ic0.stable_grow (i32.const 1))))
  ;; size, first 8 bytes, canister_version
  (func (export "canister_query state")
    (call $append_i32 (call $ic0.stable_size))
    (call $ic0.stable_read (i32.const 200) (i32.const 0) (i32.const 8))
    (call $ic0.msg_reply_data_append (i32.const 200) (i32.const 8))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $c)
;; installed: one zero page, version 1 (0 at creation, + 1 for the install)
(query "state")
(expect reply (i32 1) (bytes "\00\00\00\00\00\00\00\00") (i64 1))
(query "scribble-composite")       (expect reply (i32 3))
(update "scribble-query")          (expect reply (i32 3))
(inspect-message "scribble-query") (expect reply)
(query "state")
(expect reply (i32 1) (bytes "\00\00\00\00\00\00\00\00") (i64 1))
