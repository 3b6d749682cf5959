import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { translateWebhook } from "../../src/github/index.js";
import { example, forRepo, harness, INSTALLATION, sign, type Harness } from "./helpers.js";

let h: Harness;
beforeEach(async () => {
  h = await harness();
});
afterEach(async () => {
  await h.close();
});

describe("verified deliveries are translated and stored", () => {
  it("a signed delivery is ingested once with the translated events for the server and its repository scope", async () => {
    const payload = forRepo(example("issues", "opened"), "acme/web");
    const res = await h.deliver("issues", payload, { delivery: "d-issue-1" });
    expect(res.status).toBe(200);
    expect(h.ingest.calls).toHaveLength(1);
    const expected = translateWebhook({ name: "issues", delivery: "d-issue-1", payload });
    if ("skipped" in expected) throw new Error(expected.skipped);
    const items = h.ingest.calls[0]!;
    expect(items.map((i) => i.event.id)).toEqual(expected.events.map((e) => e.id));
    expect(items.map((i) => i.event.event)).toEqual(expected.events.map((e) => e.event));
    for (const item of items) expect(item.scopes).toEqual(["server", "repo:acme/web"]);
    expect(h.wakes).toBe(1);
  });

  it("a delivery without a repository is queued for the server scope only", async () => {
    const payload = example("installation", "created");
    const res = await h.deliver("installation", payload);
    expect(res.status).toBe(200);
    expect(h.ingest.calls).toHaveLength(1);
    for (const item of h.ingest.calls[0]!) expect(item.scopes).toEqual(["server"]);
  });

  it("the answer waits for the ingest: when storing fails the middleware answers 500, and the redelivery is stored", async () => {
    const payload = forRepo(example("issues", "opened"), "acme/web");
    h.ingest.failOnce();
    const failed = await h.deliver("issues", payload, { delivery: "d-retry" });
    expect(failed.status).toBe(500);
    expect(h.ingest.ids.size).toBe(0);
    expect(h.wakes).toBe(0);
    const again = await h.deliver("issues", payload, { delivery: "d-retry" });
    expect(again.status).toBe(200);
    expect(h.ingest.ids.size).toBe(1);
  });

  it("the 200 comes only after the events are stored: a slow store delays it (no early answer before commit)", async () => {
    const release = h.ingest.hold();
    let answered = false;
    const pending = h
      .deliver("issues", forRepo(example("issues", "opened"), "acme/web"), { delivery: "d-slow" })
      .then((r) => ((answered = true), r));
    while (h.ingest.calls.length === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    expect(answered).toBe(false);
    release();
    expect((await pending).status).toBe(200);
    expect(h.ingest.ids.size).toBe(1);
  });

  it("the same delivery twice is stored once (the second is a duplicate) and wakes nobody", async () => {
    const payload = forRepo(example("issues", "opened"), "acme/web");
    await h.deliver("issues", payload, { delivery: "d-dup" });
    const second = await h.deliver("issues", payload, { delivery: "d-dup" });
    expect(second.status).toBe(200);
    expect(h.ingest.calls).toHaveLength(2);
    expect(h.ingest.calls[0]![0]!.event.id).toBe(h.ingest.calls[1]![0]!.event.id);
    expect(h.ingest.ids.size).toBe(1);
    expect(h.wakes).toBe(1);
  });

  it("ping is acknowledged and stores nothing", async () => {
    const res = await h.deliver("ping", { zen: "Keep it logically awesome.", hook_id: 1 });
    expect(res.status).toBe(200);
    expect(h.ingest.calls).toHaveLength(0);
  });
});

describe("unverified requests store nothing", () => {
  const payload = () => forRepo(example("issues", "opened"), "acme/web");

  it("a bad signature is rejected", async () => {
    const res = await h.deliver("issues", payload(), { signature: "sha256=" + "0".repeat(64) });
    expect([400, 401]).toContain(res.status);
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a missing X-Hub-Signature-256 header is rejected", async () => {
    const res = await h.deliver("issues", payload(), { signature: null });
    expect(res.status).toBe(400);
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a delivery signed with another secret is rejected", async () => {
    const res = await h.deliver("issues", payload(), { secret: "not-the-secret" });
    expect([400, 401]).toContain(res.status);
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a body changed after signing is rejected", async () => {
    const original = JSON.stringify(payload());
    const tampered = original.replace("acme/web", "evil/web");
    const res = await h.deliver("issues", undefined, { body: tampered, signature: sign(original) });
    expect([400, 401]).toContain(res.status);
    expect(h.ingest.calls).toHaveLength(0);
    expect(h.store.upserts).toHaveLength(0);
  });

  it("a signed body that is not JSON is rejected", async () => {
    const body = "{not json";
    const res = await h.deliver("issues", undefined, { body, signature: sign(body) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a signed body that is JSON but not an object is rejected with 400", async () => {
    for (const body of ["[1,2]", "null", "42"]) {
      const res = await h.deliver("issues", undefined, { body, signature: sign(body) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("HOOKLINE_DELIVERY_JSON");
    }
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a missing X-GitHub-Event or X-GitHub-Delivery is rejected with 400 naming the header", async () => {
    const body = JSON.stringify(payload());
    for (const drop of ["x-github-event", "x-github-delivery"]) {
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": "d-h",
        "x-hub-signature-256": sign(body),
      };
      delete headers[drop];
      const res = await fetch(`${h.url}/api/github/webhooks`, { method: "POST", body, headers });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { missing: string[] } }).error.missing).toEqual([drop]);
    }
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a GET on the webhook path answers 405 with Allow: POST", async () => {
    const res = await fetch(`${h.url}/api/github/webhooks`);
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("POST");
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("a wrong content type is rejected", async () => {
    const body = JSON.stringify(payload());
    const res = await fetch(`${h.url}/api/github/webhooks`, {
      method: "POST",
      body,
      headers: { "content-type": "text/plain", "x-github-event": "issues", "x-github-delivery": "d-ct", "x-hub-signature-256": sign(body) },
    });
    expect(res.status).toBe(415);
    expect(h.ingest.calls).toHaveLength(0);
  });

  it("requests for other paths are not the middleware's (it resolves false)", async () => {
    const res = await fetch(`${h.url}/hooks/something`, { method: "POST", body: "{}" });
    expect(res.status).toBe(404);
    expect(await res.text()).toBe("not the app's");
  });
});

describe("repository records follow the deliveries", () => {
  it("an event carrying installation.id records the repository's installation and default branch, once", async () => {
    const payload = forRepo(example("issues", "opened"), "acme/web", "trunk");
    await h.deliver("issues", payload);
    await h.deliver("issues", payload);
    expect(h.store.repos.get("acme/web")).toMatchObject({ installationId: INSTALLATION, defaultBranch: "trunk", configPath: null });
    expect(h.store.upserts).toHaveLength(1);
  });

  it("installation and installation_repositories events record every repository they list", async () => {
    const created = example("installation", "created", (e) => Array.isArray(e.repositories) && e.repositories.length > 0);
    await h.deliver("installation", created);
    for (const r of created.repositories) expect(h.store.repos.get(r.full_name)?.installationId).toBe(created.installation.id);
    const added = example("installation_repositories", "added");
    await h.deliver("installation_repositories", added);
    for (const r of added.repositories_added) expect(h.store.repos.get(r.full_name)?.installationId).toBe(added.installation.id);
  });

  it("a changed default branch (repository.edited) is recorded, marks the config stale and reads it again", async () => {
    h.store.repos.set("acme/web", {
      fullName: "acme/web",
      installationId: INSTALLATION,
      defaultBranch: "main",
      configSha: "abc",
      configText: "automations: []",
      configPath: ".github/automations.yaml",
      updatedAt: 1,
    });
    const payload = forRepo(example("repository", "edited"), "acme/web", "trunk");
    payload.changes = { default_branch: { from: "main" } };
    h.github.setFile("acme/web", ".github/automations.yaml", "automations: []\n");
    await h.deliver("repository", payload);
    expect(h.store.upserts[0]).toMatchObject({ defaultBranch: "trunk", configPath: null, configSha: "abc" });
    expect(h.github.seen("GET", "/repos/acme/web/contents/")).toHaveLength(1);
    expect(h.store.repos.get("acme/web")).toMatchObject({
      defaultBranch: "trunk",
      configPath: ".github/automations.yaml",
      configText: "automations: []\n",
    });
  });
});
