(vector "unknown limit"
  (rules SM-1))
(module $c (memory 1))
(install $c)
(update "x" (arg i64 (pages max_stable_memroy)))
