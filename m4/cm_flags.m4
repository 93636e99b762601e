# canmem's own autoconf macros (libtoolize adds libtool's files beside this).

# CM_CHECK_CFLAGS(FLAGS, [ACTION-IF-OK], [ACTION-IF-NOT])
# Do the compiler and linker accept FLAGS together? Compiles and links a tiny
# program, so flags that need a runtime library (sanitizers, --coverage) are
# refused when that library is missing, not later in the middle of `make`.
AC_DEFUN([CM_CHECK_CFLAGS], [
  AS_VAR_PUSHDEF([cm_cache], [cm_cv_cflags_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [cm_cache], [
    cm_saved_CFLAGS=$CFLAGS
    cm_saved_LDFLAGS=$LDFLAGS
    CFLAGS="$CFLAGS $1 -Werror"
    LDFLAGS="$LDFLAGS $1"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[int twice(int x);
int twice(int x) { return 2 * x; }]], [[return twice(0);]])],
      [AS_VAR_SET([cm_cache], [yes])], [AS_VAR_SET([cm_cache], [no])])
    CFLAGS=$cm_saved_CFLAGS
    LDFLAGS=$cm_saved_LDFLAGS])
  AS_VAR_IF([cm_cache], [yes], [$2], [$3])
  AS_VAR_POPDEF([cm_cache])
])
