(vector "unknown step"
  (rules SM-1))
(module $c (memory 1))
(install $c)
(frobnicate "x")
