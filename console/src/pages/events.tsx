/**
 * The event feed: filters (name glob, resource, related resource, time range), the newest stored events (keyset
 * paging backwards with "Older events"), and new ones as they arrive over GET /api/events/stream.
 */
import { useEffect, useState } from "preact/hooks";
import { api, withQuery, type ApiEvent } from "../api";
import { EventTable } from "./event-list";

interface Filters {
  name: string;
  resource: string;
  related: string;
  since: string;
  until: string;
}

const EMPTY: Filters = { name: "", resource: "", related: "", since: "", until: "" };
/** datetime-local (the browser's zone) → ISO */
const iso = (local: string) => (local ? new Date(local).toISOString() : "");

export function EventsPage() {
  const [draft, setDraft] = useState<Filters>(EMPTY);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [events, setEvents] = useState<ApiEvent[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [live, setLive] = useState<"connecting" | "live" | "reconnecting">("connecting");
  const [arrived, setArrived] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const query = {
    name: filters.name,
    resource: filters.resource,
    related: filters.related,
    since: iso(filters.since),
    until: iso(filters.until),
  };

  useEffect(() => {
    let stopped = false;
    setError(null);
    const first = () =>
      api<{ events: ApiEvent[]; next: string | null }>(withQuery("/api/events", { ...query, order: "desc", limit: 50 }))
        .then((page) => {
          if (stopped) return;
          setEvents(page.events);
          setNext(page.next);
        })
        .catch((err: Error) => setError(err.message));
    void first();
    // on reconnect EventSource sends the last id it saw and the server resumes after it; when more came meanwhile
    // than it resends, it says `resync` and the first page is read again
    let source: EventSource;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      // the table's fields only (the event's page reads it whole)
      source = new EventSource(withQuery("/api/events/stream", { ...query, view: "summary" }));
      source.addEventListener("resync", () => void first());
      source.onopen = () => setLive("live");
      source.onerror = () => {
        setLive("reconnecting");
        // an answer that is not a stream (a restarting server's 503) ends EventSource's own reconnecting: open a
        // new one, and read the first page again (a new EventSource has no last id to resume from)
        if (source.readyState !== EventSource.CLOSED || stopped) return;
        reopen = setTimeout(() => {
          if (stopped) return;
          void first();
          open();
        }, 2000);
      };
      source.addEventListener("hookline", (m) => {
        const e = JSON.parse((m as MessageEvent<string>).data) as ApiEvent;
        setEvents((list) => (list.some((x) => x.id === e.id) ? list : [e, ...list]));
        setArrived((n) => n + 1);
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(reopen);
      source.close();
    };
  }, [filters]);

  const older = async () => {
    if (!next) return;
    const page = await api<{ events: ApiEvent[]; next: string | null }>(
      withQuery("/api/events", { ...query, order: "desc", limit: 50, after: next }),
    );
    setEvents((list) => [...list, ...page.events]);
    setNext(page.next);
  };
  const field = (key: keyof Filters, label: string, type = "text", placeholder = "") => (
    <div class="field">
      <label for={`f-${key}`}>{label}</label>
      <input
        id={`f-${key}`}
        type={type}
        placeholder={placeholder}
        value={draft[key]}
        onInput={(e) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value })}
      />
    </div>
  );
  return (
    <>
      <h1 tabIndex={-1}>Events</h1>
      <form
        class="filters"
        aria-label="Filter events"
        onSubmit={(e) => {
          e.preventDefault();
          setArrived(0);
          setFilters(draft);
        }}
      >
        {field("name", "Event name", "text", "e.g. github.workflow-run.*")}
        {field("resource", "Resource id", "text", "e.g. github.workflow-run.123")}
        {field("related", "Related resource id")}
        {field("since", "From", "datetime-local")}
        {field("until", "Until", "datetime-local")}
        <button type="submit">Apply filters</button>
      </form>
      <p class="live" role="status" aria-live="polite">
        Live feed: <span data-live={live}>{live}</span>
        {arrived > 0 ? ` · ${arrived} new event${arrived === 1 ? "" : "s"} since opened` : ""}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <EventTable events={events} caption="Newest first" />
      {next && (
        <button type="button" onClick={older}>
          Older events
        </button>
      )}
    </>
  );
}
