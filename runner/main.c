/* canmem-run: runs conformance vectors against a canister runtime through
 * its adapter and reports TAP on standard output, JSON and JUnit XML on
 * request. docs/runner.md is the reference for every option; the command
 * line is a stable interface. Exit status: 0 when nothing failed, 1 when a
 * vector failed, passed unexpectedly or is broken, 2 for usage errors. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alloc.h"
#include "canister.h"
#include "datadir.h"
#include "profile_file.h"
#include "runner.h"

#define RUNNER_VERSION "1.0"

static const char usage_text[] =
    "usage: canmem-run [OPTION...] [PATH...]\n"
    "Run canmem vectors (files, or folders searched for *.wast) against a\n"
    "canister runtime; TAP on standard output. Without PATH, the whole\n"
    "suite: the installed vectors (the source tree's from the build tree).\n"
    "\n"
    "  --adapter ref|PATH.so   the runtime (default: ref, the built-in "
    "reference)\n"
    "  --adapter process:CMD   a runtime speaking the process protocol, "
    "started by CMD\n"
    "  --profile NAME|FILE     limits and features (default: ic-current)\n"
    "  --expect FILE           per-runtime expectations: skip / xfail marks\n"
    "  --filter PATTERN        vectors whose id matches the glob (or holds "
    "the text)\n"
    "  --rule ID               vectors checking a rule (glob: SM32-*)\n"
    "  --area NAME             vectors under vectors/NAME/\n"
    "  --tag NAME              vectors with this tag\n"
    "  --json FILE             write results as JSON (schema canmem-run/1)\n"
    "  --junit FILE            write results as JUnit XML\n"
    "  --timeout SECONDS       per vector (default: 30)\n"
    "  --suite DIR             rules, profiles (default: $CANMEM_SUITE_DIR "
    "or the installed suite;\n"
    "                          the source tree's from the build tree)\n"
    "  --cache DIR             compiled modules (default: $CANMEM_CACHE_DIR "
    "or ~/.cache/canmem/modules)\n"
    "  --wat2wasm PROGRAM      (default: $WAT2WASM or wat2wasm)\n"
    "  --build-dir DIR         a build tree whose vectors/ holds module files\n"
    "                          the build made (default: $CANMEM_BUILD_DIR or\n"
    "                          the tree canmem-run was built in, when run\n"
    "                          from it); repeatable\n"
    "  --save-modules DIR      keep each spliced module as .wat and .wasm\n"
    "  --print-modules         print the spliced modules and exit\n"
    "  --list                  list the selected vectors and exit\n"
    "  --list-paths            print the selected vector files, one a line\n"
    "  --list-requirements     list the capability names and exit\n"
    "  --no-fork               run in this process (for debuggers; a crash "
    "ends the run)\n"
    "  --coverage              the runtime is built for coverage: each forked "
    "child\n"
    "                          writes its counters (gcov, llvm) before it "
    "leaves\n"
    "  --alloc-faults          run each vector again and again, allocation n "
    "of the\n"
    "                          model failing (every n to 256, then 6% apart); "
    "needs\n"
    "                          --adapter ref and a build configured with\n"
    "                          --enable-coverage\n"
    "  -v, --verbose           show every step's outcome\n"
    "  --version, --help\n"
    "\n"
    "Exit status: 0 all passed (or skipped / xfail), 1 something failed,\n"
    "2 usage error. Selections of different kinds combine with AND,\n"
    "repeated ones with OR.\n";

typedef struct {
  const char **items;
  size_t count;
} string_list;

static bool list_add(string_list *l, const char *s) {
  const char **grown = realloc(l->items, (l->count + 1) * sizeof *grown);
  if (!grown)
    return false;
  l->items = grown;
  l->items[l->count++] = s;
  return true;
}

typedef struct {
  const char *adapter, *profile, *expect, *json, *junit, *suite, *cache;
  const char *wat2wasm, *save_dir;
  bool suite_given, cache_given;
  double timeout;
  bool print_modules, list, list_paths, no_fork, verbose, alloc_faults;
  bool coverage;
  string_list filters, rules, areas, tags, paths, build_dirs;
} options;

static int usage_error(const char *fmt, const char *arg) {
  fputs("canmem-run: ", stderr);
  fprintf(stderr, fmt, arg);
  fputs("\n(canmem-run --help lists the options)\n", stderr);
  return 2;
}

/* ---- Finding vectors ---- */

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Add the *.wast files under dir, sorted, depth first. */
static bool collect_dir(const char *dir, string_list *out, unsigned depth) {
  if (depth > 32)
    return true;
  DIR *d = opendir(dir);
  if (!d)
    return false;
  char **names = NULL;
  size_t n = 0;
  struct dirent *ent;
  while ((ent = readdir(d)) != NULL) {
    /* hidden entries, and npm packages (the corpus's Motoko compiler
     * lives under vectors/corpus/toolchain/node_modules) */
    if (ent->d_name[0] == '.' || strcmp(ent->d_name, "node_modules") == 0)
      continue;
    char **grown = realloc(names, (n + 1) * sizeof *grown);
    if (!grown)
      break;
    names = grown;
    size_t len = strlen(dir) + strlen(ent->d_name) + 2;
    names[n] = malloc(len);
    if (!names[n])
      break;
    snprintf(names[n], len, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/",
             ent->d_name);
    n++;
  }
  closedir(d);
  if (n > 1)
    qsort(names, n, sizeof *names, compare_names);
  for (size_t i = 0; i < n; i++) {
    struct stat st;
    if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      collect_dir(names[i], out, depth + 1);
      free(names[i]);
    } else if (ends_with(names[i], ".wast")) {
      if (!list_add(out, names[i]))
        free(names[i]);
    } else {
      free(names[i]);
    }
  }
  free(names);
  return true;
}

