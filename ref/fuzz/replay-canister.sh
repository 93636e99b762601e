#!/bin/sh
# Replay inputs of the canister harness with the environment the last
# `make fuzz-canister` used, printing each decoded step in vector syntax
# (CANMEM_FUZZ_TRACE): the start of a vector for a finding.
#   ref/fuzz/replay-canister.sh [BUILD-DIR/ref/fuzz] FILE...
set -eu
dir=ref/fuzz
if [ $# -gt 0 ] && [ -d "$1" ]; then dir=$1; shift; fi
[ -f "$dir/canister-env" ] || { echo "replay-canister: run make fuzz-canister first" >&2; exit 2; }
. "$dir/canister-env"
CANMEM_FUZZ_TRACE=1 exec "$dir/fuzz_canister" "$@"
