(vector "a million tail calls run in one update: return_call and return_call_indirect need no stack"
  (rules MOD-FEAT-2 LIM-INSTR-1)
  (requires tail-call)
  (tags features tail-call)
  (notes "A million frames would exhaust any call stack; as tail calls the"
         "recursion runs in constant stack, within the update's instruction"
         "limit (a few million instructions: small-limits allows 100 M)."))

(module $c
  (memory 1)
  (type $step (func (param i64 i64) (result i64)))
  (table 2 funcref)
  (elem (i32.const 0) $even $odd)
  ;; count n down, adding 2 per call: the result is 2n
  (func $count (param $n i64) (param $acc i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (local.get $acc))
      (else (return_call $count (i64.sub (local.get $n) (i64.const 1))
                                (i64.add (local.get $acc) (i64.const 2))))))
  ;; even and odd call each other through the table: the result is n % 2
  (func $even (param $n i64) (param $unused i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 0))
      (else (return_call_indirect (type $step)
              (i64.sub (local.get $n) (i64.const 1)) (i64.const 0)
              (i32.const 1)))))
  (func $odd (param $n i64) (param $unused i64) (result i64)
    (if (result i64) (i64.eqz (local.get $n))
      (then (i64.const 1))
      (else (return_call_indirect (type $step)
              (i64.sub (local.get $n) (i64.const 1)) (i64.const 0)
              (i32.const 0)))))
  (func (export "canister_update count")
    (call $reply_i64 (call $count (call $arg_i64 (i32.const 0)) (i64.const 0))))
  (func (export "canister_update parity")
    (call $reply_i64 (call $even (call $arg_i64 (i32.const 0)) (i64.const 0)))))

(install $c)
(update "count" (arg i64 1000000))   (expect reply (i64 2000000))
(update "parity" (arg i64 1000000))  (expect reply (i64 0))
(update "parity" (arg i64 999999))   (expect reply (i64 1))
