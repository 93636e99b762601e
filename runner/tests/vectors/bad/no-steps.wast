(vector "no steps"
  (rules SM-1))
(module $c (memory 1))
