import { describe, expect, it } from "vitest";
import { ACTION_EVENT_NAMES, RETRY_AFTER_CAP_MS, actionEvents, backoffMs, parseRetryAfter } from "../../src/executors/index.js";
import { firingEvent } from "../../src/engine/index.js";
import { validateEvent } from "../../src/events/event-schema.js";
import { actionOf, invocationOf, runEvent } from "./helpers.js";

describe("action outcome events (SEMANTICS §5)", () => {
  const inv = invocationOf(actionOf("run-workflow", { workflow: "d.yml" }), runEvent("Failed"), 2);

  it("triggered then executed, each valid, each following the previous, the first following the firing's event", () => {
    const [triggered, executed] = actionEvents(
      inv,
      { status: "executed", attempts: 2, result: { run_id: 1 } },
      { triggered: "2024-05-01T12:00:01.000Z", finished: "2024-05-01T12:00:03.000Z" },
    );
    for (const e of [triggered, executed]) expect(validateEvent(e).ok).toBe(true);
    expect(triggered.event).toBe(ACTION_EVENT_NAMES.triggered);
    expect(executed.event).toBe("hookline.action.executed");
    expect(triggered.follows).toBe(firingEvent(inv.firing).id);
    expect(executed.follows).toBe(triggered.id);
    expect(triggered.occurred).toBe("2024-05-01T12:00:01.000Z");
    expect(executed.occurred).toBe("2024-05-01T12:00:03.000Z");
    expect(triggered.resource).toEqual({ "prefect.resource.id": "hookline.automation.ci-alerts", "prefect.resource.name": "ci-alerts" });
    expect(triggered.related).toEqual([
      {
        "prefect.resource.id": "hookline.action.firing-1:2",
        "prefect.resource.role": "action",
        "hookline.action.type": "run-workflow",
        "hookline.action.index": "2",
      },
      { "prefect.resource.id": `hookline.event.${runEvent().id}`, "prefect.resource.role": "triggering-event" },
    ]);
    expect(executed.payload).toMatchObject({
      firing_id: "firing-1",
      idempotency_key: "firing-1:2",
      action_index: 2,
      attempts: 2,
      result: { run_id: 1 },
    });
  });

  it("a failure carries the reason and code", () => {
    const [, failed] = actionEvents(inv, { status: "failed", attempts: 4, code: "HOOKLINE_ACTION_HTTP_ERROR", reason: "HTTP 500" });
    expect(failed.event).toBe("hookline.action.failed");
    expect(failed.payload).toMatchObject({ attempts: 4, code: "HOOKLINE_ACTION_HTTP_ERROR", reason: "HTTP 500" });
    expect(failed.occurred).toBe(inv.firing.at);
  });

  it("ids are deterministic per idempotency key and differ between actions and outcomes", () => {
    const a = actionEvents(inv, { status: "executed", attempts: 1 });
    const b = actionEvents(invocationOf(actionOf("run-workflow", { workflow: "d.yml" }), runEvent("Failed"), 2), {
      status: "executed",
      attempts: 3,
    });
    expect(a.map((e) => e.id)).toEqual(b.map((e) => e.id));
    const other = actionEvents(invocationOf(actionOf("run-workflow", { workflow: "d.yml" }), runEvent("Failed"), 3), {
      status: "executed",
      attempts: 1,
    });
    expect(other[0].id).not.toBe(a[0].id);
    const failed = actionEvents(inv, { status: "failed", attempts: 1, code: "X", reason: "y" });
    expect(failed[0].id).toBe(a[0].id);
    expect(failed[1].id).not.toBe(a[1].id);
  });

  it("a firing without a triggering event has only the action as related resource", () => {
    const [t] = actionEvents(invocationOf(actionOf("do-nothing", {}), null), { status: "executed", attempts: 1 });
    expect(t.related).toHaveLength(1);
    expect(validateEvent(t).ok).toBe(true);
  });
});

describe("retry timing rules", () => {
  it("Retry-After reads delta-seconds and HTTP dates; garbage is ignored", () => {
    const now = Date.parse("2024-05-01T12:00:00Z");
    expect(parseRetryAfter("5", now)).toBe(5_000);
    expect(parseRetryAfter("Wed, 01 May 2024 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-3", now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(RETRY_AFTER_CAP_MS).toBe(60_000);
  });

  it("backoff is exponential with full jitter and capped at 5 minutes", () => {
    expect([1, 2, 3].map((n) => backoffMs({ retry_interval: 10 }, n, 1))).toEqual([10_000, 20_000, 40_000]);
    expect(backoffMs({ retry_interval: 10 }, 3, 0)).toBe(0);
    expect(backoffMs({ retry_interval: 10 }, 50, 1)).toBe(300_000);
    expect(backoffMs({ retry_interval: 0 }, 2, 1)).toBe(0);
  });
});
