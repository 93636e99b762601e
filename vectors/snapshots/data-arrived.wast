(vector "reading and uploading snapshots arrived in 0.47.0: refused before, done since"
  (rules SNAP-4 SNAP-7)
  (requires snapshot-data)
  (history snapshot-data)
  (tags snapshots history)
  (notes "ic-2025 (0.46.0) has snapshots but not their download and upload"
         "(0.47.0, 2025-09-22); ic-2021 and ic-2022 have neither, so every"
         "step is refused there as well."))

(module $c
  (memory 1)
  (func (export "canister_query ok") (call $reply_empty)))

(install $c)
(take-snapshot $s)
(expect one-of
  (before-0.28.0 reject canister-error unsupported)
  (since-0.28.0 reply))
(snapshot-metadata $s source)
(expect one-of
  (before-0.47.0 reject canister-error unsupported)
  (since-0.47.0 reply (i32 1)))
(snapshot-data $s heap 0 1)
(expect one-of
  (before-0.47.0 reject canister-error unsupported)
  (since-0.47.0 reply (bytes "\00")))
(upload-snapshot-metadata $u (wasm_module_size $c) (wasm_memory_size 65536))
(expect one-of
  (before-0.47.0 reject canister-error unsupported)
  (since-0.47.0 reply))
(upload-snapshot-data $u module $c)
(expect one-of
  (before-0.47.0 reject canister-error unsupported)
  (since-0.47.0 reply))
(delete-snapshot $s)
(expect one-of
  (before-0.28.0 reject canister-error unsupported)
  (since-0.28.0 reply))
(list-snapshots)
(expect one-of
  (before-0.47.0 reply (i64 0))
  (since-0.47.0 reply (i64 1)))
