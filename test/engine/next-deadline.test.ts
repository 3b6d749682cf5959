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

describe("idNamespace: engines of different scopes never share firing ids", () => {
  it("the same automation and event give different firing (and firing event) ids in two namespaces, the default keeps the old ids", async () => {
    const { firingEvent } = await import("../../src/engine/index.js");
    const cfg = config(automation("same-name", trigger({ expect: ["a.b"] })));
    const e = event("a.b", 1);
    const plain = createEngine(cfg).ingest(e);
    const again = createEngine(cfg, { idNamespace: "" }).ingest(e);
    const repo = createEngine(cfg, { idNamespace: "repo:acme/app" }).ingest(e);
    const server = createEngine(cfg, { idNamespace: "server" }).ingest(e);
    const id = (o: typeof plain) => (o[0]!.kind === "firing" ? o[0]!.firing : null)!;
    expect(id(again).id).toBe(id(plain).id);
    expect(new Set([id(plain).id, id(repo).id, id(server).id]).size).toBe(3);
    expect(firingEvent(id(repo)).id).not.toBe(firingEvent(id(server)).id);
  });
});
