/**
 * The indexed copy of a user string (event name, resource id): text PostgreSQL can hold (no NUL, no lone
 * surrogate) and short enough for a btree entry (at most 2704 bytes; 512 UTF-16 units are at most 1536 bytes
 * of UTF-8). Queries use it as a pre-filter only; the exact match is always checked on the stored event.
 */
import { textSafe } from "./values.js";

export const INDEX_KEY_MAX = 512;

export function indexKey(value: string): string {
  return textSafe(value.length > INDEX_KEY_MAX ? value.slice(0, INDEX_KEY_MAX) : value);
}

/** true when `indexKey(x) === x`, so an SQL comparison on the column is exact for this value */
export function isExactKey(value: string): boolean {
  return indexKey(value) === value;
}
