/**
 * state.json <-> ActionState. Reading is strict: anything that is not a version-1 state is reported, never
 * guessed at (see README.md for what the git store does with a corrupt file).
 */
import { StateStoreError, RESET_HINT } from "./errors.js";
import { STATE_FORMAT_VERSION, type ActionState, type PauseFlag, type ThreadRef } from "./types.js";
import type { EngineState } from "../engine/types.js";

/** Largest state.json accepted, read or written (GitHub blobs allow more; a state this big is a bug). */
export const MAX_STATE_BYTES = 8 * 1024 * 1024;

export function serializeState(state: ActionState): string {
  const text = JSON.stringify(state);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_STATE_BYTES) {
    throw new StateStoreError(
      "HOOKLINE_STATE_TOO_LARGE",
      `the state is ${bytes} bytes, over the ${MAX_STATE_BYTES}-byte limit; compact it (compactState) with a shorter horizon or fewer entries`,
    );
  }
  return text;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function corrupt(where: string, what: string): StateStoreError {
  return new StateStoreError("HOOKLINE_STATE_CORRUPT", `${where}: ${what}. ${RESET_HINT}`);
}

function recordOf<T>(v: unknown, where: string, field: string, item: (x: unknown) => T | undefined): Record<string, T> {
  if (!isObj(v)) throw corrupt(where, `"${field}" must be an object`);
  const entries: [string, T][] = [];
  for (const [k, x] of Object.entries(v)) {
    const parsed = item(x);
    if (parsed === undefined) throw corrupt(where, `"${field}.${k}" has the wrong shape`);
    entries.push([k, parsed]);
  }
  // fromEntries defines own properties: a "__proto__" key stays a plain key
  return Object.fromEntries(entries);
}

const str = (v: unknown): v is string => typeof v === "string";

function threadOf(x: unknown): ThreadRef | undefined {
  if (!isObj(x) || !str(x.channel) || !str(x.ts) || !str(x.updated)) return undefined;
  return { channel: x.channel, ts: x.ts, updated: x.updated };
}

function pauseOf(x: unknown): PauseFlag | undefined {
  if (!isObj(x) || !str(x.by) || !str(x.at) || (x.until !== undefined && !str(x.until))) return undefined;
  return x.until === undefined ? { by: x.by, at: x.at } : { by: x.by, at: x.at, until: x.until };
}

/** Parse state.json. `where` names the file in messages (e.g. `refs/hookline/state:state.json`). */
export function parseState(text: string, where: string): ActionState {
  if (Buffer.byteLength(text, "utf8") > MAX_STATE_BYTES) throw corrupt(where, `larger than ${MAX_STATE_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw corrupt(where, `not JSON (${(e as Error).message})`);
  }
  if (!isObj(raw)) throw corrupt(where, "not a JSON object");
  if (typeof raw.version === "number" && raw.version > STATE_FORMAT_VERSION) {
    throw new StateStoreError(
      "HOOKLINE_STATE_NEWER",
      `${where}: written by a newer hookline (state version ${raw.version}, this one reads ${STATE_FORMAT_VERSION}); ` +
        "use the same hookline version in every workflow of this repository",
    );
  }
  if (raw.version !== STATE_FORMAT_VERSION) throw corrupt(where, `unknown state version ${JSON.stringify(raw.version)}`);
  const engine = raw.engine ?? null;
  if (engine !== null && !isObj(engine)) throw corrupt(where, `"engine" must be an object or null`);
  return {
    version: STATE_FORMAT_VERSION,
    engine: engine as EngineState | null,
    threads: recordOf(raw.threads ?? {}, where, "threads", threadOf),
    dedupe: recordOf(raw.dedupe ?? {}, where, "dedupe", (x) => (str(x) ? x : undefined)),
    paused: recordOf(raw.paused ?? {}, where, "paused", pauseOf),
  };
}

/** A deep copy (states are plain JSON). */
export function cloneState(state: ActionState): ActionState {
  return JSON.parse(JSON.stringify(state)) as ActionState;
}
