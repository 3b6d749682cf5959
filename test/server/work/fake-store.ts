/**
 * An in-memory ServerStore with the SQL store's semantics (src/store/server-types.ts), for the workers' unit
 * tests: idempotent ingest with pending rows per scope, a scope lock held across an await (so two worker sets
 * really race), outbox rows with expiring claims, pauses with `until`. Everything crosses the boundary as JSON
 * (as it would through SQL), so a worker that leaks references or non-JSON values fails here too.
 */
import { withOrigin } from "../../../src/events/origin.js";
import type { Firing } from "../../../src/engine/types.js";
import type {
  EvaluationResult,
  EventQuery,
  IngestItem,
  IngestResult,
  OutboxRow,
  OutboxStats,
  PauseRecord,
  RepositoryRecord,
  ScopeWork,
  ServerStore,
  StoredEvent,
} from "../../../src/store/server-types.js";
import type { EngineState } from "../../../src/engine/types.js";
import { compilePattern } from "../../../src/events/glob.js";

const json = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

interface Outbox {
  row: OutboxRow;
  nextAttemptAt: number;
  claimedBy: string | null;
  claimUntil: number | null;
  result: unknown;
}
interface ScopeRow {
  state: EngineState | null;
  configVersion: string | null;
  nextDeadline: number | null;
}

export interface FakeStore extends ServerStore {
  /** the events stored, in storage order */
  readonly events: StoredEvent[];
  /** pending (scope, event id) rows */
  readonly pending: Array<{ seq: number; scope: string; id: string }>;
  outboxRows(): Array<OutboxRow & { nextAttemptAt: number; claimedBy: string | null; claimUntil: number | null; result: unknown }>;
  /** makes the next `n` calls of `method` reject (store outage) */
  failNext(method: keyof ServerStore, n?: number): void;
}

