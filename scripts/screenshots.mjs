#!/usr/bin/env node
// Pictures of the web console for docs/console.md: starts the server on the bundled example (examples/webhooks,
// as `npm start` does, with a throw-away data folder), posts the README's curl stages (examples/webhooks/curl.sh),
// then signs in with headless Chromium (Debian's, through playwright-core; CHROMIUM_PATH overrides) and saves a
// PNG of each page to docs/images/. Needs `npm run build` first (the console bundle) plus curl and openssl.
//
//   node scripts/screenshots.mjs
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "./chromium.mjs";

const root = new URL("..", import.meta.url).pathname;
const out = join(root, "docs/images");
const port = 18000 + Math.floor(Math.random() * 1000);
const url = `http://127.0.0.1:${port}`;
const token = "screenshots-token-0123456789abcdef";
const secrets = { MAINFRAME_WEBHOOK_SECRET: "s1", BLOB_WEBHOOK_HMAC_KEY: "s2", PIPELINE_WEBHOOK_SECRET: "s3" };
const data = mkdtempSync(join(tmpdir(), "hookline-shots-"));
const profile = mkdtempSync(join(tmpdir(), "hookline-chromium-"));
mkdirSync(out, { recursive: true });

const server = spawn(process.execPath, ["bin/hookline.js", "serve"], {
  cwd: root,
  env: {
    ...process.env,
    ...secrets,
    PORT: String(port),
    HOOKLINE_DATA_DIR: join(data, "data"),
    HOOKLINE_API_TOKEN: token,
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "ignore", "inherit"],
});

async function until(what, probe, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
const api = (path) => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());

let context;
try {
  await until("the server", async () => (await fetch(`${url}/readyz`)).ok, 300_000);
  execFileSync("sh", ["examples/webhooks/curl.sh"], { cwd: root, env: { ...process.env, ...secrets, HOOKLINE_URL: url }, stdio: "ignore" });
  await until("the kickoff's firing", async () => (await api("/api/events?name=hookline.automation.triggered")).events.length > 0);
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: CHROMIUM_FLAGS,
  });
  const page = await context.newPage();
  const shot = async (name) => {
    await page.waitForLoadState("networkidle").catch(() => undefined);
    await page.screenshot({ path: join(out, `console-${name}.png`), fullPage: false });
    console.log(`docs/images/console-${name}.png`);
  };
  await page.goto(`${url}/`);
  await page.getByLabel("API token").waitFor();
  await shot("sign-in");
  await page.getByLabel("API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator('[data-live="live"]').waitFor();
  await page.locator("table.events tbody tr").first().waitFor();
  await shot("events");
  const kickoff = (await api("/api/events?name=pipeline.mainframe.kickoff&limit=1")).events[0];
  await page.goto(`${url}/#/events/${encodeURIComponent(kickoff.id)}`);
  await page.getByRole("heading", { name: "What it caused" }).waitFor();
  await shot("event");
  await page.goto(`${url}/#/resources/${encodeURIComponent(kickoff.resource["prefect.resource.id"])}`);
  await page.locator("table.events tbody tr").first().waitFor();
  await shot("resource");
  await page.goto(`${url}/#/automations`);
  await page.locator("article.automation").first().waitFor();
  await shot("automations");
  await page.goto(`${url}/#/deliveries`);
  await page.locator("table.deliveries tbody tr").first().waitFor();
  // the first row expanded to its attempts (what each call sent and got back)
  await page
    .getByRole("button", { name: /^Attempts of/ })
    .first()
    .click();
  await page.locator(".attempts-row").first().locator("ol.attempts, p.empty").first().waitFor();
  await shot("deliveries");
  // what-if: the example's live file with a shorter reconciliation deadline (1 minute), replayed over the last 15 minutes
  await page.goto(`${url}/#/what-if`);
  const editor = page.getByLabel("Proposed automations (YAML)");
  await page.waitForFunction(() => document.querySelector("#wi-yaml")?.value.includes("automations:"));
  await editor.fill((await editor.inputValue()).replace("within: 15m", "within: 1m"));
  // the example's events are minutes old: the last 15 minutes spread them over the timeline's bins
  const from = await page.evaluate(() =>
    new Date(Date.now() - 900_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16),
  );
  await page.getByLabel("From").fill(from);
  await page.getByRole("button", { name: "Run" }).click();
  await page.locator("table.what-if-diff tbody tr").first().waitFor();
  await page.evaluate(() => document.getElementById("wi-results")?.scrollIntoView());
  await shot("what-if");
} finally {
  await context?.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(data, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
