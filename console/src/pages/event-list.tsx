/** A table of events (the feed, a resource's timeline): time, name, resource, with links to each. */
import type { ApiEvent } from "../api";
import { enc, href } from "../router";
import { localTime } from "../time";

export function EventTable({ events, caption }: { events: ApiEvent[]; caption: string }) {
  if (events.length === 0) return <p class="empty">No events.</p>;
  return (
    <table class="events">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Occurred</th>
          <th scope="col">Event</th>
          <th scope="col">Resource</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => {
          const rid = e.resource["prefect.resource.id"] ?? "";
          return (
            <tr key={e.id} data-event-id={e.id}>
              <td>
                <time dateTime={e.occurred}>{localTime(e.occurred)}</time>
              </td>
              <td>
                <a href={href(`/events/${enc(e.id)}`)}>{e.event}</a>
              </td>
              <td>
                <a href={href(`/resources/${enc(rid)}`)}>{rid}</a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
