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
