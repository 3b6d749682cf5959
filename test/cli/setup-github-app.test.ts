/**
 * `hookline setup github-app` end to end through the real bin: it serves the setup page on 127.0.0.1 and prints its
 * URL; a browser (fetch) opens it and posts the form to GitHub (a 127.0.0.1 stand-in laid out like GitHub Enterprise
 * Server, GITHUB_API_URL derived as <--github-url>/api/v3), GitHub sends the browser back, the command exchanges the
 * code, writes github-app.env (0600) beside the data folder, prints where to install the App and exits 0.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeGitHubManifest, readForm, submitForm } from "../support/fake-github-manifest.js";
import { ROOT, cli, tempDir } from "./run-cli.js";

let github: Awaited<ReturnType<typeof fakeGitHubManifest>>;
const WEBHOOK = "https://smee.io/hookline-test-channel";

beforeAll(async () => {
  github = await fakeGitHubManifest();
});
afterAll(async () => {
  await github?.close();
});

/** Starts the command; resolves the page URL it prints, and its exit. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [join(ROOT, "bin", "hookline.js"), "setup", "github-app", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const pageUrl = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
      const m = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/setup\/github-app\?key=\S+)$/m.exec(stdout);
      if (m) resolve(m[1]!);
    });
    child.once("exit", () => reject(new Error(`exited before printing the page URL:\n${stdout}\n${stderr}`)));
  });
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { pageUrl, exit, kill: () => child.kill() };
}

describe("hookline setup github-app", () => {
  it("creates the App in an organisation through the manifest flow and writes its credentials where the server reads them", async () => {
    const dir = tempDir();
    const run = start(["--github-url", github.url, "--webhook-url", WEBHOOK, "--org", "acme", "--data-dir", join(dir, "data")]);
    try {
      const pageUrl = await run.pageUrl;
      const form = readForm(await (await fetch(pageUrl)).text());
      expect(new URL(form.action).pathname).toBe("/organizations/acme/settings/apps/new");
      expect(form.manifest.hook_attributes).toEqual({ url: WEBHOOK, active: true });
      expect(form.manifest.redirect_url).toBe(`${new URL(pageUrl).origin}/setup/github-app/callback`);
      const back = await submitForm(form);
      const answer = await fetch(back);
      expect(answer.status).toBe(201);
      const done = await run.exit;
      expect(done.code).toBe(0);
      const file = join(dir, "github-app.env");
      expect(done.stdout).toContain(
        `installed: the GitHub App hookline (id 424242); its id, private key and webhook secret are in ${file} (mode 0600)`,
      );
      expect(done.stdout).toContain(`next, install the App on repositories: ${github.url}/apps/hookline/installations/new`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const written = parseEnv(readFileSync(file, "utf8"));
      expect(written).toMatchObject({ APP_ID: "424242", WEBHOOK_SECRET: github.webhookSecret, PRIVATE_KEY: github.pem.trim() });
      const conversion = github.requests.find((r) => r.url.endsWith("/conversions"))!;
      expect(conversion.url).toBe(`/api/v3/app-manifests/${new URL(back).searchParams.get("code")}/conversions`);
      expect(conversion.method).toBe("POST");
    } finally {
      run.kill();
    }
  });

  it("refuses a callback whose state it did not issue and keeps waiting for the real one", async () => {
    const dir = tempDir();
    const run = start(["--github-url", github.url, "--webhook-url", WEBHOOK, "--data-dir", join(dir, "data")]);
    try {
      const origin = new URL(await run.pageUrl).origin;
      const forged = await fetch(`${origin}/setup/github-app/callback?code=abc&state=forged`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain("HOOKLINE_APP_SETUP_BAD_STATE");
      const form = readForm(await (await fetch(await run.pageUrl)).text());
      expect((await fetch(await submitForm(form))).status).toBe(201);
      expect((await run.exit).code).toBe(0);
    } finally {
      run.kill();
    }
  });

  it("without a webhook URL, or when the file already holds an App, exits 2 with the code and the fix", () => {
    const dir = tempDir();
    const none = cli(["setup", "github-app", "--github-url", github.url, "--data-dir", join(dir, "data")]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("HOOKLINE_APP_SETUP_NO_WEBHOOK_URL");
    expect(none.stderr).toContain("--webhook-url");
    writeFileSync(join(dir, "github-app.env"), "APP_ID=1\n");
    const again = cli(["setup", "github-app", "--webhook-url", WEBHOOK, "--data-dir", join(dir, "data")]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("HOOKLINE_APP_SETUP_FILE_EXISTS");
    const unknown = cli(["setup", "slack-app"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("use github-app");
  });
});
