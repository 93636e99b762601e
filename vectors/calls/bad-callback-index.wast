(vector "a callback whose table index is out of the table, empty, or a function of another type than (env : I) -> () traps, and the cleanup callback runs"
  (rules CALL-CALLBACK-3 TXN-10)
  (tags calls))

;; table: 0 $cleanup, 1 $wrong_type, 2 empty; the reply closure's index
;; is the argument. The cleanup counts its runs at 1000.
(module $c
  (memory 1)
  (table 3 funcref)
  (elem (i32.const 0) $cleanup $wrong_type)
  (data (i32.const 100) "\00\00\00\00\00\00\00\02\01\01ping")
  (func (export "canister_update call")
    (call $ic0.call_new (i32.const 100) (i32.const 10) (i32.const 110) (i32.const 4)
      (call $arg_i32 (i32.const 0)) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $ic0.call_on_cleanup (i32.const 0) (i32.const 0))
    (drop (call $ic0.call_perform))
    (call $reply_empty))
  (func $cleanup (param i32)
    (i64.store (i32.const 1000) (i64.add (i64.load (i32.const 1000)) (i64.const 1))))
  (func $wrong_type (param i64))
  (func (export "canister_query cleanups")
    (call $reply_i64 (i64.load (i32.const 1000)))))

(install $c)
(update "call" (arg i32 3))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap table-out-of-bounds)
(update "call" (arg i32 2))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap uninitialized-element)
(update "call" (arg i32 1))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect trap indirect-call-type-mismatch)
(query "cleanups")                (expect reply (i64 3))
;; the index is the one given: 0 is the cleanup function itself, which
;; has the right type and runs as the reply callback
(update "call" (arg i32 0))       (expect reply (bytes ""))
(respond 1 (reply (bytes "")))    (expect returned)
(query "cleanups")                (expect reply (i64 4))
