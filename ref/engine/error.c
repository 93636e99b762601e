/* canmem engine: failure values and their names. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wasm.h"

const char *cm_status_name(cm_status s) {
  switch (s) {
  case CM_OK: return "ok";
  case CM_MALFORMED: return "malformed";
  case CM_INVALID: return "invalid";
  case CM_UNLINKABLE: return "unlinkable";
  case CM_UNINSTANTIABLE: return "uninstantiable";
  case CM_TRAP: return "trap";
  case CM_EXHAUSTED: return "exhausted";
  case CM_NO_MEMORY: return "out of host memory";
  }
  return "unknown status";
}

const char *cm_trap_name(cm_trap t) {
  switch (t) {
  case CM_TRAP_NONE: return "none";
  case CM_TRAP_UNREACHABLE: return "unreachable";
  case CM_TRAP_MEMORY_OOB: return "memory-out-of-bounds";
  case CM_TRAP_TABLE_OOB: return "table-out-of-bounds";
  case CM_TRAP_DIV_ZERO: return "integer-divide-by-zero";
  case CM_TRAP_INT_OVERFLOW: return "integer-overflow";
  case CM_TRAP_INVALID_CONVERSION: return "invalid-conversion";
  case CM_TRAP_INDIRECT_TYPE_MISMATCH: return "indirect-call-type-mismatch";
  case CM_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized-element";
  case CM_TRAP_INSTRUCTION_LIMIT: return "instruction-limit";
  case CM_TRAP_HOST: return "host";
  }
  return "unknown trap";
}

const char *cm_trap_message(cm_trap t) {
  switch (t) {
  case CM_TRAP_NONE: return "no trap";
  case CM_TRAP_UNREACHABLE: return "unreachable";
  case CM_TRAP_MEMORY_OOB: return "out of bounds memory access";
  case CM_TRAP_TABLE_OOB: return "out of bounds table access";
  case CM_TRAP_DIV_ZERO: return "integer divide by zero";
  case CM_TRAP_INT_OVERFLOW: return "integer overflow";
  case CM_TRAP_INVALID_CONVERSION: return "invalid conversion to integer";
  case CM_TRAP_INDIRECT_TYPE_MISMATCH: return "indirect call type mismatch";
  case CM_TRAP_UNINITIALIZED_ELEMENT: return "uninitialized element";
  case CM_TRAP_INSTRUCTION_LIMIT: return "instruction limit exceeded";
  case CM_TRAP_HOST: return "host trap";
  }
  return "unknown trap";
}

cm_status cm_fail(cm_error *err, cm_status status, cm_trap trap,
                  const char *fmt, ...) {
  if (err) {
    err->status = status;
    err->trap = trap;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
  }
  return status;
}

bool cm_functype_equal(const cm_functype *a, const cm_functype *b) {
  return a->nparams == b->nparams && a->nresults == b->nresults &&
         (a->nparams == 0 || memcmp(a->params, b->params, a->nparams) == 0) &&
         (a->nresults == 0 ||
          memcmp(a->results, b->results, a->nresults) == 0);
}

const char *cm_valtype_name(uint8_t type) {
  switch (type) {
  case CM_I32: return "i32";
  case CM_I64: return "i64";
  case CM_F32: return "f32";
  case CM_F64: return "f64";
  case CM_V128: return "v128";
  case CM_FUNCREF: return "funcref";
  case CM_EXTERNREF: return "externref";
  }
  return "unknown type";
}

const char *cm_externkind_name(cm_externkind kind) {
  switch (kind) {
  case CM_EXTERN_FUNC: return "func";
  case CM_EXTERN_TABLE: return "table";
  case CM_EXTERN_MEMORY: return "memory";
  case CM_EXTERN_GLOBAL: return "global";
  }
  return "unknown kind";
}
