/* The process adapter: any runtime, in any language, that speaks the
 * process protocol of docs/adapter-process.md over its standard input and
 * output. Each canister is one child process running the command in
 * $CANMEM_PROCESS_ADAPTER (through /bin/sh, so "python3 my_adapter.py"
 * works); this file forwards each ABI operation as one request and turns
 * a dead, hung or garbled child into an error instead of a hang.
 *
 * The runtime's name, version, capabilities and whether it offers the
 * white-box probes come from a "hello" request, sent to one child when
 * the runner loads the adapter. Every request has a deadline:
 * $CANMEM_PROCESS_TIMEOUT_MS, else the runner's per-vector
 * $CANMEM_TIMEOUT_MS (canmem-run sets it in each vector's process), else
 * 60000. A child that misses it is killed and the operation fails. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canmem_adapter.h"
#include "channel.h"

#define LABEL "process adapter"

/* A child running $CANMEM_PROCESS_ADAPTER through the shell; `exec` makes
 * the runtime itself the child, so a kill reaches it. */
static canmem_canister *spawn(char *error, size_t error_size) {
  const char *cmd = getenv("CANMEM_PROCESS_ADAPTER");
  if (!cmd || !cmd[0]) {
    snprintf(error, error_size,
             LABEL ": set CANMEM_PROCESS_ADAPTER to the command that starts "
                   "the runtime (docs/adapter-process.md)");
    return NULL;
  }
  size_t size = strlen(cmd) + 6;
  char *line = malloc(size);
  if (!line) {
    snprintf(error, error_size, LABEL ": out of memory");
    return NULL;
  }
  snprintf(line, size, "exec %s", cmd);
  char *argv[] = {"/bin/sh", "-c", line, NULL};
  canmem_canister *c =
      cm_proc_spawn(LABEL, argv, cm_proc_timeout("CANMEM_PROCESS_TIMEOUT_MS"),
                    error, error_size);
  free(line);
  return c;
}

static canmem_canister *proc_create(const canmem_profile *profile,
                                    char *error, uint64_t error_size) {
  canmem_canister *c = spawn(error, (size_t)error_size);
  if (c && cm_proc_create(c, profile, error, (size_t)error_size) != CANMEM_OK) {
    cm_proc_release(c);
    c = NULL;
  }
  return c;
}

/* ---- hello: who the runtime is, what it offers ---- */

/* Reads a JSON string at *p (after its opening quote) into out; escapes
 * are decoded, \uXXXX becomes '?'. Returns 0, or -1 if it is not closed. */
static int json_read_string(const char **p, const char *end, char *out,
                            size_t out_size) {
  size_t n = 0;
  const char *s = *p;
  while (s < end && *s != '"') {
    char ch = *s++;
    if (ch == '\\') {
      if (s >= end)
        return -1;
      ch = *s++;
      if (ch == 'n')
        ch = '\n';
      else if (ch == 't')
        ch = '\t';
      else if (ch == 'u') {
        s += 4;
        ch = '?';
      } else if (ch != '"' && ch != '\\' && ch != '/')
        ch = '?';
    }
    if (n + 1 < out_size)
      out[n++] = ch;
  }
  if (out_size)
    out[n] = '\0';
  if (s >= end)
    return -1;
  *p = s + 1;
  return 0;
}

/* The value of `key` in a flat JSON object (strings, numbers, booleans,
 * null) as text. Returns 1 found, 0 absent, -1 malformed. */
