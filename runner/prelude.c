/* canmem runner: the prelude spliced into every wat module, so vectors
 * hold only what they test. A module refers to System API functions as
 * $ic0.NAME and to the helpers below by name; the runner adds exactly the
 * imports and helpers the module uses (a module that uses none stays as
 * written), with I = i64 for a memory64 module and i32 otherwise.
 *
 * Helpers (their scratch space is heap bytes [0, 8)):
 *   $reply_i32 (param i32)   $reply_i64 (param i64)   reply with one value
 *   $append_i32 (param i32)  $append_i64 (param i64)  append to the reply
 *   $reply_empty             reply with no data
 *   $reply_data (param $src I) (param $size I)        reply with heap bytes
 *   $arg_i32 (param $offset i32) (result i32)         argument bytes at
 *   $arg_i64 (param $offset i32) (result i64)         offset, little-endian
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner.h"

/* Signatures: P = I (pointer width), I = i64, i = i32. */
static const struct {
  const char *name, *params, *results;
} system_api[] = {
    {"msg_arg_data_size", "", "P"},
    {"msg_arg_data_copy", "PPP", ""},
    {"msg_caller_size", "", "P"},
    {"msg_caller_copy", "PPP", ""},
    {"msg_caller_info_data_size", "", "P"},
    {"msg_caller_info_data_copy", "PPP", ""},
    {"msg_caller_info_signer_size", "", "P"},
    {"msg_caller_info_signer_copy", "PPP", ""},
    {"msg_reject_code", "", "i"},
    {"msg_reject_msg_size", "", "P"},
    {"msg_reject_msg_copy", "PPP", ""},
    {"msg_deadline", "", "I"},
    {"msg_reply_data_append", "PP", ""},
    {"msg_reply", "", ""},
    {"msg_reject", "PP", ""},
    {"msg_cycles_available128", "P", ""},
    {"msg_cycles_refunded128", "P", ""},
    {"msg_cycles_accept128", "IIP", ""},
    {"cycles_burn128", "IIP", ""},
    {"canister_self_size", "", "P"},
    {"canister_self_copy", "PPP", ""},
    {"canister_cycle_balance128", "P", ""},
    {"canister_liquid_cycle_balance128", "P", ""},
    {"canister_status", "", "i"},
    {"canister_version", "", "I"},
    {"subnet_self_size", "", "P"},
    {"subnet_self_copy", "PPP", ""},
    {"msg_method_name_size", "", "P"},
    {"msg_method_name_copy", "PPP", ""},
    {"accept_message", "", ""},
    {"call_new", "PPPPPPPP", ""},
    {"call_on_cleanup", "PP", ""},
    {"call_data_append", "PP", ""},
    {"call_with_best_effort_response", "i", ""},
    {"call_cycles_add128", "II", ""},
    {"call_perform", "", "i"},
    {"stable64_size", "", "I"},
    {"stable64_grow", "I", "I"},
    {"stable64_write", "III", ""},
    {"stable64_read", "III", ""},
    {"root_key_size", "", "P"},
    {"root_key_copy", "PPP", ""},
    {"certified_data_set", "PP", ""},
    {"data_certificate_present", "", "i"},
    {"data_certificate_size", "", "P"},
    {"data_certificate_copy", "PPP", ""},
    {"time", "", "I"},
    {"global_timer_set", "I", "I"},
    {"performance_counter", "i", "I"},
    {"is_controller", "PP", "i"},
    {"in_replicated_execution", "", "i"},
    {"env_var_count", "", "P"},
    {"env_var_name_size", "P", "P"},
    {"env_var_name_copy", "PPPP", ""},
    {"env_var_name_exists", "PP", "i"},
    {"env_var_value_size", "PP", "P"},
    {"env_var_value_copy", "PPPPP", ""},
    {"debug_print", "PP", ""},
    {"trap", "PP", ""},
    /* only for I = i32 */
    {"msg_cycles_available", "", "I"},
    {"msg_cycles_refunded", "", "I"},
    {"msg_cycles_accept", "I", "I"},
    {"canister_cycle_balance", "", "I"},
    {"call_cycles_add", "I", ""},
    {"stable_size", "", "i"},
    {"stable_grow", "i", "i"},
    {"stable_write", "iii", ""},
    {"stable_read", "iii", ""},
};

