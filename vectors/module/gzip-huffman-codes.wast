(vector "a gzip stream compressed with fixed or dynamic Huffman codes, with any optional header fields, installs as the module it holds"
  (rules MOD-FMT-1)
  (requires gzip)
  (tags module gzip)
  (notes "The runner's (gzip) option writes stored blocks only; these streams"
         "exercise real decompression: RFC 1951 fixed and dynamic codes, and"
         "the RFC 1952 header fields FEXTRA, FNAME, FCOMMENT and FHCRC."))

;; The compressed bytes hold this module, compiled by wat2wasm 1.0.32 and
;; compressed with zlib (level 9; strategy Z_FIXED for fixed codes, the
;; default strategy for dynamic ones):
;;
;;   (module
;;     (import "ic0" "msg_reply_data_append" (func $append (param i32 i32)))
;;     (import "ic0" "msg_reply" (func $reply))
;;     (memory 1)
;;     (data (i32.const 16) "inflated: the quick brown fox jumps over the lazy dog; ...")
;;     (func (export "canister_query hello")
;;       (call $append (i32.const 16) (i32.const 9))
;;       (call $reply)))

(module $fixed binary
  "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\18\16\67\72\0c\01\00\00")

(module $dynamic binary
  "\1f\8b\08\00\00\00\00\00\00\ff\b5\ca\3d\0e\82\30\18\80\e1\ef\2b\31\06\70\60\d0\c4\b1\17\30\71\d6"
    "\89\93\94\4a\0b\56\4b\5b\da\a2\e2\c2\11\dc\3c\af\3f\83\37\70\7c\f3\bc\c0\43\87\00\80\29\a9\c8\34"
    "\41\05\40\36\24\51\f5\76\d5\85\96\79\e9\f4\c8\04\8f\9c\71\e7\a4\11\00\1f\4b\7f\06\98\10\c4\59\82"
    "\80\f3\35\2e\6b\6e\54\88\d2\b3\7e\90\7e\a4\47\a9\b5\05\92\2d\30\83\b2\28\d3\02\0a\cc\f3\27\e2\bb"
    "\f2\07\2a\d3\68\1e\a5\d8\d1\78\94\b4\1f\54\7d\a6\07\6f\af\86\36\f6\46\4f\43\e7\02\b5\17\e9\bf\ac"
    "\f9\7d\a4\c2\b6\fb\bf\cd\2f\18\16\67\72\0c\01\00\00")

;; the fixed-code stream behind a header with every optional field
(module $header_fields binary
  "\1f\8b\08\1e\00\00\00\00\00\ff\04\00\41\42\00\00\63\61\6e\69\73\74\65\72\2e\77\61\73\6d\00\61\20"
    "\63\6f\6d\6d\65\6e\74\00\d1\5c\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\18\16\67\72\0c\01\00\00")

(install $fixed)
(query "hello")                (expect reply (text "inflated:"))
(reinstall $dynamic)
(query "hello")                (expect reply (text "inflated:"))
(reinstall $header_fields)
(query "hello")                (expect reply (text "inflated:"))
