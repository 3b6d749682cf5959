/** Help texts, one per command. Kept next to each other so they read as one manual. */
export const USAGE: Record<string, string> = {
  main: `hookline: event-driven automations for GitHub and Slack

Usage: hookline <command> [options]

Commands:
  validate FILE...     check automations files; print every problem as file:line:col
  simulate             dry-run automations over a recorded event stream
  translate FILE|-     turn GitHub webhook deliveries (JSONL) into standard events
  schema               print the JSON Schema of automations.yaml (or of an event)
  demo                 replay the bundled examples through simulate, as tables
  serve                run the server: custom webhooks, events API, GitHub App (npm start)
  db                   database change sources: install, status, uninstall the capture; invoke a row
  setup github-app     create the GitHub App through GitHub's manifest flow; write its credentials

Run 'hookline <command> --help' for a command's options. Exit codes: 0 ok, 1 invalid input, 2 bad usage.`,

  validate: `Usage: hookline validate FILE... [--format text|json] [--strict]

Checks each automations file: YAML syntax, schema, durations, templates, notifier names, patterns that let
everything through, automations that would trigger on their own actions, triggers that can never fire (an
unknown github.*/hookline.* event name, a state in the wrong case, a github.* label no event carries; see
docs/validate.md). Problems go to stderr as
'file:line:col: error|warning: message (hint)'; a summary of what each automation reacts to goes to stdout.
--format json prints {"file", "automations": [...], "problems": [...]} per file on stdout instead.
--strict makes the never-fires warnings (HOOKLINE_TRIGGER_NEVER_FIRES_*) errors.

Exit 0 when no file has an error (warnings allowed), 1 when any has, 2 on bad usage or an unreadable file.`,

  simulate: `Usage: hookline simulate --automations FILE --events FILE.jsonl|- [--until ISO] [--format json|table]

Replays events through the automations without executing anything. Each input line is a standard event, in
processing order, or {"tick": "ISO"} to advance the clock. Before each event, deadlines at or before its
'occurred' fire; --until advances the clock at the end. Firings feed back in as hookline.automation.* events,
so chained automations can be tried.

--format json (default) prints one JSON object per line, in the order things happen, and nothing else:
  {"kind":"firing","automation":NAME,"state":"Triggered"|"Resolved","at":ISO,"triggering_event":ID|null,"labels":{...}}
  {"kind":"action","automation":NAME,"index":N,"type":TYPE,"dry_run":true,"request":{...rendered...}}
  (an action whose template fails to render has "request":null and an "error")
--format table prints a readable table of what fired, when and why.

Exit 0 on success, 1 when the automations file or an event line is invalid (errors on stderr as
file:line:col: message / file:line: message), 2 on bad usage (unknown flag, unreadable file).`,

  translate: `Usage: hookline translate FILE.jsonl|- [--events-only]

Each input line is {"name": X-GitHub-Event, "delivery": X-GitHub-Delivery (optional), "payload": {...}}
(optionally "received": ISO, used when the payload has no time of its own).
Each output line is {"index": N, "events": [...]} or {"index": N, "skipped": "reason"}, in input order;
N is the 0-based line number. With --events-only, each event on a line of its own (skipped lines are left
out), ready to pipe into 'hookline simulate --events -'.

Exit 0 when every line was read (even if some were skipped), 1 when a line is not valid JSON (reported on
stderr as file:line: message), 2 on bad usage.`,

  schema: `Usage: hookline schema [--event | --reference | --database]

Prints the JSON Schema of automations.yaml (the file committed as schema/automations.schema.json); with
--event the JSON Schema of a standard event; with --database that of database.yaml (schema/database.schema.json);
with --reference the automations part of docs/configuration.md (Markdown).`,

  demo: `Usage: hookline demo [DIR]

Replays every example in DIR (default: the bundled examples/) through 'simulate --format table': each
example folder holds automations.yaml and events.jsonl.`,

  serve: `Usage: hookline serve [--port N] [--host H] [--config-dir DIR] [--data-dir DIR]

Runs the server in the foreground: custom webhooks (POST /hooks/<slug>), the events API (/api/events,
/api/automations), GitHub App webhooks (/api/github/webhooks), /healthz, /readyz, /metrics. Logs are JSON
lines on stdout. Flags win over the environment:
  --port N          PORT (default 8080; 0 picks a free port)
  --host H          HOST (default 127.0.0.1; 0.0.0.0 listens on every interface)
  --config-dir DIR  HOOKLINE_CONFIG_DIR: webhooks.yaml, automations.yaml, database.yaml (default: the bundled
                    examples/webhooks, the mainframe pipeline example)
  --data-dir DIR    HOOKLINE_DATA_DIR: the embedded database (default .hookline/data); ignored when
                    DATABASE_URL=postgres://... is set
Other settings: HOOKLINE_API_TOKEN (bearer token for /api; unset: this machine only), APP_ID, PRIVATE_KEY
(or PRIVATE_KEY_PATH), WEBHOOK_SECRET (the GitHub App: all three or none; unset, the server reads
github-app.env beside the data folder, HOOKLINE_GITHUB_APP_FILE, or offers the setup page /setup/github-app),
GITHUB_URL, GITHUB_API_URL, HOOKLINE_PUBLIC_URL, WEBHOOK_PROXY_URL (docs/github-app.md),
HOOKLINE_GITHUB_TOKEN and HOOKLINE_GITHUB_REPOSITORY (GitHub actions of the server's own automations),
SLACK_API_URL, LOG_LEVEL, HOOKLINE_INSTANCE_ID.

SIGTERM or SIGINT stops it gracefully (in-flight requests finish, claims are released); a second signal
exits at once. Exit 2 on bad settings or configuration files (problems printed as file:line:col: message).`,

  setup: `Usage: hookline setup github-app [--webhook-url URL] [--org ORG] [--github-url URL] [--name NAME]
                                  [--port N] [--data-dir DIR]

Creates the server's GitHub App through GitHub's App manifest flow (docs/github-app.md): serves a page on
127.0.0.1, prints its URL (open it in a browser on this machine), waits for GitHub to send the browser back,
then writes the App's id, private key and webhook secret to github-app.env beside the data folder (mode 0600;
HOOKLINE_GITHUB_APP_FILE to choose), where 'hookline serve' reads them, and prints where to install the App.
  --webhook-url URL  where GitHub delivers webhooks: https://YOUR-HOST/api/github/webhooks, or a webhook proxy
                     channel (default: WEBHOOK_PROXY_URL, else HOOKLINE_PUBLIC_URL + /api/github/webhooks)
  --org ORG          register the App in an organisation (default: your account)
  --github-url URL   GITHUB_URL (default https://github.com; GitHub Enterprise Server: https://HOST, and the API
                     at GITHUB_API_URL, default https://HOST/api/v3)
  --name NAME        the App's proposed name (default hookline; GitHub lets you change it before creating)
  --port N           the local page's port (default 0: a free one)
  --data-dir DIR     HOOKLINE_DATA_DIR (default .hookline/data: the file is .hookline/github-app.env)

Exit 0 once the App is created, 2 on bad usage or settings (HOOKLINE_* code and the fix on stderr).`,

  db: `Usage: hookline db install|status|uninstall|invoke --source NAME [--config-dir DIR]

Database change sources (database.yaml in the server's configuration folder, docs/database.md). Each command
connects to the source with the postgres:// URL in the variable its url_env names (a source without url_env
is hookline's own database: DATABASE_URL) and prints JSON.
  install     create or upgrade the capture schema and the triggers of every configured table, in one
              transaction (idempotent: an unchanged table is not touched); tables no longer configured stop
              being captured
  status      the capture's version, each table's triggers and drift from the config, the backlog of
              undelivered changes and the oldest; without --source: every source
  uninstall   remove the triggers and the capture schema; refused while changes wait for delivery (--force
              drops them)
  invoke      log the current row as a MANUAL change (tables with 'manual' in operations):
              --table NAME [--schema S] --key COLUMN=VALUE (once per primary key column)
--config-dir DIR  HOOKLINE_CONFIG_DIR

Exit 0 on success, 1 on an invalid database.yaml or a database error (HOOKLINE_DB_* code and the fix on
stderr), 2 on bad usage.`,
};
