(vector "a data segment that ends past the declared memory fails instantiation: the install is refused"
  (rules EDGE-INITMEM HEAP-10)
  (tags lifecycle boundary))

;; ends exactly at the end of the one page
(module $fits
  (memory 1)
  (data (i32.const 65534) "ok")
  (func (export "canister_query tail")
    (call $reply_data (i32.const 65534) (i32.const 2))))

;; one byte past it
(module $past
  (memory 1)
  (data (i32.const 65535) "no")
  (func (export "canister_query tail")
    (call $reply_data (i32.const 65534) (i32.const 2))))

(install $past)   (expect install-rejected instantiation-failed)
(install $fits)
(query "tail")    (expect reply (text "ok"))
;; a failed reinstall leaves the installed code and heap as they were
(reinstall $past) (expect install-rejected instantiation-failed)
(query "tail")    (expect reply (text "ok"))
