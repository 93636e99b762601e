/* Where canmem-run finds the suite, the vectors and the build's module
 * files when neither an option nor an environment variable says
 * (docs/build.md, "Installing").
 *
 * The binary in the build tree uses the source tree's suite/ and the build
 * tree (where the corpus modules are made). An installed binary uses the
 * package data directory, whose vectors/ holds the built modules beside
 * their vectors. When the installation was moved under another root (make
 * install DESTDIR=ROOT, then run from ROOT), the binary sits at
 * ROOT$(bindir): the same root is put before $(pkgdatadir). */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datadir.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* The running executable's resolved path, or "" when unknown. */
static const char *self_path(void) {
  static char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  path[n > 0 ? n : 0] = '\0';
  return path;
}

static int is_build_tree_binary(void) {
#ifdef CANMEM_BUILD_EXE
  char built[PATH_MAX];
  const char *self = self_path();
  return self[0] && realpath(CANMEM_BUILD_EXE, built) &&
         strcmp(self, built) == 0;
#else
  return 0;
#endif
}

#if defined(CANMEM_BINDIR)
/* dir/tail of the installation this binary belongs to: ROOT$(bindir)/
 * canmem-run means ROOT dir/tail (DESTDIR), else dir/tail itself. */
static const char *installed(const char *dir, const char *tail, char *buf,
                             size_t size) {
  const char *self = self_path();
  const char *slash = strrchr(self, '/');
  size_t at = slash ? (size_t)(slash - self) : 0;
  size_t bindir = strlen(CANMEM_BINDIR);
  size_t root = at >= bindir ? at - bindir : 0;
  if (slash && at >= bindir &&
      strncmp(self + root, CANMEM_BINDIR, bindir) == 0)
    snprintf(buf, size, "%.*s%s%s", (int)root, self, dir, tail);
  else
    snprintf(buf, size, "%s%s", dir, tail);
  return buf;
}
#endif

const char *cmr_default_suite_dir(void) {
#if defined(CANMEM_SOURCE_SUITE_DIR)
  if (is_build_tree_binary())
    return CANMEM_SOURCE_SUITE_DIR;
#endif
#if defined(CANMEM_PKGDATADIR) && defined(CANMEM_BINDIR)
  static char suite[2 * PATH_MAX];
  return installed(CANMEM_PKGDATADIR, "/suite", suite, sizeof suite);
#else
  return "suite";
#endif
}

const char *cmr_default_vectors_dir(void) {
#if defined(CANMEM_SOURCE_VECTORS_DIR)
  if (is_build_tree_binary())
    return CANMEM_SOURCE_VECTORS_DIR;
#endif
#if defined(CANMEM_PKGDATADIR) && defined(CANMEM_BINDIR)
  static char vectors[2 * PATH_MAX];
  return installed(CANMEM_PKGDATADIR, "/vectors", vectors, sizeof vectors);
#else
  return "vectors";
#endif
}

const char *cmr_process_adapter_path(void) {
#ifdef CANMEM_BUILD_PROCESS_ADAPTER
  if (is_build_tree_binary())
    return CANMEM_BUILD_PROCESS_ADAPTER;
#endif
#if defined(CANMEM_PKGLIBDIR) && defined(CANMEM_BINDIR)
  static char path[2 * PATH_MAX];
  return installed(CANMEM_PKGLIBDIR, "/canmem-process-adapter.so", path,
                   sizeof path);
#else
  return "canmem-process-adapter.so";
#endif
}

const char *cmr_default_build_dir(void) {
#ifdef CANMEM_DEFAULT_BUILD_DIR
  if (is_build_tree_binary())
    return CANMEM_DEFAULT_BUILD_DIR;
#endif
  return NULL;
}
