/** The trigger engine (SEMANTICS.md §3–6): pure, clock injected, state as plain JSON. */
import type { AutomationsConfig } from "../automations/types.js";
import { EngineCore } from "./engine.js";
import type { Engine, EngineOptions, EngineState } from "./types.js";

export type { Engine, EngineOptions, EngineOutput, EngineState, Firing, FiringState } from "./types.js";
export { ENGINE_DEFAULTS } from "./engine.js";
export { EngineError } from "./errors.js";
export { FOLLOW_TIMEOUT_MS, MAX_FOLLOW_DEPTH } from "./ordering.js";
export { LOOKBACK_MS } from "./runtime.js";
export { firingEvent, FIRING_EVENT_NAMES } from "./firing-event.js";
export { chainFirings, chainStoppedWarning, MAX_CHAIN_DEPTH, type ChainVisitor } from "./chain.js";
export { selectActions, idempotencyKey, stateOfEvent, type SelectedAction } from "./select-actions.js";

/**
 * Creates an engine for `config`. `state` is what `snapshot()` returned (after a JSON round trip if you
 * like): the engine continues exactly where that one stopped.
 */
export function createEngine(config: AutomationsConfig, options?: EngineOptions, state?: EngineState): Engine {
  return new EngineCore(config, options, state);
}
