/**
 * Event ids are UUIDv5, never random, so a redelivery is the same event (ingest is idempotent on the id):
 * - with a delivery id (X-GitHub-Delivery): uuidv5(`github.delivery:<delivery>`), and for the n-th extra event of
 *   the same delivery (n ≥ 1) uuidv5(`github.delivery:<delivery>#<n>`);
 * - without one: uuidv5 of a stable key: `github.payload:<name>:<action>:<sha1 of the payload as canonical JSON>`.
 *   Equal payloads (whatever their key order) give the same id; any change in the payload gives another.
 */
import { createHash } from "node:crypto";
import { uuidv5 } from "../events/uuid.js";
import { canonicalJson } from "./json-value.js";
import { textAt, type JsonObject } from "./read.js";

export function deliveryKey(delivery: string): string {
  return `github.delivery:${delivery}`;
}

export function payloadKey(name: string, payload: JsonObject): string {
  const digest = createHash("sha1").update(canonicalJson(payload), "utf8").digest("hex");
  return `github.payload:${name}:${textAt(payload, "action") ?? ""}:${digest}`;
}

export function eventIdOf(key: string, index = 0): string {
  return uuidv5(index === 0 ? key : `${key}#${index}`);
}
