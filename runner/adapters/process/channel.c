/* The process protocol's adapter side (docs/adapter-process.md): a child
 * per canister, one request and one response per ABI operation over a
 * socket pair, a deadline on each, and a dead, hung or garbled child
 * turned into an error instead of a hang. Shared by the generic process
 * adapter (process_adapter.c) and the v8 adapter (runs host.js). */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "canmem_adapter.h"
#include "channel.h"

#define PROC_DEFAULT_TIMEOUT_MS 60000
#define PROC_RESPONSE_HEAD 36
#define PROC_STDERR_TAIL 400

struct canmem_canister {
  pid_t pid;
  int channel;    /* socket: requests out, responses in */
  int stderr_fd;  /* the child's standard error, for messages */
  int dead;       /* the child failed: every later request fails */
  char dead_reason[512];
  char stderr_tail[PROC_STDERR_TAIL + 1];
  char label[32]; /* who speaks in messages: "v8 host", "process adapter" */
  long timeout_ms;
  uint8_t *payload; /* the last outcome's payload, owned until next call */
  uint64_t payload_size;
  canmem_global *globals; /* the last snapshot metadata's globals */
};

static void set_outcome(canmem_outcome *out, uint32_t kind, uint32_t code,
                        uint32_t category, const char *message) {
  uint32_t size = out->struct_size;
  memset(out, 0, sizeof *out);
  out->struct_size = size;
  out->kind = kind;
  out->reject_code = code;
  out->category = category;
  snprintf(out->message, sizeof out->message, "%s", message);
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Keeps the last bytes the child wrote to standard error. */
static void drain_stderr(canmem_canister *c) {
  char buf[512];
  for (;;) {
    ssize_t n = read(c->stderr_fd, buf, sizeof buf);
    if (n <= 0)
      return;
    size_t have = strlen(c->stderr_tail);
    size_t add = (size_t)n;
    if (add > PROC_STDERR_TAIL)
      add = PROC_STDERR_TAIL;
    if (have + add > PROC_STDERR_TAIL) {
      size_t drop = have + add - PROC_STDERR_TAIL;
      memmove(c->stderr_tail, c->stderr_tail + drop, have - drop + 1);
      have -= drop;
    }
    memcpy(c->stderr_tail + have, buf + (size_t)n - add, add);
    c->stderr_tail[have + add] = '\0';
  }
}

static void kill_child(canmem_canister *c) {
  if (c->pid > 0) {
    kill(c->pid, SIGKILL);
    waitpid(c->pid, NULL, 0);
    c->pid = -1;
  }
}

/* Marks the child dead (killing it) and says why, with its last words. */
static void mark_dead(canmem_canister *c, const char *why) {
  drain_stderr(c);
  kill_child(c);
  c->dead = 1;
  const char *tail = c->stderr_tail;
  size_t len = strlen(tail);
  if (len > 160)
    tail += len - 160;
  snprintf(c->dead_reason, sizeof c->dead_reason, "%s: %.200s%s%.160s", c->label, why,
           len ? "; stderr: " : "", tail);
}

/* Waits until fd is ready for `events` or the deadline passes, draining
 * the child's stderr meanwhile. Returns 1 ready, 0 timeout, -1 error. */
static int wait_ready(canmem_canister *c, int fd, short events,
                      long deadline) {
  for (;;) {
    long left = deadline - now_ms();
    if (left <= 0)
      return 0;
    struct pollfd fds[2] = {{fd, events, 0}, {c->stderr_fd, POLLIN, 0}};
    int n = poll(fds, 2, left > 1000 ? 1000 : (int)left);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return -1;
    }
    if (fds[1].revents & POLLIN)
      drain_stderr(c);
    if (fds[0].revents & (events | POLLHUP | POLLERR))
      return 1;
  }
}

static int send_all(canmem_canister *c, const uint8_t *data, uint64_t size,
                    long deadline) {
  while (size > 0) {
    int ready = wait_ready(c, c->channel, POLLOUT, deadline);
    if (ready <= 0) {
      mark_dead(c, ready == 0 ? "timed out sending a request (killed)"
                              : "poll failed");
      return -1;
    }
    /* MSG_NOSIGNAL: a dead child must not SIGPIPE the runner. */
    ssize_t n = send(c->channel, data, size > (1u << 20) ? (1u << 20) : size,
                     MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        continue;
      mark_dead(c, "the child closed its input (it died)");
      return -1;
    }
    data += n;
    size -= (uint64_t)n;
  }
  return 0;
}

