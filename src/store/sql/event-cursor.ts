/**
 * The opaque paging cursor of listEvents: base64url of `<order>:<seq>` (the last storage sequence of the page).
 * Anything else, including a cursor of the other order, is refused with HOOKLINE_STORE_BAD_CURSOR: a cursor
 * is data from a URL, never SQL.
 */
import { SqlStoreError } from "./errors.js";

export type EventOrder = "asc" | "desc";

const INT8_MAX = 9223372036854775807n;
const SEQ_TEXT = /^(0|[1-9]\d{0,18})$/;

/** a storage sequence as text: a bigint's decimal form (no sign, no leading zero) within PostgreSQL's int8 */
export function isStorageSeq(text: string): boolean {
  return SEQ_TEXT.test(text) && BigInt(text) <= INT8_MAX;
}

export function encodeCursor(order: EventOrder, seq: string): string {
  return Buffer.from(`${order}:${seq}`, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, order: EventOrder): string {
  const bad = (why: string) =>
    new SqlStoreError(
      "HOOKLINE_STORE_BAD_CURSOR",
      `the paging cursor is not valid (${why}): pass the \`next\` value of the previous page unchanged, or omit it to start over.`,
    );
  if (typeof cursor !== "string" || cursor.length === 0 || cursor.length > 64 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw bad("malformed");
  const m = /^(asc|desc):(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m || !SEQ_TEXT.test(m[2]!) || encodeCursor(m[1] as EventOrder, m[2]!) !== cursor) throw bad("malformed");
  if (!isStorageSeq(m[2]!)) throw bad("out of range");
  if (m[1] !== order) throw bad(`it pages in ${m[1]} order, the query asks for ${order}`);
  return m[2]!;
}
