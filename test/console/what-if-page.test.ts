/**
 * The what-if page in a real headless Chromium against the real server (issue 16 item 5): the editor is
 * prefilled with the scope's live automations, a broken edit shows its problem at the right line:col as you type
 * and the problem moves the caret there (keyboard), and the difference table after Run counts, per automation,
 * exactly the Triggered firings the built `hookline simulate` gives on the same stored events and YAML, each first
 * difference naming its key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { simulateRecords } from "../cli/run-cli.js";
import { fixtureEvents } from "../../bench/what-if/fixture.mjs";
import { boot, type Booted, call, cleanupDirs, configDir, postEvents } from "../server/http/helpers.js";
import { launchChromium, recordProblems, signIn } from "./browser.js";

const LIVE = `automations:
  - name: flaky-branch
    trigger:
      expect: ci.run.failed
      for_each: ci.branch
      threshold: 3
      within: 10m
    actions:
      - type: do-nothing
  - name: any-pass
    trigger:
      expect: ci.run.passed
      threshold: 5
      within: 30m
    actions:
      - type: do-nothing
`;
/** two days ago: inside the page's default range (the last 7 days) */
const EVENTS = fixtureEvents(300, Date.now() - 2 * 86_400_000);

let s: Booted;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const logged: string[] = [];

beforeAll(async () => {
  s = await boot({ configDir: configDir({ automations: LIVE }) });
  await postEvents(s.url, EVENTS);
  chrome = await launchChromium();
  page = await chrome.browser.newPage();
  recordProblems(page, logged);
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await s?.server.close();
  cleanupDirs();
});

/** the stored events the replay reads: the ones posted to /api/events (not the firings the live server stored) */
async function storedEvents(): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let after: string | null = null;
  do {
    const r = await call(`${s.url}/api/events?limit=500&name=ci.*${after ? `&after=${after}` : ""}`);
    for (const e of r.json.events as Record<string, unknown>[]) {
      const { received: _received, ...event } = e;
      if ((event.related as Record<string, string>[]).some((x) => x["hookline.origin.kind"] === "api")) out.push(event);
    }
    after = r.json.next;
  } while (after);
  return out;
}

/** Triggered firings per automation, by the built `hookline simulate` */
function simulateCounts(yaml: string, events: Record<string, unknown>[], since: string, until: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const x of simulateRecords(yaml, events, since, until))
    if (x.kind === "firing" && x.state === "Triggered") counts[x.automation as string] = (counts[x.automation as string] ?? 0) + 1;
  return counts;
}

const editor = () => page.getByLabel("Proposed automations (YAML)");
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("the what-if page in Chromium", () => {
  it("prefills the editor with the scope's live automations, and they are valid as they stand", async () => {
    await signIn(page, s.url);
    await page.getByRole("link", { name: "What-if" }).click();
    await page.getByRole("heading", { name: "What-if", level: 1 }).waitFor();
    await expect.poll(() => editor().inputValue()).toContain("threshold: 3");
    expect(await page.getByLabel("Scope").inputValue()).toBe("server");
    await page.waitForResponse((r) => r.url().endsWith("/api/what-if/validate"));
    expect(await page.locator("#wi-problems li").count()).toBe(0);
  });

  it("a broken edit shows its problem at line:col as you type; the problem moves the caret to that line", async () => {
    const live = await editor().inputValue();
    const broken = live.replace("threshold: 3", "threshold: -1");
    const line = lineOf(broken, "threshold: -1");
    await editor().fill(broken);
    const problem = page.locator("#wi-problems li.error").first();
    await expect.poll(() => problem.textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^line ${line}:\\d+ error HOOKLINE_`));
    expect(await editor().getAttribute("aria-invalid")).toBe("true");
    await problem.getByRole("button").focus();
    await page.keyboard.press("Enter");
    const caret = await page.evaluate(() => {
      const t = document.activeElement as HTMLTextAreaElement;
      return { id: t.id, line: t.value.slice(0, t.selectionStart).split("\n").length };
    });
    expect(caret).toEqual({ id: "wi-yaml", line });
  });

  it("after the fix, Run gives a difference table equal to hookline simulate's counts on the same events and YAML", async () => {
    const proposed = (await editor().inputValue()).replace("threshold: -1", "threshold: 2");
    await editor().fill(proposed);
    await expect.poll(() => page.locator("#wi-problems li").count(), { timeout: 10_000 }).toBe(0);
    const request = page.waitForRequest((r) => r.url().endsWith("/api/what-if") && r.method() === "POST");
    await page.getByRole("button", { name: "Run" }).click();
    const sent = (await request).postDataJSON() as { scope: string; since: string; until: string; automations: string };
    expect(sent).toMatchObject({ scope: "server", automations: proposed });
    expect((await request).headers()["x-hookline-csrf"]).toBeTruthy();
    await page.locator("table.what-if-diff tbody tr").first().waitFor();
    const table = await page.locator("table.what-if-diff tbody tr").evaluateAll((rows) =>
      rows.map((r) => ({
        automation: r.querySelector("th")!.textContent,
        live: r.querySelector('[data-col="live"]')!.textContent,
        proposed: r.querySelector('[data-col="proposed"]')!.textContent,
        delta: r.querySelector('[data-col="delta"]')!.textContent,
      })),
    );
    const events = await storedEvents();
    expect(events).toHaveLength(EVENTS.filter((e) => e.event.startsWith("ci.")).length);
    const live = simulateCounts(LIVE, events, sent.since, sent.until);
    const next = simulateCounts(proposed, events, sent.since, sent.until);
    const expected = ["any-pass", "flaky-branch"].map((a) => ({
      automation: a,
      live: String(live[a] ?? 0),
      proposed: String(next[a] ?? 0),
      delta: ((d) => (d > 0 ? `+${d}` : String(d)))((next[a] ?? 0) - (live[a] ?? 0)),
    }));
    expect([...table].sort((a, b) => a.automation!.localeCompare(b.automation!))).toEqual(expected);
    expect(next["flaky-branch"]!).toBeGreaterThan(live["flaky-branch"]!); // the lower threshold fires more often
    expect(await page.locator("figure.timeline figcaption").textContent()).toMatch(/^live and proposed: Triggered firings per \d/);
    // each first difference names its key, as the PR check's backtest does: firings in one second stay apart
    const firsts = await page.locator('tr[data-automation="flaky-branch"] li').allTextContents();
    expect(firsts.length).toBeGreaterThan(0);
    for (const f of firsts) expect(f).toMatch(/^only (proposed|live): Triggered at .+ for ci\.branch=\S+ \(event\)$/);
    expect(await page.getByRole("img", { name: /^Triggered firings over time/ }).getAttribute("aria-label")).toBe(
      `Triggered firings over time: ${Object.values(live).reduce((a, b) => a + b, 0)} live, ${Object.values(next).reduce((a, b) => a + b, 0)} proposed`,
    );
  });

  it("the browser logged no errors or CSP violations", () => {
    expect(logged).toEqual([]);
  });
});
