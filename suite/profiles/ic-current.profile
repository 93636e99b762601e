# The Internet Computer as of interface specification 0.66.0 (2026-08-17,
# dfinity/developer-docs b58cf04, docs/references/ic-interface-spec/), with
# the limits of docs/references/resource-limits.md (2026-05-20). Equal to
# the model's built-in defaults. The behaviour before the 2025-11..2026-08
# changes is ic-2025.profile. Keys and units: docs/memory-model.md,
# "Profiles".
name = ic-current

# ---- memories (LIM-SM-1, LIM-HEAP-1, LIM-HEAP-2) ----
# resource-limits.md (2026-05-20): heap 4 GiB wasm32, 6 GiB wasm64;
# stable 500 GiB (replica MAX_STABLE_MEMORY_IN_BYTES)
max_stable_memory = 500 GiB
max_stable_memory_32 = 4 GiB     # SM32-*: the 32-bit API's 2^32 bytes
max_heap_wasm32 = 4 GiB
max_heap_wasm64 = 6 GiB          # unspecified (EDGE-W64HEAP): resource
                                 # limits page 2026-05; 18 GiB proposed
                                 # (dfinity/ic PR #11445, open)

# ---- settings (HEAP-4, LOW-2, LIM-SET-1) ----
# management-canister.md, update_settings (0.66.0)
wasm_memory_limit = 0            # at creation; 0 = no limit (the spec's
                                 # default; the replica gives new canisters
                                 # 3 GiB: alternative-readings.profile)
wasm_memory_threshold = 0
max_wasm_memory_limit = 281474976710656       # 2^48 inclusive (0.64.0,
                                              # 2026-07-06; was 2^48 - 1)
max_wasm_memory_threshold = 281474976710656   # 2^48 (0.64.0; was 2^64 - 1)

# ---- messages (LIM-MSG-1, MSG-CERT-1) ----
# resource-limits.md; certified data: canister-interface.md, Certified data
max_reply_size = 2 MiB
max_query_reply_size = 3 MiB
max_certified_data = 32
max_snapshots = 10               # MAX_SNAPSHOTS (resource-limits.md)
max_log_size = 4 KiB             # fetch_canister_logs: oldest records go

# ---- instructions per execution (LIM-INSTR-1) ----
# resource-limits.md; replica rs/config/src/subnet_config.rs
instructions_update = 40000000000
instructions_query = 5000000000
instructions_install = 300000000000
instructions_inspect = 200000000

# ---- modules (MOD-LIM-1, MOD-LIM-2) ----
# resource-limits.md; replica rs/config/src/embedders.rs
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

# ---- memory access per execution (SM-9, LIM-SM-2, LIM-HEAP-ACCESS) ----
# Distinct 4 KiB pages touched by one execution, in bytes; 0 = no limit.
# message = update and system task; upgrade = each execution of
# install_code; query = either mode and inspect_message.
# Stable: dfinity/ic rs/config/src/embedders.rs,
# STABLE_MEMORY_ACCESSED_PAGE_LIMIT_* and STABLE_MEMORY_DIRTY_PAGE_LIMIT_*
# (counted in OS pages); developer-docs "Resource limits" (2026-05-20).
stable_access_limit_message = 2 GiB
stable_access_limit_upgrade = 8 GiB
stable_access_limit_query = 1 GiB
stable_write_limit_message = 2 GiB
stable_write_limit_upgrade = 8 GiB
stable_write_limit_query = 1 GiB
# Heap: 6 GiB per execution is only proposed (dfinity/ic PR #11400, open
# 2026-09-01, wasm_memory_accessed_page_limit); not enforced yet.
heap_access_limit_message = 0
heap_access_limit_upgrade = 0
heap_access_limit_query = 0

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
feature.snapshot_data = yes               # read/upload: 0.47.0, 2025-09
feature.snapshot_load_other = yes         # 0.50.0, 2025-10
feature.snapshot_uninstall = yes          # take + uninstall: 0.54.0, 2025-12
                                          # (dfinity/ic PR #2205, 2024-10-23)

# ---- readings of ambiguous text (section 20); the prose's by default ----
reading.wasm_memory_limit_check = resulting-heap
reading.wasm_memory_limit_in_timers = no
reading.wasm_memory_limit_in_low_memory_hook = no
reading.keep_data_segments = not-applied
reading.low_memory_capacity_without_limit = heap-maximum
reading.memoryless_heap = empty
reading.stable_check_order = formal
# the replica's enforcement where the text is silent (docs/memory-model.md,
# "The replica's readings"): update fails at its start when the heap is
# already over the limit (execution/update.rs); an unset limit counts as
# 4 GiB in the hook's condition, wasm64 included
reading.wasm_memory_limit_at_start = no
reading.low_memory_capacity_wasm64 = heap-maximum
reading.logs_of_traps = kept               # EDGE-LOGS-ON-TRAP: the prose
