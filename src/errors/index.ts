/** The error registry and the base error class: pure data and types, importable from every layer. */
export { HooklineError, codeOf, docsOf } from "./hookline-error.js";
export {
  ERROR_AREAS,
  ERROR_CODES,
  ERRORS_DOC,
  errorAnchor,
  errorDocsLink,
  errorInfo,
  isHooklineCode,
  type CodeEntry,
  type ErrorArea,
  type ErrorInfo,
  type HooklineCode,
} from "./registry.js";
