(vector "a trap also discards table growth, table writes and dropped segments"
  (rules TXN-1 TXN-7)
  (tags rollback)
  (notes "Tables and the dropped state of data and element segments are"
         "WebAssembly state like the heap and globals: an update that"
         "changes them and then traps leaves them as they were, and a query"
         "never keeps them. The table starts empty, so the rollback restores"
         "a table of size 0."))

(module $c
  (memory 1)
  (table $t 0 funcref)
  (elem $fns func $seven)
  (data $bytes "segment")
  (type $ret (func (result i32)))
  (func $seven (result i32) (i32.const 7))
  ;; grows the table by one, fills it from the passive element segment,
  ;; drops both segments; traps when the argument says so
  (func (export "canister_update change")
    (drop (table.grow $t (ref.null func) (i32.const 1)))
    (table.init $t $fns (i32.const 0) (i32.const 0) (i32.const 1))
    (elem.drop $fns)
    (data.drop $bytes)
    (if (call $arg_i32 (i32.const 0)) (then (unreachable)))
    (call $reply_empty))
  (func (export "canister_query change-in-query")
    (drop (table.grow $t (ref.null func) (i32.const 1)))
    (data.drop $bytes)
    (call $reply_i32 (table.size $t)))
  ;; table size, then what slot 0 returns (-1 for an empty table)
  (func (export "canister_query table")
    (call $append_i32 (table.size $t))
    (if (i32.eqz (table.size $t))
      (then (call $append_i32 (i32.const -1)))
      (else (call $append_i32 (call_indirect $t (type $ret) (i32.const 0)))))
    (call $ic0.msg_reply))
  ;; the data segment's first byte; traps once the segment is dropped
  (func (export "canister_query data")
    (memory.init $bytes (i32.const 100) (i32.const 0) (i32.const 7))
    (call $reply_i32 (i32.load8_u (i32.const 100)))))

(install $c)
(query "table")                (expect reply (i32 0) (i32 -1))
(update "change" (arg i32 1))  (expect trap unreachable)
(query "table")                (expect reply (i32 0) (i32 -1))
(query "data")                 (expect reply (i32 115))
(query "change-in-query")      (expect reply (i32 1))
(replicated-query "change-in-query") (expect reply (i32 1))
(query "table")                (expect reply (i32 0) (i32 -1))
(query "data")                 (expect reply (i32 115))
;; committed: one slot holding $seven, and the data segment is dropped
(update "change" (arg i32 0))
(query "table")                (expect reply (i32 1) (i32 7))
(query "data")                 (expect trap heap-out-of-bounds)
