/* canmem-ref: validate a WebAssembly module, or run one of its exported
 * functions on the reference engine. Exit status: 0 ok, 1 the module or the
 * call failed (the failure's category is printed), 2 usage or I/O error.
 * The module gets no imports: canmem-ref is a window on the engine, not a
 * host (the canister model is reached through the adapter instead). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasm.h"
#include "file.h"

enum { EXIT_FAILED = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
    "usage: canmem-ref validate FILE.wasm\n"
    "       canmem-ref run [OPTIONS] FILE.wasm EXPORT [ARG...]\n"
    "\n"
    "validate  decode and validate the module\n"
    "run       instantiate the module (it may not import anything) and call\n"
    "          the exported function EXPORT; results are printed one per\n"
    "          line as TYPE:VALUE\n"
    "\n"
    "ARG is TYPE:VALUE, one per parameter:\n"
    "  i32:5  i32:-1  i32:0xff  i64:-1  f32:1.5  f64:-0x1p-3  f64:inf  f64:-nan\n"
    "  f32:nan:0x200000 (NaN payload)  funcref:null  externref:null  externref:7\n"
    "  v128:0xff (the 16 bytes as one number of up to 32 hex digits,\n"
    "  byte 0 in the lowest two)\n"
    "Integers print as signed decimal; floats as the shortest decimal that\n"
    "reads back to the same bits; v128 as 32 hex digits.\n"
    "\n"
    "options:\n"
    "  --max-instructions N  stop with trap instruction-limit after N\n"
    "                        instructions (0: no limit, the default)\n"
    "  --stats               print the number of instructions executed to\n"
    "                        stderr\n"
    "  -h, --help            this text\n"
    "  --version             the version\n"
    "\n"
    "exit status: 0 ok; 1 malformed, invalid, unlinkable, uninstantiable,\n"
    "trap or exhausted (the category is printed); 2 usage or I/O error\n";

typedef struct {
  const char *command;
  const char *file;
  const char *export_name;
  char **args;
  int nargs;
  uint64_t max_instructions;
  int stats;
} cli_options;

static int usage_error(const char *fmt, const char *what) {
  fprintf(stderr, "canmem-ref: ");
  fprintf(stderr, fmt, what);
  fprintf(stderr, "\n(canmem-ref --help shows the usage)\n");
  return EXIT_USAGE;
}

/* Strict unsigned decimal: no sign, no spaces, no trailing text. */
static int parse_count(const char *text, uint64_t *out) {
  if (*text < '0' || *text > '9')
    return 0;
  errno = 0;
  char *end;
  unsigned long long v = strtoull(text, &end, 10);
  if (errno != 0 || *end != '\0')
    return 0;
  *out = v;
  return 1;
}

/* Fills opts; returns -1 to go on, or an exit status. Options may come
 * anywhere (call arguments are TYPE:VALUE, so they never start with '-');
 * the other words are moved to the front of argv, in order: COMMAND, FILE,
 * EXPORT, then the call's arguments. */
static int parse_command_line(int argc, char **argv, cli_options *opts) {
  int nwords = 0;
  int options_done = 0;
  memset(opts, 0, sizeof *opts);

  for (int i = 1; i < argc; i++) {
    char *arg = argv[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      argv[nwords++] = arg; /* nwords < i: this slot was read already */
    } else if (strcmp(arg, "--") == 0) {
      options_done = 1;
    } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
      fputs(usage_text, stdout);
      return 0;
    } else if (strcmp(arg, "--version") == 0) {
      puts("canmem-ref 0.1");
      return 0;
    } else if (strcmp(arg, "--stats") == 0) {
      opts->stats = 1;
    } else if (strcmp(arg, "--max-instructions") == 0) {
      if (i + 1 >= argc)
        return usage_error("%s needs a number", arg);
      if (!parse_count(argv[++i], &opts->max_instructions))
        return usage_error("--max-instructions: not a count: %s", argv[i]);
    } else {
      return usage_error("unknown option %s", arg);
    }
  }

  if (nwords == 0) {
    fputs(usage_text, stderr);
    return EXIT_USAGE;
  }
  opts->command = argv[0];
  if (strcmp(opts->command, "validate") == 0) {
    if (nwords != 2)
      return usage_error("%s takes exactly one FILE.wasm", "validate");
    opts->file = argv[1];
  } else if (strcmp(opts->command, "run") == 0) {
    if (nwords < 3)
      return usage_error("%s needs FILE.wasm and EXPORT", "run");
    opts->file = argv[1];
    opts->export_name = argv[2];
    opts->args = argv + 3;
    opts->nargs = nwords - 3;
  } else {
    return usage_error("unknown command %s", opts->command);
  }
  return -1;
}

