(vector "a method exported twice is refused even when other exports lie between the two, in either order"
  (rules MOD-EXP-2)
  (tags module)
  (notes "Exports are checked as a set of names, not neighbour by"
         "neighbour: here the two kinds of the same name are separated by"
         "methods whose names sort before, between and after it, and one"
         "whose name extends it (get, getter)."))

(module $apart
  (memory 1)
  (func (export "canister_update get") (call $reply_empty))
  (func (export "canister_query a") (call $reply_empty))
  (func (export "canister_update m") (call $reply_empty))
  (func (export "canister_query zz") (call $reply_empty))
  (func (export "canister_composite_query get") (call $reply_empty)))

(module $apart_reversed
  (memory 1)
  (func (export "canister_query get") (call $reply_empty))
  (func (export "canister_update zz") (call $reply_empty))
  (func (export "canister_update a") (call $reply_empty))
  (func (export "canister_update get") (call $reply_empty)))

;; between the two: a name that the duplicated one is a prefix of
;; ("getter") and one after both ("h"); a comparison that is not a total
;; order on such names (a prefix sorting after its extension one way and
;; before it the other) can sort "getter" between the two "get"
(module $apart_by_prefix
  (memory 1)
  (func (export "canister_query get") (call $reply_empty))
  (func (export "canister_update getter") (call $reply_empty))
  (func (export "canister_query h") (call $reply_empty))
  (func (export "canister_update get") (call $reply_empty)))

;; the same names, each once: installs
(module $distinct
  (memory 1)
  (func (export "canister_update get") (call $reply_i32 (i32.const 1)))
  (func (export "canister_query a") (call $reply_empty))
  (func (export "canister_update m") (call $reply_empty))
  (func (export "canister_query zz") (call $reply_empty))
  (func (export "canister_composite_query get2") (call $reply_empty)))

(install $apart)            (expect install-rejected module-duplicate-method)
(install $apart_reversed)   (expect install-rejected module-duplicate-method)
(install $apart_by_prefix)  (expect install-rejected module-duplicate-method)
(install $distinct)
(update "get")              (expect reply (i32 1))
