/** Scopes are walls for what-if replays too (src/scopes/replay-scope.ts, docs/security.md "Routing"). */
import { describe, expect, it } from "vitest";
import { originResource, type Origin } from "../../src/events/origin.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { NO_ROUTES, replayTakes, type ReplayRoutes } from "../../src/scopes/replay-scope.js";

const ev = (name: string, origin?: Origin, payload: Record<string, unknown> = {}): HooklineEvent => ({
  id: "00000000-0000-4000-8000-000000000001",
  occurred: "2026-01-01T00:00:00.000Z",
  event: name,
  resource: { "prefect.resource.id": "x" },
  related: origin ? [originResource(origin)] : [],
  payload,
  follows: null,
});

const routes: ReplayRoutes = {
  webhooks: new Map([["orders", ["server", "repo:acme/shop"]]]),
  databases: new Map([["shop", { scopes: ["repo:acme/shop"], tables: [{ schema: "public", table: "secret", scopes: ["server"] }] }]]),
};
const takers = (e: HooklineEvent) => ["server", "repo:acme/api", "repo:acme/shop"].filter((s) => replayTakes(s, e, routes));

describe("a replay takes the events its scope evaluated, by their origin", () => {
  it("a GitHub delivery: the server and its repository, no other repository", () => {
    expect(takers(ev("github.push", { kind: "github", name: "acme/api" }))).toEqual(["server", "repo:acme/api"]);
  });
  it("what a repository's automations or repository_dispatch produced: that repository only, never the server", () => {
    expect(takers(ev("acme.deployed", { kind: "repo", name: "acme/api" }))).toEqual(["repo:acme/api"]);
  });
  it("the events API and the server's own: the server only", () => {
    expect(takers(ev("acme.x", { kind: "api", name: "default" }))).toEqual(["server"]);
    expect(takers(ev("acme.x", { kind: "server", name: "" }))).toEqual(["server"]);
    expect(takers(ev("acme.x"))).toEqual(["server"]);
  });
  it("a custom webhook or a database table: the scopes configured for it; an unknown one: none", () => {
    expect(takers(ev("acme.order", { kind: "webhook", name: "orders" }))).toEqual(["server", "repo:acme/shop"]);
    expect(takers(ev("acme.order", { kind: "webhook", name: "gone" }))).toEqual([]);
    expect(
      takers(ev("postgres.public.orders.insert", { kind: "database", name: "shop" }, { table: { schema: "public", name: "orders" } })),
    ).toEqual(["repo:acme/shop"]);
    expect(
      takers(ev("postgres.public.secret.insert", { kind: "database", name: "shop" }, { table: { schema: "public", name: "secret" } })),
    ).toEqual(["server"]);
    expect(replayTakes("server", ev("a", { kind: "webhook", name: "orders" }), NO_ROUTES)).toBe(false);
  });
  it("Slack events and what a replay makes itself (firings, actions, pauses) are never taken from history", () => {
    expect(takers(ev("hookline.automation.paused", { kind: "slack", name: "U1" }))).toEqual([]);
    for (const name of [
      "hookline.automation.triggered",
      "hookline.automation.resolved",
      "hookline.action.failed",
      "hookline.automation.resumed",
    ])
      expect(takers(ev(name, { kind: "server", name: "" }))).toEqual([]);
  });
});