#define API_COUNT (sizeof system_api / sizeof system_api[0])

/* Helper bodies: {P} is the pointer type, {OFFSET} the argument offset
 * converted to it. deps: helpers and ic0 functions they call. */
static const struct {
  const char *name;
  const char *deps[3];
  const char *text;
} helpers[] = {
    {"$append_i32",
     {"$ic0.msg_reply_data_append"},
     "(func $append_i32 (param $value i32)\n"
     "    (i32.store ({P}.const 0) (local.get $value))\n"
     "    (call $ic0.msg_reply_data_append ({P}.const 0) ({P}.const 4)))"},
    {"$append_i64",
     {"$ic0.msg_reply_data_append"},
     "(func $append_i64 (param $value i64)\n"
     "    (i64.store ({P}.const 0) (local.get $value))\n"
     "    (call $ic0.msg_reply_data_append ({P}.const 0) ({P}.const 8)))"},
    {"$reply_i32",
     {"$append_i32", "$ic0.msg_reply"},
     "(func $reply_i32 (param $value i32)\n"
     "    (call $append_i32 (local.get $value))\n"
     "    (call $ic0.msg_reply))"},
    {"$reply_i64",
     {"$append_i64", "$ic0.msg_reply"},
     "(func $reply_i64 (param $value i64)\n"
     "    (call $append_i64 (local.get $value))\n"
     "    (call $ic0.msg_reply))"},
    {"$reply_empty",
     {"$ic0.msg_reply"},
     "(func $reply_empty\n"
     "    (call $ic0.msg_reply))"},
    {"$reply_data",
     {"$ic0.msg_reply_data_append", "$ic0.msg_reply"},
     "(func $reply_data (param $src {P}) (param $size {P})\n"
     "    (call $ic0.msg_reply_data_append (local.get $src) "
     "(local.get $size))\n"
     "    (call $ic0.msg_reply))"},
    {"$arg_i32",
     {"$ic0.msg_arg_data_copy"},
     "(func $arg_i32 (param $offset i32) (result i32)\n"
     "    (call $ic0.msg_arg_data_copy ({P}.const 0) {OFFSET} "
     "({P}.const 4))\n"
     "    (i32.load ({P}.const 0)))"},
    {"$arg_i64",
     {"$ic0.msg_arg_data_copy"},
     "(func $arg_i64 (param $offset i32) (result i64)\n"
     "    (call $ic0.msg_arg_data_copy ({P}.const 0) {OFFSET} "
     "({P}.const 8))\n"
     "    (i64.load ({P}.const 0)))"},
};

#define HELPER_COUNT (sizeof helpers / sizeof helpers[0])

typedef struct {
  bool api_used[API_COUNT];
  bool helper_used[HELPER_COUNT];
  bool api_defined[API_COUNT]; /* the module declares $ic0.NAME itself */
  bool helper_defined[HELPER_COUNT];
} usage;

static int find_api(const char *id) {
  if (strncmp(id, "$ic0.", 5) != 0)
    return -1;
  for (size_t i = 0; i < API_COUNT; i++)
    if (strcmp(system_api[i].name, id + 5) == 0)
      return (int)i;
  return -1;
}

static int find_helper(const char *id) {
  for (size_t i = 0; i < HELPER_COUNT; i++)
    if (strcmp(helpers[i].name, id) == 0)
      return (int)i;
  return -1;
}

