import { describe, expect, it } from "vitest";
import { loadAutomations, MAX_FILE_BYTES, MAX_NESTING_DEPTH } from "../../src/automations/index.js";
import { codes, errors, load, only, yaml } from "./helpers.js";

const VALID = yaml`
  automations:
    - name: failed runs
      trigger:
        expect: github.workflow-run.Failed
      actions:
        - type: do-nothing
`;

describe("bad input never crashes and points at the problem", () => {
  it("a YAML syntax error is reported with its line and column", () => {
    const r = load("automations:\n  - name: x\n    trigger: {expect: [a, b\n    actions: []\n");
    expect(r.config).toBeNull();
    const e = errors(r)[0]!;
    expect(e.code).toBe("HOOKLINE_YAML_SYNTAX");
    expect(e.line).toBeGreaterThanOrEqual(3);
    expect(e.col).toBeGreaterThanOrEqual(1);
  });

  it("tabs used as indentation are a syntax error on their line", () => {
    const r = load("automations:\n\t- name: x\n");
    expect(errors(r)[0]).toMatchObject({ code: "HOOKLINE_YAML_SYNTAX", line: 2 });
  });

  it("an empty file is an error, not an empty config", () => {
    for (const text of ["", "   \n\n", "# only a comment\n"]) {
      const r = load(text);
      expect(r.config).toBeNull();
      expect(only(r, "HOOKLINE_EMPTY_FILE")).toMatchObject({ line: 1, col: 1 });
    }
  });

  it("a file that is a list or a scalar is rejected with a hint", () => {
    const list = load("- name: x\n");
    expect(only(list, "HOOKLINE_NOT_A_MAPPING").hint).toContain("automations:");
    expect(only(load("hello\n"), "HOOKLINE_NOT_A_MAPPING").message).toContain("single value");
    expect(codes(load("42\n"))).toEqual(["HOOKLINE_NOT_A_MAPPING"]);
  });

  it("wrong types at the top level are errors at the offending value", () => {
    const r = load("automations: 5\nnotifiers: [a]\n");
    expect(r.config).toBeNull();
    expect(r.problems.map((p) => [p.code, p.line, p.col])).toEqual([
      ["HOOKLINE_INVALID_TYPE", 1, 14],
      ["HOOKLINE_INVALID_TYPE", 2, 12],
    ]);
    expect(r.problems[0]!.message).toBe("automations must be a list, not number `5`");
  });

  it("unknown top-level keys are errors with a did-you-mean hint", () => {
    const r = load(`${VALID}notifier:\n  ops: {type: slack, channel: "#ops"}\n`);
    expect(only(r, "HOOKLINE_UNKNOWN_FIELD")).toMatchObject({ line: 7, col: 1, hint: "did you mean `notifiers`?" });
  });

  it(`files over ${MAX_FILE_BYTES} bytes are rejected without parsing`, () => {
    const big = `${VALID}# ${"x".repeat(10 * 1024 * 1024)}\n`;
    const r = load(big);
    expect(r.config).toBeNull();
    expect(only(r, "HOOKLINE_FILE_TOO_LARGE")).toMatchObject({ line: 1, col: 1 });
    expect(r.problems[0]!.message).toContain("1 MiB");
  });

  it("the size limit counts UTF-8 bytes, and a file at the limit is still read", () => {
    const pad = (n: number) => `${VALID}#${"x".repeat(n - VALID.length - 2)}\n`;
    expect(load(pad(MAX_FILE_BYTES)).config).not.toBeNull();
    expect(codes(load(pad(MAX_FILE_BYTES + 1)))).toEqual(["HOOKLINE_FILE_TOO_LARGE"]);
    const multibyte = `${VALID}#${"é".repeat(MAX_FILE_BYTES / 2)}\n`; // fewer chars than the limit, more bytes
    expect(multibyte.length).toBeLessThan(MAX_FILE_BYTES);
    expect(codes(load(multibyte))).toEqual(["HOOKLINE_FILE_TOO_LARGE"]);
  });

  it("an alias bomb (billion laughs) is rejected at the first alias", () => {
    let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let prev = "a";
    for (const n of "bcdefghi") {
      text += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(",")}]\n`;
      prev = n;
    }
    const r = load(text);
    expect(r.config).toBeNull();
    expect(only(r, "HOOKLINE_YAML_ALIAS_LIMIT")).toMatchObject({ line: 2, col: 8 });
  });

  it("a few ordinary aliases and merge keys are fine, and errors inside them still have positions", () => {
    const r = load(yaml`
      x-defaults: &retry {max_retries: 5, retry_interval: 1m}
      automations:
        - name: a
          trigger: {expect: a.b.c}
          actions:
            - {type: do-nothing, <<: *retry}
    `);
    // x-defaults is not a known top-level key; the merged action is otherwise valid
    expect(codes(r)).toEqual(["HOOKLINE_UNKNOWN_FIELD"]);
    const ok = load(yaml`
      automations:
        - name: a
          trigger: &t {expect: a.b.c}
          actions:
            - &act {type: do-nothing, max_retries: 5}
        - name: b
          trigger: *t
          actions: [*act]
    `);
    expect(ok.problems).toEqual([]);
    expect(ok.config!.automations[1]!.actions[0]!.max_retries).toBe(5);
  });

  it("an undefined alias is an error, not a crash", () => {
    const r = load("automations: *nothing\n");
    expect(r.config).toBeNull();
    expect(errors(r).length).toBeGreaterThan(0);
  });

  it(`nesting deeper than ${MAX_NESTING_DEPTH} levels (here 1000) is rejected before composing`, () => {
    let block = "automations:\n";
    for (let i = 1; i <= 1000; i++) block += `${" ".repeat(i)}k:\n`;
    const r = load(block);
    expect(only(r, "HOOKLINE_YAML_TOO_DEEP").line).toBe(MAX_NESTING_DEPTH + 1);
    const flow = `automations: ${"[".repeat(1000)}${"]".repeat(1000)}\n`;
    expect(only(load(flow), "HOOKLINE_YAML_TOO_DEEP")).toMatchObject({ line: 1, col: 14 + MAX_NESTING_DEPTH - 1 }); // the top-level mapping is level 1
  });

  it("100,000 unclosed brackets are rejected quickly and the process stays healthy", () => {
    const r = load(`a: ${"[".repeat(100_000)}`);
    expect(codes(r)).toContain("HOOKLINE_YAML_TOO_DEEP");
    // a later, ordinary file still loads (a stack overflow inside the parser would poison later parses)
    expect(load(VALID).config).not.toBeNull();
  });

  it("deeply nested composite triggers within the limit load", () => {
    let trigger = "{expect: a.b.c}";
    for (let i = 0; i < 20; i++) trigger = `{type: compound, require: any, triggers: [${trigger}]}`;
    const r = load(`automations:\n  - name: deep\n    trigger: ${trigger}\n`);
    expect(r.problems).toEqual([]);
    let t = r.config!.automations[0]!.trigger;
    let depth = 0;
    while (t.type === "compound") {
      t = t.triggers[0]!;
      depth++;
    }
    expect(depth).toBe(20);
  });

  it("duplicate keys are errors at the second key", () => {
    const r = load(yaml`
      automations:
        - name: a
          name: b
          trigger: {expect: a.b.c}
    `);
    expect(r.config).toBeNull();
    expect(only(r, "HOOKLINE_DUPLICATE_KEY")).toMatchObject({ line: 3, col: 5 });
  });

  it("non-string keys are errors at the key", () => {
    const r = load(yaml`
      automations:
        - name: a
          trigger:
            expect: a.b.c
            match: {1: x, [a, b]: y, ~: z}
    `);
    expect(r.config).toBeNull();
    expect(r.problems.filter((p) => p.code === "HOOKLINE_NON_STRING_KEY").map((p) => [p.line, p.col])).toEqual([
      [5, 15],
      [5, 21],
      [5, 32],
    ]);
  });

  it("`__proto__` keys are rejected anywhere and never reach an object's prototype", () => {
    const r = load(yaml`
      automations:
        - name: a
          trigger:
            expect: a.b.c
            match: {__proto__: {polluted: "yes"}}
          actions:
            - type: run-workflow
              workflow: ci.yml
              inputs: {__proto__: {polluted: "yes"}}
    `);
    expect(r.config).toBeNull();
    expect(r.problems.filter((p) => p.code === "HOOKLINE_FORBIDDEN_KEY").map((p) => p.line)).toEqual([5, 9]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("several YAML documents in one file are an error", () => {
    const r = load(`${VALID}---\n${VALID}`);
    expect(r.config).toBeNull();
    expect(errors(r)[0]!.code).toBe("HOOKLINE_YAML_SYNTAX");
  });

  it("truncating a valid file anywhere never throws", () => {
    const text = yaml`
      notifiers:
        ops: {type: slack, channel: "#ops"}
      automations:
        - name: "failed {{ x }}"
          trigger:
            type: compound
            require: 2
            triggers:
              - {expect: "github.workflow-run.Failed", for_each: [a, b], within: PT5M}
              - {posture: Proactive, expect: x.y.z, within: 1m}
          actions:
            - {type: send-notification, notifier: ops, body: "hi {{ event.id }}"}
    `;
    for (let i = 0; i <= text.length; i++) {
      const r = loadAutomations(text.slice(0, i), "t.yaml");
      expect(Array.isArray(r.problems)).toBe(true);
      if (r.config === null) expect(errors(r).length).toBeGreaterThan(0);
      for (const p of r.problems) expect(p.line).toBeGreaterThanOrEqual(1);
    }
  });

  it("a non-string argument is reported, not thrown", () => {
    const r = loadAutomations(42 as unknown as string, "x.yaml");
    expect(r.config).toBeNull();
    expect(r.problems[0]!.file).toBe("x.yaml");
  });
});
