(vector "icp: custom sections must be icp:public or icp:private, never both for one name"
  (rules MOD-CS-1)
  (tags module))

(module $unknown_icp
  (@custom "icp:secret candid" "x")
  (memory 1))

(module $both
  (@custom "icp:public candid:service" "a")
  (@custom "icp:private candid:service" "b")
  (memory 1))

;; public and private for different names, plus a non-icp section
(module $good
  (@custom "icp:public candid:service" "a")
  (@custom "icp:private notes" "b")
  (@custom "name-of-my-own" "anything")
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $unknown_icp)  (expect install-rejected module-custom-section)
(install $both)         (expect install-rejected module-custom-section)
(install $good)
(query "hello")         (expect reply (i32 1))
