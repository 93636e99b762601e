#!/bin/sh
# Installs the Motoko compiler the corpus is built with, the npm package
# motoko pinned in package-lock.json (with its integrity hashes), into
# node_modules/ beside this script. Idempotent: when the pinned version is
# already there it does nothing and needs no network. npm comes from
# Debian (apt-get, as root) when it is missing.
#
#   vectors/corpus/toolchain/setup.sh          install if needed
#   vectors/corpus/toolchain/setup.sh --check  exit 0 when installed, 1 otherwise
#
# Prints the path of the installed package on success.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
package="$here/node_modules/motoko"

# The pinned version, read from the lock file (no node needed for that).
pinned=$(sed -n '/"node_modules\/motoko"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' \
  "$here/package-lock.json" | head -n 1)
if [ -z "$pinned" ]; then
  echo "setup.sh: no motoko version in $here/package-lock.json" >&2
  exit 1
fi

installed_version() {
  [ -f "$package/package.json" ] || return 1
  sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$package/package.json" | head -n 1
}

if [ "$(installed_version || true)" = "$pinned" ]; then
  [ "${1-}" = --check ] || echo "$package"
  exit 0
fi
if [ "${1-}" = --check ]; then
  exit 1
fi

if ! command -v npm >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup.sh: installing npm with apt-get" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm >&2 ||
      { apt-get update >&2 &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends npm >&2; }
  else
    echo "setup.sh: npm is missing; install it (Debian: apt-get install npm)" >&2
    exit 1
  fi
fi

echo "setup.sh: installing motoko@$pinned with npm ci" >&2
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)

if [ "$(installed_version || true)" != "$pinned" ]; then
  echo "setup.sh: npm ci finished but $package is not version $pinned" >&2
  exit 1
fi
echo "$package"
