(vector "an exported function named start is not the start function and does not run at install"
  (rules EDGE-START-NAME MOD-START-1)
  (tags module ambiguous)
  (notes "The formal text says (start) runs if the module exports a function"
         "named start; the intended meaning is the start section only."))

(module $c
  (memory 1)
  (global $ran (mut i32) (i32.const 0))
  (func (export "start") (global.set $ran (i32.const 1)))
  (func (export "canister_query ran")
    (call $reply_i32 (global.get $ran))))

(install $c)
(query "ran")  (expect reply (i32 0))
