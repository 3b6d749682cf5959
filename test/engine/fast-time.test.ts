import { describe, expect, it } from "vitest";
import { timeOf } from "../../src/engine/fast-time.js";

describe("timeOf", () => {
  it("agrees with Date.parse on canonical and other ISO forms", () => {
    const xs = [
      "2024-01-01T00:00:00.000Z",
      "2024-02-29T23:59:59.999Z",
      "2024-12-31T12:34:56.789Z",
      "0050-06-15T01:02:03.004Z",
      "2024-01-31T00:00:00.000Z",
      "2024-01-01T01:00:00+01:00",
      "2024-01-01T00:00:00Z",
    ];
    for (const x of xs) expect(timeOf(x)).toBe(Date.parse(x));
  });
  it("an impossible day in the canonical form goes to Date.parse as before (which rolls it over)", () => {
    for (const x of ["2024-02-30T00:00:00.000Z", "2023-02-29T12:00:00Z", "2024-04-31T00:00:00.000Z"]) expect(timeOf(x)).toBe(Date.parse(x));
  });
  it("gives NaN for what is not a time", () => {
    for (const x of ["", "yesterday", "2024-13-01T00:00:00.000Z", "2024-01-01T00:61:00.000Z"]) expect(timeOf(x)).toBeNaN();
    expect(timeOf(undefined as unknown as string)).toBeNaN();
  });
});
