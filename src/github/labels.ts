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
  const head: LabelCandidates = { [RESOURCE_ID]: `github.${kind}.${idPart}`, [RESOURCE_NAME]: name };
  if (role !== undefined) head[RESOURCE_ROLE] = role;
  return compactLabels({ ...head, ...labels });
}
