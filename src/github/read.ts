/**
 * Defensive readers over untrusted webhook JSON. They read OWN properties only (never the prototype chain), never
 * throw, and turn anything unexpected into `undefined` so callers can simply omit it.
 */
export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** own property `key` of `value`, or undefined */
export function field(value: unknown, key: string): unknown {
  if (!isObject(value)) return undefined;
  return Object.prototype.hasOwnProperty.call(value, key) ? value[key] : undefined;
}

/** the object at own-property path `keys`, or undefined */
export function objectAt(value: unknown, ...keys: string[]): JsonObject | undefined {
  let cur: unknown = value;
  for (const k of keys) cur = field(cur, k);
  return isObject(cur) ? cur : undefined;
}

export function arrayAt(value: unknown, ...keys: string[]): unknown[] {
  let cur: unknown = value;
  for (const k of keys) cur = field(cur, k);
  return Array.isArray(cur) ? cur : [];
}

/** Longest label value we keep; GitHub's own names, titles and URLs are far shorter. */
export const LABEL_VALUE_MAX = 1024;

/**
 * A scalar as a label string: strings as is (empty → undefined), finite numbers and booleans via String().
 * Objects, arrays, null, NaN → undefined (labels are never null). Over-long values are cut to LABEL_VALUE_MAX.
 */
export function text(value: unknown): string | undefined {
  let s: string | undefined;
  if (typeof value === "string") s = value;
  else if (typeof value === "number" && Number.isFinite(value)) s = String(value);
  else if (typeof value === "boolean") s = value ? "true" : "false";
  else if (typeof value === "bigint") s = value.toString();
  if (s === undefined || s.length === 0) return undefined;
  return s.length > LABEL_VALUE_MAX ? s.slice(0, LABEL_VALUE_MAX) : s;
}

/** text() of the own-property path `keys` */
export function textAt(value: unknown, ...keys: string[]): string | undefined {
  let cur: unknown = value;
  for (const k of keys) cur = field(cur, k);
  return text(cur);
}

/** the first defined of several candidates */
export function firstText(...values: (string | undefined)[]): string | undefined {
  for (const v of values) if (v !== undefined) return v;
  return undefined;
}

/** `refs/heads/x` → `x`; other refs → undefined */
export function branchOfRef(ref: string | undefined): string | undefined {
  return ref?.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) || undefined : undefined;
}

/** `refs/tags/x` → `x`; other refs → undefined */
export function tagOfRef(ref: string | undefined): string | undefined {
  return ref?.startsWith("refs/tags/") ? ref.slice("refs/tags/".length) || undefined : undefined;
}
