# The Internet Computer in mid-2025: interface specification 0.46.0
# (2025-08-25; numbered 0.45.0 in the portal's old changelog), read at
# dfinity/portal 0484f2cf, the text the catalogue was first written from.
# It differs from ic-current (0.66.0) where a vector can see it:
# wasm_memory_limit up to 2^48 - 1 (2^48 from 0.64.0), wasm_memory_threshold
# up to 2^64 - 1 (2^48 from 0.64.0). memory_allocation capping usage (until
# 0.52.0) and the allocation term of the hook's condition (LOW-3) are not
# in the model (no allocation setting); responses during a Ready hook
# (0.62.0) and msg_reject_code in cleanup (0.54.0) need callbacks, which
# the model does not have. Keys and units: docs/memory-model.md, "Profiles".
name = ic-2025

# ---- memories (LIM-SM-1, LIM-HEAP-1, LIM-HEAP-2) ----
max_stable_memory = 500 GiB
max_stable_memory_32 = 4 GiB     # SM32-*: the 32-bit API's 2^32 bytes
max_heap_wasm32 = 4 GiB
max_heap_wasm64 = 6 GiB          # unspecified (EDGE-W64HEAP): 6 GiB
                                 # since 2025-02 (dfinity/ic PR #3748)

# ---- settings (HEAP-4, LOW-2, LIM-SET-1) ----
wasm_memory_limit = 0            # at creation; 0 = no limit
wasm_memory_threshold = 0
max_wasm_memory_limit = 281474976710655   # 2^48 - 1
max_wasm_memory_threshold = 18446744073709551615   # 2^64 - 1

# ---- messages (LIM-MSG-1, MSG-CERT-1) ----
max_reply_size = 2 MiB
max_query_reply_size = 3 MiB
max_certified_data = 32
max_snapshots = 10               # MAX_SNAPSHOTS (resource-limits.md)
max_log_size = 4 KiB             # fetch_canister_logs: oldest records go

# ---- instructions per execution (LIM-INSTR-1) ----
instructions_update = 40000000000
instructions_query = 5000000000
instructions_install = 300000000000
instructions_inspect = 200000000

# ---- modules (MOD-LIM-1, MOD-LIM-2) ----
max_module_size = 100 MiB
max_functions = 50000
max_globals = 1000
max_exported_methods = 1000
max_method_names_size = 20000
max_icp_sections = 16
max_icp_sections_size = 1 MiB

# ---- the deterministic environment ----
time_start_ns = 1700000000000000000
time_step_ns = 1000000000
cycle_balance = 100000000000000

# ---- features (section 18, timeline) ----
feature.stable64 = yes
feature.wasm64 = yes                      # 0.30.0, 2024-11
feature.wasm_memory_limit = yes           # 0.25.0, 2024-06
feature.low_memory_hook = yes             # 0.34.0, 2025-03
feature.skip_pre_upgrade = yes            # 0.21.0, 2023-09
feature.wasm_memory_persistence = yes     # 0.25.0, 2024-06
feature.stable_in_start = yes             # 0.19.0, 2023-06
feature.gzip = yes                        # 0.18.4, 2022-06
feature.any_memory_import = yes           # 2023-06-27
# Wasm features (MOD-FEAT-*): not in the spec's changelog; sources and the
# missing exact dates in docs/memory-model.md, "Wasm features"
feature.simd = yes                        # May 2024: NNS proposal 129696
                                          # (sdk #3754, 2024-05-14); docs page
                                          # 2024-05-27; off in 2021 (forum 6335)
feature.tail_call = yes                   # late 2024: dfinity/ic PR #2826,
                                          # opened 2024-11-26
feature.table64 = yes                     # late 2024, with wasm64: wasmtime 26
feature.snapshots = yes                   # 0.28.0, 2024-10 (SNAP-4)
feature.snapshot_data = no                # read/upload: 0.47.0, 2025-09
feature.snapshot_load_other = no          # 0.50.0, 2025-10
feature.snapshot_uninstall = no           # take + uninstall: 0.54.0, 2025-12
                                          # (dfinity/ic PR #2205, 2024-10-23)

# ---- readings of ambiguous text (section 20); the prose's by default ----
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
