/**
 * Templates never block the server (SEMANTICS.md §7, issue 12): the real server renders webhook templates and
 * action parameters in its template worker pool. A hostile template is aborted by the work budget
 * (HOOKLINE_TEMPLATE_BUDGET_EXCEEDED), or, past the wall-clock limit, by terminating its worker
 * (HOOKLINE_TEMPLATE_TIMEOUT); meanwhile /healthz answers. To reach the deadline these servers raise the work
 * budget out of the way (the budget alone is pinned by test/templates/budget-*.test.ts).
 */
import { afterAll, describe, expect, it } from "vitest";
import { boot, call, cleanupDirs, configDir, fakeTarget, waitFor, type Booted } from "./helpers.js";

const booted: Booted[] = [];
afterAll(async () => {
  await Promise.all(booted.map((b) => b.server.close()));
  cleanupDirs();
});

/** 10,000 iterations, each making a list of the characters of `s` (the brief's attack): seconds for a 60 KB `s` */
const SLOW = "{% for a in range(100) %}{% for b in range(100) %}{{ s | selectattr('q') | length }}{% endfor %}{% endfor %}";
const slowOver = (path: string) => SLOW.replace(/\bs \|/, `${path} |`);
const BIG = "x".repeat(60_000);

const WEBHOOKS = `webhooks:
  - slug: slow
    auth: none
    template:
      event: acme.slow.rendered
      resource: { prefect.resource.id: acme.slow }
      payload: { n: "${slowOver("body.s")}" }
  - slug: pass
    auth: none
    template:
      event: acme.pass.received
      resource: { prefect.resource.id: acme.pass }
      payload: { s: "{{ body.s }}" }
  - slug: quick
    auth: none
    template:
      event: acme.quick.received
      resource: { prefect.resource.id: acme.quick }
`;

async function start(templates: Record<string, number>, automations?: string): Promise<Booted> {
  const b = await boot({
    configDir: configDir({ webhooks: WEBHOOKS, ...(automations ? { automations } : {}) }),
    options: { templates },
  });
  booted.push(b);
  return b;
}

async function stored(b: Booted, name: string) {
  return ((await call(`${b.url}/api/events?name=${encodeURIComponent(name)}`)).json as { events: { payload: Record<string, unknown> }[] })
    .events;
}

describe("the server's template deadline", () => {
  it("a webhook template past the deadline fails with HOOKLINE_TEMPLATE_TIMEOUT, and /healthz answers while it renders", async () => {
    const b = await start({ deadlineMs: 1_500, workBudget: 1e15 });
    // a legitimate render first: the workers are up and the same shape renders when the input is small
    const ok = await call(`${b.url}/hooks/slow`, { json: { s: "abc" } });
    expect(ok.status).toBe(202);

    const order: string[] = [];
    const hook = call(`${b.url}/hooks/slow`, { json: { s: BIG } }).then((r) => {
      order.push("hook");
      return r;
    });
    // /healthz is asked after the hostile request was sent; it must not wait for the render
    const health = await waitFor("healthz", async () => {
      const r = await call(`${b.url}/healthz`);
      order.push("healthz");
      return r;
    });
    expect(health.status).toBe(200);
    const r = await hook;
    // /healthz answered while the hostile render was still in flight (it ends only at its deadline)
    expect(order.indexOf("healthz")).toBeLessThan(order.indexOf("hook"));
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("HOOKLINE_TEMPLATE_TIMEOUT");
    // nothing is lost: the refusal is an event
    const failed = await stored(b, "hookline.webhook.failed");
    expect(JSON.stringify(failed)).toContain("HOOKLINE_TEMPLATE_TIMEOUT");
    // the worker was replaced: the next render works
    expect((await call(`${b.url}/hooks/quick`, { json: {} })).status).toBe(202);
  });

  it("with the default budget, the same hostile webhook template is aborted by the budget (HOOKLINE_TEMPLATE_BUDGET_EXCEEDED)", async () => {
    // a deadline far away: only the budget can stop this render
    const b = await start({ deadlineMs: 10_000 });
    expect((await call(`${b.url}/hooks/slow`, { json: { s: "abc" } })).status).toBe(202);
    const r = await call(`${b.url}/hooks/slow`, { json: { s: BIG } });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain("HOOKLINE_TEMPLATE_BUDGET_EXCEEDED");
    expect((await call(`${b.url}/healthz`)).status).toBe(200);
  });

  it("an action whose parameters render past the deadline fails with HOOKLINE_TEMPLATE_TIMEOUT once its retries are spent", async () => {
    const target = await fakeTarget();
    try {
      const automations = `automations:
  - name: slow-action
    trigger:
      type: event
      match: { prefect.resource.id: acme.pass }
      expect: [acme.pass.received]
    actions:
      - type: call-webhook
        url: ${target.url}/slow
        max_retries: 0
        body: { n: "${slowOver("event.payload.s")}" }
`;
      const b = await start({ deadlineMs: 1_500, workBudget: 1e15 }, automations);
      expect((await call(`${b.url}/hooks/pass`, { json: { s: BIG } })).status).toBe(202);
      const failed = await waitFor("hookline.action.failed", async () => {
        const evs = await stored(b, "hookline.action.failed");
        return evs.length > 0 ? evs : null;
      });
      expect(failed[0]!.payload).toMatchObject({ code: "HOOKLINE_TEMPLATE_TIMEOUT", attempts: 1 });
      expect(target.requests).toHaveLength(0);
      expect((await call(`${b.url}/healthz`)).status).toBe(200);
    } finally {
      await target.close();
    }
  });
});
