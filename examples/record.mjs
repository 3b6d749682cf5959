#!/usr/bin/env node
/**
 * Re-records the example event streams, reproducibly:
 *
 *   npm run build && node examples/record.mjs           # rewrite the files
 *   npm run build && node examples/record.mjs --check   # exit 1 when a file differs from a fresh recording
 *
 * 1. examples/<name>/webhooks.jsonl: webhook deliveries ({name, delivery, payload}) built from GitHub's REAL
 *    payloads in @octokit/webhooks-examples, edited only where each story needs it (workflow, run id, run
 *    number, branch, commit sha, status, conclusion, times, release tag).
 * 2. examples/<name>/events.jsonl: those deliveries translated by `hookline translate` (the built CLI), one
 *    standard event per line, in delivery order.
 *
 * Plain node: imports nothing but node: modules and the JSON payloads from node_modules.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const EXAMPLES = fileURLToPath(new URL(".", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "hookline.js");

/** @type {{name: string, examples: any[]}[]} */
const ALL = require("@octokit/webhooks-examples/api.github.com/index.json");
function realPayloads(name) {
  const found = ALL.find((e) => e.name === name);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name} payloads`);
  return found.examples;
}
const clone = (v) => JSON.parse(JSON.stringify(v));

// ---- workflow_run: the real "requested" (queued) and "completed" (success) deliveries of run 289782451 ----

const RUNS = realPayloads("workflow_run");
const REQUESTED = RUNS.find((p) => p.action === "requested" && p.workflow_run.status === "queued");
const COMPLETED = RUNS.find(
  (p) => p.action === "completed" && p.workflow_run.conclusion === "success" && p.workflow_run.pull_requests.length === 0,
);
if (!REQUESTED || !COMPLETED) throw new Error("@octokit/webhooks-examples changed: workflow_run requested/completed examples not found");
const BASE_RUN_ID = String(COMPLETED.workflow_run.id);
const BASE_WORKFLOW_ID = String(COMPLETED.workflow.id);
const BASE_SHA = COMPLETED.workflow_run.head_sha;
const BASE_PATH = COMPLETED.workflow.path; // .github/workflows/test.yml

/** Workflows of octo-org/octo-repo used by the stories (ids are made up, names are what `github.workflow` holds). */
const WORKFLOWS = {
  CI: { id: 3001, name: "CI", file: "ci.yml" },
  Docs: { id: 3002, name: "Docs", file: "docs.yml" },
  Build: { id: 3003, name: "Build", file: "build.yml" },
  E2E: { id: 3004, name: "E2E", file: "e2e.yml" },
  Tests: { id: 3005, name: "Tests", file: "tests.yml" },
  Lint: { id: 3006, name: "Lint", file: "lint.yml" },
  Deploy: { id: 3007, name: "Deploy", file: "deploy.yml" },
  Rollback: { id: 3008, name: "Rollback", file: "rollback.yml" },
};

/**
 * One delivery of a workflow run. `run`: {workflow, id, number, branch, sha, title, event}; `step`: "requested",
 * "in_progress" (the requested payload with status in_progress: the examples hold no in_progress delivery) or a
 * conclusion of a completed run ("success", "failure", "cancelled", ...). `times`: {created, started, updated}.
 */
function workflowRun(run, step, times) {
  const base = step === "requested" || step === "in_progress" ? REQUESTED : COMPLETED;
  const wf = run.workflow;
  const text = JSON.stringify(base)
    .replaceAll(BASE_RUN_ID, String(run.id))
    .replaceAll(BASE_WORKFLOW_ID, String(wf.id))
    .replaceAll(BASE_SHA, run.sha)
    .replaceAll(BASE_PATH, `.github/workflows/${wf.file}`)
    .replaceAll("/workflows/test/badge.svg", `/workflows/${wf.name}/badge.svg`);
  const payload = JSON.parse(text);
  const r = payload.workflow_run;
  payload.action = step === "requested" || step === "in_progress" ? step : "completed";
  r.name = wf.name;
  payload.workflow.name = wf.name;
  r.run_number = run.number;
  r.head_branch = run.branch;
  r.event = run.event ?? "push";
  r.display_title = run.title;
  r.head_commit.message = run.title;
  r.head_commit.timestamp = times.created;
  r.status = step === "requested" ? "queued" : step === "in_progress" ? "in_progress" : "completed";
  r.conclusion = r.status === "completed" ? step : null;
  r.created_at = times.created;
  r.run_started_at = times.started ?? times.created;
  r.updated_at = times.updated;
  return { name: "workflow_run", payload };
}

/** The three deliveries GitHub sends for a run: requested, in_progress, completed with `conclusion`. */
function runLifecycle(run, conclusion, requestedAt, startedAt, completedAt) {
  return [
    workflowRun(run, "requested", { created: requestedAt, updated: requestedAt }),
    workflowRun(run, "in_progress", { created: requestedAt, started: startedAt, updated: startedAt }),
    workflowRun(run, conclusion, { created: requestedAt, started: startedAt, updated: completedAt }),
  ];
}

// ---- release: the real "published", "prereleased" and "released" deliveries of release 0.0.1 ----

const RELEASES = realPayloads("release");
function release(action, tag, prerelease, id, at) {
  const base = RELEASES.find((p) => p.action === action);
  const oldTag = base.release.tag_name;
  const payload = JSON.parse(JSON.stringify(base).replaceAll(String(base.release.id), String(id)));
  const rel = payload.release;
  rel.tag_name = tag;
  rel.name = tag;
  rel.prerelease = prerelease;
  for (const k of ["html_url", "tarball_url", "zipball_url"]) rel[k] = rel[k].replace(`/${oldTag}`, `/${tag}`);
  rel.target_commitish = "main";
  rel.created_at = at;
  rel.published_at = at;
  return { name: "release", payload };
}

// ---- the stories (all in UTC) ----

const sha = (seed) => createHash("sha1").update(seed).digest("hex");

const STORIES = {
  // CI fails twice (a feature branch, then main); a Docs failure and a cancelled CI run must not notify.
  "notify-failed-runs": () => {
    const ci = (id, number, branch, title) => ({ workflow: WORKFLOWS.CI, id, number, branch, sha: sha(`ci-${id}`), title });
    return [
      ...runLifecycle(
        ci(9001, 101, "main", "Bump zod to 4.6"),
        "success",
        "2024-05-06T09:00:00Z",
        "2024-05-06T09:00:10Z",
        "2024-05-06T09:06:40Z",
      ),
      ...runLifecycle(
        ci(9002, 102, "feature/login-form", "Login form: validate e-mail"),
        "failure",
        "2024-05-06T10:15:00Z",
        "2024-05-06T10:15:12Z",
        "2024-05-06T10:21:30Z",
      ),
      ...runLifecycle(
        { workflow: WORKFLOWS.Docs, id: 9003, number: 57, branch: "main", sha: sha("docs-9003"), title: "Docs: fix broken links" },
        "failure",
        "2024-05-06T10:30:00Z",
        "2024-05-06T10:30:08Z",
        "2024-05-06T10:32:00Z",
      ),
      ...runLifecycle(
        ci(9004, 103, "main", "Refactor session store"),
        "cancelled",
        "2024-05-06T11:00:00Z",
        "2024-05-06T11:00:09Z",
        "2024-05-06T11:02:00Z",
      ),
      ...runLifecycle(
        ci(9005, 104, "main", "Refactor session store (again)"),
        "failure",
        "2024-05-06T11:05:00Z",
        "2024-05-06T11:05:11Z",
        "2024-05-06T11:14:00Z",
      ),
    ];
  },

  // Build succeeds on a feature branch (no deploy), fails on main (no deploy), then succeeds on main (deploy).
  "dispatch-follow-up": () => {
    const build = (id, number, branch, title) => ({ workflow: WORKFLOWS.Build, id, number, branch, sha: sha(`build-${id}`), title });
    return [
      ...runLifecycle(
        build(9101, 311, "feature/cache-deps", "Cache npm dependencies"),
        "success",
        "2024-05-07T08:30:00Z",
        "2024-05-07T08:30:14Z",
        "2024-05-07T08:41:02Z",
      ),
      ...runLifecycle(
        build(9102, 312, "main", "Merge pull request #88 from octo-org/feature/cache-deps"),
        "failure",
        "2024-05-07T09:00:00Z",
        "2024-05-07T09:00:12Z",
        "2024-05-07T09:12:30Z",
      ),
      ...runLifecycle(
        build(9103, 313, "main", "Fix cache key for lockfile v3"),
        "success",
        "2024-05-07T09:20:00Z",
        "2024-05-07T09:20:11Z",
        "2024-05-07T09:31:45Z",
      ),
    ];
  },

  // E2E run A finishes in 18 minutes; run B hangs past 30 minutes, then finishes at 10:52.
  "stuck-run": () => {
    const a = { workflow: WORKFLOWS.E2E, id: 9201, number: 740, branch: "main", sha: sha("e2e-a"), title: "Speed up checkout tests" };
    const b = { workflow: WORKFLOWS.E2E, id: 9202, number: 741, branch: "main", sha: sha("e2e-b"), title: "Add payment provider sandbox" };
    const [aReq, aRun, aDone] = runLifecycle(a, "success", "2024-05-08T10:00:00Z", "2024-05-08T10:00:20Z", "2024-05-08T10:18:05Z");
    const [bReq, bRun, bDone] = runLifecycle(b, "success", "2024-05-08T10:05:00Z", "2024-05-08T10:05:30Z", "2024-05-08T10:52:10Z");
    return [aReq, aRun, bReq, bRun, aDone, bDone];
  },

  // 11:00 push: Lint passes, Tests fail (flaky?). 15:00 push: Lint and Tests both fail, 6 minutes apart.
  compound: () => {
    const run = (workflow, id, number, commit) => ({ workflow, id, number, branch: "main", sha: sha(commit), title: commit });
    const first = "Upgrade eslint to v9";
    const second = "Rename Session to UserSession";
    const [l1Req, l1Run, l1Done] = runLifecycle(
      run(WORKFLOWS.Lint, 9301, 88, first),
      "success",
      "2024-05-09T11:00:05Z",
      "2024-05-09T11:00:15Z",
      "2024-05-09T11:02:30Z",
    );
    const [t1Req, t1Run, t1Done] = runLifecycle(
      run(WORKFLOWS.Tests, 9302, 412, first),
      "failure",
      "2024-05-09T11:00:05Z",
      "2024-05-09T11:00:18Z",
      "2024-05-09T11:08:40Z",
    );
    const [l2Req, l2Run, l2Done] = runLifecycle(
      run(WORKFLOWS.Lint, 9303, 89, second),
      "failure",
      "2024-05-09T15:00:03Z",
      "2024-05-09T15:00:12Z",
      "2024-05-09T15:03:10Z",
    );
    const [t2Req, t2Run, t2Done] = runLifecycle(
      run(WORKFLOWS.Tests, 9304, 413, second),
      "failure",
      "2024-05-09T15:00:03Z",
      "2024-05-09T15:00:16Z",
      "2024-05-09T15:09:20Z",
    );
    return [l1Req, t1Req, l1Run, t1Run, l1Done, t1Done, l2Req, t2Req, l2Run, t2Run, l2Done, t2Done];
  },

  // A rollback drill at 09:00 (no deploy failed before it), a good deploy at 10:00, then at 14:00 a deploy that
  // fails and is rolled back by hand at 14:15.
  sequence: () => {
    const deploy = (id, number, title) => ({ workflow: WORKFLOWS.Deploy, id, number, branch: "main", sha: sha(`deploy-${id}`), title });
    const rollback = (id, number) => ({
      workflow: WORKFLOWS.Rollback,
      id,
      number,
      branch: "main",
      sha: sha(`rollback-${id}`),
      title: "Rollback",
      event: "workflow_dispatch",
    });
    return [
      ...runLifecycle(rollback(9401, 12), "success", "2024-05-10T09:00:00Z", "2024-05-10T09:00:07Z", "2024-05-10T09:02:30Z"),
      ...runLifecycle(
        deploy(9402, 230, "Release 2024.05.10-1"),
        "success",
        "2024-05-10T10:00:00Z",
        "2024-05-10T10:00:15Z",
        "2024-05-10T10:04:00Z",
      ),
      ...runLifecycle(
        deploy(9403, 231, "Release 2024.05.10-2"),
        "failure",
        "2024-05-10T14:00:00Z",
        "2024-05-10T14:00:12Z",
        "2024-05-10T14:06:30Z",
      ),
      ...runLifecycle(rollback(9404, 13), "success", "2024-05-10T14:15:00Z", "2024-05-10T14:15:08Z", "2024-05-10T14:17:40Z"),
    ];
  },

  // A release candidate (prereleased + published with prerelease: true), then the final release (published + released).
  "workflows-section": () => [
    release("prereleased", "v1.4.0-rc.1", true, 17400001, "2024-05-13T16:00:00Z"),
    release("published", "v1.4.0-rc.1", true, 17400001, "2024-05-13T16:00:00Z"),
    release("published", "v1.4.0", false, 17400002, "2024-05-15T09:30:00Z"),
    release("released", "v1.4.0", false, 17400002, "2024-05-15T09:30:00Z"),
  ],
};

/** A delivery id shaped like GitHub's (a UUID), stable across recordings. */
function deliveryId(story, index) {
  const h = createHash("sha1").update(`hookline-example/${story}/${index}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const check = process.argv.includes("--check");
