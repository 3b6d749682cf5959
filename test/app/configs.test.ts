import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { blobSha } from "./fake-github.js";
import { example, forRepo, harness, INSTALLATION, type Harness } from "./helpers.js";

const PATH = ".github/automations.yaml";
const automations = (name: string) => `automations:
  - name: ${name}
    trigger:
      expect: github.issue.opened
    actions:
      - type: do-nothing
`;

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

const contentsReads = (repo: string) => h.github.seen("GET", `/repos/${repo}/contents/`).length;
async function known(repo: string) {
  await h.deliver("issues", forRepo(example("issues", "opened"), repo));
}
function push(repo: string, ref = "refs/heads/main") {
  const p = forRepo(
    example("push", undefined, (e) => e.ref === "refs/heads/master"),
    repo,
  );
  p.ref = ref;
  return h.deliver("push", p);
}

describe("repository configs (runtime.configOf)", () => {
  it("loads .github/automations.yaml from the default branch once per blob sha; the version is the sha", async () => {
    h.github.setFile("acme/web", PATH, automations("first"));
    await known("acme/web");
    const a = await h.app.runtime.configOf("repo:acme/web");
    const b = await h.app.runtime.configOf("repo:acme/web");
    expect(a?.config.automations.map((x) => x.name)).toEqual(["first"]);
    expect(a?.version).toBe(blobSha(automations("first")));
    expect(b).toBe(a);
    expect(contentsReads("acme/web")).toBe(1);
    expect(h.github.seen("GET", "/repos/acme/web/contents/")[0]!.query.get("ref")).toBeNull(); // default branch
    expect(h.store.repos.get("acme/web")).toMatchObject({ configSha: a?.version, configPath: PATH, configText: automations("first") });
  });

  it("another instance (a fresh App on the same store) reuses the stored text without reading GitHub", async () => {
    h.github.setFile("acme/web", PATH, automations("first"));
    await known("acme/web");
    await h.app.runtime.configOf("repo:acme/web");
    const other = await harness();
    try {
      for (const [k, v] of h.store.repos) other.store.repos.set(k, v);
      const c = await other.app.runtime.configOf("repo:acme/web");
      expect(c?.version).toBe(blobSha(automations("first")));
      expect(other.github.seen("GET", "/repos/acme/web/contents/")).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it("a push to the default branch refreshes the config; a push to another branch does not", async () => {
    h.github.setFile("acme/web", PATH, automations("first"));
    await known("acme/web");
    await h.app.runtime.configOf("repo:acme/web");
    h.github.setFile("acme/web", PATH, automations("second"));
    await push("acme/web", "refs/heads/feature");
    expect((await h.app.runtime.configOf("repo:acme/web"))?.config.automations[0]?.name).toBe("first");
    expect(contentsReads("acme/web")).toBe(1);
    await push("acme/web", "refs/heads/main");
    const after = await h.app.runtime.configOf("repo:acme/web");
    expect(after?.config.automations[0]?.name).toBe("second");
    expect(after?.version).toBe(blobSha(automations("second")));
    expect(contentsReads("acme/web")).toBe(2);
  });

  it("a push that leaves the file unchanged keeps the same version (the sha tells)", async () => {
    h.github.setFile("acme/web", PATH, automations("first"));
    await known("acme/web");
    const before = await h.app.runtime.configOf("repo:acme/web");
    await push("acme/web");
    const after = await h.app.runtime.configOf("repo:acme/web");
    expect(after).toBe(before);
  });

  it("a repository without the file uses its organisation's .github repository (same path)", async () => {
    h.github.setFile("acme/.github", PATH, automations("org-wide"));
    await known("acme/web");
    const c = await h.app.runtime.configOf("repo:acme/web");
    expect(c?.config.automations[0]?.name).toBe("org-wide");
    expect(c?.version).toBe(blobSha(automations("org-wide")));
    expect(h.store.repos.get("acme/web")?.configPath).toBe("acme/.github:.github/automations.yaml");
  });

  it("the repository's own file wins over the organisation's", async () => {
    h.github.setFile("acme/.github", PATH, automations("org-wide"));
    h.github.setFile("acme/web", PATH, automations("own"));
    await known("acme/web");
    expect((await h.app.runtime.configOf("repo:acme/web"))?.config.automations[0]?.name).toBe("own");
    expect(h.github.seen("GET", "/repos/acme/.github/contents/")).toHaveLength(0);
  });

  it("a push to the organisation's .github repository reaches the repositories that fall back to it", async () => {
    h.github.setFile("acme/.github", PATH, automations("org-v1"));
    await known("acme/web");
    await known("acme/.github");
    expect((await h.app.runtime.configOf("repo:acme/web"))?.config.automations[0]?.name).toBe("org-v1");
    h.github.setFile("acme/.github", PATH, automations("org-v2"));
    await push("acme/.github");
    const c = await h.app.runtime.configOf("repo:acme/web");
    expect(c?.config.automations[0]?.name).toBe("org-v2");
    const reads = h.github.requests.length;
    await h.app.runtime.configOf("repo:acme/web");
    expect(h.github.requests.length).toBe(reads); // settled: no read per evaluation
  });

  it("no file anywhere: null (no automations), and GitHub is not asked again on every evaluation", async () => {
    await known("acme/web");
    expect(await h.app.runtime.configOf("repo:acme/web")).toBeNull();
    expect(await h.app.runtime.configOf("repo:acme/web")).toBeNull();
    expect(contentsReads("acme/web")).toBe(1);
    expect(h.github.seen("GET", "/repos/acme/.github/contents/")).toHaveLength(1);
  });

  it("a file with errors gives null and one warning per sha", async () => {
    h.github.setFile("acme/web", PATH, "automations:\n  - name: broken\n    trigger:\n      within: banana\n");
    await known("acme/web");
    expect(await h.app.runtime.configOf("repo:acme/web")).toBeNull();
    expect(await h.app.runtime.configOf("repo:acme/web")).toBeNull();
    const warnings = h.logs.filter((l) => l.level === "warn" && /error/.test(l.msg ?? ""));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.obj).toMatchObject({ repository: "acme/web" });
  });

  it("when GitHub cannot be read after a push, the last config read is kept", async () => {
    h.github.setFile("acme/web", PATH, automations("first"));
    await known("acme/web");
    const before = await h.app.runtime.configOf("repo:acme/web");
    await h.github.stop();
    await push("acme/web").catch(() => undefined);
    // the stale mark is in the store; the delivery itself went to our server, GitHub is the one down
    const after = await h.app.runtime.configOf("repo:acme/web");
    expect(after?.version).toBe(before?.version);
    await h.github.start();
  });

  it("a repository the store does not know is looked up with the App's JWT; not installed gives null", async () => {
    h.github.installations.set("acme/new", INSTALLATION);
    h.github.setFile("acme/new", PATH, automations("new"));
    expect((await h.app.runtime.configOf("repo:acme/new"))?.config.automations[0]?.name).toBe("new");
    expect(await h.app.runtime.configOf("repo:acme/elsewhere")).toBeNull();
  });

  it("scopes that are not repo:<owner>/<name> are refused with a code", async () => {
    for (const scope of ["server", "repo:", "repo:acme", "repo:acme/web/x", "repo:../etc"]) {
      await expect(h.app.runtime.configOf(scope)).rejects.toMatchObject({ code: "HOOKLINE_APP_SCOPE" });
    }
  });
});
