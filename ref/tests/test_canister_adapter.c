/* cmocka tests of the reference adapter through the ABI only, the way the
 * runner drives any runtime: once as the loadable module (dlopen), once
 * linked in (cm_ref_adapter). */
#define _POSIX_C_SOURCE 200809L
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapter.h"
#include "support.h"

#ifndef CM_ADAPTER_SO
#define CM_ADAPTER_SO "canmem-ref-adapter.so"
#endif
#ifndef CM_PROFILE_DIR
#define CM_PROFILE_DIR "suite/profiles"
#endif

static const char *adapter_path(void) {
  const char *env = getenv("CANMEM_ADAPTER_SO");
  return env && *env ? env : CM_ADAPTER_SO;
}

static canmem_profile load_profile(const char *name) {
  canmem_profile p;
  cm_profile_defaults(&p);
  char path[512], err[300];
  snprintf(path, sizeof path, "%s/%s.profile", CM_PROFILE_DIR, name);
  if (!cm_profile_load(&p, path, err, sizeof err))
    fail_msg("%s", err);
  return p;
}

/* The same scenario through any adapter table. */
static void exercise(const canmem_adapter *a) {
  assert_int_equal(a->abi_version, CANMEM_ADAPTER_ABI_VERSION);
  assert_true(a->struct_size >= sizeof(canmem_adapter));
  assert_string_equal(a->name, "canmem-ref");
  assert_true(a->capabilities & CANMEM_CAP_STABLE64);
  assert_true(a->capabilities & CANMEM_CAP_WASM64);

  canmem_profile p = load_profile("ic-current");
  char err[200] = "";
  canmem_canister *c = a->create(&p, err, sizeof err);
  assert_non_null(c);

  size_t size;
  char *wat = canister_wat(0, "(memory 1)",
                           "(func (export \"canister_update grow\")\n"
                           "  (call $reply (call $stable64_grow\n"
                           "    (call $arg (i32.const 0)))))\n");
  uint8_t *wasm = wat_to_wasm(wat, &size);
  free(wat);
  canmem_install req = {.struct_size = sizeof req,
                        .mode = CANMEM_MODE_INSTALL,
                        .wasm = wasm,
                        .wasm_size = size};
  canmem_outcome out;
  assert_int_equal(a->install_code(c, &req, &out), CANMEM_OK);
  expect_reply(out);
  uint8_t arg[8] = {3};
  assert_int_equal(a->call(c, CANMEM_CALL_UPDATE, "grow", arg, 8, &out),
                   CANMEM_OK);
  expect_u64(out, 0);
  assert_int_equal(a->call(c, CANMEM_CALL_UPDATE, "nope", NULL, 0, &out),
                   CANMEM_OK);
  expect_reject(out, CANMEM_CAT_METHOD_NOT_FOUND);
  assert_int_equal(out.reject_code, CANMEM_REJECT_DESTINATION_INVALID);

  uint64_t pages = 0;
  assert_int_equal(a->stable_size(c, &pages), CANMEM_OK);
  assert_int_equal(pages, 3);
  assert_int_equal(a->heap_size(c, &pages), CANMEM_OK);
  assert_int_equal(pages, 1);
  uint8_t buf[8];
  assert_int_equal(a->read_stable(c, 3 * PAGE - 8, buf, 8), CANMEM_OK);
  assert_int_equal(a->read_stable(c, 3 * PAGE - 7, buf, 8),
                   CANMEM_ERR_ARGUMENT);
  assert_int_equal(a->read_heap(c, 0, buf, 8), CANMEM_OK);

  canmem_settings s = {.struct_size = sizeof s,
                       .fields = CANMEM_SETTING_WASM_MEMORY_LIMIT,
                       .wasm_memory_limit = 1};
  assert_int_equal(a->update_settings(c, &s, &out), CANMEM_OK);
  expect_reject(out, CANMEM_CAT_INVALID_SETTINGS);

  /* malformed requests are errors of the ABI call, not outcomes */
  assert_int_equal(a->call(c, 99, "grow", NULL, 0, &out), CANMEM_ERR_ARGUMENT);
  assert_int_equal(a->call(c, 0, "grow", NULL, 0, &out), CANMEM_ERR_ARGUMENT);
  assert_string_equal(out.message, "unknown call kind");
  s.struct_size = 4;
  assert_int_equal(a->update_settings(c, &s, &out), CANMEM_ERR_ARGUMENT);
  req.wasm_memory_persistence = CANMEM_PERSISTENCE_REPLACE + 1;
  assert_int_equal(a->install_code(c, &req, &out), CANMEM_ERR_ARGUMENT);
  req.wasm_memory_persistence = CANMEM_PERSISTENCE_ABSENT;
  req.mode = 0;
  assert_int_equal(a->install_code(c, &req, &out), CANMEM_ERR_ARGUMENT);
  req.mode = 42;
  assert_int_equal(a->install_code(c, &req, &out), CANMEM_ERR_ARGUMENT);
  assert_string_equal(out.message, "malformed install request");
  req.struct_size = 4;
  assert_int_equal(a->install_code(c, &req, &out), CANMEM_ERR_ARGUMENT);
  /* none of these touched the canister */
  assert_int_equal(a->stable_size(c, &pages), CANMEM_OK);
  assert_int_equal(pages, 3);
  free(wasm);
  a->destroy(c);

  /* a profile from an older ABI is refused with a reason */
  p.struct_size = 8;
  err[0] = '\0';
  assert_null(a->create(&p, err, sizeof err));
  assert_true(strlen(err) > 0);
  /* and an incoherent one */
  p = load_profile("ic-2022");
  p.max_stable_bytes = 12345;
  assert_null(a->create(&p, err, sizeof err));
}

static void test_adapter_loaded_with_dlopen(void **state) {
  (void)state;
  void *lib = dlopen(adapter_path(), RTLD_NOW | RTLD_LOCAL);
  if (!lib)
    fail_msg("dlopen %s: %s", adapter_path(), dlerror());
  canmem_adapter_entry entry;
  /* POSIX: a data pointer from dlsym converts to a function pointer */
  void *symbol = dlsym(lib, CANMEM_ADAPTER_SYMBOL);
  assert_non_null(symbol);
  memcpy(&entry, &symbol, sizeof entry);
  exercise(entry());
  /* only the entry point is exported */
  assert_null(dlsym(lib, "cm_canister_new"));
  dlclose(lib);
}

static void test_adapter_linked_in(void **state) {
  (void)state;
  exercise(cm_ref_adapter());
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_adapter_loaded_with_dlopen),
      cmocka_unit_test(test_adapter_linked_in),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
