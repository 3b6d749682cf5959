import { getOctokit } from "@actions/github";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { emptyState, StateStoreError, updateState, type ActionState } from "../../src/store/index.js";
import { createGitRefStore, type OctokitLike } from "../../src/adapters/index.js";
import { startFakeGitServer, type FakeGitServer } from "../store/fake-git-server.js";

const REF = "refs/hookline/state";
let server: FakeGitServer;
beforeEach(async () => {
  server = await startFakeGitServer();
});
afterEach(async () => {
  await server.close();
});

function store(extra: Partial<Parameters<typeof createGitRefStore>[0]> = {}, token = "token") {
  const octokit = getOctokit(token, { baseUrl: server.baseUrl });
  return createGitRefStore({ octokit, owner: "octo", repo: "hello", ...extra });
}

function withCount(n: number): ActionState {
  return { ...emptyState(), engine: { version: 1, count: n } };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StateStoreError);
    return (e as StateStoreError).code;
  }
  throw new Error("expected a StateStoreError");
}

describe("git-ref store: reading and writing", () => {
  it("a missing ref reads as the empty state with no version, in one request", async () => {
    expect(await store().load()).toEqual({ state: emptyState(), version: null });
    expect(server.log).toEqual(["GET /repos/octo/hello/git/ref/hookline/state"]);
  });

  it("the first write creates refs/hookline/state pointing at a parentless commit holding state.json, the tree carrying the text", async () => {
    const s = store();
    const saved = await s.save(withCount(1), null);
    expect(saved.ok).toBe(true);
    const sha = server.refs.get(REF);
    expect(saved).toEqual({ ok: true, version: sha });
    expect(server.commit(sha!).parents).toEqual([]);
    expect(JSON.parse(server.readRaw(REF)!)).toEqual(withCount(1));
    expect(server.log.slice(-3).map((l) => l.split(" ")[0] + " " + l.split("/").slice(4).join("/"))).toEqual([
      "POST git/trees",
      "POST git/commits",
      "POST git/refs",
    ]);
  });

  it("a read after a write returns the written state and the commit sha as its version", async () => {
    const s = store();
    const saved = await s.save(withCount(3), null);
    const loaded = await s.load();
    expect(loaded.state).toEqual(withCount(3));
    expect(saved.ok && loaded.version).toBe(saved.ok ? saved.version : "");
  });

  it("a later write is a child of the version it read (linear history, one parent per commit)", async () => {
    const s = store();
    const first = await s.save(withCount(1), null);
    const { version } = await s.load();
    const second = await s.save(withCount(2), version);
    expect(second.ok).toBe(true);
    expect(server.commit(server.refs.get(REF)!).parents).toEqual([first.ok ? first.version : ""]);
    expect((await s.load()).state).toEqual(withCount(2));
  });

  it("a state over the contents API's inline limit is read through the blob API", async () => {
    server.contentsLimit = 100;
    const big: ActionState = {
      ...emptyState(),
      dedupe: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`event:${i}`, "2024-01-01T00:00:00.000Z"])),
    };
    const s = store();
    await s.save(big, null);
    expect((await s.load()).state).toEqual(big);
    expect(server.log.at(-1)).toMatch(/^GET \/repos\/octo\/hello\/git\/blobs\/[0-9a-f]{40}$/);
  });

  it("prototype-like keys in the stored state stay plain keys and pollute nothing", async () => {
    server.writeRaw(REF, {
      "state.json": '{"version":1,"engine":null,"threads":{},"dedupe":{"__proto__":"2024-01-01T00:00:00Z","constructor":"x"},"paused":{}}',
    });
    const { state } = await store().load();
    expect(Object.keys(state.dedupe)).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(state.dedupe)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).constructor).toBe(Object);
  });
});

describe("git-ref store: compare-and-swap", () => {
  it("a write over a stale version is a conflict and leaves the ref where the other writer put it", async () => {
    const a = store();
    const b = store();
    await a.save(withCount(1), null);
    const readByA = await a.load();
    const readByB = await b.load();
    expect((await b.save(withCount(2), readByB.version)).ok).toBe(true);
    const winner = server.refs.get(REF);
    expect(await a.save(withCount(5), readByA.version)).toEqual({ ok: false, conflict: true });
    expect(server.refs.get(REF)).toBe(winner);
    expect((await a.load()).state).toEqual(withCount(2));
  });

  it("two first writers: the second gets 'Reference already exists' as a conflict", async () => {
    const a = store();
    const b = store();
    expect((await a.save(withCount(1), null)).ok).toBe(true);
    expect(await b.save(withCount(7), null)).toEqual({ ok: false, conflict: true });
    expect(JSON.parse(server.readRaw(REF)!)).toEqual(withCount(1));
  });

  it("two writers computing the SAME next state over the same parent do not both succeed (unique commits)", async () => {
    const a = store();
    const b = store();
    await a.save(withCount(0), null);
    const { version } = await a.load();
    expect((await a.save(withCount(1), version)).ok).toBe(true);
    expect(await b.save(withCount(1), version)).toEqual({ ok: false, conflict: true });
  });

  it("without a unique write id the fake server shows why it is needed: the same sha 'updates' to itself", async () => {
    const a = store({ writeId: () => "same" });
    const b = store({ writeId: () => "same" });
    await a.save(withCount(0), null);
    const { version } = await a.load();
    expect((await a.save(withCount(1), version)).ok).toBe(true);
    expect((await b.save(withCount(1), version)).ok).toBe(true);
  });

  it("a ref deleted meanwhile ('Reference does not exist') is a conflict, so the caller re-reads", async () => {
    const s = store();
    await s.save(withCount(1), null);
    const { version } = await s.load();
    server.refs.delete(REF);
    expect(await s.save(withCount(2), version)).toEqual({ ok: false, conflict: true });
  });
});

