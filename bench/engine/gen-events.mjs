/**
 * 200,000 GitHub-like events over ~200 repositories and a few days of event time, in time order: pushes and
 * pull requests start workflow runs (requested → in_progress → jobs → completed, some failing, some re-run,
 * a few stuck or very slow), plus nightly scheduled runs. Webhook payloads go through the real translator.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { createRng } from "./prng.mjs";
import { PR_LABELS } from "./world.mjs";
import { pullRequestPayload, pushPayload, workflowJobPayload, workflowRunPayload } from "./webhooks.mjs";

export const START_MS = Date.parse("2024-05-06T00:00:00Z");
const SEC = 1000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** Simulates activity; returns webhook deliveries `{t, name, build}` (unsorted), at least `target` of them. */
function simulate(world, seed, target, days) {
  const r = createRng(seed);
  const out = [];
  const add = (t, name, build) => out.push({ t, seq: out.length, name, build });
  const counters = { run: 9_100_000_000, job: 25_000_000_000, pr: 1_800_000_000, prNumber: new Map(), runNumber: new Map() };
  const nextNumber = (map, key) => {
    const n = (map.get(key) ?? r.int(10, 900)) + 1;
    map.set(key, n);
    return n;
  };
  const head = new Map(); // repo/branch -> sha
  const shaOf = (repo, branch) => head.get(`${repo.full_name}@${branch}`) ?? r.hex(40);

  const conclusionFor = (repo) =>
    r.weighted({
      success: 1 - repo.flakiness - 0.06,
      failure: repo.flakiness,
      cancelled: 0.04,
      timed_out: 0.006,
      skipped: 0.01,
      startup_failure: 0.004,
      neutral: 0.002,
      action_required: 0.002,
    });

  function runWorkflow(repo, wf, branch, sha, event, actor, t0, message, pulls, attempt = 1, runIn = null) {
    const run = runIn ?? {
      id: counters.run++,
      repo,
      wf,
      branch,
      sha,
      event,
      actor,
      number: nextNumber(counters.runNumber, `${repo.full_name}/${wf.file}`),
      message,
      pulls,
    };
    run.attempt = attempt;
    run.createdAt = t0;
    run.startedAt = t0 + r.int(2, 40) * SEC;
    const snapshot = { ...run };
    add(t0, "workflow_run", () => workflowRunPayload(snapshot, "requested", t0));
    add(snapshot.startedAt, "workflow_run", () => workflowRunPayload(snapshot, "in_progress", snapshot.startedAt));
    const fate = r.weighted({ normal: 0.975, slow: 0.017, stuck: 0.008 });
    const minutes = wf.minutes * (0.5 + r.next() * 1.3) * (fate === "slow" ? 8 : 1);
    const end = snapshot.startedAt + Math.round(minutes * MIN);
    const conclusion = attempt > 1 && r.chance(0.7) ? "success" : conclusionFor(repo);
    const jobs = r.int(1, 4);
    const failing = conclusion === "success" ? -1 : r.int(0, jobs - 1);
    for (let i = 0; i < jobs; i++) {
      const job = { id: counters.job++, name: world.jobNames[(wf.id + i) % world.jobNames.length], run: snapshot };
      job.createdAt = snapshot.startedAt + i * SEC;
      job.startedAt = job.createdAt + r.int(3, 90) * SEC;
      job.completedAt = Math.min(end - SEC, job.startedAt + Math.round((end - job.startedAt) * (0.4 + 0.6 * r.next())));
      add(job.createdAt, "workflow_job", () => workflowJobPayload(job, "queued"));
      add(job.startedAt, "workflow_job", () => workflowJobPayload(job, "in_progress"));
      if (fate === "stuck" && i === jobs - 1) continue; // the runner never reports back
      const jc =
        i === failing
          ? conclusion === "startup_failure" || conclusion === "neutral" || conclusion === "action_required"
            ? "failure"
            : conclusion
          : conclusion === "cancelled"
            ? "cancelled"
            : "success";
      add(Math.max(job.completedAt, job.startedAt + SEC), "workflow_job", () => workflowJobPayload(job, "completed", jc));
    }
    if (fate === "stuck") return;
    add(end, "workflow_run", () => workflowRunPayload(snapshot, "completed", end, conclusion));
    if ((conclusion === "failure" || conclusion === "timed_out") && attempt < 3 && r.chance(0.3)) {
      runWorkflow(repo, wf, branch, sha, event, actor, end + r.int(2, 30) * MIN, message, pulls, attempt + 1, run);
    }
  }

  function runsFor(repo, branch, sha, event, actor, t, message, pulls) {
    for (const wf of repo.workflows) {
      const onMain = branch === "main";
      if (wf.file === "nightly.yml") continue;
      if ((wf.file === "deploy.yml" || wf.file === "codeql.yml") && !(onMain && event === "push")) continue;
      if (wf.file === "release.yml") continue;
      if (wf.file !== "ci.yml" && !r.chance(wf.file === "e2e.yml" && !onMain ? 0.3 : 0.8)) continue;
      runWorkflow(repo, wf, branch, sha, event, actor, t + r.int(1, 15) * SEC, message, pulls);
    }
  }

  function push(repo, branch, actor, t, forced = false) {
    const before = shaOf(repo, branch);
    const after = r.hex(40);
    head.set(`${repo.full_name}@${branch}`, after);
    const message = `${r.pick(["fix", "feat", "chore", "refactor", "docs", "test"])}: ${r.pick(["update", "handle", "remove", "add"])} ${r.pick(world.jobNames)} ${r.int(1, 999)}`;
    add(t, "push", () => pushPayload({ repo, branch, before, after, actor, message, atMs: t, forced }));
    runsFor(repo, branch, after, "push", actor, t, message, []);
    return after;
  }

  function pullRequest(repo, t) {
    const bot = r.chance(0.2);
    const actor = bot ? r.pick(world.bots) : r.pick(world.people);
    const branch = bot
      ? `dependabot/npm_and_yarn/${r.pick(["zod", "yaml", "vitest", "typescript", "undici"])}-${r.int(1, 9)}.${r.int(0, 20)}.${r.int(0, 9)}`
      : r.pick(repo.branches.slice(1).length ? repo.branches.slice(1) : ["feature/x"]);
    const number = nextNumber(counters.prNumber, repo.full_name);
    const pr = {
      id: counters.pr++,
      number,
      repo,
      title: `${bot ? "Bump" : "Change"} ${branch}`,
      branch,
      actor,
      labels: bot ? ["dependencies"] : [],
      createdAt: t,
      draft: r.chance(0.1),
      baseSha: shaOf(repo, "main"),
    };
    pr.sha = push(repo, branch, actor, t);
    const opened = { ...pr, labels: [...pr.labels] };
    add(t + 5 * SEC, "pull_request", () => pullRequestPayload(opened, "opened", t + 5 * SEC));
    const pulls = [{ number, id: pr.id }];
    runsFor(repo, branch, pr.sha, "pull_request", actor, t + 6 * SEC, pr.title, pulls);
    let tc = t + 10 * SEC;
    if (r.chance(0.35)) {
      const label = r.pick(PR_LABELS);
      if (!pr.labels.includes(label)) pr.labels.push(label);
      tc += r.int(1, 60) * MIN;
      const labeled = { ...pr, labels: [...pr.labels] };
      const at = tc;
      add(at, "pull_request", () => pullRequestPayload(labeled, "labeled", at, { label }));
    }
    for (let s = r.int(0, 2); s > 0; s--) {
      tc += r.int(10, 180) * MIN;
      pr.sha = push(repo, branch, actor, tc);
      const synced = { ...pr, labels: [...pr.labels] };
      const at = tc + 3 * SEC;
      add(at, "pull_request", () => pullRequestPayload(synced, "synchronize", at));
      runsFor(repo, branch, pr.sha, "pull_request", actor, at, pr.title, pulls);
    }
    tc += r.int(20, 600) * MIN;
    const merged = r.chance(0.8);
    const closed = { ...pr, labels: [...pr.labels] };
    const at = tc;
    add(at, "pull_request", () => pullRequestPayload(closed, "closed", at, { merged }));
    if (merged) push(repo, "main", r.pick(world.people), at + 2 * SEC);
  }

  const end = START_MS + days * DAY;
  // nightly scheduled runs, one per day per repository that has one
  for (const repo of world.repos) {
    const wf = repo.workflows.find((w) => w.file === "nightly.yml");
    if (!wf) continue;
    for (let d = 0; d < days; d++) {
      if (r.chance(0.05)) continue; // a skipped night, for the "nightly did not run" alert
      runWorkflow(
        repo,
        wf,
        "main",
        shaOf(repo, "main"),
        "schedule",
        world.bots[2],
        START_MS + d * DAY + 2 * HOUR + r.int(0, 600) * SEC,
        "nightly",
        [],
      );
    }
  }
  // busy hours are busier: thinning of a Poisson process
  const busy = (t) => {
    const hour = new Date(t).getUTCHours();
    return hour >= 7 && hour < 19 ? 1 : 0.3;
  };
  const meanGap = ((days * DAY) / (target / 28)) * 2.6; // calibrated: ~3 days for any target
  let t = START_MS;
  while (out.length < target && t < end + 30 * DAY) {
    t += Math.max(SEC, Math.round(-Math.log(1 - r.next()) * meanGap));
    if (!r.chance(busy(t))) continue;
    const repo = world.repos[r.skewed(world.repos.length)];
    const kind = r.weighted({ push: 0.5, pr: 0.45, release: 0.05 });
    if (kind === "pr") pullRequest(repo, t);
    else if (kind === "push") push(repo, r.chance(0.6) ? "main" : r.pick(repo.branches), r.pick(world.people), t, r.chance(0.01));
    else {
      const wf = repo.workflows.find((w) => w.file === "release.yml") ?? repo.workflows[0];
      runWorkflow(repo, wf, "main", shaOf(repo, "main"), "release", r.pick(world.people), t, "release", []);
    }
  }
  return out;
}

