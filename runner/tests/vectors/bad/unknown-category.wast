(vector "unknown category"
  (rules SM-1))
(module $c (memory 1))
(install $c)
(expect trap heap-overflow)
