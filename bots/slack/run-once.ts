/**
 * A slash command or a button click runs once (issue 12, item 7). Slack delivers the same command or click
 * again when our ack seemed late (`X-Slack-Retry-Num`), re-signed with a new timestamp, so the signature replay
 * guard (verify.ts) lets it through; its `trigger_id` (and for a click the action's `action_ts`) stays the same.
 * The first delivery of a key runs; the others are acknowledged and dropped for DEDUPE_WINDOW_MS.
 *
 * Per process: instances behind a load balancer each keep their own memory, so a retry that reaches another
 * instance runs again there (docs/security-load-and-slack.md). Bounded: at MAX_KEYS the expired keys go, then
 * the oldest half.
 */

/** Slack retries within minutes; trigger ids are single-use and short-lived, so 10 minutes covers every retry */
export const DEDUPE_WINDOW_MS = 10 * 60 * 1000;
const MAX_KEYS = 100_000;

export interface RunOnce {
  /** true the first time `key` is seen within the window (the caller runs), false for a repeat */
  first(key: string, now: number): boolean;
}

export function createRunOnce(windowMs = DEDUPE_WINDOW_MS, maxKeys = MAX_KEYS): RunOnce {
  const seen = new Map<string, number>();
  return {
    first(key, now) {
      const expires = seen.get(key);
      if (expires !== undefined && expires > now) return false;
      if (seen.size >= maxKeys) {
        for (const [k, exp] of seen) if (exp <= now) seen.delete(k);
        if (seen.size >= maxKeys) for (const k of [...seen.keys()].slice(0, maxKeys / 2)) seen.delete(k);
      }
      seen.delete(key);
      seen.set(key, now + windowMs);
      return true;
    },
  };
}

/** the key of a slash command: its team and trigger id (null: no trigger id, nothing to dedupe on) */
export function commandKey(c: { team_id?: string; trigger_id?: string }): string | null {
  return c.trigger_id ? `command\n${c.team_id ?? ""}\n${c.trigger_id}` : null;
}

/** the key of a click: the trigger id, the action's id and time, and the message it was clicked in */
export function clickKey(c: { trigger_id?: string; action_id: string; action_ts?: string; message_ts?: string }): string | null {
  return c.trigger_id ? `click\n${c.trigger_id}\n${c.action_id}\n${c.action_ts ?? ""}\n${c.message_ts ?? ""}` : null;
}
