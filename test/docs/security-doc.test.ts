/** docs/security.md: its automations snippet loads, and matches GitHub's own events but not a webhook's look-alike. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { createEngine } from "../../src/engine/index.js";
import { originResource, withOrigin, type Origin } from "../../src/events/index.js";
import { loadWebhooks } from "../../src/webhooks/index.js";
import { event, run } from "../engine/builders.js";

const DOC = readFileSync(new URL("../../docs/security.md", import.meta.url), "utf8");
const snippet = /```yaml\n([\s\S]*?)```/.exec(DOC)![1]!;

describe("docs/security.md", () => {
  it("the origin snippet loads and fires for GitHub's own workflow runs only, not a webhook's event of the same name", () => {
    const file = `automations:\n  - name: github-only\n${snippet.trimEnd().replace(/^/gm, "    ")}\n    actions: [{type: do-nothing}]\n`;
    const loaded = loadAutomations(file, "automations.yaml");
    expect(loaded.problems.filter((p) => p.severity === "error")).toEqual([]);
    const engine = createEngine(loaded.config!);
    const from = (origin: Origin) => withOrigin(event("github.workflow-run.completed", 0), origin);
    expect(run(engine, [from({ kind: "webhook", name: "open" })])).toEqual([]);
    expect(run(engine, [from({ kind: "github", name: "acme/api" })]).length).toBeGreaterThan(0);
    expect(originResource({ kind: "github", name: "acme/api" })["prefect.resource.id"]).toBe("hookline.origin.github.acme/api");
  });
});

describe("src/webhooks/README.md", () => {
  it("its webhooks.yaml example loads without errors: every webhook declares its authentication", () => {
    const text = readFileSync(new URL("../../src/webhooks/README.md", import.meta.url), "utf8");
    const yaml = /## webhooks\.yaml\n\n```yaml\n([\s\S]*?)```/.exec(text)![1]!;
    const r = loadWebhooks(yaml, "webhooks.yaml");
    expect(r.problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(r.webhooks.map((w) => w.auth.kind)).toEqual(["secret", "signature", "slug", "none"]);
  });
});
