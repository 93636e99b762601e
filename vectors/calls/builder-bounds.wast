(vector "call_new traps on a callee or method name past the heap; an argument may reach max_reply_size bytes, in one piece or several, and not one byte more"
  (rules CALL-BUILD-1 COPY-2 LIM-MSG-1)
  (tags calls limits)
  (notes "call_new takes (src, size) ranges for the callee and the method"
         "name, read at call time: past the heap they trap (COPY-2). The"
         "resource limits give 2 MiB for an inter-canister request as for a"
         "reply (developer docs, \"Resource limits\"); the model takes both"
         "from max_reply_size, allows an argument of exactly that size and"
         "traps in call_data_append on the byte that would pass it."))

;; "new K": call_new with 1 the callee, 2 the method name, 8 bytes short
;; of fitting the heap's last page. "append A B": call_new, append A then
;; B bytes from address 0, perform; replies call_perform's result.
;; "grow N" grows the heap by N pages.
(module $c
  (memory 1)
  (table 1 funcref)
  (elem (i32.const 0) $cb)
  (func $end (result i32)
    (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 8)))
  (func (export "canister_update new")
    (local $far i32)
    (local.set $far (call $end))
    (if (i32.eq (call $arg_i32 (i32.const 0)) (i32.const 1))
      (then (call $ic0.call_new (local.get $far) (i32.const 10) (i32.const 0) (i32.const 4)
              (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)))
      (else (call $ic0.call_new (i32.const 0) (i32.const 10) (local.get $far) (i32.const 16)
              (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))))
    (drop (call $ic0.call_perform))
    (call $reply_empty))
  (func (export "canister_update grow")
    (call $reply_i32 (memory.grow (call $arg_i32 (i32.const 0)))))
  (func (export "canister_update append")
    (local $a i32) (local $b i32)
    (local.set $a (call $arg_i32 (i32.const 0)))
    (local.set $b (call $arg_i32 (i32.const 4)))
    (call $ic0.call_new (i32.const 0) (i32.const 10) (i32.const 0) (i32.const 4)
      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0))
    (call $ic0.call_data_append (i32.const 0) (local.get $a))
    (call $ic0.call_data_append (i32.const 0) (local.get $b))
    (call $reply_i32 (call $ic0.call_perform)))
  (func $cb (param i32)))

(install $c)
(update "new" (arg i32 1))      (expect trap heap-out-of-bounds)
(update "new" (arg i32 2))      (expect trap heap-out-of-bounds)
(outgoing-calls)
(update "grow" (arg i32 (+ (pages max_reply_size) 1)))   (expect reply (i32 1))
(update "append" (arg (i32 max_reply_size) (i32 0)))     (expect reply (i32 0))
(update "append" (arg (i32 (- max_reply_size 1)) (i32 1)))  (expect reply (i32 0))
(update "append" (arg (i32 (+ max_reply_size 1)) (i32 0)))  (expect trap contract-violation)
(update "append" (arg (i32 1) (i32 max_reply_size)))     (expect trap contract-violation)
