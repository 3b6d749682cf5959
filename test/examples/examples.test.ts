import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { translateWebhook } from "../../src/github/index.js";
import { eventsOf, exampleNames, jsonLines, loadExample, readExample, runNode, simulateExample } from "./helpers.js";

const require = createRequire(import.meta.url);
const REAL = require("@octokit/webhooks-examples/api.github.com/index.json") as { name: string; examples: Record<string, unknown>[] }[];

const EXPECTED_EXAMPLES = ["compound", "dispatch-follow-up", "notify-failed-runs", "sequence", "stuck-run", "workflows-section"];

interface Delivery {
  name: string;
  delivery: string;
  payload: Record<string, unknown>;
}

function deliveriesOf(name: string): Delivery[] {
  return jsonLines(readExample(name, "webhooks.jsonl")) as Delivery[];
}

/** Every key path of a JSON value (array elements share the path `[]`): the shape of a payload, not its values. */
function shapeOf(value: unknown, path = "", out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) shapeOf(v, `${path}[]`, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.add(`${path}.${k}`);
      shapeOf(v, `${path}.${k}`, out);
    }
  }
  return out;
}

function sameSet(a: Set<string>, b: Set<string>): boolean {
  return a.size === b.size && [...a].every((k) => b.has(k));
}

describe("the bundled examples", () => {
  it("are the six documented stories, each with automations, a recorded webhook stream and its events", () => {
    expect(exampleNames()).toEqual(EXPECTED_EXAMPLES);
    for (const name of exampleNames()) {
      expect(deliveriesOf(name).length, name).toBeGreaterThanOrEqual(4);
      expect(deliveriesOf(name).length, name).toBeLessThanOrEqual(20);
    }
  });

  it("every automations.yaml starts with the schema line, then the title comment that demo prints", () => {
    for (const name of exampleNames()) {
      const [first, second] = readExample(name, "automations.yaml").split("\n");
      expect(first, name).toBe("# yaml-language-server: $schema=../../schema/automations.schema.json");
      expect(second, name).toMatch(/^# [A-Z].{10,}$/);
    }
  });

  it("every automations.yaml loads with no error and no warning", () => {
    for (const name of exampleNames()) {
      const r = loadExample(name);
      expect(r.problems, name).toEqual([]);
      expect(r.config?.automations.length, name).toBeGreaterThan(0);
    }
  });

  it("every events.jsonl is exactly the translation of its webhooks.jsonl, in delivery order (they cannot drift)", () => {
    for (const name of exampleNames()) {
      const translated = deliveriesOf(name).flatMap((d, i) => {
        const r = translateWebhook({ name: d.name, delivery: d.delivery, payload: d.payload });
        if ("skipped" in r) throw new Error(`examples/${name}/webhooks.jsonl:${i + 1} was skipped: ${r.skipped}`);
        return r.events;
      });
      expect(jsonLines(readExample(name, "events.jsonl")), name).toEqual(JSON.parse(JSON.stringify(translated)));
    }
  });

  it("every recorded event is a valid standard event with its own id (no delivery is recorded twice)", () => {
    for (const name of exampleNames()) {
      const events = eventsOf(name);
      expect(new Set(events.map((e) => e.id)).size, name).toBe(events.length);
      expect(new Set(deliveriesOf(name).map((d) => d.delivery)).size, name).toBe(events.length);
      // event time moves forward: the stream is in the order GitHub would deliver it
      const times = events.map((e) => Date.parse(e.occurred));
      expect(times, name).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it("every recorded payload has the exact shape of a real GitHub payload, with the real repository and sender", () => {
    for (const name of exampleNames()) {
      for (const d of deliveriesOf(name)) {
        const real = REAL.find((w) => w.name === d.name)?.examples ?? [];
        expect(real.length, `${name}: ${d.name}`).toBeGreaterThan(0);
        const shape = shapeOf(d.payload);
        expect(
          real.some((p) => sameSet(shapeOf(p), shape)),
          `${name}: ${d.name} ${String(d.payload.action)}`,
        ).toBe(true);
        expect(
          real.some((p) => JSON.stringify(p.repository) === JSON.stringify(d.payload.repository)),
          name,
        ).toBe(true);
        expect(
          real.some((p) => JSON.stringify(p.sender) === JSON.stringify(d.payload.sender)),
          name,
        ).toBe(true);
      }
    }
  });

  it("the recordings are reproducible: examples/record.mjs --check finds every file as it would record it", () => {
    const r = runNode(["examples/record.mjs", "--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("no example renders an action with a template error or chains past the depth limit", () => {
    for (const name of exampleNames()) {
      const { records, warnings } = simulateExample(name);
      expect(warnings, name).toEqual([]);
      for (const r of records.filter((x) => x.kind === "action")) {
        expect(r.error, `${name}: ${JSON.stringify(r)}`).toBeUndefined();
        expect(r.request, name).not.toBeNull();
      }
    }
  });

  it("hookline demo replays every example, names each with its title, and exits 0", () => {
    const r = runNode(["bin/hookline.js", "demo"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const name of exampleNames()) {
      const title = readExample(name, "automations.yaml").split("\n")[1]!.replace(/^#\s*/, "");
      expect(r.stdout).toContain(`== ${name}: ${title}`);
      expect(r.stdout).toContain(`--events examples/${name}/events.jsonl`);
    }
  });
});