/* Reads the whole file; NULL (with a message) on failure. */
static uint8_t *read_file(const char *path, size_t *size) {
  char why[300];
  char *bytes = cm_read_file(path, 0, size, why, sizeof why);
  if (!bytes)
    fprintf(stderr, "canmem-ref: cannot read %s\n", why);
  return (uint8_t *)bytes;
}

static void print_signature(FILE *out, const cm_functype *type) {
  fputc('(', out);
  for (uint32_t i = 0; i < type->nparams; i++)
    fprintf(out, "%s%s", i ? " " : "", cm_valtype_name(type->params[i]));
  fputs(") -> (", out);
  for (uint32_t i = 0; i < type->nresults; i++)
    fprintf(out, "%s%s", i ? " " : "", cm_valtype_name(type->results[i]));
  fputc(')', out);
}

/* An integer of `bits` bits: decimal or 0x hex, optionally negative; any
 * value in [-2^(bits-1), 2^bits) is taken, wrapping to the unsigned
 * encoding (so i32:-1 and i32:0xffffffff are the same). */
static int parse_integer(const char *text, unsigned bits, uint64_t *out) {
  int negative = *text == '-';
  if (*text == '-' || *text == '+')
    text++;
  int base = 10;
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text += 2;
  }
  if (*text == '\0' || *text == '-' || *text == '+' || *text == ' ')
    return 0;
  errno = 0;
  char *end;
  unsigned long long magnitude = strtoull(text, &end, base);
  if (errno != 0 || *end != '\0')
    return 0;
  uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  if (negative) {
    if (magnitude > (UINT64_C(1) << (bits - 1)))
      return 0;
    *out = (0 - (uint64_t)magnitude) & mask;
  } else {
    if (magnitude > mask)
      return 0;
    *out = magnitude;
  }
  return 1;
}

/* nan, -nan, nan:0xPAYLOAD, inf, -inf or a strtod/strtof number. */
static int parse_float(const char *text, int is64, uint64_t *out) {
  int negative = *text == '-';
  const char *unsigned_text = negative || *text == '+' ? text + 1 : text;
  uint64_t sign = negative ? (is64 ? UINT64_C(1) << 63 : UINT64_C(1) << 31)
                           : 0;
  uint64_t exponent_all_ones = is64 ? UINT64_C(0x7ff) << 52 : 0xffu << 23;
  uint64_t payload_mask = is64 ? (UINT64_C(1) << 52) - 1 : (1u << 23) - 1;
  if (strncmp(unsigned_text, "nan", 3) == 0) {
    uint64_t payload = is64 ? UINT64_C(1) << 51 : 1u << 22; /* canonical */
    if (unsigned_text[3] == ':') {
      if (strncmp(unsigned_text + 4, "0x", 2) != 0 ||
          !parse_integer(unsigned_text + 4, 64, &payload) || payload == 0 ||
          payload > payload_mask)
        return 0;
    } else if (unsigned_text[3] != '\0') {
      return 0;
    }
    *out = sign | exponent_all_ones | payload;
    return 1;
  }
  if (strcmp(unsigned_text, "inf") == 0) {
    *out = sign | exponent_all_ones;
    return 1;
  }
  if (*unsigned_text == '\0' || *unsigned_text == ' ' ||
      *unsigned_text == '-' || *unsigned_text == '+')
    return 0;
  /* A finite literal too large for the type is refused, not made inf. */
  char *end;
  if (is64) {
    double d = strtod(text, &end);
    if (*end != '\0' || isnan(d) || isinf(d))
      return 0;
    memcpy(out, &d, sizeof d);
  } else {
    float f = strtof(text, &end);
    if (*end != '\0' || isnan(f) || isinf(f))
      return 0;
    uint32_t bits;
    memcpy(&bits, &f, sizeof bits);
    *out = bits;
  }
  return 1;
}

/* v128:0x followed by 1 to 32 hex digits: the 16 bytes as one
 * little-endian number (lane 0 in the lowest digits). */
static int parse_v128(const char *text, cm_val *out) {
  if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
    return 0;
  size_t n = strlen(text + 2);
  if (n == 0 || n > 32)
    return 0;
  out->bits = out->bits_hi = 0;
  for (const char *p = text + 2; *p != '\0'; p++) {
    int digit = isdigit((unsigned char)*p) ? *p - '0'
                : isxdigit((unsigned char)*p)
                    ? tolower((unsigned char)*p) - 'a' + 10
                    : -1;
    if (digit < 0)
      return 0;
    out->bits_hi = (out->bits_hi << 4) | (out->bits >> 60);
    out->bits = (out->bits << 4) | (uint64_t)digit;
  }
  return 1;
}

