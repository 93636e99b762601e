(vector "a wat error is reported at the vector's line"
  (rules SM-1))
(module $c
  (memory 1)
  (func (export "canister_update x")
    (call $no_such_function)))
(install $c)
