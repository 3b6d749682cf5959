/** One event: its JSON, its related resources (each a link to its timeline) and what it caused (firings, actions). */
import { useEffect, useState } from "preact/hooks";
import { api, type ApiEvent } from "../api";
import { enc, href } from "../router";
import type { Delivery } from "./deliveries";
import { localTime } from "../time";

interface Detail {
  event: ApiEvent;
  related: Record<string, string>[];
  caused: { scope: string; firing: { id: string; automation: string; state: string; at: string }; deliveries: Delivery[] }[];
}

export function EventPage({ params }: { params: Record<string, string> }) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<Detail>(`/api/events/${enc(params.id!)}`)
      .then(setDetail)
      .catch((err: Error) => setError(err.message));
  }, [params.id]);
  if (error)
    return (
      <>
        <h1 tabIndex={-1}>Event</h1>
        <p role="alert" class="error">
          {error}
        </p>
      </>
    );
  if (!detail)
    return (
      <>
        <h1 tabIndex={-1}>Event</h1>
        <p class="loading">Loading…</p>
      </>
    );
  const e = detail.event;
  const rid = e.resource["prefect.resource.id"] ?? "";
  return (
    <>
      <h1 tabIndex={-1}>{e.event}</h1>
      <p>
        Occurred <time dateTime={e.occurred}>{localTime(e.occurred)}</time> on <a href={href(`/resources/${enc(rid)}`)}>{rid}</a>
        {e.follows && (
          <>
            , follows <a href={href(`/events/${enc(e.follows)}`)}>{e.follows}</a>
          </>
        )}
      </p>
      <h2>Related resources</h2>
      {detail.related.length === 0 ? (
        <p class="empty">None.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Resource</th>
            </tr>
          </thead>
          <tbody>
            {detail.related.map((r, i) => (
              <tr key={i}>
                <td>{r["prefect.resource.role"]}</td>
                <td>
                  <a href={href(`/resources/${enc(r["prefect.resource.id"] ?? "")}`)}>{r["prefect.resource.id"]}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>What it caused</h2>
      {detail.caused.length === 0 ? (
        <p class="empty">No firing names this event as its trigger.</p>
      ) : (
        <ul class="caused">
          {detail.caused.map((c) => (
            <li key={c.firing.id}>
              <strong>{c.firing.automation}</strong> {c.firing.state} ({c.scope}) at {localTime(c.firing.at)}
              <ul>
                {c.deliveries.map((d) => (
                  <li key={d.id}>
                    action {d.action.index + 1} <code>{d.action.type}</code>: <span class={`state ${d.state}`}>{d.state}</span>
                    {d.last_error && ` (${d.last_error.code}: ${d.last_error.reason})`}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <h2>JSON</h2>
      <pre class="json" tabIndex={0} aria-label="The event as JSON">
        {JSON.stringify(e, null, 2)}
      </pre>
    </>
  );
}
