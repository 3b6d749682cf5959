/**
 * How values cross the Db port, the same on both engines (the adapters install these parsers):
 * `int8`/`bigserial` → decimal string (a storage sequence can pass 2^53), `timestamptz` → epoch ms number,
 * `json`/`jsonb` → parsed. Parameters: times are sent as ISO strings (`$1::timestamptz`), JSON as text
 * (`$1::json`).
 */

/** Type OIDs of the PostgreSQL catalog (stable across versions). */
export const OID = { INT8: 20, TIMESTAMPTZ: 1184 } as const;

// `2024-01-02 03:04:05.678901+00`, `+05:30`, `-03:30:15` (DateStyle ISO; any session TimeZone), ` BC` suffix
const TIMESTAMPTZ_RE = /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?( BC)?$/;

/** Parses PostgreSQL's text output of a `timestamptz` into epoch milliseconds (microseconds truncated). */
export function parseTimestamptz(text: string): number {
  if (text === "infinity") return Number.POSITIVE_INFINITY;
  if (text === "-infinity") return Number.NEGATIVE_INFINITY;
  const m = TIMESTAMPTZ_RE.exec(text);
  if (!m) return Number.NaN;
  const year = m[12] ? 1 - Number(m[1]) : Number(m[1]);
  const ms = Number(((m[7] ?? "") + "000").slice(0, 3));
  const date = new Date(0);
  date.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  date.setUTCHours(Number(m[4]), Number(m[5]), Number(m[6]), ms);
  const offsetSeconds = Number(m[9]) * 3600 + Number(m[10] ?? 0) * 60 + Number(m[11] ?? 0);
  return date.getTime() - (m[8] === "-" ? -1 : 1) * offsetSeconds * 1000;
}

/** An epoch-ms time as a `timestamptz` parameter. */
export function tsParam(ms: number): string {
  return new Date(ms).toISOString();
}

/** A nullable epoch-ms time as a parameter. */
export function tsParamOrNull(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : tsParam(ms);
}

/**
 * A string PostgreSQL `text` can hold: NUL (U+0000) becomes U+FFFD, lone surrogates become U+FFFD. Used only for
 * the indexed copies of event fields (name, resource id); the event itself is stored verbatim as `json`.
 */
export function textSafe(value: string): string {
  return value.replace(/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd");
}

/** JSON text of a value that may not be JSON-able (a circular or BigInt result): never throws. */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value ?? null) ?? "null";
  } catch (error) {
    return JSON.stringify({ unserializable: String((error as Error)?.message ?? error) });
  }
}
