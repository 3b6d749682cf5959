/**
 * uuidv5 is RFC 4122's name-based SHA-1 UUID, byte for byte: every firing, firing event and origin id depends on
 * it staying the same across releases (stored ids, dedupe), whatever the hashing call or formatting underneath.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HOOKLINE_NAMESPACE, uuidv5 } from "../../src/events/uuid.js";

/** the RFC's construction, written plainly: SHA-1(namespace bytes + UTF-8 name), version 5, variant 10 */
function reference(name: string, namespace: string): string {
  const h = createHash("sha1")
    .update(Buffer.from(namespace.replace(/-/g, ""), "hex"))
    .update(name, "utf8")
    .digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

describe("uuidv5 (RFC 4122 version 5)", () => {
  it("gives the published vector for www.example.com in the DNS namespace", () => {
    expect(uuidv5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });

  it("hashes the UTF-8 of any name, short, empty, non-ASCII or longer than its reused buffer", () => {
    const names = ["", "firing\nauto\n0\nkey\nTriggered\n1714953600000\n", "ünïcødé ☃ 𝄞", "x".repeat(5000), "é".repeat(3000), "a"];
    for (const name of names) {
      expect(uuidv5(name)).toBe(reference(name, HOOKLINE_NAMESPACE));
      expect(uuidv5(name, "6ba7b811-9dad-11d1-80b4-00c04fd430c8")).toBe(reference(name, "6ba7b811-9dad-11d1-80b4-00c04fd430c8"));
    }
  });

  it("returns independent strings: an earlier id is unchanged by later calls", () => {
    const first = uuidv5("one");
    const copy = `${first}`;
    uuidv5("two");
    expect(first).toBe(copy);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
