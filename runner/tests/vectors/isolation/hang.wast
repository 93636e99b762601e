(vector "the runtime misbehaves on 'hang': only this vector fails"
  (rules SM-2)
  (tags runner-test))

(module $c (memory 1))

(install $c)
(update "hang")
