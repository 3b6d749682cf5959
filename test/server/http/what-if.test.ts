/**
 * POST /api/what-if and /api/what-if/validate (issue 16 item 5, docs/what-if.md): the replay of a scope's stored
 * events through the live and a proposed configuration gives exactly what `hookline simulate` gives on the same
 * events; it takes only the scope's events; YAML problems come back at line:col; the body and range are bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { simulateRecords } from "../../cli/run-cli.js";
import { fixtureEvents, LIVE_AUTOMATIONS, PROPOSED_AUTOMATIONS } from "../../../bench/what-if/fixture.mjs";
import { boot, type Booted, call, cleanupDirs, configDir, postEvents } from "./helpers.js";

const SINCE = Date.UTC(2026, 0, 5);
const EVENTS = fixtureEvents(300, SINCE);
const UNTIL = Date.parse(EVENTS[EVENTS.length - 1]!.occurred) + 3_600_000;
const RANGE = { since: new Date(SINCE).toISOString(), until: new Date(UNTIL).toISOString() };
const WEBHOOKS = `webhooks:
  - slug: repo-only
    auth: none
    scopes: ["repo:acme/api"]
    template: '{"event": "ci.run.failed", "occurred": "${new Date(SINCE + 60_000).toISOString()}", "resource": {"prefect.resource.id": "ci.run.x", "ci.branch": "main"}}'
`;

let s: Booted;
/** the events as the server stored them (with their origin), oldest first */
const stored: Record<string, unknown>[] = [];

beforeAll(async () => {
  s = await boot({ configDir: configDir({ automations: LIVE_AUTOMATIONS, webhooks: WEBHOOKS }) });
  await postEvents(s.url, EVENTS);
  expect((await call(`${s.url}/hooks/repo-only`, { json: {} })).status).toBe(202);
  let after: string | null = null;
  do {
    const r = await call(
      `${s.url}/api/events?limit=500&name=[cd]*${after ? `&after=${after}` : ""}`, // ci.* and deploy.*
    );
    for (const e of r.json.events as Record<string, unknown>[]) {
      const { received: _received, ...event } = e;
      stored.push(event);
    }
    after = r.json.next;
  } while (after);
}, 120_000);

afterAll(async () => {
  await s?.server.close();
  cleanupDirs();
});

function simulate(yaml: string, events: Record<string, unknown>[]) {
  const records = simulateRecords(yaml, events, RANGE.since, RANGE.until);
  return { firings: records.filter((x) => x.kind === "firing"), actions: records.filter((x) => x.kind === "action") };
}

const whatIf = (body: unknown) => call(`${s.url}/api/what-if`, { json: body });

