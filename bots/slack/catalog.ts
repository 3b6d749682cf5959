/**
 * Which automations exist, per scope, and how a name typed in Slack resolves to one: `owner/repo:name` (the
 * scope `repo:owner/repo`), `server:name` (the server scope), or a plain `name` searched over every scope
 * (ambiguous when several scopes have it: the answer lists the qualified names to use). Unknown names get
 * close matches.
 *
 * Scopes are the store's (`listScopes`, plus `server`). Automation names come from each scope's config when
 * `configOf` is given (the server passes its ScopeRuntime's), else from what the store knows (saved engine
 * state, firings, pauses).
 */
import { closest } from "../../src/automations/did-you-mean.js";
import type { ServerStore } from "../../src/store/server-types.js";
import type { ScopeConfig } from "../../src/scopes/types.js";

export interface ScopeAutomations {
  scope: string;
  automations: { name: string; description: string; enabled: boolean }[];
}

export type ConfigOf = (scope: string) => Promise<ScopeConfig | null>;

export type Resolution = { ok: true; scope: string; name: string } | { ok: false; reason: string; suggestions: string[] };

export const SERVER_SCOPE = "server";

/** `repo:acme/app` + `deploy` → `acme/app:deploy`; server → `server:deploy` */
export function qualified(scope: string, name: string): string {
  return `${scope.startsWith("repo:") ? scope.slice(5) : scope}:${name}`;
}

/** `extra`: scopes to look at even when the store has not seen them yet (a qualified name, a button's repository) */
export async function listAutomations(
  store: ServerStore,
  configOf: ConfigOf | undefined,
  now: number,
  extra: readonly string[] = [],
): Promise<ScopeAutomations[]> {
  const scopes = [...new Set([SERVER_SCOPE, ...(await store.listScopes()), ...extra])].sort((a, b) =>
    a === SERVER_SCOPE ? -1 : b === SERVER_SCOPE ? 1 : a.localeCompare(b),
  );
  const out: ScopeAutomations[] = [];
  for (const scope of scopes) {
    const config = configOf ? await configOf(scope).catch(() => null) : null;
    if (config) {
      out.push({
        scope,
        automations: config.config.automations.map((a) => ({ name: a.name, description: a.description, enabled: a.enabled })),
      });
      continue;
    }
    if (configOf) continue;
    const names = new Set<string>();
    const st = await store.scopeState(scope);
    const autos = (st?.state as { automations?: Record<string, unknown> } | null)?.automations;
    if (autos && typeof autos === "object") for (const k of Object.keys(autos)) names.add(k.replace(/#\d+$/, ""));
    for (const f of await store.listFirings(scope, null, 100)) names.add(f.automation);
    for (const p of await store.listPauses(scope, now)) names.add(p.automation);
    if (names.size) out.push({ scope, automations: [...names].sort().map((name) => ({ name, description: "", enabled: true })) });
  }
  return out;
}

/** the scope a qualified name names, if any (`acme/app:x` → `repo:acme/app`) */
export function scopeNamedBy(text: string): string | null {
  const repo = REPO_QUALIFIED.exec(text);
  return repo ? `repo:${repo[1]}` : null;
}

const REPO_QUALIFIED = /^([A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}):(.+)$/;

export function resolveName(text: string, catalog: readonly ScopeAutomations[]): Resolution {
  const all = catalog.flatMap((s) => s.automations.map((a) => ({ scope: s.scope, name: a.name })));
  const suggest = (word: string, pool: { scope: string; name: string }[]): string[] => {
    const byName = closest(
      word,
      pool.map((p) => p.name),
    );
    const byQualified = closest(
      word,
      pool.map((p) => qualified(p.scope, p.name)),
    );
    const picks = pool.filter((p) => p.name === byName || qualified(p.scope, p.name) === byQualified);
    return [...new Set(picks.map((p) => qualified(p.scope, p.name)))].slice(0, 5);
  };
  const hits = all.filter((a) => a.name === text);
  const repo = REPO_QUALIFIED.exec(text);
  const serverName = text.startsWith("server:") ? text.slice("server:".length) : null;
  if ((repo || serverName !== null) && hits.length === 0) {
    const scope = repo ? `repo:${repo[1]}` : SERVER_SCOPE;
    const name = repo ? repo[2]! : serverName!;
    const entry = catalog.find((s) => s.scope.toLowerCase() === scope.toLowerCase());
    if (entry?.automations.some((a) => a.name === name)) return { ok: true, scope: entry.scope, name };
    if (!entry) return { ok: false, reason: `there is no scope ${scope} (no automations known there)`, suggestions: suggest(text, all) };
    return {
      ok: false,
      reason: `no automation \`${name}\` in ${entry.scope}`,
      suggestions: suggest(
        name,
        all.filter((a) => a.scope === entry.scope),
      ),
    };
  }
  if (hits.length === 1) return { ok: true, scope: hits[0]!.scope, name: text };
  if (hits.length > 1) {
    return {
      ok: false,
      reason: `\`${text}\` exists in ${hits.length} scopes: name one of them`,
      suggestions: hits.map((h) => qualified(h.scope, h.name)),
    };
  }
  return { ok: false, reason: `no automation \`${text}\``, suggestions: suggest(text, all) };
}
