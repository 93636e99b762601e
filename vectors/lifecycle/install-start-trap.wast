(vector "a trap in (start) fails the install: the canister stays empty, and a later install starts afresh"
  (rules TXN-4 INST-1 MOD-START-1)
  (tags lifecycle transactions))

(module $bad
  (memory 1)
  (global $g (mut i64) (i64.const 0))
  (func $start
    (global.set $g (i64.const 1))
    (i64.store (i32.const 100) (i64.const 9))
    (unreachable))
  (start $start)
  (func (export "canister_init")
    (global.set $g (i64.const 2)))
  (func (export "canister_query hello")
    (call $reply_i64 (global.get $g))))

(module $good
  (memory 1)
  (func (export "canister_query state")
    (call $append_i64 (i64.load (i32.const 100)))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

(install $bad)     (expect install-rejected unreachable)
(query "hello")    (expect reject destination-invalid canister-empty)
(reinstall $bad)   (expect install-rejected unreachable)
(query "hello")    (expect reject destination-invalid canister-empty)
(install $good)
;; nothing of the failed attempts: the heap is fresh, and only the
;; successful install counted
(query "state")    (expect reply (i64 0) (i64 1))