/* Parses TYPE:VALUE for a parameter of type `expected`. */
static int parse_value(const char *text, uint8_t expected, cm_val *out) {
  const char *type = cm_valtype_name(expected);
  size_t type_len = strlen(type);
  if (strncmp(text, type, type_len) != 0 || text[type_len] != ':')
    return 0;
  const char *value = text + type_len + 1;
  out->type = expected;
  switch (expected) {
  case CM_I32: return parse_integer(value, 32, &out->bits);
  case CM_I64: return parse_integer(value, 64, &out->bits);
  case CM_F32: return parse_float(value, 0, &out->bits);
  case CM_F64: return parse_float(value, 1, &out->bits);
  case CM_V128: return parse_v128(value, out);
  case CM_FUNCREF:
    out->bits = 0;
    return strcmp(value, "null") == 0;
  case CM_EXTERNREF:
    out->bits = 0;
    if (strcmp(value, "null") == 0)
      return 1;
    /* externref:N is the host word N+1, so that N = 0 is not null. */
    if (!parse_count(value, &out->bits) || out->bits == UINT64_MAX)
      return 0;
    out->bits += 1;
    return 1;
  }
  return 0;
}

/* Shortest %.*g that reads back to the same value. */
static void print_float(int is64, uint64_t bits) {
  uint64_t sign_bit = is64 ? UINT64_C(1) << 63 : UINT64_C(1) << 31;
  uint64_t exponent_all_ones = is64 ? UINT64_C(0x7ff) << 52 : 0xffu << 23;
  uint64_t payload_mask = is64 ? (UINT64_C(1) << 52) - 1 : (1u << 23) - 1;
  uint64_t canonical = is64 ? UINT64_C(1) << 51 : 1u << 22;
  const char *sign = bits & sign_bit ? "-" : "";
  if ((bits & exponent_all_ones) == exponent_all_ones) {
    uint64_t payload = bits & payload_mask;
    if (payload == 0)
      printf("%sinf\n", sign);
    else if (payload == canonical)
      printf("%snan\n", sign);
    else
      printf("%snan:0x%" PRIx64 "\n", sign, payload);
    return;
  }
  double value;
  if (is64) {
    memcpy(&value, &bits, sizeof value);
  } else {
    uint32_t bits32 = (uint32_t)bits;
    float f;
    memcpy(&f, &bits32, sizeof f);
    value = f;
  }
  char text[64];
  for (int precision = 1; precision <= 17; precision++) {
    snprintf(text, sizeof text, "%.*g", precision, value);
    if (is64 ? strtod(text, NULL) == value
             : strtof(text, NULL) == (float)value)
      break;
  }
  printf("%s\n", text);
}

static void print_value(const cm_val *v) {
  printf("%s:", cm_valtype_name(v->type));
  switch (v->type) {
  case CM_I32: printf("%" PRId32 "\n", (int32_t)(uint32_t)v->bits); break;
  case CM_I64: printf("%" PRId64 "\n", (int64_t)v->bits); break;
  case CM_F32: print_float(0, v->bits); break;
  case CM_F64: print_float(1, v->bits); break;
  case CM_V128:
    printf("0x%016" PRIx64 "%016" PRIx64 "\n", v->bits_hi, v->bits);
    break;
  case CM_FUNCREF: puts(v->bits ? "function" : "null"); break;
  case CM_EXTERNREF:
    if (v->bits)
      printf("%" PRIu64 "\n", v->bits - 1);
    else
      puts("null");
    break;
  default: printf("0x%" PRIx64 "\n", v->bits); break;
  }
}

static int report_failure(const char *where, const cm_error *err) {
  fprintf(stderr, "canmem-ref: %s: %s", where, cm_status_name(err->status));
  if (err->status == CM_TRAP || err->status == CM_UNINSTANTIABLE) {
    if (err->trap != CM_TRAP_NONE)
      fprintf(stderr, " (%s)", cm_trap_name(err->trap));
    if (err->trap == CM_TRAP_HOST)
      fprintf(stderr, " host code %" PRIu32, err->host_code);
  }
  if (err->message[0] != '\0')
    fprintf(stderr, ": %s", err->message);
  fputc('\n', stderr);
  return EXIT_FAILED;
}

/* canmem-ref supplies no imports: name the first one the module wants. */
static int report_imports(const char *file, const cm_module *m) {
  const char *module_name, *field;
  cm_externkind kind;
  uint32_t count = cm_module_import_count(m);
  cm_module_import(m, 0, &module_name, &field, &kind);
  fprintf(stderr,
          "canmem-ref: %s: unlinkable: import \"%s\" \"%s\" (%s) is not provided; "
          "canmem-ref supplies no imports (the module has %" PRIu32 ")\n",
          file, module_name, field, cm_externkind_name(kind), count);
  return EXIT_FAILED;
}

