/**
 * The delivery log's attempts in a real headless Chromium (issue 16 item 4): a failed delivery's row expands to its
 * attempt (time, duration, outcome, error, the request and the receiver's answer), the answer's markup is shown
 * as text and never runs, no secret reaches the page; Redeliver from the page adds the new attempt to the open row,
 * and the row counts failed attempts only (the API's `attempts`).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { boot, call, cleanupDirs, configDir, fakeTarget, waitFor, type Booted } from "../server/http/helpers.js";
import { launchChromium, launchPage, signIn } from "./browser.js";

const SECRET = "page-secret-token-8675309";
let answer = 500;
let target: Awaited<ReturnType<typeof fakeTarget>>;
let s: Booted;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  // the failing answer carries markup and echoes the secret header: both must reach the page harmless
  target = await fakeTarget((r) =>
    answer === 500
      ? { status: 500, body: { html: `<img src=x onerror="window.__owned=1">`, echo: r.headers["x-api-key"] } }
      : { status: 200, body: { ok: true } },
  );
  const dir = configDir({
    webhooks: "webhooks: []\n",
    automations: `automations:
  - name: ship-orders
    trigger: { expect: [acme.order.created] }
    actions:
      - type: call-webhook
        url: ${target.url}/ship?api_key=${SECRET}
        max_retries: 0
        headers: { X-Api-Key: "${SECRET}" }
        body: { order: 1 }
`,
  });
  s = await boot({ configDir: dir });
  ({ chrome, page } = await launchPage(problems));
});

afterAll(async () => {
  await chrome?.close();
  await s?.server.close();
  await target?.close();
  cleanupDirs();
});

describe("the deliveries page in Chromium", () => {
  it("a failed delivery expands to its attempt: outcome, duration, error, request and answer, markup as text, no secret", async () => {
    const posted = await call(`${s.url}/api/events`, {
      json: {
        id: randomUUID(),
        occurred: new Date().toISOString(),
        event: "acme.order.created",
        resource: { "prefect.resource.id": "acme.order.7" },
      },
    });
    expect(posted.status).toBeLessThan(300);
    await waitFor("the dead letter", async () => (await call(`${s.url}/api/deliveries?state=dead`)).json.deliveries.length > 0);
    await signIn(page, s.url);
    await page.getByRole("link", { name: "Deliveries" }).click();
    const toggle = page.getByRole("button", { name: "Attempts of ship-orders action 1" });
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    const attempts = page.getByRole("list", { name: "Attempts" });
    const first = attempts.locator('li[data-attempt="1"]');
    await first.getByText("Attempt 1: dead").waitFor();
    const text = (await first.textContent())!;
    expect(text).toMatch(/\d+ ms/);
    expect(text).toContain("HOOKLINE_");
    expect(text).toContain(`POST ${target.url}/ship?api_key=***`);
    expect(text).toContain("→ 500");
    expect(await first.getByLabel("Response body").textContent()).toContain(`<img src=x onerror=\\"window.__owned=1\\">`);
    expect(await attempts.locator("img").count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned)).toBeUndefined();
    expect(await page.content()).not.toContain(SECRET);
  });

  it("a delivery names the run it was for: its row links to the event that triggered the firing", async () => {
    const [d] = (await call(`${s.url}/api/deliveries?state=dead`)).json.deliveries;
    expect(d.firing).toMatchObject({ labels: {}, triggering_event: expect.any(String) });
    const row = page.locator(`tr[data-delivery-id="${d.id}"]`);
    const link = row.getByRole("link", { name: "triggering event" });
    expect(await link.getAttribute("href")).toBe(`#/events/${encodeURIComponent(d.firing.triggering_event)}`);
    await link.click();
    await page.getByText("acme.order.7").first().waitFor();
    expect(await page.evaluate(() => location.hash)).toBe(`#/events/${encodeURIComponent(d.firing.triggering_event)}`);
    await page.getByRole("link", { name: "Deliveries" }).click();
    await page.getByRole("button", { name: "Attempts of ship-orders action 1" }).click();
  });

  it("Redeliver from the page adds the new attempt to the open row", async () => {
    answer = 200;
    const before = target.requests.length;
    await page.getByRole("button", { name: "Redeliver ship-orders action 1" }).click();
    await page
      .getByRole("status")
      .getByText(/Redelivery of ship-orders/)
      .waitFor();
    await waitFor("the receiver to get the redelivery", () => target.requests.length > before);
    const second = page.getByRole("list", { name: "Attempts" }).locator('li[data-attempt="2"]');
    await second.getByText("Attempt 2: succeeded").waitFor();
    expect(await second.textContent()).toContain("→ 200");
    // the earlier attempt stays listed below the new one
    expect(
      await page
        .getByRole("list", { name: "Attempts" })
        .locator("li")
        .evaluateAll((lis) => lis.map((li) => li.getAttribute("data-attempt"))),
    ).toEqual(["2", "1"]);
    // the count column is the failed attempts (the API's `attempts`): the success is attempt 2 of the list, not a failure
    const row = page.locator("table.deliveries tbody tr[data-delivery-id]").first();
    await row.getByText("succeeded").waitFor();
    const d = (await call(`${s.url}/api/deliveries?state=succeeded`)).json.deliveries[0];
    expect(d.attempts).toBe(1);
    const column = await page
      .locator("table.deliveries thead th")
      .evaluateAll((ths) => ths.map((th) => th.textContent).indexOf("Failed attempts"));
    expect(column).toBeGreaterThan(0);
    expect(await row.locator("td").nth(column).textContent()).toBe(`1 of ${d.max_attempts}`);
    expect(await page.content()).not.toContain(SECRET);
    expect(problems).toEqual([]);
  });
});
