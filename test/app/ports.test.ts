import { afterEach, describe, expect, it } from "vitest";
import { example, forRepo, harness, INSTALLATION, type Harness } from "./helpers.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const dispatch = (github: NonNullable<Awaited<ReturnType<Harness["app"]["runtime"]["portsOf"]>>["github"]>) =>
  github.request(
    "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches",
    { owner: "acme", repo: "web", workflow_id: "deploy.yml", ref: "main" },
    new AbortController().signal,
  );

describe("runtime.portsOf for repo scopes", () => {
  it("the GitHub port acts as the repository's installation (its token), on the scope's repository, with the given env", async () => {
    h = await harness({ env: { HOOKLINE_SLACK_TOKEN: "xoxb-test" } });
    await h.deliver("issues", forRepo(example("issues", "opened"), "acme/web"));
    const ports = await h.app.runtime.portsOf("repo:acme/web");
    expect(ports.repository).toEqual({ owner: "acme", repo: "web" });
    expect(ports.env).toEqual({ HOOKLINE_SLACK_TOKEN: "xoxb-test" });
    expect(typeof ports.http.request).toBe("function");
    const res = await dispatch(ports.github!);
    expect(res.status).toBe(204);
    const minted = h.github.seen("POST", `/app/installations/${INSTALLATION}/access_tokens`);
    expect(minted).toHaveLength(1);
    const call = h.github.seen("POST", "/repos/acme/web/actions/workflows/")[0]!;
    expect(call.authorization).toBe(`token ${h.github.tokensIssued[0]!.token}`);
    expect(h.github.tokensIssued[0]!.installationId).toBe(INSTALLATION);
  });

  it("installation tokens come from Probot's cache: one mint for many calls, and each call sends that token", async () => {
    h = await harness();
    await h.deliver("issues", forRepo(example("issues", "opened"), "acme/web"));
    const ports = await h.app.runtime.portsOf("repo:acme/web");
    await dispatch(ports.github!);
    await dispatch(ports.github!);
    const again = await h.app.runtime.portsOf("repo:acme/web");
    await dispatch(again.github!);
    expect(h.github.tokensIssued).toHaveLength(1);
    const auths = h.github.seen("POST", "/repos/acme/web/actions/workflows/").map((r) => r.authorization);
    expect(auths).toEqual(Array(3).fill(`token ${h.github.tokensIssued[0]!.token}`));
  });

  it("a repository the App is not installed on has no ports (HOOKLINE_APP_NOT_INSTALLED)", async () => {
    h = await harness();
    await expect(h.app.runtime.portsOf("repo:acme/unknown")).rejects.toMatchObject({ code: "HOOKLINE_APP_NOT_INSTALLED" });
  });

  it("a GitHub error reaches the executor as a classified ActionError (status kept)", async () => {
    h = await harness();
    await h.deliver("issues", forRepo(example("issues", "opened"), "acme/web"));
    const ports = await h.app.runtime.portsOf("repo:acme/web");
    await expect(
      ports.github!.request("GET /repos/{owner}/{repo}/nothing-here", { owner: "acme", repo: "web" }, new AbortController().signal),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^HOOKLINE_/) });
  });
});