/* Is `name` exported, and as what? Used to explain a failed lookup. */
static int find_export_kind(const cm_module *m, const char *name,
                            cm_externkind *kind) {
  for (uint32_t i = 0; i < cm_module_export_count(m); i++) {
    const char *export_name;
    cm_module_export(m, i, &export_name, kind);
    if (strcmp(export_name, name) == 0)
      return 1;
  }
  return 0;
}

static int report_missing_export(const cli_options *opts, const cm_module *m) {
  cm_externkind kind;
  if (find_export_kind(m, opts->export_name, &kind)) {
    fprintf(stderr, "canmem-ref: %s: export \"%s\" is a %s, not a function\n",
            opts->file, opts->export_name, cm_externkind_name(kind));
    return EXIT_USAGE;
  }
  fprintf(stderr, "canmem-ref: %s: no export named \"%s\"; functions:",
          opts->file, opts->export_name);
  int any = 0;
  for (uint32_t i = 0; i < cm_module_export_count(m); i++) {
    const char *name;
    cm_module_export(m, i, &name, &kind);
    if (kind == CM_EXTERN_FUNC) {
      fprintf(stderr, " \"%s\"", name);
      any = 1;
    }
  }
  fprintf(stderr, "%s\n", any ? "" : " none");
  return EXIT_USAGE;
}

static int parse_call_args(const cli_options *opts, const cm_functype *type,
                           cm_val *args) {
  if ((uint32_t)opts->nargs != type->nparams) {
    fprintf(stderr, "canmem-ref: \"%s\" takes %" PRIu32 " argument%s, got %d: ",
            opts->export_name, type->nparams, type->nparams == 1 ? "" : "s",
            opts->nargs);
    print_signature(stderr, type);
    fputc('\n', stderr);
    return 0;
  }
  for (uint32_t i = 0; i < type->nparams; i++) {
    if (!parse_value(opts->args[i], type->params[i], &args[i])) {
      fprintf(stderr,
              "canmem-ref: argument %" PRIu32 " \"%s\" does not fit "
              "parameter type %s (write %s:VALUE)\n",
              i + 1, opts->args[i], cm_valtype_name(type->params[i]),
              cm_valtype_name(type->params[i]));
      return 0;
    }
  }
  return 1;
}

static int run_export(const cli_options *opts, const cm_module *m) {
  const cm_functype *type = cm_module_export_functype(m, opts->export_name);
  if (type == NULL)
    return report_missing_export(opts, m);
  if (cm_module_import_count(m) > 0)
    return report_imports(opts->file, m);

  /* One extra slot each, so that zero-length arrays are never requested. */
  cm_val *args = calloc((size_t)type->nparams + 1, sizeof *args);
  cm_val *results = calloc((size_t)type->nresults + 1, sizeof *results);
  cm_store_limits limits = cm_store_default_limits();
  limits.instruction_limit = opts->max_instructions;
  cm_store *store = args && results ? cm_store_new(&limits) : NULL;
  if (store == NULL) {
    fprintf(stderr, "canmem-ref: out of memory\n");
    free(args);
    free(results);
    return EXIT_FAILED;
  }

  int status = EXIT_USAGE;
  cm_error err;
  memset(&err, 0, sizeof err);
  if (parse_call_args(opts, type, args)) {
    cm_instance *inst = cm_instantiate(store, m, NULL, 0, &err);
    cm_extern fn;
    if (inst == NULL) {
      status = report_failure(opts->file, &err);
    } else if (!cm_instance_export(inst, opts->export_name, &fn) ||
               fn.kind != CM_EXTERN_FUNC) {
      status = report_missing_export(opts, m);
    } else if (cm_invoke(store, fn.as.func, args, results, &err) != CM_OK) {
      status = report_failure(opts->export_name, &err);
    } else {
      for (uint32_t i = 0; i < type->nresults; i++)
        print_value(&results[i]);
      status = 0;
    }
    fflush(stdout); /* results first, then the statistics */
    if (opts->stats)
      fprintf(stderr, "instructions: %" PRIu64 "\n",
              cm_store_instructions(store));
  }
  cm_store_free(store);
  free(args);
  free(results);
  return status;
}

int main(int argc, char **argv) {
  cli_options opts;
  int status = parse_command_line(argc, argv, &opts);
  if (status >= 0)
    return status;

  size_t size;
  uint8_t *bytes = read_file(opts.file, &size);
  if (bytes == NULL)
    return EXIT_USAGE;
  cm_error err;
  memset(&err, 0, sizeof err);
  cm_module *m = cm_module_new(bytes, size, &err);
  free(bytes);
  if (m == NULL)
    return report_failure(opts.file, &err);

  if (strcmp(opts.command, "validate") == 0) {
    printf("%s: valid\n", opts.file);
    status = 0;
  } else {
    status = run_export(&opts, m);
  }
  cm_module_free(m);
  fflush(stdout);
  return ferror(stdout) ? EXIT_USAGE : status;
}
