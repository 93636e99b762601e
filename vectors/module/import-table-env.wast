(vector "a canister may import its table as env.table"
  (rules MOD-IMP-4 MOD-TBL-1)
  (tags module))

(module $c
  (import "env" "table" (table 2 funcref))
  (memory 1)
  (type $answer (func (result i32)))
  (func $seven (result i32) (i32.const 7))
  (elem (i32.const 1) $seven)
  (func (export "canister_query call")
    (call $reply_i32 (call_indirect (type $answer) (i32.const 1)))))

(install $c)
(query "call")  (expect reply (i32 7))
