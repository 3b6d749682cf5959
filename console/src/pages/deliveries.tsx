/**
 * The delivery log: the outbox (pending, running, failed, succeeded, dead) with filters, attempts, the last error,
 * request and response summaries (secrets masked by the server) and Redeliver for a failed or dead action. A row
 * expands to its attempts (delivery-attempts.tsx).
 */
import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { api, withQuery } from "../api";
import { DeliveryAttempts } from "./delivery-attempts";
import { localTime, localClock } from "../time";
import { labelsText } from "../labels";
import { enc, href } from "../router";

export interface Delivery {
  id: string;
  scope: string;
  state: string;
  automation: string | null;
  action: { index: number; type: string | null };
  firing: { id: string; state: string; at: string; labels: Record<string, string>; triggering_event: string | null } | null;
  attempts: number;
  max_attempts: number;
  created: string;
  updated: string;
  next_attempt: string | null;
  last_error: { code: string; reason: string } | null;
  request: unknown;
  response: unknown;
  redeliverable: boolean;
}

const STATES = ["", "pending", "running", "failed", "succeeded", "dead"];

export function DeliveriesPage() {
  const [state, setState] = useState("");
  const [scope, setScope] = useState("");
  const [automation, setAutomation] = useState("");
  const [applied, setApplied] = useState({ state: "", scope: "", automation: "" });
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((was) => {
      const now = new Set(was);
      if (!now.delete(id)) now.add(id);
      return now;
    });

  const load = (before: string | null) =>
    api<{ deliveries: Delivery[]; next: string | null }>(withQuery("/api/deliveries", { ...applied, limit: 50, before }))
      .then((p) => {
        setRows((list) => [...(before ? (list ?? []) : []), ...p.deliveries]);
        setNext(p.next);
        setError(null);
      })
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load(null);
    // the log refreshes while open, so a redelivery's outcome shows up
    const t = setInterval(() => void load(null), 2000);
    return () => clearInterval(t);
  }, [applied]);

  const redeliver = async (d: Delivery) => {
    try {
      await api(`/api/deliveries/${encodeURIComponent(d.id)}/redeliver`, { method: "POST" });
      setMessage(`Redelivery of ${d.automation ?? d.id} (action ${d.action.index + 1}) queued.`);
      void load(null);
    } catch (err) {
      setMessage((err as Error).message);
    }
  };
  return (
    <>
      <h1 tabIndex={-1}>Deliveries</h1>
      <form
        class="filters"
        aria-label="Filter deliveries"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ state, scope, automation });
        }}
      >
        <div class="field">
          <label for="d-state">State</label>
          <select id="d-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s || "any"}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="d-scope">Scope</label>
          <input id="d-scope" value={scope} placeholder="server" onInput={(e) => setScope((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="d-automation">Automation</label>
          <input id="d-automation" value={automation} onInput={(e) => setAutomation((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit">Apply filters</button>
      </form>
      <p role="status" aria-live="polite" class="status">
        {message}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {rows === null ? (
        <p class="loading">Loading…</p>
      ) : rows.length === 0 ? (
        <p class="empty">No deliveries.</p>
      ) : (
        <table class="deliveries">
          <thead>
            <tr>
              <th scope="col">Created</th>
              <th scope="col">Automation</th>
              <th scope="col">Action</th>
              <th scope="col">State</th>
              <th scope="col">Failed attempts</th>
              <th scope="col">Last error</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <Fragment key={d.id}>
                <tr data-delivery-id={d.id}>
                  <td>
                    <time dateTime={d.created}>{localTime(d.created)}</time>
                  </td>
                  <td>
                    {d.automation} <span class="scope">({d.scope})</span>
                    {d.firing && (labelsText(d.firing.labels) || d.firing.triggering_event) && (
                      <div class="help">
                        {labelsText(d.firing.labels) && `for ${labelsText(d.firing.labels)} `}
                        {d.firing.triggering_event && <a href={href(`/events/${enc(d.firing.triggering_event)}`)}>triggering event</a>}
                      </div>
                    )}
                  </td>
                  <td>
                    {d.action.index + 1}. <code>{d.action.type}</code>
                  </td>
                  <td>
                    <span class={`state ${d.state}`}>{d.state}</span>
                  </td>
                  <td>
                    {d.attempts} of {d.max_attempts}
                    {d.next_attempt && <div class="help">next: {localClock(d.next_attempt)}</div>}
                  </td>
                  <td>{d.last_error ? `${d.last_error.code}: ${d.last_error.reason}` : ""}</td>
                  <td>
                    <button
                      type="button"
                      aria-expanded={open.has(d.id)}
                      aria-controls={`attempts-${d.id}`}
                      onClick={() => toggle(d.id)}
                      aria-label={`Attempts of ${d.automation ?? ""} action ${d.action.index + 1}`}
                    >
                      Attempts
                    </button>
                    <details>
                      <summary>Action and result</summary>
                      <pre class="json">{JSON.stringify({ request: d.request, response: d.response }, null, 2)}</pre>
                    </details>
                    {d.redeliverable && (
                      <button
                        type="button"
                        onClick={() => redeliver(d)}
                        aria-label={`Redeliver ${d.automation ?? ""} action ${d.action.index + 1}`}
                      >
                        Redeliver
                      </button>
                    )}
                  </td>
                </tr>
                {open.has(d.id) && (
                  <tr class="attempts-row" id={`attempts-${d.id}`} data-attempts-of={d.id}>
                    <td colSpan={7}>
                      <DeliveryAttempts id={d.id} version={`${d.attempts}:${d.state}:${d.updated}`} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={() => load(next)}>
          More
        </button>
      )}
    </>
  );
}
