/**
 * The "many firings" workload (issue 14, item 6): the 1,000 mixed automations plus two reporting automations
 * that fire on every finished workflow job and run, so about a third of the 200,000 events fire one automation
 * with templated actions (a JSON webhook body and a notification that read the payload, the labels and the
 * firing). This is where building template data per firing shows; the mixed workload fires 3 % of the time.
 */

const q = (s) => JSON.stringify(s); // JSON strings are valid YAML double-quoted scalars
const DONE = ["Completed", "Failed", "Cancelled", "TimedOut", "Skipped", "Neutral", "Crashed"];

const REPORTS = [
  {
    name: "firehose: every finished job",
    expect: DONE.map((s) => `github.workflow-job.${s}`),
    actions: [
      `        - type: call-webhook`,
      `          url: https://ci-metrics.example.com/jobs`,
      `          body:`,
      `            job: ${q("{{ workflow_job.name }}")}`,
      `            run_id: ${q("{{ event.resource['github.run_id'] }}")}`,
      `            repository: ${q("{{ repository.full_name }}")}`,
      `            state: ${q("{{ event.resource['github.state'] | lower }}")}`,
      `            url: ${q("{{ workflow_job.html_url }}")}`,
      `            at: ${q("{{ firing.at }}")}`,
    ],
  },
  {
    name: "firehose: every finished run",
    expect: DONE.map((s) => `github.workflow-run.${s}`),
    actions: [
      `        - type: send-notification`,
      `          notifier: oncall`,
      `          subject: ${q("{{ repository.full_name }}: {{ workflow_run.name }} {{ event.resource['github.state'] | lower }}")}`,
      `          body: ${q("Run #{{ workflow_run.run_number }} on {{ event.resource['github.branch'] }} by {{ event.resource['github.sender'] }}: {{ workflow_run.html_url }} ({{ firing.events | length }} event)")}`,
    ],
  },
];

/** YAML lines to append to gen-automations' file (its last section is the `automations:` list). */
export function firingAutomationLines() {
  const lines = [];
  for (const r of REPORTS) {
    lines.push(`  - name: ${q(r.name)}`, `    trigger:`, `      expect: [${r.expect.map(q).join(", ")}]`, `    actions:`, ...r.actions);
  }
  return lines.join("\n") + "\n";
}
