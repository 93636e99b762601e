(vector "a trap discards writes to existing table elements: the slot calls its old function again"
  (rules TXN-1)
  (tags rollback)
  (notes "The table starts with two slots from an active element segment;"
         "an update points slot 0 at the other function and traps, so slot"
         "0 still calls the first. Committed, the write stays; a later"
         "trapping write over it is discarded in turn."))

(module $c
  (memory 1)
  (type $ret (func (result i32)))
  (table $t 2 funcref)
  (elem (i32.const 0) func $seven $eight)
  (func $seven (result i32) (i32.const 7))
  (func $eight (result i32) (i32.const 8))
  ;; argument: (slot to copy from, trap?)
  (func (export "canister_update point")
    (table.set $t (i32.const 0)
      (table.get $t (call $arg_i32 (i32.const 0))))
    (if (call $arg_i32 (i32.const 4)) (then (unreachable)))
    (call $reply_empty))
  ;; points slot 0 back at $seven, then traps
  (func (export "canister_update restore-seven")
    (table.set $t (i32.const 0) (ref.func $seven))
    (unreachable))
  (func (export "canister_query slot0")
    (call $reply_i32 (call_indirect $t (type $ret) (i32.const 0)))))

(install $c)
(query "slot0")                            (expect reply (i32 7))
(update "point" (arg (i32 1) (i32 1)))     (expect trap unreachable)
(query "slot0")                            (expect reply (i32 7))
(update "point" (arg (i32 1) (i32 0)))
(query "slot0")                            (expect reply (i32 8))
(update "restore-seven")                   (expect trap unreachable)
(query "slot0")                            (expect reply (i32 8))
