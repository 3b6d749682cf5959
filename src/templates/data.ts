/**
 * Template data is plain JSON-like data, copied once: no functions, no getters (never invoked), no prototypes
 * beyond Object/Array, no cycles, bounded depth, deeply frozen so one render cannot change the next.
 *
 * The copy runs once per firing over the whole event, so its cost is per payload byte (bench/README.md,
 * bench/engine "firing"): members are set by assignment on a fresh object and frozen after (the same frozen
 * data properties as defineProperty, at a third of the cost; only a "__proto__" key needs defineProperty), and
 * only each copy's root is remembered as sanitized (a WeakSet entry per nested object cost ~30 % of the copy).
 * structuredClone (invokes getters, throws on functions, then a freeze walk anyway) and lazy read-only proxies
 * (every later read and `tojson` pays a trap) were measured and not kept.
 */
import { TEMPLATE_LIMITS } from "./policy.js";
import { READ_WHOLE, type ReadTree } from "./reads.js";

const sanitized = new WeakSet<object>();

/** True for the roots produced by toTemplateData and sealTemplateData (they are reused as is). */
export function isTemplateData(value: unknown): boolean {
  return typeof value === "object" && value !== null && sanitized.has(value);
}

/** Own data property, written with defineProperty so a key such as "__proto__" stays a plain key. */
export function defineValue(target: object, key: string, value: unknown, enumerable = true): void {
  Object.defineProperty(target, key, { value, enumerable, writable: false, configurable: false });
}

/**
 * Deep copy into plain frozen data. Functions, symbols and undefined object members are dropped (null in
 * arrays), getters are skipped, dates become ISO strings, bigints strings, non-finite numbers null, a cycle or
 * anything nested deeper than TEMPLATE_LIMITS.contextMaxDepth becomes null. Shared sub-objects are copied once.
 *
 * With `reads` (templateReads), a plain object whose members the templates only look up by literal keys gets
 * only those members (each copied by the same rules): the copy holds the same value at every path a template
 * can reach. Such partial copies are never shared through `memo` (only whole copies are).
 */
export function toTemplateData(value: unknown, memo: Map<object, unknown> = new Map(), reads: ReadTree = READ_WHOLE): unknown {
  const active = new Set<object>();
  const pick = (obj: object, depth: number, tree: Map<string, ReadTree>): unknown => {
    active.add(obj);
    const rec: Record<string, unknown> = {};
    try {
      for (const [key, below] of tree) {
        const d = Object.getOwnPropertyDescriptor(obj, key);
        if (!d || !d.enumerable || !("value" in d)) continue; // as Object.keys in the whole copy
        const c = copy(d.value, depth + 1, below);
        if (c === undefined) continue;
        if (key === "__proto__") defineValue(rec, key, c);
        else rec[key] = c;
      }
    } finally {
      active.delete(obj);
    }
    return Object.freeze(rec);
  };
  const copy = (v: unknown, depth: number, tree: ReadTree): unknown => {
    switch (typeof v) {
      case "string":
      case "boolean":
        return v;
      case "number":
        return Number.isFinite(v) ? v : null;
      case "bigint":
        return v.toString();
      case "object":
        break;
      default:
        return undefined;
    }
    if (v === null) return null;
    const obj = v as object;
    if (sanitized.has(obj)) return obj;
    if (memo.has(obj)) return memo.get(obj);
    if (active.has(obj) || depth >= TEMPLATE_LIMITS.contextMaxDepth) return null;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (tree !== READ_WHOLE && !Array.isArray(obj)) return pick(obj, depth, tree);
    active.add(obj);
    let out: object;
    try {
      if (Array.isArray(obj)) {
        const arr: unknown[] = [];
        const len = obj.length;
        for (let i = 0; i < len; i++) {
          const d = Object.getOwnPropertyDescriptor(obj, i);
          const c = d && "value" in d ? copy(d.value, depth + 1, READ_WHOLE) : undefined;
          arr.push(c === undefined ? null : c);
        }
        out = arr;
      } else {
        const rec: Record<string, unknown> = {};
        const keys = Object.keys(obj);
        for (let k = 0; k < keys.length; k++) {
          const key = keys[k]!;
          const d = Object.getOwnPropertyDescriptor(obj, key);
          if (!d || !("value" in d)) continue;
          const c = copy(d.value, depth + 1, READ_WHOLE);
          if (c === undefined) continue;
          if (key === "__proto__") defineValue(rec, key, c);
          else rec[key] = c; // a fresh {} has no setter but __proto__'s; freeze below makes it read-only
        }
        out = rec;
      }
    } finally {
      active.delete(obj);
    }
    Object.freeze(out);
    memo.set(obj, out);
    return out;
  };
  const root = copy(value, 0, reads);
  // a partial copy is never reused as a whole one
  if (typeof root === "object" && root !== null && reads === READ_WHOLE) sanitized.add(root);
  return root;
}

/** Marks an object built here from already-sanitized parts (and freezes it). */
export function sealTemplateData<T extends object>(obj: T): T {
  Object.freeze(obj);
  sanitized.add(obj);
  return obj;
}
