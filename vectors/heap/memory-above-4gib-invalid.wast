(vector "a wasm32 memory declaring more than 65,536 pages is not a valid module"
  (rules HEAP-3 LIM-HEAP-1)
  (tags boundary module)
  (notes "Given as bytes: wat2wasm refuses to write such a module."))

;; memory section: one memory, flags 0 (no maximum), minimum 65,537
(module $min_too_big binary "\00asm\01\00\00\00" "\05\05\01\00\81\80\04")
;; flags 1: minimum 1, maximum 65,537
(module $max_too_big binary "\00asm\01\00\00\00" "\05\06\01\01\01\81\80\04")
;; minimum 1, maximum 65,536: valid
(module $max_ok binary "\00asm\01\00\00\00" "\05\06\01\01\01\80\80\04")

(install $min_too_big)  (expect install-rejected invalid-module)
(install $max_too_big)  (expect install-rejected invalid-module)
(install $max_ok)
