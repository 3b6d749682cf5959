/**
 * src/automations/event-catalogue.generated.ts is generated from the translator and hookline's constants
 * (scripts/event-catalogue.mjs): the committed file must be what the generator makes from today's code, so a
 * translator change that adds a name or a label cannot leave validation warning about it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as github from "../../src/github/index.js";
import { STATE_NAMES } from "../../src/automations/types.js";
import { FIRING_EVENT_NAMES } from "../../src/engine/firing-event.js";
import { ACTION_EVENT_NAMES } from "../../src/executors/outcome-events.js";
import { PAUSE_EVENT_NAMES } from "../../src/scopes/pause.js";
import { WEBHOOK_FAILED_EVENT } from "../../src/webhooks/types.js";
import { GITHUB_EVENT_NAMES, HOOKLINE_EVENT_NAMES } from "../../src/automations/event-catalogue.generated.js";
// @ts-expect-error: a plain .mjs script without type declarations
import { buildCatalogue, catalogueSource, CATALOGUE_PATH, webhookDefinitions } from "../../scripts/event-catalogue.mjs";
import { ROOT } from "../cli/run-cli.js";

describe("the event catalogue", () => {
  it("the committed catalogue is what scripts/event-catalogue.mjs generates now (run it after `npm run build` and commit)", async () => {
    const { emitterEventNames } = await import("@octokit/webhooks");
    const catalogue = buildCatalogue({
      github,
      stateNames: STATE_NAMES,
      hookline: [FIRING_EVENT_NAMES, ACTION_EVENT_NAMES, PAUSE_EVENT_NAMES, WEBHOOK_FAILED_EVENT],
      definitions: webhookDefinitions(),
      emitterEventNames,
    });
    const fresh: string = await catalogueSource(catalogue, ROOT);
    const committed = readFileSync(join(ROOT, CATALOGUE_PATH), "utf8");
    expect(committed === fresh, `${CATALOGUE_PATH} is stale: run npm run build && node scripts/event-catalogue.mjs`).toBe(true);
  });

  it("holds every run state of every run-like kind and hookline's firing, action, pause and webhook events", () => {
    for (const kind of github.RUN_LIKE_KINDS) {
      for (const state of STATE_NAMES) expect(GITHUB_EVENT_NAMES).toContain(`github.${github.kebabKind(kind)}.${state}`);
    }
    expect(HOOKLINE_EVENT_NAMES).toEqual([
      "hookline.action.executed",
      "hookline.action.failed",
      "hookline.action.triggered",
      "hookline.automation.paused",
      "hookline.automation.resolved",
      "hookline.automation.resumed",
      "hookline.automation.triggered",
      "hookline.webhook.failed",
    ]);
  });
});
