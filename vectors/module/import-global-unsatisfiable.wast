(vector "a global import cannot be satisfied: the install is refused"
  (rules MOD-IMP-4)
  (tags module)
  (notes "The spec does not regulate global imports, but the system exports"
         "no globals, so instantiation cannot succeed (the replica refuses"
         "them explicitly)."))

(module $c
  (import "env" "g" (global i32))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $c)  (expect install-rejected module-import)
