(vector "debug_print never traps, even for ranges past the heap or ones that wrap around"
  (rules MSG-DBG-1 EDGE-DBG-OOB)
  (tags copy))

(module $c
  (memory 1)
  (global $g (mut i32) (i32.const 0))
  ;; also from (start), where the spec allows it explicitly
  (func $start (call $ic0.debug_print (i32.const 65536) (i32.const 1)))
  (start $start)
  (func (export "canister_update print")
    (call $ic0.debug_print (i32.const 0) (i32.const 5))          ;; fine
    (call $ic0.debug_print (i32.const 65535) (i32.const 2))      ;; one past
    (call $ic0.debug_print (i32.const 65537) (i32.const 0))      ;; past, empty
    (call $ic0.debug_print (i32.const 0xFFFFFFFF) (i32.const 2)) ;; wraps
    (call $ic0.debug_print (i32.const 0) (i32.const 0xFFFFFFFF)) ;; huge
    (global.set $g (i32.const 1))
    (call $reply_i32 (global.get $g))))

(install $c)
(update "print")  (expect reply (i32 1))
