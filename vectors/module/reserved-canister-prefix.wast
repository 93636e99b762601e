(vector "exports starting with canister_ other than the listed entry points are refused"
  (rules MOD-EXP-3)
  (tags module))

(module $unknown_entry
  (memory 1)
  (func (export "canister_shutdown")))

;; no space after the prefix: not a method export
(module $no_space
  (memory 1)
  (func (export "canister_updateget")))

;; the replica's name for the start function is reserved too
(module $canister_start
  (memory 1)
  (func (export "canister_start")))

;; other names are free, also ones that merely contain canister_
(module $good
  (memory 1)
  (func (export "my_canister_helper"))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $unknown_entry)   (expect install-rejected module-export)
(install $no_space)        (expect install-rejected module-export)
(install $canister_start)  (expect install-rejected module-export)
(install $good)
(query "hello")            (expect reply (i32 1))
