/**
 * The PR check's backtest (issue 16 item 6, docs/what-if.md "In pull requests"): when the server stores the
 * repository's events, the check run adds per automation "over the last 14 days this change would have fired N
 * times (now M)" with the first differences; the conclusion stays validation's, and short history is neutral.
 * Against the local GitHub stand-in of test/app, with the real what-if runner over a store of fixture events.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createWhatIfRunner, type WhatIfRunner } from "../../src/adapters/what-if/what-if-runner.js";
import { originResource } from "../../src/events/origin.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { NO_ROUTES } from "../../src/scopes/replay-scope.js";
import { fixtureEvents, LIVE_AUTOMATIONS, PROPOSED_AUTOMATIONS } from "../../bench/what-if/fixture.mjs";
import { TS_WORKER_EXEC_ARGV } from "../support/ts-worker.js";
import { pagedStore } from "../support/what-if-store.js";
import { example, forRepo, harness, type Harness } from "./helpers.js";

const PATH = ".github/automations.yaml";
const HEAD = "b".repeat(40);
const NOW = Date.now();

/** `n` events of acme/web's GitHub deliveries (and one of another repository), the first `daysAgo` days ago */
function storeOf(n: number, daysAgo: number) {
  const gap = Math.floor((daysAgo * 86_400_000) / (n + 1));
  const events = (fixtureEvents(n, NOW - daysAgo * 86_400_000, gap) as HooklineEvent[]).map((e) => ({
    ...e,
    related: [originResource({ kind: "github", name: "acme/web" })],
  }));
  events.push({
    ...events[0]!,
    id: "00000000-0000-4000-8000-00000000abcd",
    related: [originResource({ kind: "github", name: "acme/other" })],
  });
  return pagedStore(events);
}

let h: Harness;
let runner: WhatIfRunner;
afterEach(async () => {
  await h?.close();
  await runner?.close();
});

async function checkWith(store: ReturnType<typeof storeOf>, head: string) {
  runner = createWhatIfRunner(store, { execArgv: TS_WORKER_EXEC_ARGV });
  h = await harness({ now: () => NOW, backtest: { run: (job) => runner.run(job), routes: NO_ROUTES } });
  h.github.setFile("acme/web", PATH, LIVE_AUTOMATIONS); // the default branch
  h.github.setFile("acme/web", PATH, head, HEAD);
  h.github.prFiles.set("acme/web#7", [{ filename: PATH, status: "modified" }]);
  const p = forRepo(example("pull_request", "opened"), "acme/web");
  p.number = 7;
  p.pull_request.number = 7;
  p.pull_request.head.sha = HEAD;
  await h.deliver("pull_request", p);
  expect(h.github.checkRuns).toHaveLength(1);
  return h.github.checkRuns[0]!.create as { conclusion: string; output: { summary: string } };
}

describe("the PR check's backtest", () => {
  it("says per automation how often the change would have fired over the last 14 days, and how often it fires now", async () => {
    const run = await checkWith(storeOf(400, 2), PROPOSED_AUTOMATIONS);
    expect(run.conclusion).toBe("success");
    const s = run.output.summary;
    expect(s).toContain("Backtest over the last 14 days: 400 stored events of this repository");
    expect(s).toMatch(/flaky-branch<\/td><td>over the last 14 days this change would have fired (\d+) times \(now (\d+)\)/);
    const [, n, m] = /flaky-branch<\/td><td>over the last 14 days this change would have fired (\d+) times \(now (\d+)\)/.exec(s)!;
    expect(Number(n)).toBeGreaterThan(Number(m)); // the threshold went from 3 to 2
    expect(s).toMatch(/any-pass<\/td><td>over the last 14 days this change would have fired \d+ times? \(now new\)/);
    expect(s).toContain("green-then-shipped</td><td>removed by this change");
    expect(s).toMatch(/\+ Triggered 20\d\d-/); // the first differences
    expect(s).not.toContain("History is short");
  });

  it("short history is neutral: shown for information, and the conclusion is still validation's", async () => {
    const run = await checkWith(storeOf(10, 0.5), PROPOSED_AUTOMATIONS);
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toMatch(/History is short \(10 events over \d+ h; at least 20 events over 24 h are needed\)/);
  });

  it("a change that does not validate fails as before and is not replayed", async () => {
    const run = await checkWith(storeOf(50, 3), PROPOSED_AUTOMATIONS.replace("threshold: 2", "threshold: -2"));
    expect(run.conclusion).toBe("failure");
    expect(run.output.summary).not.toContain("Backtest");
    expect(runner.stats().finished).toBe(0);
  });
});
