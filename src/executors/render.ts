/** Rendering an invocation's parameters with the firing's template context (SEMANTICS.md §7). */
import { TemplateError, buildTemplateContext, renderValue } from "../templates/index.js";
import type { Invocation, Outcome } from "./types.js";

export type Rendered = { ok: true; params: Record<string, unknown> } | { ok: false; outcome: Outcome };

/** Renders `action.params`; a TemplateError becomes a failed outcome (code HOOKLINE_TEMPLATE_*, 0 attempts: never retried). */
export function renderInvocation(inv: Invocation): Rendered {
  try {
    const context = buildTemplateContext({
      event: inv.firing.triggering_event,
      automation: { name: inv.automation.name, description: inv.automation.description },
      firing: inv.firing,
    });
    const params = renderValue(inv.action.params, context) as Record<string, unknown>;
    return { ok: true, params };
  } catch (err) {
    if (err instanceof TemplateError) {
      const where = err.line !== undefined ? ` (line ${err.line}${err.col !== undefined ? `, col ${err.col}` : ""} of the template)` : "";
      return { ok: false, outcome: { status: "failed", attempts: 0, code: err.code, reason: `template: ${err.message}${where}` } };
    }
    throw err;
  }
}
