export * from "./types.js";
export * from "./errors.js";
export * from "./state-codec.js";
export * from "./memory-store.js";
export * from "./update-state.js";
export * from "./compact-state.js";
export * from "./needs-state.js";
export * from "./dedupe.js";
