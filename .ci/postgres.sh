#!/usr/bin/env bash
# Makes a real PostgreSQL reachable for the server's tests (issue 4: crash, scale-out and duplicate tests run
# against PostgreSQL as well as PGlite). Uses one that is already running; otherwise installs Debian's
# postgresql package (seconds) and starts its cluster. Prints the URL for HOOKLINE_TEST_DATABASE_URL.
set -euo pipefail
URL="postgres://postgres:postgres@127.0.0.1:5432/postgres"
ready() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; }
if ! ready; then
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "installing PostgreSQL (Debian package)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
  version="$(ls /usr/lib/postgresql | sort -n | tail -1)"
  pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >&2
  pg_ctlcluster "$version" main start >&2
  for _ in $(seq 1 30); do ready && break; sleep 0.5; done
fi
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >&2
echo "$URL"