/** Writes `count` events (JSONL, time order) to `file`; returns stats. */
export async function writeEvents(file, { world, seed, count, days = 3 }) {
  const { translateWebhook } = await import("../../build/src/github/index.js");
  const items = simulate(world, seed, Math.ceil(count * 1.05), days);
  items.sort((a, b) => a.t - b.t || a.seq - b.seq);
  const r = createRng(seed ^ 0xde11);
  const fd = openSync(file, "w");
  let buf = [];
  let size = 0;
  let written = 0;
  let bytes = 0;
  const kinds = {};
  for (const item of items) {
    if (written === count) break;
    const res = translateWebhook({ name: item.name, delivery: r.uuid(), payload: item.build() });
    if (!("events" in res)) throw new Error(`generator bug: ${item.name} skipped: ${res.skipped}`);
    for (const ev of res.events) {
      const line = JSON.stringify(ev);
      buf.push(line);
      size += line.length + 1;
      written++;
      kinds[ev.event] = (kinds[ev.event] ?? 0) + 1;
    }
    if (size > 1 << 22) {
      writeSync(fd, buf.join("\n") + "\n");
      bytes += size;
      buf = [];
      size = 0;
    }
  }
  if (buf.length) writeSync(fd, buf.join("\n") + "\n");
  bytes += size;
  closeSync(fd);
  const last = items[Math.min(written, items.length) - 1];
  return { events: written, bytes, first: new Date(items[0].t).toISOString(), last: new Date(last.t).toISOString(), kinds };
}
