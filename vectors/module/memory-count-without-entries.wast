(vector "a memory section that announces more memories than it holds is malformed"
  (rules MOD-MEM-1 MOD-FMT-1)
  (tags module)
  (notes "Only a well-formed module can break MOD-MEM-1: a memory section"
         "whose count is 2 but which holds no entries, or whose count is"
         "huge, is not a module at all and is refused as invalid, not as a"
         "module with several memories."))

;; the memory section (id 5) says 2 memories and ends
(module $count_only binary "\00asm\01\00\00\00" "\05\01\02")
;; the memory section says 2^35 - 1 memories
(module $huge_count binary "\00asm\01\00\00\00" "\05\05\ff\ff\ff\ff\7f")
;; two memories that are really there
(module $two binary "\00asm\01\00\00\00" "\05\05\02\00\01\00\01")
(module $one
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $count_only)  (expect install-rejected invalid-module)
(install $huge_count)  (expect install-rejected invalid-module)
(install $two)         (expect install-rejected module-memory)
(install $one)
(query "hello")        (expect reply (i32 1))