/* ---- Selection ---- */

static bool has_glob(const char *s) { return strpbrk(s, "*?[") != NULL; }

static bool matches_any_id(const string_list *patterns, const char *id,
                           const char *title) {
  if (!patterns->count)
    return true;
  for (size_t i = 0; i < patterns->count; i++) {
    const char *p = patterns->items[i];
    if (has_glob(p) ? cmr_glob_match(p, id)
                    : (strstr(id, p) || (title && strstr(title, p))))
      return true;
  }
  return false;
}

static bool matches_any_of(const string_list *patterns, char *const *values,
                           size_t count) {
  if (!patterns->count)
    return true;
  for (size_t i = 0; i < patterns->count; i++)
    for (size_t k = 0; k < count; k++)
      if (cmr_glob_match(patterns->items[i], values[k]))
        return true;
  return false;
}

static bool selected(const options *o, const cmr_entry *e) {
  const char *title = e->parsed ? e->vector.title : NULL;
  if (!matches_any_id(&o->filters, e->id, title))
    return false;
  const char *slash = strchr(e->id, '/');
  size_t area_len = slash ? (size_t)(slash - e->id) : 0;
  if (o->areas.count) {
    bool any = false;
    for (size_t i = 0; i < o->areas.count; i++)
      if (strlen(o->areas.items[i]) == area_len &&
          strncmp(o->areas.items[i], e->id, area_len) == 0)
        any = true;
    if (!any)
      return false;
  }
  /* A broken vector has no rules or tags to select by: it is kept, so a
   * narrow selection never hides it. */
  if (!e->parsed)
    return true;
  return matches_any_of(&o->rules, e->vector.rules, e->vector.rule_count) &&
         matches_any_of(&o->tags, e->vector.tags, e->vector.tag_count);
}

/* ---- Reproduction commands ---- */

static void append_quoted(char *buf, size_t size, const char *arg) {
  size_t len = strlen(buf);
  bool plain = arg[0] != '\0';
  for (const char *p = arg; *p; p++)
    if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                "0123456789-_./=:,+@%",
                *p))
      plain = false;
  if (plain) {
    snprintf(buf + len, size - len, " %s", arg);
    return;
  }
  snprintf(buf + len, size - len, " '");
  for (const char *p = arg; *p; p++) {
    len = strlen(buf);
    if (*p == '\'')
      snprintf(buf + len, size - len, "'\\''");
    else
      snprintf(buf + len, size - len, "%c", *p);
  }
  len = strlen(buf);
  snprintf(buf + len, size - len, "'");
}

