/**
 * The setup page's own rules, on a bare node:http server (no database): without a webhook URL it explains what to
 * set instead of offering a form; a state older than an hour is refused; a code GitHub refuses leaves nothing written
 * and the setup open. GitHub is the 127.0.0.1 stand-in.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubAppSetup, type GitHubAppSetupOptions } from "../../bots/server/github-app-setup.js";
import { fakeGitHubManifest, readForm, submitForm } from "../support/fake-github-manifest.js";

let github: Awaited<ReturnType<typeof fakeGitHubManifest>>;
const dir = mkdtempSync(join(tmpdir(), "hookline-setup-"));
const servers: Server[] = [];

beforeAll(async () => {
  github = await fakeGitHubManifest();
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
  await github?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function serveSetup(o: Partial<GitHubAppSetupOptions>) {
  const holder: { setup?: ReturnType<typeof createGitHubAppSetup> } = {};
  const server = createServer((req, res) => void holder.setup!.handle(req, res).then((handled) => handled || res.writeHead(404).end()));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const setup = (holder.setup = createGitHubAppSetup({
    githubUrl: github.url,
    githubApiUrl: github.apiUrl,
    webhookUrl: "https://hookline.example.test/api/github/webhooks",
    origin,
    file: join(dir, `${servers.length}.env`),
    restart: true,
    ...o,
  }));
  return { setup, origin, file: join(dir, `${servers.length}.env`) };
}
const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, html: await r.text() };
};

describe("the setup page's rules", () => {
  it("without a webhook URL it says to set HOOKLINE_PUBLIC_URL or WEBHOOK_PROXY_URL and offers no form", async () => {
    const { setup } = await serveSetup({ webhookUrl: null });
    const r = await get(setup.pageUrl);
    expect(r.status).toBe(409);
    expect(r.html).toContain("HOOKLINE_APP_SETUP_NO_WEBHOOK_URL");
    expect(r.html).toContain("HOOKLINE_PUBLIC_URL");
    expect(r.html).not.toContain("<form");
  });

  it("a state issued more than an hour ago is refused", async () => {
    let now = Date.parse("2026-12-07T15:00:00Z");
    const { setup, file } = await serveSetup({ now: () => now });
    const back = await submitForm(readForm((await get(setup.pageUrl)).html));
    now += 60 * 60 * 1000;
    const r = await get(back);
    expect(r.status).toBe(400);
    expect(r.html).toContain("HOOKLINE_APP_SETUP_BAD_STATE");
    expect(existsSync(file)).toBe(false);
    expect(setup.open).toBe(true);
  });

  it("a code GitHub refuses (used, expired) writes nothing and leaves the setup open for another try", async () => {
    const { setup, origin, file } = await serveSetup({});
    const back = new URL(await submitForm(readForm((await get(setup.pageUrl)).html)));
    back.searchParams.set("code", "0000deadbeef");
    const r = await get(`${origin}${back.pathname}${back.search}`);
    expect(r.status).toBe(502);
    expect(r.html).toContain("HOOKLINE_APP_SETUP_CONVERSION_FAILED");
    expect(r.html).toContain("start the setup again");
    expect(existsSync(file)).toBe(false);
    expect(setup.open).toBe(true);
    const again = await get(await submitForm(readForm((await get(setup.pageUrl)).html)));
    expect(again.status).toBe(201);
    expect(setup.open).toBe(false);
  });
});
