/**
 * What-if replays run the same engine as `hookline simulate` (issue 16 item 5): the same events and YAML give
 * the same firings and actions, record for record; and the comparison of two configurations names what changed.
 */
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { Replay } from "../../src/engine/replay.js";
import { diffReplays, differences, type FiringDifference } from "../../src/engine/replay-diff.js";
import type { FiringSummary } from "../../src/engine/replay.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { simulateRecords } from "../cli/run-cli.js";
import { fixtureEvents, LIVE_AUTOMATIONS, PROPOSED_AUTOMATIONS } from "../../bench/what-if/fixture.mjs";

function config(yaml: string) {
  const r = loadAutomations(yaml, "a.yaml");
  if (!r.config) throw new Error(r.problems.map((p) => p.message).join("\n"));
  return r.config;
}

const SINCE = Date.UTC(2026, 0, 5);
const EVENTS = fixtureEvents(600, SINCE) as HooklineEvent[];
const UNTIL = Date.parse(EVENTS[EVENTS.length - 1]!.occurred) + 3_600_000;

/** `hookline simulate` of `yaml` over the events, run as a user runs it (exit 0, nothing on stderr) */
const simulate = (yaml: string) => simulateRecords(yaml, EVENTS, new Date(SINCE).toISOString(), new Date(UNTIL).toISOString());

function replay(yaml: string) {
  const rp = new Replay(config(yaml), SINCE, 1_000_000);
  for (const e of EVENTS) rp.event(e);
  return { column: rp.finish(UNTIL), rp };
}

describe("a what-if replay gives exactly what hookline simulate gives on the same events", () => {
  for (const [name, yaml] of [
    ["live", LIVE_AUTOMATIONS],
    ["proposed", PROPOSED_AUTOMATIONS],
  ] as const) {
    it(`the ${name} fixture: thresholds, absence deadlines and resolves, a sequence, a chain, templated actions`, () => {
      const out = simulate(yaml);
      const { column } = replay(yaml);
      expect(column.firings).toEqual(out.filter((r) => r.kind === "firing"));
      expect(column.actions).toEqual(out.filter((r) => r.kind === "action"));
      // the fixture really exercises every kind of trigger (a vacuous equality would prove nothing)
      const fired = new Set(column.firings.map((f) => `${String(f.automation)}:${String(f.state)}`));
      for (const want of name === "live"
        ? [
            "flaky-branch:Triggered",
            "stuck-deploy:Triggered",
            "stuck-deploy:Resolved",
            "green-then-shipped:Triggered",
            "after-flaky:Triggered",
          ]
        : ["flaky-branch:Triggered", "stuck-deploy:Resolved", "any-pass:Triggered"])
        expect(fired).toContain(want);
      expect(
        column.actions.some(
          (a) =>
            typeof (a.request as { body?: unknown }).body === "string" &&
            /failed Triggered at 2026-/.test((a.request as { body: string }).body),
        ),
      ).toBe(true);
    });
  }

  it("the records kept for the answer stop at `keep`, the totals do not", () => {
    const rp = new Replay(config(LIVE_AUTOMATIONS), SINCE, 5);
    for (const e of EVENTS) rp.event(e);
    const c = rp.finish(UNTIL);
    expect(c.firings).toHaveLength(5);
    expect(c.cut).toBe(true);
    expect(c.totals.firings).toBe(replay(LIVE_AUTOMATIONS).column.totals.firings);
  });
});

describe("the what-if comparison names per automation what the proposal changes", () => {
  const f = (at: number, state: FiringSummary["state"] = "Triggered", trig: string | null = "e"): FiringSummary => ({
    state,
    at: new Date(at * 1000).toISOString(),
    triggering_event: trig,
    labels: {},
  });

  it("firings both sides have are not differences; the rest are added or removed, in time order", () => {
    const d = differences([f(1), f(2), f(3)], [f(2), f(3), f(4), f(0)]);
    expect(d.map((x: FiringDifference) => `${x.change}@${Date.parse(x.at) / 1000}`)).toEqual(["added@0", "removed@1", "added@4"]);
  });

  it("a repeated identical firing is matched once per occurrence", () => {
    expect(differences([f(1), f(1)], [f(1)]).map((x) => x.change)).toEqual(["removed"]);
  });

  it("counts Triggered firings per side; an automation only one side has is null on the other", () => {
    const rows = diffReplays(
      new Map([
        ["a", [f(1), f(2, "Resolved")]],
        ["gone", [f(3)]],
      ]),
      new Map([
        ["a", [f(1)]],
        ["new", []],
      ]),
      ["a", "gone"],
      ["a", "new"],
    );
    expect(rows).toEqual([
      {
        automation: "a",
        live: 1,
        proposed: 1,
        resolved: { live: 1, proposed: 0 },
        changed: true,
        first_differences: [{ change: "removed", ...f(2, "Resolved") }],
      },
      { automation: "new", live: null, proposed: 0, resolved: { live: 0, proposed: 0 }, changed: true, first_differences: [] },
      {
        automation: "gone",
        live: 1,
        proposed: null,
        resolved: { live: 0, proposed: 0 },
        changed: true,
        first_differences: [{ change: "removed", ...f(3) }],
      },
    ]);
  });

  it("the fixture's edit: a lower threshold fires flaky-branch more often, and the first differences say when", () => {
    const live = replay(LIVE_AUTOMATIONS).rp;
    const proposed = replay(PROPOSED_AUTOMATIONS).rp;
    const rows = diffReplays(
      live.byAutomation,
      proposed.byAutomation,
      live.config.automations.map((a) => a.name),
      proposed.config.automations.map((a) => a.name),
    );
    const flaky = rows.find((r) => r.automation === "flaky-branch")!;
    expect(flaky.proposed!).toBeGreaterThan(flaky.live!);
    expect(flaky.first_differences.length).toBeGreaterThan(0);
    expect(flaky.first_differences.length).toBeLessThanOrEqual(5);
    expect(rows.find((r) => r.automation === "green-then-shipped")!.proposed).toBeNull();
  });
});
