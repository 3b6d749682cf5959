import { describe, expect, it } from "vitest";
import { createEngine, type EngineOutput, type EngineState } from "../../src/engine/index.js";
import { automation, config, event, ms, proactive, run, timeline, trigger, type Input } from "./builders.js";
import { mixedConfig, mixedStream } from "./mixed-stream.js";

const roundTrip = (s: EngineState): EngineState => JSON.parse(JSON.stringify(s)) as EngineState;

function splitRun(inputs: Input[], at: number[]): EngineOutput[] {
  const cfg = mixedConfig();
  let engine = createEngine(cfg);
  const out: EngineOutput[] = [];
  let from = 0;
  for (const cut of [...at, inputs.length]) {
    out.push(...run(engine, inputs.slice(from, cut)));
    engine = createEngine(cfg, {}, roundTrip(engine.snapshot()));
    from = cut;
  }
  return out;
}

describe("state is plain JSON and a restored engine continues identically", () => {
  const inputs = mixedStream(7, 400);
  const whole = run(createEngine(mixedConfig()), inputs);

  it("the mixed stream exercises firings of every kind (guards the test itself)", () => {
    const fired = new Set(whole.flatMap((o) => (o.kind === "firing" ? [`${o.firing.automation}:${o.firing.state}`] : [o.kind])));
    for (const k of [
      "failures:Triggered",
      "start-end:Triggered",
      "stuck:Triggered",
      "stuck:Resolved",
      "heartbeat:Triggered",
      "tiling:Triggered",
      "both:Triggered",
      "either:Triggered",
      "seq:Triggered",
      "dropped-duplicate",
    ]) {
      expect(fired).toContain(k);
    }
    expect(fired).not.toContain("off:Triggered");
  });

  it("splitting the stream at every position gives the same outputs as an uninterrupted run", () => {
    const xs = inputs.slice(0, 200);
    const expected = JSON.stringify(run(createEngine(mixedConfig()), xs));
    for (let cut = 0; cut <= xs.length; cut++) {
      const got = JSON.stringify(splitRun(xs, [cut]));
      if (got !== expected) expect.fail(`outputs differ when the stream is split before input ${cut}`);
    }
  }, 60_000);

  it("snapshotting after every input gives the same outputs", () => {
    expect(
      splitRun(
        inputs,
        inputs.map((_, i) => i),
      ),
    ).toEqual(whole);
  });

  it("other seeds agree too", () => {
    for (const seed of [1, 2, 3]) {
      const xs = mixedStream(seed, 300);
      const full = run(createEngine(mixedConfig()), xs);
      expect(splitRun(xs, [50, 120, 121, 250])).toEqual(full);
    }
  });

  it("a snapshot survives JSON unchanged and is detached from the running engine", () => {
    const e = createEngine(mixedConfig());
    run(e, inputs.slice(0, 200));
    const s = e.snapshot();
    expect(roundTrip(s)).toEqual(s);
    run(e, inputs.slice(200));
    expect(createEngine(mixedConfig(), {}, roundTrip(s)).snapshot()).toEqual(s);
  });

  it("waiting followers are part of the state", () => {
    const cfg = config(automation("a", trigger({ expect: ["a.b.*"] })));
    const e = createEngine(cfg);
    const leader = event("a.b.c", 0);
    e.ingest(event("a.b.d", 1, { follows: leader.id }));
    const e2 = createEngine(cfg, {}, roundTrip(e.snapshot()));
    expect(e2.pendingFollowers()).toEqual(e.pendingFollowers());
    expect(timeline(e2.ingest(leader))).toEqual([
      ["Triggered", 0],
      ["Triggered", 1],
    ]);
  });

  it("an automation whose trigger changed starts from empty state; others keep theirs", () => {
    const a = automation("a", trigger({ expect: ["a.b.c"], threshold: 2 }));
    const b = automation("b", trigger({ expect: ["a.b.c"], threshold: 2 }));
    const e = createEngine(config(a, b));
    run(e, [event("a.b.c", 0)]);
    const changed = automation("b", trigger({ expect: ["a.b.c"], threshold: 3 }));
    const e2 = createEngine(config(a, changed), {}, roundTrip(e.snapshot()));
    expect(run(e2, [event("a.b.c", 1)]).map((o) => (o.kind === "firing" ? o.firing.automation : ""))).toEqual(["a"]);
  });

  it("an automation added to a running engine's config starts its tiling window at the restored clock", () => {
    const e = createEngine(config());
    e.advanceTo(ms(100));
    const e2 = createEngine(config(automation("p", proactive({ expect: ["a.b.c"], within: 30 }))), {}, roundTrip(e.snapshot()));
    expect(timeline(e2.advanceTo(ms(1000)))).toEqual([["Triggered", 130]]);
  });

  it("a state of another version or malformed is refused with a coded error", () => {
    for (const bad of [{ version: 2 }, { version: 1 }, { version: 1, clock: "x" }, null]) {
      expect(() => createEngine(config(), {}, bad as unknown as EngineState)).toThrow(
        expect.objectContaining({ code: "HOOKLINE_ENGINE_BAD_STATE" }),
      );
    }
  });
});

