import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { validateEvent } from "../../src/events/event-schema.js";
import { cli, jsonl, tempDir, writeTemp } from "./run-cli.js";

const require = createRequire(import.meta.url);
type Examples = { name: string; examples: Record<string, unknown>[] }[];
const examples: Examples = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"));
const payload = (name: string, action?: string) =>
  examples.find((e) => e.name === name)!.examples.find((p) => action === undefined || p.action === action)!;

describe("hookline translate (DESIGN.md contract)", () => {
  it("prints {index, events} per line in input order, with schema-valid events", () => {
    const dir = tempDir();
    const input = writeTemp(
      dir,
      "in.jsonl",
      jsonl([
        { name: "workflow_run", delivery: "d-1", payload: payload("workflow_run", "completed") },
        { name: "push", delivery: "d-2", payload: payload("push") },
      ]),
    );
    const r = cli(["translate", input]);
    expect(r.code).toBe(0);
    const out = r.lines.map((l) => JSON.parse(l));
    expect(out.map((o) => o.index)).toEqual([0, 1]);
    expect(out[0].events[0].event).toMatch(/^github\.workflow-run\.[A-Z]/);
    expect(out[1].events[0].event).toMatch(/^github\.push\./);
    for (const o of out) for (const e of o.events) expect(validateEvent(e).ok).toBe(true);
  });

  it("a redelivery translates to the same event id", () => {
    const line = { name: "workflow_run", delivery: "same", payload: payload("workflow_run") };
    const out = cli(["translate", "-"], jsonl([line, line])).lines.map((l) => JSON.parse(l));
    expect(out[0].events[0].id).toBe(out[1].events[0].id);
  });

  it("skipped lines say why: ping, and lines that are not deliveries", () => {
    const out = cli(
      ["translate", "-"],
      jsonl([{ name: "ping", payload: payload("ping") }, { payload: {} }, [1], { name: "push" }]),
    ).lines.map((l) => JSON.parse(l));
    expect(out.map((o) => o.index)).toEqual([0, 1, 2, 3]);
    expect(out.every((o) => typeof o.skipped === "string" && o.skipped.length > 0)).toBe(true);
    expect(out[1].skipped).toContain('"name"');
    expect(out[3].skipped).toContain('"payload"');
  });

  it("a line that is not JSON exits 1 naming the line, and the other lines are still translated", () => {
    const r = cli(["translate", "-"], `{bad\n${JSON.stringify({ name: "push", payload: payload("push") })}\n`);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("-:1: not valid JSON");
    expect(JSON.parse(r.lines[0]!).index).toBe(1);
  });

  it("blank lines are ignored but still count for the index", () => {
    const out = cli(["translate", "-"], `\n${JSON.stringify({ name: "push", payload: payload("push") })}\n`).lines.map((l) =>
      JSON.parse(l),
    );
    expect(out).toHaveLength(1);
    expect(out[0].index).toBe(1);
  });

  it("bad usage exits 2", () => {
    expect(cli(["translate"]).code).toBe(2);
    expect(cli(["translate", "a", "b"]).code).toBe(2);
    expect(cli(["translate", "/nonexistent/file.jsonl"]).code).toBe(2);
    expect(cli(["translate", "--nope", "-"]).code).toBe(2);
  });
});

describe("hookline translate --events-only", () => {
  it("prints one standard event per line, ready to pipe into simulate", () => {
    const r = cli(
      ["translate", "--events-only", "-"],
      jsonl([
        { name: "ping", payload: payload("ping") },
        { name: "workflow_run", delivery: "d-1", payload: payload("workflow_run", "completed") },
      ]),
    );
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    expect(validateEvent(JSON.parse(r.lines[0]!)).ok).toBe(true);
  });
});
