(vector "the runtime misbehaves on 'lie': only this vector fails"
  (rules SM-2)
  (tags runner-test))

(module $c (memory 1))

(install $c)
(update "lie")
