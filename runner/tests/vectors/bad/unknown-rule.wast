(vector "unknown rule"
  (rules SM-1 NOPE-1))
(module $c (memory 1))
(install $c)
