#!/usr/bin/env bash
# Installs the Debian packages some tests need (e.g. `chromium php-cli php-curl`), only those
# missing; a no-op when all are there. The browser tests drive Debian's Chromium with
# playwright-core: no tool may download a browser of its own here.
#
# Where they cannot be installed (not Debian, no root and no password-less sudo, no network),
# it says so in one line and exits 0: the tests that need them skip themselves, each with a line
# saying how to enable them (test/helpers/system.ts). Under CI=true a missing package is an
# error instead, so CI never passes by skipping.
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <debian-package>..." >&2
  exit 2
fi

missing=()
for pkg in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then missing+=("$pkg"); fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

cannot() {
  if [ "${CI:-}" = "true" ]; then
    echo "ensure-system-packages: cannot install ${missing[*]}: $1 (CI=true: the tests needing them would fail)" >&2
    exit 1
  fi
  echo "ensure-system-packages: cannot install ${missing[*]}: $1. Tests needing a program that is missing skip themselves; to run them: apt-get install ${missing[*]} (as root)" >&2
  exit 0
}

command -v apt-get >/dev/null && command -v dpkg-query >/dev/null || cannot "this is not a Debian-like system (no apt-get)"
if [ "$(id -u)" = 0 ]; then
  SUDO=()
# -n: never prompt. A password prompt under `npm test` would hang a script nobody watches.
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  cannot "this user is not root and has no password-less sudo"
fi

echo "Installing Debian packages for the tests (once): ${missing[*]}…"
# Another apt on the machine holds its lock for a while: wait for it rather than fail.
apt=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300)
"${apt[@]}" update >/dev/null || cannot "apt-get update failed"
"${apt[@]}" install -y "${missing[@]}" >/dev/null || cannot "apt-get install failed"
