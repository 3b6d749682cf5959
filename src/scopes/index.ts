/** Scopes (DESIGN.md "Scopes"): who may affect what. Shared by the server, the GitHub App and the Slack bot. */
export type { Logger, ScopeConfig, ScopeRuntime } from "./types.js";
export { REPO_SCOPE_PREFIX, SERVER_SCOPE, originOfScope, scopesOfProduced } from "./routing.js";
export { PAUSE_EVENT_NAMES, PauseError, pauseAutomation, pauseEvent, type PauseArgs } from "./pause.js";
