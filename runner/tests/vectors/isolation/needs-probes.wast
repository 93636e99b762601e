(vector "needs the white-box probes, which the test adapter lacks"
  (rules SM-2)
  (tags runner-test))

(module $c (memory 1))

(install $c)
(probe stable-size)  (expect reply (i64 0))
