export * from "./types.js";
export { formatProblem, type LoadResult, type Problem } from "./problems.js";
export { parseDuration, DURATION_PATTERN } from "./duration.js";
export { loadAutomations, type LoadOptions } from "./load.js";
export { automationsJsonSchema, automationsJsonSchemaText } from "./json-schema.js";
export { MAX_FILE_BYTES, MAX_NESTING_DEPTH, MAX_ALIAS_COUNT } from "./yaml-source.js";
export { PROACTIVE_MIN_WITHIN } from "./normalize.js";
export { NEVER_FIRES_CODES } from "./validate-never-fires.js";