/* Does the tree hold (func ID ...)? */
static bool defines(const cmr_sx *node, const char *id) {
  if (node->kind != CMR_SX_LIST)
    return false;
  if (cmr_sx_is_form(node, "func") && node->count > 1 &&
      cmr_sx_atom(&node->items[1]) && strcmp(node->items[1].text, id) == 0)
    return true;
  for (size_t i = 0; i < node->count; i++)
    if (defines(&node->items[i], id))
      return true;
  return false;
}

/* Mark what the tree uses and which prelude names it defines itself. */
static bool walk(const cmr_module *m, const cmr_sx *node, usage *u,
                 cmr_error *err) {
  if (node->kind == CMR_SX_ATOM) {
    int a = find_api(node->text), h = find_helper(node->text);
    if (a >= 0)
      u->api_used[a] = true;
    else if (h >= 0)
      u->helper_used[h] = true;
    else if (strncmp(node->text, "$ic0.", 5) == 0 &&
             !defines(m->form, node->text))
      return cmr_fail(err, node->line, node->column,
                      "unknown System API function ic0.%s: the prelude has "
                      "no import for it (declare the import yourself to "
                      "test an unknown name)",
                      node->text + 5);
    return true;
  }
  if (node->kind != CMR_SX_LIST)
    return true;
  if (cmr_sx_is_form(node, "func") && node->count > 1 &&
      node->items[1].kind == CMR_SX_ATOM) {
    int a = find_api(node->items[1].text);
    int h = find_helper(node->items[1].text);
    if (a >= 0)
      u->api_defined[a] = true;
    if (h >= 0)
      u->helper_defined[h] = true;
  }
  for (size_t i = 0; i < node->count; i++)
    if (!walk(m, &node->items[i], u, err))
      return false;
  return true;
}

/* Uses, then the closure over helper dependencies. */
static bool collect(const cmr_module *m, usage *u, cmr_error *err) {
  memset(u, 0, sizeof *u);
  for (size_t i = 2; i < m->form->count; i++)
    if (!walk(m, &m->form->items[i], u, err))
      return false;
  bool changed = true;
  while (changed) {
    changed = false;
    for (size_t h = 0; h < HELPER_COUNT; h++) {
      if (!u->helper_used[h] || u->helper_defined[h])
        continue;
      for (size_t d = 0; d < 3 && helpers[h].deps[d]; d++) {
        int a = find_api(helpers[h].deps[d]);
        int k = find_helper(helpers[h].deps[d]);
        if (a >= 0 && !u->api_used[a])
          u->api_used[a] = changed = true;
        if (k >= 0 && !u->helper_used[k])
          u->helper_used[k] = changed = true;
      }
    }
  }
  return true;
}

bool cmr_module_scan(const cmr_module *m, bool *uses_stable64, cmr_error *err) {
  usage u;
  if (!collect(m, &u, err))
    return false;
  *uses_stable64 = false;
  for (size_t i = 0; i < API_COUNT; i++)
    if ((u.api_used[i] || u.api_defined[i]) &&
        strncmp(system_api[i].name, "stable64_", 9) == 0)
      *uses_stable64 = true;
  return true;
}

size_t cmr_module_flags(const cmr_module *m, const char **flags, size_t max) {
  size_t n = 0;
  if (m->wasm64 && n < max)
    flags[n++] = "--enable-memory64";
  if (m->multi_memory && n < max)
    flags[n++] = "--enable-multi-memory";
  if (m->tail_call && n < max)
    flags[n++] = "--enable-tail-call";
  return n;
}

typedef struct {
  char *buf;
  size_t len, cap;
  bool failed;
} builder;

static void add(builder *b, const char *s, size_t n) {
  if (b->failed)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 1024;
    while (b->len + n + 1 > cap)
      cap *= 2;
    char *grown = realloc(b->buf, cap);
    if (!grown) {
      b->failed = true;
      return;
    }
    b->buf = grown;
    b->cap = cap;
  }
  memcpy(b->buf + b->len, s, n);
  b->len += n;
  b->buf[b->len] = '\0';
}

