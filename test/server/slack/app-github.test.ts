/**
 * The Slack bot's GitHub access in the server: the App's own Probot (`octokitFor`), so the installation token comes
 * from Probot's cache and there is one GitHub client per process; or none where the App is not installed.
 */
import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { createGitHubApp } from "../../../bots/app/index.js";
import type { ServerStore } from "../../../src/store/server-types.js";
import { createFakeStore } from "../work/fake-store.js";
import { fakeTarget } from "../http/helpers.js";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const app = { appId: "1", privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(), webhookSecret: "s" };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const appGitHubFor = (settings: typeof app, baseUrl: string, store: ServerStore) => {
  const gitHubApp = createGitHubApp({ ...settings, baseUrl, store, log: silent, ingest: async () => ({ inserted: [], duplicates: [] }) });
  return (fullName: string) => gitHubApp.octokitFor(fullName);
};
let github: Awaited<ReturnType<typeof fakeTarget>> | undefined;
afterEach(async () => {
  await github?.close();
  github = undefined;
});

describe("the App's octokitFor: pause targets write Action state refs with the App's installation token", () => {
  it("a repository with an installation gets a client authenticated as that installation", async () => {
    github = await fakeTarget((r) => {
      if (r.url === "/repos/acme/app/installation") return { status: 200, body: { id: 77 } };
      if (r.url === "/app/installations/77/access_tokens")
        return { status: 201, body: { token: "ghs_inst77", expires_at: new Date(Date.now() + 3600e3).toISOString() } };
      if (r.url === "/repos/acme/app/git/ref/hookline%2Fstate") return { status: 200, body: { object: { sha: "abc" } } };
      return { status: 404, body: { message: "Not Found" } };
    });
    const gitHubFor = appGitHubFor(app, github.url, createFakeStore());
    const octokit = await gitHubFor("acme/app");
    expect(octokit).not.toBeNull();
    await octokit!.request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner: "acme", repo: "app", ref: "hookline/state" });
    const call = github.requests.find((r) => r.url.startsWith("/repos/acme/app/git/ref/"))!;
    expect(call.headers.authorization).toBe("token ghs_inst77");
    // the App's JWT only ever reaches the App endpoints
    expect(github.requests.find((r) => r.url === "/repos/acme/app/installation")!.headers.authorization).toMatch(/^bearer /i);
  });

  it("a repository the App is not installed on has no client (its ref is not written)", async () => {
    github = await fakeTarget(() => ({ status: 404, body: { message: "Not Found" } }));
    expect(await appGitHubFor(app, github.url, createFakeStore())("acme/elsewhere")).toBeNull();
  });

  it("a repository the store knows uses its stored installation without asking GitHub", async () => {
    github = await fakeTarget((r) =>
      r.url === "/app/installations/5/access_tokens"
        ? { status: 201, body: { token: "ghs_five", expires_at: new Date(Date.now() + 3600e3).toISOString() } }
        : { status: 404, body: { message: "Not Found" } },
    );
    const store = createFakeStore();
    await store.upsertRepository({
      fullName: "acme/known",
      installationId: 5,
      defaultBranch: "main",
      configSha: null,
      configText: null,
      configPath: null,
      updatedAt: 0,
    });
    const octokit = await appGitHubFor(app, github.url, store)("acme/known");
    await octokit!
      .request("GET /repos/{owner}/{repo}/git/ref/{ref}", { owner: "acme", repo: "known", ref: "hookline/state" })
      .catch(() => undefined);
    expect(github.requests.some((r) => r.url.endsWith("/installation"))).toBe(false);
    expect(github.requests.at(-1)!.headers.authorization).toBe("token ghs_five");
  });
});
