import type { Resource } from "../events/event-schema.js";
import { RESOURCE_ID, RESOURCE_NAME, RESOURCE_ROLE } from "../events/labels.js";

/** Label candidates; undefined values are omitted, so a label is either a string or absent (never null). */
export type LabelCandidates = Record<string, string | undefined>;

export function compactLabels(candidates: LabelCandidates): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(candidates)) {
    const v = candidates[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A resource `github.<kind>.<idPart>`, or undefined when there is no id part. */
export function makeResource(
  kind: string,
  idPart: string | undefined,
  name: string | undefined,
  labels: LabelCandidates,
  role?: string,
): Resource | undefined {
  if (idPart === undefined) return undefined;
  // what compactLabels({ ...head, ...labels }) gives, without the two intermediate objects: the head keys
  // first (a label of the same key takes its place and value), then the other labels in their order
  const out: Record<string, string> = {};
  const put = (key: string, own: string | undefined) => {
    const v = Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : own;
    if (v !== undefined) out[key] = v;
  };
  put(RESOURCE_ID, `github.${kind}.${idPart}`);
  put(RESOURCE_NAME, name);
  if (role !== undefined) put(RESOURCE_ROLE, role);
  for (const key of Object.keys(labels)) {
    if (key === RESOURCE_ID || key === RESOURCE_NAME || (role !== undefined && key === RESOURCE_ROLE)) continue;
    const v = labels[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
