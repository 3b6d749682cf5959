#!/usr/bin/env bash
# Makes Debian's Chromium available for the console's browser tests (issue 16: test/console drives it with
# playwright-core, which downloads no browser). Uses the one installed; otherwise installs the `chromium`
# package. Prints its path for CHROMIUM_PATH.
set -euo pipefail
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$path" ]; then
  echo "installing Chromium (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
  path=/usr/bin/chromium
fi
"$path" --version >&2
echo "$path"
