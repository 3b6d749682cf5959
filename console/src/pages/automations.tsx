/**
 * Automations per scope: enabled / paused, the trigger in words, the YAML with its file and line, live state
 * (armed windows counting down to their deadline, counts toward the threshold, alarms), the last firings, and
 * Pause / Resume (recorded with this console session as the actor).
 */
import { useEffect, useState } from "preact/hooks";
import { api, withQuery } from "../api";
import { localTime, localClock } from "../time";
import { labelsText } from "../labels";
import { enc, href } from "../router";

interface Bucket {
  trigger: string;
  labels: Record<string, string>;
  phase: string;
  count: number;
  threshold: number | null;
  window: { start: string | null; end: string | null };
  deadline: string | null;
}

interface AutomationView {
  name: string;
  description: string;
  trigger_words: string;
  source: { file: string; line: number } | null;
  yaml: string;
  enabled: boolean;
  paused: boolean;
  paused_until: string | null;
  paused_by: string | null;
  buckets: Bucket[];
  last_firings: { id: string; state: string; at: string; labels?: Record<string, string>; triggering_event: string | null }[];
}

interface Status {
  now: string;
  scopes: { scope: string; automations: AutomationView[] }[];
}

/** "in 4m 05s" until `deadline`, on the server's clock */
function countdown(deadline: string, skew: number, tick: number): string {
  const ms = Date.parse(deadline) - (tick + skew);
  if (ms <= 0) return "due now";
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, "0");
  return h > 0 ? `in ${h}h ${m}m ${sec}s` : `in ${m}m ${sec}s`;
}

/** the deadline itself, with its time zone: the time of day when it is within a day, else the date too */
function when(deadline: string, tick: number): string {
  const at = new Date(deadline);
  const soon = Math.abs(at.getTime() - tick) < 86_400_000;
  return soon ? localClock(at) : localTime(at);
}

/**
 * "in 14m 42s (at 12:35:50 AM UTC)": the countdown, and the moment it ends for a reader who looks later. Without
 * a deadline the window's end counts down instead; once that has passed (an alarm that fired, a window that
 * closed) the row says when, rather than "due now" for ever.
 */
function Deadline({ bucket, skew, tick }: { bucket: Bucket; skew: number; tick: number }) {
  const at = bucket.deadline ?? bucket.window.end;
  if (!at) return <>none</>;
  const time = <time dateTime={at}>{when(at, tick + skew)}</time>;
  if (bucket.deadline === null && Date.parse(at) <= tick + skew) return <>passed (at {time})</>;
  return (
    <>
      <span class="countdown">{countdown(at, skew, tick)}</span> (at {time})
    </>
  );
}

export function AutomationsPage() {
  const [status, setStatus] = useState<Status | null>(null);
  const [skew, setSkew] = useState(0);
  const [tick, setTick] = useState(Date.now());
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api<Status>("/api/automations")
      .then((s) => {
        setSkew(Date.parse(s.now) - Date.now());
        setStatus(s);
        setError(null);
      })
      .catch((err: Error) => setError(err.message));
  useEffect(() => {
    void load();
    const refresh = setInterval(() => void load(), 5000);
    const clock = setInterval(() => setTick(Date.now()), 1000);
    return () => (clearInterval(refresh), clearInterval(clock));
  }, []);

  const toggle = async (scope: string, a: AutomationView) => {
    const verb = a.paused ? "resume" : "pause";
    try {
      const r = await api<{ by: string }>(withQuery(`/api/automations/${encodeURIComponent(a.name)}/${verb}`, { scope }), {
        method: "POST",
      });
      setMessage(`${a.name} ${verb === "pause" ? "paused" : "resumed"} by ${r.by}.`);
      await load();
    } catch (err) {
      setMessage((err as Error).message);
    }
  };

  return (
    <>
      <h1 tabIndex={-1}>Automations</h1>
      <p role="status" aria-live="polite" class="status">
        {message}
      </p>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {status === null && <p class="loading">Loading…</p>}
      {status?.scopes.map((s) => (
        <section key={s.scope} aria-labelledby={`scope-${s.scope}`}>
          <h2 id={`scope-${s.scope}`}>Scope {s.scope}</h2>
          {s.automations.length === 0 && <p class="empty">No automations in this scope.</p>}
          {s.automations.map((a) => (
            <article key={a.name} class="automation" data-automation={a.name} aria-labelledby={`a-${s.scope}-${a.name}`}>
              <h3 id={`a-${s.scope}-${a.name}`}>
                {a.name}{" "}
                <span class={`badge ${!a.enabled ? "disabled" : a.paused ? "paused" : "enabled"}`} data-state>
                  {!a.enabled ? "disabled" : a.paused ? "paused" : "enabled"}
                </span>
              </h3>
              {a.description && <p>{a.description}</p>}
              <p class="words">{a.trigger_words}</p>
              {a.paused && (
                <p class="help">
                  Paused by {a.paused_by}
                  {a.paused_until ? ` until ${localTime(a.paused_until)}` : ""}.
                </p>
              )}
              {a.enabled && (
                <button type="button" onClick={() => toggle(s.scope, a)}>
                  {a.paused ? `Resume ${a.name}` : `Pause ${a.name}`}
                </button>
              )}
              <h4>Live state</h4>
              {a.buckets.length === 0 ? (
                <p class="empty">Nothing armed or counting.</p>
              ) : (
                <table class="buckets">
                  <thead>
                    <tr>
                      <th scope="col">Key</th>
                      <th scope="col">State</th>
                      <th scope="col">Count</th>
                      <th scope="col">Deadline</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.buckets.map((b, i) => (
                      <tr key={i}>
                        <td>{labelsText(b.labels) || "(one key)"}</td>
                        <td>{b.phase}</td>
                        <td>{b.threshold !== null ? `${b.count} of ${b.threshold}` : b.count}</td>
                        <td>
                          <Deadline bucket={b} skew={skew} tick={tick} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <h4>Last firings</h4>
              {a.last_firings.length === 0 ? (
                <p class="empty">None yet.</p>
              ) : (
                <ul>
                  {a.last_firings.map((f) => (
                    <li key={f.id}>
                      {f.state} at <time dateTime={f.at}>{localTime(f.at)}</time>
                      {labelsText(f.labels) && ` for ${labelsText(f.labels)}`}
                      {f.triggering_event && (
                        <>
                          {" "}
                          (<a href={href(`/events/${enc(f.triggering_event)}`)}>triggering event</a>)
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              )}
              <details>
                <summary>YAML{a.source ? ` (${a.source.file}, line ${a.source.line})` : ""}</summary>
                <pre class="yaml">{a.yaml}</pre>
              </details>
            </article>
          ))}
        </section>
      ))}
    </>
  );
}
