/** The trigger in plain sentences (the console's automations page): each kind of trigger reads as what it does. */
import { describe, expect, it } from "vitest";
import { describeTriggerInWords, durationInWords } from "../../src/automations/describe-words.js";
import { trigger } from "../engine/builders.js";

const ev = trigger;

describe("describeTriggerInWords", () => {
  it("a reactive trigger says which events, how many, within how long, on which resources, per which key", () => {
    expect(
      describeTriggerInWords(
        ev({
          expect: ["github.workflow-run.Failed"],
          threshold: 3,
          within: 600,
          match: { "github.repository": ["acme/api", "acme/web"] },
          for_each: ["github.branch"],
        }),
      ),
    ).toBe(
      "Fires when github.workflow-run.Failed happens 3 times within 10 minutes on resources where github.repository is acme/api or acme/web, separately for each github.branch.",
    );
    expect(describeTriggerInWords(ev({ expect: ["a.b", "a.c"] }))).toBe("Fires when a.b or a.c happens.");
    expect(describeTriggerInWords(ev({ expect: ["a.b"], after: ["a.start"], threshold: 2 }))).toBe(
      "Fires when a.b happens twice after a.start.",
    );
  });

  it("a proactive trigger says what must not be missing, from when, and that it resolves", () => {
    expect(
      describeTriggerInWords(ev({ posture: "Proactive", expect: ["job.done"], after: ["job.started"], within: 900, repeat: 3600 })),
    ).toBe(
      "Fires when, after job.started, no job.done arrives within 15 minutes; resolves when job.done arrives; repeats every 1 hour while it lasts.",
    );
    expect(describeTriggerInWords(ev({ posture: "Proactive", expect: ["beat"], threshold: 3, within: 90 }))).toBe(
      "Fires when fewer than 3 beat arrive within 1 minute 30 seconds; resolves when beat arrives.",
    );
  });

  it("compound and sequence triggers list their parts with the requirement and the window", () => {
    const a = ev({ expect: ["a.x"] });
    const b = ev({ expect: ["b.y"], threshold: 2 });
    expect(describeTriggerInWords({ type: "compound", triggers: [a, b], require: "all", within: 3600 })).toBe(
      "Fires when all of these 2 happen within 1 hour: (1) a.x happens; (2) b.y happens twice.",
    );
    expect(describeTriggerInWords({ type: "sequence", triggers: [a, b], within: null })).toBe(
      "Fires when these happen in this order: (1) a.x happens; then (2) b.y happens twice.",
    );
  });

  it("durations read in days, hours, minutes and seconds", () => {
    expect(durationInWords(86400 + 7200 + 1)).toBe("1 day 2 hours 1 second");
    expect(durationInWords(0)).toBe("");
  });
});
