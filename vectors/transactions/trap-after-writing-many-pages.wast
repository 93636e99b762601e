(vector "a trap after writing 1,030 fresh stable pages (one byte each, fewer where the profile allows less) discards them all; a later write still works"
  (rules TXN-1)
  (tags transactions rollback)
  (notes "The reference keeps up to 1,024 freed pages for reuse and returns"
         "the rest to the host; a rollback of more fresh pages than that"
         "takes both paths. Under small-limits the vector fills the 64 pages"
         "the profile allows."))

(module $c
  (memory 1)
  ;; up to 1,100 pages, as many as the profile allows
  (func (export "canister_init")
    (block $full
      (loop $more
        (br_if $full (i64.ge_u (call $ic0.stable64_size) (i64.const 1100)))
        (br_if $full (i64.eq (call $ic0.stable64_grow (i64.const 1)) (i64.const -1)))
        (br $more))))
  ;; writes byte 0x5a at the start of pages [0, n) (n at most the size);
  ;; traps when asked
  (func (export "canister_update fill")
    (local $i i64)
    (i32.store8 (i32.const 100) (i32.const 0x5a))
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (call $arg_i64 (i32.const 0))))
        (br_if $done (i64.ge_u (local.get $i) (call $ic0.stable64_size)))
        (call $ic0.stable64_write (i64.mul (local.get $i) (i64.const 65536))
                                  (i64.const 100) (i64.const 1))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (if (i64.ne (call $arg_i64 (i32.const 8)) (i64.const 0)) (then (unreachable)))
    (call $reply_empty))
  ;; the sum of the first byte of every page
  (func (export "canister_query sum")
    (local $i i64) (local $sum i64)
    (block $done
      (loop $next
        (br_if $done (i64.ge_u (local.get $i) (call $ic0.stable64_size)))
        (call $ic0.stable64_read (i64.const 200)
                                 (i64.mul (local.get $i) (i64.const 65536)) (i64.const 1))
        (local.set $sum (i64.add (local.get $sum) (i64.load8_u (i32.const 200))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $next)))
    (call $reply_i64 (local.get $sum))))

(install $c)
(update "fill" (arg (i64 1030) (i64 1)))   (expect trap unreachable)
(query "sum")                             (expect reply (i64 0))
(update "fill" (arg (i64 3) (i64 0)))      (expect reply)
(query "sum")                             (expect reply (i64 270))
