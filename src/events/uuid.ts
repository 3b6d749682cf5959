import { createHash } from "node:crypto";

/** RFC 4122 namespace for hookline ids (a fixed random UUID). */
export const HOOKLINE_NAMESPACE = "6f1c3a52-2b8e-4c0e-9d7a-3e5b1f0a9c41";

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

/** hookline's namespace as bytes, made once: every firing and firing event hashes it (bench/engine "firing") */
const NAMESPACE_BYTES = uuidBytes(HOOKLINE_NAMESPACE);

/** Deterministic UUIDv5 (SHA-1, name-based): the same name always gives the same id. */
export function uuidv5(name: string, namespace: string = HOOKLINE_NAMESPACE): string {
  const hash = createHash("sha1")
    .update(namespace === HOOKLINE_NAMESPACE ? NAMESPACE_BYTES : uuidBytes(namespace))
    .update(name, "utf8")
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const h = hash.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