static char *reproduce_command(const char *program, const options *o,
                               const char *path) {
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", program);
  append_quoted(buf, sizeof buf, "--adapter");
  append_quoted(buf, sizeof buf, o->adapter);
  append_quoted(buf, sizeof buf, "--profile");
  append_quoted(buf, sizeof buf, o->profile);
  if (o->expect) {
    append_quoted(buf, sizeof buf, "--expect");
    append_quoted(buf, sizeof buf, o->expect);
  }
  if (o->suite_given) {
    append_quoted(buf, sizeof buf, "--suite");
    append_quoted(buf, sizeof buf, o->suite);
  }
  append_quoted(buf, sizeof buf, "-v");
  append_quoted(buf, sizeof buf, path);
  size_t n = strlen(buf) + 1;
  char *copy = malloc(n);
  if (copy)
    memcpy(copy, buf, n);
  return copy;
}

/* ---- Options ---- */

static bool takes_a_value(const char *option) {
  static const char *const with_value[] = {
      "--adapter", "--profile", "--expect",   "--json",        "--junit",
      "--suite",   "--cache",   "--wat2wasm", "--filter",      "--rule",
      "--area",    "--tag",     "--timeout",  "--save-modules",
      "--build-dir"};
  for (size_t i = 0; i < sizeof with_value / sizeof with_value[0]; i++)
    if (strcmp(option, with_value[i]) == 0)
      return true;
  return false;
}

static int parse_options(int argc, char **argv, options *o) {
  memset(o, 0, sizeof *o);
  o->adapter = "ref";
  o->profile = "ic-current";
  o->timeout = 30;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    const char *value = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes_value = true;
    if (strcmp(a, "--adapter") == 0 && value)
      o->adapter = value;
    else if (strcmp(a, "--profile") == 0 && value)
      o->profile = value;
    else if (strcmp(a, "--expect") == 0 && value)
      o->expect = value;
    else if (strcmp(a, "--json") == 0 && value)
      o->json = value;
    else if (strcmp(a, "--junit") == 0 && value)
      o->junit = value;
    else if (strcmp(a, "--suite") == 0 && value)
      o->suite = value, o->suite_given = true;
    else if (strcmp(a, "--cache") == 0 && value)
      o->cache = value, o->cache_given = true;
    else if (strcmp(a, "--wat2wasm") == 0 && value)
      o->wat2wasm = value;
    else if (strcmp(a, "--save-modules") == 0 && value)
      o->save_dir = value;
    else if (strcmp(a, "--filter") == 0 && value)
      takes_value = list_add(&o->filters, value);
    else if (strcmp(a, "--rule") == 0 && value)
      takes_value = list_add(&o->rules, value);
    else if (strcmp(a, "--area") == 0 && value)
      takes_value = list_add(&o->areas, value);
    else if (strcmp(a, "--tag") == 0 && value)
      takes_value = list_add(&o->tags, value);
    else if (strcmp(a, "--build-dir") == 0 && value)
      takes_value = list_add(&o->build_dirs, value);
    else if (strcmp(a, "--timeout") == 0 && value) {
      char *end;
      o->timeout = strtod(value, &end);
      if (*end || !(o->timeout > 0))
        return usage_error("--timeout needs a positive number of seconds, "
                           "not '%s'",
                           value);
    } else {
      takes_value = false;
      if (strcmp(a, "--print-modules") == 0)
        o->print_modules = true;
      else if (strcmp(a, "--list") == 0)
        o->list = true;
      else if (strcmp(a, "--list-paths") == 0)
        o->list_paths = true;
      else if (strcmp(a, "--no-fork") == 0)
        o->no_fork = true;
      else if (strcmp(a, "--alloc-faults") == 0)
        o->alloc_faults = true;
      else if (strcmp(a, "--coverage") == 0)
        o->coverage = true;
      else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
        o->verbose = true;
      else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        fputs(usage_text, stdout);
        return 0;
      } else if (strcmp(a, "--version") == 0) {
        printf("canmem-run %s (adapter ABI %u)\n", RUNNER_VERSION,
               CANMEM_ADAPTER_ABI_VERSION);
        return 0;
      } else if (strcmp(a, "--list-requirements") == 0) {
        size_t n;
        const cmr_requirement *all = cmr_requirements(&n);
        for (size_t k = 0; k < n; k++)
          printf("%s\n", all[k].name);
        return 0;
      } else if (a[0] == '-' && a[1] != '\0') {
        return usage_error(takes_a_value(a) ? "option '%s' needs a value"
                                            : "unknown option '%s'",
                           a);
      } else if (!list_add(&o->paths, a)) {
        return usage_error("out of memory%s", "");
      }
    }
    if (takes_value)
      i++;
  }
  return -1; /* go on */
}

