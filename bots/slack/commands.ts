/**
 * `/hookline <sub-command>`: list, status, history (reads: anyone), pause, resume (changes: authorized by
 * slack.yaml), help. Independent of Bolt: takes the command's text and who/where, returns the answer.
 */
import { parseDuration } from "../../src/automations/duration.js";
import { closest } from "../../src/automations/did-you-mean.js";
import type { Resource } from "../../src/events/event-schema.js";
import type { PauseRecord, ServerStore, StoredEvent } from "../../src/store/server-types.js";
import { listAutomations, qualified, resolveName, scopeNamedBy, type ConfigOf, type ScopeAutomations } from "./catalog.js";
import type { PauseOutcome, PauseTargets } from "./pause-targets.js";
import { authorize, type GroupMembers, type SlackPolicy } from "./policy.js";
import { esc, HELP, historyText, listText, statusText, suggestionText } from "./views.js";

export const SUB_COMMANDS = ["list", "status", "pause", "resume", "history", "help"] as const;

export interface Answer {
  text: string;
  /** visible to the channel (changes) or only to the user */
  response_type: "ephemeral" | "in_channel";
}

export interface Requester {
  user: string;
  team: string | null;
  channel: string | null;
}

export interface CommandDeps {
  store: ServerStore;
  policy: SlackPolicy;
  targets: PauseTargets;
  members: GroupMembers;
  configOf?: ConfigOf;
  now(): number;
}

const ephemeral = (text: string): Answer => ({ text, response_type: "ephemeral" });

/** Slack escapes &, < and > in command text */
function unescape(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function actorOf(who: Requester): Resource {
  return { "prefect.resource.id": `slack.user.${who.user}`, ...(who.team ? { "slack.team": who.team } : {}) };
}

export const MAX_COMMAND_TEXT = 500;

export async function runCommand(rawText: string, who: Requester, deps: CommandDeps): Promise<Answer> {
  const text = unescape(rawText ?? "").trim();
  if (text.length > MAX_COMMAND_TEXT)
    return ephemeral(`That command is too long (over ${MAX_COMMAND_TEXT} characters). Try \`/hookline help\`.`);
  const [first = "", ...rest] = text.split(/\s+/);
  const sub = first.toLowerCase();
  const arg = rest.join(" ").trim();
  switch (sub) {
    case "":
    case "help":
      return ephemeral(HELP);
    case "list":
      return list(deps);
    case "status":
    case "history":
    case "resume":
      if (!arg) return ephemeral(`Name the automation: \`/hookline ${sub} <automation>\` (see \`/hookline list\`).`);
      return sub === "status" ? status(arg, deps) : sub === "history" ? history(arg, deps) : change(arg, false, null, who, deps);
    case "pause": {
      if (!arg) return ephemeral("Name the automation: `/hookline pause <automation> [for <duration>]` (see `/hookline list`).");
      const m = /^(.+?)\s+for\s+(\S+)$/i.exec(arg);
      if (!m) return change(arg, true, null, who, deps);
      const seconds = parseDuration(m[2]);
      if (seconds === null || seconds <= 0) {
        return ephemeral(`\`${esc(m[2]!)}\` is not a duration: use 30s, 30m, 2h, 1d (or combined: 1h30m), or ISO-8601 like PT30M.`);
      }
      return change(m[1]!, true, seconds, who, deps);
    }
    default: {
      const guess = closest(sub, SUB_COMMANDS);
      return ephemeral(
        `Unknown sub-command \`${esc(first.slice(0, 60))}\`.${guess ? ` Did you mean \`/hookline ${guess}\`?` : ""} Try \`/hookline help\`.`,
      );
    }
  }
}

async function catalogOf(deps: CommandDeps): Promise<ScopeAutomations[]> {
  return listAutomations(deps.store, deps.configOf, deps.now());
}

async function pausesOf(deps: CommandDeps, scopes: readonly string[]): Promise<Map<string, PauseRecord>> {
  const out = new Map<string, PauseRecord>();
  for (const scope of scopes)
    for (const p of await deps.store.listPauses(scope, deps.now())) if (p.paused) out.set(`${p.scope}\n${p.automation}`, p);
  return out;
}

