/**
 * Deterministic UUIDv5 (RFC 4122, SHA-1 of namespace bytes + name): every firing, firing event and origin id is one,
 * so this sits on the engine's per-firing path (bench/engine "firing": 70,608 firings, twice as many ids). The
 * platform's SHA-1 in one call (one-shot-hash.ts); the name is written after the namespace into one reused buffer
 * and the id is formatted from the digest through a byte table into one 36-byte buffer (no intermediate hex strings).
 */
import { digestBuffer } from "./one-shot-hash.js";

/** RFC 4122 namespace for hookline ids (a fixed random UUID). */
export const HOOKLINE_NAMESPACE = "6f1c3a52-2b8e-4c0e-9d7a-3e5b1f0a9c41";

const sha1 = (data: Buffer): Buffer => digestBuffer("sha1", data);

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

/** hookline's namespace as bytes, made once: every firing and firing event hashes it (bench/engine "firing") */
const NAMESPACE_BYTES = uuidBytes(HOOKLINE_NAMESPACE);

/** namespace (16 bytes) then the UTF-8 name; grown when a name does not fit (a UTF-16 unit is at most 3 bytes) */
let input = Buffer.allocUnsafe(1024);

/** the two ASCII hex digits of each byte value, as one 16-bit pair per byte (high digit first) */
const HEX = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  const d = (n: number): number => (n < 10 ? 48 + n : 87 + n); // 0-9, a-f
  HEX[i] = (d(i >> 4) << 8) | d(i & 15);
}
const out = Buffer.allocUnsafe(36);
out[8] = out[13] = out[18] = out[23] = 45; // "-"
/** digest byte i goes to output offset POS[i] (after the dashes of 8-4-4-4-12) */
const POS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** Deterministic UUIDv5 (SHA-1, name-based): the same name always gives the same id. */
export function uuidv5(name: string, namespace: string = HOOKLINE_NAMESPACE): string {
  const ns = namespace === HOOKLINE_NAMESPACE ? NAMESPACE_BYTES : uuidBytes(namespace);
  const max = ns.length + name.length * 3;
  if (input.length < max) input = Buffer.allocUnsafe(Math.max(max, input.length * 2));
  ns.copy(input, 0);
  const n = ns.length + input.write(name, ns.length, "utf8");
  const hash = sha1(input.subarray(0, n));
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  for (let i = 0; i < 16; i++) {
    const h = HEX[hash[i]!]!;
    const p = POS[i]!;
    out[p] = h >> 8;
    out[p + 1] = h & 0xff;
  }
  return out.toString("latin1", 0, 36);
}
