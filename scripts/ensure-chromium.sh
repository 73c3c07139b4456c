#!/usr/bin/env bash
# The browser tests drive Debian's Chromium with playwright-core; no tool may download a browser
# of its own here. Installs the package only when it is missing (a no-op otherwise).
set -euo pipefail
if [ -x /usr/bin/chromium ] && php -r 'exit(function_exists("curl_init") ? 0 : 1);' 2>/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Chromium is missing and this user cannot install it: run 'apt-get install chromium' as root." >&2
  exit 1
fi
echo "Installing Debian's chromium (browser tests), php-cli and php-curl (the PHP client test), once…"
$SUDO apt-get update -qq
# php-cli and php-curl: the client-in-another-language test (test/clients/php).
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium php-cli php-curl >/dev/null
