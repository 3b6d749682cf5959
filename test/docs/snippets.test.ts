/**
 * Every YAML, shell and JSON block of README.md and docs/*.md is read by what it documents (issue 13 item 4), so
 * the docs cannot drift: YAML through the loader that owns the file (automations, webhooks, database, slack) or,
 * for workflows, against action.yml; shell blocks through `bash -n`, their hookline commands against the CLI's
 * usage and npm scripts against package.json, and the ones that curl the server are run against a real server
 * started here on 127.0.0.1; JSON blocks parse. Failures name the block's file:line.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { parseSlackPolicy } from "../../bots/slack/policy.js";
import { loadAutomations, type Problem } from "../../src/automations/index.js";
import { USAGE } from "../../src/cli/usage.js";
import { loadDatabaseConfig } from "../../src/database/index.js";
import { loadWebhooks } from "../../src/webhooks/index.js";
import { blocksOf, documentationFiles, NOT_CHECKED, ROOT, SHELL, YAML, type Block } from "./snippet-blocks.js";

const BLOCKS = documentationFiles().flatMap(blocksOf);
const ACTION_INPUTS = Object.keys((parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: object }).inputs);
const NPM_SCRIPTS = Object.keys((JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: object }).scripts);
const COMMANDS = Object.keys(USAGE).filter((k) => k !== "main");

const errors = (problems: readonly Problem[]) => problems.filter((p) => p.severity === "error").map((p) => `${p.line}: ${p.message}`);

type Step = { uses?: string; with?: Record<string, unknown> };
/** a hookline step: `uses: OWNER/hookline@v1` (a released major), only inputs action.yml declares */
function stepProblems(step: Step): string[] {
  if (!step.uses || !/\/hookline@/.test(step.uses)) return [];
  const out: string[] = [];
  if (!/^[\w-]+\/hookline@v\d+$/.test(step.uses)) out.push(`uses ${step.uses}: expected OWNER/hookline@v1`);
  for (const k of Object.keys(step.with ?? {})) if (!ACTION_INPUTS.includes(k)) out.push(`input ${k} is not in action.yml`);
  return out;
}

/** what is wrong with a YAML block, read by the loader of the file it shows */
function yamlProblems(b: Block): string[] {
  let doc: unknown;
  try {
    doc = parse(b.text);
  } catch (e) {
    return [`not YAML: ${String(e)}`];
  }
  if (/not a hookline file/.test(b.text.split("\n")[0]!)) return [];
  const keys = doc && typeof doc === "object" && !Array.isArray(doc) ? Object.keys(doc) : [];
  if (Array.isArray(doc)) {
    const steps = doc as Step[];
    return steps.some((s) => s && typeof s === "object" && ("uses" in s || "run" in s))
      ? steps.flatMap(stepProblems)
      : ["a list that is not workflow steps"];
  }
  if (keys.includes("jobs") || keys.includes("on")) {
    const wf = doc as { on?: unknown; jobs?: Record<string, { steps?: Step[] }> };
    if (!wf.on || !wf.jobs) return ["a workflow needs `on` and `jobs`"];
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps ?? []);
    if (!steps.some((s) => /\/hookline@/.test(s.uses ?? ""))) return ["a workflow without a hookline step"];
    return steps.flatMap(stepProblems);
  }
  if (keys.some((k) => ["automations", "notifiers", "workflows"].includes(k))) return errors(loadAutomations(b.text, b.at).problems);
  if (keys.length === 1 && keys[0] === "trigger") {
    const file = `automations:\n  - name: snippet\n${b.text.replace(/^(?=.)/gm, "    ")}    actions: [{ type: do-nothing }]\n`;
    return errors(loadAutomations(file, b.at).problems);
  }
  if (keys.includes("webhooks")) return errors(loadWebhooks(b.text, b.at).problems);
  if (keys.includes("sources")) return errors(loadDatabaseConfig(b.text, b.at).problems);
  if (keys.includes("rules")) return errors(parseSlackPolicy(b.text, b.at).problems);
  return [`no loader reads a file with ${keys.join(", ")}: mark what is not a hookline file on its first line`];
}

function jsonProblems(b: Block): string[] {
  try {
    JSON.parse(b.text);
    return [];
  } catch {
    // JSON lines
    return b.text
      .split("\n")
      .filter((l) => l.trim())
      .flatMap((l, i) => {
        try {
          JSON.parse(l);
          return [];
        } catch (e) {
          return [`line ${i + 1}: ${String(e)}`];
        }
      });
  }
}

