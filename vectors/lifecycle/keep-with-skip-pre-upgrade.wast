(vector "keep together with skip_pre_upgrade hands over the old heap exactly as the last message left it"
  (rules EDGE-KEEP UPG-4 EOP-1)
  (tags lifecycle))

(module $v1
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_update set")
    (i64.store (i32.const 100) (i64.const 31))
    (call $reply_empty))
  (func (export "canister_pre_upgrade")
    (i64.store (i32.const 100) (i64.const -1))
    (unreachable)))

(module $v2
  (@custom "icp:private enhanced-orthogonal-persistence" "")
  (memory 1)
  (func (export "canister_query word")
    (call $reply_i64 (i64.load (i32.const 100)))))

(install $v1)
(update "set")
(upgrade $v2 (wasm_memory_persistence keep))   (expect install-rejected unreachable)
(upgrade $v2 (skip_pre_upgrade true) (wasm_memory_persistence keep))
(query "word")   (expect reply (i64 31))
