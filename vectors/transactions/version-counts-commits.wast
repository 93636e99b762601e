(vector "canister_version grows by one per committed update, and not for traps, queries or replicated queries"
  (rules TXN-1 TXN-7 HEAP-9)
  (tags transactions))

(module $c
  (memory 1)
  (func (export "canister_update ok") (call $reply_empty))
  (func (export "canister_update fail") (unreachable))
  (func (export "canister_update silent"))
  (func (export "canister_query version")
    (call $reply_i64 (call $ic0.canister_version))))

(install $c)
(query "version")              (expect reply (i64 1))
(update "ok")
(query "version")              (expect reply (i64 2))
(update "fail")                (expect trap unreachable)
(replicated-query "version")   (expect reply (i64 2))
(query "version")              (expect reply (i64 2))
;; no reply, but committed (MSG-RESP-3)
(update "silent")              (expect no-reply)
(query "version")              (expect reply (i64 3))
