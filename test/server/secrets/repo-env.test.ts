/**
 * Secrets isolation: a `repo:` scope's automations (written by anyone with push access to an installed
 * repository) read only HOOKLINE_REPO_ENV_ALLOW names and their owner's HOOKLINE_ORG_<OWNER>__<NAME> variables;
 * the server scope keeps the whole environment. Through the real worker path: evaluator → outbox worker →
 * send-notification, with the server's runtime composition in front of a stand-in GitHub App.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ACTION_CODES } from "../../../src/executors/index.js";
import { createFetchHttpPort } from "../../../src/adapters/index.js";
import { readServerConfig } from "../../../bots/server/config.js";
import { createScopeRuntime, orgEnvKey, repoScopeEnv, type Env } from "../../../bots/server/runtime.js";
import { evaluateOnce, runOutboxOnce, type ScopeRuntime } from "../../../bots/server/work/index.js";
import { startServer as startTarget, type TestServer } from "../../executors/helpers.js";
import { createFakeStore } from "../work/fake-store.js";
import { configOf, ev, T0, testClock, testLog } from "../work/helpers.js";

let target: TestServer | undefined;
afterEach(async () => {
  await target?.close();
  target = undefined;
});

const SECRETS = {
  DATABASE_URL: "postgres://hookline:db-password@db/hookline",
  WEBHOOK_SECRET: "app-webhook-secret",
  PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\nsecret\n-----END RSA PRIVATE KEY-----",
};

/** one automation with a webhook notifier reading `urlEnv` */
function notifyYaml(urlEnv: string): string {
  return `notifiers:
  out:
    type: webhook
    url_env: ${urlEnv}
automations:
  - name: tell
    trigger: {expect: [job.run.done]}
    actions: [{type: send-notification, notifier: out, body: "done"}]
`;
}

/** The server's runtime, with a stand-in App whose ports carry the WHOLE environment (the worst case). */
function runtimeFor(env: Env, yamlOf: (scope: string) => string, allow: string[] = []): ScopeRuntime {
  const app: { runtime: ScopeRuntime } = {
    runtime: {
      configOf: async (scope) => configOf(yamlOf(scope)),
      portsOf: async (scope) => ({
        http: createFetchHttpPort(),
        env,
        repository: { owner: scope.slice(5).split("/")[0]!, repo: scope.slice(5).split("/")[1]! },
      }),
    },
  };
  const server = { http: createFetchHttpPort(), env, repository: { owner: "ops", repo: "ops" } };
  // the targets are on loopback: let them through the egress policy (egress.test.ts tests the policy itself)
  const egress = { allow: ["127.0.0.1"] };
  return createScopeRuntime({ server: configOf(yamlOf("server")), serverPorts: server, app, env, repoEnvAllow: allow, egress });
}

/** Evaluates one event in `scope` and runs its action once; the outbox row and what the target received. */
async function fire(runtime: ScopeRuntime, scope: string) {
  const store = createFakeStore({ clock: () => T0 });
  await store.ingest([{ event: ev("job.run.done", T0), scopes: [scope], origin: { kind: "api", name: "test" } }]);
  expect(await evaluateOnce({ store, runtime, clock: testClock(), log: testLog() })).toBe(1);
  expect(await runOutboxOnce({ store, runtime, instance: "a", clock: testClock(), log: testLog(), lockMs: 60_000 })).toBe(1);
  const firing = (await store.listFirings(scope, null, 1))[0]!;
  return store.getOutbox(`${firing.id}:0`);
}

