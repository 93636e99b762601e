(vector "a gzip stream whose stored-block headers have non-zero padding bits installs: the padding is ignored"
  (rules MOD-FMT-1)
  (requires gzip)
  (tags module gzip boundary)
  (notes "RFC 1951, 3.2.4: after a stored block's 3 header bits, any bits"
         "up to the next byte boundary are ignored, whatever they hold."
         "The stream is the module below in two stored blocks (64 bytes,"
         "then the rest); both header bytes have the 5 padding bits set"
         "(f8, then f9 for the final block), so an inflater that kept them"
         "would read the second header wrongly. Python's zlib accepts it:"
         ""
         "  (module"
         "    (import \"ic0\" \"msg_reply_data_append\" (func $append (param i32 i32)))"
         "    (import \"ic0\" \"msg_reply\" (func $reply))"
         "    (memory 1)"
         "    (data (i32.const 16) \"stored\")"
         "    (func (export \"canister_query hello\")"
         "      (call $append (i32.const 16) (i32.const 6))"
         "      (call $reply)))"))

(module $c binary
    "\1f\8b\08\00\00\00\00\00\00\ff\f8\40\00\bf\ff\00\61\73\6d\01\00\00\00\01\09\02\60\02\7f\7f\00\60"
    "\00\00\02\2d\02\03\69\63\30\15\6d\73\67\5f\72\65\70\6c\79\5f\64\61\74\61\5f\61\70\70\65\6e\64\00"
    "\00\03\69\63\30\09\6d\73\67\5f\72\65\70\6c\79\f9\41\00\be\ff\00\01\03\02\01\01\05\03\01\00\01\07"
    "\18\01\14\63\61\6e\69\73\74\65\72\5f\71\75\65\72\79\20\68\65\6c\6c\6f\00\02\0a\0c\01\0a\00\41\10"
    "\41\06\10\00\10\01\0b\0b\0c\01\00\41\10\0b\06\73\74\6f\72\65\64\49\e9\1f\4b\81\00\00\00")

(install $c)
(query "hello")   (expect reply (text "stored"))