async function list(deps: CommandDeps): Promise<Answer> {
  const catalog = await catalogOf(deps);
  return ephemeral(
    listText(
      catalog,
      await pausesOf(
        deps,
        catalog.map((c) => c.scope),
      ),
    ),
  );
}

async function resolve(arg: string, deps: CommandDeps) {
  const named = scopeNamedBy(arg);
  const catalog = await listAutomations(deps.store, deps.configOf, deps.now(), named ? [named] : []);
  return { catalog, found: resolveName(arg, catalog) };
}

async function status(arg: string, deps: CommandDeps): Promise<Answer> {
  const { catalog, found } = await resolve(arg, deps);
  if (!found.ok) return ephemeral(suggestionText(found.reason, found.suggestions));
  const auto = catalog.find((c) => c.scope === found.scope)?.automations.find((a) => a.name === found.name);
  const pause = (await deps.store.listPauses(found.scope, deps.now())).find((p) => p.automation === found.name && p.paused) ?? null;
  const saved = await deps.store.scopeState(found.scope);
  const firings = await deps.store.listFirings(found.scope, found.name, 5);
  return ephemeral(
    statusText({
      scope: found.scope,
      name: found.name,
      description: auto?.description || null,
      enabled: auto ? auto.enabled : null,
      pause,
      state: saved?.state ?? null,
      scopeNextDeadline: saved?.nextDeadline ?? null,
      firings,
    }),
  );
}

const HISTORY_PAGES = 4;

async function history(arg: string, deps: CommandDeps): Promise<Answer> {
  const { found } = await resolve(arg, deps);
  if (!found.ok) return ephemeral(suggestionText(found.reason, found.suggestions));
  const firings = await deps.store.listFirings(found.scope, found.name, 15);
  const changes: StoredEvent[] = [];
  let after: string | undefined;
  for (let page = 0; page < HISTORY_PAGES; page++) {
    const res = await deps.store.listEvents({
      resource: `hookline.automation.${found.name}`,
      name: "hookline.automation.*",
      limit: 500,
      ...(after ? { after } : {}),
    });
    for (const e of res.events) {
      if (
        (e.event.event === "hookline.automation.paused" || e.event.event === "hookline.automation.resumed") &&
        e.event.resource["hookline.scope"] === found.scope
      )
        changes.push(e);
    }
    if (!res.next) break;
    after = res.next;
  }
  return ephemeral(historyText(found.scope, found.name, firings, changes));
}

export function describeOutcome(outcome: PauseOutcome): string {
  const r = outcome.repository;
  if (!r) return "";
  if (r.status === "updated")
    return ` Also written to ${esc(r.repository)}'s \`refs/hookline/state\` (the Action sees it on its next run).`;
  if (r.status === "unchanged") return ` ${esc(r.repository)}'s \`refs/hookline/state\` already said so.`;
  if (r.status === "failed")
    return ` :warning: Could not write ${esc(r.repository)}'s \`refs/hookline/state\`, so the GitHub Action there does not see it: ${esc(r.error.slice(0, 300))}`;
  return "";
}

async function change(arg: string, paused: boolean, seconds: number | null, who: Requester, deps: CommandDeps): Promise<Answer> {
  const { found } = await resolve(arg, deps);
  if (!found.ok) return ephemeral(suggestionText(found.reason, found.suggestions));
  const verb = paused ? "pause" : "resume";
  const decision = await authorize(
    deps.policy,
    { verb, scope: found.scope, automation: found.name, user: who.user, channel: who.channel },
    deps.members,
  );
  if (!decision.allowed) return ephemeral(`:no_entry: ${esc(decision.reason)}`);
  const now = deps.now();
  const until = seconds === null ? null : now + seconds * 1000;
  const outcome = await deps.targets.apply({
    scope: found.scope,
    automation: found.name,
    paused,
    until,
    by: `slack:${who.user}`,
    actor: actorOf(who),
    origin: { kind: "slack", name: who.user },
    now,
  });
  const name = `\`${esc(qualified(found.scope, found.name))}\``;
  const what = paused
    ? `paused ${name}${until !== null ? ` until ${new Date(until).toISOString()}` : " until resumed"}`
    : `resumed ${name}`;
  return { response_type: "in_channel", text: `<@${who.user}> ${what}.${describeOutcome(outcome)}` };
}
