(vector "a damaged gzip stream is refused and changes nothing: truncated data, reserved flags, reserved block type; a wrong CRC or length may be"
  (rules MOD-FMT-1 TXN-6)
  (requires gzip)
  (tags module gzip)
  (notes "Each stream is the valid fixed-code stream of"
         "module/gzip-huffman-codes with one defect. RFC 1952 (2.3.1.2)"
         "requires a decompressor to refuse reserved flags and invalid data,"
         "but lets it ignore the trailer's CRC-32 and length and the header"
         "CRC-16: those defects are a one-of, and a bad header CRC is not"
         "tested."))

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

(module $good binary
  "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\18\16\67\72\0c\01\00\00")
;; the CRC-32 of the trailer has one bit flipped
(module $bad_crc binary
  "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\19\16\67\72\0c\01\00\00")
;; the ISIZE of the trailer has one bit flipped
(module $bad_length binary
  "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\18\16\67\72\0d\01\00\00")
;; the first half of the stream only
(module $truncated binary
  "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a")
;; a reserved header flag (bit 5) is set
(module $reserved_flag binary
  "\1f\8b\08\20\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\00\c9\71\c2"
    "\e5\18\18\99\99\18\19\59\99\19\19\18\d9\25\18\45\92\13\f3\32\8b\4b\52\8b\e2\0b\4b\53\8b\2a\15\32"
    "\52\73\72\f2\19\98\b8\78\18\b9\18\1c\05\1c\39\05\18\04\18\b9\b9\a7\31\32\02\79\dc\fd\8c\99\79\69"
    "\39\89\25\a9\29\56\0a\25\19\a9\0a\85\a5\99\c9\d9\0a\49\45\f9\e5\79\0a\69\f9\15\0a\59\a5\b9\05\c5"
    "\0a\f9\65\a9\45\60\e9\9c\c4\aa\4a\85\94\fc\74\6b\9a\29\06\00\18\16\67\72\0c\01\00\00")
;; one final block of the reserved type 3
(module $reserved_block binary
  "\1f\8b\08\00\00\00\00\00\00\ff\07\00\00\00\00\00\00\00\00")
;; on an empty canister: refused, and it stays empty
(install $truncated)           (expect install-rejected invalid-module)
(install $reserved_flag)       (expect install-rejected invalid-module)
(install $reserved_block)      (expect install-rejected invalid-module)
(query "hello")                (expect reject destination-invalid canister-empty)
;; on an installed canister: refused, and the old code still answers
(install $good)
(query "hello")                (expect reply (text "inflated:"))
(reinstall $truncated)         (expect install-rejected invalid-module)
(query "hello")                (expect reply (text "inflated:"))
;; the trailer's checks are optional; the damaged streams hold the same
;; module, so the canister answers alike either way
(upgrade $bad_crc)
(expect one-of
  (trailer-checked install-rejected invalid-module)
  (trailer-ignored reply))
(upgrade $bad_length)
(expect one-of
  (trailer-checked install-rejected invalid-module)
  (trailer-ignored reply))
(query "hello")                (expect reply (text "inflated:"))
