/**
 * Hardened Jinja-style templates (nunjucks), SEMANTICS.md §7. Two walls: `checkTemplate` (static allow-list,
 * at validation) and a private compiler + runtime (at render) that never lets a template reach code.
 */
export { TemplateError, type TemplateProblem } from "./errors.js";
export { checkTemplate } from "./static-check.js";
export { isTemplate, renderString, renderValue, type RenderOptions } from "./render.js";
export { buildTemplateContext, contextReads, type ContextReads, type TemplateContext, type TemplateContextInput } from "./context.js";
export { templateReads, type ReadTree } from "./reads.js";
export { TEMPLATE_CODES, TEMPLATE_LIMITS } from "./policy.js";
export { uiUrl } from "./filters.js";