describe("secrets isolation: what a repository automation can read through *_env", () => {
  for (const name of Object.keys(SECRETS) as (keyof typeof SECRETS)[]) {
    it(`a repo automation naming ${name} fails with HOOKLINE_SECRET_MISSING and nothing is sent`, async () => {
      target = await startTarget(() => ({ status: 200 }));
      // the secret variable holds the target's URL: if it leaked, the target would receive the notification
      const env = { ...SECRETS, [name]: `${target.url}/leak` };
      const row = await fire(
        runtimeFor(env, () => notifyYaml(name)),
        "repo:mallory/app",
      );
      expect(row).toMatchObject({ status: "dead", lastError: { code: ACTION_CODES.secretMissing } });
      expect(target.requests).toHaveLength(0);
    });
  }

  it("a name in HOOKLINE_REPO_ENV_ALLOW works for every repository", async () => {
    target = await startTarget(() => ({ status: 200 }));
    const env = { ...SECRETS, TEAM_HOOK_URL: `${target.url}/team` };
    const row = await fire(
      runtimeFor(env, () => notifyYaml("TEAM_HOOK_URL"), ["TEAM_HOOK_URL"]),
      "repo:acme/app",
    );
    expect(row).toMatchObject({ status: "done" });
    expect(target.requests.map((r) => r.path)).toEqual(["/team"]);
  });

  it("the server scope keeps the whole environment (its configuration is the operator's)", async () => {
    target = await startTarget(() => ({ status: 200 }));
    const env = { ...SECRETS, OPS_HOOK_URL: `${target.url}/ops` };
    const row = await fire(
      runtimeFor(env, () => notifyYaml("OPS_HOOK_URL")),
      "server",
    );
    expect(row).toMatchObject({ status: "done" });
    expect(target.requests).toHaveLength(1);
  });

  it("an owner's HOOKLINE_ORG_<OWNER>__<NAME> reaches its repositories as <NAME>", async () => {
    target = await startTarget(() => ({ status: 200 }));
    const env = { ...SECRETS, HOOKLINE_ORG_ACME_CORP__HOOK_URL: `${target.url}/acme` };
    const row = await fire(
      runtimeFor(env, () => notifyYaml("HOOK_URL")),
      "repo:acme-corp/app",
    );
    expect(row).toMatchObject({ status: "done" });
    expect(target.requests.map((r) => r.path)).toEqual(["/acme"]);
  });

  it("org variables do not leak to another owner, neither as <NAME> nor by their full name", async () => {
    target = await startTarget(() => ({ status: 200 }));
    const env = { ...SECRETS, HOOKLINE_ORG_ACME__HOOK_URL: `${target.url}/acme` };
    for (const urlEnv of ["HOOK_URL", "HOOKLINE_ORG_ACME__HOOK_URL"]) {
      const row = await fire(
        runtimeFor(env, () => notifyYaml(urlEnv)),
        "repo:mallory/app",
      );
      expect(row).toMatchObject({ status: "dead", lastError: { code: ACTION_CODES.secretMissing } });
    }
    expect(target.requests).toHaveLength(0);
  });
});

