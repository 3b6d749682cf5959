/**
 * Prometheus metrics (issue 4 item 7) on a registry of this server (several servers can live in one test
 * process): ingest by source, evaluation latency, outbox depth and oldest age (read from the store at scrape
 * time), action outcomes (retries, dead letters), HTTP requests, the backlog of database change sources and
 * its age (sampled by their readers), and Node's default process metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { OutboxStats } from "../../src/store/server-types.js";
import type { WorkEvent } from "./work/types.js";

export interface ServerMetrics {
  registry: Registry;
  ingested(source: string, inserted: number, duplicates: number): void;
  observe(e: WorkEvent): void;
  http(route: string, method: string, status: number, seconds: number): void;
  /** a database source's undelivered changes (count, epoch ms of the oldest or null), sampled by its reader */
  databaseBacklog(source: string, backlog: number, oldest: number | null): void;
}

const scopeKind = (scope: string) => (scope === "server" ? "server" : scope.startsWith("repo:") ? "repo" : "other");

export function createMetrics(outboxStats: () => Promise<OutboxStats | null>, now: () => number = Date.now): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const ingest = new Counter({
    name: "hookline_events_ingested_total",
    help: "Events received, by source (hooks, api, github) and result (inserted, duplicate)",
    labelNames: ["source", "result"] as const,
    registers: [registry],
  });
  const evaluation = new Histogram({
    name: "hookline_evaluation_duration_seconds",
    help: "Time to evaluate one batch of a scope's pending events (transaction included)",
    labelNames: ["scope_kind"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const evaluatedEvents = new Counter({
    name: "hookline_evaluated_events_total",
    help: "Events evaluated, by scope kind",
    labelNames: ["scope_kind"] as const,
    registers: [registry],
  });
  const firings = new Counter({
    name: "hookline_firings_total",
    help: "Automation firings, by scope kind",
    labelNames: ["scope_kind"] as const,
    registers: [registry],
  });
  const actions = new Counter({
    name: "hookline_action_attempts_total",
    help: "Action attempts by type and outcome (executed, retry, dead, lost)",
    labelNames: ["type", "outcome"] as const,
    registers: [registry],
  });
  const retries = new Counter({
    name: "hookline_action_retries_total",
    help: "Action attempts that failed and were scheduled again",
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: "hookline_action_dead_letters_total",
    help: "Actions given up (hookline.action.failed)",
    registers: [registry],
  });
  const actionSeconds = new Histogram({
    name: "hookline_action_duration_seconds",
    help: "Time of one action attempt",
    labelNames: ["type"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const requests = new Counter({
    name: "hookline_http_requests_total",
    help: "HTTP requests by route, method and status",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const requestSeconds = new Histogram({
    name: "hookline_http_request_duration_seconds",
    help: "HTTP request latency by route",
    labelNames: ["route"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [registry],
  });

  const dbBacklog = new Gauge({
    name: "hookline_database_backlog",
    help: "Captured database changes not yet stored as events, by source (sampled every few seconds)",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  const dbOldest = new Gauge({
    name: "hookline_database_backlog_oldest_age_seconds",
    help: "Age of the oldest captured database change not yet stored as an event, by source (0 when none)",
    labelNames: ["source"] as const,
    registers: [registry],
  });

  // the three outbox gauges share one store query per scrape
  let pendingScrape: Promise<OutboxStats | null> | null = null;
  const stats = () => {
    pendingScrape ??= outboxStats()
      .catch(() => null)
      .finally(() => setTimeout(() => (pendingScrape = null), 0));
    return pendingScrape;
  };
  new Gauge({
    name: "hookline_outbox_pending",
    help: "Actions waiting in the outbox (due or scheduled for retry)",
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s) this.set(s.pending);
    },
  });
  new Gauge({
    name: "hookline_outbox_oldest_pending_age_seconds",
    help: "Age of the oldest pending action (0 when none)",
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s) this.set(s.oldestPendingCreatedAt === null ? 0 : Math.max(0, (now() - s.oldestPendingCreatedAt) / 1000));
    },
  });
  new Gauge({
    name: "hookline_outbox_dead",
    help: "Dead-lettered actions kept in the outbox",
    registers: [registry],
    async collect() {
      const s = await stats();
      if (s) this.set(s.dead);
    },
  });

  return {
    registry,
    ingested(source, inserted, duplicates) {
      if (inserted) ingest.inc({ source, result: "inserted" }, inserted);
      if (duplicates) ingest.inc({ source, result: "duplicate" }, duplicates);
    },
    observe(e) {
      if (e.type === "evaluated") {
        const kind = scopeKind(e.scope);
        evaluation.observe({ scope_kind: kind }, e.ms / 1000);
        if (e.events) evaluatedEvents.inc({ scope_kind: kind }, e.events);
        if (e.firings) firings.inc({ scope_kind: kind }, e.firings);
        return;
      }
      actions.inc({ type: e.actionType, outcome: e.status });
      actionSeconds.observe({ type: e.actionType }, e.ms / 1000);
      if (e.status === "retry") retries.inc();
      if (e.status === "dead") deadLetters.inc();
    },
    databaseBacklog(source, backlog, oldest) {
      dbBacklog.set({ source }, backlog);
      dbOldest.set({ source }, oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
    http(route, method, status, seconds) {
      requests.inc({ route, method, status: String(status) });
      requestSeconds.observe({ route }, seconds);
    },
  };
}
