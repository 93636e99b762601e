(vector "respond to a call that is not outstanding fails the step"
  (rules SM-2))

(module $c (memory 1))

(install $c)
(respond 1 (reply (bytes "")))
