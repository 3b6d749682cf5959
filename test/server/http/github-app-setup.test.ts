/**
 * The GitHub App's manifest flow from the running server (issue 13 item 4): while no App is configured the server
 * offers /setup/github-app to whoever holds the setup key it logged; the form POSTs the manifest to GitHub; the
 * callback accepts only a state the page issued, exchanges the code at a stand-in of GitHub's conversion endpoint,
 * writes the credentials (mode 0600), and the server restarted on them is the App. GitHub is a 127.0.0.1 stand-in.
 */
import { createHmac, randomUUID } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readServerConfig } from "../../../bots/server/config.js";
import { fakeGitHubManifest, readForm, submitForm } from "../../support/fake-github-manifest.js";
import { boot, call, cleanupDirs, configDir, tempDir, type Booted } from "./helpers.js";

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];
const ROOT = new URL("../../../", import.meta.url);
let github: Awaited<ReturnType<typeof fakeGitHubManifest>>;
let s: Booted;
let appFile: string;
let config: string;
const PUBLIC_URL = "https://hookline.example.test";

const loggedSetupUrl = (b: Booted) => b.logs.find((l) => typeof l.setupUrl === "string")?.setupUrl as string | undefined;
/** the logged page URL (on HOOKLINE_PUBLIC_URL), reached at the server's own address as the proxy in front of it would */
const setupUrl = (b: Booted) => {
  const u = new URL(loggedSetupUrl(b)!);
  return `${b.url}${u.pathname}${u.search}`;
};
const page = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, html: await res.text(), headers: res.headers };
};

beforeAll(async () => {
  github = await fakeGitHubManifest();
  config = configDir({ webhooks: "webhooks: []\n" });
  appFile = join(tempDir("hookline-app-"), "github-app.env");
  s = await boot({
    configDir: config,
    env: { GITHUB_URL: github.url, HOOKLINE_PUBLIC_URL: PUBLIC_URL, HOOKLINE_GITHUB_APP_FILE: appFile, LOG_LEVEL: "silent" },
  });
});

afterAll(async () => {
  await s?.server.close();
  await github?.close();
  cleanupDirs();
});

