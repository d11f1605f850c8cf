#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests. Playwright cannot download its own
# browsers on this network, so the tests drive /usr/bin/chromium instead.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing chromium needs root (apt-get install chromium)." >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
/usr/bin/chromium --version
