# ic-current with the alternative readings of two ambiguous rules, so the
# runner's one-of expectations report the other reading (run-vectors.sh).
name = alternative-readings
reading.stable_check_order = stable-first
reading.wasm_memory_limit_check = growth-only