/** the hookline commands a shell block calls exist in the CLI's usage, its npm scripts in package.json */
function commandProblems(b: Block): string[] {
  const out: string[] = [];
  for (const m of b.text.matchAll(/(?:^|[\s;&|(])(?:npx hookline|hookline|node bin\/hookline\.js) ([a-z-]+)/gm))
    if (!COMMANDS.includes(m[1]!)) out.push(`hookline ${m[1]} is not a command (${COMMANDS.join(", ")})`);
  for (const m of b.text.matchAll(/\bnpm run ([\w:-]+)/g)) if (!NPM_SCRIPTS.includes(m[1]!)) out.push(`npm run ${m[1]}: no such script`);
  return out;
}

const LOCAL_SERVER = "127.0.0.1:8080";
/** blocks that talk to the server of the Quickstart: run against a real one */
const runsAgainstServer = (b: Block) => SHELL.has(b.info) && /\bcurl\b/.test(b.text) && b.text.includes(LOCAL_SERVER);

describe("README.md and docs/*.md blocks", () => {
  it("every block says what it is: an info string (`text` for output)", () => {
    expect(BLOCKS.length).toBeGreaterThan(30);
    expect(BLOCKS.filter((b) => b.info === "").map((b) => b.at)).toEqual([]);
  });

  it("every YAML block is loaded by its owner without errors (automations, webhooks, database, slack, workflow steps)", () => {
    const bad = BLOCKS.filter((b) => YAML.has(b.info)).flatMap((b) => yamlProblems(b).map((p) => `${b.at}: ${p}`));
    expect(bad).toEqual([]);
  });

  it("every JSON block parses (a document or JSON lines)", () => {
    const bad = BLOCKS.filter((b) => b.info === "json").flatMap((b) => jsonProblems(b).map((p) => `${b.at}: ${p}`));
    expect(bad).toEqual([]);
  });

  it("every shell block parses (bash -n) and calls only hookline commands and npm scripts that exist", () => {
    const bad = BLOCKS.filter((b) => SHELL.has(b.info)).flatMap((b) => {
      const r = spawnSync("bash", ["-n"], { input: b.text, encoding: "utf8" });
      return [...(r.status === 0 ? [] : [`bash -n: ${r.stderr.trim()}`]), ...commandProblems(b)].map((p) => `${b.at}: ${p}`);
    });
    expect(bad).toEqual([]);
  });

  it("no block is of a kind nobody reads unless it says so (yaml, sh, json, or text/ts/mermaid/sql)", () => {
    const unknown = BLOCKS.filter(
      (b) => b.info && !YAML.has(b.info) && !SHELL.has(b.info) && b.info !== "json" && !NOT_CHECKED.has(b.info),
    );
    expect(unknown.map((b) => `${b.at}: ${b.info}`)).toEqual([]);
  });
});

describe("the shell blocks that call the Quickstart's server, run against `hookline serve` on 127.0.0.1", () => {
  const SECRETS = { MAINFRAME_WEBHOOK_SECRET: "s1", BLOB_WEBHOOK_HMAC_KEY: "s2", PIPELINE_WEBHOOK_SECRET: "s3" };
  let home = "";
  let url = "";
  let server: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    // a folder laid out like a clone the README is followed in: examples/ and the server's .hookline/
    home = mkdtempSync(join(tmpdir(), "hookline-snippets-"));
    symlinkSync(join(ROOT, "examples"), join(home, "examples"));
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LOG_LEVEL: "warn", ...SECRETS };
    server = spawn(process.execPath, [join(ROOT, "bin/hookline.js"), "serve", "--port", "0", "--data-dir", join(home, ".hookline/data")], {
      cwd: home,
      env: { ...env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    server.stdout!.on("data", (d) => (out += d));
    server.stderr!.on("data", (d) => (out += d));
    url = await new Promise<string>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /"msg":"ready (http:\/\/[^"]+)"/.exec(out);
        if (m) {
          clearInterval(t);
          resolve(m[1]!);
        }
      }, 20);
      server!.on("exit", (code) => {
        clearInterval(t);
        reject(new Error(`hookline serve exited ${code}: ${out}`));
      });
    });
  });

  afterAll(() => {
    server?.kill("SIGTERM");
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const blocks = BLOCKS.filter(runsAgainstServer);
  it("there are such blocks (the Quickstart's walk-through among them)", () => {
    expect(blocks.map((b) => b.file)).toContain("README.md");
  });

  for (const b of blocks) {
    it(`${b.at} runs: exit 0, every request answered without an error`, () => {
      const address = url.replace(/^http:\/\//, "").replace(/\/$/, "");
      const script = b.text.replaceAll(LOCAL_SERVER, address);
      const r = spawnSync("bash", ["-e", "-o", "pipefail", "-c", script], {
        cwd: home,
        env: { PATH: process.env.PATH, HOME: home, HOOKLINE_URL: url.replace(/\/$/, "") },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(r.status, `${b.at}\n${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout, b.at).not.toMatch(/"error":\{"code"|: [45]\d\d$/m);
    });
  }
});