describe("repoScopeEnv: the filtered environment of a repository scope", () => {
  const env: Env = {
    DATABASE_URL: "x",
    SHARED: "shared",
    HOOKLINE_ORG_ACME__TOKEN: "acme-token",
    HOOKLINE_ORG_ACME__SHARED: "acme-shared",
    HOOKLINE_ORG_ACMEX__TOKEN: "acmex-token",
    HOOKLINE_ORG_A__B__TOKEN: "ambiguous",
    HOOKLINE_ORG_acme__LOWER: "lower-case owner key",
    HOOKLINE_ORG_ACME__: "empty name",
  };

  it("holds only allowed names and the owner's variables; the owner's value wins over an allowed global", () => {
    expect({ ...repoScopeEnv(env, "repo:acme/app", ["SHARED", "NOT_SET"]) }).toEqual({ SHARED: "acme-shared", TOKEN: "acme-token" });
    expect({ ...repoScopeEnv(env, "repo:Acme/app", []) }).toEqual({ SHARED: "acme-shared", TOKEN: "acme-token" });
    expect({ ...repoScopeEnv(env, "repo:other/app", ["SHARED"]) }).toEqual({ SHARED: "shared" });
  });

  it("an owner whose key a prefix of another's does not see the other's variables (ACME vs ACMEX)", () => {
    expect(repoScopeEnv(env, "repo:acmex/app", []).TOKEN).toBe("acmex-token");
    expect(repoScopeEnv(env, "repo:acme/app", []).TOKEN).toBe("acme-token");
  });

  it("owner keys that could be read two ways get no org variables (a--b, -a, a-)", () => {
    expect(orgEnvKey("a--b")).toBeNull();
    expect(orgEnvKey("a-")).toBeNull();
    expect(orgEnvKey("-a")).toBeNull();
    expect(orgEnvKey("acme-corp")).toBe("ACME_CORP");
    // HOOKLINE_ORG_A__B__TOKEN belongs to no owner that can claim it unambiguously
    expect({ ...repoScopeEnv(env, "repo:a--b/app", []) }).toEqual({});
    expect(repoScopeEnv(env, "repo:a/app", [])).not.toHaveProperty("TOKEN");
  });

  it("not a repository scope, or a hostile one: nothing", () => {
    for (const scope of ["server", "repo:", "repo:acme", "repo:acme/app/extra", "repo:../x", "org:acme"]) {
      expect(Object.keys(repoScopeEnv(env, scope, ["SHARED"])).filter((k) => k !== "SHARED")).toEqual([]);
    }
    expect(Object.keys(repoScopeEnv(env, "server", ["SHARED"]))).toEqual([]);
  });

  it("inherited object properties are not variables (constructor, toString, __proto__)", () => {
    const filtered = repoScopeEnv(env, "repo:acme/app", ["constructor", "toString", "__proto__"]);
    expect(filtered.constructor).toBeUndefined();
    expect(filtered.toString).toBeUndefined();
  });
});

describe("HOOKLINE_REPO_ENV_ALLOW", () => {
  const base = { PORT: "0", HOOKLINE_DATA_DIR: "memory://" };

  it("is a comma-separated list of exact names, blanks and repeats dropped", () => {
    expect(readServerConfig({ ...base, HOOKLINE_REPO_ENV_ALLOW: " HOOKLINE_SLACK_TOKEN, TEAMS_URL,,TEAMS_URL " }).repoEnvAllow).toEqual([
      "HOOKLINE_SLACK_TOKEN",
      "TEAMS_URL",
    ]);
    expect(readServerConfig(base).repoEnvAllow).toEqual([]);
  });

  for (const name of [
    "DATABASE_URL",
    "WEBHOOK_SECRET",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "HOOKLINE_API_TOKEN",
    "HOOKLINE_GITHUB_TOKEN",
    "SLACK_SIGNING_SECRET",
  ]) {
    it(`may not name the server's own secret ${name}`, () => {
      expect(() => readServerConfig({ ...base, HOOKLINE_REPO_ENV_ALLOW: `OK_NAME,${name}` })).toThrow(
        expect.objectContaining({ code: "HOOKLINE_CONFIG_BAD_REPO_ENV_ALLOW" }),
      );
    });
  }

  it("refuses patterns, malformed names and HOOKLINE_ORG_ variables", () => {
    for (const value of ["*", "SLACK_*", "A B", "1ABC", "A=B", "HOOKLINE_ORG_ACME__TOKEN", "X".repeat(200)]) {
      expect(() => readServerConfig({ ...base, HOOKLINE_REPO_ENV_ALLOW: value }), value).toThrow(
        expect.objectContaining({ code: "HOOKLINE_CONFIG_BAD_REPO_ENV_ALLOW" }),
      );
    }
  });
});

describe("the server's runtime hands repositories the filtered environment whatever the App's ports carry", () => {
  it("portsOf(repo:) has only the allowed and owner variables; portsOf(server) has everything", async () => {
    const env = { ...SECRETS, ALLOWED: "a", HOOKLINE_ORG_ACME__MINE: "m" };
    const runtime = runtimeFor(env, () => notifyYaml("X"), ["ALLOWED"]);
    expect({ ...(await runtime.portsOf("repo:acme/app")).env }).toEqual({ ALLOWED: "a", MINE: "m" });
    expect((await runtime.portsOf("server")).env).toBe(env);
  });
});
