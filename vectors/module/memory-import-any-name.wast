(vector "a memory imported under another name than env.memory: refused before 2023-06, allowed since"
  (rules MOD-MEM-3)
  (tags module history)
  (notes "Until spec commit 3e6149c (2023-06-27) an imported memory had to be"
         "env.memory; the condition was dropped as not enforced on mainnet."
         "Both names had to match: env.heap and somewhere.memory are refused"
         "before as well."
         "The profile's feature.any_memory_import picks the era."))

(module $c
  (import "somewhere" "heap" (memory 1))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $env_heap
  (import "env" "heap" (memory 1))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(module $other_memory
  (import "somewhere" "memory" (memory 1))
  (func (export "canister_query size")
    (call $reply_i32 (memory.size))))

(install $c)
(expect one-of
  (env-memory-only install-rejected module-import)
  (any-name reply))
(uninstall)
(install $env_heap)
(expect one-of
  (env-memory-only install-rejected module-import)
  (any-name reply))
(uninstall)
(install $other_memory)
(expect one-of
  (env-memory-only install-rejected module-import)
  (any-name reply))
