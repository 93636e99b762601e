(vector "ic0.trap traps with an explicit trap even when its message range is out of bounds"
  (rules MSG-TRAP-1 EDGE-DBG-OOB)
  (tags copy)
  (notes "The message must not be read from invalid memory, and an"
         "out-of-bounds range must not turn into a heap-out-of-bounds trap."))

(module $c
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  ;; argument: src i32, size i32
  (func (export "canister_update trap")
    (global.set $g (i32.const 1))
    (call $ic0.trap (call $arg_i32 (i32.const 0)) (call $arg_i32 (i32.const 4)))
    (call $reply_empty))
  (func (export "canister_query g")
    (call $reply_i32 (global.get $g))))

(install $c)
(update "trap" (arg (i32 0) (i32 4)))            (expect trap explicit-trap)
(update "trap" (arg (i32 65535) (i32 2)))        (expect trap explicit-trap)
(update "trap" (arg (i32 0xFFFFFFFF) (i32 2)))   (expect trap explicit-trap)
(update "trap" (arg (i32 65537) (i32 0)))        (expect trap explicit-trap)
(query "g")  (expect reply (i32 0))
