(vector "a step on another canister needs the canister's name"
  (rules SM-1))
(module $c (memory 1))
(install $c)
(on b (install $c))
