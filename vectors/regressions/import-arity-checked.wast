(vector "regression dfinity/ic#5226: an ic0 import with a wrong number of parameters is refused at install, never called"
  (rules MOD-IMP-3)
  (tags regression module)
  (notes "dfinity/ic#5226 (2025-05): the replica's own WAT test builder"
         "imported stable_read with missing arguments and tests still"
         "passed. The type of every ic0 import must match exactly; a runtime"
         "that binds by name only installs these modules (and then reads"
         "garbage arguments)."))

(module $two_args
  (import "ic0" "stable_read" (func $stable_read (param i32 i32)))
  (memory 1)
  (func (export "canister_update go")
    (call $stable_read (i32.const 0) (i32.const 0))))

(module $extra_result
  (import "ic0" "stable64_write" (func $w (param i64 i64 i64) (result i64)))
  (memory 1)
  (func (export "canister_update go")
    (drop (call $w (i64.const 0) (i64.const 0) (i64.const 0)))))

(install $two_args)       (expect install-rejected module-import-signature)
(install $extra_result)   (expect install-rejected module-import-signature)
