/**
 * The what-if page's two answers that are not a result (issue 16 item 5), in a real headless Chromium against the
 * real server: over the event bound the page says the replay was truncated, at which limit and where it stopped
 * (the table then covers only what was replayed); and while another replay holds the server's last slot, Run
 * gets a clear "busy" (503) instead of a result or an error, and the page stays usable.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { fixtureEvents } from "../../bench/what-if/fixture.mjs";
import { boot, type Booted, call, cleanupDirs, configDir, postEvents } from "../server/http/helpers.js";
import { tempDir } from "../cli/run-cli.js";
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
`;
/** two days ago: inside the page's default range (the last 7 days) */
const EVENTS = fixtureEvents(200, Date.now() - 2 * 86_400_000);
const MAX_EVENTS = 50;

let bounded: Booted;
let stuck: Booted;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const logged: string[] = [];

beforeAll(async () => {
  bounded = await boot({ configDir: configDir({ automations: LIVE }), options: { whatIf: { maxEvents: MAX_EVENTS } } });
  // one replay at a time, and a worker that never answers: the first replay holds the slot until its deadline
  stuck = await boot({
    configDir: configDir({ automations: LIVE }),
    options: {
      whatIf: { concurrency: 1, deadlineMs: 10_000, entry: new URL("./stuck-what-if-worker.mjs", import.meta.url), execArgv: [] },
    },
  });
  await postEvents(bounded.url, EVENTS);
  chrome = await launchChromium();
  page = await chrome.browser.newPage();
  recordProblems(page, logged);
}, 120_000);

afterAll(async () => {
  await chrome?.close();
  await bounded?.server.close();
  await stuck?.server.close();
  cleanupDirs();
});

async function openWhatIf(url: string): Promise<void> {
  await signIn(page, url);
  await page.getByRole("link", { name: "What-if" }).click();
  await page.getByRole("heading", { name: "What-if", level: 1 }).waitFor();
  await expect.poll(() => page.getByLabel("Proposed automations (YAML)").inputValue()).toContain("threshold: 3");
}

describe("the what-if page's truncated and busy answers in Chromium", () => {
  it("over the event bound the page says truncated, with the server's limit and where the replay stopped", async () => {
    await openWhatIf(bounded.url);
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/what-if") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Run" }).click();
    const body = (await (await answer).json()) as { truncated: boolean; events: number; max_events: number; replayed_until: string };
    expect(body).toMatchObject({ truncated: true, events: MAX_EVENTS, max_events: MAX_EVENTS });
    const warning = page.locator("p.warning.truncated");
    await warning.waitFor();
    expect(await warning.textContent()).toContain(`the ${MAX_EVENTS}-event limit was reached`);
    expect(await warning.locator("time").getAttribute("datetime")).toBe(body.replayed_until);
    expect(await page.getByRole("status").textContent()).toContain(`Replayed ${MAX_EVENTS} events`);
    await page.locator("table.what-if-diff tbody tr").first().waitFor(); // what was replayed is still shown
  });

  it("while another replay holds the last slot, Run answers busy (503) and the page stays usable", async () => {
    await openWhatIf(stuck.url);
    const marker = join(tempDir(), "started");
    process.env.HOOKLINE_TEST_STUCK_MARKER = marker; // a worker thread gets a copy of the environment when it starts
    const since = new Date(Date.now() - 86_400_000).toISOString();
    const holder = call(`${stuck.url}/api/what-if`, {
      json: { scope: "server", since, until: new Date().toISOString(), automations: LIVE },
    });
    await expect.poll(() => existsSync(marker), { timeout: 30_000 }).toBe(true); // the first replay's thread runs: the only slot is taken
    delete process.env.HOOKLINE_TEST_STUCK_MARKER;
    const answer = page.waitForResponse((r) => r.url().endsWith("/api/what-if") && r.request().method() === "POST");
    await page.getByRole("button", { name: "Run" }).click();
    const refused = await answer;
    expect(refused.status()).toBe(503);
    expect(refused.headers()["retry-after"]).toMatch(/^\d+$/);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("HOOKLINE_WHAT_IF_BUSY");
    await page.locator("p.warning.busy").waitFor();
    // Chromium logs every answer >= 400 to the console: the 503 is the one expected here
    expect(logged.splice(0)).toEqual(["error: Failed to load resource: the server responded with a status of 503 (Service Unavailable)"]);
    expect(await page.getByRole("status").textContent()).toContain("busy with other replays");
    expect(await page.locator("table.what-if-diff").count()).toBe(0);
    expect(await page.getByRole("alert").count()).toBe(0); // busy is not shown as an error
    expect(await page.getByRole("button", { name: "Run" }).isEnabled()).toBe(true);
    // the held replay ends at its deadline and frees the slot
    const held = await holder;
    expect([held.status, held.json.error.code]).toEqual([504, "HOOKLINE_WHAT_IF_TIMEOUT"]);
  });

  it("the browser logged no errors or CSP violations", () => {
    expect(logged).toEqual([]);
  });
});
