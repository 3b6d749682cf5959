/** Event time in ms from an ISO string, with a fast path for the canonical `toISOString()` form. */

import { parseCommonIsoTime } from "../events/event-schema.js";

/**
 * epoch ms, or NaN. `…SS.sssZ` and `…SSZ` are read digit by digit (parseIsoTime's fast path); anything else, and
 * an impossible date there, goes to Date.parse (which rolls 2024-02-30 over to March 1).
 */
export function timeOf(s: string): number {
  if (typeof s !== "string") return Number.NaN;
  const ms = parseCommonIsoTime(s);
  return ms !== undefined && !Number.isNaN(ms) ? ms : Date.parse(s);
}
