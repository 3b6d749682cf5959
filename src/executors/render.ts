/** Rendering an invocation's parameters with the firing's template context (SEMANTICS.md §7). */
import { TemplateError, buildTemplateContext, renderValue, type TemplateContextInput } from "../templates/index.js";
import type { Invocation, Outcome } from "./types.js";

export type Rendered = { ok: true; params: Record<string, unknown> } | { ok: false; outcome: Outcome };

/**
 * Renders parameters with the context built from `input`, somewhere else (the server: a worker thread with a
 * deadline). Rejects with a TemplateError for anything the template causes.
 */
export type ParamsRenderer = (params: unknown, input: TemplateContextInput) => Promise<unknown>;

function contextInput(inv: Invocation): TemplateContextInput {
  return {
    event: inv.firing.triggering_event,
    automation: { name: inv.automation.name, description: inv.automation.description },
    firing: inv.firing,
  };
}

function failed(err: unknown): Rendered {
  if (err instanceof TemplateError) {
    const where = err.line !== undefined ? ` (line ${err.line}${err.col !== undefined ? `, col ${err.col}` : ""} of the template)` : "";
    return { ok: false, outcome: { status: "failed", attempts: 0, code: err.code, reason: `template: ${err.message}${where}` } };
  }
  throw err;
}

/** Renders `action.params`; a TemplateError becomes a failed outcome (code HOOKLINE_TEMPLATE_*, 0 attempts: never retried). */
export function renderInvocation(inv: Invocation): Rendered {
  try {
    const params = renderValue(inv.action.params, buildTemplateContext(contextInput(inv))) as Record<string, unknown>;
    return { ok: true, params };
  } catch (err) {
    return failed(err);
  }
}

/** renderInvocation through `render` (same outcomes); without one, in-process. */
export async function renderInvocationWith(inv: Invocation, render?: ParamsRenderer): Promise<Rendered> {
  if (!render) return renderInvocation(inv);
  try {
    return { ok: true, params: (await render(inv.action.params, contextInput(inv))) as Record<string, unknown> };
  } catch (err) {
    return failed(err);
  }
}
