/** A store of events for what-if tests: pages like the SQL store (storage order, opaque `next`, range filter). */
import type { HooklineEvent } from "../../src/events/event-schema.js";
import type { EventQuery, ReplayPage, StoredEvent } from "../../src/store/server-types.js";

export function pagedStore(events: HooklineEvent[], gate?: Promise<void>) {
  const queries: (EventQuery | { replayAfter: string | null; limit: number })[] = [];
  return {
    queries,
    async listEvents(q: EventQuery): Promise<{ events: StoredEvent[]; next: string | null }> {
      queries.push(q);
      if (gate) await gate;
      const inRange = (e: HooklineEvent) =>
        (q.since === undefined || Date.parse(e.occurred) >= q.since) && (q.until === undefined || Date.parse(e.occurred) < q.until);
      const page: StoredEvent[] = [];
      if (q.order === "desc") {
        let i = q.after === undefined ? events.length - 1 : Number(q.after) - 2;
        for (; i >= 0 && page.length < q.limit; i--)
          if (inRange(events[i]!)) page.push({ seq: String(i + 1), received: 0, event: events[i]! });
        return { events: page, next: i >= 0 ? String(i + 2) : null };
      }
      let i = q.after === undefined ? 0 : Number(q.after);
      for (; i < events.length && page.length < q.limit; i++)
        if (inRange(events[i]!)) page.push({ seq: String(i + 1), received: 0, event: events[i]! });
      return { events: page, next: i < events.length ? String(i) : null };
    },
    /** events after storage sequence `after` (the i-th event's sequence is i + 1) */
    async replayPage(after: string | null, limit: number): Promise<ReplayPage> {
      queries.push({ replayAfter: after, limit });
      if (gate) await gate;
      const from = after === null ? 0 : Number(after);
      const page = events.slice(from, from + limit);
      return { json: JSON.stringify(page), count: page.length, last: page.length ? String(from + page.length) : null };
    },
  };
}
