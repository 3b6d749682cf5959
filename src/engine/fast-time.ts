/** Event time in ms from an ISO string, with a fast path for the canonical `toISOString()` form. */

import { digitsAt } from "../events/digits.js";

/** epoch ms, or NaN. `YYYY-MM-DDTHH:MM:SS.sssZ` is read directly; anything else goes to Date.parse. */
export function timeOf(s: string): number {
  if (typeof s !== "string") return Number.NaN;
  if (
    s.length === 24 &&
    s.charCodeAt(4) === 45 &&
    s.charCodeAt(7) === 45 &&
    s.charCodeAt(10) === 84 &&
    s.charCodeAt(13) === 58 &&
    s.charCodeAt(16) === 58 &&
    s.charCodeAt(19) === 46 &&
    s.charCodeAt(23) === 90
  ) {
    const y = digitsAt(s, 0, 4);
    const mo = digitsAt(s, 5, 2);
    const d = digitsAt(s, 8, 2);
    const h = digitsAt(s, 11, 2);
    const mi = digitsAt(s, 14, 2);
    const sec = digitsAt(s, 17, 2);
    const ms = digitsAt(s, 20, 3);
    if (y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 59 && ms >= 0) {
      if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, sec, ms); // Date.UTC maps years 0..99 to 19xx
    }
  }
  return Date.parse(s);
}
