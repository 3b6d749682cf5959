/** How template values are read, printed and serialized: own data properties only, never code. */
import { TemplateError } from "./errors.js";
import { isSafeString } from "./nunjucks-internals.js";
import { FORBIDDEN_KEYS, TEMPLATE_CODES, hasOwn } from "./policy.js";

/**
 * `obj[key]` for templates: own data properties only (no prototype, no getters, no functions), never a
 * forbidden key. Strings expose `length` and their characters; arrays and strings accept negative indexes.
 */
export function lookupMember(obj: unknown, key: unknown): unknown {
  if (obj === null || obj === undefined) return undefined;
  let k: string;
  if (typeof key === "string") k = key;
  else if (typeof key === "number" && Number.isInteger(key)) k = String(key);
  else if (isSafeString(key)) k = key.val;
  else return undefined;
  if (FORBIDDEN_KEYS.has(k)) return undefined;
  if (typeof obj === "string") {
    if (k === "length") return obj.length;
    const i = indexOf(k, obj.length);
    return i === undefined ? undefined : obj[i];
  }
  if (typeof obj !== "object") return undefined;
  if (Array.isArray(obj) && /^-\d+$/.test(k)) {
    const i = indexOf(k, obj.length);
    if (i === undefined) return undefined;
    k = String(i);
  }
  if (!hasOwn(obj, k)) return undefined;
  const desc = Object.getOwnPropertyDescriptor(obj, k);
  if (!desc || !("value" in desc) || typeof desc.value === "function") return undefined;
  return desc.value;
}

function indexOf(k: string, length: number): number | undefined {
  if (!/^-?\d+$/.test(k)) return undefined;
  let i = Number(k);
  if (i < 0) i += length;
  return i >= 0 && i < length ? i : undefined;
}

/** An exact key (labels hold dots), else `a.b.c` through lookupMember (attribute arguments of filters such as join, sum, groupby). */
export function lookupPath(obj: unknown, path: unknown): unknown {
  if (typeof path === "number") return lookupMember(obj, path);
  if (typeof path !== "string") return undefined;
  const exact = lookupMember(obj, path);
  if (exact !== undefined || !path.includes(".")) return exact;
  let cur = obj;
  for (const part of path.split(".")) {
    cur = lookupMember(cur, /^-?\d+$/.test(part) ? Number(part) : part);
    if (cur === undefined) return undefined;
  }
  return cur;
}

function jsonReplacer(_key: string, value: unknown): unknown {
  if (isSafeString(value)) return value.val;
  if (typeof value === "function" || typeof value === "symbol") return undefined;
  if (typeof value === "bigint") return value.toString();
  return value;
}

/** JSON text of a template value; undefined stays undefined. */
export function toJson(value: unknown, indent?: unknown): string | undefined {
  const n = typeof indent === "number" && Number.isFinite(indent) ? Math.max(0, Math.min(10, Math.floor(indent))) : 0;
  try {
    return JSON.stringify(value, jsonReplacer, n || undefined);
  } catch (err) {
    throw new TemplateError(TEMPLATE_CODES.render, `value cannot be written as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** JSON text of template data known to hold no SafeString (no replacer: several times faster). */
export function plainJson(value: unknown, indent: number): string | undefined {
  try {
    return JSON.stringify(value, null, indent || undefined);
  } catch (err) {
    throw new TemplateError(TEMPLATE_CODES.render, `value cannot be written as JSON (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** Text of a value: missing → "", objects and arrays as JSON, never "undefined" or "[object Object]". */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "";
  switch (typeof value) {
    case "string":
      return value;
    case "number":
    case "bigint":
      return String(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (isSafeString(value)) return value.val;
      return toJson(value) ?? "";
    default:
      return "";
  }
}
