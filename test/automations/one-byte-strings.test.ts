import { randomUUID } from "node:crypto";
import { serialize } from "node:v8";
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { hasWideChars, oneByteCopy } from "../../src/automations/one-byte-strings.js";
import { readYaml } from "../../src/automations/yaml-source.js";

/** V8's serializer writes a string with the tag '"' when V8 stores it one byte per character, 'c' when two */
function isOneByte(s: string): boolean {
  return serialize(s)[2] === 0x22;
}

/**
 * A label name no other code in this process has used as a property name: the first interned copy of it is the
 * one the config reader makes. Built from characters, so the test file's own literals do not intern it first.
 */
function freshLabel(): string {
  return ["zz", randomUUID().replaceAll("-", "").slice(0, 12), ".label"].join("");
}

/** every object key and string anywhere in `value` */
function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      stringsIn(v, out);
    }
  }
  return out;
}

function automationsText(label: string, wide: string): string {
  return [
    `# pipeline ${wide} summary`,
    "automations:",
    "  - name: watch",
    "    trigger:",
    "      expect: github.workflow-run.Failed",
    `      match: { ${label}: main }`,
    `      for_each: ${label}`,
    "    actions:",
    `      - type: call-webhook`,
    `        url: https://example.test/hook`,
    `        body: "${wide} {{ event.resource['${label}'] }}"`,
    "",
  ].join("\n");
}

describe("strings read from a configuration with characters above U+00FF are one-byte copies (V8)", () => {
  it("oneByteCopy gives an equal string, one-byte when its characters allow it, and keeps wide ones as they are", () => {
    const wide = `→ ${freshLabel()} é`;
    const slice = wide.slice(2, wide.length - 2);
    expect(isOneByte(slice)).toBe(false);
    expect(oneByteCopy(slice)).toBe(slice);
    expect(isOneByte(oneByteCopy(slice))).toBe(true);
    expect(isOneByte(oneByteCopy(`${slice} é`))).toBe(true);
    for (const s of [wide, "🚨 failed", "lone \ud800 surrogate", ""]) expect(oneByteCopy(s)).toBe(s);
    expect(hasWideChars("plain é ÿ")).toBe(false);
    expect(hasWideChars("arrow →")).toBe(true);
  });

  {
    it("automations: the label names it reads are one-byte, so events later written with them serialize one-byte", () => {
      const label = freshLabel();
      const r = loadAutomations(automationsText(label, "→"), "automations.yaml");
      expect(r.problems).toEqual([]);
      const strings = stringsIn(r.config);
      expect(strings).toContain(label);
      for (const s of strings.filter((x) => !hasWideChars(x))) expect(isOneByte(s), JSON.stringify(s)).toBe(true);
      // the label as hookline's own code would write it later: an event resource with that key
      const event = { id: "e1", resource: { [[label.slice(0, 5), label.slice(5)].join("")]: "main" }, payload: { text: "x".repeat(100) } };
      expect(isOneByte(JSON.stringify(event))).toBe(true);
    });
  }

  it("readYaml (webhooks, Slack policy): keys and strings of a wide file are one-byte, wide values unchanged", () => {
    const label = freshLabel();
    const read = readYaml(`${label}:\n  a: "🚨 x"\n  b: [one, two]\n  <<: {c: d}\n# →\n`, "f.yaml");
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.source.data).toEqual({ [label]: { a: "🚨 x", b: ["one", "two"], c: "d" } });
    for (const s of stringsIn(read.source.data).filter((x) => !hasWideChars(x))) expect(isOneByte(s), JSON.stringify(s)).toBe(true);
  });
});
