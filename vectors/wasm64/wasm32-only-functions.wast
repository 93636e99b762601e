(vector "the 32-bit stable API and the 64-bit-amount cycles API are unavailable to memory64 canisters"
  (rules W64-4 MOD-IMP-2 EDGE-W64-TYPES)
  (tags wasm64 module)
  (notes "vectors/module/wasm64-no-32bit-stable-api.wast checks stable_size;"
         "this one checks the other eight functions of the list."))

;; each module imports one wasm32-only function with its 32-bit type
(module $stable_grow
  (import "ic0" "stable_grow" (func (param i32) (result i32)))
  (memory i64 1))
(module $stable_write
  (import "ic0" "stable_write" (func (param i32 i32 i32)))
  (memory i64 1))
(module $stable_read
  (import "ic0" "stable_read" (func (param i32 i32 i32)))
  (memory i64 1))
(module $msg_cycles_available
  (import "ic0" "msg_cycles_available" (func (result i64)))
  (memory i64 1))
(module $msg_cycles_refunded
  (import "ic0" "msg_cycles_refunded" (func (result i64)))
  (memory i64 1))
(module $msg_cycles_accept
  (import "ic0" "msg_cycles_accept" (func (param i64) (result i64)))
  (memory i64 1))
(module $canister_cycle_balance
  (import "ic0" "canister_cycle_balance" (func (result i64)))
  (memory i64 1))
(module $call_cycles_add
  (import "ic0" "call_cycles_add" (func (param i64)))
  (memory i64 1))

(install $stable_grow)             (expect install-rejected module-import-wasm32-only)
(install $stable_write)            (expect install-rejected module-import-wasm32-only)
(install $stable_read)             (expect install-rejected module-import-wasm32-only)
(install $msg_cycles_available)    (expect install-rejected module-import-wasm32-only)
(install $msg_cycles_refunded)     (expect install-rejected module-import-wasm32-only)
(install $msg_cycles_accept)       (expect install-rejected module-import-wasm32-only)
(install $canister_cycle_balance)  (expect install-rejected module-import-wasm32-only)
(install $call_cycles_add)         (expect install-rejected module-import-wasm32-only)
