import { describe, expect, it } from "vitest";
import { chainFirings, createEngine, MAX_CHAIN_DEPTH, type Firing } from "../../src/engine/index.js";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { automation, config, event, trigger } from "./builders.js";

// "ping" reacts to the first event and to pong's firings, "pong" to ping's: an endless loop without the bound
const loop = config(
  automation(
    "ping",
    trigger({
      expect: ["hookline.automation.triggered", "job.run.done"],
      match: { "prefect.resource.id": ["hookline.automation.pong", "test.*"] },
    }),
  ),
  automation("pong", trigger({ expect: ["hookline.automation.triggered"], match: { "prefect.resource.name": "ping" } })),
);

describe("chainFirings (SEMANTICS §6b)", () => {
  it("feeds each firing's event back, depth first, and stops after MAX_CHAIN_DEPTH links feeding nothing back", () => {
    const engine = createEngine(loop);
    const seen: [string, boolean][] = [];
    const fed: HooklineEvent[] = [];
    chainFirings(engine, engine.ingest(event("job.run.done", 0, { resource: { "prefect.resource.id": "test.job" } })), {
      firing: (f, _fired, stopped) => void seen.push([f.automation, stopped]),
      fedBack: (e) => void fed.push(e),
    });
    expect(seen).toHaveLength(MAX_CHAIN_DEPTH + 1);
    expect(seen.map(([name]) => name)).toEqual(Array.from({ length: MAX_CHAIN_DEPTH + 1 }, (_, i) => (i % 2 === 0 ? "ping" : "pong")));
    expect(seen.filter(([, stopped]) => stopped)).toEqual([[MAX_CHAIN_DEPTH % 2 === 0 ? "ping" : "pong", true]]);
    expect(fed).toHaveLength(MAX_CHAIN_DEPTH); // the stopped firing's event is not fed back
    expect(fed.every((e) => e.event === "hookline.automation.triggered")).toBe(true);
  });

  it("events the visitor returns are fed back right after the firing's own event, before later firings", () => {
    const engine = createEngine(
      config(automation("first", trigger({ expect: ["job.run.done"] })), automation("on-extra", trigger({ expect: ["test.extra.event"] }))),
    );
    const order: string[] = [];
    chainFirings(engine, engine.ingest(event("job.run.done", 0)), {
      firing: (f: Firing) => {
        order.push(`firing ${f.automation}`);
        return f.automation === "first" ? [{ ...event("test.extra.event", 0), follows: null }] : [];
      },
      fedBack: (e) => void order.push(`fed ${e.event}`),
    });
    expect(order).toEqual([
      "firing first",
      "fed hookline.automation.triggered",
      "fed test.extra.event",
      "firing on-extra",
      "fed hookline.automation.triggered",
    ]);
  });
});