const stale = [];
/** Writes `text` to `file`, or with --check notes that the committed file differs. */
function put(file, text) {
  if (!check) writeFileSync(file, text);
  else if (!existsSync(file) || readFileSync(file, "utf8") !== text) stale.push(file);
}

for (const [story, build] of Object.entries(STORIES)) {
  const dir = join(EXAMPLES, story);
  const deliveries = build().map((d, i) => ({ name: d.name, delivery: deliveryId(story, i), payload: clone(d.payload) }));
  const webhooks = join(dir, "webhooks.jsonl");
  const webhooksText = deliveries.map((d) => JSON.stringify(d)).join("\n") + "\n";
  put(webhooks, webhooksText);

  // translate the fresh recording (on stdin, so --check works without writing)
  const r = spawnSync(process.execPath, [BIN, "translate", "-"], { input: webhooksText, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`hookline translate ${webhooks} exited ${r.status}: ${r.stderr}`);
  const events = [];
  for (const line of r.stdout.split("\n").filter((l) => l !== "")) {
    const out = JSON.parse(line);
    if (out.skipped !== undefined) throw new Error(`${webhooks}:${out.index + 1}: skipped: ${out.skipped}`);
    events.push(...out.events);
  }
  put(join(dir, "events.jsonl"), events.map((e) => JSON.stringify(e)).join("\n") + "\n");
  if (!check) console.log(`${story}: ${deliveries.length} deliveries -> ${events.length} events`);
}
if (stale.length > 0) {
  console.error(`stale recordings (re-record with: npm run build && node examples/record.mjs):\n  ${stale.join("\n  ")}`);
  process.exitCode = 1;
}
