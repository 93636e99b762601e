# The Internet Computer in late 2021 (interface spec 0.18.2, 2021-09-29):
# 64-bit stable memory just added (experimental), 8 GiB of it. No gzip
# modules yet (0.18.4), no wasm64, no wasm_memory_limit, no low-memory
# hook, no skip_pre_upgrade, no wasm_memory_persistence; (start) may not use
# stable memory; an imported memory must be env.memory; modules may not use
# SIMD, tail calls or 64-bit tables. Values not researched for that date
# keep the current ones (marked "as current").
name = ic-2021

max_stable_memory = 8 GiB
max_stable_memory_32 = 4 GiB
max_heap_wasm32 = 4 GiB
max_heap_wasm64 = 4 GiB          # unused: wasm64 is off

wasm_memory_limit = 0
wasm_memory_threshold = 0
max_wasm_memory_limit = 281474976710655
max_wasm_memory_threshold = 18446744073709551615   # unused: no hook

max_reply_size = 2 MiB
max_query_reply_size = 3 MiB     # as current
max_certified_data = 32
max_snapshots = 10               # MAX_SNAPSHOTS (resource-limits.md)
max_log_size = 4 KiB             # fetch_canister_logs: oldest records go

instructions_update = 40000000000     # as current
instructions_query = 5000000000       # as current
instructions_install = 300000000000   # as current
instructions_inspect = 200000000      # as current

max_module_size = 2 MiB          # one install_code message (no chunks)
max_functions = 50000            # as current
max_globals = 300
max_exported_methods = 1000      # as current
max_method_names_size = 20000    # as current
max_icp_sections = 16
max_icp_sections_size = 1 MiB

time_start_ns = 1630000000000000000
time_step_ns = 1000000000
cycle_balance = 100000000000000

# memory access per execution (SM-9): no per-message limits were published
# in 2021 (stable memory itself stopped at 8 GiB)
stable_access_limit_message = 0
stable_access_limit_upgrade = 0
stable_access_limit_query = 0
stable_write_limit_message = 0
stable_write_limit_upgrade = 0
stable_write_limit_query = 0
heap_access_limit_message = 0
heap_access_limit_upgrade = 0
heap_access_limit_query = 0

feature.stable64 = yes
feature.wasm64 = no
feature.wasm_memory_limit = no
feature.low_memory_hook = no
feature.skip_pre_upgrade = no
feature.wasm_memory_persistence = no
feature.stable_in_start = no
feature.gzip = no
feature.any_memory_import = no
feature.simd = no                # SIMD was off until 2024 (forum 6335)
feature.tail_call = no           # tail calls came in late 2024 (ic #2826)
feature.table64 = no             # 64-bit tables came with wasm64 (2024)
feature.snapshots = no                    # 0.28.0, 2024-10 (SNAP-4)
feature.snapshot_data = no                # read/upload: 0.47.0, 2025-09
feature.snapshot_load_other = no          # 0.50.0, 2025-10
feature.snapshot_uninstall = no           # take + uninstall: 0.54.0, 2025-12

reading.wasm_memory_limit_check = resulting-heap
reading.wasm_memory_limit_in_timers = no
reading.wasm_memory_limit_in_low_memory_hook = no
reading.keep_data_segments = not-applied
reading.low_memory_capacity_without_limit = heap-maximum
reading.memoryless_heap = trap                 # the formal text of the time
reading.stable_check_order = formal
reading.wasm_memory_limit_at_start = no
reading.low_memory_capacity_wasm64 = heap-maximum
reading.logs_of_traps = kept               # EDGE-LOGS-ON-TRAP: the prose
