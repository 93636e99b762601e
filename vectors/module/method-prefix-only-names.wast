(vector "a method may have the empty name (the export is the prefix and its space), and an export named just canister_ is reserved"
  (rules MOD-EXP-1 MOD-EXP-2)
  (tags module boundary)
  (notes "An export is a method when its name starts with"
         "\"canister_query \" (or update, composite query): the name may"
         "be exactly the prefix, which exports the method \"\". An export"
         "named \"canister_\" starts with the reserved prefix and is no"
         "entry point: it is refused."))

(module $empty_names
  (memory 1)
  (func (export "canister_query ") (call $reply_i32 (i32.const 7)))
  (func (export "canister_update x") (call $reply_i32 (i32.const 8))))

(module $bare_prefix
  (memory 1)
  (func (export "canister_"))
  (func (export "canister_query hello") (call $reply_empty)))

(install $bare_prefix)   (expect install-rejected module-export)
(install $empty_names)
(query "")               (expect reply (i32 7))
(update "x")             (expect reply (i32 8))
