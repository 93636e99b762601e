(vector "unknown capability"
  (rules SM-1) (requires stable64 teleport))
(module $c (memory 1))
(install $c)
