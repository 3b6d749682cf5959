import { describe, expect, it } from "vitest";
import { cli, event, jsonl, tempDir, writeTemp } from "./run-cli.js";

const AUTOMATIONS = `automations:
  - name: echo
    trigger: {expect: "github.*"}
    actions:
      - {type: call-webhook, url: "https://hooks.example.com/x", body: "{{ event }}"}
`;

function simulate(events: string) {
  const dir = tempDir();
  return cli(["simulate", "--automations", writeTemp(dir, "a.yaml", AUTOMATIONS), "--events", writeTemp(dir, "e.jsonl", events)]);
}

describe("simulate with hostile event streams never crashes", () => {
  it("a 10 MB event line is rejected as too large, naming the line", () => {
    const big = event("github.push.pushed", "2024-05-01T12:00:00Z", {}, { payload: { blob: "x".repeat(10 * 1024 * 1024) } });
    const r = simulate(jsonl([big]));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/e\.jsonl:1: not a valid event: .*limit is 1500000/);
    expect(r.stderr).not.toContain("internal error");
  });

  it("a deeply nested payload is processed and rendered without a stack overflow", () => {
    const depth = 100_000;
    const nested = `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
    const line = JSON.stringify(event("github.push.pushed", "2024-05-01T12:00:00Z")).replace(/}$/, `,"payload":{"deep":${nested}}}`);
    const r = simulate(`${line}\n`);
    expect(r.stderr).not.toContain("internal error");
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => JSON.parse(l).kind)).toEqual(["firing", "action"]);
  });

  it("binary garbage and JSON that is not an object are errors with the line number", () => {
    expect(simulate("\u0000\u0001\u00ff garbage\n").stderr).toMatch(/e\.jsonl:1: not valid JSON/);
    expect(simulate("[1,2,3]\n").stderr).toMatch(/e\.jsonl:1: not a valid event/);
    expect(simulate("null\n").code).toBe(1);
  });

  it("a duplicated event (same id) fires once", () => {
    const e = event("github.push.pushed", "2024-05-01T12:00:00Z");
    const r = simulate(jsonl([e, e, { ...e, occurred: "2024-05-01T12:00:05Z" }]));
    expect(r.code).toBe(0);
    expect(r.lines.filter((l) => JSON.parse(l).kind === "firing")).toHaveLength(1);
  });

  it("prototype keys in events do not pollute anything", () => {
    const line = JSON.stringify(event("github.push.pushed", "2024-05-01T12:00:00Z")).replace(
      /}$/,
      ',"payload":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"x":1}}}}',
    );
    const r = simulate(`${line}\n`);
    expect(r.code).toBe(0);
    const action = JSON.parse(r.lines[1]!);
    expect(action.request.body.payload.polluted).toBeUndefined();
  });
});
