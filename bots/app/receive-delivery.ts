/**
 * Receives one GitHub delivery at the App's webhook path: POST, `application/json`, the X-GitHub-Event,
 * X-GitHub-Delivery and X-Hub-Signature-256 headers, the signature = HMAC-SHA256 of the raw body bytes with the
 * App's webhook secret (compared in constant time), then the parsed payload to `handle`. Answers 200 only once
 * `handle` resolved (for the server: the events are committed); the signature needs the whole body, so
 * everything the headers can refuse is refused first and the body is read within the server's body budget
 * (503 + Retry-After when it is full); a `handle` failure is a 500, so GitHub shows the
 * delivery as failed and it can be redelivered.
 *
 * Done here rather than by Probot's webhook middleware, which builds an authenticated Octokit for every delivery
 * (~8 % of the server's CPU per delivery in bench/server) that ingest never uses, and answers 202 after 9 s
 * whether or not the handler committed. The App itself (JWT, installation tokens, Octokit) is still Probot's.
 */
import { createHmac } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { timingSafeEqualText } from "../../src/webhooks/auth.js";
import { readBody } from "../../src/adapters/http-server/read-body.js";
import { sendBusy, sendError, sendErrorAndClose } from "../../src/adapters/http-server/respond.js";

export interface Delivery {
  name: string;
  id: string;
  payload: Record<string, unknown>;
  /** the body's text `payload` was parsed from */
  text: string;
}

export interface ReceiveOptions {
  secret: string;
  maxBodyBytes: number;
  handle(delivery: Delivery): Promise<void>;
  /** a handler failure (logged by the caller; the answer is a 500 either way) */
  onError(err: unknown, delivery: Delivery): void;
}

const REQUIRED = ["x-github-event", "x-github-delivery", "x-hub-signature-256"] as const;

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function tooLarge(res: ServerResponse, max: number): void {
  sendErrorAndClose(res, 413, "HOOKLINE_DELIVERY_TOO_LARGE", `a delivery may be at most ${max} bytes`);
}

export async function receiveDelivery(req: IncomingMessage, res: ServerResponse, o: ReceiveOptions): Promise<void> {
  if (req.method !== "POST") {
    sendErrorAndClose(res, 405, "HOOKLINE_METHOD_NOT_ALLOWED", "GitHub deliveries are POSTed", {}, { allow: "POST" });
    return;
  }
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    sendErrorAndClose(
      res,
      415,
      "HOOKLINE_DELIVERY_CONTENT_TYPE",
      `deliveries must be application/json (got ${JSON.stringify(type)}): set the App's webhook content type to JSON`,
    );
    return;
  }
  const missing = REQUIRED.filter((h) => header(req, h) === undefined);
  if (missing.length > 0) {
    sendErrorAndClose(
      res,
      400,
      "HOOKLINE_DELIVERY_HEADERS",
      `required headers missing: ${missing.join(", ")} (is a webhook secret set on the App?)`,
      { missing },
    );
    return;
  }
  // the signature is computed as the body arrives: one HMAC over 25 MiB at the end would hold the event loop
  const hmac = createHmac("sha256", o.secret);
  const read = await readBody(req, o.maxBodyBytes, (chunk) => hmac.update(chunk));
  if (!read.ok) {
    if (read.reason === "busy") sendBusy(res, read.retryAfterSeconds);
    else if (read.reason === "too-large") tooLarge(res, o.maxBodyBytes);
    else req.destroy();
    return;
  }
  const expected = `sha256=${hmac.digest("hex")}`;
  if (!timingSafeEqualText(header(req, "x-hub-signature-256")!, expected)) {
    sendError(
      res,
      401,
      "HOOKLINE_DELIVERY_SIGNATURE",
      "X-Hub-Signature-256 does not match the body and the App's webhook secret (WEBHOOK_SECRET)",
    );
    return;
  }
  const text = read.body.toString("utf8");
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    sendError(res, 400, "HOOKLINE_DELIVERY_JSON", "the delivery body is not valid JSON");
    return;
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    sendError(res, 400, "HOOKLINE_DELIVERY_JSON", "the delivery body is not a JSON object");
    return;
  }
  const delivery: Delivery = {
    name: header(req, "x-github-event")!,
    id: header(req, "x-github-delivery")!,
    payload: payload as Record<string, unknown>,
    text,
  };
  try {
    await o.handle(delivery);
  } catch (err) {
    o.onError(err, delivery);
    sendError(res, 500, "HOOKLINE_DELIVERY_FAILED", "the delivery could not be stored: GitHub can redeliver it");
    return;
  }
  if (!res.headersSent) {
    res.writeHead(200, { "content-type": "text/plain", "content-length": 3 });
    res.end("ok\n");
  }
}