describe("the GitHub App setup page of an unconfigured server", () => {
  it("needs the setup key from the start log: without it, or with a wrong one, 403 and no form", async () => {
    expect(loggedSetupUrl(s)).toMatch(/^https:\/\/hookline\.example\.test\/setup\/github-app\?key=[\w-]{32}$/);
    for (const url of [`${s.url}/setup/github-app`, `${s.url}/setup/github-app?key=wrong`]) {
      const r = await page(url);
      expect(r.status).toBe(403);
      expect(r.html).toContain("HOOKLINE_APP_SETUP_KEY");
      expect(r.html).not.toContain("<form");
    }
  });

  it("the form POSTs the manifest app.yml describes to GITHUB_URL/settings/apps/new with a state; webhook and redirect URLs from HOOKLINE_PUBLIC_URL", async () => {
    const r = await page(setupUrl(s));
    expect(r.status).toBe(200);
    expect(r.headers.get("content-security-policy")).toContain(`form-action ${github.url}`);
    expect(r.headers.get("referrer-policy")).toBe("no-referrer");
    const form = readForm(r.html);
    const action = new URL(form.action);
    expect(`${action.origin}${action.pathname}`).toBe(`${github.url}/settings/apps/new`);
    expect(action.searchParams.get("state")).toMatch(/^[\w-]{32}$/);
    const appYml = parse(readFileSync(new URL("app.yml", ROOT), "utf8")) as Record<string, any>;
    expect(form.manifest).toEqual({
      name: "hookline",
      url: appYml.url,
      description: appYml.description,
      hook_attributes: { url: `${PUBLIC_URL}/api/github/webhooks`, active: true },
      redirect_url: `${PUBLIC_URL}/setup/github-app/callback`,
      public: false,
      default_permissions: appYml.default_permissions,
      default_events: appYml.default_events,
    });
  });

  it("?org= registers the App in that organisation: the form posts to /organizations/ORG/settings/apps/new", async () => {
    const form = readForm((await page(`${setupUrl(s)}&org=acme-corp`)).html);
    expect(new URL(form.action).pathname).toBe("/organizations/acme-corp/settings/apps/new");
    expect((await page(`${setupUrl(s)}&org=${encodeURIComponent("../x")}`)).status).toBe(400);
  });

  it("a callback with a missing or unknown state is refused: nothing is exchanged with GitHub, nothing is written", async () => {
    const before = github.requests.length;
    for (const query of ["code=abc", "code=abc&state=", "code=abc&state=forged-state-not-issued-by-the-page"]) {
      const r = await page(`${s.url}/setup/github-app/callback?${query}`);
      expect(r.status).toBe(400);
      expect(r.html).toContain("HOOKLINE_APP_SETUP_BAD_STATE");
    }
    expect(github.requests.length).toBe(before);
    expect(existsSync(appFile)).toBe(false);
  });

  it("the callback exchanges the code through Octokit, writes the credentials with mode 0600 and says where to install; the page is gone after", async () => {
    const form = readForm((await page(setupUrl(s))).html);
    const back = new URL(await submitForm(form));
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/setup/github-app/callback`);
    // the browser comes back to the server (HOOKLINE_PUBLIC_URL stands for its address)
    const r = await page(`${s.url}/setup/github-app/callback${back.search}`);
    expect(r.status).toBe(201);
    expect(r.html).toContain(`installed: the GitHub App <b>hookline</b>`);
    expect(r.html).toContain(`next, install the App on repositories: <a href="${github.url}/apps/hookline/installations/new"`);
    const conversion = github.requests.find((q) => q.url.includes("/conversions"))!;
    expect(conversion.method).toBe("POST");
    expect(conversion.url).toBe(`/api/v3/app-manifests/${back.searchParams.get("code")}/conversions`);
    expect(conversion.headers.accept).toBe("application/vnd.github.v3+json");
    expect(conversion.headers.authorization).toBeUndefined();
    expect(conversion.headers["user-agent"]).toMatch(/octokit/);
    expect(statSync(appFile).mode & 0o777).toBe(0o600);
    const written = readServerConfig({ HOOKLINE_GITHUB_APP_FILE: appFile, HOOKLINE_CONFIG_DIR: config });
    expect(written.githubAppSource).toBe("file");
    expect(written.githubApp).toEqual({ appId: "424242", privateKey: github.pem.trim(), webhookSecret: github.webhookSecret });
    // a second use of the same answer (or any later visit) finds the setup closed
    expect((await page(`${s.url}/setup/github-app/callback${back.search}`)).status).toBe(404);
    expect((await page(setupUrl(s))).status).toBe(404);
    expect(s.logs.some((l) => l.msg?.toString().startsWith("GitHub App hookline created: restart the server"))).toBe(true);
  });

  it("the server started again reads the file and is the App: a delivery signed with the new secret is stored, the setup page is 404", async () => {
    const again = await boot({
      configDir: config,
      env: { GITHUB_URL: github.url, HOOKLINE_GITHUB_APP_FILE: appFile, LOG_LEVEL: "silent" },
    });
    try {
      expect(loggedSetupUrl(again)).toBeUndefined();
      expect((await page(`${again.url}/setup/github-app?key=anything`)).status).toBe(404);
      const run = examples.find((x) => x.name === "workflow_run")!.examples.find((e) => e.action === "completed")!;
      const body = JSON.stringify({ ...run, installation: { id: 42 } });
      const headers = {
        "content-type": "application/json",
        "x-github-event": "workflow_run",
        "x-github-delivery": randomUUID(),
        "x-hub-signature-256": `sha256=${createHmac("sha256", github.webhookSecret).update(body).digest("hex")}`,
      };
      expect((await call(`${again.url}/api/github/webhooks`, { body, headers })).status).toBe(200);
      const events = (await call(`${again.url}/api/events?name=github.*`)).json.events as unknown[];
      expect(events).toHaveLength(1);
    } finally {
      await again.server.close();
    }
  });
});

describe("where the App's credentials are read from", () => {
  it("github-app.env sits beside the data folder; environment variables win over the file as a whole", () => {
    const dir = tempDir("hookline-app-");
    expect(readServerConfig({ HOOKLINE_DATA_DIR: join(dir, "data") }).githubAppFile).toBe(join(dir, "github-app.env"));
    expect(readServerConfig({ HOOKLINE_DATA_DIR: "memory://" }).githubAppFile).toBeNull();
    const fromEnv = readServerConfig({
      HOOKLINE_GITHUB_APP_FILE: appFile,
      APP_ID: "7",
      PRIVATE_KEY: github.pem,
      WEBHOOK_SECRET: "env-secret",
    });
    expect(fromEnv.githubAppSource).toBe("env");
    expect(fromEnv.githubApp?.webhookSecret).toBe("env-secret");
    // one variable in the environment: the environment configures the App (and says what is missing), never half of each
    expect(() => readServerConfig({ HOOKLINE_GITHUB_APP_FILE: appFile, APP_ID: "7" })).toThrow(/HOOKLINE|missing: PRIVATE_KEY/);
  });
});
