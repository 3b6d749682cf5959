/**
 * Test databases: PGlite in memory always; PostgreSQL when HOOKLINE_TEST_DATABASE_URL is set, each opened
 * database in a fresh schema of its own (dropped on cleanup), so runs never see each other's rows.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Firing } from "../../../src/engine/types.js";
import type { HooklineEvent } from "../../../src/events/event-schema.js";
import { withOrigin, type Origin } from "../../../src/events/origin.js";
import { uuidv5 } from "../../../src/events/uuid.js";
import type { EvaluationResult, IngestItem, OutboxItem, ScopeWork, ServerStore } from "../../../src/store/server-types.js";
import { createSqlStore, migrate, type Db } from "../../../src/store/sql/index.js";
import { openPglite, openPostgres } from "../../../src/adapters/index.js";

export const PG_URL = process.env.HOOKLINE_TEST_DATABASE_URL;

export interface TestDb {
  db: Db;
  /** another pool on the same database and schema (PostgreSQL only: a second "instance") */
  another(): Promise<Db>;
  cleanup(): Promise<void>;
}

export interface DbFactory {
  name: "pglite" | "postgres";
  available: boolean;
  open(options?: { migrate?: boolean }): Promise<TestDb>;
}

function withSearchPath(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

const pglite: DbFactory = {
  name: "pglite",
  available: true,
  async open(options = {}) {
    const db = await openPglite(undefined);
    if (options.migrate !== false) await migrate(db);
    return {
      db,
      another: async () => {
        throw new Error("PGlite has one connection");
      },
      cleanup: () => db.close(),
    };
  },
};

const postgres: DbFactory = {
  name: "postgres",
  available: !!PG_URL,
  async open(options = {}) {
    const schema = `hookline_test_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = await openPostgres(PG_URL!, { max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = withSearchPath(PG_URL!, schema);
    const opened: Db[] = [];
    const open = async () => {
      const db = await openPostgres(url, { max: 4 });
      opened.push(db);
      return db;
    };
    const db = await open();
    if (options.migrate !== false) await migrate(db);
    return {
      db,
      another: open,
      async cleanup() {
        for (const d of opened) await d.close().catch(() => {});
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.close();
      },
    };
  },
};

export const FACTORIES: DbFactory[] = [pglite, postgres];

/** describe title suffix saying why a PostgreSQL block is skipped */
export function label(f: DbFactory): string {
  return f.available ? f.name : `${f.name} (skipped: HOOKLINE_TEST_DATABASE_URL is not set)`;
}

export function schemaOf(url: string): string {
  return new URL(url).searchParams.get("options") ?? "";
}

export async function openStore(f: DbFactory) {
  const t = await f.open();
  return { ...t, store: createSqlStore(t.db) };
}

/**
 * Inside a describe: opens a store on `f` before its tests and hands it to `use`, empties every table before each
 * test, and closes (PostgreSQL: drops the schema) after the last.
 */
export function useStore(f: DbFactory, use: (opened: TestDb & { store: ServerStore }) => void): void {
  let opened: (TestDb & { store: ServerStore }) | undefined;
  beforeAll(async () => {
    opened = await openStore(f);
    use(opened);
  });
  afterAll(() => opened?.cleanup());
  beforeEach(() => reset(opened!.db));
}

/** empties every table (PGlite takes seconds to start on a busy machine: one database per file, reset per test) */
export async function reset(db: Db): Promise<void> {
  await db.query(
    `TRUNCATE events, event_related, pending, scopes, firings, outbox, pauses, threads, repositories RESTART IDENTITY CASCADE`,
  );
}

/** the ids of the events queued for `scope`, in queue (storage) order */
export async function queuedIds(db: Db, scope: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT e.id FROM pending p JOIN events e ON e.seq = p.seq WHERE p.scope = $1 ORDER BY p.seq`,
    [scope],
  );
  return rows.map((r) => r.id);
}

export const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

/** the origin the tests' events come from */
export const TEST_ORIGIN: Origin = { kind: "api", name: "test" };

/** a test event, carrying the tests' origin already (the store records it on every event: it reads back equal) */
export function ev(key: string | number, name = "test.thing.happened", extra: Partial<HooklineEvent> = {}): HooklineEvent {
  return withOrigin(
    {
      id: uuidv5(`sql-store-test-${key}`),
      occurred: new Date(T0 + (typeof key === "number" ? key * 1000 : 0)).toISOString(),
      event: name,
      resource: { "prefect.resource.id": `test.resource.${key}` },
      related: [],
      payload: { key },
      follows: null,
      ...extra,
    },
    TEST_ORIGIN,
  );
}

/** an item whose event already carries its origin, as stored (so a test compares what it sent with what it reads) */
export const item = (event: HooklineEvent, scopes: string[] = ["server"]): IngestItem => ({
  event: withOrigin(event, TEST_ORIGIN),
  scopes,
  origin: TEST_ORIGIN,
});

export function firing(id: string, automation = "auto", at = new Date(T0).toISOString()): Firing {
  return { id, automation, state: "Triggered", at, triggering_event: null, labels: {}, child_firings: [], events: [] };
}

export function outboxItem(id: string, scope = "server", maxAttempts = 3): OutboxItem {
  const f = firing(`f-${id}`);
  return {
    id,
    scope,
    maxAttempts,
    invocation: {
      firing: f,
      automation: { name: "auto" } as OutboxItem["invocation"]["automation"],
      index: 0,
      action: { type: "do-nothing" } as OutboxItem["invocation"]["action"],
      idempotencyKey: id,
    },
  };
}

/** an evaluation result that only consumes the events (state counts them) */
export function consume(work: ScopeWork, extra: Partial<EvaluationResult> = {}): EvaluationResult {
  const seen = ((work.state?.seen as number | undefined) ?? 0) + work.events.length;
  return { state: { version: 1, seen }, configVersion: "v1", nextDeadline: null, firings: [], outbox: [], events: [], ...extra };
}

export async function errorOf(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error("expected a rejection");
}
