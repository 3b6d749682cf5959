import type { HooklineEvent, Resource } from "./event-schema.js";

export const RESOURCE_ID = "prefect.resource.id";
export const RESOURCE_NAME = "prefect.resource.name";
export const RESOURCE_ROLE = "prefect.resource.role";

/**
 * `label(event, key)` (SEMANTICS.md §1): `related:<role>:<label>` reads `<label>` of the FIRST related
 * resource with that role (missing → undefined); any other key reads the primary resource.
 */
export function labelOf(event: Pick<HooklineEvent, "resource" | "related">, key: string): string | undefined {
  if (key.startsWith("related:")) {
    const rest = key.slice("related:".length);
    const colon = rest.indexOf(":");
    if (colon < 0) return undefined;
    const role = rest.slice(0, colon);
    const label = rest.slice(colon + 1);
    const related = firstRelated(event.related, role);
    return related ? ownLabel(related, label) : undefined;
  }
  return ownLabel(event.resource, key);
}

export function firstRelated(related: readonly Resource[] | undefined, role: string): Resource | undefined {
  if (!related) return undefined;
  for (const r of related) if (r[RESOURCE_ROLE] === role) return r;
  return undefined;
}

export function ownLabel(resource: Resource, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(resource, key) ? resource[key] : undefined;
}
