/**
 * The ports an action of a scope runs with: the scope's own (HTTP, GitHub with the installation token, Slack,
 * mail, env) from the runtime, plus what the worker wires from the store: Slack threads keyed by scope,
 * pause/resume through `pauseAutomation` (recorded as done by the automation that ran the action), and the clock.
 */
import type { ActionPorts, Invocation } from "../../../src/executors/index.js";
import { RESOURCE_ID, RESOURCE_NAME } from "../../../src/events/labels.js";
import type { ServerStore } from "../../../src/store/server-types.js";
import { pauseAutomation } from "../../../src/scopes/pause.js";
import { originOfScope } from "../../../src/scopes/routing.js";
import type { Clock } from "./types.js";

export function actionPorts(
  base: Omit<ActionPorts, "threads" | "pauses" | "clock">,
  store: ServerStore,
  scope: string,
  inv: Invocation,
  clock: Clock,
): ActionPorts {
  const by = inv.automation.name;
  return {
    ...base,
    threads: {
      async get(key) {
        return (await store.getThread(scope, key)) ?? undefined;
      },
      async set(key, thread) {
        await store.setThread(scope, key, { channel: thread.channel, ts: thread.ts }, clock.now());
      },
    },
    pauses: {
      async setPaused(automation, paused) {
        await pauseAutomation(store, {
          scope,
          automation,
          paused,
          until: null,
          by: `automation:${by}`,
          actor: { [RESOURCE_ID]: `hookline.automation.${by}`, [RESOURCE_NAME]: by },
          origin: originOfScope(scope),
          now: clock.now(),
        });
      },
    },
    clock: { now: () => clock.now(), sleep: (ms) => clock.sleep(ms), random: () => clock.random() },
  };
}
