(vector "certified_data_set reads src+size from the heap: past the end traps before the size rule"
  (rules COPY-2 COPY-5 EDGE-CERT32 MSG-CERT-1)
  (tags boundary copy))

(module $c
  (memory 1)
  ;; argument: src i32, size i32
  (func (export "canister_update set")
    (call $ic0.certified_data_set (call $arg_i32 (i32.const 0))
                                  (call $arg_i32 (i32.const 4)))
    (call $reply_empty)))

(install $c)
(update "set" (arg (i32 65504) (i32 32)))  (expect reply)
(update "set" (arg (i32 65505) (i32 32)))  (expect trap heap-out-of-bounds)
(update "set" (arg (i32 65536) (i32 0)))   (expect reply)
(update "set" (arg (i32 65537) (i32 0)))   (expect trap heap-out-of-bounds)
(update "set" (arg (i32 0xFFFFFFFF) (i32 2)))  (expect trap heap-out-of-bounds)
;; in bounds but longer than max_certified_data: the size rule
(update "set" (arg (i32 0) (i32 (+ max_certified_data 1))))
(expect trap contract-violation)
