#!/usr/bin/env sh
# The mainframe → blob storage → summary → reconciliation pipeline, by curl (see README.md).
#
#   ./curl.sh          the stages of runs T-1001, T-1002 and T-1003, in order; T-1001 is reconciled at once,
#                      T-1002 and T-1003 are not: 15 minutes after their summaries, reconciliation-overdue alerts
#   ./curl.sh late     T-1002's reconciliation, late: its alert resolves (T-1003 stays in alarm)
#   ./curl.sh bad      requests the server refuses: 405, 401, 403, 415, 400, 413
#
# The server is at http://127.0.0.1:8080 unless HOOKLINE_URL says otherwise. The secrets are the values the
# server has in the variables named by webhooks.yaml (MAINFRAME_WEBHOOK_SECRET, BLOB_WEBHOOK_HMAC_KEY,
# PIPELINE_WEBHOOK_SECRET). Needs curl and openssl. The bodies are the ones in requests.jsonl.
set -eu

URL="${HOOKLINE_URL:-http://127.0.0.1:8080}"
: "${MAINFRAME_WEBHOOK_SECRET:?export the value the server has}"
: "${BLOB_WEBHOOK_HMAC_KEY:?export the value the server has}"
: "${PIPELINE_WEBHOOK_SECRET:?export the value the server has}"

# post_secret SLUG SECRET BODY: shared secret in X-Hookline-Secret (Authorization: Bearer works too)
post_secret() {
  printf '%s ' "POST /hooks/$1:"
  curl -sS -o /dev/null -w '%{http_code}\n' -X POST "$URL/hooks/$1" \
    -H 'Content-Type: application/json' -H "X-Hookline-Secret: $2" --data-binary "$3"
}

# post_signed SLUG KEY BODY: HMAC-SHA256 of the exact body bytes in X-Pipeline-Signature: sha256=<hex>
post_signed() {
  sig=$(printf '%s' "$3" | openssl dgst -sha256 -hmac "$2" | sed 's/^.*= //')
  printf '%s ' "POST /hooks/$1:"
  curl -sS -o /dev/null -w '%{http_code}\n' -X POST "$URL/hooks/$1" \
    -H 'Content-Type: application/json' -H "X-Pipeline-Signature: sha256=$sig" --data-binary "$3"
}

# show METHOD SLUG [curl args...]: prints the status and the JSON answer
show() {
  method=$1 slug=$2
  shift 2
  printf '%s ' "$method /hooks/$slug:"
  curl -sS -w ' (%{http_code})\n' -X "$method" "$URL/hooks/$slug" "$@"
}

stages() {
  post_secret mainframe-kickoff "$MAINFRAME_WEBHOOK_SECRET" '{"file_name":"GL.DAILY.20240603.T1001.dat","tracking_id":"T-1001"}'
  post_secret mainframe-kickoff "$MAINFRAME_WEBHOOK_SECRET" '{"file_name":"GL.DAILY.20240603.T1002.dat","tracking_id":"T-1002"}'
  post_signed blob-landed "$BLOB_WEBHOOK_HMAC_KEY" '{"tracking_id":"T-1001","container":"landing","blob":"GL.DAILY.20240603.T1001.dat","size":1048000}'
  post_secret mainframe-kickoff "$MAINFRAME_WEBHOOK_SECRET" '{"file_name":"GL.DAILY.20240603.T1003.dat","tracking_id":"T-1003"}'
  post_signed blob-landed "$BLOB_WEBHOOK_HMAC_KEY" '{"tracking_id":"T-1002","container":"landing","blob":"GL.DAILY.20240603.T1002.dat","size":998400}'
  post_signed blob-landed "$BLOB_WEBHOOK_HMAC_KEY" '{"tracking_id":"T-1003","container":"landing","blob":"GL.DAILY.20240603.T1003.dat","size":1020300}'
  post_secret summary-ready "$PIPELINE_WEBHOOK_SECRET" '{"tracking_id":"T-1001","records":1200,"total":"18234.56"}'
  post_secret summary-ready "$PIPELINE_WEBHOOK_SECRET" '{"tracking_id":"T-1002","records":1150,"total":"17001.10"}'
  post_secret summary-ready "$PIPELINE_WEBHOOK_SECRET" '{"tracking_id":"T-1003","records":1189,"total":"17980.00"}'
  post_secret reconciliation-done "$PIPELINE_WEBHOOK_SECRET" '{"tracking_id":"T-1001","status":"balanced","differences":0}'
}

late() {
  post_secret reconciliation-done "$PIPELINE_WEBHOOK_SECRET" '{"tracking_id":"T-1002","status":"balanced","differences":0}'
}

bad() {
  # 405: kickoff accepts POST only
  show GET mainframe-kickoff
  # 401: no secret; 403: a wrong one
  show POST summary-ready -H 'Content-Type: application/json' --data-binary '{"tracking_id":"T-1"}'
  show POST summary-ready -H 'Content-Type: application/json' -H 'X-Hookline-Secret: wrong' --data-binary '{"tracking_id":"T-1"}'
  # 403: a signature of other bytes
  show POST blob-landed -H 'Content-Type: application/json' -H 'X-Pipeline-Signature: sha256=00' --data-binary '{"tracking_id":"T-1"}'
  # 415: XML is not a body the template can read
  show POST mainframe-kickoff -H 'Content-Type: application/xml' -H "X-Hookline-Secret: $MAINFRAME_WEBHOOK_SECRET" --data-binary '<file/>'
  # 400: malformed JSON (the parser's reason), then a body without tracking_id (the template's reason; the
  # server also records a hookline.webhook.failed event)
  show POST mainframe-kickoff -H 'Content-Type: application/json' -H "X-Hookline-Secret: $MAINFRAME_WEBHOOK_SECRET" --data-binary '{"file_name": '
  show POST mainframe-kickoff -H 'Content-Type: application/json' -H "X-Hookline-Secret: $MAINFRAME_WEBHOOK_SECRET" --data-binary '{"file_name":"x.dat"}'
  # 413: more than 1 MiB
  head -c 1048577 /dev/zero | tr '\0' 'a' | show POST summary-ready -H 'Content-Type: text/plain' -H "X-Hookline-Secret: $PIPELINE_WEBHOOK_SECRET" --data-binary @-
}

case "${1:-stages}" in
  stages) stages ;;
  late) late ;;
  bad) bad ;;
  *) echo "usage: $0 [stages|late|bad]" >&2; exit 2 ;;
esac
