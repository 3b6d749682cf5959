import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { authorize, loadSlackPolicy, parseSlackPolicy, SlackPolicyError, type AuthRequest } from "../../bots/slack/policy.js";
import { cachedGroupMembers } from "../../bots/slack/user-groups.js";

const parse = (text: string) => parseSlackPolicy(text, "/cfg/slack.yaml");
const noGroups = async (): Promise<ReadonlySet<string>> => new Set();
const req = (over: Partial<AuthRequest> = {}): AuthRequest => ({
  verb: "pause",
  scope: "repo:acme/app",
  automation: "deploy",
  user: "U1",
  channel: "C1",
  ...over,
});

describe("slack.yaml loading", () => {
  it("a valid file gives rules with defaults (every scope, every automation) and where each rule starts", () => {
    const { policy, problems } = parse("rules:\n  - allow: [pause, resume]\n    users: [U1]\n");
    expect(problems).toEqual([]);
    expect(policy!.rules).toEqual([
      {
        allow: ["pause", "resume"],
        scopes: ["*"],
        automations: ["*"],
        users: ["U1"],
        user_groups: [],
        channels: [],
        where: "slack.yaml:2:5",
      },
    ]);
  });

  it("an unknown verb, an unknown key and a user name instead of an id are errors at their line and column", () => {
    const { policy, problems } = parse("rules:\n  - allow: [pause, delete]\n    users: ['@alice']\n    chanels: [C1]\n");
    expect(policy).toBeNull();
    const at = problems.map((p) => `${p.line}:${p.col}`);
    expect(at).toContain("2:20");
    expect(at).toContain("3:13");
    expect(at).toContain("4:5");
    expect(problems.find((p) => p.line === 3)!.message).toContain("use the id, not a name");
    expect(problems.find((p) => p.line === 4)!.hint ?? problems.find((p) => p.line === 4)!.message).toContain("channels");
  });

  it("a rule that names nobody is refused: it would let anyone change automations", () => {
    const { policy, problems } = parse("rules:\n  - allow: [pause]\n    scopes: ['*']\n");
    expect(policy).toBeNull();
    expect(problems[0]).toMatchObject({ code: "HOOKLINE_SLACK_RULE_TOO_BROAD", line: 2 });
  });

  it("a scope that is not server, repo:… or * is refused", () => {
    expect(parse("rules:\n  - allow: [pause]\n    scopes: ['acme/app']\n    users: [U1]\n").policy).toBeNull();
  });

  it("hostile YAML (alias bomb, not a mapping, duplicate keys) is a problem, never a crash", () => {
    const bomb =
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nrules: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    for (const text of [bomb, "- a\n- b\n", "rules: []\nrules: []\n", "", "rules: 5"]) {
      const { policy, problems } = parse(text);
      expect(policy).toBeNull();
      expect(problems.length).toBeGreaterThan(0);
    }
  });

  it("no slack.yaml in the config folder means nobody may change anything; a bad one stops the start with every problem", () => {
    const dir = mkdtempSync(join(tmpdir(), "hookline-slack-"));
    expect(loadSlackPolicy(dir)).toEqual({ rules: [], file: null });
    writeFileSync(join(dir, "slack.yaml"), "rules:\n  - allow: [pause]\n");
    expect(() => loadSlackPolicy(dir)).toThrow(SlackPolicyError);
    try {
      loadSlackPolicy(dir);
    } catch (e) {
      expect((e as SlackPolicyError).problems[0]).toMatch(/slack\.yaml:2:5: error: this rule names nobody/);
    }
  });
});

describe("authorization: default deny for changes", () => {
  const { policy } = parse(
    [
      "rules:",
      "  - allow: [pause, resume]",
      "    scopes: ['repo:acme/*']",
      "    automations: ['deploy*']",
      "    users: [U1]",
      "  - allow: [rerun]",
      "    scopes: [server]",
      "    user_groups: [SOPS]",
      "    channels: [COPS]",
    ].join("\n"),
  );

  it("a listed user may do the listed verbs on matching scopes and automations", async () => {
    expect(await authorize(policy!, req(), noGroups)).toMatchObject({ allowed: true });
    expect(await authorize(policy!, req({ verb: "resume", scope: "repo:acme/other", automation: "deploy-prod" }), noGroups)).toMatchObject({
      allowed: true,
    });
  });

  it("another verb, scope or automation is denied, and the answer says which rule would allow what", async () => {
    const verb = await authorize(policy!, req({ verb: "cancel" }), noGroups);
    expect(verb).toMatchObject({ allowed: false });
    expect(!verb.allowed && verb.reason).toContain("no rule in slack.yaml allows `cancel` there");
    expect(await authorize(policy!, req({ scope: "repo:evil/app" }), noGroups)).toMatchObject({ allowed: false });
    expect(await authorize(policy!, req({ automation: "nightly" }), noGroups)).toMatchObject({ allowed: false });
    const other = await authorize(policy!, req({ user: "U2" }), noGroups);
    expect(!other.allowed && other.reason).toContain("rule at slack.yaml:2:5 allows pause/resume on repo:acme/* : deploy* for users U1");
  });

  it("user groups need membership AND the rule's channel", async () => {
    const members = async () => new Set(["U7"]) as ReadonlySet<string>;
    const r = req({ verb: "rerun", scope: "server", automation: "x", user: "U7" });
    expect(await authorize(policy!, { ...r, channel: "COPS" }, members)).toMatchObject({ allowed: true });
    expect(await authorize(policy!, { ...r, channel: "CELSE" }, members)).toMatchObject({ allowed: false });
    expect(await authorize(policy!, { ...r, channel: null }, members)).toMatchObject({ allowed: false });
    expect(await authorize(policy!, { ...r, user: "U8", channel: "COPS" }, members)).toMatchObject({ allowed: false });
  });

  it("with no policy file every change is denied, saying so", async () => {
    const d = await authorize({ rules: [], file: null }, req(), noGroups);
    expect(!d.allowed && d.reason).toContain("has no slack.yaml");
  });

  it("group membership is cached for the TTL, failures are not cached", async () => {
    let t = 0;
    const calls: string[] = [];
    let fail = true;
    const members = cachedGroupMembers(
      {
        async list(g) {
          calls.push(g);
          if (fail) throw new Error("missing_scope");
          return ["U1"];
        },
      },
      () => t,
      1000,
    );
    await expect(members("S1")).rejects.toThrow("missing_scope");
    fail = false;
    expect((await members("S1")).has("U1")).toBe(true);
    t = 999;
    await members("S1");
    expect(calls).toEqual(["S1", "S1"]);
    t = 2000;
    await members("S1");
    expect(calls).toEqual(["S1", "S1", "S1"]);
  });
});
