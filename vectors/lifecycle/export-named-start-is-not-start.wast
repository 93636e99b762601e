(vector "an exported function named start is an ordinary export: only the start section runs at install"
  (rules EDGE-START-NAME MOD-START-1)
  (tags lifecycle ambiguous))

(module $c
  (memory 1)
  (global $ran (mut i32) (i32.const 0))
  (func (export "start")
    (global.set $ran (i32.add (global.get $ran) (i32.const 100))))
  (func $real-start
    (global.set $ran (i32.add (global.get $ran) (i32.const 1))))
  (start $real-start)
  (func (export "canister_query ran")
    (call $reply_i32 (global.get $ran))))

(install $c)
(query "ran")   (expect reply (i32 1))
