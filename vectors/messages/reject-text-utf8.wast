(vector "msg_reject takes UTF-8 text of any code point length and traps on invalid UTF-8"
  (rules MSG-REJECT-1)
  (tags messages)
  (notes "The argument is the reject text's bytes; the update rejects with"
         "them as they are."))

(module $c
  (memory 1)
  (func (export "canister_update reject")
    (local $size i32)
    (local.set $size (call $ic0.msg_arg_data_size))
    (call $ic0.msg_arg_data_copy (i32.const 100) (i32.const 0) (local.get $size))
    (call $ic0.msg_reject (i32.const 100) (local.get $size))))

(install $c)
;; one-, two-, three- and four-byte code points: "a", "é", "€", "𝄞"
(update "reject" (arg (bytes "a\c3\a9\e2\82\ac\f0\9d\84\9e")))
(expect reject canister-reject (bytes "a\c3\a9\e2\82\ac\f0\9d\84\9e"))
;; the empty text is valid
(update "reject" (arg (bytes "")))        (expect reject canister-reject (bytes ""))
;; a lone continuation byte
(update "reject" (arg (bytes "\80")))     (expect trap contract-violation)
;; a two-byte sequence cut short at the end
(update "reject" (arg (bytes "ok\c3")))   (expect trap contract-violation)
;; a three-byte lead followed by a non-continuation byte
(update "reject" (arg (bytes "\e2\28\a1"))) (expect trap contract-violation)
;; an overlong encoding of "/" (two bytes for an ASCII code point)
(update "reject" (arg (bytes "\c0\af")))  (expect trap contract-violation)
;; a UTF-16 surrogate (U+D800) encoded as three bytes
(update "reject" (arg (bytes "\ed\a0\80"))) (expect trap contract-violation)
;; above U+10FFFF
(update "reject" (arg (bytes "\f4\90\80\80"))) (expect trap contract-violation)
;; a five-byte lead byte
(update "reject" (arg (bytes "\f8\88\80\80\80"))) (expect trap contract-violation)
