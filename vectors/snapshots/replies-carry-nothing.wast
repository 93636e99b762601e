(vector "a snapshot operation's reply carries nothing of the message before it: take, upload of metadata, upload of data"
  (rules SNAP-1 SNAP-3)
  (requires snapshot-data)
  (tags snapshots)
  (notes "The payload a runtime returns for a management operation is its"
         "own (docs/adapter-abi.md: the adapter owns an outcome's payload"
         "until the next call); the reply data of the query before it is"
         "gone. As for delete_snapshot in snapshots/limit-and-replace."))

(module $c
  (memory 1)
  (func (export "canister_query get")
    (call $reply_i32 (i32.const 7))))

(install $c)
(query "get")                             (expect reply (i32 7))
(take-snapshot $s)                        (expect reply (bytes ""))
(query "get")                             (expect reply (i32 7))
(upload-snapshot-metadata $u (wasm_module_size $c) (wasm_memory_size 65536))
                                          (expect reply (bytes ""))
(query "get")                             (expect reply (i32 7))
(upload-snapshot-data $u module $c)       (expect reply (bytes ""))
(query "get")                             (expect reply (i32 7))
(upload-snapshot-data $u heap 0 (i32 1))  (expect reply (bytes ""))
