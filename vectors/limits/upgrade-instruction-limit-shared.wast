(vector "pre_upgrade and post_upgrade share one install instruction limit: each fits alone, both together do not"
  (rules LIM-INSTR-1 UPG-1)
  (requires instruction-limit)
  (maximum (instructions_install 1000000000))
  (tags limits lifecycle)
  (notes "LIM-INSTR-1: the limit of an install or upgrade is one limit for"
         "the whole install_code message (IC developer docs, Resource"
         "limits: instructions per install or upgrade), so the steps of an"
         "upgrade draw on one budget. Each spin takes 1/7 of the limit in"
         "iterations of a few instructions (5 here): alone it fits, two of"
         "them do not, for any count between 3.5 and 7 instructions an"
         "iteration. Runs only where the install limit is small enough to"
         "reach quickly (small-limits: 300 million)."))

;; pre_upgrade spins the count that "set" kept in stable memory,
;; post_upgrade the count its argument gives
(module $c
  (memory 1)
  (func $spin (param $n i32)
    (if (local.get $n)
      (then (loop $l
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))))
  (func (export "canister_update set")
    (if (i64.eqz (call $ic0.stable64_size))
      (then (drop (call $ic0.stable64_grow (i64.const 1)))))
    (i32.store (i32.const 0) (call $arg_i32 (i32.const 0)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 0) (i64.const 4))
    (call $reply_empty))
  (func (export "canister_pre_upgrade")
    (call $ic0.stable64_read (i64.const 0) (i64.const 0) (i64.const 4))
    (call $spin (i32.load (i32.const 0))))
  (func (export "canister_post_upgrade")
    (call $spin (call $arg_i32 (i32.const 0)))))

(install $c)
;; a long pre_upgrade alone fits
(update "set" (arg i32 (/ instructions_install 7)))   (expect reply)
(upgrade $c (arg i32 0))                              (expect reply)
;; a long post_upgrade alone fits
(update "set" (arg i32 0))                            (expect reply)
(upgrade $c (arg i32 (/ instructions_install 7)))     (expect reply)
;; both long: the second runs out of what the first left
(update "set" (arg i32 (/ instructions_install 7)))   (expect reply)
(upgrade $c (arg i32 (/ instructions_install 7)))     (expect install-rejected instruction-limit)
