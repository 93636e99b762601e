/* canmem runner: from a vector's module to wasm bytes. The spliced text
 * goes through wabt's wat2wasm with explicit feature flags; results are
 * cached by content hash (the cached text is compared too, so a hash
 * collision cannot hand back the wrong module). A wat2wasm error is
 * reported at the vector's file:line:column. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"
#include "file.h"

/* Two FNV-1a streams with different offsets, then a final mix: 128 bits
 * spread enough for a cache key. */
void cmr_content_hash(const void *data, size_t size, char hex[33]) {
  const uint8_t *p = data;
  uint64_t a = 0xcbf29ce484222325ull, b = 0x84222325cbf29ce4ull;
  for (size_t i = 0; i < size; i++) {
    a = (a ^ p[i]) * 0x100000001b3ull;
    b = (b ^ p[i] ^ (uint8_t)i) * 0x100000001b3ull;
  }
  uint64_t words[2] = {a ^ (b >> 29), b ^ (a >> 31) ^ (uint64_t)size};
  for (int w = 0; w < 2; w++) {
    uint64_t x = words[w];
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    snprintf(hex + 16 * w, 17, "%016llx", (unsigned long long)x);
  }
}

/* ---- gzip with stored deflate blocks (RFC 1951 3.2.4, RFC 1952) ---- */

