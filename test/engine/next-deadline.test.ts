import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine/index.js";
import { automation, config, event, ms, proactive, run, trigger } from "./builders.js";

describe("nextDeadline: when advanceTo would next do something (hosts sleep until then)", () => {
  const spec = { after: ["job.run.started"], expect: ["job.run.finished"], for_each: ["prefect.resource.id"], within: 60 };

  it("is null when nothing is armed", () => {
    const e = createEngine(config(automation("p", proactive(spec))));
    expect(e.nextDeadline()).toBeNull();
    run(e, [event("job.run.finished", 5)]);
    expect(e.nextDeadline()).toBeNull();
  });

  it("is the end of the earliest armed window, and advancing to it fires; advancing just before does not", () => {
    const e = createEngine(config(automation("p", proactive(spec))));
    const r = (id: string) => ({ resource: { "prefect.resource.id": id } });
    run(e, [event("job.run.started", 10, r("a")), event("job.run.started", 5 + 10, r("b"))]);
    expect(e.nextDeadline()).toBe(ms(70));
    expect(e.advanceTo(ms(70) - 1)).toEqual([]);
    expect(e.advanceTo(ms(70)).length).toBe(1);
    expect(e.nextDeadline()).toBe(ms(75));
  });

  it("survives a snapshot round trip", () => {
    const e = createEngine(config(automation("p", proactive(spec))));
    run(e, [event("job.run.started", 10)]);
    const restored = createEngine(config(automation("p", proactive(spec))), {}, JSON.parse(JSON.stringify(e.snapshot())));
    expect(restored.nextDeadline()).toBe(ms(70));
  });

  it("a purely reactive configuration schedules nothing", () => {
    const e = createEngine(config(automation("r", trigger({ expect: ["a.*"], threshold: 2, within: 60 }))));
    run(e, [event("a.b", 1)]);
    expect(e.nextDeadline()).toBeNull();
  });
});
