# ic-current with the wasm64 heap maximum the replica is moving to: 18 GiB
# (dfinity/ic PR #11445, "test-bump", open 2026-09-04; its test
# large_heaps.rs asserts 18 GiB = 3 x the 6 GiB per-message access limit of
# PR #11400). See ../shared/reference/spec-2026-changes.md 2.1 and
# docs/memory-model.md, "Profiles". The whole suite passes under it on the
# reference in about the time of ic-current: no vector pays for the heap's
# size. xcheck runs only the big-heap vectors under it (runner/adapters/xcheck.sh).
name = ic-large-heaps
max_heap_wasm64 = 18 GiB
