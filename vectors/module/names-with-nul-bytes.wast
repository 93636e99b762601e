(vector "names are compared as whole byte strings: a NUL byte inside a name counts"
  (rules MOD-EXP-2 MOD-EXP-3 MOD-IMP-1 MOD-CS-1)
  (tags module)
  (notes "A WebAssembly name may contain U+0000. The module rules compare"
         "names byte for byte over their whole length: `canister_init` with"
         "more bytes after a NUL is another name (reserved), `ic0` followed"
         "by a NUL is another module, and two methods or two icp: sections"
         "that differ only after a NUL are different names."))

(module $init_and_more
  (memory 1)
  (func (export "canister_init\00x"))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(module $ic0_and_more
  (import "ic0\00x" "msg_reply" (func $reply))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply)))

(module $reply_and_more
  (import "ic0" "msg_reply\00x" (func $reply))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply)))

(module $two_methods
  (memory 1)
  (func (export "canister_query a\00x")
    (call $reply_i32 (i32.const 1)))
  (func (export "canister_update a\00y")
    (call $reply_i32 (i32.const 2)))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 3))))

(module $two_sections
  (@custom "icp:public a\00x" "")
  (@custom "icp:private a\00y" "")
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 4))))

(install $init_and_more)   (expect install-rejected module-export)
(install $ic0_and_more)    (expect install-rejected module-import)
(install $reply_and_more)  (expect install-rejected module-import)
(install $two_methods)
(query "hello")            (expect reply (i32 3))
(reinstall $two_sections)
(query "hello")            (expect reply (i32 4))
