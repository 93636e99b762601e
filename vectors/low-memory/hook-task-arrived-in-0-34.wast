(vector "canister_on_low_wasm_memory is a system task since interface spec 0.34.0: no such task before, not scheduled since"
  (rules LOW-1 LOW-2)
  (history low-memory-hook)
  (tags low-memory history)
  (notes "(history low-memory-hook): the vector also runs where the profile"
         "lacks feature.low_memory_hook, and checks that the task is refused"
         "there (category unsupported). Since 0.34.0, with the default"
         "threshold 0, the hook is not scheduled. The module does not export"
         "the hook, which would be refused before 0.34.0, and has no memory,"
         "so the capacity is not below the heap under either reading of"
         "EDGE-LOWCAP (a limit of 0 is capacity 0 under the formal one)."))

(module $c
  (func (export "canister_query hello")
    (call $ic0.msg_reply)))

(install $c)
(system-task on_low_wasm_memory)
(expect one-of
  (before-0.34 reject destination-invalid unsupported)
  (since-0.34 reject destination-invalid task-not-scheduled))
(query "hello")   (expect reply (bytes ""))
