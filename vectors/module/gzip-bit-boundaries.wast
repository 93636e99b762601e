(vector "gzip streams at the edges of the deflate bit reader and of the code length code install: data that ends exactly on a byte boundary, and a dynamic block that sends all 19 code length code lengths"
  (rules MOD-FMT-1)
  (requires gzip)
  (tags module gzip boundary)
  (notes "RFC 1951 section 3.1.1: data elements are packed starting at the"
         "least significant bit, and only the final byte is padded, so a"
         "stream whose last code ends on a byte boundary has no padding at"
         "all: an inflater must not read a byte past the last code."
         "Section 3.2.7: HCLEN + 4 code lengths of the code length"
         "alphabet follow, in the order 16, 17, 18, 0, 8, 7, 9, 6, 10, 5,"
         "11, 4, 12, 3, 13, 2, 14, 1, 15; HCLEN = 15 sends all 19, the last"
         "for symbol 15."
         "$aligned is one final fixed-code block of the module of"
         "gzip-empty-final-stored-block.wast plus a custom section \"x\" of six"
         "bytes 0x90 (9-bit codes), which makes the block's bits a multiple"
         "of 8: the end-of-block code fills the last byte before the"
         "trailer."
         "$all-lengths is one final dynamic block of that module: literals"
         "0..254 have 8-bit codes, 255 and 256 9-bit ones, two distance"
         "codes of 1 bit; the code length code gives 2 bits to symbols 1,"
         "8, 9 and 16 (repeat) and sends all 19 lengths (HCLEN = 15), the"
         "last, for symbol 15, zero. Both streams were written bit by bit"
         "and checked with zlib."))

(module $aligned binary
    "\1f\8b\08\00\00\00\00\00\00\ff\63\48\2c\ce\65\64\60\60\60\e4\64\4a\60\aa\af\67\48\60\60\60\d2\65"
    "\62\ce\4c\36\10\cd\2d\4e\8f\2f\4a\2d\c8\a9\8c\4f\49\2c\49\8c\4f\2c\28\48\cd\4b\61\60\60\ce\4c\36"
    "\e0\cc\2d\4e\8f\2f\4a\2d\c8\a9\64\60\64\66\62\64\64\65\66\64\60\64\97\60\14\49\4e\cc\cb\2c\2e\49"
    "\2d\8a\2f\2c\4d\2d\aa\54\c8\48\cd\c9\c9\67\60\e2\e2\61\e4\62\70\14\70\64\13\60\10\60\e4\e6\e6\61"
    "\64\70\14\e0\66\2b\2e\c9\2f\4a\4d\61\e0\60\ac\98\30\61\c2\84\09\13\00\3b\3c\af\51\8b\00\00\00")

(module $all-lengths binary
    "\1f\8b\08\00\00\00\00\00\00\ff\05\e1\05\40\10\00\00\00\20\f8\be\ef\fb\be\ef\fb\be\ef\fb\be\ef\fb"
    "\be\ef\fb\be\ef\fb\be\ef\fb\be\ef\fb\be\ef\ab\05\00\86\ce\b6\80\00\00\00\80\90\40\06\40\fe\fe\00"
    "\06\00\00\40\b4\40\c0\96\c6\0c\a8\b6\ce\e6\fa\4e\a6\0e\36\9e\fa\26\86\2e\86\fa\86\0e\0e\a6\76\26"
    "\00\00\c0\96\c6\0c\90\b6\ce\e6\fa\4e\a6\0e\36\9e\00\80\c0\40\80\80\a0\c0\80\00\80\e0\18\80\28\c6"
    "\86\76\96\ce\2e\a6\4e\fa\8e\ae\a6\4e\9e\04\16\a6\36\36\f6\00\40\50\30\80\50\00\82\08\82\60\08\00"
    "\08\80\d0\d0\30\80\00\82\08\d0\60\ce\2e\f6\4e\a6\26\ff\01\49\e9\1f\4b\81\00\00\00")

(install $aligned)
(query "hello")   (expect reply (text "stored"))
(reinstall $all-lengths)
(query "hello")   (expect reply (text "stored"))
