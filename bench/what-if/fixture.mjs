/**
 * A non-trivial what-if fixture shared by the replay tests, the API tests and bench/what-if: a live and a
 * proposed automations file that exercise thresholds, absence with deadlines and resolves, a sequence, a
 * chained automation and templated actions, and a deterministic stream of events that makes all of them fire.
 */
export const LIVE_AUTOMATIONS = `notifiers:
  ops: {type: slack, channel: "#ops"}
automations:
  - name: flaky-branch
    trigger:
      expect: ci.run.failed
      for_each: ci.branch
      threshold: 3
      within: 10m
    actions:
      - type: send-notification
        notifier: ops
        body: "{{ labels['ci.branch'] }} failed {{ firing.state }} at {{ event.occurred }}"
  - name: stuck-deploy
    trigger:
      posture: Proactive
      after: deploy.started
      expect: deploy.finished
      for_each: prefect.resource.id
      within: 5m
    actions:
      - {type: send-notification, notifier: ops, body: "stuck {{ labels['prefect.resource.id'] }}"}
    actions_on_resolve:
      - {type: send-notification, notifier: ops, body: "recovered {{ event.resource['prefect.resource.id'] }}"}
  - name: green-then-shipped
    trigger:
      type: sequence
      within: 1h
      triggers:
        - {expect: ci.run.passed, match: {ci.branch: main}}
        - {expect: deploy.finished}
    actions:
      - {type: send-notification, notifier: ops, body: "shipped after {{ firings | length }} steps"}
  - name: after-flaky
    trigger:
      expect: hookline.automation.triggered
      match: {prefect.resource.name: flaky-branch}
    actions:
      - {type: send-notification, notifier: ops, body: "escalate {{ event.resource['prefect.resource.name'] }}"}
`;
/** The edit under test: a lower threshold, a shorter deadline, the sequence removed, a new automation. */
export const PROPOSED_AUTOMATIONS = LIVE_AUTOMATIONS.replace("threshold: 3", "threshold: 2")
  .replace("within: 5m", "within: 3m")
  .replace(/ {2}- name: green-then-shipped[\s\S]*?(?= {2}- name: after-flaky)/, "").concat(`  - name: any-pass
    trigger:
      expect: ci.run.passed
      threshold: 5
      within: 30m
    actions:
      - {type: send-notification, notifier: ops, body: "{{ event.event }} x5"}
`);
/** `count` events from `startMs`, about `gapMs` apart, the same for the same arguments. */
export function fixtureEvents(count, startMs, gapMs = 20_000, seed = 7) {
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648), x / 2147483648);
  const out = [];
  let t = startMs;
  const open = [];
  for (let i = 0; i < count; i++) {
    t += Math.floor(gapMs * (0.5 + rnd()));
    const r = rnd();
    const id = `00000000-0000-4000-9000-${String(i + 1).padStart(12, "0")}`;
    const base = { id, occurred: new Date(t).toISOString(), related: [], payload: { n: i }, follows: null };
    if (r < 0.35) {
      const branch = rnd() < 0.6 ? "main" : "dev";
      out.push({ ...base, event: "ci.run.failed", resource: { "prefect.resource.id": `ci.run.${i}`, "ci.branch": branch } });
    } else if (r < 0.6) {
      const branch = rnd() < 0.7 ? "main" : "dev";
      out.push({ ...base, event: "ci.run.passed", resource: { "prefect.resource.id": `ci.run.${i}`, "ci.branch": branch } });
    } else if (r < 0.8 || open.length === 0) {
      open.push(i);
      out.push({ ...base, event: "deploy.started", resource: { "prefect.resource.id": `deploy.${i % 7}` } });
    } else {
      const k = open.shift();
      out.push({ ...base, event: "deploy.finished", resource: { "prefect.resource.id": `deploy.${k % 7}` } });
    }
  }
  return out;
}
