/**
 * The console across a server's start-up (issue 16, "usable from a fresh `npm start`"): while the server answers
 * 503 HOOKLINE_NOT_READY (migrations, workers; also the seconds of a restart), a page opened then fills in once it
 * is ready, and a live feed cut by the restart comes back by itself. EventSource gives up for good on an answer
 * that is not a stream, so the page must open a new one. A proxy on 127.0.0.1 in front of the real server plays
 * the start-up window: it answers /api with what a starting server answers, and cuts the open feeds.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { boot, call, cleanupDirs, configDir, type Booted } from "../server/http/helpers.js";
import { launchChromium, launchPage, signIn } from "./browser.js";
import { ORDERS_WEBHOOK } from "./helpers.js";

let s: Booted;
let chrome: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let proxy: ReturnType<typeof createServer>;
let proxyUrl: string;
let starting = false;
const streams = new Set<ServerResponse>();
const problems: string[] = [];

function forward(req: IncomingMessage, res: ServerResponse): void {
  if (starting && req.url?.startsWith("/api/")) {
    req.resume();
    res.writeHead(503, { "content-type": "application/json", "retry-after": "1", connection: "close" });
    res.end(JSON.stringify({ error: { code: "HOOKLINE_NOT_READY", message: "the server is starting" } }));
    return;
  }
  const target = new URL(s.url);
  const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  up.on("error", () => res.destroy());
  req.pipe(up);
  if (req.url?.startsWith("/api/events/stream")) {
    streams.add(res);
    res.on("close", () => {
      streams.delete(res);
      up.destroy();
    });
  }
}

/** the start-up window: /api answers 503 for `ms`; open feeds are cut at its start, as a stopping server cuts them */
async function startUpWindow(ms: number): Promise<void> {
  starting = true;
  for (const r of streams) r.destroy();
  await new Promise((r) => setTimeout(r, ms));
  starting = false;
}

beforeAll(async () => {
  s = await boot({
    configDir: configDir({
      webhooks: ORDERS_WEBHOOK,
    }),
  });
  proxy = createServer(forward);
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  ({ chrome, page } = await launchPage(problems));
  await signIn(page, proxyUrl);
});

afterAll(async () => {
  await chrome?.close();
  proxy?.closeAllConnections();
  await new Promise((r) => proxy?.close(r));
  await s?.server.close();
  cleanupDirs();
});

const hook = (id: string) => call(`${s.url}/hooks/orders`, { json: { action: "created", id } });

describe("the console while the server starts", () => {
  it("a page opened while the API answers 503 HOOKLINE_NOT_READY shows the events once the server is ready", async () => {
    expect((await hook("2001")).status).toBe(202);
    starting = true;
    await page.reload(); // a fresh load: the session, then the events, are read while the API is not ready
    await new Promise((r) => setTimeout(r, 1500));
    starting = false;
    await page.getByRole("link", { name: "acme.order.2001" }).first().waitFor();
    await page.locator('[data-live="live"]').waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("a live feed cut by a restart comes back by itself, and shows what arrives after", async () => {
    await page.locator('[data-live="live"]').waitFor();
    const window = startUpWindow(2500);
    await page.locator('[data-live="reconnecting"]').waitFor();
    await window;
    await page.locator('[data-live="live"]').waitFor({ timeout: 20_000 });
    expect((await hook("2002")).status).toBe(202);
    await page.getByRole("link", { name: "acme.order.2002" }).first().waitFor();
  });

  it("the browser logged nothing but the 503s of the start-up window and the cut feed", () => {
    const unexpected = problems.filter((p) => !/503|Service Unavailable|ERR_|EventSource/i.test(p));
    expect(unexpected).toEqual([]);
  });
});
