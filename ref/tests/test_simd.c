/* Unit tests of the SIMD lane operators (simd.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "simd.h"

/* Every named subopcode has a name; memory ones, v128.const and shuffle
 * have no signature. */
static void test_signatures(void **state) {
  (void)state;
  assert_null(cm_simd_signature(0x00));
  assert_null(cm_simd_signature(0x0c));
  assert_null(cm_simd_signature(0x0d));
  assert_non_null(cm_simd_signature(0x6e));
  assert_string_equal(cm_simd_signature(0x6e)->name, "i8x16.add");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_signatures),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