static int json_field(const char *json, size_t len, const char *key,
                      char *out, size_t out_size) {
  const char *p = json, *end = json + len;
#define SKIP_WS                                                              \
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))  \
  p++
  SKIP_WS;
  if (p >= end || *p++ != '{')
    return -1;
  for (;;) {
    SKIP_WS;
    if (p < end && *p == '}')
      return 0;
    char name[64], value[256];
    if (p >= end || *p++ != '"' ||
        json_read_string(&p, end, name, sizeof name) != 0)
      return -1;
    SKIP_WS;
    if (p >= end || *p++ != ':')
      return -1;
    SKIP_WS;
    if (p < end && *p == '"') {
      p++;
      if (json_read_string(&p, end, value, sizeof value) != 0)
        return -1;
    } else {
      size_t n = 0;
      while (p < end && *p != ',' && *p != '}' && *p != ' ' && *p != '\n') {
        if (*p == '{' || *p == '[' || *p == '"')
          return -1; /* nested values are not part of hello */
        if (n + 1 < sizeof value)
          value[n++] = *p;
        p++;
      }
      value[n] = '\0';
    }
    if (strcmp(name, key) == 0) {
      snprintf(out, out_size, "%s", value);
      return 1;
    }
    SKIP_WS;
    if (p < end && *p == ',')
      p++;
    else if (p < end && *p == '}')
      return 0;
    else
      return -1;
  }
#undef SKIP_WS
}

static canmem_adapter proc_table = {
    .abi_version = CANMEM_ADAPTER_ABI_VERSION,
    .struct_size = sizeof(canmem_adapter),
    .name = "process",
    .version = "?",
    .capabilities = 0,
    .create = proc_create,
    .destroy = cm_proc_destroy,
    .install_code = cm_proc_install_code,
    .call = cm_proc_call,
    .update_settings = cm_proc_update_settings,
};

static char hello_name[128] = "process";
static char hello_version[256] = "?";

/* Asks one child who it is. 0, or -1 with the reason in error. */
static int hello(char *error, size_t error_size) {
  canmem_canister *c = spawn(error, error_size);
  if (!c)
    return -1;
  char json[64];
  snprintf(json, sizeof json, "{\"op\":\"hello\",\"protocol\":%d}",
           CM_PROC_PROTOCOL);
  proc_response r;
  int rc = -1;
  char field[256];
  if (cm_proc_exchange(c, json, NULL, 0, NULL, 0, &r) != CANMEM_OK) {
    snprintf(error, error_size, "%.400s (answering hello)",
             r.message);
    goto out;
  }
  uint64_t payload_size;
  const char *payload = (const char *)cm_proc_payload(c, &payload_size);
  size_t size = (size_t)payload_size;
  if (json_field(payload, size, "protocol", field, sizeof field) != 1 ||
      strtoul(field, NULL, 10) != CM_PROC_PROTOCOL) {
    snprintf(error, error_size,
             LABEL ": the runtime does not answer hello with "
             "\"protocol\": %d (docs/adapter-process.md)",
             CM_PROC_PROTOCOL);
    goto out;
  }
  if (json_field(payload, size, "name", field, sizeof field) == 1)
    snprintf(hello_name, sizeof hello_name, "%.127s", field);
  if (json_field(payload, size, "version", field, sizeof field) == 1)
    snprintf(hello_version, sizeof hello_version, "%s", field);
  if (json_field(payload, size, "capabilities", field, sizeof field) == 1) {
    char *stop;
    errno = 0;
    unsigned long long caps = strtoull(field, &stop, 10);
    if (errno || *stop || !field[0]) {
      snprintf(error, error_size,
               LABEL ": hello: capabilities \"%.100s\" is not a "
               "decimal number",
               field);
      goto out;
    }
    proc_table.capabilities = caps;
    /* the version-2 operations the runtime announces */
    cm_proc_fill_v2(&proc_table, caps);
  }
  if (json_field(payload, size, "probes", field, sizeof field) == 1 &&
      strcmp(field, "true") == 0) {
    proc_table.stable_size = cm_proc_stable_size;
    proc_table.heap_size = cm_proc_heap_size;
    proc_table.read_stable = cm_proc_read_stable;
    proc_table.read_heap = cm_proc_read_heap;
  }
  proc_table.name = hello_name;
  proc_table.version = hello_version;
  rc = 0;
out:
  cm_proc_destroy(c);
  return rc;
}

const canmem_adapter *canmem_adapter_v1(void) {
  static int said_hello;
  if (!said_hello) {
    char error[512];
    if (hello(error, sizeof error) != 0) {
      fprintf(stderr, "%s\n", error);
      return NULL;
    }
    said_hello = 1;
  }
  return &proc_table;
}
