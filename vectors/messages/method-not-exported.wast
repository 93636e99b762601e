(vector "a call to a method the module does not export is rejected and runs nothing; without canister_inspect_message every ingress message is accepted"
  (rules MSG-METHOD-1 MSG-INSPECT-1)
  (tags messages))

(module $c
  (memory 1)
  (global $runs (mut i64) (i64.const 0))
  (func (export "canister_update count")
    (global.set $runs (i64.add (global.get $runs) (i64.const 1)))
    (call $reply_i64 (global.get $runs)))
  (func (export "canister_query runs")
    (call $reply_i64 (global.get $runs))))

(install $c)
(update "missing")
  (expect one-of
    (destination-invalid reject destination-invalid method-not-found)
    (canister-error reject canister-error method-not-found))
(query "missing")
  (expect one-of
    (destination-invalid reject destination-invalid method-not-found)
    (canister-error reject canister-error method-not-found))
(replicated-query "missing")
  (expect one-of
    (destination-invalid reject destination-invalid method-not-found)
    (canister-error reject canister-error method-not-found))
;; a query method is not an update method, and the reverse
(query "count")
  (expect one-of
    (destination-invalid reject destination-invalid method-not-found)
    (canister-error reject canister-error method-not-found))
(inspect-message "count")   (expect reply)
(inspect-message "missing") (expect reply)
(update "count")            (expect reply (i64 1))
(query "runs")              (expect reply (i64 1))
