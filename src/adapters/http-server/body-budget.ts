/**
 * The bytes of request bodies in flight, bounded (issue 12, item 6): bodies that can only be authenticated once
 * read whole (HMAC signatures, GitHub's X-Hub-Signature-256, Slack's signature) are held in memory while they
 * arrive, so without a bound 100 unauthenticated 25 MB uploads hold 2.5 GB. One budget for the whole process,
 * and per client (remote address) a share of it and a cap on concurrent body reads, so one client cannot take
 * the budget from the others. A reservation is made before a byte is kept (the declared Content-Length at once,
 * a chunked body chunk by chunk) and released exactly once, however the request ends.
 */

export interface BodyBudgetLimits {
  /** bytes of bodies held at once by the whole process */
  totalBytes: number;
  /** bytes of bodies held at once for one client (remote address) */
  perClientBytes: number;
  /** bodies read at once for one client */
  perClientReads: number;
  /** what a refused client is told to wait (Retry-After, seconds) */
  retryAfterSeconds: number;
}

export const MiB = 1024 * 1024;

export const DEFAULT_BODY_BUDGET: BodyBudgetLimits = {
  totalBytes: 128 * MiB,
  perClientBytes: 32 * MiB,
  perClientReads: 32,
  retryAfterSeconds: 2,
};

/** One body read's claim on the budget. */
export interface BodyReservation {
  /** claims `bytes` more; false (nothing claimed) when they do not fit what is left for this client or in total */
  grow(bytes: number): boolean;
  /** gives everything back; idempotent */
  release(): void;
}

export interface BodyBudget {
  readonly limits: BodyBudgetLimits;
  /** a reservation for one body of `client`, or null when the client already has perClientReads bodies in flight */
  open(client: string): BodyReservation | null;
  /** bytes reserved now, in total and the number of clients with a body in flight */
  inFlight(): { bytes: number; reads: number; clients: number };
}

interface ClientUse {
  bytes: number;
  reads: number;
}

export function createBodyBudget(limits: BodyBudgetLimits = DEFAULT_BODY_BUDGET): BodyBudget {
  let total = 0;
  let reads = 0;
  const clients = new Map<string, ClientUse>();
  return {
    limits,
    inFlight: () => ({ bytes: total, reads, clients: clients.size }),
    open(client) {
      let use = clients.get(client);
      if (use && use.reads >= limits.perClientReads) return null;
      if (!use) clients.set(client, (use = { bytes: 0, reads: 0 }));
      const mine = use;
      mine.reads++;
      reads++;
      let held = 0;
      let released = false;
      return {
        grow(bytes) {
          if (released) return false;
          if (total + bytes > limits.totalBytes || mine.bytes + bytes > limits.perClientBytes) return false;
          total += bytes;
          mine.bytes += bytes;
          held += bytes;
          return true;
        },
        release() {
          if (released) return;
          released = true;
          total -= held;
          mine.bytes -= held;
          mine.reads--;
          reads--;
          if (mine.reads === 0) clients.delete(client);
        },
      };
    },
  };
}
