/**
 * docs/action.md is true as written: its inputs and outputs tables are action.yml's, its state families table
 * is the code's, every YAML snippet parses and validates (workflow steps against action.yml and the Action's
 * input rules, automations files against the loader), and every notify snippet, with examples/workflows/
 * notify-step.yml, posts exactly what its filters promise when run through dist/index.js against the stand-ins.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readInputs } from "../../src/action/inputs.js";
import { loadAutomations } from "../../src/automations/index.js";
import { STATE_FAMILIES } from "../../src/github/state.js";
import { startFakeGitHub, startFakeSlack, type FakeGitHub, type FakeSlack } from "./fake-apis.js";
import { ROOT, nodeBinaries, runDist } from "./run-dist.js";

const doc = readFileSync(join(ROOT, "docs/action.md"), "utf8");
const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
};
type Step = { uses?: string; if?: string; with?: Record<string, unknown> };

/** rows of the markdown table whose header starts with `| first |` */
function table(first: string): string[][] {
  const lines = doc.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`| ${first} |`));
  expect(start, `docs/action.md has a | ${first} | table`).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (let i = start + 2; i < lines.length && lines[i]!.startsWith("|"); i++)
    rows.push(
      lines[i]!.split("|")
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  return rows;
}
const unquote = (cell: string) => cell.replace(/^`|`$/g, "");
const names = (cell: string) => [...cell.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!);

const snippets = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
const hooklineSteps = (value: unknown): Step[] => {
  const steps: Step[] = Array.isArray(value)
    ? value
    : (value as { jobs?: unknown }).jobs
      ? Object.values((value as { jobs: Record<string, { steps: Step[] }> }).jobs).flatMap((j) => j.steps)
      : [value as Step];
  return steps.filter((s) => s.uses?.startsWith("OWNER/hookline@"));
};
const exampleStep = hooklineSteps(parse(readFileSync(join(ROOT, "examples/workflows/notify-step.yml"), "utf8")))[0]!;

/** a step's `with`, its expressions replaced by what the runner would pass */
function withValues(step: Step, secrets: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.with ?? {}))
    out[k] = String(v).replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
      if (expr === "job.status") return "failure";
      if (expr === "github.token") return "test-token";
      const secret = /^secrets\.(\w+)$/.exec(expr)?.[1];
      if (secret && secrets[secret] !== undefined) return secrets[secret];
      throw new Error(`docs/action.md: unknown expression ${expr}`);
    });
  return out;
}
const SECRETS = { SLACK_BOT_TOKEN: "xoxb-docs", SLACK_WEBHOOK_URL: "https://hooks.slack.com/services/T0/B0/x" };

describe("docs/action.md", () => {
  it("the inputs table lists every input of action.yml, in order, with its default; the outputs table every output", () => {
    const rows = table("Input");
    expect(rows.map((r) => unquote(r[0]!))).toEqual(Object.keys(action.inputs));
    for (const [name, def] of rows) expect(unquote(def!), `default of ${name}`).toBe(String(action.inputs[unquote(name!)]!.default ?? ""));
    expect(table("Output").map((r) => unquote(r[0]!))).toEqual(Object.keys(action.outputs));
  });

  it("the state families table is STATE_FAMILIES", () => {
    const documented = Object.fromEntries(table("Family").map(([family, members]) => [names(family!)[0]!, names(members!)]));
    expect(documented).toEqual(STATE_FAMILIES);
  });

  it("every YAML snippet parses and validates: hookline steps against action.yml and the input rules, automations against the loader", () => {
    expect(snippets.length).toBeGreaterThanOrEqual(5);
    let steps = 0;
    for (const text of snippets) {
      const value = parse(text) as Record<string, unknown>;
      if ("automations" in value) {
        const loaded = loadAutomations(text, "docs/action.md");
        expect(loaded.problems, text).toEqual([]);
        expect(loaded.config?.automations.length).toBeGreaterThan(0);
        continue;
      }
      for (const step of hooklineSteps(value)) {
        steps++;
        for (const key of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs), key).toContain(key);
        const given = withValues(step, SECRETS);
        expect(() => readInputs((name) => given[name] ?? String(action.inputs[name]?.default ?? "")), text).not.toThrow();
        if (given.mode === "notify") expect(step.if).toBe("always()");
      }
    }
    expect(steps).toBe(snippets.length - 1);
  });
});

describe("docs/action.md's notify snippets and examples/workflows/notify-step.yml, run through dist/index.js (node 24)", () => {
  const node = nodeBinaries().at(-1)!.node;
  let gh: FakeGitHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    gh = await startFakeGitHub();
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await gh.close();
    await slack.close();
  });
  const notifySteps = [exampleStep, ...snippets.flatMap((t) => hooklineSteps(parse(t)))].filter((s) => s.with?.mode === "notify");
  const job = (conclusion: string) => ({
    id: 42,
    name: "build",
    status: "in_progress",
    runner_name: "r1",
    started_at: new Date().toISOString(),
    steps: [{ name: "test", status: "completed", conclusion, number: 1 }],
  });

  it.each(notifySteps.map((step, i) => [i, step] as const))(
    "notify step %i posts a failed job once and filters as it says",
    async (_, step) => {
      const run = async (conclusion: string, jobStatus: string) => {
        const before = slack.calls.length;
        gh.jobs.set("1234567", [job(conclusion)]);
        const inputs = { ...withValues(step, { ...SECRETS, SLACK_WEBHOOK_URL: slack.webhookUrl }), "job-status": jobStatus };
        const r = await runDist({
          node,
          apiUrl: gh.url,
          inputs: { ...inputs, "slack-api-url": slack.url },
          env: { GITHUB_JOB: "build", RUNNER_NAME: "r1", GITHUB_WORKFLOW: "CI", GITHUB_REF_NAME: "main" },
        });
        expect(r.code, r.stdout + r.stderr).toBe(0);
        expect(r.annotations).toEqual([]);
        return { r, posted: slack.calls.slice(before) };
      };
      const failed = await run("failure", "failure");
      expect(failed.r.outputs).toMatchObject({ state: "Failed", fired: "1" });
      expect(failed.posted).toHaveLength(1);
      expect(failed.posted[0]!.method).toBe(step.with?.["slack-webhook-url"] ? "webhook" : "chat.postMessage");
      const passed = await run("success", "success");
      expect(passed.r.outputs.state).toBe("Completed");
      expect(passed.posted).toHaveLength(step.with?.only_states ? 0 : 1);
    },
  );
});
