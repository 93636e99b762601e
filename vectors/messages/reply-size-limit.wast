(vector "a reply of exactly max_reply_size bytes is sent; one byte more traps, in one append or across two"
  (rules MSG-REPLY-APPEND-1 LIM-MSG-1 TXN-1)
  (tags messages boundary))

;; "send N" grows the heap to hold N bytes and replies with heap [0, N).
;; "send-split N" appends N-1 bytes and then 1 byte.
(module $c
  (memory 1)
  (global $sent (mut i64) (i64.const 0))
  (func $fit (param $size i32)
    ;; pages needed for $size bytes, minus the pages we have
    (drop (memory.grow
      (i32.sub
        (i32.shr_u (i32.add (local.get $size) (i32.const 65535)) (i32.const 16))
        (memory.size)))))
  (func (export "canister_update send")
    (local $size i32)
    (local.set $size (call $arg_i32 (i32.const 0)))
    (call $fit (local.get $size))
    (global.set $sent (i64.add (global.get $sent) (i64.const 1)))
    (call $ic0.msg_reply_data_append (i32.const 0) (local.get $size))
    (call $ic0.msg_reply))
  (func (export "canister_update send-split")
    (local $size i32)
    (local.set $size (call $arg_i32 (i32.const 0)))
    (call $fit (local.get $size))
    (global.set $sent (i64.add (global.get $sent) (i64.const 1)))
    (call $ic0.msg_reply_data_append (i32.const 0) (i32.sub (local.get $size) (i32.const 1)))
    (call $ic0.msg_reply_data_append (i32.const 0) (i32.const 1))
    (call $ic0.msg_reply))
  (func (export "canister_query sent")
    (call $reply_i64 (global.get $sent))))

(install $c)
(update "send" (arg i32 max_reply_size))                  (expect reply)
(update "send" (arg i32 (+ max_reply_size 1)))            (expect trap contract-violation)
(update "send-split" (arg i32 max_reply_size))            (expect reply)
(update "send-split" (arg i32 (+ max_reply_size 1)))      (expect trap contract-violation)
;; the trapping sends left nothing behind
(query "sent")                                            (expect reply (i64 2))