static int recv_all(canmem_canister *c, uint8_t *data, uint64_t size,
                    long deadline) {
  while (size > 0) {
    int ready = wait_ready(c, c->channel, POLLIN, deadline);
    if (ready <= 0) {
      char why[128];
      snprintf(why, sizeof why,
               "no response within %ld ms (hung or too slow; killed)",
               c->timeout_ms);
      mark_dead(c, ready == 0 ? why : "poll failed");
      return -1;
    }
    ssize_t n = recv(c->channel, data, size, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      continue;
    if (n <= 0) {
      int status = 0;
      char why[128] = "the child exited";
      if (c->pid > 0 && waitpid(c->pid, &status, 0) == c->pid) {
        c->pid = -1;
        if (WIFSIGNALED(status))
          snprintf(why, sizeof why, "the child died of signal %d",
                   WTERMSIG(status));
        else if (WIFEXITED(status))
          snprintf(why, sizeof why, "the child exited with status %d",
                   WEXITSTATUS(status));
      }
      mark_dead(c, why);
      return -1;
    }
    data += n;
    size -= (uint64_t)n;
  }
  return 0;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}
static void put64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static uint64_t get64(const uint8_t *p) {
  return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The decoded response of the host. */

/* One request and its response. The body is up to two pieces (module and
 * argument) so nothing is copied. The payload lands in c->payload. */
int32_t cm_proc_exchange(canmem_canister *c, const char *json,
                        const uint8_t *body1, uint64_t size1,
                        const uint8_t *body2, uint64_t size2,
                        proc_response *r) {
  memset(r, 0, sizeof *r);
  if (c->dead) {
    r->status = CANMEM_ERR_INTERNAL;
    snprintf(r->message, sizeof r->message, "%s", c->dead_reason);
    return r->status;
  }
  long deadline = now_ms() + c->timeout_ms;
  uint8_t head[12];
  size_t json_size = strlen(json);
  put32(head, (uint32_t)json_size);
  put64(head + 4, size1 + size2);
  if (send_all(c, head, sizeof head, deadline) ||
      send_all(c, (const uint8_t *)json, json_size, deadline) ||
      send_all(c, body1, size1, deadline) ||
      send_all(c, body2, size2, deadline))
    goto dead;
  uint8_t rh[PROC_RESPONSE_HEAD];
  if (recv_all(c, rh, sizeof rh, deadline))
    goto dead;
  r->status = get32(rh);
  r->kind = get32(rh + 4);
  r->code = get32(rh + 8);
  r->category = get32(rh + 12);
  r->value = get64(rh + 16);
  uint32_t message_size = get32(rh + 24);
  uint64_t payload_size = get64(rh + 28);
  uint8_t message[512];
  if (message_size >= sizeof message) {
    mark_dead(c, "protocol error: message too long");
    goto dead;
  }
  if (recv_all(c, message, message_size, deadline))
    goto dead;
  message[message_size] = '\0';
  snprintf(r->message, sizeof r->message, "%s", (const char *)message);
  free(c->payload);
  c->payload = NULL;
  c->payload_size = 0;
  if (payload_size) {
    if (payload_size > ((uint64_t)1 << 40) ||
        !(c->payload = malloc((size_t)payload_size))) {
      mark_dead(c, "cannot hold the response payload");
      goto dead;
    }
    c->payload_size = payload_size;
    if (recv_all(c, c->payload, payload_size, deadline))
      goto dead;
  }
  return (int32_t)r->status;
dead:
  r->status = CANMEM_ERR_INTERNAL;
  snprintf(r->message, sizeof r->message, "%s", c->dead_reason);
  return r->status;
}

/* Fills out from a response; errors carry their message too. */
static int32_t finish(canmem_canister *c, const proc_response *r,
                      canmem_outcome *out) {
  if (r->status != CANMEM_OK) {
    set_outcome(out, 0, 0, 0, r->message);
    return (int32_t)r->status;
  }
  set_outcome(out, r->kind, r->code, r->category, r->message);
  out->payload = c->payload;
  out->payload_size = c->payload_size;
  return CANMEM_OK;
}

/* Appends `"key":"value"` with the value JSON-escaped. */
static void json_string(char *dst, size_t size, const char *key,
                        const char *value, size_t value_max) {
  size_t at = strlen(dst);
  at += (size_t)snprintf(dst + at, at < size ? size - at : 0, "\"%s\":\"", key);
  for (size_t i = 0; i < value_max && value[i] && at + 8 < size; i++) {
    unsigned char ch = (unsigned char)value[i];
    if (ch == '"' || ch == '\\')
      at += (size_t)snprintf(dst + at, size - at, "\\%c", ch);
    else if (ch < 0x20)
      at += (size_t)snprintf(dst + at, size - at, "\\u%04x", ch);
    else
      dst[at++] = (char)ch, dst[at] = '\0';
  }
  if (at + 2 < size)
    strcat(dst, "\"");
}

long cm_proc_timeout(const char *own_variable) {
  const char *names[] = {own_variable, "CANMEM_TIMEOUT_MS"};
  for (int i = 0; i < 2; i++) {
    const char *value = names[i] ? getenv(names[i]) : NULL;
    if (value && atol(value) > 0)
      return atol(value);
  }
  return PROC_DEFAULT_TIMEOUT_MS;
}

canmem_canister *cm_proc_spawn(const char *label, char *const argv[],
                               long timeout_ms, char *error,
                               size_t error_size) {
  canmem_canister *c = calloc(1, sizeof *c);
  if (!c) {
    snprintf(error, error_size, "%s: out of memory", label);
    return NULL;
  }
  snprintf(c->label, sizeof c->label, "%s", label);
  c->pid = -1;
  c->channel = c->stderr_fd = -1;
  c->timeout_ms = timeout_ms;
  int sv[2], err_pipe[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
    snprintf(error, error_size, "%s: socketpair: %s", label, strerror(errno));
    free(c);
    return NULL;
  }
  if (pipe(err_pipe) != 0) {
    snprintf(error, error_size, "%s: pipe: %s", label, strerror(errno));
    close(sv[0]);
    close(sv[1]);
    free(c);
    return NULL;
  }
  pid_t pid = fork();
  if (pid < 0) {
    snprintf(error, error_size, "%s: fork: %s", label, strerror(errno));
    close(sv[0]);
    close(sv[1]);
    close(err_pipe[0]);
    close(err_pipe[1]);
    free(c);
    return NULL;
  }
  if (pid == 0) {
    /* The child: the socket is stdin and stdout, the pipe stderr. */
    dup2(sv[1], 0);
    dup2(sv[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd = 3; fd < 1024; fd++)
      close(fd);
    execvp(argv[0], argv);
    dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(sv[1]);
  close(err_pipe[1]);
  c->pid = pid;
  c->channel = sv[0];
  c->stderr_fd = err_pipe[0];
  fcntl(c->stderr_fd, F_SETFL, fcntl(c->stderr_fd, F_GETFL) | O_NONBLOCK);
  fcntl(c->channel, F_SETFD, FD_CLOEXEC);
  fcntl(c->stderr_fd, F_SETFD, FD_CLOEXEC);
  return c;
}

const uint8_t *cm_proc_payload(const canmem_canister *c, uint64_t *size) {
  *size = c->payload_size;
  return c->payload;
}

void cm_proc_release(canmem_canister *c) {
  if (c->channel >= 0)
    close(c->channel);
  if (c->stderr_fd >= 0)
    close(c->stderr_fd);
  kill_child(c);
  free(c->payload);
  free(c->globals);
  free(c);
}

int32_t cm_proc_create(canmem_canister *c, const canmem_profile *profile,
                       char *error, size_t error_size) {
  if (!profile || profile->struct_size < sizeof *profile) {
    snprintf(error, error_size, "%s: profile missing or too old", c->label);
    return CANMEM_ERR_ARGUMENT;
  }
  char json[4096];
  snprintf(json, sizeof json,
           "{\"op\":\"create\",\"protocol\":%d,\"profile\":{",
           CM_PROC_PROTOCOL);
  json_string(json, sizeof json, "name", profile->name, sizeof profile->name);
  const struct {
    const char *key;
    uint64_t value;
  } numbers[] = {
      {"features", profile->features},
      {"readings", profile->readings},
      {"max_stable_bytes", profile->max_stable_bytes},
      {"max_stable32_bytes", profile->max_stable32_bytes},
      {"max_heap32_bytes", profile->max_heap32_bytes},
      {"max_heap64_bytes", profile->max_heap64_bytes},
      {"wasm_memory_limit", profile->wasm_memory_limit},
      {"wasm_memory_threshold", profile->wasm_memory_threshold},
      {"max_wasm_memory_limit", profile->max_wasm_memory_limit},
      {"max_wasm_memory_threshold", profile->max_wasm_memory_threshold},
      {"max_reply_bytes", profile->max_reply_bytes},
      {"max_query_reply_bytes", profile->max_query_reply_bytes},
      {"max_certified_data_bytes", profile->max_certified_data_bytes},
      {"instructions_update", profile->instructions_update},
      {"instructions_query", profile->instructions_query},
      {"instructions_install", profile->instructions_install},
      {"instructions_inspect", profile->instructions_inspect},
      {"max_module_bytes", profile->max_module_bytes},
      {"max_functions", profile->max_functions},
      {"max_globals", profile->max_globals},
      {"max_exported_methods", profile->max_exported_methods},
      {"max_method_name_bytes", profile->max_method_name_bytes},
      {"max_icp_sections", profile->max_icp_sections},
      {"max_icp_section_bytes", profile->max_icp_section_bytes},
      {"time_start_ns", profile->time_start_ns},
      {"time_step_ns", profile->time_step_ns},
      {"cycle_balance", profile->cycle_balance},
      {"stable_access_limit_message", profile->stable_access_limit_message},
      {"stable_access_limit_upgrade", profile->stable_access_limit_upgrade},
      {"stable_access_limit_query", profile->stable_access_limit_query},
      {"stable_write_limit_message", profile->stable_write_limit_message},
      {"stable_write_limit_upgrade", profile->stable_write_limit_upgrade},
      {"stable_write_limit_query", profile->stable_write_limit_query},
      {"heap_access_limit_message", profile->heap_access_limit_message},
      {"heap_access_limit_upgrade", profile->heap_access_limit_upgrade},
      {"heap_access_limit_query", profile->heap_access_limit_query},
      {"max_snapshots", profile->max_snapshots},
      {"max_log_bytes", profile->max_log_bytes},
  };
  for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
    size_t at = strlen(json);
    snprintf(json + at, sizeof json - at, ",\"%s\":\"%llu\"", numbers[i].key,
             (unsigned long long)numbers[i].value);
  }
  strcat(json, "}}");
  proc_response r;
  int32_t status = cm_proc_exchange(c, json, NULL, 0, NULL, 0, &r);
  if (status != CANMEM_OK)
    snprintf(error, error_size, "%s", r.message);
  return status;
}

void cm_proc_destroy(canmem_canister *c) {
  if (!c)
    return;
  if (c->channel >= 0)
    close(c->channel); /* EOF: the host exits on its own */
  if (c->pid > 0) {
    /* Give it a moment, then make sure. */
    for (int i = 0; i < 50; i++) {
      if (waitpid(c->pid, NULL, WNOHANG) == c->pid) {
        c->pid = -1;
        break;
      }
      struct timespec pause = {0, 10 * 1000 * 1000};
      nanosleep(&pause, NULL);
    }
    kill_child(c);
  }
  if (c->stderr_fd >= 0)
    close(c->stderr_fd);
  free(c->payload);
  free(c->globals);
  free(c);
}

int32_t cm_proc_install_code(canmem_canister *c,
                               const canmem_install *request,
                               canmem_outcome *out) {
  if (!c || !request || !out || request->struct_size < sizeof *request)
    return CANMEM_ERR_ARGUMENT;
  uint32_t mode = request->mode;
  int uninstall = mode == CANMEM_MODE_UNINSTALL;
  if (mode < CANMEM_MODE_INSTALL || mode > CANMEM_MODE_UNINSTALL ||
      request->wasm_memory_persistence > CANMEM_PERSISTENCE_REPLACE ||
      (!uninstall && !request->wasm && request->wasm_size) ||
      (!uninstall && !request->arg && request->arg_size)) {
    set_outcome(out, 0, 0, 0, "malformed install request");
    return CANMEM_ERR_ARGUMENT;
  }
  char json[256];
  snprintf(json, sizeof json,
           "{\"op\":\"install\",\"mode\":%u,\"skip_pre_upgrade\":%u,"
           "\"persistence\":%u,\"wasm_size\":\"%llu\"}",
           mode, request->skip_pre_upgrade ? 1u : 0u,
           request->wasm_memory_persistence,
           uninstall ? 0ull : (unsigned long long)request->wasm_size);
  proc_response r;
  cm_proc_exchange(c, json, uninstall ? NULL : request->wasm,
           uninstall ? 0 : request->wasm_size, uninstall ? NULL : request->arg,
           uninstall ? 0 : request->arg_size, &r);
  return finish(c, &r, out);
}

int32_t cm_proc_call(canmem_canister *c, uint32_t call_kind,
                       const char *method, const uint8_t *arg,
                       uint64_t arg_size, canmem_outcome *out) {
  if (!c || !out || !method || (!arg && arg_size))
    return CANMEM_ERR_ARGUMENT;
  if (call_kind < CANMEM_CALL_UPDATE || call_kind > CANMEM_CALL_INSPECT_MESSAGE) {
    set_outcome(out, 0, 0, 0, "unknown call kind");
    return CANMEM_ERR_ARGUMENT;
  }
  size_t json_size = strlen(method) * 6 + 64;
  char *json = malloc(json_size);
  if (!json)
    return CANMEM_ERR_INTERNAL;
  snprintf(json, json_size, "{\"op\":\"call\",\"kind\":%u,", call_kind);
  json_string(json, json_size, "method", method, strlen(method));
  strcat(json, "}");
  proc_response r;
  cm_proc_exchange(c, json, arg, arg_size, NULL, 0, &r);
  free(json);
  return finish(c, &r, out);
}

int32_t cm_proc_update_settings(canmem_canister *c,
                                  const canmem_settings *settings,
                                  canmem_outcome *out) {
  if (!c || !settings || !out || settings->struct_size < sizeof *settings)
    return CANMEM_ERR_ARGUMENT;
  char json[256];
  snprintf(json, sizeof json,
           "{\"op\":\"settings\",\"fields\":%u,\"limit\":\"%llu\","
           "\"threshold\":\"%llu\"}",
           settings->fields, (unsigned long long)settings->wasm_memory_limit,
           (unsigned long long)settings->wasm_memory_threshold);
  proc_response r;
  cm_proc_exchange(c, json, NULL, 0, NULL, 0, &r);
  return finish(c, &r, out);
}

static int32_t probe(canmem_canister *c, const char *what, uint64_t offset,
                     uint64_t size, uint64_t *value, uint8_t *dst) {
  if (!c)
    return CANMEM_ERR_ARGUMENT;
  char json[256];
  snprintf(json, sizeof json,
           "{\"op\":\"probe\",\"what\":\"%s\",\"offset\":\"%llu\","
           "\"size\":\"%llu\"}",
           what, (unsigned long long)offset, (unsigned long long)size);
  proc_response r;
  int32_t status = cm_proc_exchange(c, json, NULL, 0, NULL, 0, &r);
  if (status != CANMEM_OK)
    return status;
  if (value)
    *value = r.value;
  if (dst) {
    if (c->payload_size != size)
      return CANMEM_ERR_INTERNAL;
    if (size)
      memcpy(dst, c->payload, (size_t)size);
  }
  return CANMEM_OK;
}

int32_t cm_proc_stable_size(canmem_canister *c, uint64_t *pages) {
  return pages ? probe(c, "stable_size", 0, 0, pages, NULL)
               : CANMEM_ERR_ARGUMENT;
}
int32_t cm_proc_heap_size(canmem_canister *c, uint64_t *pages) {
  return pages ? probe(c, "heap_size", 0, 0, pages, NULL) : CANMEM_ERR_ARGUMENT;
}
int32_t cm_proc_read_stable(canmem_canister *c, uint64_t offset,
                              uint8_t *dst, uint64_t size) {
  return dst || !size ? probe(c, "read_stable", offset, size, NULL, dst)
                      : CANMEM_ERR_ARGUMENT;
}
int32_t cm_proc_read_heap(canmem_canister *c, uint64_t offset, uint8_t *dst,
                            uint64_t size) {
  return dst || !size ? probe(c, "read_heap", offset, size, NULL, dst)
                      : CANMEM_ERR_ARGUMENT;
}



/* ---- Version-2 operations: calls, snapshots, logs ----
 * Offered by a runtime whose hello announces CANMEM_CAP_CALLS, _SNAPSHOTS
 * or _LOGS. Lists and metadata come back as little-endian records in the
 * payload (docs/adapter-process.md, "Calls, snapshots and logs"). */

/* A bounds-checked reader over the last payload. */
typedef struct {
  const uint8_t *at, *end;
  int bad;
} cursor;

static const uint8_t *take(cursor *r, uint64_t n) {
  if (r->bad || n > (uint64_t)(r->end - r->at)) {
    r->bad = 1;
    return NULL;
  }
  const uint8_t *p = r->at;
  r->at += n;
  return p;
}
static uint32_t take32(cursor *r) {
  const uint8_t *p = take(r, 4);
  return p ? get32(p) : 0;
}
static uint64_t take64(cursor *r) {
  const uint8_t *p = take(r, 8);
  return p ? get64(p) : 0;
}
static cursor payload_cursor(const canmem_canister *c) {
  cursor r = {c->payload, c->payload + c->payload_size, 0};
  return r;
}

/* A request whose JSON is built with printf-style arguments. */
static int32_t request(canmem_canister *c, proc_response *r,
                       const uint8_t *body, uint64_t body_size,
                       const char *format, ...)
    __attribute__((format(printf, 5, 6)));
static int32_t request(canmem_canister *c, proc_response *r,
                       const uint8_t *body, uint64_t body_size,
                       const char *format, ...) {
  char json[512];
  va_list ap;
  va_start(ap, format);
  vsnprintf(json, sizeof json, format, ap);
  va_end(ap);
  return cm_proc_exchange(c, json, body, body_size, NULL, 0, r);
}

/* Ends a list operation: *count from the response's value, and an error
 * if the records did not parse. */
static int32_t list_done(const cursor *r, const proc_response *resp,
                         uint64_t *count) {
  *count = resp->value;
  return r->bad ? CANMEM_ERR_INTERNAL : CANMEM_OK;
}

/* Record: u64 id, u32 flags, u32 timeout_seconds, u64 cycles_high,
 * u64 cycles_low, u32 callee_size, u32 method_size, u64 payload_size,
 * then the callee, method and payload bytes. */
int32_t cm_proc_outgoing_calls(canmem_canister *c, canmem_outgoing_call *calls,
                               uint64_t max, uint64_t *count) {
  if (!c || !count || (!calls && max))
    return CANMEM_ERR_ARGUMENT;
  proc_response resp;
  int32_t status = request(c, &resp, NULL, 0, "{\"op\":\"outgoing_calls\"}");
  if (status != CANMEM_OK)
    return status;
  cursor r = payload_cursor(c);
  for (uint64_t i = 0; i < resp.value && !r.bad; i++) {
    canmem_outgoing_call call;
    memset(&call, 0, sizeof call);
    call.id = take64(&r);
    call.flags = take32(&r);
    call.timeout_seconds = take32(&r);
    call.cycles_high = take64(&r);
    call.cycles_low = take64(&r);
    call.callee_size = take32(&r);
    call.method_size = take32(&r);
    call.payload_size = take64(&r);
    call.callee = take(&r, call.callee_size);
    call.method = take(&r, call.method_size);
    call.payload = take(&r, call.payload_size);
    if (i < max) {
      /* the caller's struct may be older (shorter) than ours */
      uint32_t size = calls[i].struct_size;
      if (size > sizeof call)
        size = sizeof call;
      call.struct_size = calls[i].struct_size;
      memcpy(&calls[i], &call, size);
    }
  }
  return list_done(&r, &resp, count);
}

int32_t cm_proc_respond(canmem_canister *c, uint64_t call_id,
                        const canmem_response *response, canmem_outcome *out) {
  if (!c || !response || !out || response->struct_size < sizeof *response ||
      (!response->payload && response->payload_size))
    return CANMEM_ERR_ARGUMENT;
  proc_response r;
  request(c, &r, response->payload, response->payload_size,
          "{\"op\":\"respond\",\"call\":\"%llu\",\"kind\":%u,"
          "\"reject_code\":%u}",
          (unsigned long long)call_id, response->kind, response->reject_code);
  return finish(c, &r, out);
}

int32_t cm_proc_take_snapshot(canmem_canister *c,
                              const canmem_snapshot_take *take_request,
                              uint64_t *snapshot_id, canmem_outcome *out) {
  if (!c || !take_request || !snapshot_id || !out ||
      take_request->struct_size < sizeof *take_request)
    return CANMEM_ERR_ARGUMENT;
  proc_response r;
  request(c, &r, NULL, 0,
          "{\"op\":\"take_snapshot\",\"flags\":%u,\"replace\":\"%llu\"}",
          take_request->flags,
          (unsigned long long)take_request->replace_snapshot);
  *snapshot_id = r.status == CANMEM_OK ? r.value : 0;
  return finish(c, &r, out);
}

/* A snapshot of another canister travels through the adapter: the source
 * exports it as bytes only its runtime reads, the target loads them. */
int32_t cm_proc_load_snapshot(canmem_canister *c, canmem_canister *source,
                              uint64_t snapshot_id, canmem_outcome *out) {
  if (!c || !out)
    return CANMEM_ERR_ARGUMENT;
  proc_response r;
  if (!source || source == c) {
    request(c, &r, NULL, 0, "{\"op\":\"load_snapshot\",\"id\":\"%llu\"}",
            (unsigned long long)snapshot_id);
    return finish(c, &r, out);
  }
  request(source, &r, NULL, 0, "{\"op\":\"export_snapshot\",\"id\":\"%llu\"}",
          (unsigned long long)snapshot_id);
  if (r.status != CANMEM_OK)
    return finish(source, &r, out);
  /* The target decides, its own refusals first: "missing" when the
   * source has no such snapshot. */
  int missing = r.kind != CANMEM_OUTCOME_REPLY;
  request(c, &r, missing ? NULL : source->payload,
          missing ? 0 : source->payload_size,
          "{\"op\":\"load_snapshot\",\"id\":\"%llu\",\"foreign\":1%s}",
          (unsigned long long)snapshot_id, missing ? ",\"missing\":1" : "");
  return finish(c, &r, out);
}

/* Record: u64 id, u64 total_size, u64 taken_at_ns. */
int32_t cm_proc_list_snapshots(canmem_canister *c,
                               canmem_snapshot_info *snapshots, uint64_t max,
                               uint64_t *count) {
  if (!c || !count || (!snapshots && max))
    return CANMEM_ERR_ARGUMENT;
  proc_response resp;
  int32_t status = request(c, &resp, NULL, 0, "{\"op\":\"list_snapshots\"}");
  if (status != CANMEM_OK)
    return status;
  cursor r = payload_cursor(c);
  for (uint64_t i = 0; i < resp.value && !r.bad; i++) {
    canmem_snapshot_info info;
    memset(&info, 0, sizeof info);
    info.id = take64(&r);
    info.total_size = take64(&r);
    info.taken_at_ns = take64(&r);
    if (i < max) {
      uint32_t size = snapshots[i].struct_size;
      if (size > sizeof info)
        size = sizeof info;
      info.struct_size = snapshots[i].struct_size;
      memcpy(&snapshots[i], &info, size);
    }
  }
  return list_done(&r, &resp, count);
}

int32_t cm_proc_delete_snapshot(canmem_canister *c, uint64_t snapshot_id,
                                canmem_outcome *out) {
  if (!c || !out)
    return CANMEM_ERR_ARGUMENT;
  proc_response r;
  request(c, &r, NULL, 0, "{\"op\":\"delete_snapshot\",\"id\":\"%llu\"}",
          (unsigned long long)snapshot_id);
  return finish(c, &r, out);
}

/* Metadata: u32 source, u32 global_timer_active, u32 hook_status,
 * u32 globals_count, u64 taken_at_ns, u64 canister_version,
 * u64 wasm_module_size, u64 wasm_memory_size, u64 stable_memory_size,
 * u64 global_timer_ns, u64 certified_data_size (72 bytes), then each
 * global as u32 type, u32 0, u64 bits, u64 bits_hi, then the certified
 * data. The same record is the body of upload_snapshot_metadata. */
#define PROC_METADATA_HEAD 72u
#define PROC_GLOBAL_SIZE 24u

int32_t cm_proc_read_snapshot_metadata(canmem_canister *c,
                                       uint64_t snapshot_id,
                                       canmem_snapshot_metadata *metadata,
                                       canmem_outcome *out) {
  if (!c || !metadata || !out || metadata->struct_size < sizeof *metadata)
    return CANMEM_ERR_ARGUMENT;
  proc_response resp;
  request(c, &resp, NULL, 0,
          "{\"op\":\"read_snapshot_metadata\",\"id\":\"%llu\"}",
          (unsigned long long)snapshot_id);
  if (resp.status != CANMEM_OK || resp.kind != CANMEM_OUTCOME_REPLY)
    return finish(c, &resp, out);
  cursor r = payload_cursor(c);
  canmem_snapshot_metadata m;
  memset(&m, 0, sizeof m);
  m.struct_size = metadata->struct_size;
  m.source = take32(&r);
  m.global_timer_active = take32(&r);
  m.hook_status = take32(&r);
  m.globals_count = take32(&r);
  m.taken_at_ns = take64(&r);
  m.canister_version = take64(&r);
  m.wasm_module_size = take64(&r);
  m.wasm_memory_size = take64(&r);
  m.stable_memory_size = take64(&r);
  m.global_timer_ns = take64(&r);
  m.certified_data_size = take64(&r);
  free(c->globals);
  c->globals = NULL;
  if (!r.bad && m.globals_count &&
      m.globals_count <= (uint64_t)(r.end - r.at) / PROC_GLOBAL_SIZE) {
    c->globals = calloc((size_t)m.globals_count, sizeof *c->globals);
    if (!c->globals)
      r.bad = 1;
  } else if (m.globals_count) {
    r.bad = 1;
  }
  for (uint64_t i = 0; i < m.globals_count && !r.bad; i++) {
    c->globals[i].type = take32(&r);
    take32(&r);
    c->globals[i].bits = take64(&r);
    c->globals[i].bits_hi = take64(&r);
  }
  m.globals = c->globals;
  m.certified_data = take(&r, m.certified_data_size);
  if (r.bad) {
    set_outcome(out, 0, 0, 0, "malformed snapshot metadata from the runtime");
    return CANMEM_ERR_INTERNAL;
  }
  memcpy(metadata, &m, sizeof m);
  set_outcome(out, resp.kind, resp.code, resp.category, resp.message);
  return CANMEM_OK;
}

int32_t cm_proc_read_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                   uint32_t data_kind, uint64_t offset,
                                   uint8_t *dst, uint64_t size,
                                   canmem_outcome *out) {
  if (!c || !out || (!dst && size))
    return CANMEM_ERR_ARGUMENT;
  proc_response r;
  request(c, &r, NULL, 0,
          "{\"op\":\"read_snapshot_data\",\"id\":\"%llu\",\"kind\":%u,"
          "\"offset\":\"%llu\",\"size\":\"%llu\"}",
          (unsigned long long)snapshot_id, data_kind,
          (unsigned long long)offset, (unsigned long long)size);
  int32_t status = finish(c, &r, out);
  if (status == CANMEM_OK && out->kind == CANMEM_OUTCOME_REPLY) {
    if (c->payload_size != size) {
      set_outcome(out, 0, 0, 0, "the runtime read a chunk of another size");
      return CANMEM_ERR_INTERNAL;
    }
    if (size)
      memcpy(dst, c->payload, (size_t)size);
  }
  return status;
}

int32_t cm_proc_upload_snapshot_metadata(
    canmem_canister *c, const canmem_snapshot_metadata *m,
    uint64_t replace_snapshot, uint64_t *snapshot_id, canmem_outcome *out) {
  if (!c || !m || !snapshot_id || !out || m->struct_size < sizeof *m ||
      (!m->globals && m->globals_count) ||
      (!m->certified_data && m->certified_data_size) ||
      m->globals_count > (1u << 20) || m->certified_data_size > (1u << 20))
    return CANMEM_ERR_ARGUMENT;
  size_t size = PROC_METADATA_HEAD +
                (size_t)m->globals_count * PROC_GLOBAL_SIZE +
                (size_t)m->certified_data_size;
  uint8_t *body = malloc(size);
  if (!body)
    return CANMEM_ERR_INTERNAL;
  uint8_t *p = body;
  put32(p, m->source), put32(p + 4, m->global_timer_active);
  put32(p + 8, m->hook_status), put32(p + 12, (uint32_t)m->globals_count);
  put64(p + 16, m->taken_at_ns), put64(p + 24, m->canister_version);
  put64(p + 32, m->wasm_module_size), put64(p + 40, m->wasm_memory_size);
  put64(p + 48, m->stable_memory_size), put64(p + 56, m->global_timer_ns);
  put64(p + 64, m->certified_data_size);
  p += PROC_METADATA_HEAD;
  for (uint64_t i = 0; i < m->globals_count; i++, p += PROC_GLOBAL_SIZE) {
    put32(p, m->globals[i].type), put32(p + 4, 0);
    put64(p + 8, m->globals[i].bits), put64(p + 16, m->globals[i].bits_hi);
  }
  if (m->certified_data_size)
    memcpy(p, m->certified_data, (size_t)m->certified_data_size);
  proc_response r;
  request(c, &r, body, size,
          "{\"op\":\"upload_snapshot_metadata\",\"replace\":\"%llu\"}",
          (unsigned long long)replace_snapshot);
  free(body);
  *snapshot_id = r.status == CANMEM_OK ? r.value : 0;
  return finish(c, &r, out);
}

int32_t cm_proc_upload_snapshot_data(canmem_canister *c, uint64_t snapshot_id,
                                     uint32_t data_kind, uint64_t offset,
                                     const uint8_t *src, uint64_t size,
                                     canmem_outcome *out) {
  if (!c || !out || (!src && size))
    return CANMEM_ERR_ARGUMENT;
  proc_response r;
  request(c, &r, src, size,
          "{\"op\":\"upload_snapshot_data\",\"id\":\"%llu\",\"kind\":%u,"
          "\"offset\":\"%llu\"}",
          (unsigned long long)snapshot_id, data_kind,
          (unsigned long long)offset);
  return finish(c, &r, out);
}

/* Record: u64 idx, u64 timestamp_ns, u64 content_size, content. */
int32_t cm_proc_canister_logs(canmem_canister *c, canmem_log_record *records,
                              uint64_t max, uint64_t *count) {
  if (!c || !count || (!records && max))
    return CANMEM_ERR_ARGUMENT;
  proc_response resp;
  int32_t status = request(c, &resp, NULL, 0, "{\"op\":\"canister_logs\"}");
  if (status != CANMEM_OK)
    return status;
  cursor r = payload_cursor(c);
  for (uint64_t i = 0; i < resp.value && !r.bad; i++) {
    canmem_log_record rec;
    memset(&rec, 0, sizeof rec);
    rec.idx = take64(&r);
    rec.timestamp_ns = take64(&r);
    rec.content_size = take64(&r);
    rec.content = take(&r, rec.content_size);
    if (i < max) {
      uint32_t size = records[i].struct_size;
      if (size > sizeof rec)
        size = sizeof rec;
      rec.struct_size = records[i].struct_size;
      memcpy(&records[i], &rec, size);
    }
  }
  return list_done(&r, &resp, count);
}

void cm_proc_fill_v2(canmem_adapter *table, uint64_t caps) {
  if (caps & CANMEM_CAP_CALLS) {
    table->outgoing_calls = cm_proc_outgoing_calls;
    table->respond = cm_proc_respond;
  }
  if (caps & CANMEM_CAP_SNAPSHOTS) {
    table->take_snapshot = cm_proc_take_snapshot;
    table->load_snapshot = cm_proc_load_snapshot;
    table->list_snapshots = cm_proc_list_snapshots;
    table->delete_snapshot = cm_proc_delete_snapshot;
    table->read_snapshot_metadata = cm_proc_read_snapshot_metadata;
    table->read_snapshot_data = cm_proc_read_snapshot_data;
    table->upload_snapshot_metadata = cm_proc_upload_snapshot_metadata;
    table->upload_snapshot_data = cm_proc_upload_snapshot_data;
  }
  if (caps & CANMEM_CAP_LOGS)
    table->canister_logs = cm_proc_canister_logs;
}
