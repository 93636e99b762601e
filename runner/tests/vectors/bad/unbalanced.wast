(vector "unbalanced"
  (rules SM-1))
(module $c (memory 1)
(install $c)
