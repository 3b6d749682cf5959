/** A resource's timeline: every stored event whose primary resource it is or that it is related to, newest first. */
import { useEffect, useState } from "preact/hooks";
import { api, withQuery, type ApiEvent } from "../api";
import { enc } from "../router";
import { EventTable } from "./event-list";

export function ResourcePage({ params }: { params: Record<string, string> }) {
  const id = params.id!;
  const [events, setEvents] = useState<ApiEvent[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (after: string | null) =>
    api<{ events: ApiEvent[]; next: string | null }>(withQuery(`/api/resources/${enc(id)}/events`, { limit: 100, after }))
      .then((p) => {
        setEvents((list) => [...(after ? (list ?? []) : []), ...p.events]);
        setNext(p.next);
      })
      .catch((err: Error) => setError(err.message));
  useEffect(() => void load(null), [id]);
  return (
    <>
      <h1 tabIndex={-1}>
        Timeline of <code>{id}</code>
      </h1>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {events === null ? <p class="loading">Loading…</p> : <EventTable events={events} caption="Newest first" />}
      {next && (
        <button type="button" onClick={() => load(next)}>
          Older events
        </button>
      )}
    </>
  );
}
