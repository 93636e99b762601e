(vector "install_code takes a wasm binary or its gzip stream, and refuses anything else"
  (rules MOD-FMT-1 TXN-6)
  (tags module))

(module $c
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 7))))

;; not wasm: neither \00asm nor a gzip header
(module $junk binary "this is not a module")
;; the wasm magic, then a truncated section
(module $truncated binary "\00asm\01\00\00\00\01\05")
;; shorter than the magic; the magic without a whole version
(module $two-bytes binary "\00a")
(module $short-version binary "\00asm\01\00")
;; the first two bytes of the gzip magic only
(module $half-gzip binary "\1f\8b\00\00")

(install $junk)       (expect install-rejected invalid-module)
(install $truncated)  (expect install-rejected invalid-module)
(install $two-bytes)  (expect install-rejected invalid-module)
(install $short-version)  (expect install-rejected invalid-module)
(install $half-gzip)  (expect install-rejected invalid-module)
(install $c (gzip))
(query "hello")       (expect reply (i32 7))
(reinstall $c)
(query "hello")       (expect reply (i32 7))
