(vector "gzip-compressed modules exist since interface spec 0.18.4: refused before, installed since"
  (rules MOD-FMT-1)
  (tags module gzip history)
  (notes "Given as bytes and installed without (gzip), so the runner does"
         "not skip it where the profile lacks feature.gzip. The stream is the"
         "intact one of module/gzip-damaged."))

(module $gz binary
  "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\18\16\67\72\0c\01\00\00")

(install $gz)
(expect one-of
  (before-0.18.4 install-rejected invalid-module)
  (since-0.18.4 reply))
(query "hello")
(expect one-of
  (before-0.18.4 reject destination-invalid canister-empty)
  (since-0.18.4 reply (text "inflated:")))
