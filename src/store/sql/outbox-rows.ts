/** outbox rows → the port's OutboxRow */
import type { OutboxItem, OutboxRow, OutboxStatus } from "../server-types.js";

export interface OutboxDbRow {
  id: string;
  scope: string;
  payload: OutboxItem["invocation"];
  status: OutboxStatus;
  attempts: number;
  max_attempts: number;
  next_attempt_at: number;
  created_at: number;
  last_error: { code: string; reason: string } | null;
}

export const OUTBOX_COLUMNS = `id, scope, payload, status, attempts, max_attempts, next_attempt_at, created_at, last_error`;

export function toOutboxRow(r: OutboxDbRow): OutboxRow {
  return {
    id: r.id,
    scope: r.scope,
    invocation: r.payload,
    maxAttempts: r.max_attempts,
    attempts: r.attempts,
    status: r.status,
    createdAt: r.created_at,
    lastError: r.last_error,
  };
}
