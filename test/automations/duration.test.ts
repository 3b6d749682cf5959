import { describe, expect, it } from "vitest";
import { parseDuration } from "../../src/automations/index.js";

describe("parseDuration", () => {
  const valid: [unknown, number][] = [
    [0, 0],
    [30, 30],
    [1.5, 1.5],
    ["45", 45],
    ["30s", 30],
    ["5m", 300],
    ["2h", 7200],
    ["1d", 86_400],
    ["1h30m", 5400],
    ["PT30M", 1800],
    ["P1D", 86_400],
    ["PT1H30M", 5400],
    ["PT10S", 10],
    ["P1DT2H", 93_600],
    ["P1W", 604_800],
    ["pt5m", 300],
    ["PT0.5S", 0.5],
    [" 5m ", 300],
  ];
  it.each(valid)("reads %j as %d seconds", (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });

  const invalid: unknown[] = [
    -1,
    "-5s",
    "-PT5M",
    "P",
    "PT",
    "P1DT",
    "P1Y",
    "P1M",
    "5 minutes",
    "5M",
    "1x",
    "",
    "s",
    NaN,
    Infinity,
    null,
    undefined,
    true,
    [5],
    { seconds: 5 },
    "9".repeat(30) + "d",
  ];
  it.each(invalid.map((v) => [v]))("rejects %j (negative, malformed or not a duration)", (input) => {
    expect(parseDuration(input)).toBeNull();
  });
});
