/**
 * User-group membership through Slack's `usergroups.users.list` (scope usergroups:read), cached briefly so a
 * burst of clicks costs one call per group, and a membership change takes effect within `ttlMs`.
 * Failures are not cached: the next request asks again.
 */
import type { GroupMembers } from "./policy.js";

export interface UserGroupsApi {
  list(group: string): Promise<string[]>;
}

export const USER_GROUP_TTL_MS = 60_000;
const MAX_GROUPS = 1000;

export function cachedGroupMembers(api: UserGroupsApi, now: () => number, ttlMs = USER_GROUP_TTL_MS): GroupMembers {
  const cache = new Map<string, { at: number; members: Promise<ReadonlySet<string>> }>();
  return (group) => {
    const hit = cache.get(group);
    const t = now();
    if (hit && t - hit.at < ttlMs) return hit.members;
    if (cache.size >= MAX_GROUPS) cache.clear();
    const members = api.list(group).then((users) => new Set(users) as ReadonlySet<string>);
    cache.set(group, { at: t, members });
    members.catch(() => cache.delete(group));
    return members;
  };
}
