(vector "two memories are refused whatever else the module imports"
  (rules MOD-MEM-1 MOD-IMP-4)
  (tags module)
  (notes "Each module imports one memory and defines a second, next to"
         "imports of every other kind: a function, a table, a global, a tag."
         "MOD-MEM-1 is a rule of the module itself, so a runtime refuses it"
         "before it tries to supply the imports; a global or a tag could not"
         "be supplied either (MOD-IMP-4), but the memories decide the"
         "category. The refusals leave the canister empty."))

;; ic0 functions (the prelude imports those $reply_i32 needs), a table and
;; a memory imported, with maxima; a second memory defined, without one
(module $function_table_memory
  (import "env" "table" (table 1 1 funcref))
  (import "env" "memory" (memory 1 1))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 2))))

;; the same with a global import as well
(module $function_table_global_memory
  (import "env" "table" (table 1 1 funcref))
  (import "env" "g" (global i32))
  (import "env" "memory" (memory 1 1))
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (global.get 0))))

;; as bytes (wabt writes tags only with --enable-exceptions): a tag of type
;; () -> () imported as env.tag, env.memory imported, a memory defined
(module $tag_memory binary
  "\00asm\01\00\00\00"
  "\01\04\01\60\00\00"                        ;; type 0: () -> ()
  "\02\1b\02"                                 ;; imports: 2
  "\03env\03tag\04\00\00"                     ;;   env.tag: tag of type 0
  "\03env\06memory\02\01\01\02"               ;;   env.memory: min 1, max 2
  "\05\03\01\00\01")                          ;; memories: 1, min 1

;; one memory, imported; the other imports as before
(module $one_memory
  (import "env" "table" (table 1 funcref))
  (import "env" "memory" (memory 1))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $function_table_memory)         (expect install-rejected module-memory)
(install $function_table_global_memory)  (expect install-rejected module-memory)
(install $tag_memory)                    (expect install-rejected module-memory)
(install $one_memory)
(query "hello")                          (expect reply (i32 1))
