(vector "memory64 canisters exist since interface spec 0.30.0: refused before, installed since"
  (rules W64-5 MOD-MEM-2)
  (history wasm64)
  (tags wasm64 history)
  (notes "(history wasm64): the vector also runs where the profile lacks"
         "feature.wasm64 (the runtime still needs the capability). The"
         "module is just one memory64 memory of one page, given as bytes."))

;; magic, version, memory section: one memory, flags 0x04 (i64), min 1
(module $m64 binary "\00asm\01\00\00\00" "\05\03\01\04\01")

(install $m64)
(expect one-of
  (before-0.30 install-rejected module-memory)
  (since-0.30 reply))
