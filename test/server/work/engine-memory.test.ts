import { describe, expect, it } from "vitest";
import { evaluationRound } from "../../../bots/server/work/evaluation-round.js";
import type { EngineState } from "../../../src/engine/index.js";
import type { ScopeWork } from "../../../src/store/server-types.js";
import { configOf, ev, T0 } from "./helpers.js";

const scoped = configOf(`automations:
  - name: on-follower
    trigger: {expect: [test.follower.arrived]}
    actions: [{type: call-webhook, url: "http://127.0.0.1:9/x"}]
`);

function work(events: ScopeWork["events"], state: EngineState | null, settled?: string[]): ScopeWork {
  return { scope: "server", state, configVersion: "v1", paused: [], events, ...(settled ? { settledLeaders: new Set(settled) } : {}) };
}

describe("the server's engines keep a small id memory", () => {
  it("the saved state stays bounded however many events a scope has seen (it was ~45 bytes per event for an hour)", () => {
    let state: EngineState | null = null;
    let size = 0;
    for (let batch = 0; batch < 30; batch++) {
      const events = Array.from({ length: 500 }, (_, i) => ev("test.noise.seen", T0 + (batch * 500 + i) * 10));
      const { result } = evaluationRound(work(events, state), scoped, T0 + (batch + 1) * 5_000);
      state = result.state;
      size = JSON.stringify(state).length;
    }
    // 15,000 events seen: the saved state keeps no processed ids at all (the store dedupes)
    expect(size).toBeLessThan(2_000);
  });

  it("a follower whose leader the store says was evaluated earlier runs at once, though the engine forgot the leader", () => {
    const leader = ev("test.leader.arrived", T0);
    const first = evaluationRound(work([leader], null), scoped, T0 + 1);
    // push the leader out of the engine's memory
    let state = first.result.state;
    for (let batch = 0; batch < 12; batch++) {
      const events = Array.from({ length: 500 }, (_, i) => ev("test.noise.seen", T0 + 10 + batch * 500 + i));
      state = evaluationRound(work(events, state), scoped, T0 + 10_000).result.state;
    }
    const follower = ev("test.follower.arrived", T0 + 20_000, { follows: leader.id });
    const held = evaluationRound(work([follower], state), scoped, T0 + 20_001);
    expect(held.result.outbox).toHaveLength(0); // without the store's word it waits for the leader
    const released = evaluationRound(work([follower], state, [leader.id]), scoped, T0 + 20_001);
    expect(released.result.outbox).toHaveLength(1);
    // the follower itself is unchanged: templates still see whom it follows
    expect(released.result.firings[0]!.triggering_event?.follows).toBe(leader.id);
  });
});
