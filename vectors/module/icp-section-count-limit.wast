(vector "at most 16 icp: custom sections: 16 install, 17 are refused"
  (rules MOD-LIM-1)
  (tags module boundary)
  (notes "Every profile has max_icp_sections = 16 (the spec's number); the"
         "spec says the IC may reject more, and the reference does."))

(module $sixteen
  (@custom "icp:public s01" "") (@custom "icp:public s02" "")
  (@custom "icp:public s03" "") (@custom "icp:public s04" "")
  (@custom "icp:public s05" "") (@custom "icp:public s06" "")
  (@custom "icp:public s07" "") (@custom "icp:public s08" "")
  (@custom "icp:public s09" "") (@custom "icp:public s10" "")
  (@custom "icp:public s11" "") (@custom "icp:public s12" "")
  (@custom "icp:public s13" "") (@custom "icp:public s14" "")
  (@custom "icp:public s15" "") (@custom "icp:private s16" "")
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 16))))

(module $seventeen
  (@custom "icp:public s01" "") (@custom "icp:public s02" "")
  (@custom "icp:public s03" "") (@custom "icp:public s04" "")
  (@custom "icp:public s05" "") (@custom "icp:public s06" "")
  (@custom "icp:public s07" "") (@custom "icp:public s08" "")
  (@custom "icp:public s09" "") (@custom "icp:public s10" "")
  (@custom "icp:public s11" "") (@custom "icp:public s12" "")
  (@custom "icp:public s13" "") (@custom "icp:public s14" "")
  (@custom "icp:public s15" "") (@custom "icp:private s16" "")
  (@custom "icp:private s17" "")
  (memory 1)
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 17))))

(install $seventeen)  (expect install-rejected module-limit)
(install $sixteen)
(query "hello")       (expect reply (i32 16))
