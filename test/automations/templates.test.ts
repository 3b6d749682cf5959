import { describe, expect, it, vi } from "vitest";
import { load, only } from "./helpers.js";

// The real checker lives in src/templates; here a stand-in reports `BAD` at its line/col inside the template,
// so the test pins how template positions map onto the file.
vi.mock("../../src/templates/index.js", () => ({
  isTemplate: (s: string) => s.includes("{{") || s.includes("{%"),
  checkTemplate: (source: string) => {
    const lines = source.split("\n");
    for (let i = 0; i < lines.length; i++) {
      const col = lines[i]!.indexOf("BAD");
      if (col >= 0) return [{ message: "unknown filter BAD", line: i + 1, col: col + 1 }];
    }
    if (source.includes("NOPOS")) return [{ message: "something" }];
    if (source.includes("THROW")) throw new Error("checker crashed");
    return [];
  },
}));

const withAction = (action: string) => `automations:\n  - name: a\n    trigger: {expect: a.b.c}\n    actions:\n${action}`;

describe("template strings in action fields are checked with checkTemplate", () => {
  it("a problem in a plain scalar points at its column in the file", () => {
    const r = load(withAction("      - type: comment\n        body: {{ x | BAD }}x\n".replace("{{ x | BAD }}x", '"{{ x | BAD }}"')));
    const p = only(r, "HOOKLINE_TEMPLATE");
    expect(p).toMatchObject({ line: 6, col: 23, message: "template error in `body`: unknown filter BAD" });
    expect(r.config).toBeNull();
  });

  it("a problem in a literal block scalar maps to its line and column", () => {
    const r = load(withAction("      - type: comment\n        body: |\n          Hello {{ a }}\n          see {{ b | BAD }}\n"));
    expect(only(r, "HOOKLINE_TEMPLATE")).toMatchObject({ line: 8, col: 22 });
  });

  it("nested values (inputs, headers, payloads) are checked too", () => {
    const r = load(withAction('      - type: run-workflow\n        workflow: ci.yml\n        inputs:\n          sha: "{{ BAD }}"\n'));
    expect(only(r, "HOOKLINE_TEMPLATE")).toMatchObject({ line: 8, col: 20, message: "template error in `inputs`: unknown filter BAD" });
  });

  it("with escapes the exact column is unknown and the problem points at the scalar", () => {
    const r = load(withAction('      - type: comment\n        body: "\\t{{ BAD }}"\n'));
    expect(only(r, "HOOKLINE_TEMPLATE")).toMatchObject({ line: 6, col: 15 });
  });

  it("a problem without a position points at the scalar; a crashing checker is reported, not thrown", () => {
    expect(only(load(withAction('      - {type: comment, body: "{{ NOPOS }}"}\n')), "HOOKLINE_TEMPLATE").col).toBe(31);
    expect(only(load(withAction('      - {type: comment, body: "{{ THROW }}"}\n')), "HOOKLINE_TEMPLATE").message).toContain(
      "checker crashed",
    );
  });

  it("strings without {{ or {% are not templates, and names (notifier, type) are never checked", () => {
    expect(load(withAction("      - {type: comment, body: BAD}\n")).problems).toEqual([]);
  });

  it("templates in generated workflow inputs point into the workflows entry", () => {
    const r = load('workflows:\n  deploy.yml:\n    triggers:\n      - expect: a.b.c\n        inputs: {sha: "{{ BAD }}"}\n');
    expect(only(r, "HOOKLINE_TEMPLATE")).toMatchObject({ line: 5, col: 27 });
  });
});
