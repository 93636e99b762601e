# ic-current with limits small enough that a vector can reach every edge
# (the stable maximum, the 32-bit API's 4 GiB, the heap maxima) in a few
# pages. Only for runtimes with the PROFILE_LIMITS capability.
name = small-limits

max_stable_memory = 64 pages
max_stable_memory_32 = 16 pages
max_heap_wasm32 = 32 pages
max_heap_wasm64 = 48 pages

wasm_memory_limit = 0
wasm_memory_threshold = 0
max_wasm_memory_limit = 281474976710656
max_wasm_memory_threshold = 281474976710656

max_reply_size = 64 KiB
max_query_reply_size = 96 KiB
max_certified_data = 32
max_snapshots = 10               # MAX_SNAPSHOTS (resource-limits.md)
max_log_size = 4 KiB             # fetch_canister_logs: oldest records go

instructions_update = 100000000
instructions_query = 100000000
instructions_install = 300000000
instructions_inspect = 10000000

max_module_size = 1 MiB
max_functions = 50000
max_globals = 1000
max_exported_methods = 1000
max_method_names_size = 20000
max_icp_sections = 16
max_icp_sections_size = 1 MiB

time_start_ns = 1700000000000000000
time_step_ns = 1000000000
cycle_balance = 100000000000000

# memory access per execution (SM-9, LIM-HEAP-ACCESS), in 4 KiB pages:
# access 128/256/96, writes 96/192/80 (message/upgrade/query), so writes
# reach their limit first; the heap 128/256/96. Large enough for the
# vectors of other areas (one byte in each of the 64 stable pages)
stable_access_limit_message = 512 KiB
stable_access_limit_upgrade = 1 MiB
stable_access_limit_query = 384 KiB
stable_write_limit_message = 384 KiB
stable_write_limit_upgrade = 768 KiB
stable_write_limit_query = 320 KiB
heap_access_limit_message = 512 KiB
heap_access_limit_upgrade = 1 MiB
heap_access_limit_query = 384 KiB

feature.stable64 = yes
feature.wasm64 = yes
feature.wasm_memory_limit = yes
feature.low_memory_hook = yes
feature.skip_pre_upgrade = yes
feature.wasm_memory_persistence = yes
feature.stable_in_start = yes
feature.gzip = yes
feature.any_memory_import = yes
feature.simd = yes
feature.tail_call = yes
feature.table64 = yes
feature.snapshots = yes                   # 0.28.0, 2024-10 (SNAP-4)
feature.snapshot_data = yes               # read/upload: 0.47.0, 2025-09
feature.snapshot_load_other = yes         # 0.50.0, 2025-10
feature.snapshot_uninstall = yes          # take + uninstall: 0.54.0, 2025-12

reading.wasm_memory_limit_check = resulting-heap
reading.wasm_memory_limit_in_timers = no
reading.wasm_memory_limit_in_low_memory_hook = no
reading.keep_data_segments = not-applied
reading.low_memory_capacity_without_limit = heap-maximum
reading.memoryless_heap = empty
reading.stable_check_order = formal
reading.wasm_memory_limit_at_start = no
reading.low_memory_capacity_wasm64 = heap-maximum
reading.logs_of_traps = kept               # EDGE-LOGS-ON-TRAP: the prose