static uint32_t crc32_of(const uint8_t *data, size_t size) {
  uint32_t crc = 0xffffffffu;
  for (size_t i = 0; i < size; i++) {
    crc ^= data[i];
    for (int k = 0; k < 8; k++)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

bool cmr_gzip(const uint8_t *data, size_t size, uint8_t **out,
              size_t *out_size) {
  size_t blocks = size / 65535 + 1;
  size_t total = 10 + blocks * 5 + size + 8;
  uint8_t *buf = malloc(total);
  if (!buf)
    return false;
  static const uint8_t header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
  memcpy(buf, header, sizeof header);
  size_t pos = sizeof header, done = 0;
  for (size_t blk = 0; blk < blocks; blk++) {
    size_t n = size - done > 65535 ? 65535 : size - done;
    buf[pos++] = blk + 1 == blocks ? 1 : 0; /* BFINAL, BTYPE = stored */
    buf[pos++] = (uint8_t)n;
    buf[pos++] = (uint8_t)(n >> 8);
    buf[pos++] = (uint8_t)~n;
    buf[pos++] = (uint8_t)(~n >> 8);
    if (n)
      memcpy(buf + pos, data + done, n);
    pos += n;
    done += n;
  }
  uint32_t crc = crc32_of(data, size), isize = (uint32_t)size;
  for (int i = 0; i < 4; i++)
    buf[pos++] = (uint8_t)(crc >> (8 * i));
  for (int i = 0; i < 4; i++)
    buf[pos++] = (uint8_t)(isize >> (8 * i));
  *out = buf;
  *out_size = pos;
  return true;
}

/* ---- Files ---- */

/* a + b (+ c) in a new buffer */
static char *concat(const char *a, const char *b, const char *c) {
  size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
  char *s = malloc(n);
  if (s)
    snprintf(s, n, "%s%s%s", a, b, c);
  return s;
}

static char *temporary_name(const char *path) {
  char pid[32];
  snprintf(pid, sizeof pid, ".tmp.%ld", (long)getpid());
  return concat(path, pid, "");
}

static bool make_dirs(const char *path) {
  char buf[4096];
  size_t n = strlen(path);
  if (n == 0 || n >= sizeof buf)
    return false;
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n; i++) {
    if (buf[i] != '/' && buf[i] != '\0')
      continue;
    char saved = buf[i];
    buf[i] = '\0';
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
      return false;
    buf[i] = saved;
  }
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool read_all(const char *path, uint8_t **data, size_t *size) {
  char why[300];
  *data = (uint8_t *)cm_read_file(path, 0, size, why, sizeof why);
  return *data != NULL;
}

/* Write through a temporary name and rename, so runners sharing a cache
 * never see half a file. */
static bool write_atomically(const char *path, const void *data, size_t size) {
  char *tmp = temporary_name(path);
  FILE *f = tmp ? fopen(tmp, "wb") : NULL;
  if (!f) {
    free(tmp);
    return false;
  }
  bool ok = fwrite(data, 1, size, f) == size;
  ok = fclose(f) == 0 && ok;
  if (ok && rename(tmp, path) != 0)
    ok = false;
  if (!ok)
    remove(tmp);
  free(tmp);
  return ok;
}

static bool write_file(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return false;
  bool ok = fwrite(data, 1, size, f) == size;
  return fclose(f) == 0 && ok;
}

/* ---- wat2wasm ---- */

/* Run argv, collecting stdout and stderr; returns the exit status, -1
 * when it could not run. */
static int run_tool(char *const argv[], char **output) {
  *output = NULL;
  int fds[2];
  if (pipe(fds) != 0)
    return -1;
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    close(fds[1]);
    execvp(argv[0], argv);
    fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
    _exit(127);
  }
  close(fds[1]);
  size_t n = 0, cap = 4096;
  char *buf = malloc(cap);
  for (;;) {
    if (buf && n + 1 >= cap) {
      char *grown = realloc(buf, cap * 2);
      if (!grown) {
        free(buf);
        buf = NULL;
      } else {
        buf = grown;
        cap *= 2;
      }
    }
    char scratch[4096];
    ssize_t got = buf ? read(fds[0], buf + n, cap - n - 1)
                      : read(fds[0], scratch, sizeof scratch);
    if (got < 0 && errno == EINTR)
      continue;
    if (got <= 0)
      break;
    if (buf)
      n += (size_t)got;
  }
  close(fds[0]);
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (buf)
    buf[n] = '\0';
  *output = buf;
  if (!WIFEXITED(status))
    return -1;
  return WEXITSTATUS(status);
}

/* Rewrite "FILE:L:C: text" lines of wat2wasm into vector positions. */
static void map_errors(const char *output, const char *wat_path,
                       const cmr_vector *v, const cmr_module *m,
                       uint32_t first_body_line, cmr_error *err) {
  uint32_t body_lines = 1;
  for (size_t i = m->body_start; i < m->body_end; i++)
    if (v->source[i] == '\n')
      body_lines++;
  size_t prefix = strlen(wat_path);
  err->line = m->line;
  err->column = m->column;
  snprintf(err->message, sizeof err->message,
           "wat2wasm rejected module %s:", m->name);
  bool positioned = false;
  const char *p = output ? output : "";
  while (*p) {
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char line_text[1200];
    unsigned long line = 0, column = 0;
    int used = 0;
    if (len > prefix && strncmp(p, wat_path, prefix) == 0 &&
        sscanf(p + prefix, ":%lu:%lu:%n", &line, &column, &used) == 2 &&
        used > 0) {
      const char *rest = p + prefix + used;
      size_t rest_len = len - prefix - (size_t)used;
      if (line >= first_body_line && line < first_body_line + body_lines) {
        uint32_t vline = m->body_line + (uint32_t)(line - first_body_line);
        if (!positioned) {
          err->line = vline;
          err->column = (uint32_t)column;
          positioned = true;
        }
        snprintf(line_text, sizeof line_text, "\n  %s:%u:%lu:%.*s", v->path,
                 vline, column, (int)(rest_len > 1000 ? 1000 : rest_len), rest);
      } else {
        snprintf(line_text, sizeof line_text,
                 "\n  (in the spliced prelude, line %lu):%.*s", line,
                 (int)(rest_len > 1000 ? 1000 : rest_len), rest);
      }
    } else {
      snprintf(line_text, sizeof line_text, "\n  %.*s",
               (int)(len > 1000 ? 1000 : len), p);
    }
    size_t have = strlen(err->message), add = strlen(line_text);
    if (have + add + 1 > sizeof err->message)
      add = sizeof err->message - have - 1;
    memcpy(err->message + have, line_text, add);
    err->message[have + add] = '\0';
    p += len;
    if (*p == '\n')
      p++;
  }
}

static bool append_custom_sections(const cmr_module *m, uint8_t **wasm,
                                   size_t *size) {
  for (size_t i = 0; i < m->section_count; i++) {
    const cmr_custom_section *s = &m->sections[i];
    size_t name_len = s->name_size;
    uint8_t leb_name[10], leb_size[10];
    size_t n_name = 0, n_size = 0;
    for (uint64_t x = name_len;;) {
      uint8_t b = x & 0x7f;
      x >>= 7;
      leb_name[n_name++] = b | (x ? 0x80 : 0);
      if (!x)
        break;
    }
    uint64_t payload = n_name + name_len + s->size;
    for (uint64_t x = payload;;) {
      uint8_t b = x & 0x7f;
      x >>= 7;
      leb_size[n_size++] = b | (x ? 0x80 : 0);
      if (!x)
        break;
    }
    size_t grown_size = *size + 1 + n_size + payload;
    uint8_t *grown = realloc(*wasm, grown_size);
    if (!grown)
      return false;
    size_t pos = *size;
    grown[pos++] = 0; /* custom section id */
    memcpy(grown + pos, leb_size, n_size);
    pos += n_size;
    memcpy(grown + pos, leb_name, n_name);
    pos += n_name;
    memcpy(grown + pos, s->name, name_len);
    pos += name_len;
    if (s->size)
      memcpy(grown + pos, s->content, s->size);
    *wasm = grown;
    *size = grown_size;
  }
  return true;
}

static void save_module(const cmr_compiler *c, const cmr_vector *v,
                        const cmr_module *m, const char *text, size_t text_size,
                        const uint8_t *wasm, size_t wasm_size) {
  if (!c->save_dir || !make_dirs(c->save_dir))
    return;
  /* <dir>/<id with / as _>.<module name>.wat */
  char *name = concat(v->id, ".", m->name + 1);
  if (!name)
    return;
  for (char *p = name; *p; p++)
    if (*p == '/')
      *p = '_';
  char *base = concat(c->save_dir, "/", name);
  free(name);
  if (!base)
    return;
  char *path = concat(base, ".wat", "");
  if (text && path)
    write_file(path, text, text_size);
  free(path);
  path = concat(base, ".wasm", "");
  if (wasm && path)
    write_file(path, wasm, wasm_size);
  free(path);
  free(base);
}

/* The wasm of text: from the cache when its text matches, else from
 * wat2wasm (then cached). */
/* The cache's file names for a module's text under its flags: the key
 * covers both. Paths are NULL when out of memory. */
static void cache_paths(const cmr_compiler *c, const cmr_module *m,
                        const char *text, size_t text_size, char **wat_path,
                        char **wasm_path) {
  *wat_path = *wasm_path = NULL;
  const char *flags[4];
  size_t flag_count = cmr_module_flags(m, flags, 4);
  size_t key_size = text_size + 2;
  for (size_t i = 0; i < flag_count; i++)
    key_size += strlen(flags[i]) + 1;
  char *key = malloc(key_size);
  if (!key)
    return;
  size_t kpos = 0;
  for (size_t i = 0; i < flag_count; i++) {
    size_t n = strlen(flags[i]);
    memcpy(key + kpos, flags[i], n);
    key[kpos + n] = ' ';
    kpos += n + 1;
  }
  key[kpos++] = '\n';
  memcpy(key + kpos, text, text_size);
  char hex[33];
  cmr_content_hash(key, kpos + text_size, hex);
  free(key);
  char file[48];
  snprintf(file, sizeof file, "/%s.wat", hex);
  *wat_path = concat(c->cache_dir, file, "");
  snprintf(file, sizeof file, "/%s.wasm", hex);
  *wasm_path = concat(c->cache_dir, file, "");
}

/* Whether the cache holds text (compared, not only hashed) and its binary;
 * the binary is read into *bytes when bytes is not NULL. */
static bool cache_hit(const char *wat_path, const char *wasm_path,
                      const char *text, size_t text_size, uint8_t **bytes,
                      size_t *bytes_size) {
  uint8_t *cached_text = NULL;
  size_t cached_size = 0;
  bool hit = read_all(wat_path, &cached_text, &cached_size) &&
             cached_size == text_size &&
             memcmp(cached_text, text, text_size) == 0;
  free(cached_text);
  if (hit && bytes)
    return read_all(wasm_path, bytes, bytes_size);
  return hit && access(wasm_path, R_OK) == 0;
}

static bool compile_text(const cmr_compiler *c, const cmr_vector *v,
                         const cmr_module *m, const char *text,
                         size_t text_size, uint32_t first_body_line,
                         uint8_t **bytes, size_t *bytes_size, cmr_error *err) {
  const char *flags[4];
  size_t flag_count = cmr_module_flags(m, flags, 4);
  if (!make_dirs(c->cache_dir))
    return cmr_fail(err, m->line, m->column,
                    "cannot create the module cache %s: %s", c->cache_dir,
                    strerror(errno));
  char *wat_path, *wasm_path;
  cache_paths(c, m, text, text_size, &wat_path, &wasm_path);
  char *out_path = wasm_path ? temporary_name(wasm_path) : NULL;
  bool ok = false;
  if (!wat_path || !wasm_path || !out_path) {
    cmr_fail(err, m->line, m->column, "out of memory");
    goto done;
  }
  if (cache_hit(wat_path, wasm_path, text, text_size, bytes, bytes_size)) {
    ok = true;
    goto done;
  }
  if (!write_atomically(wat_path, text, text_size)) {
    cmr_fail(err, m->line, m->column, "cannot write %s: %s", wat_path,
             strerror(errno));
    goto done;
  }
  char *argv[12];
  size_t argc = 0;
  argv[argc++] = (char *)c->wat2wasm;
  for (size_t i = 0; i < flag_count; i++)
    argv[argc++] = (char *)flags[i];
  argv[argc++] = wat_path;
  argv[argc++] = (char *)"-o";
  argv[argc++] = out_path;
  argv[argc] = NULL;
  char *output = NULL;
  int status = run_tool(argv, &output);
  if (status != 0) {
    remove(out_path);
    if (status == 127 || status < 0)
      cmr_fail(err, m->line, m->column,
               "cannot run wat2wasm as '%s' (set WAT2WASM or pass "
               "--wat2wasm): %s",
               c->wat2wasm, output ? output : "");
    else
      map_errors(output, wat_path, v, m, first_body_line, err);
    free(output);
    goto done;
  }
  free(output);
  if (rename(out_path, wasm_path) != 0 ||
      !read_all(wasm_path, bytes, bytes_size)) {
    remove(out_path);
    cmr_fail(err, m->line, m->column, "cannot read %s: %s", wasm_path,
             strerror(errno));
    goto done;
  }
  ok = true;
done:
  free(wat_path);
  free(wasm_path);
  free(out_path);
  return ok;
}

bool cmr_module_compile(const cmr_compiler *c, const cmr_vector *v,
                        const cmr_module *m, uint8_t **wasm, size_t *size,
                        cmr_error *err) {
  *wasm = NULL;
  *size = 0;
  if (m->file && !m->bytes)
    return cmr_fail(err, m->line, m->column,
                    "module %s: file \"%s\" was not loaded", m->name,
                    m->file);
  if (m->binary || m->file) {
    if (!(*wasm = malloc(m->size ? m->size : 1)))
      return cmr_fail(err, m->line, m->column, "out of memory");
    memcpy(*wasm, m->bytes, m->size);
    *size = m->size;
    if (!append_custom_sections(m, wasm, size))
      return cmr_fail(err, m->line, m->column, "out of memory");
    save_module(c, v, m, NULL, 0, *wasm, *size);
    return true;
  }
  char *text;
  size_t text_size;
  uint32_t first_body_line;
  if (!cmr_module_text(v, m, &text, &text_size, &first_body_line, err))
    return false;
  uint8_t *bytes = NULL;
  size_t bytes_size = 0;
  if (!compile_text(c, v, m, text, text_size, first_body_line, &bytes,
                    &bytes_size, err)) {
    save_module(c, v, m, text, text_size, NULL, 0);
    free(text);
    return false;
  }
  if (!append_custom_sections(m, &bytes, &bytes_size)) {
    free(bytes);
    free(text);
    return cmr_fail(err, m->line, m->column, "out of memory");
  }
  save_module(c, v, m, text, text_size, bytes, bytes_size);
  free(text);
  *wasm = bytes;
  *size = bytes_size;
  return true;
}

/* ---- Many modules at once ----
 * wat2wasm takes one module per process, and starting the process is
 * nearly all of its time (6 ms for a small module). A vector with
 * thousands of modules compiles the ones missing from the cache with one
 * wast2json per set of feature flags instead: a script of all of them,
 * one binary each. The binaries are the same (wabt's one writer). Any
 * failure leaves it to the one-module path, which reports errors where
 * they are. */

#define BATCH_LEAST 8 /* fewer misses than this: not worth a script */

typedef struct {
  char *text;
  size_t text_size;
  char *wat_path, *wasm_path;
  unsigned flags; /* cmr_module_flags as a bit set: the batch it joins */
} batch_item;

/* wast2json beside wat2wasm, or NULL when wat2wasm has another name. */
static char *wast2json_of(const char *wat2wasm) {
  const char *base = strrchr(wat2wasm, '/');
  base = base ? base + 1 : wat2wasm;
  if (strcmp(base, "wat2wasm") != 0)
    return NULL;
  char *path = malloc((size_t)(base - wat2wasm) + sizeof "wast2json");
  if (path) {
    memcpy(path, wat2wasm, (size_t)(base - wat2wasm));
    strcpy(path + (base - wat2wasm), "wast2json");
  }
  return path;
}

/* One wast2json over the items of one flag set, into the cache. */
static void compile_batch(const cmr_compiler *c, const char *tool,
                          const cmr_module *flagged, batch_item *items,
                          size_t count, unsigned flags) {
  char *dir = concat(c->cache_dir, "/batch.XXXXXX", "");
  if (!dir || !mkdtemp(dir)) {
    free(dir);
    return;
  }
  char *script = concat(dir, "/b.wast", "");
  char *json = concat(dir, "/b.json", "");
  FILE *f = script ? fopen(script, "w") : NULL;
  size_t written = 0;
  if (f) {
    for (size_t i = 0; i < count; i++)
      if (items[i].flags == flags && fwrite(items[i].text, 1,
                                            items[i].text_size, f) ==
                                         items[i].text_size)
        written += fputc('\n', f) != EOF;
    if (fclose(f) != 0)
      written = 0;
  }
  size_t in_batch = 0;
  for (size_t i = 0; i < count; i++)
    in_batch += items[i].flags == flags;
  if (json && written == in_batch) {
    const char *flag_text[4];
    size_t flag_count = cmr_module_flags(flagged, flag_text, 4);
    char *argv[12];
    size_t argc = 0;
    argv[argc++] = (char *)tool;
    for (size_t i = 0; i < flag_count; i++)
      argv[argc++] = (char *)flag_text[i];
    argv[argc++] = script;
    argv[argc++] = (char *)"-o";
    argv[argc++] = json;
    argv[argc] = NULL;
    char *output = NULL;
    int status = run_tool(argv, &output);
    free(output);
    /* b.N.wasm is the N-th module of the script; the text goes into the
     * cache before its binary, as in the one-module path */
    for (size_t i = 0, n = 0; status == 0 && i < count; i++) {
      if (items[i].flags != flags)
        continue;
      char name[48];
      snprintf(name, sizeof name, "/b.%zu.wasm", n++);
      char *binary = concat(dir, name, "");
      if (binary &&
          write_atomically(items[i].wat_path, items[i].text,
                           items[i].text_size))
        rename(binary, items[i].wasm_path);
      if (binary)
        remove(binary);
      free(binary);
    }
  }
  /* whatever is left: the script, the json, binaries of a failed run */
  for (size_t n = 0; n < in_batch; n++) {
    char name[48];
    snprintf(name, sizeof name, "/b.%zu.wasm", n);
    char *binary = concat(dir, name, "");
    if (binary)
      remove(binary);
    free(binary);
  }
  if (script)
    remove(script);
  if (json)
    remove(json);
  rmdir(dir);
  free(script);
  free(json);
  free(dir);
}

/* Fill the cache with v's text modules that are missing from it. */
static void precompile(const cmr_vector *v, const cmr_compiler *c) {
  char *tool = wast2json_of(c->wat2wasm);
  batch_item *items = tool ? calloc(v->module_count + 1, sizeof *items) : NULL;
  const cmr_module *example[8] = {NULL}; /* one module per flag set */
  size_t count = 0;
  if (!items || !make_dirs(c->cache_dir))
    goto done;
  for (size_t i = 0; i < v->module_count; i++) {
    const cmr_module *m = &v->modules[i];
    if (m->wasm || m->binary || m->file)
      continue;
    batch_item *it = &items[count];
    uint32_t first_line;
    cmr_error ignored;
    if (!cmr_module_text(v, m, &it->text, &it->text_size, &first_line,
                         &ignored))
      continue;
    cache_paths(c, m, it->text, it->text_size, &it->wat_path, &it->wasm_path);
    if (!it->wat_path || !it->wasm_path ||
        cache_hit(it->wat_path, it->wasm_path, it->text, it->text_size, NULL,
                  NULL)) {
      free(it->text);
      free(it->wat_path);
      free(it->wasm_path);
      memset(it, 0, sizeof *it);
      continue;
    }
    it->flags = (m->wasm64 ? 1u : 0) | (m->multi_memory ? 2u : 0) |
                (m->tail_call ? 4u : 0);
    if (!example[it->flags])
      example[it->flags] = m;
    count++;
  }
  if (count >= BATCH_LEAST)
    for (unsigned flags = 0; flags < 8; flags++)
      if (example[flags])
        compile_batch(c, tool, example[flags], items, count, flags);
done:
  for (size_t i = 0; items && i < count; i++) {
    free(items[i].text);
    free(items[i].wat_path);
    free(items[i].wasm_path);
  }
  free(items);
  free(tool);
}

bool cmr_vector_compile(cmr_vector *v, const cmr_compiler *c, cmr_error *err) {
  precompile(v, c);
  for (size_t i = 0; i < v->module_count; i++) {
    cmr_module *m = &v->modules[i];
    if (m->wasm)
      continue;
    if (!cmr_module_compile(c, v, m, &m->wasm, &m->wasm_size, err))
      return false;
    /* binary and file modules said what they need when they were read */
    if (!m->binary && !m->file &&
        !cmr_vector_imply_from_wasm(v, m->wasm, m->wasm_size))
      return cmr_fail(err, m->line, m->column, "out of memory");
  }
  return true;
}
