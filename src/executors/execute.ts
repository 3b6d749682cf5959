/** One invocation: build the attempt for its action type, run it with retries, report an Outcome. */
import { TEMPLATE_CODES } from "../templates/index.js";
import { ActionError } from "./errors.js";
import { githubAttempt, type Attempt } from "./github-executors.js";
import { buildEmittedEvent, localAttempt } from "./local-executors.js";
import { notificationAttempt } from "./notify.js";
import { type ParamsRenderer, renderInvocation, renderInvocationWith } from "./render.js";
import { attemptWithTimeout, toActionError, withRetries } from "./retry.js";
import type { ActionPorts, Invocation, Notifiers, Outcome } from "./types.js";

function asParams(request: unknown): Record<string, unknown> {
  return request && typeof request === "object" && !Array.isArray(request) ? (request as Record<string, unknown>) : {};
}

/**
 * Runs one invocation whose parameters are already rendered (`request`, see renderInvocation). Never throws
 * for anything an action, a server or a user can cause: that is a failed Outcome with a code and a reason.
 */
type Built = { attempt: Attempt } | { outcome: Outcome };

/** The attempt function for the invocation's type, or the outcome when there is nothing to attempt. */
function buildAttempt(inv: Invocation, params: Record<string, unknown>, notifiers: Notifiers, ports: ActionPorts): Built {
  try {
    if (inv.action.type === "emit-event") {
      const event = buildEmittedEvent(inv, params, ports.clock.now());
      return { outcome: { status: "executed", attempts: 1, result: { event_id: event.id, event: event.event }, emitted: event } };
    }
    const built =
      inv.action.type === "send-notification"
        ? notificationAttempt(inv, params, notifiers, ports)
        : (githubAttempt(inv, params, ports) ?? localAttempt(inv, params, ports));
    if (!built)
      return {
        outcome: {
          status: "failed",
          attempts: 0,
          code: "HOOKLINE_ACTION_UNKNOWN_TYPE",
          reason: `unknown action type ${JSON.stringify(inv.action.type)}`,
        },
      };
    return { attempt: built };
  } catch (err) {
    if (err instanceof ActionError) return { outcome: { status: "failed", attempts: 0, code: err.code, reason: err.message } };
    throw err;
  }
}

/**
 * Runs one invocation whose parameters are already rendered (`request`, see renderInvocation). Never throws
 * for anything an action, a server or a user can cause: that is a failed Outcome with a code and a reason.
 */
export async function executeInvocation(inv: Invocation, request: unknown, notifiers: Notifiers, ports: ActionPorts): Promise<Outcome> {
  const built = buildAttempt(inv, asParams(request), notifiers, ports);
  if ("outcome" in built) return built.outcome;
  const res = await withRetries(inv.action, ports.clock, built.attempt);
  if (res.error) return { status: "failed", attempts: res.attempts, code: res.error.code, reason: res.error.message };
  return res.value === undefined
    ? { status: "executed", attempts: res.attempts }
    : { status: "executed", attempts: res.attempts, result: res.value };
}

const RETRIED_TEMPLATE_CODES: ReadonlySet<string> = new Set([TEMPLATE_CODES.busy, TEMPLATE_CODES.timeout]);

/** One attempt's outcome; a failure says whether another attempt may succeed and when the server asked for it. */
export type AttemptOutcome = Outcome & { retryable?: boolean; retryAfterMs?: number };

/**
 * ONE attempt of an invocation (render, build, call within the action's `timeout`), for hosts that keep the
 * retry schedule themselves (the server's outbox persists attempts across crashes and instances). A template
 * error or a non-retryable failure says `retryable: false`. `render` renders the parameters elsewhere (the
 * server's template worker pool); without it they render in-process.
 */
export async function attemptInvocation(
  inv: Invocation,
  notifiers: Notifiers,
  ports: ActionPorts,
  render?: ParamsRenderer,
): Promise<AttemptOutcome> {
  const rendered = await renderInvocationWith(inv, render);
  // a full render queue passes, and a wall-clock limit depends on the machine's load too: both are retried (the
  // action's max_retries); a template's deterministic failure (syntax, budget, limits) is final
  if (!rendered.ok)
    return { ...rendered.outcome, retryable: rendered.outcome.status === "failed" && RETRIED_TEMPLATE_CODES.has(rendered.outcome.code) };
  const built = buildAttempt(inv, asParams(rendered.params), notifiers, ports);
  if ("outcome" in built) return { ...built.outcome, retryable: false };
  try {
    const value = await attemptWithTimeout(built.attempt, Math.max(1, inv.action.timeout * 1000));
    return value === undefined ? { status: "executed", attempts: 1 } : { status: "executed", attempts: 1, result: value };
  } catch (err) {
    const e = toActionError(err);
    const out: AttemptOutcome = { status: "failed", attempts: 1, code: e.code, reason: e.message, retryable: e.retryable };
    if (e.retryAfterMs !== undefined) out.retryAfterMs = e.retryAfterMs;
    return out;
  }
}

/** renderInvocation + executeInvocation: a template error is a failed outcome (no attempt, no retry). */
export async function runInvocation(inv: Invocation, notifiers: Notifiers, ports: ActionPorts): Promise<Outcome> {
  const rendered = renderInvocation(inv);
  if (!rendered.ok) return rendered.outcome;
  return executeInvocation(inv, rendered.params, notifiers, ports);
}
