/**
 * A delivery's attempts, shown when its row in the delivery log is expanded: each attempt's time, duration,
 * outcome and error, and the calls it made (request: method, URL, headers; response: status, headers, the first
 * bytes of the body), from `GET /api/deliveries/:id`. The server masked secrets; bodies are shown as text, never
 * as markup. `version` changes when the delivery does (a new attempt), which reloads the list.
 */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api";
import { localTime } from "../time";

interface Call {
  request: { method: string; url: string; headers: Record<string, string>; body_bytes: number | null };
  response: { status: number | null; headers: Record<string, string>; body: string; body_bytes: number | null } | null;
  error: { code: string; reason: string } | null;
}

export interface Attempt {
  attempt: number;
  started: string;
  finished: string;
  duration_ms: number;
  outcome: "succeeded" | "failed" | "dead";
  error: { code: string; reason: string } | null;
  calls: Call[];
}

const headerLines = (h: Record<string, string>) =>
  Object.entries(h)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\n");

function CallView({ call }: { call: Call }) {
  const res = call.response;
  return (
    <div class="call">
      <div>
        <code>
          {call.request.method} {call.request.url}
        </code>
        {res ? (
          <span class="status-code"> → {res.status}</span>
        ) : (
          <span class="status-code"> → no answer{call.error ? ` (${call.error.code})` : ""}</span>
        )}
      </div>
      {Object.keys(call.request.headers).length > 0 && <pre class="headers">{headerLines(call.request.headers)}</pre>}
      {res && (
        <>
          {Object.keys(res.headers).length > 0 && <pre class="headers">{headerLines(res.headers)}</pre>}
          {res.body !== "" && (
            <pre class="body" aria-label="Response body">
              {res.body}
            </pre>
          )}
          {res.body_bytes !== null && res.body_bytes > 0 && <div class="help">{res.body_bytes} bytes received</div>}
        </>
      )}
    </div>
  );
}

export function DeliveryAttempts({ id, version }: { id: string; version: string }) {
  const [attempts, setAttempts] = useState<Attempt[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ attempts: Attempt[] }>(`/api/deliveries/${encodeURIComponent(id)}`)
      .then((r) => (setAttempts(r.attempts), setError(null)))
      .catch((err: Error) => setError(err.message));
  }, [id, version]);
  if (error)
    return (
      <p role="alert" class="error">
        {error}
      </p>
    );
  if (attempts === null) return <p class="loading">Loading attempts…</p>;
  if (attempts.length === 0) return <p class="empty">No attempt recorded yet.</p>;
  return (
    <ol class="attempts" reversed aria-label="Attempts">
      {attempts.map((a) => (
        <li key={a.attempt} data-attempt={a.attempt} value={a.attempt}>
          <div>
            Attempt {a.attempt}: <span class={`state ${a.outcome}`}>{a.outcome}</span> at{" "}
            <time dateTime={a.started}>{localTime(a.started)}</time>, {a.duration_ms} ms
          </div>
          {a.error && (
            <div class="attempt-error">
              <code>{a.error.code}</code>: {a.error.reason}
            </div>
          )}
          {a.calls.map((c, i) => (
            <CallView key={i} call={c} />
          ))}
        </li>
      ))}
    </ol>
  );
}
