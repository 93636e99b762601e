(vector "a module with two tables: the module rules are silent, the formal model assumes one"
  (rules MOD-TBL-1 EDGE-MULTITABLE)
  (tags module ambiguous)
  (notes "The module requirements do not forbid a second table; the formal"
         "text speaks of the unique table and the replica allows one."))

(module $c
  (memory 1)
  (table $first 1 funcref)
  (table $second 1 funcref)
  (func (export "canister_query hello")
    (call $reply_i32 (table.size $second))))

(install $c)
(expect one-of
  (module-rules reply)
  (unique-table install-rejected))
