;; Multi-value blocks, typed select, globals, traps and deep recursion.
(module
  (global $g (mut i32) (i32.const 1))
  (func $pair (param i32) (result i32 i32)
    (local.get 0) (i32.add (local.get 0) (i32.const 1)))
  (func (export "multi") (param i32) (result i32)
    local.get 0
    call $pair
    block (param i32 i32) (result i32)
      i32.add
    end
    local.get 0
    call $pair
    select (result i32)
    global.set $g
    global.get $g)
  (func $recurse (export "recurse") (param i32) (result i32)
    (i32.add (call $recurse (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "spin")
    (loop $forever (br $forever)))
  (func (export "unreachable") (unreachable))
  (func (export "divide_by_zero") (param i32) (result i32)
    (i32.div_s (i32.const -2147483648) (local.get 0))))