describe("paused and disabled automations evaluate nothing and keep no state (SEMANTICS §5)", () => {
  const cfg = config(
    automation("a", trigger({ expect: ["a.b.c"], threshold: 2 })),
    automation("p", proactive({ expect: ["a.b.c"], within: 30 })),
  );

  it("enabled: false evaluates nothing", () => {
    const e = createEngine(config(automation("a", trigger({ expect: ["a.b.c"] }), { enabled: false })));
    expect(run(e, [event("a.b.c", 0), { tick: 1000 }])).toEqual([]);
    expect(e.snapshot().automations).toEqual({});
  });

  it("options.paused pauses at start", () => {
    const e = createEngine(cfg, { paused: ["a", "p"] });
    expect(run(e, [event("a.b.c", 0), event("a.b.c", 1), { tick: 1000 }])).toEqual([]);
  });

  it("setPaused drops the state; resuming starts afresh", () => {
    const e = createEngine(cfg);
    run(e, [event("a.b.c", 0)]);
    e.setPaused("a", true);
    e.setPaused("p", true);
    expect(e.snapshot().automations).toEqual({});
    expect(run(e, [event("a.b.c", 1), { tick: 1000 }])).toEqual([]);
    e.setPaused("a", false);
    e.setPaused("p", false);
    // "a" needs two new events; "p"'s tiling window restarts at the clock: [1000,1030) is satisfied, [1030,1060) is empty
    expect(run(e, [event("a.b.c", 1001)]).length).toBe(0);
    expect(
      run(e, [event("a.b.c", 1002), { tick: 1060 }]).map((o) =>
        o.kind === "firing" ? [o.firing.automation, o.firing.at.slice(11, 19)] : [],
      ),
    ).toEqual([
      ["a", "00:16:42"],
      ["p", "00:17:40"],
    ]);
  });

  it("resuming does not enable an automation disabled in the config", () => {
    const e = createEngine(config(automation("a", trigger({ expect: ["a.b.c"] }), { enabled: false })));
    e.setPaused("a", false);
    expect(run(e, [event("a.b.c", 0)])).toEqual([]);
  });

  it("run-time pauses are kept in the state unless options.paused is given", () => {
    const e = createEngine(cfg);
    e.setPaused("a", true);
    const s = roundTrip(e.snapshot());
    expect(
      run(createEngine(cfg, {}, s), [event("a.b.c", 0), event("a.b.c", 1)]).some((o) => o.kind === "firing" && o.firing.automation === "a"),
    ).toBe(false);
    expect(
      run(createEngine(cfg, { paused: [] }, s), [event("a.b.c", 0), event("a.b.c", 1)]).some(
        (o) => o.kind === "firing" && o.firing.automation === "a",
      ),
    ).toBe(true);
  });
});