export function createFakeStore(opts: { clock?: () => number } = {}): FakeStore {
  const received = opts.clock ?? (() => 0);
  const events: StoredEvent[] = [];
  const byId = new Map<string, StoredEvent>();
  const pending: Array<{ seq: number; scope: string; id: string }> = [];
  const scopes = new Map<string, ScopeRow>();
  const locked = new Set<string>();
  const outbox = new Map<string, Outbox>();
  const firings: Array<{ scope: string; firing: Firing }> = [];
  const pauses = new Map<string, PauseRecord>();
  const threads = new Map<string, { channel: string; ts: string }>();
  const repos = new Map<string, RepositoryRecord>();
  const failures = new Map<string, number>();
  let seq = 0;

  const fail = (method: string): void => {
    const n = failures.get(method) ?? 0;
    if (n > 0) {
      failures.set(method, n - 1);
      throw Object.assign(new Error(`fake store: ${method} is down`), { code: "FAKE_STORE_DOWN" });
    }
  };
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

  function ingestNow(items: IngestItem[]): IngestResult {
    const out: IngestResult = { inserted: [], duplicates: [] };
    for (const item of json(items)) {
      if (byId.has(item.event.id)) {
        out.duplicates.push(item.event.id);
        continue;
      }
      // as the SQL store does: the origin is the store's to record
      const stored: StoredEvent = { seq: String(++seq), received: received(), event: withOrigin(item.event, item.origin) };
      events.push(stored);
      byId.set(item.event.id, stored);
      for (const scope of new Set(item.scopes)) pending.push({ seq, scope, id: item.event.id });
      out.inserted.push(item.event.id);
    }
    return out;
  }
  const activePauses = (scope: string, now: number) =>
    [...pauses.values()].filter((p) => p.scope === scope && p.paused && (p.until === null || p.until > now));
  const hasWork = (scope: string, now: number) => {
    const d = scopes.get(scope)?.nextDeadline;
    return pending.some((p) => p.scope === scope) || (d !== null && d !== undefined && d <= now);
  };
  const claimedBy = (id: string, instance: string) => {
    const o = outbox.get(id);
    return o && o.row.status === "pending" && o.claimedBy === instance ? o : null;
  };

  const store: FakeStore = {
    events,
    pending,
    outboxRows: () =>
      [...outbox.values()].map((o) =>
        json({ ...o.row, nextAttemptAt: o.nextAttemptAt, claimedBy: o.claimedBy, claimUntil: o.claimUntil, result: o.result }),
      ),
    failNext(method, n = 1) {
      failures.set(method, n);
    },

    async ingest(items) {
      fail("ingest");
      return ingestNow(items);
    },
    async scopesWithWork(now, limit) {
      fail("scopesWithWork");
      const first = new Map<string, number>();
      for (const p of pending) if (!first.has(p.scope)) first.set(p.scope, p.seq);
      const due = [...scopes].filter(([s, r]) => !first.has(s) && r.nextDeadline !== null && r.nextDeadline <= now).map(([s]) => s);
      return [...first.keys(), ...due].slice(0, limit);
    },
    async evaluateScope(scope, now, limit, evaluate: (work: ScopeWork) => EvaluationResult) {
      fail("evaluateScope");
      if (locked.has(scope) || !hasWork(scope, now)) return false;
      locked.add(scope);
      try {
        await tick(); // the transaction is open: another instance may try the same scope meanwhile
        const row = scopes.get(scope) ?? { state: null, configVersion: null, nextDeadline: null };
        const handed = pending.filter((p) => p.scope === scope).slice(0, limit);
        const work: ScopeWork = json({
          scope,
          state: row.state,
          configVersion: row.configVersion,
          paused: activePauses(scope, now).map((p) => p.automation),
          events: handed.map((p) => byId.get(p.id)!.event),
        });
        const result = json(evaluate(work));
        await tick();
        scopes.set(scope, { state: result.state, configVersion: result.configVersion, nextDeadline: result.nextDeadline });
        for (const firing of result.firings) firings.push({ scope, firing });
        for (const item of result.outbox) {
          if (outbox.has(item.id)) continue;
          outbox.set(item.id, {
            row: { ...item, attempts: 0, status: "pending", createdAt: now, lastError: null },
            nextAttemptAt: now,
            claimedBy: null,
            claimUntil: null,
            result: null,
          });
        }
        ingestNow(result.events);
        for (const h of handed) pending.splice(pending.indexOf(h), 1);
        return true;
      } finally {
        locked.delete(scope);
      }
    },

    async claimActions(instance, now, limit, lockMs) {
      fail("claimActions");
      const due = [...outbox.values()]
        .filter((o) => o.row.status === "pending" && o.nextAttemptAt <= now && (o.claimUntil === null || o.claimUntil <= now))
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.row.createdAt - b.row.createdAt)
        .slice(0, limit);
      for (const o of due) {
        o.claimedBy = instance;
        o.claimUntil = now + lockMs;
      }
      return json(due.map((o) => o.row));
    },
    async completeAction(id, instance, _now, result, evs) {
      fail("completeAction");
      const o = claimedBy(id, instance);
      if (!o) return false;
      Object.assign(o, { claimedBy: null, claimUntil: null, result: json(result) });
      o.row.status = "done"; // attempts counts failed attempts only (as the SQL store)
      ingestNow(evs);
      return true;
    },
    async retryAction(id, instance, retryAt, error) {
      fail("retryAction");
      const o = claimedBy(id, instance);
      if (!o) return false;
      Object.assign(o, { claimedBy: null, claimUntil: null, nextAttemptAt: retryAt });
      o.row.attempts++;
      o.row.lastError = json(error);
      return true;
    },
    async deadLetterAction(id, instance, _now, error, evs) {
      fail("deadLetterAction");
      const o = claimedBy(id, instance);
      if (!o) return false;
      Object.assign(o, { claimedBy: null, claimUntil: null });
      o.row.status = "dead";
      o.row.attempts++;
      o.row.lastError = json(error);
      ingestNow(evs);
      return true;
    },
    async releaseClaims(instance) {
      fail("releaseClaims");
      let n = 0;
      for (const o of outbox.values()) {
        if (o.claimedBy !== instance || o.row.status !== "pending") continue;
        Object.assign(o, { claimedBy: null, claimUntil: null });
        n++;
      }
      return n;
    },
    async outboxStats(): Promise<OutboxStats> {
      const rows = [...outbox.values()].map((o) => o.row);
      const open = rows.filter((r) => r.status === "pending");
      return {
        pending: open.length,
        oldestPendingCreatedAt: open.length ? Math.min(...open.map((r) => r.createdAt)) : null,
        dead: rows.filter((r) => r.status === "dead").length,
        done: rows.filter((r) => r.status === "done").length,
      };
    },
    /** events only (the fake keeps no times on firings and outbox rows) */
    async prune(before, limit) {
      const pendingIds = new Set(pending.map((p) => p.id));
      let n = 0;
      for (let i = 0; i < events.length && n < limit;) {
        const e = events[i]!;
        if (e.received < before && !pendingIds.has(e.event.id)) {
          events.splice(i, 1);
          n++;
        } else i++;
      }
      return { events: n, firings: 0, outbox: 0 };
    },
    async getOutbox(id) {
      const o = outbox.get(id);
      return o ? json(o.row) : null;
    },

    async setPause(record, event) {
      fail("setPause");
      pauses.set(`${record.scope}\n${record.automation}`, json(record));
      ingestNow([event]);
    },
    async listPauses(scope, now) {
      return json(activePauses(scope, now));
    },

    async listEvents(q: EventQuery) {
      const re = q.name ? compilePattern(q.name) : null;
      const after = q.after ? Number(q.after) : 0;
      const list = events.filter(
        (e) =>
          Number(e.seq) > after &&
          (!re || re.test(e.event.event)) &&
          (!q.resource || e.event.resource["prefect.resource.id"] === q.resource) &&
          (q.since === undefined || Date.parse(e.event.occurred) >= q.since) &&
          (q.until === undefined || Date.parse(e.event.occurred) < q.until),
      );
      const page = list.slice(0, q.limit);
      return { events: json(page), next: list.length > q.limit ? page[page.length - 1]!.seq : null };
    },
    async replayPage(after: string | null, limit: number) {
      const page = events.filter((e) => after === null || Number(e.seq) > Number(after)).slice(0, limit);
      return { json: JSON.stringify(page.map((e) => e.event)), count: page.length, last: page.at(-1)?.seq ?? null };
    },
    async listFirings(scope, automation, limit) {
      return json(
        firings
          .filter((f) => f.scope === scope && (automation === null || f.firing.automation === automation))
          .map((f) => f.firing)
          .reverse()
          .slice(0, limit),
      );
    },
    async scopeState(scope) {
      const row = scopes.get(scope);
      return row ? json(row) : null;
    },
    async listScopes() {
      return [...scopes.keys()].sort();
    },
    async getThread(scope, key) {
      return json(threads.get(`${scope}\n${key}`) ?? null);
    },
    async setThread(scope, key, thread) {
      threads.set(`${scope}\n${key}`, json(thread));
    },
    async upsertRepository(record) {
      repos.set(record.fullName, json(record));
    },
    async getRepository(fullName) {
      return json(repos.get(fullName) ?? null);
    },
    async close() {},
  };
  return store;
}
