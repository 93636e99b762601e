(vector "a wasm_memory_threshold one above max_wasm_memory_threshold is refused and leaves the low-memory hook unscheduled"
  (rules LIM-SET-1 LOW-3)
  (tags settings boundary low-memory)
  (notes "dfinity/ic#10574: the threshold was accepted up to 2^64 - 1 and"
         "is capped at 2^48 since 0.64.0. With a limit of 4 pages and a"
         "1-page heap, an accepted threshold of 2^48 + 1 would make the"
         "hook due; the refused one changes nothing. Before 0.64 the"
         "maximum is 2^64 - 1, and one above it is 0 (modulo 2^64): a"
         "threshold that never schedules the hook."))

(module $c
  (memory 1)
  (func (export "canister_on_low_wasm_memory")))

(install $c)
(settings (wasm_memory_limit (* 4 page)))
(settings (wasm_memory_threshold (+ max_wasm_memory_threshold 1)))
(expect one-of
  (since-0.64 reject canister-error invalid-settings)
  (before-0.64 reply))
(system-task on_low_wasm_memory)   (expect reject destination-invalid task-not-scheduled)
;; the maximum itself is accepted and makes the hook due
(settings (wasm_memory_threshold max_wasm_memory_threshold))
(system-task on_low_wasm_memory)
