(vector "a replicated query past the query instruction limit traps, whether it comes as a replicated query or as an update call to a query method"
  (rules LIM-INSTR-1 TXN-7)
  (requires instruction-limit replicated-query)
  (maximum (instructions_query 1000000000))
  (tags limits queries)
  (notes "A replicated query is a query executed by the whole subnet; it"
         "has the query instruction limit (5 billion on the IC, resource"
         "limits). The vector runs only where that limit is small enough to"
         "reach quickly (small-limits: 100 million)."))

(module $c
  (memory 1)
  (func (export "canister_query spin")
    (loop $forever (br $forever))))

(install $c)
(replicated-query "spin")  (expect trap instruction-limit)
(update "spin")            (expect trap instruction-limit)
