import type { HooklineEvent, Resource } from "./event-schema.js";
import { matchesAny, type PatternSet } from "./glob.js";
import { ownLabel } from "./labels.js";

/** `match`: label → pattern | list of patterns. Every key must hold (AND); a list holds if any holds (OR). */
export type ResourceMatch = Readonly<Record<string, PatternSet>>;

export function matchesResource(resource: Resource, match: ResourceMatch): boolean {
  for (const key in match) {
    if (!matchesAny(ownLabel(resource, key), match[key]!)) return false;
  }
  return true;
}

/** Every object must be satisfied by at least one related resource (each may use a different one). */
export function matchesRelated(related: readonly Resource[], matchRelated: readonly ResourceMatch[]): boolean {
  for (const m of matchRelated) {
    let found = false;
    for (const r of related) {
      if (matchesResource(r, m)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

/** Event-name patterns (`expect` / `after`): empty means any event. */
export function matchesEventName(name: string, patterns: readonly string[]): boolean {
  return patterns.length === 0 || matchesAny(name, patterns);
}

export function matchesEvent(event: HooklineEvent, match: ResourceMatch, matchRelated: readonly ResourceMatch[]): boolean {
  return matchesResource(event.resource, match) && matchesRelated(event.related, matchRelated);
}
