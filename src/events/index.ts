export * from "./event-schema.js";
export * from "./glob.js";
export * from "./labels.js";
export * from "./match.js";
export * from "./uuid.js";
export * from "./origin.js";
export * from "./reserved.js";
