import { describe, expect, it } from "vitest";
import { validateEvent } from "../../src/events/event-schema.js";
import { uuidv5 } from "../../src/events/uuid.js";
import { isRunLike, kebabKind, translateWebhook } from "../../src/github/index.js";
import { STATE_NAMES } from "../../src/automations/types.js";
import { webhookExamples } from "./fixtures.js";

const INTENDED_SKIPS = ["ping"];

describe("every @octokit/webhooks-examples payload", () => {
  for (const variant of ["api.github.com", "ghes-35", "ghes-31"]) {
    it(`translates to a schema-valid event or is skipped with a reason (${variant}); only ping is skipped`, () => {
      const skipped = new Set<string>();
      let translated = 0;
      let skips = 0;
      for (const def of webhookExamples(variant)) {
        def.examples.forEach((payload, i) => {
          const result = translateWebhook({ name: def.name, delivery: `${def.name}-${i}`, payload });
          if ("skipped" in result) {
            expect(result.skipped.length).toBeGreaterThan(10);
            skipped.add(def.name);
            skips++;
            return;
          }
          expect(result.events).toHaveLength(1);
          for (const event of result.events) {
            const check = validateEvent(event);
            expect(check.ok ? [] : check.errors, `${def.name} #${i}`).toEqual([]);
            translated++;
          }
        });
      }
      expect([...skipped].sort()).toEqual(INTENDED_SKIPS);
      const total = webhookExamples(variant).reduce((n, d) => n + d.examples.length, 0);
      expect(translated + skips).toBe(total);
      expect(translated).toBeGreaterThan(skips);
    });
  }

  it("names events github.<kebab kind>.<action or state> and gives a github.<kind>.* primary resource", () => {
    for (const def of webhookExamples()) {
      def.examples.forEach((payload, i) => {
        const result = translateWebhook({ name: def.name, delivery: `d-${i}`, payload });
        if ("skipped" in result) return;
        const event = result.events[0]!;
        const kind = kebabKind(def.name);
        expect(event.event.startsWith(`github.${kind}.`), event.event).toBe(true);
        expect(event.resource["prefect.resource.id"]!.startsWith(`github.${kind}.`)).toBe(true);
        const last = event.event.slice(`github.${kind}.`.length);
        if (isRunLike(def.name)) {
          expect(STATE_NAMES).toContain(last);
          expect(event.resource["github.state"]).toBe(last);
        } else if (typeof payload.action === "string") {
          expect(last).toBe(payload.action);
        }
        expect(event.id).toBe(uuidv5(`github.delivery:d-${i}`));
        expect(event.payload).toEqual(payload);
      });
    }
  });

  it("label values are strings and never null, on the resource and on every related resource", () => {
    for (const def of webhookExamples()) {
      for (const payload of def.examples) {
        const result = translateWebhook({ name: def.name, payload });
        if ("skipped" in result) continue;
        for (const r of [result.events[0]!.resource, ...result.events[0]!.related]) {
          for (const v of Object.values(r)) expect(typeof v).toBe("string");
        }
      }
    }
  });

  it("translation is deterministic: the same input twice gives equal events", () => {
    for (const def of webhookExamples()) {
      for (const payload of def.examples) {
        expect(translateWebhook({ name: def.name, payload })).toEqual(translateWebhook({ name: def.name, payload }));
      }
    }
  });
});