static void free_options(options *o) {
  free(o->filters.items);
  free(o->rules.items);
  free(o->areas.items);
  free(o->tags.items);
  free(o->paths.items);
  free(o->build_dirs.items);
}

static bool load_profile(const char *suite, const char *spec,
                         canmem_profile *profile, char *err, size_t size) {
  cm_profile_defaults(profile);
  char path[4096];
  if (strchr(spec, '/') || ends_with(spec, ".profile"))
    snprintf(path, sizeof path, "%s", spec);
  else
    snprintf(path, sizeof path, "%s/profiles/%s.profile", suite, spec);
  struct stat st;
  if (stat(path, &st) != 0) {
    snprintf(err, size,
             "unknown profile '%.200s' (no file %.300s; profiles live in "
             "suite/profiles/)",
             spec, path);
    return false;
  }
  return cm_profile_load(profile, path, err, size);
}

int main(int argc, char **argv) {
  options o;
  int early = parse_options(argc, argv, &o);
  if (early >= 0) {
    free_options(&o);
    return early;
  }
  int status = 2;
  cmr_entry *entries = NULL;
  size_t entry_count = 0;
  string_list files = {0};
  cmr_rule_list rules = {0};
  cmr_expect_file expect = {0};
  cmr_adapter adapter;
  memset(&adapter, 0, sizeof adapter);
  char cache_buf[4096];
  cmr_error err;
  memset(&err, 0, sizeof err);

  /* No vectors named: the whole suite, from where this binary finds it
   * (runner/datadir.c). */
  const char *default_vectors = NULL;
  if (!o.paths.count) {
    default_vectors = cmr_default_vectors_dir();
    struct stat st;
    int found = stat(default_vectors, &st) == 0 ? 0 : errno;
    if (found || !S_ISDIR(st.st_mode)) {
      fprintf(stderr,
              "canmem-run: no vectors given, and no vectors folder at %s "
              "(%s); name vector files or folders\n",
              default_vectors, strerror(found ? found : ENOTDIR));
      goto out;
    }
    if (!list_add(&o.paths, default_vectors)) {
      usage_error("out of memory%s", "");
      goto out;
    }
  }
  if (!o.suite_given) {
    o.suite = getenv("CANMEM_SUITE_DIR");
    if (!o.suite || !o.suite[0])
      o.suite = cmr_default_suite_dir();
  }
  if (!o.cache_given) {
    const char *env = getenv("CANMEM_CACHE_DIR");
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (env && env[0])
      snprintf(cache_buf, sizeof cache_buf, "%s", env);
    else if (xdg && xdg[0])
      snprintf(cache_buf, sizeof cache_buf, "%s/canmem/modules", xdg);
    else if (home && home[0])
      snprintf(cache_buf, sizeof cache_buf, "%s/.cache/canmem/modules", home);
    else
      snprintf(cache_buf, sizeof cache_buf, ".canmem-cache");
    o.cache = cache_buf;
  }
  if (!o.build_dirs.count) {
    const char *env = getenv("CANMEM_BUILD_DIR");
    if (!env || !env[0])
      env = cmr_default_build_dir();
    if (env && env[0] && !list_add(&o.build_dirs, env)) {
      usage_error("out of memory%s", "");
      goto out;
    }
  }
  cmr_file_lookup lookup = {o.build_dirs.items, o.build_dirs.count};
  if (!o.wat2wasm) {
    o.wat2wasm = getenv("WAT2WASM");
    if (!o.wat2wasm || !o.wat2wasm[0])
      o.wat2wasm = "wat2wasm";
  }

  char rules_path[4200];
  snprintf(rules_path, sizeof rules_path, "%s/rules.txt", o.suite);
  if (!cmr_rule_list_load(&rules, rules_path, &err)) {
    fprintf(stderr,
            "canmem-run: %s\n(the known rule IDs come from the suite "
            "folder; pass --suite DIR or set CANMEM_SUITE_DIR)\n",
            err.message);
    goto out;
  }
  canmem_profile profile;
  char why[600];
  if (!load_profile(o.suite, o.profile, &profile, why, sizeof why)) {
    fprintf(stderr, "canmem-run: %s\n", why);
    goto out;
  }
  if (o.expect && !cmr_expect_file_load(&expect, o.expect, &err)) {
    fprintf(stderr, "canmem-run: %s\n", err.message);
    goto out;
  }

  for (size_t i = 0; i < o.paths.count; i++) {
    struct stat st;
    if (stat(o.paths.items[i], &st) != 0) {
      fprintf(stderr, "canmem-run: %s: %s\n", o.paths.items[i],
              strerror(errno));
      goto out;
    }
    if (S_ISDIR(st.st_mode)) {
      if (!collect_dir(o.paths.items[i], &files, 0)) {
        fprintf(stderr, "canmem-run: cannot read the folder %s\n",
                o.paths.items[i]);
        goto out;
      }
    } else {
      size_t n = strlen(o.paths.items[i]) + 1;
      char *copy = malloc(n);
      if (!copy || !list_add(&files, copy)) {
        free(copy);
        goto out;
      }
      memcpy(copy, o.paths.items[i], n);
    }
  }

  if (default_vectors && !files.count) {
    fprintf(stderr,
            "canmem-run: no vectors given, and no *.wast under %s; name "
            "vector files or folders\n",
            default_vectors);
    goto out;
  }

  entries = calloc(files.count + 1, sizeof *entries);
  if (!entries)
    goto out;
  for (size_t i = 0; i < files.count; i++) {
    cmr_entry e;
    memset(&e, 0, sizeof e);
    e.path = (char *)files.items[i];
    files.items[i] = NULL;
    memset(&err, 0, sizeof err);
    e.parsed = cmr_vector_load(&e.vector, e.path, &rules, &err) &&
               cmr_vector_load_files(&e.vector, &lookup, &err);
    e.id = cmr_vector_id(e.path);
    if (!e.parsed) {
      char text[1400];
      if (err.line)
        snprintf(text, sizeof text, "%s:%u:%u: %s", e.path, err.line,
                 err.column, err.message);
      else
        snprintf(text, sizeof text, "%s", err.message);
      size_t n = strlen(text) + 1;
      if ((e.parse_error = malloc(n)))
        memcpy(e.parse_error, text, n);
    }
    if (!selected(&o, &e)) {
      cmr_vector_free(&e.vector);
      free(e.path);
      free(e.id);
      free(e.parse_error);
      continue;
    }
    e.reproduce = reproduce_command(argv[0], &o, e.path);
    entries[entry_count++] = e;
  }

  if (o.list_paths) {
    for (size_t i = 0; i < entry_count; i++)
      printf("%s\n", entries[i].path);
    status = 0;
    goto out;
  }
  if (o.list) {
    for (size_t i = 0; i < entry_count; i++) {
      cmr_entry *e = &entries[i];
      printf("%s", e->id);
      if (!e->parsed) {
        printf("  (broken: %s)\n", e->parse_error);
        continue;
      }
      printf("  \"%s\"  rules:", e->vector.title);
      for (size_t k = 0; k < e->vector.rule_count; k++)
        printf(" %s", e->vector.rules[k]);
      if (e->vector.require_count) {
        printf("  requires:");
        for (size_t k = 0; k < e->vector.require_count; k++)
          printf(" %s", e->vector.requires[k]);
      }
      if (e->vector.history_count) {
        printf("  history:");
        for (size_t k = 0; k < e->vector.history_count; k++)
          printf(" %s", e->vector.history[k]);
      }
      if (e->vector.tag_count) {
        printf("  tags:");
        for (size_t k = 0; k < e->vector.tag_count; k++)
          printf(" %s", e->vector.tags[k]);
      }
      printf("\n");
    }
    status = 0;
    goto out;
  }

  if (o.print_modules) {
    status = 0;
    for (size_t i = 0; i < entry_count; i++) {
      cmr_entry *e = &entries[i];
      if (!e->parsed) {
        fprintf(stderr, "canmem-run: %s\n", e->parse_error);
        status = 1;
        continue;
      }
      for (size_t k = 0; k < e->vector.module_count; k++) {
        const cmr_module *m = &e->vector.modules[k];
        printf(";; %s, module %s (line %u)\n", e->path, m->name, m->line);
        if (m->binary) {
          printf(";; a binary module of %zu bytes\n\n", m->size);
          continue;
        }
        if (m->file) {
          printf(";; a module file of %zu bytes: %s\n\n", m->size,
                 m->found ? m->found : "(not built)");
          continue;
        }
        char *text;
        size_t size;
        uint32_t first;
        if (!cmr_module_text(&e->vector, m, &text, &size, &first, &err)) {
          fprintf(stderr, "canmem-run: %s:%u:%u: %s\n", e->path, err.line,
                  err.column, err.message);
          status = 1;
          continue;
        }
        const char *flags[4];
        size_t nflags = cmr_module_flags(m, flags, 4);
        printf(";; wat2wasm");
        for (size_t f = 0; f < nflags; f++)
          printf(" %s", flags[f]);
        printf("\n%s\n", text);
        free(text);
      }
    }
    goto out;
  }

  /* process:COMMAND is the process adapter running COMMAND
   * (docs/adapter-process.md) */
  const char *adapter_path = o.adapter;
  if (strncmp(o.adapter, "process:", 8) == 0) {
    if (!o.adapter[8]) {
      fprintf(stderr, "canmem-run: --adapter process: needs a command\n");
      goto out;
    }
    setenv("CANMEM_PROCESS_ADAPTER", o.adapter + 8, 1);
    adapter_path = cmr_process_adapter_path();
  }
  if (!cmr_adapter_open(&adapter, adapter_path, &err)) {
    fprintf(stderr, "canmem-run: %s\n", err.message);
    goto out;
  }

  cmr_compiler compiler = {o.wat2wasm, o.cache, o.save_dir};
  static const cmr_alloc_faults model_faults = {
      cm_alloc_fail_at, cm_alloc_failed, cm_alloc_was_answered};
  cmr_run_options run = {&adapter,  &profile,   &compiler,
                         o.timeout, !o.no_fork, o.verbose, NULL,
                         o.coverage};
  if (o.alloc_faults) {
    if (strcmp(o.adapter, "ref") != 0 || !cm_alloc_faults_available()) {
      fprintf(stderr, "canmem-run: --alloc-faults needs --adapter ref and a "
                      "build configured with --enable-coverage\n");
      status = 2;
      goto out;
    }
    run.alloc_faults = &model_faults;
  }
  cmr_run_info info;
  memset(&info, 0, sizeof info);
  info.adapter = &adapter;
  info.profile = &profile;
  info.expect_path = o.expect;
  time_t now = time(NULL);
  struct tm utc;
  if (gmtime_r(&now, &utc))
    strftime(info.started, sizeof info.started, "%Y-%m-%dT%H:%M:%SZ", &utc);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);

  printf("TAP version 13\n1..%zu\n", entry_count);
  printf("# canmem-run %s: runtime %s %s (%s), profile %s\n", RUNNER_VERSION,
         adapter.name, adapter.version, adapter.source, profile.name);
  fflush(stdout);
  for (size_t i = 0; i < entry_count; i++) {
    cmr_entry *e = &entries[i];
    cmr_result *r = &e->result;
    if (!e->parsed) {
      r->verdict = CMR_ERROR;
      size_t n = strlen(e->parse_error) + 1;
      if ((r->reason = malloc(n)))
        memcpy(r->reason, e->parse_error, n);
    } else {
      cmr_expect_entry *mark =
          o.expect ? cmr_expect_file_lookup(&expect, e->id) : NULL;
      char unmet[600];
      if (mark && mark->mark == CMR_MARK_SKIP) {
        r->verdict = CMR_SKIP;
        size_t n = strlen(mark->reason) + strlen(o.expect) + 32;
        if ((r->reason = malloc(n)))
          snprintf(r->reason, n, "%s (%s:%u)", mark->reason, o.expect,
                   mark->line);
      } else if (e->vector.unavailable) {
        r->verdict = CMR_SKIP;
        size_t n = strlen(e->vector.unavailable) + 1;
        if ((r->reason = malloc(n)))
          memcpy(r->reason, e->vector.unavailable, n);
      } else if (!cmr_requirements_met(&e->vector, &adapter, &profile, unmet,
                                       sizeof unmet) ||
                 /* compiled text modules may imply more (SIMD, tail calls) */
                 (cmr_vector_compile(&e->vector, &compiler, &err) &&
                  !cmr_requirements_met(&e->vector, &adapter, &profile, unmet,
                                        sizeof unmet))) {
        r->verdict = CMR_SKIP;
        size_t n = strlen(unmet) + 1;
        if ((r->reason = malloc(n)))
          memcpy(r->reason, unmet, n);
      } else {
        cmr_vector_run(&e->vector, &run, r, stdout);
        if (mark && mark->mark == CMR_MARK_XFAIL && r->verdict != CMR_ERROR) {
          r->verdict = r->verdict == CMR_PASS ? CMR_XPASS : CMR_XFAIL;
          size_t n = strlen(mark->reason) + strlen(o.expect) + 32;
          char *reason = malloc(n);
          if (reason) {
            snprintf(reason, n, "%s (%s:%u)", mark->reason, o.expect,
                     mark->line);
            free(r->reason);
            r->reason = reason;
          }
        }
      }
    }
    cmr_count(&info.counts, r->verdict);
    cmr_tap_entry(stdout, i + 1, e);
    fflush(stdout);
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  info.seconds =
      (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  cmr_tap_summary(stdout, &info, entries, entry_count);
  for (size_t i = 0; i < expect.count; i++)
    if (!expect.entries[i].used)
      printf("# note: %s:%u: '%s' matches none of the vectors run\n", o.expect,
             expect.entries[i].line, expect.entries[i].pattern);
  fflush(stdout);
  status = cmr_counts_ok(&info.counts) ? 0 : 1;
  if (o.json && !cmr_write_json(o.json, &info, entries, entry_count)) {
    fprintf(stderr, "canmem-run: cannot write %s: %s\n", o.json,
            strerror(errno));
    status = 2;
  }
  if (o.junit && !cmr_write_junit(o.junit, &info, entries, entry_count)) {
    fprintf(stderr, "canmem-run: cannot write %s: %s\n", o.junit,
            strerror(errno));
    status = 2;
  }

out:
  for (size_t i = 0; i < entry_count; i++) {
    cmr_vector_free(&entries[i].vector);
    cmr_result_free(&entries[i].result);
    free(entries[i].path);
    free(entries[i].id);
    free(entries[i].parse_error);
    free(entries[i].reproduce);
  }
  free(entries);
  for (size_t i = 0; i < files.count; i++)
    free((char *)files.items[i]);
  free(files.items);
  cmr_rule_list_free(&rules);
  cmr_expect_file_free(&expect);
  cmr_adapter_close(&adapter);
  free_options(&o);
  return status;
}
