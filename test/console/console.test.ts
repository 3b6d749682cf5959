/**
 * The console in a real headless Chromium against the real server (issue 16): sign-in and refusal, the CSP and a
 * clean browser console, a webhook POST appearing in the open feed, pause and resume from the page (seen in the
 * API and the feed with the session as actor), a dead letter redelivered from the page reaching a local
 * receiver, keyboard navigation (skip link, the navigation, focus on each page's heading, also after a link
 * inside a page), and times that name their zone.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { boot, call, cleanupDirs, configDir, fakeTarget, TEST_API_TOKEN, waitFor, type Booted } from "../server/http/helpers.js";
import { launchChromium, launchPage } from "./browser.js";
import { ORDERS_WEBHOOK } from "./helpers.js";

let target: Awaited<ReturnType<typeof fakeTarget>>;
let answer = 500;
let s: Booted;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  target = await fakeTarget(() => ({ status: answer }));
  const dir = configDir({
    webhooks: ORDERS_WEBHOOK,
    automations: `automations:
  - name: notify-orders
    description: Tell the order desk about new orders
    trigger:
      type: event
      match: { prefect.resource.id: "acme.order.*" }
      expect: [acme.order.created]
    actions:
      - type: call-webhook
        url: ${target.url}/orders
        max_retries: 0
        body: { order: "{{ event.resource['prefect.resource.id'] }}" }
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

const hook = (body: unknown) => call(`${s.url}/hooks/orders`, { json: body });

describe("the console in Chromium", () => {
  it("serves / with a strict CSP, nosniff and no-referrer", async () => {
    const r = await call(`${s.url}/`);
    expect(r.status).toBe(200);
    const csp = r.headers.get("content-security-policy")!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");
    expect(r.text).not.toMatch(/<script>|<style>|https?:\/\//);
  });

  it("a wrong token is refused with a clear message; the right one signs in", async () => {
    await page.goto(`${s.url}/`);
    await page.getByLabel("API token").fill("not-the-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/not the server's API token/);
    problems.splice(0); // the 401 of the refused sign-in is the browser's own log line, and expected
    await page.getByLabel("API token").fill(TEST_API_TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
    const cookies = await chrome.browser.cookies(s.url);
    expect(cookies.find((c) => c.name === "hookline_session")).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  });

  it("a webhook POST appears in the open feed", async () => {
    await page.locator('[data-live="live"]').waitFor();
    expect((await hook({ action: "created", id: "1001" })).status).toBe(202);
    await page.getByRole("link", { name: "acme.order.1001" }).first().waitFor();
    const row = page.locator("table.events tbody tr").filter({ has: page.getByRole("link", { name: "acme.order.1001" }) });
    expect(await row.first().textContent()).toContain("acme.order.created");
  });

  it("pause and resume from the page show in the API and in the feed with the session as actor", async () => {
    await page.getByRole("link", { name: "Automations" }).click();
    const card = page.locator('[data-automation="notify-orders"]');
    await card.getByText("Fires when acme.order.created happens").waitFor();
    await card.getByRole("button", { name: "Pause notify-orders" }).click();
    await card.getByRole("button", { name: "Resume notify-orders" }).waitFor();
    const api = await call(`${s.url}/api/automations`);
    const a = api.json.scopes[0].automations.find((x: { name: string }) => x.name === "notify-orders");
    expect(a).toMatchObject({ paused: true, paused_by: expect.stringMatching(/^console:[0-9a-f]{8}$/) });
    await card.getByRole("button", { name: "Resume notify-orders" }).click();
    await card.getByRole("button", { name: "Pause notify-orders" }).waitFor();
    const feed = await call(`${s.url}/api/events?name=hookline.automation.*d&order=desc&limit=5`);
    const names = (feed.json.events as { event: string; payload: { by: string } }[]).map((e) => `${e.event} ${e.payload.by}`);
    expect(names[0]).toMatch(/^hookline\.automation\.resumed console:[0-9a-f]{8}$/);
    expect(names[1]).toMatch(/^hookline\.automation\.paused console:[0-9a-f]{8}$/);
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByRole("link", { name: "hookline.automation.resumed" }).first().waitFor();
  });

  it("a dead letter redelivered from the page reaches the local receiver", async () => {
    const dead = async () => (await call(`${s.url}/api/deliveries?state=dead`)).json.deliveries.length as number;
    const deadBefore = await dead(); // order 1001's delivery died earlier: the newest dead letter must be 2002's
    expect((await hook({ action: "created", id: "2002" })).status).toBe(202);
    await waitFor("the dead letter", async () => (await dead()) > deadBefore);
    answer = 204;
    const before = target.requests.length;
    await page.getByRole("link", { name: "Deliveries" }).click();
    await page.getByLabel("State").selectOption("dead");
    await page.getByRole("button", { name: "Apply filters" }).click();
    const row = page.locator("table.deliveries tbody tr").first();
    await row.getByText("dead").waitFor();
    await row.getByRole("button", { name: /^Redeliver/ }).click();
    await page
      .getByRole("status")
      .getByText(/Redelivery of notify-orders/)
      .waitFor();
    await waitFor("the receiver to get the redelivery", () => target.requests.length > before);
    expect(JSON.parse(target.requests[target.requests.length - 1]!.body)).toEqual({ order: "acme.order.2002" });
  });

  it("keyboard: the skip link moves focus to the page heading, Tab reaches the navigation, Enter opens a page", async () => {
    await page.goto(`${s.url}/#/events`);
    await page.reload(); // a fresh page: nothing focused yet
    await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.tagName + ":" + document.activeElement?.textContent)).toBe("H1:Events");
    await page.keyboard.press("Shift+Tab"); // back into the header: sign-out, then the navigation before it
    let steps = 0;
    while ((await page.evaluate(() => document.activeElement?.textContent)) !== "Deliveries" && steps++ < 10)
      await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Deliveries", level: 1 }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName + ":" + document.activeElement?.textContent)).toBe("H1:Deliveries");
    expect(await page.getByRole("link", { name: "Deliveries" }).getAttribute("aria-current")).toBe("page");
  });

  it("keyboard: Enter on a link inside a page (an event in the feed, then its resource) moves focus to the new page's heading", async () => {
    const focused = () => page.evaluate(() => document.activeElement?.tagName + ":" + document.activeElement?.textContent);
    await page.getByRole("link", { name: "Events" }).click();
    const link = page.locator("table.events tbody").getByRole("link", { name: "acme.order.created" }).first();
    await link.focus();
    await page.keyboard.press("Enter"); // the link is gone with the feed it was in: focus must not fall to <body>
    await page.getByRole("heading", { name: "acme.order.created", level: 1 }).waitFor();
    await expect.poll(focused).toBe("H1:acme.order.created");
    await page
      .getByRole("link", { name: /^acme\.order\.\d+$/ })
      .first()
      .focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /^Timeline of acme\.order\.\d+/, level: 1 }).waitFor();
    await expect.poll(focused).toMatch(/^H1:Timeline of acme\.order\.\d+/);
  });

  it("times name their time zone, so they can be matched with the UTC of the JSON beside them (the feed, an event's page)", async () => {
    const zoned = /:\d{2}(?: [AP]M)? (?:UTC|GMT(?:[+-]\d{1,2}(?::\d{2})?)?|[A-Z]{3,5})$/;
    await page.getByRole("link", { name: "Events" }).click();
    const cell = page.locator("table.events tbody tr time").first();
    expect(await cell.textContent()).toMatch(zoned);
    await page.locator("table.events tbody").getByRole("link", { name: "acme.order.created" }).first().click();
    const occurred = page.locator("main p time").first();
    await occurred.waitFor();
    expect(await occurred.textContent()).toMatch(zoned);
  });

  it("sign-out returns to the sign-in form; the browser logged no errors or CSP violations", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").waitFor();
    expect((await call(`${s.url}/api/events`, { headers: { authorization: "", cookie: "hookline_session=x" } })).status).toBe(401);
    expect(problems).toEqual([]);
  });
});
