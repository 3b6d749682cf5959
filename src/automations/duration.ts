/**
 * Durations (SEMANTICS.md §3): a number of seconds, an ISO-8601 duration (`PT30M`, `P1D`, `PT1H30M`, `P1W`),
 * or a compact form (`30s`, `5m`, `2h`, `1d`, also combined: `1h30m`). Negative durations are invalid.
 * Years and months are not accepted: their length in seconds is ambiguous.
 */

const NUMBER = String.raw`\d+(?:\.\d+)?`;
const ISO = `P(?:${NUMBER}W)?(?:${NUMBER}D)?(?:T(?:${NUMBER}H)?(?:${NUMBER}M)?(?:${NUMBER}S)?)?`;
const COMPACT = `(?:${NUMBER}[smhd])+`;

/** The pattern a duration string must match (also used in the JSON Schema). */
export const DURATION_PATTERN = `^(?:${NUMBER}|${COMPACT}|[Pp](?:${NUMBER}[Ww])?(?:${NUMBER}[Dd])?(?:[Tt](?:${NUMBER}[Hh])?(?:${NUMBER}[Mm])?(?:${NUMBER}[Ss])?)?)$`;

export const DURATION_HELP = "a duration: seconds (30), ISO-8601 (PT30M, P1D, PT1H30M) or 30s/5m/2h/1d";

const ISO_RE = new RegExp(`^${ISO}$`, "i");
const COMPACT_PART = new RegExp(`(${NUMBER})([smhd])`, "g");
const COMPACT_RE = new RegExp(`^${COMPACT}$`);
const NUMBER_RE = new RegExp(`^${NUMBER}$`);
const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
/** a duration longer than this (about 31 years) is surely a mistake and would overflow epoch arithmetic */
const MAX_SECONDS = 1e9;

/** Seconds, or null when `value` is not a valid, non-negative duration. */
export function parseDuration(value: unknown): number | null {
  if (typeof value === "number") return checked(value);
  if (typeof value !== "string") return null;
  const text = value.trim();
  if (text.length === 0 || text.length > 64) return null;
  if (NUMBER_RE.test(text)) return checked(Number(text));
  if (COMPACT_RE.test(text)) {
    let total = 0;
    for (const m of text.matchAll(COMPACT_PART)) total += Number(m[1]) * UNIT[m[2]!]!;
    return checked(total);
  }
  if (ISO_RE.test(text)) return parseIso(text.toUpperCase());
  return null;
}

function parseIso(text: string): number | null {
  const [datePart, timePart = ""] = text.slice(1).split("T") as [string, string?];
  if (datePart === "" && timePart === "") return null; // `P` or `PT` alone
  if (text.includes("T") && timePart === "") return null; // `P1DT`
  let total = 0;
  for (const m of datePart.matchAll(new RegExp(`(${NUMBER})([WD])`, "g"))) {
    total += Number(m[1]) * (m[2] === "W" ? UNIT.w! : UNIT.d!);
  }
  for (const m of timePart.matchAll(new RegExp(`(${NUMBER})([HMS])`, "g"))) {
    total += Number(m[1]) * UNIT[m[2]!.toLowerCase()]!;
  }
  return checked(total);
}

function checked(seconds: number): number | null {
  return Number.isFinite(seconds) && seconds >= 0 && seconds <= MAX_SECONDS ? seconds : null;
}
