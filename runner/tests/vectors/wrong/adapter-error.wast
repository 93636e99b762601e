(vector "an adapter error taken as the success the step expects"
  (rules SM-2)
  (tags runner-test)
  (notes "respond to a call id that is not outstanding: the adapter refuses it with CANMEM_ERR_ARGUMENT (docs/adapter-abi.md, respond), which is no outcome at all, so no expectation may match it"))

(module $c (memory 1))

(install $c)
(respond 1 (reply (bytes "")))
