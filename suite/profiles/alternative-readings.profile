# ic-current with every ambiguous rule read the other way: the
# alternatives of section 20 that the prose does not take
# (docs/memory-model.md, "Profiles"). A vector whose `one-of` misses one
# of these readings fails here, so the suite is checked to accept every
# named alternative, and the reference's code for them runs.
name = alternative-readings
reading.wasm_memory_limit_check = growth-only
reading.wasm_memory_limit_in_timers = yes
reading.wasm_memory_limit_in_low_memory_hook = yes
reading.keep_data_segments = reapplied
reading.low_memory_capacity_without_limit = zero
reading.memoryless_heap = trap
reading.stable_check_order = stable-first
reading.wasm_memory_limit_at_start = yes
reading.low_memory_capacity_wasm64 = wasm32-maximum
reading.logs_of_traps = dropped
# The replica's default wasm_memory_limit of 3 GiB for new canisters is a
# value of the profile key wasm_memory_limit, not a reading; it stays 0
# here, because the heap-maximum vectors grow past 3 GiB
# (settings/default-limit.wast shows both).
