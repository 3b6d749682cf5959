/**
 * Text of the bot's answers (Slack mrkdwn). Everything that came from configuration, events or users is
 * escaped (`&`, `<`, `>`), so a name like `<!channel>` cannot ping anyone.
 */
import { isoOf } from "../../src/events/event-schema.js";
import type { Firing } from "../../src/engine/types.js";
import type { PauseRecord, StoredEvent } from "../../src/store/server-types.js";
import { qualified, type ScopeAutomations } from "./catalog.js";

export function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const time = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? "never" : isoOf(ms).replace(".000Z", "Z"));

export const HELP = [
  "*/hookline* — see and control hookline automations",
  "• `/hookline list` — every automation, by scope",
  "• `/hookline status <automation>` — pause, armed windows, alarms, next deadline, last firings",
  "• `/hookline history <automation>` — recent firings and pauses/resumes, with who did it",
  "• `/hookline pause <automation> [for <duration>]` — e.g. `pause deploy-alerts for 30m` (30s, 2h, 1d, PT1H30M)",
  "• `/hookline resume <automation>`",
  "• `/hookline help`",
  "Name an automation plainly (`deploy-alerts`) or with its scope (`acme/app:deploy-alerts`, `server:nightly`).",
].join("\n");

export function listText(catalog: readonly ScopeAutomations[], paused: ReadonlyMap<string, PauseRecord>): string {
  const lines: string[] = [];
  for (const s of catalog) {
    if (!s.automations.length) continue;
    lines.push(`*${esc(s.scope)}*`);
    for (const a of s.automations.slice(0, 100)) {
      const p = paused.get(`${s.scope}\n${a.name}`);
      const flags = [!a.enabled ? "disabled" : "", p ? `paused${p.until !== null ? ` until ${time(p.until)}` : ""}` : ""].filter(Boolean);
      lines.push(
        `• \`${esc(qualified(s.scope, a.name))}\`${flags.length ? ` _(${flags.join(", ")})_` : ""}${a.description ? ` — ${esc(a.description.slice(0, 120))}` : ""}`,
      );
    }
    if (s.automations.length > 100) lines.push(`• …and ${s.automations.length - 100} more`);
  }
  return lines.length ? lines.join("\n") : "No automations are known yet (none configured, or no events evaluated).";
}

interface BucketView {
  phase?: unknown;
  end?: unknown;
  deadline?: unknown;
  count?: unknown;
  values?: unknown;
}

/** Windows and alarms of one automation in a saved engine state (state format v1; unknown shapes show nothing). */
export function bucketsOf(
  state: unknown,
  name: string,
): { open: number; armed: number; alarms: number; nextDeadline: number | null; details: string[] } {
  const out = { open: 0, armed: 0, alarms: 0, nextDeadline: null as number | null, details: [] as string[] };
  const autos = (state as { automations?: Record<string, { buckets?: Record<string, BucketView[]> }> } | null)?.automations;
  if (!autos || typeof autos !== "object") return out;
  for (const [key, auto] of Object.entries(autos)) {
    if (key !== name && !key.startsWith(`${name}#`)) continue;
    for (const [path, buckets] of Object.entries(auto?.buckets ?? {})) {
      if (!Array.isArray(buckets)) continue;
      for (const b of buckets) {
        const deadline = typeof b.deadline === "number" ? b.deadline : null;
        if (deadline !== null && (out.nextDeadline === null || deadline < out.nextDeadline)) out.nextDeadline = deadline;
        const labels = Array.isArray(b.values) && b.values.some((v) => v !== "") ? ` [${esc(b.values.join(", "))}]` : "";
        const at = `${path === "" ? "" : ` (${esc(path)})`}${labels}`;
        if (b.phase === 1) {
          out.armed++;
          if (out.details.length < 10) out.details.push(`armed window${at}: expecting by ${time(deadline)}`);
        } else if (b.phase === 2) {
          out.alarms++;
          if (out.details.length < 10) out.details.push(`ALARM${at}${deadline !== null ? `, repeats at ${time(deadline)}` : ""}`);
        } else {
          out.open++;
          if (out.details.length < 10 && typeof b.count === "number")
            out.details.push(
              `open window${at}: ${b.count} event${b.count === 1 ? "" : "s"}${typeof b.end === "number" ? `, closes ${time(b.end)}` : ""}`,
            );
        }
      }
    }
  }
  return out;
}

export function firingLine(f: Firing): string {
  const te = f.triggering_event;
  return `${esc(f.at)} ${f.state}${te ? ` by \`${esc(te.event)}\` (${esc(te.resource["prefect.resource.id"] ?? "")})` : ""}`;
}

export function statusText(args: {
  scope: string;
  name: string;
  description: string | null;
  enabled: boolean | null;
  pause: PauseRecord | null;
  state: unknown;
  scopeNextDeadline: number | null;
  firings: Firing[];
}): string {
  const b = bucketsOf(args.state, args.name);
  const lines = [`*${esc(qualified(args.scope, args.name))}*${args.description ? ` — ${esc(args.description)}` : ""}`];
  if (args.enabled === false) lines.push("• disabled in its configuration");
  lines.push(
    args.pause
      ? `• *paused* by ${esc(args.pause.by)} at ${time(args.pause.at)}${args.pause.until !== null ? `, until ${time(args.pause.until)}` : ", until resumed"}`
      : "• running (not paused)",
  );
  lines.push(`• armed windows: ${b.armed}, alarms: ${b.alarms}, open windows: ${b.open}`);
  for (const d of b.details) lines.push(`   ◦ ${d}`);
  lines.push(`• next deadline: ${time(b.nextDeadline)}`);
  lines.push(args.firings.length ? `• last firings:\n${args.firings.map((f) => `   ◦ ${firingLine(f)}`).join("\n")}` : "• no firings yet");
  return lines.join("\n");
}

export function historyText(scope: string, name: string, firings: Firing[], pauses: StoredEvent[]): string {
  const rows: { at: string; line: string }[] = [];
  for (const f of firings) rows.push({ at: f.at, line: `fired ${firingLine(f)}` });
  for (const s of pauses) {
    const e = s.event;
    const actor = (e.related ?? []).find((r) => r["prefect.resource.role"] === "actor");
    const who = actor?.["prefect.resource.id"]?.startsWith("slack.user.")
      ? `<@${esc(actor["prefect.resource.id"].slice("slack.user.".length))}>`
      : esc(actor?.["prefect.resource.id"] ?? "unknown");
    const until = (e.payload as { until?: unknown } | undefined)?.until;
    const verb = e.event.endsWith(".paused") ? `paused${typeof until === "string" ? ` until ${esc(until)}` : ""}` : "resumed";
    rows.push({ at: e.occurred, line: `${esc(e.occurred)} ${verb} by ${who}` });
  }
  rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  const head = `*History of ${esc(qualified(scope, name))}* (newest first)`;
  return rows.length
    ? `${head}\n${rows
        .slice(0, 15)
        .map((r) => `• ${r.line}`)
        .join("\n")}`
    : `${head}\nNothing yet: no firings, pauses or resumes.`;
}

export function suggestionText(reason: string, suggestions: readonly string[]): string {
  const hint =
    suggestions.length === 1
      ? `Did you mean \`${esc(suggestions[0]!)}\`?`
      : suggestions.length
        ? `Did you mean one of: ${suggestions.map((s) => `\`${esc(s)}\``).join(", ")}?`
        : "Try `/hookline list`.";
  return `${esc(reason)}. ${hint}`;
}
