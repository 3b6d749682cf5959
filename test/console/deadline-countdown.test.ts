/**
 * An armed deadline on the automations page (issue 16: "watches an automation's deadline count down and fire"):
 * the row counts down ("in 0m 42s") beside the moment it ends, with its time zone, for a reader who looks later;
 * when the deadline passes on the server's clock the firing appears under Last firings without a reload, with its
 * key, and the row in alarm says when its deadline passed.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { boot, call, cleanupDirs, configDir, skewClock, waitFor, type Booted } from "../server/http/helpers.js";
import { launchChromium, launchPage, signIn } from "./browser.js";

const clock = skewClock();
let s: Booted;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  const dir = configDir({
    webhooks: "webhooks: []\n",
    automations: `automations:
  - name: shipped-in-time
    trigger:
      posture: Proactive
      after: acme.order.created
      expect: acme.order.shipped
      for_each: acme.order.id
      within: 45s
    actions:
      - { type: emit-event, event: acme.order.late, resource: { prefect.resource.id: "acme.order.late" } }
`,
  });
  s = await boot({ configDir: dir, clock });
  ({ chrome, page } = await launchPage(problems));
});

afterAll(async () => {
  await chrome?.close();
  await s?.server.close();
  cleanupDirs();
});

describe("an armed deadline in Chromium", () => {
  it("counts down beside the moment it ends, then fires: Last firings shows it and the alarm says when it passed", async () => {
    await signIn(page, s.url);
    await page.getByRole("link", { name: "Automations" }).click();
    const card = page.locator('[data-automation="shipped-in-time"]');
    await card.getByText("Nothing armed or counting.").waitFor();

    const created = {
      id: randomUUID(),
      occurred: new Date(clock.now()).toISOString(),
      event: "acme.order.created",
      resource: { "prefect.resource.id": "acme.order.9", "acme.order.id": "9" },
    };
    expect((await call(`${s.url}/api/events`, { json: created })).status).toBeLessThan(300);
    const row = card.locator("table.buckets tbody tr").filter({ hasText: "acme.order.id=9" });
    await row.waitFor();
    const api = await call(`${s.url}/api/automations`);
    const deadline = api.json.scopes[0].automations[0].buckets[0].deadline as string;
    expect(await row.locator("td").nth(1).textContent()).toBe("armed");
    const cell = row.locator("td").nth(3);
    expect(await cell.textContent()).toMatch(/^in 0m \d{2}s \(at \d{1,2}:\d{2}:\d{2}(?: [AP]M)? (?:UTC|GMT\S*|[A-Z]{3,5})\)$/);
    expect(await cell.locator("time").getAttribute("datetime")).toBe(deadline);

    clock.advance(46_000); // past the deadline on the server's clock: its worker fires it
    await waitFor("the firing", async () => (await call(`${s.url}/api/events?name=acme.order.late`)).json.events.length > 0);
    await card.getByText(/^Triggered at .+ for acme\.order\.id=9 \(triggering event\)$/).waitFor(); // refreshed by itself, with its key
    await row.getByText("alarm").waitFor();
    expect(await cell.textContent()).toMatch(/^passed \(at \d{1,2}:\d{2}:\d{2}(?: [AP]M)? (?:UTC|GMT\S*|[A-Z]{3,5})\)$/); // not "due now" for ever
    expect(await card.getByRole("link", { name: "triggering event" }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
