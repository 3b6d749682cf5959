/** The data a template sees (SEMANTICS.md §7). */
import type { Firing } from "../engine/types.js";
import type { HooklineEvent } from "../events/event-schema.js";
import { parseIsoTime } from "../events/event-schema.js";
import { defineValue, sealTemplateData, toTemplateData } from "./data.js";
import { hasOwn } from "./policy.js";
import { mergeReads, READ_WHOLE, type ReadTree } from "./reads.js";

/** Plain frozen data; build it with buildTemplateContext (other objects are copied at each render). */
export type TemplateContext = Readonly<Record<string, unknown>>;

export interface TemplateContextInput {
  event: HooklineEvent | null;
  automation: { name: string; description?: string };
  firing: Firing;
  /**
   * What the templates to be rendered can read (contextReads(templateReads(...))): only that is built and
   * copied. Absent: the whole context.
   */
  reads?: ContextReads;
}

/** A templateReads tree arranged for buildTemplateContext: which names to build, what to copy of the event. */
export interface ContextReads {
  names: ReadonlySet<string>;
  event: ReadTree | undefined;
  firing: ReadTree | undefined;
  firings: ReadTree | undefined;
  events: ReadTree | undefined;
}

/**
 * Arranges what templates read for buildTemplateContext, once per set of templates. A name that is not one of
 * RESERVED may be a payload object raised to the top level, so its paths are read below `event.payload` too.
 */
export function contextReads(reads: ReadonlyMap<string, ReadTree>): ContextReads {
  let event = reads.get("event");
  const raised = new Map<string, ReadTree>();
  for (const [name, tree] of reads) if (!(RESERVED as readonly string[]).includes(name)) raised.set(name, tree);
  if (raised.size > 0) event = mergeReads(event, new Map([["payload", raised]]));
  return {
    names: new Set(reads.keys()),
    event,
    firing: reads.get("firing"),
    firings: reads.get("firings"),
    events: reads.get("events"),
  };
}

const RESERVED = ["event", "automation", "labels", "firing", "firings", "events"] as const;

/**
 * `labels` keeps every label under its exact key (`labels['github.branch']`) and, where no exact key is in the
 * way, also a nested view (`labels.github.branch`). The nested views are non-enumerable, so iterating,
 * `length` and `tojson` see only the real labels.
 */
export function labelsView(labels: Readonly<Record<string, string>>): Readonly<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const keys = Object.keys(labels).filter((k) => typeof labels[k] === "string");
  for (const k of keys) defineValue(out, k, labels[k]);
  const nested = new Set<object>();
  const dotted = keys
    .filter((k) => k.includes("."))
    .sort((a, b) => a.split(".").length - b.split(".").length || (a < b ? -1 : a > b ? 1 : 0));
  for (const key of dotted) {
    const parts = key.split(".");
    if (parts.some((p) => p === "")) continue;
    let node: Record<string, unknown> = out;
    let ok = true;
    for (const part of parts.slice(0, -1)) {
      if (hasOwn(node, part)) {
        const next = node[part];
        if (next && typeof next === "object" && nested.has(next)) {
          node = next as Record<string, unknown>;
          continue;
        }
        ok = false;
        break;
      }
      const child: Record<string, unknown> = {};
      nested.add(child);
      Object.defineProperty(node, part, { value: child, enumerable: false, writable: false, configurable: true });
      node = child;
    }
    const last = parts[parts.length - 1]!;
    if (!ok || hasOwn(node, last)) continue;
    Object.defineProperty(node, last, { value: labels[key], enumerable: node !== out, writable: false, configurable: true });
  }
  for (const n of nested) sealTemplateData(n);
  return sealTemplateData(out);
}

function flattenFirings(firing: Firing): Firing[] {
  const out: Firing[] = [];
  const seen = new Set<Firing>();
  const visit = (f: Firing, depth: number) => {
    if (depth > 16 || seen.has(f)) return;
    seen.add(f);
    if (depth > 0) out.push(f);
    for (const c of Array.isArray(f.child_firings) ? f.child_firings : []) visit(c, depth + 1);
  };
  visit(firing, 0);
  const time = (f: Firing) => {
    const t = parseIsoTime(String(f.at));
    return Number.isNaN(t) ? -Infinity : t;
  };
  // newest first; stable for equal times (children keep their order)
  out.sort((a, b) => time(b) - time(a));
  return [firing, ...out];
}

/**
 * event, automation, labels, firing, firings (the firing, then its child firings newest first), events, and for
 * GitHub events every object of the webhook payload (`workflow_run`, `repository`, `sender`, ...) at the top
 * level, never overriding the names above.
 */
export function buildTemplateContext(input: TemplateContextInput): TemplateContext {
  const { event, automation, firing, reads } = input;
  const ctx: Record<string, unknown> = {};
  const memo = new Map<object, unknown>();
  // with reads, a name no template mentions is left out, and the event is copied only where it is read
  const wants = (name: string) => reads === undefined || reads.names.has(name);
  const needEvent = reads === undefined || reads.event !== undefined;
  const eventData = needEvent ? toTemplateData(event ?? null, memo, reads?.event ?? READ_WHOLE) : null;
  if (wants("event")) defineValue(ctx, "event", eventData);
  if (wants("automation"))
    defineValue(
      ctx,
      "automation",
      toTemplateData({ name: automation.name, ...(automation.description !== undefined ? { description: automation.description } : {}) }),
    );
  if (wants("labels")) defineValue(ctx, "labels", labelsView(firing.labels ?? {}));
  if (wants("firing")) defineValue(ctx, "firing", toTemplateData(firing, memo, reads?.firing ?? READ_WHOLE));
  if (wants("firings")) defineValue(ctx, "firings", toTemplateData(flattenFirings(firing), memo, reads?.firings ?? READ_WHOLE));
  if (wants("events"))
    defineValue(ctx, "events", toTemplateData(Array.isArray(firing.events) ? firing.events : [], memo, reads?.events ?? READ_WHOLE));
  if (event && typeof event.event === "string" && event.event.startsWith("github.") && eventData) {
    const payload = (eventData as { payload?: unknown }).payload;
    if (payload && typeof payload === "object") {
      for (const key of Object.keys(payload)) {
        const v = (payload as Record<string, unknown>)[key];
        if (v && typeof v === "object" && !Array.isArray(v) && !(RESERVED as readonly string[]).includes(key) && !hasOwn(ctx, key)) {
          defineValue(ctx, key, v);
        }
      }
    }
  }
  return sealTemplateData(ctx);
}
