#!/usr/bin/env bash
# Installs GNU gettext (xgettext, msgmerge, msgfmt, msgattrib): Django's makemessages and
# compilemessages need it, and so do the tests that prove the Welsh translations are complete and
# their compiled .mo matches the .po (docs/decisions/0058). The portal itself does not: the
# compiled locale/cy/LC_MESSAGES/django.mo is committed. Sibling of install_pdf_packages.sh.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Installing gettext needs root (apt-get install gettext)." >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends gettext >/dev/null
msgfmt --version | head -1
