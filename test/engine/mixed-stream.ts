/** A seeded, mixed workload for state round-trip and index-equivalence tests. */
import type { AutomationsConfig } from "../../src/automations/types.js";
import { automation, compound, config, event, proactive, sequence, trigger, type Input } from "./builders.js";
import { uuidv5 } from "../../src/events/uuid.js";

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mixedConfig(): AutomationsConfig {
  return config(
    automation("failures", trigger({ expect: ["gh.run.Failed"], for_each: ["repo"], threshold: 2, within: 120 })),
    automation(
      "start-end",
      trigger({ after: ["gh.run.Running"], expect: ["gh.run.Completed", "gh.run.Failed"], for_each: ["repo"], within: 90 }),
    ),
    automation("any-glob", trigger({ expect: ["gh.*.Cancelled"], match: { repo: ["r1", "r2"] } })),
    automation("negated", trigger({ expect: ["!gh.run.*"], match: { repo: "r3" } })),
    automation("rid", trigger({ match: { "prefect.resource.id": "res.2" }, threshold: 3, within: 0 })),
    automation(
      "related",
      trigger({
        expect: ["gh.run.*"],
        match_related: [{ "prefect.resource.role": "actor", name: "bot" }],
        for_each: ["related:actor:name"],
        threshold: 2,
        within: 300,
      }),
    ),
    automation(
      "stuck",
      proactive({ after: ["gh.run.Running"], expect: ["gh.run.Completed", "gh.run.Failed"], for_each: ["repo"], within: 100, repeat: 150 }),
    ),
    automation("heartbeat", proactive({ after: ["svc.heart.beat"], expect: ["svc.heart.beat"], within: 60 })),
    automation("tiling", proactive({ expect: ["svc.heart.beat"], within: 45, threshold: 2 })),
    automation("tiling-keys", proactive({ expect: ["gh.run.Completed"], for_each: ["repo"], within: 200 })),
    automation("both", compound([trigger({ expect: ["gh.run.Failed"] }), trigger({ expect: ["svc.heart.beat"] })], "all", 100)),
    automation(
      "either",
      compound(
        [
          trigger({ expect: ["gh.run.Cancelled"] }),
          trigger({ expect: ["gh.*.Cancelled"] }),
          proactive({ expect: ["gh.run.Completed"], within: 80 }),
        ],
        "any",
      ),
    ),
    automation(
      "seq",
      sequence(
        [
          trigger({ expect: ["gh.run.Running"] }),
          compound([trigger({ expect: ["gh.run.Failed"] }), trigger({ expect: ["gh.run.Completed"] })], 1),
        ],
        200,
      ),
    ),
    automation("off", trigger({ expect: ["gh.run.*"] }), { enabled: false }),
  );
}

const NAMES = [
  "gh.run.Running",
  "gh.run.Completed",
  "gh.run.Failed",
  "gh.run.Cancelled",
  "gh.job.Cancelled",
  "svc.heart.beat",
  "misc.thing.done",
];

/** events mostly in order, some late, some duplicated, some followers (some of whose leaders never come) */
export function mixedStream(seed: number, n: number): Input[] {
  const r = rng(seed);
  const out: Input[] = [];
  const seen: Input[] = [];
  let t = 0;
  for (let i = 0; i < n; i++) {
    const roll = r();
    if (roll < 0.05 && seen.length > 0) {
      out.push(seen[Math.floor(r() * seen.length)]!); // duplicate
      continue;
    }
    if (roll < 0.1) {
      t += Math.floor(r() * 200);
      out.push({ tick: t });
      continue;
    }
    t += Math.floor(r() * 20);
    const late = r() < 0.1 ? Math.floor(r() * 300) : 0;
    const repo = `r${Math.floor(r() * 4)}`;
    const related =
      r() < 0.3 ? [{ "prefect.resource.id": "actor.1", "prefect.resource.role": "actor", name: r() < 0.5 ? "bot" : "human" }] : [];
    const follows = r() < 0.08 ? (r() < 0.5 && seen.length > 0 ? idOf(seen[seen.length - 1]!) : uuidv5(`never-${seed}-${i}`)) : null;
    const ev = event(NAMES[Math.floor(r() * NAMES.length)]!, t - late, {
      id: uuidv5(`mixed-${seed}-${i}`),
      resource: { "prefect.resource.id": `res.${Math.floor(r() * 3)}`, repo },
      related,
      follows,
    });
    // a follower sometimes arrives before its leader
    if (follows !== null && seen.length > 0 && r() < 0.5) out.splice(Math.max(0, out.length - 2), 0, ev);
    else out.push(ev);
    seen.push(ev);
  }
  out.push({ tick: t + 5000 });
  return out;
}

function idOf(x: Input): string | null {
  return "tick" in x ? null : x.id;
}
