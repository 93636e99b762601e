(vector "a heartbeat for a canister that exports no canister_heartbeat runs nothing and changes nothing"
  (rules TXN-11)
  (requires system-tasks)
  (tags system-tasks))

(module $c
  (memory 1)
  (func (export "canister_query version")
    (call $reply_i64 (call $ic0.canister_version))))

(install $c)
(system-task heartbeat)   (expect reject destination-invalid method-not-found)
(query "version")         (expect reply (i64 1))
