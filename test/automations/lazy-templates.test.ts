/** `templates: lazy` (the runtimes): templates are checked at their first render, not at load; nothing else changes. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { renderValue, TemplateError } from "../../src/templates/index.js";

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/^automations.*\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

describe("lazy template checks (the runtimes)", () => {
  const withTemplate = (body: string) =>
    `automations:\n  - name: a\n    trigger: {expect: x.y}\n    actions:\n      - type: comment\n        body: ${JSON.stringify(body)}\n`;

  it("`templates: lazy` loads a file whose template the static check refuses, and its first render refuses it", () => {
    const text = withTemplate("{{ x.__class__ }}");
    expect(loadAutomations(text, "f.yaml").config).toBeNull();
    expect(loadAutomations(text, "f.yaml").problems.map((p) => p.code)).toContain("HOOKLINE_TEMPLATE_FORBIDDEN");
    const lazy = loadAutomations(text, "f.yaml", { templates: "lazy" });
    expect(lazy.problems).toEqual([]);
    const body = lazy.config!.automations[0]!.actions[0]!.params.body;
    expect(() => renderValue(body, {} as never)).toThrow(TemplateError);
    try {
      renderValue(body, {} as never);
    } catch (e) {
      expect((e as TemplateError).code).toBe("HOOKLINE_TEMPLATE_FORBIDDEN");
    }
  });

  it("`templates: lazy` changes nothing else: the same config, and other problems are still reported", () => {
    for (const file of yamlFiles("examples")) {
      const text = readFileSync(file, "utf8");
      expect(loadAutomations(text, file, { templates: "lazy" }), file).toEqual(loadAutomations(text, file));
    }
    const bad = withTemplate("{{ x.__class__ }}").replace("expect: x.y", "expect: x.y, posture: Sometimes");
    expect(loadAutomations(bad, "f.yaml", { templates: "lazy" }).problems.map((p) => p.code)).toEqual(["HOOKLINE_INVALID_VALUE"]);
  });
});
