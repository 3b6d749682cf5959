/** Codes of templates (docs/templates.md): refused at validation, or failing when an action renders. */
import type { CodeTable } from "./table.js";

export const TEMPLATES_CODES = {
  HOOKLINE_TEMPLATE: {
    summary: "A template in the file was refused at validation.",
    fix: "Fix the template the message points at; docs/templates.md lists what templates may do.",
  },
  HOOKLINE_TEMPLATE_SYNTAX: {
    summary: "A template cannot be parsed.",
    fix: "Fix the syntax at the reported line and column (an unclosed `{{`, `{%` or string).",
  },
  HOOKLINE_TEMPLATE_FORBIDDEN: {
    summary: "A template uses something templates may not (an attribute such as `constructor`, a tag such as `import`).",
    fix: "Remove it; docs/templates.md lists the tags, filters and values templates may use.",
  },
  HOOKLINE_TEMPLATE_LIMIT: {
    summary: "A template is too large or too complex (too long, nested too deep).",
    fix: "Make the template smaller or simpler.",
  },
  HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE: {
    summary: "A template's output is larger than the limit.",
    fix: "Render less (truncate long values with filters such as `truncate`).",
  },
  HOOKLINE_TEMPLATE_MISSING_VALUE: {
    summary: "A template reads a value the event does not have.",
    fix: "Give a fallback (`{{ event.payload.x | default('none') }}`) or check the path against the event.",
  },
  HOOKLINE_TEMPLATE_RENDER_FAILED: {
    summary: "A template failed while rendering (a filter given a value it cannot take, ...).",
    fix: "Fix the template at the reported position; the action was not run.",
  },
  HOOKLINE_TEMPLATE_BUDGET_EXCEEDED: {
    summary: "A template did more work than one render may (large loops over large values).",
    fix: "Filter, sort or print large values once instead of inside loops, and render less.",
  },
  HOOKLINE_TEMPLATE_TIMEOUT: {
    summary: "A template ran longer than the server's deadline and was stopped (the action is retried).",
    fix: "Render less; the server's deadline is HOOKLINE_TEMPLATE_TIMEOUT_MS.",
  },
  HOOKLINE_TEMPLATE_BUSY: {
    summary: "Every template worker of the server was busy (the action or webhook is retried).",
    fix: "Nothing to fix for one occurrence; if it persists, raise HOOKLINE_TEMPLATE_WORKERS or give the server more CPU.",
  },
  HOOKLINE_TEMPLATE_POOL_CLOSED: {
    summary: "A template was sent to the server's template workers after they were closed (the server is stopping).",
    fix: "Nothing to fix: the work is picked up again when the server starts.",
  },
} as const satisfies CodeTable;