static void add_str(builder *b, const char *s) { add(b, s, strlen(s)); }

static const char *wasm_type(char code, const char *pointer) {
  return code == 'P' ? pointer : code == 'I' ? "i64" : "i32";
}

static void add_import(builder *b, size_t i, const char *pointer) {
  add_str(b, "  (import \"ic0\" \"");
  add_str(b, system_api[i].name);
  add_str(b, "\" (func $ic0.");
  add_str(b, system_api[i].name);
  for (const char *p = system_api[i].params; *p; p++) {
    add_str(b, p == system_api[i].params ? " (param " : " ");
    add_str(b, wasm_type(*p, pointer));
    if (!p[1])
      add_str(b, ")");
  }
  for (const char *r = system_api[i].results; *r; r++) {
    add_str(b, " (result ");
    add_str(b, wasm_type(*r, pointer));
    add_str(b, ")");
  }
  add_str(b, "))\n");
}

static void add_helper(builder *b, size_t h, const char *pointer) {
  add_str(b, "  ");
  for (const char *p = helpers[h].text; *p;) {
    if (strncmp(p, "{P}", 3) == 0) {
      add_str(b, pointer);
      p += 3;
    } else if (strncmp(p, "{OFFSET}", 8) == 0) {
      add_str(b, strcmp(pointer, "i64") == 0
                     ? "(i64.extend_i32_u (local.get $offset))"
                     : "(local.get $offset)");
      p += 8;
    } else {
      add(b, p, 1);
      p++;
    }
  }
  add_str(b, "\n");
}

static uint32_t count_lines(const char *s, size_t n) {
  uint32_t lines = 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == '\n')
      lines++;
  return lines;
}

bool cmr_module_text(const cmr_vector *v, const cmr_module *m, char **text,
                     size_t *size, uint32_t *first_body_line, cmr_error *err) {
  usage u;
  if (!collect(m, &u, err))
    return false;
  const char *pointer = m->wasm64 ? "i64" : "i32";
  builder b = {0};
  add_str(&b, "(module ");
  add_str(&b, m->name);
  add_str(&b, "\n");
  bool any_import = false;
  for (size_t i = 0; i < API_COUNT; i++)
    if (u.api_used[i] && !u.api_defined[i]) {
      if (!any_import)
        add_str(&b, "  ;; canmem prelude: System API imports\n");
      any_import = true;
      add_import(&b, i, pointer);
    }
  *first_body_line = count_lines(b.buf, b.len) + 1;
  for (uint32_t c = 1; c < m->body_column; c++)
    add_str(&b, " ");
  /* The body as written, with (@custom ...) blanked (the runner appends
   * those sections itself) but its line breaks kept. */
  size_t body_offset = b.len;
  add(&b, v->source + m->body_start, m->body_end - m->body_start);
  for (size_t i = 2; i < m->form->count && !b.failed; i++) {
    const cmr_sx *field = &m->form->items[i];
    if (!cmr_sx_is_form(field, "@custom"))
      continue;
    for (size_t k = field->start; k < field->end; k++)
      if (b.buf[body_offset + k - m->body_start] != '\n')
        b.buf[body_offset + k - m->body_start] = ' ';
  }
  bool any_helper = false;
  for (size_t h = 0; h < HELPER_COUNT; h++)
    if (u.helper_used[h] && !u.helper_defined[h]) {
      if (!any_helper)
        add_str(&b, "\n  ;; canmem prelude: helpers\n");
      any_helper = true;
      add_helper(&b, h, pointer);
    }
  add_str(&b, any_helper ? ")\n" : "\n)\n");
  if (b.failed) {
    free(b.buf);
    return cmr_fail(err, m->line, m->column, "out of memory");
  }
  *text = b.buf;
  *size = b.len;
  return true;
}
