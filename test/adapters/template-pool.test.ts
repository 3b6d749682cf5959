/**
 * The template worker pool (src/adapters/template-pool.ts): the wall-clock limit behind the deterministic work
 * budget. Real worker threads running the TypeScript sources; a deadline ends a render by terminating its
 * worker, and the pool replaces it.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createTemplatePool, type TemplatePool } from "../../src/adapters/template-pool.js";
import { TemplateError } from "../../src/templates/index.js";
import { TS_WORKER_EXEC_ARGV } from "../support/ts-worker.js";

const pools: TemplatePool[] = [];
function pool(o: Parameters<typeof createTemplatePool>[0] = {}): TemplatePool {
  const p = createTemplatePool({ execArgv: TS_WORKER_EXEC_ARGV, ...o });
  pools.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

async function failure(p: Promise<unknown>): Promise<TemplateError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TemplateError);
  return err as TemplateError;
}

const firing = {
  id: "f1",
  automation: "a",
  trigger_state: "triggered",
  occurred: "2024-05-06T00:00:00.000Z",
  labels: { "github.branch": "main" },
  triggering_event: {
    id: "e1",
    occurred: "2024-05-06T00:00:00.000Z",
    event: "github.workflow_run.completed",
    resource: { "prefect.resource.id": "github.run.1", "github.branch": "main" },
    related: [],
    payload: { conclusion: "failure" },
  },
};

describe("template worker pool", () => {
  it("renders values with their JSON types, and action parameters from the context input (labels views included)", async () => {
    const p = pool();
    await expect(p.renderValue({ a: "{{ n + 1 }}", b: "x {{ s }}", c: 3 }, { n: 41, s: "y" })).resolves.toEqual({ a: 42, b: "x y", c: 3 });
    const params = await p.renderParams(
      { title: "{{ event.event }} on {{ labels.github.branch }}", c: "{{ event.payload.conclusion }}" },
      { event: firing.triggering_event as never, automation: { name: "a" }, firing: firing as never },
    );
    expect(params).toEqual({ title: "github.workflow_run.completed on main", c: "failure" });
  });

  it("a template error comes back as the same TemplateError (code, message, line and column)", async () => {
    const err = await failure(pool().renderValue("line\n{{ x | round(50) }}", { x: 1 }));
    expect(err.code).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(err.message).toContain("round precision");
    const syntax = await failure(pool().renderValue("line\n  {{ x | }}", {}));
    expect(syntax.code).toBe("HOOKLINE_TEMPLATE_SYNTAX");
    expect(syntax.line).toBe(2);
    const budget = await failure(
      pool().renderValue('{% for a in range(30) %}{% for b in range(30) %}{{ s | selectattr("q") | length }}{% endfor %}{% endfor %}', {
        s: "x".repeat(65_536),
      }),
    );
    expect(budget.code).toBe("HOOKLINE_TEMPLATE_BUDGET_EXCEEDED");
  });

  it("a render past the deadline terminates its worker and fails with HOOKLINE_TEMPLATE_TIMEOUT; the pool replaces the worker", async () => {
    // a 1 ms deadline: no render can finish in time, whatever the budget
    const p = pool({ size: 1, deadlineMs: 1 });
    const slow = "{% for a in range(100) %}{% for b in range(100) %}{{ s | upper | length }}{% endfor %}{% endfor %}";
    const err = await failure(p.renderValue(slow, { s: "x".repeat(1000) }));
    expect(err.code).toBe("HOOKLINE_TEMPLATE_TIMEOUT");
    expect(p.stats().replaced).toBe(1);
    const again = await failure(p.renderValue(slow, { s: "x".repeat(1000) }));
    expect(again.code).toBe("HOOKLINE_TEMPLATE_TIMEOUT");
    expect(p.stats().replaced).toBe(2);
  });

  it("a reply sent in time counts even when this thread was too busy to read it before the deadline fired", async () => {
    const p = pool({ size: 1, deadlineMs: 50 });
    await expect(p.renderValue("{{ 1 }}", {})).resolves.toBe(1);
    const quick = p.renderValue("{{ 2 }}", {});
    // block this thread (as a long synchronous task on the server's event loop would) well past the deadline
    const until = Date.now() + 2_000;
    while (Date.now() < until) {
      /* busy */
    }
    await expect(quick).resolves.toBe(2);
    expect(p.stats()).toMatchObject({ replaced: 0 });
  });

  it("the pool replaces a terminated worker: the next render runs on a fresh worker and succeeds", async () => {
    const p = pool({ size: 1 });
    await expect(p.renderValue("{{ 1 + 1 }}", {})).resolves.toBe(2);
    const slow = "{% for a in range(100) %}{% for b in range(100) %}{{ s | upper | length }}{% endfor %}{% endfor %}";
    expect((await failure(p.renderValue(slow, { s: "x".repeat(1000) }, { deadlineMs: 1 }))).code).toBe("HOOKLINE_TEMPLATE_TIMEOUT");
    expect(p.stats()).toMatchObject({ replaced: 1 });
    await expect(p.renderValue("{{ 'ok' }}", {})).resolves.toBe("ok");
    expect(p.stats()).toMatchObject({ workers: 1, replaced: 1 });
  });

  it("closing the pool fails the renders still waiting with HOOKLINE_TEMPLATE_POOL_CLOSED (not a template error: an action is retried)", async () => {
    const p = pool({ size: 1 });
    const waiting = p.renderValue("{{ 1 }}", {}).catch((e: unknown) => e);
    await p.close();
    const err = (await waiting) as Error & { code?: string };
    expect(err).not.toBeInstanceOf(TemplateError);
    expect(err.code).toBe("HOOKLINE_TEMPLATE_POOL_CLOSED");
    await expect(p.renderValue("{{ 1 }}", {})).rejects.toThrow(/closed/);
  });

  it("jobs beyond the queue are refused with HOOKLINE_TEMPLATE_BUSY instead of waiting without bound", async () => {
    // the queue holds the renders no worker has taken yet (here: the worker is still starting)
    const p = pool({ size: 1, maxQueue: 2 });
    const first = p.renderValue("{{ 1 }}", {});
    const second = p.renderValue("{{ 2 }}", {});
    expect((await failure(p.renderValue("{{ 3 }}", {}))).code).toBe("HOOKLINE_TEMPLATE_BUSY");
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
  });

  it("warm() starts workers before the first render, and an idle warm pool does not keep the process alive", async () => {
    const p = pool({ size: 2 });
    await p.warm(1);
    expect(p.stats()).toMatchObject({ workers: 1, busy: 0 });
    await expect(p.renderValue("{{ 'x' | upper }}", {})).resolves.toBe("X");
    expect(p.stats()).toMatchObject({ workers: 1 });
  });

  it("warm() fails when the worker module cannot start (the server's start fails, not its first webhook)", async () => {
    const p = pool({ entry: new URL("./no-such-worker.js", import.meta.url) });
    await expect(p.warm(1)).rejects.toThrow(TemplateError);
  });

  it("renders keep their order per worker and many renders reuse the same workers", async () => {
    const p = pool({ size: 2 });
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => p.renderValue("{{ i * 2 }}", { i })));
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    expect(p.stats()).toMatchObject({ workers: 2, replaced: 0, rendered: 20 });
  });
});
