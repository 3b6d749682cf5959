/**
 * Compact GitHub webhook payloads (workflow_run, workflow_job, push, pull_request) with the real field names,
 * trimmed to the fields a real delivery's consumers read. They go through the real translator, so the bench
 * events have exactly the labels and related resources production events have.
 */
const iso = (ms) => new Date(ms).toISOString().replace(".000Z", "Z");

export function repoObject(repo, extra = {}) {
  return {
    id: repo.id,
    name: repo.name,
    full_name: repo.full_name,
    private: repo.private,
    owner: { login: repo.owner.login, id: repo.owner.id, type: "Organization" },
    html_url: `https://github.com/${repo.full_name}`,
    fork: false,
    visibility: repo.private ? "private" : "public",
    default_branch: repo.default_branch,
    ...extra,
  };
}

const user = (a) => ({ login: a.login, id: a.id, type: a.type, html_url: `https://github.com/${a.login}` });
const org = (repo) => ({ login: repo.owner.login, id: repo.owner.id });

/** run: {id, repo, wf, branch, sha, event, actor, number, attempt, createdAt, startedAt, message, pulls} */
export function workflowRunPayload(run, action, atMs, conclusion = null) {
  const status = action === "requested" ? "queued" : action === "in_progress" ? "in_progress" : "completed";
  const { repo, wf } = run;
  return {
    action,
    workflow_run: {
      id: run.id,
      name: wf.name,
      head_branch: run.branch,
      head_sha: run.sha,
      path: `.github/workflows/${wf.file}`,
      display_title: run.message,
      run_number: run.number,
      event: run.event,
      status,
      conclusion: status === "completed" ? conclusion : null,
      workflow_id: wf.id,
      html_url: `https://github.com/${repo.full_name}/actions/runs/${run.id}`,
      pull_requests: run.pulls,
      created_at: iso(run.createdAt),
      updated_at: iso(atMs),
      run_attempt: run.attempt,
      run_started_at: iso(run.startedAt ?? run.createdAt),
      actor: user(run.actor),
      triggering_actor: user(run.actor),
      head_commit: { id: run.sha, message: run.message, timestamp: iso(run.createdAt), author: { name: run.actor.login } },
    },
    workflow: {
      id: wf.id,
      name: wf.name,
      path: `.github/workflows/${wf.file}`,
      html_url: `https://github.com/${repo.full_name}/blob/main/.github/workflows/${wf.file}`,
    },
    repository: repoObject(repo),
    organization: org(repo),
    sender: user(run.actor),
  };
}

/** job: {id, name, run, createdAt, startedAt, completedAt} */
export function workflowJobPayload(job, action, conclusion = null) {
  const { run } = job;
  const status = action === "queued" ? "queued" : action === "in_progress" ? "in_progress" : "completed";
  return {
    action,
    workflow_job: {
      id: job.id,
      run_id: run.id,
      run_attempt: run.attempt,
      head_sha: run.sha,
      head_branch: run.branch,
      workflow_name: run.wf.name,
      name: job.name,
      status,
      conclusion: status === "completed" ? conclusion : null,
      html_url: `https://github.com/${run.repo.full_name}/actions/runs/${run.id}/job/${job.id}`,
      created_at: iso(job.createdAt),
      started_at: status === "queued" ? null : iso(job.startedAt),
      completed_at: status === "completed" ? iso(job.completedAt) : null,
      labels: ["ubuntu-latest"],
      runner_name: status === "queued" ? null : `GitHub Actions ${job.id % 97}`,
    },
    repository: repoObject(run.repo),
    organization: org(run.repo),
    sender: user(run.actor),
  };
}

export function pushPayload({ repo, branch, before, after, actor, message, atMs, forced }) {
  const commit = {
    id: after,
    message,
    timestamp: iso(atMs),
    author: { name: actor.login, email: `${actor.login}@users.noreply.github.com` },
    url: `https://github.com/${repo.full_name}/commit/${after}`,
  };
  return {
    ref: `refs/heads/${branch}`,
    before,
    after,
    created: false,
    deleted: false,
    forced,
    base_ref: null,
    compare: `https://github.com/${repo.full_name}/compare/${before.slice(0, 12)}...${after.slice(0, 12)}`,
    commits: [commit],
    head_commit: commit,
    repository: repoObject(repo, { pushed_at: Math.floor(atMs / 1000) }),
    pusher: { name: actor.login, email: commit.author.email },
    organization: org(repo),
    sender: user(actor),
  };
}

/** pr: {id, number, repo, title, branch, sha, actor, labels, createdAt, draft}; extra: {merged, closedAt, label} */
export function pullRequestPayload(pr, action, atMs, extra = {}) {
  const closed = action === "closed";
  const out = {
    action,
    number: pr.number,
    pull_request: {
      id: pr.id,
      number: pr.number,
      title: pr.title,
      state: closed ? "closed" : "open",
      html_url: `https://github.com/${pr.repo.full_name}/pull/${pr.number}`,
      user: user(pr.actor),
      draft: pr.draft,
      merged: Boolean(extra.merged),
      created_at: iso(pr.createdAt),
      updated_at: iso(atMs),
      closed_at: closed ? iso(atMs) : null,
      merged_at: extra.merged ? iso(atMs) : null,
      labels: pr.labels.map((name, i) => ({ id: 70000 + i, name })),
      author_association: pr.actor.type === "Bot" ? "NONE" : "MEMBER",
      head: { ref: pr.branch, sha: pr.sha, repo: { full_name: pr.repo.full_name } },
      base: { ref: "main", sha: pr.baseSha, repo: { full_name: pr.repo.full_name } },
    },
    repository: repoObject(pr.repo),
    organization: org(pr.repo),
    sender: user(pr.actor),
  };
  if (extra.label) out.label = { id: 70000 + pr.labels.indexOf(extra.label), name: extra.label };
  return out;
}
