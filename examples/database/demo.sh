#!/usr/bin/env sh
# Database change events, end to end (docs/database.md): given DATABASE_URL of a PostgreSQL you may write to,
# creates the orders table (schema.sql), starts hookline (its own store in a temporary PGlite folder) capturing
# that table (database.yaml), inserts and changes rows, and prints each outbound call the automations made
# (automations.yaml) as one JSON line, e.g. the billing call with Hasura's payload.
#
#   DATABASE_URL=postgres://user:password@127.0.0.1:5432/shop sh examples/database/demo.sh
#
# Needs node, psql and curl. RECEIVER_PORT (default 9099) is where the stand-in receiver listens. The capture
# stays installed afterwards (hookline db uninstall --source shop --config-dir examples/database removes it).
set -eu
: "${DATABASE_URL:?set DATABASE_URL to the postgres:// URL of a database to create the orders table in}"
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
port="${RECEIVER_PORT:-9099}"
work=$(mktemp -d)
server=""
receiver=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$receiver" ] && kill "$receiver" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

mkdir "$work/config"
cp "$here/database.yaml" "$work/config/database.yaml"
sed "s/127\.0\.0\.1:9099/127.0.0.1:$port/g" "$here/automations.yaml" > "$work/config/automations.yaml"
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -f "$here/schema.sql"
psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 -c "DELETE FROM public.orders WHERE id IN (1001, 1002)"

token=$(node -e 'console.log(require("node:crypto").randomBytes(24).toString("hex"))')
node "$here/receiver.mjs" "$port" > "$work/calls.jsonl" &
receiver=$!
# hookline's own store: a PGlite folder (DATABASE_URL is the user's database here, not hookline's)
env -u DATABASE_URL SHOP_DATABASE_URL="$DATABASE_URL" HOOKLINE_CONFIG_DIR="$work/config" HOOKLINE_DATA_DIR="$work/data" \
  HOOKLINE_API_TOKEN="$token" PORT=0 node "$root/bin/hookline.js" serve > "$work/server.log" 2>&1 &
server=$!

url=""
i=0
while [ -z "$url" ] && [ $i -lt 300 ]; do
  url=$(sed -n 's/.*"msg":"ready \(http[^"]*\)".*/\1/p' "$work/server.log" | head -n 1)
  i=$((i + 1))
  sleep 0.2
done
[ -n "$url" ] || { echo "hookline did not start:" >&2; cat "$work/server.log" >&2; exit 1; }
api() { curl -sS -H "authorization: Bearer $token" "$@"; }
# the server installs the capture (install: true) just after it is ready
i=0
until api "$url/api/database/sources" | grep -q '"installed":true'; do
  i=$((i + 1))
  [ $i -lt 150 ] || { echo "the capture was not installed:" >&2; api "$url/api/database/sources" >&2; exit 1; }
  sleep 0.2
done

psql "$DATABASE_URL" -q -v ON_ERROR_STOP=1 <<'SQL'
INSERT INTO public.orders (id, customer, total, secret) VALUES (1001, 'Ada', 120.00, 'card-4242');
INSERT INTO public.orders (id, customer, total) VALUES (1002, 'Grace', 35.50);
UPDATE public.orders SET note = 'gift wrap' WHERE id = 1001; -- not in update_columns: no event
UPDATE public.orders SET status = 'shipped' WHERE id = 1001;  -- the absence timer of order 1001 is satisfied
SQL

# each new order is one billing call
i=0
until [ "$(grep -c '"/billing"' "$work/calls.jsonl" || true)" -ge 2 ]; do
  i=$((i + 1))
  [ $i -lt 300 ] || { echo "the automations did not call out:" >&2; cat "$work/server.log" >&2; exit 1; }
  sleep 0.2
done
cat "$work/calls.jsonl"
