/**
 * Turns an untrusted payload into plain JSON data that is safe to keep, hash and hand to templates:
 * own enumerable properties only, no `__proto__` keys (they could re-parent objects downstream), no cycles,
 * bounded depth. Values JSON cannot hold are dropped like JSON.stringify drops them (undefined, functions,
 * symbols) or converted like it converts them (non-finite numbers → null); bigints become strings.
 */
import { HooklineError } from "../errors/hookline-error.js";
import { isObject } from "./read.js";

export const MAX_PAYLOAD_DEPTH = 100;

export class PayloadShapeError extends HooklineError {
  declare readonly code: "HOOKLINE_GITHUB_BAD_PAYLOAD";
  constructor(message: string) {
    super("HOOKLINE_GITHUB_BAD_PAYLOAD", message);
  }
}

export function toJsonValue(value: unknown): unknown {
  return clone(value, 0, new Set());
}

function clone(value: unknown, depth: number, seen: Set<object>): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (depth >= MAX_PAYLOAD_DEPTH) {
    throw new PayloadShapeError(`payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`);
  }
  if (seen.has(value)) throw new PayloadShapeError("payload contains a reference cycle; send plain JSON");
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      return value.map((v) => {
        const c = clone(v, depth + 1, seen);
        return c === undefined ? null : c;
      });
    }
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key === "__proto__") continue;
      const c = clone((value as Record<string, unknown>)[key], depth + 1, seen);
      if (c !== undefined) out[key] = c;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * True when `value` is already what `toJsonValue` would make of it, checked without copying: only for data
 * straight from `JSON.parse` (plain objects and arrays, strings, finite numbers, booleans, null), so a caller
 * may keep it as it is. False (then copy it with `toJsonValue`, which reports the problem) for an own
 * `__proto__` key, nesting deeper than MAX_PAYLOAD_DEPTH, or anything JSON.parse does not produce.
 */
export function isParsedJson(value: unknown): boolean {
  return plain(value, 0);
}

function plain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_PAYLOAD_DEPTH) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) {
      // a hole reads as undefined: toJsonValue would write null there
      if (!plain(value[i], depth + 1)) return false;
    }
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (key === "__proto__" || !Object.prototype.hasOwnProperty.call(value, key)) return false;
    if (!plain((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/** JSON with object keys sorted at every level: equal data gives equal text (for stable hashing). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
