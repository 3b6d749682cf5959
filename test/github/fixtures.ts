import { createRequire } from "node:module";
import type { HooklineEvent } from "../../src/events/event-schema.js";
import { translateWebhook, type WebhookInput } from "../../src/github/index.js";

const require = createRequire(import.meta.url);

export interface WebhookDefinition {
  name: string;
  examples: Record<string, unknown>[];
}

/** the JSON array `@octokit/webhooks-examples` exports (api.github.com), or one of its GHES variants */
export function webhookExamples(variant = "api.github.com"): WebhookDefinition[] {
  return require(`@octokit/webhooks-examples/${variant}/index.json`) as WebhookDefinition[];
}

export function example(name: string, pick: (p: Record<string, unknown>) => boolean = () => true): Record<string, unknown> {
  const def = webhookExamples().find((d) => d.name === name);
  const found = def?.examples.find(pick);
  if (!found) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

/** translates and returns the single event, failing the test with the skip reason otherwise */
export function translateOne(input: WebhookInput): HooklineEvent {
  const result = translateWebhook(input);
  if ("skipped" in result) throw new Error(`unexpectedly skipped: ${result.skipped}`);
  if (result.events.length !== 1) throw new Error(`expected one event, got ${result.events.length}`);
  return result.events[0]!;
}

export function roles(event: HooklineEvent): string[] {
  return event.related.map((r) => r["prefect.resource.role"]!);
}
