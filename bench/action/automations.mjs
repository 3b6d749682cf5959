/**
 * The automations file of the Action benchmark: 50 automations as one repository would keep them in
 * .github/automations.yaml. Exactly one reacts to the benchmark's event (a failed run of the `CI` workflow:
 * a Slack notification through the bot token); the other 49 are the kinds a repository really has (other
 * workflows' failures, stuck runs, missing nightlies, flaky-job thresholds, dispatches after builds, PR and push
 * reactions, compound and sequence triggers) and none of them matches a failed CI run.
 * Deterministic: no randomness, the same text every time.
 */

const WORKFLOWS = ["Build", "Deploy", "E2E", "Docs", "Release", "Lint", "Nightly", "Security scan", "Benchmarks", "Publish"];
const q = (s) => JSON.stringify(s);

/** One automation: name, trigger lines (indented under `trigger:`), action lines (list items). */
function automation(name, description, trigger, actions, resolve = []) {
  const lines = [`  - name: ${name}`, `    description: ${q(description)}`, `    trigger:`];
  for (const t of trigger) lines.push(`      ${t}`);
  lines.push(`    actions:`);
  for (const a of actions) lines.push(`      ${a}`);
  if (resolve.length) {
    lines.push(`    actions_on_resolve:`);
    for (const a of resolve) lines.push(`      ${a}`);
  }
  return lines.join("\n");
}

const slack = (notifier, body, extra = []) => [
  `- type: send-notification`,
  `  notifier: ${notifier}`,
  `  body: ${q(body)}`,
  ...extra.map((e) => `  ${e}`),
];

const RUN_DONE = "[github.workflow-run.Completed, github.workflow-run.Failed, github.workflow-run.Cancelled, github.workflow-run.TimedOut]";

