(vector "a malformed import or memory section makes the module invalid, also where it names a second memory"
  (rules MOD-FMT-1 MOD-MEM-1)
  (tags module)
  (notes "Each module breaks off or goes wrong in its import or memory"
         "section, before a decoder reading from the start reaches a second"
         "memory; the memories named after the fault do not make the module"
         "a two-memory one, so the refusal is invalid-module, not"
         "module-memory. The refusals leave the canister empty."))

;; the bytes shared by most modules below:
;;   \00asm\01\00\00\00                      magic and version
;;   \02\0f\01\03env\06memory\02\00\01       imports: env.memory, min 1
;;   \05\05\02\00\01\00\01                   memories: two, min 1 each

;; the module ends inside a section header: a memory section id, no size
(module $section_size_missing binary
  "\00asm\01\00\00\00" "\02\0f\01\03env\06memory\02\00\01" "\05")
;; a section size of ten bytes (a LEB128 number of at most 64 bits is
;; at most ten bytes long, and these all say "more follows")
(module $section_size_too_long binary
  "\00asm\01\00\00\00" "\02\0f\01\03env\06memory\02\00\01"
  "\00\80\80\80\80\80\80\80\80\80\80" "\05\03\01\00\01")
;; a memory section of 9 bytes where 3 are left
(module $section_past_the_end binary
  "\00asm\01\00\00\00" "\02\0f\01\03env\06memory\02\00\01" "\05\09\01\00\01")
;; an empty memory section (no count), then two memory imports
(module $memory_section_empty binary
  "\00asm\01\00\00\00" "\05\00"
  "\02\1d\02\03env\06memory\02\00\01\03env\06memory\02\00\01")
;; an empty import section (no count), then two memories
(module $import_section_empty binary
  "\00asm\01\00\00\00" "\02\00" "\05\05\02\00\01\00\01")
;; an import section that counts one import and holds none
(module $import_missing binary
  "\00asm\01\00\00\00" "\02\01\01" "\05\05\02\00\01\00\01")
;; an import whose module name of 9 bytes runs past its section
(module $import_name_past_the_end binary
  "\00asm\01\00\00\00" "\02\03\01\09e" "\05\05\02\00\01\00\01")
;; an import that ends after its module name
(module $import_without_field_name binary
  "\00asm\01\00\00\00" "\02\05\01\03env" "\05\05\02\00\01\00\01")
;; an import whose field name of 9 bytes runs past its section
(module $field_name_past_the_end binary
  "\00asm\01\00\00\00" "\02\07\01\03env\09m" "\05\05\02\00\01\00\01")
;; an import that ends after its names, without a kind
(module $import_without_kind binary
  "\00asm\01\00\00\00" "\02\07\01\03env\01m" "\05\05\02\00\01\00\01")
;; an import that ends after its names, without a kind, and a function
;; section (id 3) next: a reader that takes the byte after the import
;; section as the kind sees a global import there
(module $import_without_kind_before_functions binary
  "\00asm\01\00\00\00" "\02\07\01\03env\01m" "\03\01\00"
  "\05\05\02\00\01\00\01")
;; an import of kind 5, which does not exist
(module $import_of_unknown_kind binary
  "\00asm\01\00\00\00" "\02\09\01\03env\01m\05\00" "\05\05\02\00\01\00\01")
;; a function import without its type index
(module $function_import_without_type binary
  "\00asm\01\00\00\00" "\02\08\01\03env\01f\00" "\05\05\02\00\01\00\01")
;; a table import without its element type and limits
(module $table_import_without_type binary
  "\00asm\01\00\00\00" "\02\08\01\03env\01t\01" "\05\05\02\00\01\00\01")
;; a table import of funcref without its limits
(module $table_import_without_limits binary
  "\00asm\01\00\00\00" "\02\09\01\03env\01t\01\70" "\05\05\02\00\01\00\01")
;; a memory import without its limits
(module $memory_import_without_limits binary
  "\00asm\01\00\00\00" "\02\08\01\03env\01m\02" "\05\03\01\00\01")
;; a memory import with its flags and no minimum
(module $memory_import_without_minimum binary
  "\00asm\01\00\00\00" "\02\09\01\03env\01m\02\00" "\05\03\01\00\01")
;; a memory import whose flags announce a maximum that is not there
(module $memory_import_without_maximum binary
  "\00asm\01\00\00\00" "\02\0a\01\03env\01m\02\01\01" "\05\03\01\00\01")
;; a global import of type i32 without its mutability
(module $global_import_without_mutability binary
  "\00asm\01\00\00\00" "\02\09\01\03env\01g\03\7f" "\05\05\02\00\01\00\01")
;; a tag import without its type index
(module $tag_import_without_type binary
  "\00asm\01\00\00\00" "\02\09\01\03env\01x\04\00" "\05\05\02\00\01\00\01")
;; a tag import without its attribute and type index
(module $tag_import_without_attribute binary
  "\00asm\01\00\00\00" "\02\08\01\03env\01x\04" "\05\05\02\00\01\00\01")
;; magic and half a version
(module $version_cut_short binary "\00asm\01\00")

(module $one_memory
  (import "env" "memory" (memory 1))
  (func (export "canister_query hello")
    (call $reply_i32 (i32.const 1))))

(install $section_size_missing)                (expect install-rejected invalid-module)
(install $section_size_too_long)               (expect install-rejected invalid-module)
(install $section_past_the_end)                (expect install-rejected invalid-module)
(install $memory_section_empty)                (expect install-rejected invalid-module)
(install $import_section_empty)                (expect install-rejected invalid-module)
(install $import_missing)                      (expect install-rejected invalid-module)
(install $import_name_past_the_end)            (expect install-rejected invalid-module)
(install $import_without_field_name)           (expect install-rejected invalid-module)
(install $field_name_past_the_end)             (expect install-rejected invalid-module)
(install $import_without_kind)                 (expect install-rejected invalid-module)
(install $import_without_kind_before_functions)  (expect install-rejected invalid-module)
(install $import_of_unknown_kind)              (expect install-rejected invalid-module)
(install $function_import_without_type)        (expect install-rejected invalid-module)
(install $table_import_without_type)           (expect install-rejected invalid-module)
(install $table_import_without_limits)         (expect install-rejected invalid-module)
(install $memory_import_without_limits)        (expect install-rejected invalid-module)
(install $memory_import_without_minimum)       (expect install-rejected invalid-module)
(install $memory_import_without_maximum)       (expect install-rejected invalid-module)
(install $global_import_without_mutability)    (expect install-rejected invalid-module)
(install $tag_import_without_type)             (expect install-rejected invalid-module)
(install $tag_import_without_attribute)        (expect install-rejected invalid-module)
(install $version_cut_short)                   (expect install-rejected invalid-module)
(install $one_memory)
(query "hello")                                (expect reply (i32 1))
