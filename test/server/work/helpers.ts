/** Builders for the workers' tests: configs from YAML, events, a runtime, a log, clocks. */
import { createFetchHttpPort } from "../../../src/adapters/index.js";
import { loadAutomations } from "../../../src/automations/index.js";
import type { HooklineEvent } from "../../../src/events/event-schema.js";
import { isoOf } from "../../../src/events/event-schema.js";
import { uuidv5 } from "../../../src/events/uuid.js";
import type { Clock, Logger, ScopeConfig, ScopeRuntime, WorkEvent } from "../../../bots/server/work/index.js";

export const T0 = Date.parse("2024-05-01T12:00:00.000Z");

export function configOf(yaml: string, version = "v1"): ScopeConfig {
  const loaded = loadAutomations(yaml, "automations.yaml");
  if (!loaded.config) throw new Error(`test config does not load: ${JSON.stringify(loaded.problems)}`);
  return { config: loaded.config, version };
}

let counter = 0;
export function ev(
  name: string,
  at: number,
  o: { id?: string; resource?: Record<string, string>; follows?: string | null; payload?: Record<string, unknown> } = {},
): HooklineEvent {
  return {
    id: o.id ?? uuidv5(`work-test-${counter++}`),
    occurred: isoOf(at),
    event: name,
    resource: o.resource ?? { "prefect.resource.id": "test.thing.1" },
    related: [],
    payload: o.payload ?? {},
    follows: o.follows ?? null,
  };
}

export interface TestRuntime extends ScopeRuntime {
  configs: Map<string, ScopeConfig | null | Error>;
  portsCalls: string[];
}

/** configs per scope (an Error: the config load fails); real HTTP (the targets are local servers). */
export function testRuntime(configs: Record<string, ScopeConfig | null | Error> = {}): TestRuntime {
  const map = new Map(Object.entries(configs));
  const portsCalls: string[] = [];
  return {
    configs: map,
    portsCalls,
    async configOf(scope) {
      const c = map.get(scope);
      if (c instanceof Error) throw c;
      return c ?? null;
    },
    async portsOf(scope) {
      portsCalls.push(scope);
      return { http: createFetchHttpPort(), env: {}, repository: { owner: "octo", repo: "repo" } };
    },
  };
}

export interface TestLog extends Logger {
  entries: Array<{ level: string; obj: Record<string, unknown>; msg: string }>;
  messages(level?: string): string[];
}
export function testLog(): TestLog {
  const entries: TestLog["entries"] = [];
  const at =
    (level: string) =>
    (obj: object, msg = "") =>
      void entries.push({ level, obj: obj as Record<string, unknown>, msg });
  return {
    entries,
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    debug: at("debug"),
    messages: (level) => entries.filter((e) => level === undefined || e.level === level).map((e) => e.msg),
  };
}

export function observer(): { events: WorkEvent[]; observe(e: WorkEvent): void } {
  const events: WorkEvent[] = [];
  return { events, observe: (e) => void events.push(e) };
}

/** A clock the test sets by hand; `sleep` resolves on the next macrotask and moves time to its end (virtual time). */
export interface TestClock extends Clock {
  set(ms: number): void;
  randomValue: number;
}
export function testClock(start = T0, random = 0.5): TestClock {
  let t = start;
  const clock: TestClock = {
    randomValue: random,
    now: () => t,
    set: (ms) => void (t = ms),
    sleep: async (ms) => {
      const until = t + ms;
      await new Promise<void>((resolve) => setTimeout(resolve, 1));
      t = Math.max(t, until);
    },
    random: () => clock.randomValue,
  };
  return clock;
}

/** Waits (real time, bounded) until `cond` holds; fails the test with `what` otherwise. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, limitMs = 10_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A webhook automation on `expect`, calling `url`. */
export function webhookAutomation(name: string, expect: string, url: string, extra = ""): string {
  return `  - name: ${name}
    trigger: {expect: [${expect}]}
    actions:
      - {type: call-webhook, url: "${url}", method: POST, body: {automation: "${name}", event: "{{ event.event }}"}${extra}}
`;
}
