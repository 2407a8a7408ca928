#!/usr/bin/env bash
# Installs the system packages the tests drive (Debian's Chromium for the browser tests,
# LibreOffice Writer for the Word-export check),
# if they are missing. Quick when they are already there; needs root (or sudo) when not.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
# The Word-export test converts the .docx to PDF with LibreOffice (about 10 s to install here).
[ -x /usr/bin/libreoffice ] || need+=(libreoffice-writer-nogui)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing test prerequisites: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Cannot install ${need[*]}: run as root or install them with apt-get yourself." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "Installed: ${need[*]}"