describe("git-ref store: failures a user can cause", () => {
  it("state.json that is not JSON is HOOKLINE_STATE_CORRUPT naming the ref and how to reset", async () => {
    server.writeRaw(REF, { "state.json": "{not json" });
    const err = await store()
      .load()
      .catch((e: unknown) => e as StateStoreError);
    expect(err).toBeInstanceOf(StateStoreError);
    expect((err as StateStoreError).code).toBe("HOOKLINE_STATE_CORRUPT");
    expect((err as StateStoreError).message).toContain("refs/hookline/state:state.json");
    expect((err as StateStoreError).message).toContain("git push origin :refs/hookline/state");
  });

  it.each([
    ["an unknown version", '{"version":0,"engine":null,"threads":{},"dedupe":{},"paused":{}}'],
    ["an array", "[]"],
    ["a dedupe entry that is not a time string", '{"version":1,"engine":null,"threads":{},"dedupe":{"a":1},"paused":{}}'],
    ["a thread without ts", '{"version":1,"engine":null,"threads":{"r":{"channel":"C","updated":"x"}},"dedupe":{},"paused":{}}'],
    ["an engine that is a string", '{"version":1,"engine":"x","threads":{},"dedupe":{},"paused":{}}'],
    ["an empty file", ""],
  ])("state.json with %s is HOOKLINE_STATE_CORRUPT", async (_, text) => {
    server.writeRaw(REF, { "state.json": text });
    expect(await codeOf(store().load())).toBe("HOOKLINE_STATE_CORRUPT");
  });

  it("a ref whose commit has no state.json is HOOKLINE_STATE_CORRUPT", async () => {
    server.writeRaw(REF, { "other.txt": "hi" });
    expect(await codeOf(store().load())).toBe("HOOKLINE_STATE_CORRUPT");
  });

  it("onCorrupt: reset warns and starts empty, and the next write lands on top of the bad commit", async () => {
    const bad = server.writeRaw(REF, { "state.json": "garbage" });
    const warnings: string[] = [];
    const s = store({ onCorrupt: "reset", warn: (m) => warnings.push(m) });
    const loaded = await s.load();
    expect(loaded).toEqual({ state: emptyState(), version: bad });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("starting from an empty state");
    const saved = await s.save(withCount(1), loaded.version);
    expect(saved.ok).toBe(true);
    expect(server.commit(server.refs.get(REF)!).parents).toEqual([bad]);
  });

  it("a state written by a newer hookline is HOOKLINE_STATE_NEWER and is never reset", async () => {
    server.writeRaw(REF, { "state.json": '{"version":2}' });
    expect(await codeOf(store({ onCorrupt: "reset", warn: () => {} }).load())).toBe("HOOKLINE_STATE_NEWER");
  });

  it("a read-only token gets HOOKLINE_STATE_FORBIDDEN telling to grant contents: write", async () => {
    server.readOnly = true;
    const err = await store()
      .save(withCount(1), null)
      .catch((e: unknown) => e as StateStoreError);
    expect((err as StateStoreError).code).toBe("HOOKLINE_STATE_FORBIDDEN");
    expect((err as StateStoreError).message).toContain("contents: write");
  });

  it("bad credentials on read are HOOKLINE_STATE_FORBIDDEN, not an empty state", async () => {
    expect(await codeOf(store({}, "wrong").load())).toBe("HOOKLINE_STATE_FORBIDDEN");
  });

  it("a state over the size limit is refused before any request (HOOKLINE_STATE_TOO_LARGE)", async () => {
    const huge: ActionState = { ...emptyState(), engine: { version: 1, pad: "x".repeat(8 * 1024 * 1024) } };
    expect(await codeOf(store().save(huge, null))).toBe("HOOKLINE_STATE_TOO_LARGE");
    expect(server.log).toEqual([]);
  });
});

describe("git-ref store: retried requests", () => {
  /** an Octokit whose ref writes are sent twice, as a retry plugin does when the first response is lost */
  function doubleSending(): OctokitLike {
    const octokit = getOctokit("token", { baseUrl: server.baseUrl });
    return {
      async request(route, params) {
        if (/^(POST|PATCH) .*git\/refs/.test(route)) await octokit.request(route, params);
        return octokit.request(route, params);
      },
    };
  }

  it.each([
    ["creating the ref ('Reference already exists' on the retry)", false],
    ["moving the ref (the retry updates to the sha it already has)", true],
  ])("a write whose first try landed is a success, not a conflict: %s", async (_, existing) => {
    const s = createGitRefStore({ octokit: doubleSending(), owner: "octo", repo: "hello" });
    if (existing) await store().save(withCount(1), null);
    const { version } = await s.load();
    const saved = await s.save(withCount(2), version);
    expect(saved).toEqual({ ok: true, version: server.refs.get(REF) });
    const r = await updateState(s, (x) => withCount(Number(x.engine?.count) + 1));
    expect(r.attempts).toBe(1);
    expect((await s.load()).state).toEqual(withCount(3));
  });
});
