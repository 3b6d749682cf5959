/**
 * Compiles the normalized automations into trigger trees the engine walks: patterns compiled once,
 * durations in ms, each event trigger ("leaf") numbered in file order (automation, then trigger order).
 */
import type { Resource } from "../events/event-schema.js";
import { compilePattern, type CompiledPattern } from "../events/glob.js";
import type { ResourceMatch } from "../events/match.js";
import { uuidv5 } from "../events/uuid.js";
import type { Automation, AutomationsConfig, EventTriggerSpec, TriggerSpec } from "../automations/types.js";
import type { Bucket } from "./bucket.js";
import type { Firing } from "./types.js";

export interface CompiledMatch {
  keys: string[];
  patterns: CompiledPattern[][];
}

/** a `for_each` label: `related:<role>:<label>` or a primary-resource label */
export interface LabelGetter {
  key: string;
  role: string | null;
  label: string;
}

export interface LeafNode {
  kind: "event";
  auto: AutomationNode;
  /** trigger path inside the automation: "$" for the root, "$.0.1" for nested children */
  path: string;
  /** global order: automation order in the file, then trigger order */
  gid: number;
  parent: CompositeNode | null;
  childIndex: number;
  spec: EventTriggerSpec;
  proactive: boolean;
  hasAfter: boolean;
  after: CompiledPattern[];
  expect: CompiledPattern[];
  match: CompiledMatch;
  related: CompiledMatch[];
  forEach: LabelGetter[];
  withinMs: number;
  /** 0 = never */
  repeatMs: number;
  threshold: number;
  buckets: Map<string, Bucket>;
  /** candidate de-duplication while looking up one event */
  stamp: number;
}

export interface StoredFiring {
  firing: Firing;
  atMs: number;
  seq: number;
}

export interface CompositeNode {
  kind: "compound" | "sequence";
  auto: AutomationNode;
  path: string;
  parent: CompositeNode | null;
  childIndex: number;
  children: TriggerNode[];
  /** children needed: all = length, any = 1, N */
  need: number;
  /** 0 = unlimited */
  withinMs: number;
  stored: (StoredFiring | null)[];
  /** cause ("<triggering event id>@<ms>", "@<ms>" when none) of the last parent firing: never fire twice for it */
  lastKey: string | null;
}

export type TriggerNode = LeafNode | CompositeNode;

export interface AutomationNode {
  index: number;
  name: string;
  /** what firing ids are derived from: the name, behind the engine's `idNamespace` when one is set */
  idName: string;
  spec: Automation;
  root: TriggerNode;
  leaves: LeafNode[];
  composites: CompositeNode[];
  /** false when paused (config `enabled: false` or at run time) */
  active: boolean;
  /** changes when the trigger changes: restored state of another trigger shape is dropped */
  fingerprint: string;
}

export function compileMatch(match: ResourceMatch): CompiledMatch {
  const keys: string[] = [];
  const patterns: CompiledPattern[][] = [];
  for (const key of Object.keys(match)) {
    const p = match[key]!;
    keys.push(key);
    patterns.push((typeof p === "string" ? [p] : [...p]).map(compilePattern));
  }
  return { keys, patterns };
}

export function matchesCompiled(resource: Resource, m: CompiledMatch): boolean {
  const keys = m.keys;
  for (let i = 0; i < keys.length; i++) {
    const v = resource[keys[i]!];
    // resources are plain JSON objects: a string here is an own label (the prototype holds no strings)
    if (typeof v !== "string") return false;
    if (!anyMatches(m.patterns[i]!, v)) return false;
  }
  return true;
}

export function matchesRelatedCompiled(related: readonly Resource[], ms: CompiledMatch[]): boolean {
  for (let i = 0; i < ms.length; i++) {
    let found = false;
    for (let j = 0; j < related.length; j++) {
      if (matchesCompiled(related[j]!, ms[i]!)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

export function anyMatches(patterns: CompiledPattern[], value: string): boolean {
  for (let i = 0; i < patterns.length; i++) if (patterns[i]!.test(value)) return true;
  return false;
}

export function labelGetter(key: string): LabelGetter {
  if (key.startsWith("related:")) {
    const rest = key.slice("related:".length);
    const colon = rest.indexOf(":");
    if (colon >= 0) return { key, role: rest.slice(0, colon), label: rest.slice(colon + 1) };
    return { key, role: "", label: "" }; // malformed: never present
  }
  return { key, role: null, label: key };
}

export function compileConfig(config: AutomationsConfig, idNamespace = ""): { autos: AutomationNode[]; leaves: LeafNode[] } {
  const autos: AutomationNode[] = [];
  const leaves: LeafNode[] = [];
  config.automations.forEach((spec, index) => {
    const auto: AutomationNode = {
      index,
      name: spec.name,
      idName: idNamespace === "" ? spec.name : `${idNamespace}\n${spec.name}`,
      spec,
      root: undefined as unknown as TriggerNode,
      leaves: [],
      composites: [],
      active: spec.enabled,
      fingerprint: uuidv5(`trigger|${JSON.stringify(spec.trigger)}`),
    };
    auto.root = compileNode(spec.trigger, auto, "$", null, 0, leaves);
    autos.push(auto);
  });
  return { autos, leaves };
}

function compileNode(
  spec: TriggerSpec,
  auto: AutomationNode,
  path: string,
  parent: CompositeNode | null,
  childIndex: number,
  leaves: LeafNode[],
): TriggerNode {
  if (spec.type === "event") {
    const leaf: LeafNode = {
      kind: "event",
      auto,
      path,
      gid: leaves.length,
      parent,
      childIndex,
      spec,
      proactive: spec.posture === "Proactive",
      hasAfter: spec.after.length > 0,
      after: spec.after.map(compilePattern),
      expect: spec.expect.map(compilePattern),
      match: compileMatch(spec.match),
      related: spec.match_related.map(compileMatch),
      forEach: [...spec.for_each].sort().map(labelGetter),
      // a proactive window is at least 10 s (the loader enforces it; the engine never loops on a 0 window)
      withinMs: spec.posture === "Proactive" ? Math.max(10, spec.within) * 1000 : Math.max(0, spec.within) * 1000,
      repeatMs: spec.repeat !== null && spec.repeat > 0 ? spec.repeat * 1000 : 0,
      // reactive: a firing needs a counted expected event, so threshold 0 acts as 1 (README "threshold 0")
      threshold: spec.posture === "Proactive" ? spec.threshold : Math.max(1, spec.threshold),
      buckets: new Map(),
      stamp: 0,
    };
    leaves.push(leaf);
    auto.leaves.push(leaf);
    return leaf;
  }
  const n = spec.triggers.length;
  const need =
    spec.type === "sequence" ? n : spec.require === "all" ? n : spec.require === "any" ? 1 : Math.min(Math.max(1, spec.require), n);
  const node: CompositeNode = {
    kind: spec.type,
    auto,
    path,
    parent,
    childIndex,
    children: [],
    need,
    withinMs: spec.within !== null && spec.within > 0 ? spec.within * 1000 : 0,
    stored: new Array<StoredFiring | null>(n).fill(null),
    lastKey: null,
  };
  auto.composites.push(node);
  spec.triggers.forEach((child, i) => node.children.push(compileNode(child, auto, `${path}.${i}`, node, i, leaves)));
  return node;
}
