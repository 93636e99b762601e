/* canmem-run's default suite and build tree (runner/datadir.c). */
#ifndef CANMEM_RUNNER_DATADIR_H
#define CANMEM_RUNNER_DATADIR_H

/* The suite folder: the source tree's for the build tree's binary, the
 * package data directory's for an installed one. */
const char *cmr_default_suite_dir(void);

/* The vectors run when none are named: the source tree's vectors/ for
 * the build tree's binary, the package data directory's once installed. */
const char *cmr_default_vectors_dir(void);

/* The build tree whose vectors/ holds made modules, or NULL when
 * installed (the modules are installed beside their vectors). */
const char *cmr_default_build_dir(void);

/* The process adapter (--adapter process:COMMAND): the build tree's for
 * the build tree's binary, $(pkglibdir)'s for an installed one. */
const char *cmr_process_adapter_path(void);

#endif
