#!/usr/bin/env bash
# Installs the Debian packages the agreement PDFs need: WeasyPrint's font subsetting
# (libharfbuzz-subset0; it renders without it, with a warning and larger files) and, for the
# tests, poppler-utils (pdftoppm turns a page into an image). Sibling of install_chromium.sh.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing the PDF packages needs root (apt-get install libharfbuzz-subset0 poppler-utils)." >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libharfbuzz-subset0 poppler-utils fonts-liberation >/dev/null
pdftoppm -v 2>&1 | head -1
