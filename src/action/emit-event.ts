/**
 * `mode: emit`: a standard event from the step's inputs (`event`, `resource`, `related`, `payload`, each YAML
 * or JSON), like Prefect's `emit_event`. Its id derives from the run id and its content, so a re-run of the run
 * emits the same event (and the engine drops it as a duplicate); two identical emits in one run are one event.
 */
import { parse } from "yaml";
import { uuidv5, validateEvent, type HooklineEvent } from "../events/index.js";
import { ActionInputError, quote } from "./errors.js";

const MAX_INPUT_BYTES = 256 * 1024;

function parseInput(name: string, text: string, fallback: unknown): unknown {
  if (text === "") return fallback;
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES)
    throw new ActionInputError("HOOKLINE_ACTION_EMIT", `input \`${name}\` is larger than ${MAX_INPUT_BYTES} bytes`);
  try {
    return parse(text, { maxAliasCount: 0, uniqueKeys: true });
  } catch (err) {
    const first = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new ActionInputError("HOOKLINE_ACTION_EMIT", `input \`${name}\` is not valid YAML or JSON: ${first}`);
  }
}

export function buildEmittedEvent(
  inputs: { event: string; resource: string; related: string; payload: string },
  runKey: string,
  nowIso: string,
): HooklineEvent {
  const content = {
    event: inputs.event,
    resource: parseInput("resource", inputs.resource, undefined),
    related: parseInput("related", inputs.related, []),
    payload: parseInput("payload", inputs.payload, {}),
  };
  const id = uuidv5(`emit\n${runKey}\n${JSON.stringify(content)}`);
  const checked = validateEvent({ id, occurred: nowIso, follows: null, ...content });
  if (!checked.ok) {
    throw new ActionInputError(
      "HOOKLINE_ACTION_EMIT",
      `the emitted event is not a valid standard event: ${checked.errors
        .slice(0, 5)
        .map((e) => quote(e, 200))
        .join("; ")}`,
    );
  }
  return checked.event;
}
