/**
 * Row images arrive as PostgreSQL's JSON text, where a number has every digit of the column (bigint ids,
 * numeric amounts). A JavaScript number keeps about 15 of them: 9007199254740993 would become …992, and a
 * webhook receiver (or a resource id) would get another value than the row holds. The rule: a number is kept as
 * a JSON number when JavaScript holds it exactly (at most 15 significant digits, or its shortest form is the
 * text itself, as PostgreSQL writes float8); otherwise it becomes a string holding PostgreSQL's exact text.
 */

/** a JSON string (skipped whole, so digits inside strings are never touched) or a JSON number */
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
/** a number that may hold more digits than a double keeps has a run of 16 digits (or digits and a dot) */
const LONG_NUMBER = /[\d.]{16}/;

/** true when `JSON.parse` of the number text gives back the same value */
export function isExactNumber(text: string): boolean {
  const value = Number(text);
  if (!Number.isFinite(value)) return false;
  if (String(value) === text) return true;
  const mantissa = text
    .replace(/^-/, "")
    .replace(/[eE].*$/, "")
    .replace(".", "");
  const significant = mantissa.replace(/^0+/, "").replace(/0+$/, "");
  // 0.000…01 below the smallest double reads as 0
  if (value === 0) return significant === "";
  return significant.length <= 15;
}

/** JSON.parse of a row image, with numbers that would lose digits as strings of their exact text. */
export function parseRowJson(text: string): unknown {
  if (!LONG_NUMBER.test(text)) return JSON.parse(text);
  return JSON.parse(text.replace(TOKEN, (m) => (m.charCodeAt(0) === 34 || isExactNumber(m) ? m : `"${m}"`)));
}
