/** Codes of events and the engine: an event that does not fit the schema, a payload, a pause, the engine's inputs. */
import type { CodeTable } from "./table.js";

export const EVENTS_CODES = {
  HOOKLINE_INVALID_EVENT: {
    summary: "An event does not fit the event schema (a missing `event` or `resource`, a bad id, time or size).",
    fix: "Fix the fields the message lists; docs/semantics.md describes the schema.",
  },
  HOOKLINE_GITHUB_BAD_PAYLOAD: {
    summary: "A GitHub payload cannot be kept as JSON (a cycle, or nested too deep).",
    fix: "Nothing to fix on your side if GitHub sent it; a payload you built yourself must be plain JSON.",
  },
  HOOKLINE_PAUSE_INVALID: {
    summary: "A pause or resume names no automation, or has a bad time.",
    fix: "Name the automation, and give `until` as a time (or leave it out to pause until resumed).",
  },
  HOOKLINE_ENGINE_BAD_OPTION: {
    summary: "An engine option is not a number of at least 0.",
    fix: "Pass a finite number >= 0 for the option the message names.",
  },
  HOOKLINE_ENGINE_BAD_STATE: {
    summary: "The engine state passed in is not usable.",
    fix: "Pass what `snapshot()` returned, or start without a state.",
  },
  HOOKLINE_ENGINE_BAD_TIME: {
    summary: "The engine was asked to advance to a time that is not a finite epoch-ms number.",
    fix: "Pass a finite time in epoch milliseconds.",
  },
  HOOKLINE_ENGINE_INVALID_EVENT: {
    summary: "An event reached the engine without a valid `occurred` time.",
    fix: "Validate events with `validateEvent()` before ingesting them.",
  },
} as const satisfies CodeTable;
