/**
 * Live status of a scope's automations, as far as the saved engine snapshot tells: for each automation its
 * buckets (for_each values, armed / in alarm / open, count, window, deadline), pause flag and last firings.
 * Reads the snapshot's plain JSON defensively: an unknown shape shows as no buckets, never as an error.
 */
import type { Automation, TriggerSpec } from "../../../src/automations/types.js";
import { describeTrigger } from "../../../src/automations/describe.js";
import { describeTriggerInWords } from "../../../src/automations/describe-words.js";
import { basename } from "node:path";
import { editDistance } from "../../../src/automations/did-you-mean.js";
import { isoOf } from "../../../src/events/index.js";
import type { Firing } from "../../../src/engine/index.js";
import type { PauseRecord, ServerStore } from "../../../src/store/server-types.js";
import type { ScopeRuntime } from "../work/types.js";
import { stringify } from "yaml";

const PHASES = ["open", "armed", "alarm"] as const;

interface BucketView {
  trigger: string;
  labels: Record<string, string>;
  phase: string;
  count: number;
  /** the count the trigger needs (event triggers), for "2 of 3" */
  threshold: number | null;
  window: { start: string | null; end: string | null };
  deadline: string | null;
}

const iso = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? isoOf(v) : null);

/** the event trigger at a compiled path ("$", "$.0.1") */
function triggerAt(t: TriggerSpec, path: string): TriggerSpec | null {
  let node: TriggerSpec | undefined = t;
  for (const step of path.split(".").slice(1)) node = node && node.type !== "event" ? node.triggers[Number(step)] : undefined;
  return node ?? null;
}

function bucketsOf(a: Automation, saved: unknown): BucketView[] {
  const buckets = (saved as { buckets?: unknown } | undefined)?.buckets;
  if (typeof buckets !== "object" || buckets === null) return [];
  const out: BucketView[] = [];
  for (const [path, list] of Object.entries(buckets as Record<string, unknown>)) {
    if (!Array.isArray(list)) continue;
    const t = triggerAt(a.trigger, path);
    const forEach = t?.type === "event" ? t.for_each : [];
    for (const b of list as Record<string, unknown>[]) {
      const values = Array.isArray(b.values) ? b.values.map(String) : [];
      const labels: Record<string, string> = {};
      values.forEach((v, i) => (labels[forEach[i] ?? `#${i}`] = v));
      out.push({
        trigger: path,
        labels,
        phase: PHASES[b.phase as 0 | 1 | 2] ?? "unknown",
        count: typeof b.count === "number" ? b.count : 0,
        threshold: t?.type === "event" ? t.threshold : null,
        window: { start: iso(b.start), end: iso(b.end) },
        deadline: iso(b.deadline),
      });
    }
  }
  return out;
}

/** the automation as YAML (normalised: defaults filled in), without the loader's positions */
function yamlOf(a: Automation): string {
  return stringify([a], (key, value) => (key === "position" ? undefined : value), { lineWidth: 0 });
}

function firingView(f: Firing) {
  return { id: f.id, state: f.state, at: f.at, labels: f.labels, triggering_event: f.triggering_event?.id ?? null };
}

export async function scopeStatus(store: ServerStore, runtime: ScopeRuntime, scope: string, now: number) {
  const [config, saved, pauses] = await Promise.all([runtime.configOf(scope), store.scopeState(scope), store.listPauses(scope, now)]);
  const paused = new Map<string, PauseRecord>(pauses.filter((p) => p.paused).map((p) => [p.automation, p]));
  const stateAutos = ((saved?.state as { automations?: Record<string, unknown> } | null)?.automations ?? {}) as Record<string, unknown>;
  const automations = await Promise.all(
    (config?.config.automations ?? []).map(async (a) => {
      const buckets = Object.hasOwn(stateAutos, a.name) ? bucketsOf(a, stateAutos[a.name]) : [];
      const p = paused.get(a.name);
      return {
        name: a.name,
        description: a.description,
        trigger: describeTrigger(a.trigger),
        trigger_words: describeTriggerInWords(a.trigger),
        source: a.position ? { file: basename(a.position.file), line: a.position.line } : null,
        yaml: yamlOf(a),
        enabled: a.enabled,
        paused: p !== undefined,
        paused_until: p ? iso(p.until) : null,
        paused_by: p?.by ?? null,
        armed: buckets.filter((b) => b.phase === "armed").length,
        alarms: buckets.filter((b) => b.phase === "alarm").length,
        buckets: buckets.slice(0, 100),
        last_firings: (await store.listFirings(scope, a.name, 5)).map(firingView),
      };
    }),
  );
  return {
    scope,
    config_version: config?.version ?? null,
    /** the live automations file as loaded (null: none, or not kept), for the what-if editor */
    automations_yaml: config?.source ?? null,
    state_version: saved?.configVersion ?? null,
    next_deadline: iso(saved?.nextDeadline ?? null),
    automations,
  };
}

/** automation names of a scope, closest first, for a 404 */
export function closeMatches(name: string, names: string[]): string[] {
  const lower = name.toLowerCase();
  return names
    .map((n) => ({
      n,
      d:
        n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase())
          ? 0
          : name.length > 100
            ? Infinity
            : editDistance(lower, n.toLowerCase()),
    }))
    .filter((x) => x.d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((a, b) => a.d - b.d)
    .slice(0, 3)
    .map((x) => x.n);
}
