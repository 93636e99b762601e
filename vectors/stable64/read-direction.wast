(vector "stable64_read copies stable[offset, offset+size) to heap[dst, dst+size), not the other way round"
  (rules SM64-READ-1 SM64-FORMAL-BUG-1 EDGE-READSWAP)
  (tags basic)
  (notes "The formal text writes the read body with swapped indices"
         "(wasm_memory[offset..] := stable_memory[src..]). dst and offset"
         "differ here, and both memories hold distinct bytes at both places,"
         "so a swapped copy shows."))

(module $c
  (memory 1)
  (data (i32.const 100) "heap@100")
  (data (i32.const 300) "heap@300")
  (data (i32.const 500) "stbl@100stbl@300")
  (func (export "canister_init")
    ;; stable 100 := "stbl@100", stable 300 := "stbl@300"
    (drop (call $ic0.stable64_grow (i64.const 1)))
    (call $ic0.stable64_write (i64.const 100) (i64.const 500) (i64.const 8))
    (call $ic0.stable64_write (i64.const 300) (i64.const 508) (i64.const 8)))
  ;; heap 300 := stable 100
  (func (export "canister_update read")
    (call $ic0.stable64_read (i64.const 300) (i64.const 100) (i64.const 8))
    (call $reply_empty))
  ;; heap 100, heap 300, stable 100, stable 300
  (func (export "canister_query memories")
    (call $ic0.msg_reply_data_append (i32.const 100) (i32.const 8))
    (call $ic0.msg_reply_data_append (i32.const 300) (i32.const 8))
    (call $ic0.stable64_read (i64.const 600) (i64.const 100) (i64.const 8))
    (call $ic0.msg_reply_data_append (i32.const 600) (i32.const 8))
    (call $ic0.stable64_read (i64.const 600) (i64.const 300) (i64.const 8))
    (call $ic0.msg_reply_data_append (i32.const 600) (i32.const 8))
    (call $ic0.msg_reply)))

(install $c)
(query "memories")
(expect reply (text "heap@100") (text "heap@300") (text "stbl@100") (text "stbl@300"))
(update "read")
;; only heap 300 changed: it now holds what stable 100 holds
(query "memories")
(expect reply (text "heap@100") (text "stbl@100") (text "stbl@100") (text "stbl@300"))