export function automationsYaml() {
  const out = [];
  // the one that fires: failed / timed-out CI runs to #ci-alerts
  out.push(
    automation(
      "ci-failed",
      "A CI run failed or timed out",
      [`expect: [github.workflow-run.Failed, github.workflow-run.TimedOut]`, `match:`, `  github.workflow: CI`],
      slack(
        "ci-alerts",
        ":x: CI #{{ workflow_run.run_number }} {{ event.resource['github.state'] | lower }} on `{{ workflow_run.head_branch }}` ({{ workflow_run.head_sha | truncate(7, true, '') }} \"{{ workflow_run.display_title }}\"), started by {{ workflow_run.actor.login }}: {{ workflow_run.html_url }}",
        [`subject: ${q("CI failed on {{ workflow_run.head_branch }}")}`],
      ),
    ),
  );
  // 10: failures of the other workflows (some on main only, some ignore cancellations)
  for (const [i, wf] of WORKFLOWS.entries()) {
    const slug = wf.toLowerCase().replace(/\s+/g, "-");
    out.push(
      automation(
        `${slug}-failed`,
        `A ${wf} run failed`,
        [`expect: github.workflow-run.Failed`, `match:`, `  github.workflow: ${q(wf)}`, ...(i % 3 === 0 ? [`  github.branch: main`] : [])],
        slack(
          i % 2 ? "ci-alerts" : "release-alerts",
          `:x: ${wf} #{{ workflow_run.run_number }} failed on \`{{ workflow_run.head_branch }}\`: {{ workflow_run.html_url }}`,
        ),
      ),
    );
  }
  // 6: stuck runs (Proactive, one timer per run, recovery notice)
  for (const wf of ["E2E", "Deploy", "Release", "Benchmarks", "Publish", "Build"]) {
    const slug = wf.toLowerCase();
    out.push(
      automation(
        `${slug}-run-stuck`,
        `A ${wf} run has been running too long`,
        [
          `posture: Proactive`,
          `after: github.workflow-run.Running`,
          `expect: ${RUN_DONE}`,
          `match:`,
          `  github.workflow: ${wf}`,
          `for_each: prefect.resource.id`,
          `within: ${wf === "Benchmarks" ? "2h" : "45m"}`,
        ],
        slack(
          "ci-alerts",
          `:hourglass: ${wf} #{{ workflow_run.run_number }} running since {{ workflow_run.run_started_at }}: {{ workflow_run.html_url }}`,
        ),
        slack("ci-alerts", `:white_check_mark: ${wf} #{{ workflow_run.run_number }} finished: {{ event.resource['github.state'] }}`),
      ),
    );
  }
  // 3: scheduled runs that never succeeded
  for (const wf of ["Nightly", "Security scan", "Benchmarks"]) {
    out.push(
      automation(
        `${wf.toLowerCase().replace(/\s+/g, "-")}-missing`,
        `No successful ${wf} run for a day`,
        [
          `posture: Proactive`,
          `expect: github.workflow-run.Completed`,
          `match:`,
          `  github.workflow: ${q(wf)}`,
          `  github.branch: main`,
          `within: 1d`,
        ],
        slack("oncall", `No successful ${wf} run on main since {{ firing.at }}`),
      ),
    );
  }
  // 6: flaky jobs (thresholds over a window)
  for (const wf of ["Build", "E2E", "Lint", "Deploy", "Docs", "Publish"]) {
    out.push(
      automation(
        `${wf.toLowerCase()}-jobs-flaky`,
        `${wf} jobs keep failing`,
        [
          `expect: github.workflow-job.Failed`,
          `match:`,
          `  github.workflow: ${wf}`,
          `for_each: [github.branch]`,
          `threshold: 3`,
          `within: 1h`,
        ],
        [
          `- type: create-issue`,
          `  title: ${q(`Flaky ${wf} on {{ labels['github.branch'] }}`)}`,
          `  body: ${q("{{ automation.name }}: 3 failed jobs within an hour")}`,
          `  labels: [ci, flaky]`,
        ],
      ),
    );
  }
  // 5: dispatch follow-up workflows after successful runs
  for (const [wf, next] of [
    ["Build", "deploy-staging.yml"],
    ["Deploy", "smoke-tests.yml"],
    ["Release", "publish-docs.yml"],
    ["Docs", "docs-preview.yml"],
    ["Publish", "announce.yml"],
  ]) {
    out.push(
      automation(
        `${wf.toLowerCase()}-then-${next.replace(/\.yml$/, "")}`,
        `${wf} succeeded on main, so run ${next}`,
        [`expect: github.workflow-run.Completed`, `match:`, `  github.workflow: ${wf}`, `  github.branch: main`],
        [
          `- type: run-workflow`,
          `  workflow: ${next}`,
          `  ref: main`,
          `  inputs:`,
          `    sha: ${q("{{ workflow_run.head_sha }}")}`,
          `    run_url: ${q("{{ workflow_run.html_url }}")}`,
        ],
      ),
    );
  }
  // 4: re-run failed jobs of flaky workflows once
  for (const wf of ["E2E", "Benchmarks", "Security scan", "Lint"]) {
    out.push(
      automation(
        `${wf.toLowerCase().replace(/\s+/g, "-")}-rerun-once`,
        `Re-run the failed jobs of ${wf} once`,
        [`expect: github.workflow-run.Failed`, `match:`, `  github.workflow: ${q(wf)}`, `for_each: [prefect.resource.id]`],
        [`- {type: rerun-workflow-run, failed_jobs_only: true, max_retries: 2}`],
      ),
    );
  }
  // 5: pull requests and pushes
  out.push(
    automation(
      "welcome-pr",
      "Thank the author of a new pull request",
      [`expect: github.pull-request.opened`],
      [`- type: comment`, `  body: ${q("Thanks @{{ event.resource['github.sender'] }} for #{{ event.resource['github.number'] }}!")}`],
    ),
    automation(
      "deploy-on-merge",
      "A pull request merged into main deploys to staging",
      [`expect: github.pull-request.closed`, `match:`, `  github.merged: "true"`, `  github.base_branch: main`],
      [
        `- type: run-workflow`,
        `  workflow: deploy.yml`,
        `  ref: main`,
        `  inputs: {environment: staging, sha: ${q("{{ event.resource['github.sha'] }}")}}`,
      ],
    ),
    automation(
      "force-push-main",
      "Someone force-pushed main",
      [`expect: github.push.pushed`, `match:`, `  github.branch: main`, `  github.forced: "true"`],
      slack("oncall", "Force push to main by {{ event.resource['github.sender'] }}"),
    ),
    automation(
      "release-label",
      "A pull request was labelled release",
      [`expect: github.pull-request.labeled`, `match_related:`, `  prefect.resource.role: label`, `  prefect.resource.name: release`],
      slack("release-alerts", "Release candidate: {{ event.resource['github.html_url'] }}"),
    ),
    automation(
      "bot-failures",
      "Dependency bots keep breaking builds",
      [
        `expect: github.workflow-run.Failed`,
        `match_related:`,
        `  prefect.resource.role: actor`,
        `  prefect.resource.name: ["dependabot[bot]", "renovate[bot]"]`,
        `for_each: [related:actor:prefect.resource.name]`,
        `threshold: 5`,
        `within: 1h`,
      ],
      slack("ci-alerts", "{{ labels['related:actor:prefect.resource.name'] }} broke 5 runs within an hour"),
    ),
  );
  // 4: slow or failing fast (after + expect)
  for (const wf of ["Deploy", "Release", "Publish", "E2E"]) {
    out.push(
      automation(
        `${wf.toLowerCase()}-failed-fast`,
        `${wf} failed within 2 minutes of starting`,
        [
          `after: github.workflow-run.Running`,
          `expect: github.workflow-run.Failed`,
          `match:`,
          `  github.workflow: ${wf}`,
          `for_each: [prefect.resource.id]`,
          `within: 2m`,
        ],
        slack("ci-alerts", `${wf} #{{ workflow_run.run_number }} failed right after starting: {{ workflow_run.html_url }}`),
      ),
    );
  }
  // 3: compound, 3: sequence
  for (const [a, b] of [
    ["Deploy", "E2E"],
    ["Build", "Lint"],
    ["Release", "Publish"],
  ]) {
    out.push(
      automation(
        `${a.toLowerCase()}-and-${b.toLowerCase()}-failed`,
        `${a} and ${b} both failed within an hour`,
        [
          `type: compound`,
          `require: all`,
          `within: 1h`,
          `triggers:`,
          `  - {expect: github.workflow-run.Failed, match: {github.workflow: ${a}}}`,
          `  - {expect: github.workflow-run.Failed, match: {github.workflow: ${b}}}`,
        ],
        slack("oncall", `${a} and ${b} both failed within an hour`),
      ),
    );
  }
  for (const wf of ["Deploy", "Release", "Docs"]) {
    out.push(
      automation(
        `merge-broke-${wf.toLowerCase()}`,
        `A merge into main was followed by a failed ${wf}`,
        [
          `type: sequence`,
          `within: 2h`,
          `triggers:`,
          `  - {expect: github.pull-request.closed, match: {github.merged: "true", github.base_branch: main}}`,
          `  - {expect: github.workflow-run.Failed, match: {github.workflow: ${wf}, github.branch: main}}`,
        ],
        [
          `- type: create-issue`,
          `  title: ${q(`A merge broke ${wf} on main`)}`,
          `  body: ${q("{% for e in events %}{{ e.event }} {{ e.resource['github.html_url'] }}\n{% endfor %}")}`,
        ],
      ),
    );
  }
  if (out.length !== 50) throw new Error(`expected 50 automations, made ${out.length}`);
  return [
    "# hookline Action benchmark: 50 automations, one matches a failed CI run (bench/action/automations.mjs)",
    "notifiers:",
    `  ci-alerts: {type: slack, channel: "#ci-alerts", token_env: SLACK_BOT_TOKEN}`,
    `  release-alerts: {type: slack, channel: "#releases", token_env: SLACK_BOT_TOKEN}`,
    `  oncall: {type: slack, channel: "#oncall", token_env: SLACK_BOT_TOKEN}`,
    "",
    "automations:",
    ...out,
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(automationsYaml());
