/**
 * The README's pictures are built from the product's real payloads (issue 13 item 5), not copied by hand: the
 * HTML scripts/pictures.mjs screenshots follows the README's automation through the Slack notifier and the built
 * Action (dist/index.js), so changing either changes the picture; and every picture the docs show exists.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain ESM script without types
import * as inputs from "../../scripts/picture-inputs.mjs";
import { ROOT } from "./snippet-blocks.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
type Message = { channel: string; text: string; blocks: { type: string; elements?: { text: { text: string } }[] }[] };

describe("scripts/picture-inputs.mjs", () => {
  it("the Slack picture is the notifier's chat.postMessage for the README's automation: its text and every button", async () => {
    const yaml = inputs.readmeAutomation(README) as string;
    const message = (await inputs.slackMessage(yaml)) as Message;
    expect(message.channel).toBe("#ops");
    const buttons = message.blocks.flatMap((b) => (b.type === "actions" ? b.elements!.map((e) => e.text.text) : []));
    expect(buttons).toEqual(expect.arrayContaining(["Re-run failed jobs", "Cancel run", "Pause this automation"]));
    const html = inputs.slackHtml(message) as string;
    for (const label of buttons) expect(html).toContain(label);
    expect(html).toContain("CI failed on main");

    const changed = yaml.replace('subject: "CI failed on', 'subject: "Red build on');
    expect(inputs.slackHtml(await inputs.slackMessage(changed))).toContain("Red build on main");
  });

  it("the job summary is what dist/index.js writes, and the annotations are its validate mode's, for the README's automation", () => {
    const yaml = (inputs.readmeAutomation(README) as string).replace("name: ci-failed-on-main", "name: picture-probe");
    const evaluated = inputs.runAction({ "dry-run": "true", "slack-token": "xoxb-test" }, yaml) as { summary: string };
    expect(inputs.summaryHtml(evaluated.summary)).toContain("picture-probe");

    const bad = inputs.neverFiringVariant(yaml) as string;
    expect(bad).toContain("github.workflow_run.failed");
    const validated = inputs.runAction({ mode: "validate" }, bad) as { stdout: string };
    const annotations = inputs.annotationsOf(validated.stdout) as { title: string; line: number }[];
    expect(annotations.map((a) => a.title)).toEqual(["HOOKLINE_TRIGGER_NEVER_FIRES_NAME", "HOOKLINE_TRIGGER_NEVER_FIRES_LABEL"]);
    expect(annotations[0]!.line).toBe(bad.split("\n").findIndex((l) => l.includes("workflow_run.failed")) + 1);
    expect(inputs.annotationsHtml(bad, annotations)).toContain("did you mean `github.workflow-run.Failed`");
  });

  it("every picture README.md and docs/ show exists in docs/images/", () => {
    const pages = ["README.md", "docs/slack.md", "docs/action.md"];
    const shown = pages.flatMap((p) =>
      [...readFileSync(join(ROOT, p), "utf8").matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((m) => join(ROOT, p, "..", m[1]!)),
    );
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const f of shown) expect(existsSync(f), f).toBe(true);
  });
});
