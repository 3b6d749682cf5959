/** One invocation: build the attempt for its action type, run it with retries, report an Outcome. */
import { ActionError } from "./errors.js";
import { githubAttempt, type Attempt } from "./github-executors.js";
import { buildEmittedEvent, localAttempt } from "./local-executors.js";
import { notificationAttempt } from "./notify.js";
import { renderInvocation } from "./render.js";
import { withRetries } from "./retry.js";
import type { ActionPorts, Invocation, Notifiers, Outcome } from "./types.js";

function asParams(request: unknown): Record<string, unknown> {
  return request && typeof request === "object" && !Array.isArray(request) ? (request as Record<string, unknown>) : {};
}

/**
 * Runs one invocation whose parameters are already rendered (`request`, see renderInvocation). Never throws
 * for anything an action, a server or a user can cause: that is a failed Outcome with a code and a reason.
 */
export async function executeInvocation(inv: Invocation, request: unknown, notifiers: Notifiers, ports: ActionPorts): Promise<Outcome> {
  const params = asParams(request);
  let attempt: Attempt;
  try {
    if (inv.action.type === "emit-event") {
      const event = buildEmittedEvent(inv, params, ports.clock.now());
      return { status: "executed", attempts: 1, result: { event_id: event.id, event: event.event }, emitted: event };
    }
    const built =
      inv.action.type === "send-notification" ? notificationAttempt(inv, params, notifiers, ports) : (githubAttempt(inv, params, ports) ?? localAttempt(inv, params, ports));
    if (!built) return { status: "failed", attempts: 0, code: "HOOKLINE_ACTION_UNKNOWN_TYPE", reason: `unknown action type ${JSON.stringify(inv.action.type)}` };
    attempt = built;
  } catch (err) {
    if (err instanceof ActionError) return { status: "failed", attempts: 0, code: err.code, reason: err.message };
    throw err;
  }
  const res = await withRetries(inv.action, ports.clock, attempt);
  if (res.error) return { status: "failed", attempts: res.attempts, code: res.error.code, reason: res.error.message };
  return res.value === undefined ? { status: "executed", attempts: res.attempts } : { status: "executed", attempts: res.attempts, result: res.value };
}

/** renderInvocation + executeInvocation: a template error is a failed outcome (no attempt, no retry). */
export async function runInvocation(inv: Invocation, notifiers: Notifiers, ports: ActionPorts): Promise<Outcome> {
  const rendered = renderInvocation(inv);
  if (!rendered.ok) return rendered.outcome;
  return executeInvocation(inv, rendered.params, notifiers, ports);
}
