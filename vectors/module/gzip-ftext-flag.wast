(vector "a gzip stream with the FTEXT flag (the data is probably text) installs like any other"
  (rules MOD-FMT-1)
  (requires gzip)
  (tags module gzip)
  (notes "RFC 1952: FLG bit 0 (FTEXT) is only a hint and adds no header"
         "field; a decompressor must not mistake it for FEXTRA (bit 2) or"
         "another field. The stream is the module below, compressed by"
         "Python's gzip (zlib, level 9, mtime 0), with FLG set to 1:"
         ""
         "  (module"
         "    (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))"
         "    (import \"ic0\" \"msg_reply\" (func $reply))"
         "    (memory 1)"
         "    (data (i32.const 16) \"ftext\")"
         "    (func (export \"canister_query hello\")"
         "      (call $append (i32.const 16) (i32.const 5))"
         "      (call $reply)))"))

(module $ftext binary
    "\1f\8b\08\01\00\00\00\00\02\03\3d\c9\41\0e\82\30\10\05\d0\3f\d3\34\06\ea\a2\0b\4d\5c\7a\01\13\af"
    "\c0\49\4a\03\a3\92\14\a8\6d\4d\60\c5\d5\c5\8d\cb\97\07\9f\47\02\40\15\b7\bc\6d\68\01\be\b1\1a\ba"
    "\fb\79\cc\4f\97\24\86\d5\f5\be\78\e7\63\94\a9\07\7e\57\fd\0f\a4\98\48\2b\02\1d\2e\74\ea\fc\34\e4"
    "\22\c9\bd\3f\92\d6\eb\4b\42\98\c1\f5\91\6a\34\b6\d1\16\96\8c\31\b4\c3\e8\47\91\a5\7c\01\b3\36\c5"
    "\70\80\00\00\00")

(install $ftext)
(query "hello")   (expect reply (text "ftext"))
