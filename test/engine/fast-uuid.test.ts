import { describe, expect, it } from "vitest";
import { uuidv5 } from "../../src/events/uuid.js";
import { fastUuidv5 } from "../../src/engine/fast-uuid.js";

describe("fastUuidv5", () => {
  it("gives exactly uuidv5's result for short, long, block-boundary and non-ASCII names", () => {
    const names = [
      "",
      "a",
      "firing\nautomation\n$\nkey",
      "x".repeat(39),
      "x".repeat(40),
      "x".repeat(47),
      "x".repeat(48),
      "y".repeat(55),
      "z".repeat(1000),
      "héllo wörld ✓ 🎉",
      "\u0000\uffff",
      "é".repeat(2000),
    ];
    for (let n = 0; n < 130; n++) names.push("q".repeat(n));
    for (const name of names) expect(fastUuidv5(name)).toBe(uuidv5(name));
  });
});
