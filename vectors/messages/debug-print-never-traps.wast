(vector "debug_print never traps, even for a range past the heap, one whose end wraps around, bytes that are not text, or a module without memory"
  (rules MSG-DBG-1 EDGE-DBG-OOB)
  (tags messages boundary))

(module $c
  (memory 1)
  (global $printed (mut i64) (i64.const 0))
  (data (i32.const 100) "hello")
  (data (i32.const 200) "\00\1f\7f\80\ff")
  (func $print (param $src i32) (param $size i32)
    (call $ic0.debug_print (local.get $src) (local.get $size))
    (global.set $printed (i64.add (global.get $printed) (i64.const 1))))
  ;; (start) may print too; nothing happens
  (func $start (call $print (i32.const 100) (i32.const 5)))
  (start $start)
  (func (export "canister_update print")
    (call $print (i32.const 100) (i32.const 5))
    ;; exactly up to the end of the heap, one byte past it, far past it
    (call $print (i32.const 65531) (i32.const 5))
    (call $print (i32.const 65532) (i32.const 5))
    (call $print (i32.const 65536) (i32.const 1))
    ;; 0xFFFFFFFF + 2 wraps around to 1
    (call $print (i32.const -1) (i32.const 2))
    (call $print (i32.const 0) (i32.const -1))
    ;; control bytes, DEL and bytes above 0x7f
    (call $print (i32.const 200) (i32.const 5))
    (call $reply_i64 (global.get $printed)))
  (func (export "canister_query printed")
    (call $reply_i64 (global.get $printed))))

;; no memory: there is nothing to read, still no trap
(module $bare
  (func (export "canister_update print")
    (call $ic0.debug_print (i32.const 0) (i32.const 5))
    (call $ic0.debug_print (i32.const 0) (i32.const 0))
    (call $ic0.msg_reply)))

(install $c)
(query "printed")   (expect reply (i64 1))
(update "print")    (expect reply (i64 8))
;; the update committed
(query "printed")   (expect reply (i64 8))
(reinstall $bare)
(update "print")    (expect reply)
