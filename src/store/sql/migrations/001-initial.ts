/**
 * The initial schema. JSON columns holding events are `json`, not `jsonb`: `json` keeps the text exactly as
 * sent and accepts every valid JSON string (`jsonb` rejects `\u0000` and lone surrogates, so one hostile
 * payload would fail a whole ingest batch or jam a scope's evaluation forever); nothing queries inside them.
 */
import type { Migration } from "./types.js";

/** Every event once, in storage order. `seq` is the feed's keyset cursor and the evaluation order. */
const CREATE_EVENTS = `
CREATE TABLE events (
  seq         bigserial   NOT NULL,
  id          text        NOT NULL,
  name        text        NOT NULL,
  occurred    timestamptz NOT NULL,
  resource_id text        NOT NULL,
  received    timestamptz NOT NULL,
  body        json        NOT NULL,
  CONSTRAINT events_pkey PRIMARY KEY (seq),
  CONSTRAINT events_id_key UNIQUE (id)
)`;

/** name = X and name LIKE 'prefix%' (text_pattern_ops: whatever the database collation), then by seq */
const INDEX_EVENTS_NAME = `CREATE INDEX events_name_seq_idx ON events (name text_pattern_ops, seq)`;
const INDEX_EVENTS_RESOURCE = `CREATE INDEX events_resource_seq_idx ON events (resource_id, seq)`;
const INDEX_EVENTS_OCCURRED = `CREATE INDEX events_occurred_idx ON events (occurred)`;

/**
 * One row per engine (scope): its saved state and its next deadline. Evaluation locks this row
 * (FOR NO KEY UPDATE SKIP LOCKED), which serialises evaluations of a scope across instances.
 */
const CREATE_SCOPES = `
CREATE TABLE scopes (
  key            text        NOT NULL,
  state          json,
  config_version text,
  next_deadline  timestamptz,
  updated        timestamptz NOT NULL,
  CONSTRAINT scopes_pkey PRIMARY KEY (key)
)`;

/** the ticker's question: which scopes have a deadline that is due */
const INDEX_SCOPES_DEADLINE = `CREATE INDEX scopes_next_deadline_idx ON scopes (next_deadline) WHERE next_deadline IS NOT NULL`;

/** Events a scope has not evaluated yet. Deleted by the evaluation that consumed them. */
const CREATE_PENDING = `
CREATE TABLE pending (
  scope    text   NOT NULL,
  event_id text   NOT NULL,
  seq      bigint NOT NULL,
  CONSTRAINT pending_pkey PRIMARY KEY (scope, event_id),
  CONSTRAINT pending_scope_fkey FOREIGN KEY (scope) REFERENCES scopes (key),
  CONSTRAINT pending_event_fkey FOREIGN KEY (event_id) REFERENCES events (id)
)`;

/** a scope's pending events in storage order */
const INDEX_PENDING_SCOPE_SEQ = `CREATE INDEX pending_scope_seq_idx ON pending (scope, seq)`;

/** Firings of every scope (history for the API); `seq` breaks ties between firings at the same time. */
const CREATE_FIRINGS = `
CREATE TABLE firings (
  scope      text        NOT NULL,
  id         text        NOT NULL,
  seq        bigserial   NOT NULL,
  automation text        NOT NULL,
  state      text        NOT NULL,
  at         timestamptz NOT NULL,
  recorded   timestamptz NOT NULL,
  body       json        NOT NULL,
  CONSTRAINT firings_pkey PRIMARY KEY (scope, id)
)`;

const INDEX_FIRINGS_AUTOMATION = `CREATE INDEX firings_scope_automation_at_idx ON firings (scope, automation, at, seq)`;
const INDEX_FIRINGS_SCOPE = `CREATE INDEX firings_scope_at_idx ON firings (scope, at, seq)`;

/**
 * The action outbox. A claim is (locked_by, locked_until): an instance name and an expiry time, never a flag,
 * so the claims of a crashed instance run out and others take the rows over.
 */
const CREATE_OUTBOX = `
CREATE TABLE outbox (
  id              text        NOT NULL,
  scope           text        NOT NULL,
  payload         json        NOT NULL,
  status          text        NOT NULL DEFAULT 'pending',
  attempts        integer     NOT NULL DEFAULT 0,
  max_attempts    integer     NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  locked_by       text,
  locked_until    timestamptz,
  last_error      json,
  result          json,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL,
  CONSTRAINT outbox_pkey PRIMARY KEY (id),
  CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'done', 'dead')),
  CONSTRAINT outbox_attempts_check CHECK (attempts >= 0 AND max_attempts >= 1)
)`;

/** due rows: only pending rows are ever claimed, and done rows pile up, so the index holds pending ones only */
const INDEX_OUTBOX_DUE = `CREATE INDEX outbox_due_idx ON outbox (next_attempt_at) WHERE status = 'pending'`;
/** releaseClaims(instance) on shutdown */
const INDEX_OUTBOX_LOCKED_BY = `CREATE INDEX outbox_locked_by_idx ON outbox (locked_by) WHERE locked_by IS NOT NULL`;

/** Run-time pause flags per automation. `paused_until` NULL: until resumed. */
const CREATE_PAUSES = `
CREATE TABLE pauses (
  scope        text        NOT NULL,
  automation   text        NOT NULL,
  paused       boolean     NOT NULL,
  paused_until timestamptz,
  changed_by   text        NOT NULL,
  changed_at   timestamptz NOT NULL,
  CONSTRAINT pauses_pkey PRIMARY KEY (scope, automation)
)`;

/** The Slack message (thread) of a (scope, key), so later notifications update it. */
const CREATE_THREADS = `
CREATE TABLE threads (
  scope   text        NOT NULL,
  key     text        NOT NULL,
  channel text        NOT NULL,
  ts      text        NOT NULL,
  updated timestamptz NOT NULL,
  CONSTRAINT threads_pkey PRIMARY KEY (scope, key)
)`;

/** The GitHub App's repositories and the automations file last loaded for each. */
const CREATE_REPOSITORIES = `
CREATE TABLE repositories (
  full_name       text        NOT NULL,
  installation_id bigint      NOT NULL,
  default_branch  text,
  config_sha      text,
  config_text     text,
  config_path     text,
  updated_at      timestamptz NOT NULL,
  CONSTRAINT repositories_pkey PRIMARY KEY (full_name)
)`;

export const migration001: Migration = {
  id: 1,
  name: "initial",
  statements: [
    CREATE_EVENTS,
    INDEX_EVENTS_NAME,
    INDEX_EVENTS_RESOURCE,
    INDEX_EVENTS_OCCURRED,
    CREATE_SCOPES,
    INDEX_SCOPES_DEADLINE,
    CREATE_PENDING,
    INDEX_PENDING_SCOPE_SEQ,
    CREATE_FIRINGS,
    INDEX_FIRINGS_AUTOMATION,
    INDEX_FIRINGS_SCOPE,
    CREATE_OUTBOX,
    INDEX_OUTBOX_DUE,
    INDEX_OUTBOX_LOCKED_BY,
    CREATE_PAUSES,
    CREATE_THREADS,
    CREATE_REPOSITORIES,
  ],
};