describe("POST /api/what-if", () => {
  it("replays the scope's stored events through the live and the proposed configuration, exactly as hookline simulate does", async () => {
    const r = await whatIf({ scope: "server", ...RANGE, automations: PROPOSED_AUTOMATIONS });
    expect(r.status).toBe(200);
    expect(r.json.replayed).toBe(true);
    expect(r.json.problems).toEqual([]);
    expect(r.json.truncated).toBe(false);
    // the server scope's own events only: the fixture's 300 (not the repository-only webhook's, not the firing
    // and action events the live server stored while it evaluated them)
    expect(r.json.events).toBe(300);
    const serverEvents = stored.filter((e) => (e.related as Record<string, string>[]).some((x) => x["hookline.origin.kind"] === "api"));
    expect(serverEvents).toHaveLength(300);
    const live = simulate(LIVE_AUTOMATIONS, serverEvents);
    const proposed = simulate(PROPOSED_AUTOMATIONS, serverEvents);
    expect(r.json.live.firings).toEqual(live.firings);
    expect(r.json.live.actions).toEqual(live.actions);
    expect(r.json.proposed.firings).toEqual(proposed.firings);
    expect(r.json.proposed.actions).toEqual(proposed.actions);
    expect(live.firings.length).toBeGreaterThan(20);
    const flaky = (r.json.diff as { automation: string; live: number; proposed: number; first_differences: unknown[] }[]).find(
      (d) => d.automation === "flaky-branch",
    )!;
    expect(flaky.live).toBe(live.firings.filter((f) => f.automation === "flaky-branch" && f.state === "Triggered").length);
    expect(flaky.proposed).toBe(proposed.firings.filter((f) => f.automation === "flaky-branch" && f.state === "Triggered").length);
    expect(flaky.first_differences.length).toBeGreaterThan(0);
  });

  it("scopes are walls: a repository scope replays the events routed to it and nothing of the server's", async () => {
    const r = await whatIf({ scope: "repo:acme/api", ...RANGE, automations: PROPOSED_AUTOMATIONS });
    expect(r.status).toBe(200);
    expect(r.json.events).toBe(1);
    expect(r.json.live.firings).toEqual([]);
  });

  it("invalid YAML: the problems at line:col, and nothing is replayed", async () => {
    const yaml = "automations:\n  - name: x\n    trigger: {expect: a.b, threshold: -1}\n    actions: []\n";
    const r = await whatIf({ scope: "server", ...RANGE, automations: yaml });
    expect(r.status).toBe(200);
    expect(r.json.replayed).toBe(false);
    expect(r.json.events).toBe(0);
    const p = (r.json.problems as { code: string; line: number; col: number; severity: string }[]).find((x) => x.severity === "error")!;
    expect(p.code).toMatch(/^HOOKLINE_/);
    expect(p.line).toBe(3);
    expect(p.col).toBeGreaterThan(1);
    const v = await call(`${s.url}/api/what-if/validate`, { json: { automations: yaml } });
    expect(v.status).toBe(200);
    expect(v.json.valid).toBe(false);
    expect(v.json.problems).toEqual(r.json.problems);
    const ok = await call(`${s.url}/api/what-if/validate`, { json: { automations: PROPOSED_AUTOMATIONS } });
    expect(ok.json).toEqual({ valid: true, problems: [] });
  });

  it("the range is bounded and checked: at most 31 days, until after since, ISO times", async () => {
    const long = await whatIf({ scope: "server", since: "2026-01-01T00:00:00Z", until: "2026-03-01T00:00:00Z", automations: "" });
    expect([long.status, long.json.error.code]).toEqual([400, "HOOKLINE_WHAT_IF_RANGE_TOO_LONG"]);
    const backwards = await whatIf({ scope: "server", since: RANGE.until, until: RANGE.since, automations: "" });
    expect([backwards.status, backwards.json.error.code]).toEqual([400, "HOOKLINE_WHAT_IF_BAD_RANGE"]);
    const notTime = await whatIf({ scope: "server", since: "yesterday", until: RANGE.until, automations: "" });
    expect([notTime.status, notTime.json.error.code]).toEqual([400, "HOOKLINE_WHAT_IF_BAD_RANGE"]);
  });

  it("an unknown scope is 404, an unknown field 400, a body over 1 MiB 413, no token 401", async () => {
    const unknown = await whatIf({ scope: "repo:nobody/nothing", ...RANGE, automations: "automations: []\n" });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, "HOOKLINE_SCOPE_NOT_FOUND"]);
    const field = await whatIf({ scope: "server", ...RANGE, automations: "", extra: 1 });
    expect([field.status, field.json.error.code]).toEqual([400, "HOOKLINE_WHAT_IF_BAD_REQUEST"]);
    const big = await whatIf({ scope: "server", ...RANGE, automations: "#".repeat(1_100_000) });
    expect([big.status, big.json.error.code]).toEqual([413, "HOOKLINE_BODY_TOO_LARGE"]);
    const anon = await call(`${s.url}/api/what-if`, {
      json: { scope: "server", ...RANGE, automations: "" },
      headers: { authorization: "" },
    });
    expect(anon.status).toBe(401);
  });
});
