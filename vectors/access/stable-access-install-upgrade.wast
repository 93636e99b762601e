(vector "install_code's executions have stable_access_limit_upgrade each: at the limit they succeed, one page more refuses install or upgrade and keeps the old state"
  (rules SM-9 LIM-SM-2 TXN-4 TXN-5)
  (requires stable-access-limits)
  (tags limits access-limits boundary)
  (notes "The replica gives install and upgrade executions the upgrade"
         "limits (STABLE_MEMORY_ACCESSED_PAGE_LIMIT_UPGRADE, 8 GiB). Each"
         "Wasm execution counts its own pages: pre_upgrade, (start) and"
         "post_upgrade do not share one allowance (reading per-execution);"
         "a runtime that shares one over the whole install_code follows"
         "per-install-code."))

(module $c
  (memory 1)
  ;; arg: 64 KiB pages to grow, 4 KiB pages to read
  (func (export "canister_init")
    (drop (call $ic0.stable64_grow (call $arg_i64 (i32.const 0))))
    (call $touch (call $arg_i64 (i32.const 8))))
  ;; pre_upgrade reads the pages planned in heap word 1008
  (func (export "canister_pre_upgrade")
    (call $touch (i64.load (i32.const 1008))))
  ;; arg: 4 KiB pages to read; then the stable counter goes up by one
  (func (export "canister_post_upgrade")
    (call $touch (call $arg_i64 (i32.const 0)))
    (call $ic0.stable64_read (i64.const 2000) (i64.const 0) (i64.const 8))
    (i64.store (i32.const 2000) (i64.add (i64.load (i32.const 2000)) (i64.const 1)))
    (call $ic0.stable64_write (i64.const 0) (i64.const 2000) (i64.const 8)))
  (func $touch (param $n i64)
    (local $i i64)
    (block $end (loop $next
      (br_if $end (i64.ge_u (local.get $i) (local.get $n)))
      (call $ic0.stable64_read (i64.const 200) (i64.mul (local.get $i) (i64.const 4096))
                               (i64.const 1))
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $next))))
  (func (export "canister_update plan")
    (i64.store (i32.const 1008) (call $arg_i64 (i32.const 0)))
    (call $reply_empty))
  ;; the stable counter and the canister version
  (func (export "canister_query state")
    (call $ic0.stable64_read (i64.const 2000) (i64.const 0) (i64.const 8))
    (call $append_i64 (i64.load (i32.const 2000)))
    (call $append_i64 (call $ic0.canister_version))
    (call $ic0.msg_reply)))

;; canister_init: one page past the upgrade limit, then exactly at it
;; (more than the message limit under small-limits)
(install $c (arg (i64 (+ (pages stable_access_limit_upgrade) 2))
                 (i64 (+ (/ stable_access_limit_upgrade 4096) 1))))
(expect install-rejected memory-access-limit)
(install $c (arg (i64 (+ (pages stable_access_limit_upgrade) 2))
                 (i64 (/ stable_access_limit_upgrade 4096))))
(expect reply)
(query "state")   (expect reply (i64 0) (i64 1))
;; post_upgrade at the limit, then one page past it: refused, nothing changes
(upgrade $c (arg i64 (/ stable_access_limit_upgrade 4096)))
(expect reply)
(query "state")   (expect reply (i64 1) (i64 2))
(upgrade $c (arg i64 (+ (/ stable_access_limit_upgrade 4096) 1)))
(expect install-rejected memory-access-limit)
(query "state")   (expect reply (i64 1) (i64 2))
;; pre_upgrade alone one page past the limit
(update "plan" (arg i64 (+ (/ stable_access_limit_upgrade 4096) 1)))  (expect reply)
(upgrade $c (arg i64 0))
(expect install-rejected memory-access-limit)
(query "state")   (expect reply (i64 1) (i64 3))
;; pre_upgrade and post_upgrade each at the limit
(update "plan" (arg i64 (/ stable_access_limit_upgrade 4096)))  (expect reply)
(upgrade $c (arg i64 (/ stable_access_limit_upgrade 4096)))
(expect one-of
  (per-execution reply)
  (per-install-code install-rejected memory-access-limit))
