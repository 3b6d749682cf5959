import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { isMap, isSeq, parseDocument, type Node } from "yaml";
import { describe, expect, it } from "vitest";
import { loadAutomations } from "../../src/automations/index.js";
import { loadFast } from "../../src/automations/fast-load.js";
import { fastParseYaml } from "../../src/automations/fast-yaml.js";
import { renderValue, TemplateError } from "../../src/templates/index.js";
// @ts-expect-error: a plain .mjs module of the benchmark
import { automationsYaml } from "../../bench/action/automations.mjs";
import { yaml } from "./helpers.js";

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/^automations.*\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

const positioned = (text: string) => loadAutomations(text, "f.yaml", { fastPath: false });
const fast = (text: string) => loadFast(text, "f.yaml", {});

/** what yaml itself makes of the text, as the positioned path reads it */
function reference(text: string): { data: unknown; ok: boolean; doc: ReturnType<typeof parseDocument> } {
  const doc = parseDocument(text, { prettyErrors: false, merge: true, uniqueKeys: true, strict: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) return { data: undefined, ok: false, doc };
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), ok: true, doc };
  } catch {
    return { data: undefined, ok: false, doc };
  }
}

/** fastParseYaml either refuses, or gives yaml's value (same types, same key order) and yaml's node offsets */
function expectSameAsYaml(text: string): boolean {
  const mine = fastParseYaml(text);
  if (mine === null) return false;
  const ref = reference(text);
  expect(ref.ok, `yaml rejects what the fast reader took: ${JSON.stringify(text)}`).toBe(true);
  expect(mine.data, JSON.stringify(text)).toStrictEqual(ref.data);
  expect(JSON.stringify(mine.data)).toBe(JSON.stringify(ref.data));
  const visit = (node: unknown, value: unknown): void => {
    if (isMap(node)) {
      expect(mine.offsets.get(value as object), `mapping offset in ${JSON.stringify(text)}`).toBe((node as Node).range![0]);
      for (const pair of node.items) visit(pair.value, (value as Record<string, unknown>)[String((pair.key as { value: unknown }).value)]);
    } else if (isSeq(node)) {
      expect(mine.offsets.get(value as object), `sequence offset in ${JSON.stringify(text)}`).toBe((node as Node).range![0]);
      node.items.forEach((item, i) => visit(item, (value as unknown[])[i]));
    }
  };
  visit(ref.doc.contents, mine.data);
  return true;
}

const TRICKY_VALID = [
  yaml`
    # a comment first
    notifiers:
      ops: {type: slack, channel: "#ops", token_env: SLACK_BOT_TOKEN}   # trailing comment
      mail:
        type: email
        to: [a@example.com, "b@example.com"]
    automations:
    - name: 'it''s "quoted"'
      description: "tab\\tand \\u00e9 and \\"quotes\\" and a \\\\ backslash"
      enabled: true
      trigger:
        expect: [github.workflow-run.Failed, 'github.workflow-run.TimedOut']
        match:
          "github.workflow": CI # comment
          github.branch: release/*
        match_related: {prefect.resource.role: actor, prefect.resource.name: ["dependabot[bot]", x]}
        for_each: [related:actor:prefect.resource.name]
        threshold: 3
        within: 30m

      actions:
      -   type: send-notification
          notifier: ops
          subject: deploy.yml#1 failed, see {{ event.id }}
          body: |
            line one: {{ event.event }}
              indented # not a comment

            after a blank line
      - type: send-notification
        notifier: mail
        body: >-
          folded {{ x }}
          onto one line
      - {type: rerun-workflow-run, failed_jobs_only: false, max_retries: 0, timeout: 90}
      - type: call-webhook
        url: https://example.com/hook?a=b#frag
        headers: {x-a: "1"}
        body:
          nested: [1, 22, {deep: [a, b]}]
          empty_list: []
          empty_map: {}
          nothing:
          tilde_string: "~"
    - name: ünïcödé 😀
      trigger:
        type: sequence
        triggers:
          - expect: a.b.c
          - {expect: d.e.f, match: {github.workflow: "x: y"}}
      actions_on_trigger:
        - type: do-nothing
  `,
  "automations:\n  - name: a\n    trigger: {expect: x.y}\n    actions:\n      - type: comment\n        body: |-\n          last value of the file\n",
];

const REFUSED = [
  ["anchors and aliases", "automations:\n  - &a\n    name: a\n    trigger: {expect: x}\n  - *a\n"],
  ["a merge key", "x: &d {a: 1}\ny:\n  <<: *d\n"],
  ["a tag", "automations: !!seq []\n"],
  ["tabs", "automations:\n\t- name: a\n"],
  ["CRLF", "automations:\r\n  - name: a\r\n"],
  ["a document marker", "---\nautomations: []\n"],
  ["two documents", "a: 1\n---\nb: 2\n"],
  ["a multi-line plain scalar", "a: one\n  two\n"],
  ["a multi-line quoted scalar", 'a: "one\n  two"\n'],
  ["a multi-line flow collection", "a: [1,\n  2]\n"],
  ["a duplicate key", "a: 1\na: 2\n"],
  ["__proto__", "__proto__: {x: 1}\n"],
  ["a non-string key", "1: a\n"],
  ["a float", "a: 1.5\n"],
  ["a YAML-only escape", 'a: "\\x41"\n'],
  ["a keep-chomped block scalar", "a: |+\n  x\n\nb: 1\n"],
  ["a folded scalar with a blank line", "a: >\n  x\n\n  y\nb: 1\n"],
  ["a block scalar at the very end without a newline", "a: |\n  x"],
  ["bad indentation", "a:\n   b: 1\n  c: 2\n"],
  ["a top-level list", "- a\n- b\n"],
  ["a nested mapping in a compact one", "a: b: c\n"],
] as const;

describe("the loader's fast path", () => {
  it("gives the same config as the positioned path on every example and the benchmark file, and is taken for them", () => {
    const files = yamlFiles("examples");
    expect(files.length).toBeGreaterThan(3);
    let taken = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      const ref = positioned(text);
      expect(ref.config, file).not.toBeNull();
      expect(loadAutomations(text, file), file).toEqual(loadAutomations(text, file, { fastPath: false }));
      const f = fast(text);
      if (ref.problems.length > 0) expect(f, `${file} has warnings: the positioned path reports them`).toBeNull();
      else {
        expect(f, file).toEqual(ref);
        taken++;
      }
    }
    expect(taken).toBeGreaterThan(3);
    const bench = automationsYaml() as string;
    expect(fast(bench)).not.toBeNull();
    expect(fast(bench)).toEqual(positioned(bench));
  });

  it("reads quoting, escapes, flow collections, block scalars, comments and indentless lists like yaml, positions included", () => {
    for (const text of TRICKY_VALID) {
      expect(expectSameAsYaml(text), text).toBe(true);
      const ref = positioned(text);
      expect(ref.config).not.toBeNull();
      expect(ref.problems).toEqual([]);
      expect(fast(text)).toEqual(ref);
    }
  });

  it.each(REFUSED)("leaves %s to yaml", (_, text) => {
    expect(fastParseYaml(text)).toBeNull();
  });

  it("never reads a generated document differently from yaml (values, key order, offsets)", () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const scalars = [
      "a",
      "b c",
      "1",
      "007",
      "-1",
      "1.5",
      "0x1F",
      ".inf",
      "true",
      "True",
      "null",
      "~",
      "",
      "x: y",
      "x:y",
      "a #b",
      "a#b",
      "'it''s'",
      '"d\\"q"',
      '"\\x41"',
      "{a: 1}",
      "[a, [b, c]]",
      "[]",
      "{}",
      "[a, ]",
      "{a:b}",
      "&x a",
      "*x",
      "!t a",
      "- a",
      "-a",
      "?a",
      "{{ x }}",
      "é 😀",
      "a:",
      "30m",
      "12345678901234567890",
      "yes",
      "<<",
      "__proto__",
      "[x:y, b]",
      "[d[bot]]",
      "|",
      ">-",
      "|2",
    ];
    const keys = ["a", "b", "x y", '"q k"', "'s k'", "1", "true", "<<", "__proto__", "a:b", "-k", "a#b", "k"];
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const lines: string[] = [];
      const block = (depth: number, indent: number) => {
        const seq = rnd() < 0.35;
        for (let i = 0, count = 1 + Math.floor(rnd() * 3); i < count; i++) {
          const pad = " ".repeat(indent + (rnd() < 0.03 ? 1 : 0));
          const head = seq ? "-" : `${pick(keys)}:`;
          if (rnd() < 0.3 && depth < 4) {
            if (seq && rnd() < 0.5) {
              lines.push(`${pad}- ${pick(keys)}: ${pick(scalars)}`, `${pad}  ${pick(keys)}: ${pick(scalars)}`);
              continue;
            }
            lines.push(`${pad}${head}${rnd() < 0.1 ? " # c" : ""}`);
            if (rnd() < 0.1) lines.push("");
            if (!seq && rnd() < 0.2) lines.push(`${pad}- ${pick(scalars)}`, `${pad}- ${pick(scalars)}`);
            else block(depth + 1, indent + pick([2, 2, 4, 1]));
          } else {
            const v = pick(scalars);
            lines.push(`${pad}${head} ${v}`.trimEnd());
            if (/^[|>]/.test(v))
              for (let j = 0; j < 2; j++) lines.push(rnd() < 0.15 ? "" : `${" ".repeat(indent + 2)}${pick(["text", "# kept", "a: b"])}`);
          }
        }
      };
      block(0, 0);
      if (expectSameAsYaml(lines.join("\n") + (rnd() < 0.8 ? "\n" : ""))) accepted++;
    }
    expect(accepted).toBeGreaterThan(100);
  });

  it("an invalid file reports the same problems at the same positions with or without the fast path", () => {
    const invalid = [
      "automations:\n  - name: a\n    trigger: {expect: x.y}\n    actions:\n      - type: send-notification\n        notifier: nope\n        body: hi\n",
      "automations:\n  - name: a\n    trigger: {expect: x.y, posture: Sometimes}\n",
      'automations:\n  - name: a\n    trigger: {expect: x.y}\n    actions:\n      - type: comment\n        body: "{{ x.__class__ }}"\n',
      "automations:\n  - name: a\n    trigger: {expect: x.y}\n  - name: a\n    trigger: {expect: x.y}\n",
      "automations:\n  - name: a\n    trigger: {expect: [a.b, '!c.d']}\n",
      "automations: []\n",
      "notifiers:\n  ops: {type: slack, channel: x, token: xoxb-1}\nautomations: []\n",
      "a: 1\na: 2\n",
    ];
    for (const text of invalid) {
      const ref = positioned(text);
      expect(ref.problems.length, text).toBeGreaterThan(0);
      expect(fast(text), text).toBeNull();
      expect(loadAutomations(text, "f.yaml"), text).toEqual(ref);
    }
  });
});

describe("lazy template checks (the runtimes)", () => {
  const withTemplate = (body: string) =>
    `automations:\n  - name: a\n    trigger: {expect: x.y}\n    actions:\n      - type: comment\n        body: ${JSON.stringify(body)}\n`;

  it("`templates: lazy` loads a file whose template the static check refuses, and its first render refuses it", () => {
    const text = withTemplate("{{ x.__class__ }}");
    expect(loadAutomations(text, "f.yaml").config).toBeNull();
    expect(loadAutomations(text, "f.yaml").problems.map((p) => p.code)).toContain("HOOKLINE_TEMPLATE_FORBIDDEN");
    const lazy = loadAutomations(text, "f.yaml", { templates: "lazy" });
    expect(lazy.problems).toEqual([]);
    const body = lazy.config!.automations[0]!.actions[0]!.params.body;
    expect(() => renderValue(body, {} as never)).toThrow(TemplateError);
    try {
      renderValue(body, {} as never);
    } catch (e) {
      expect((e as TemplateError).code).toBe("HOOKLINE_TEMPLATE_FORBIDDEN");
    }
  });

  it("`templates: lazy` changes nothing else: the same config, and other problems are still reported", () => {
    for (const file of yamlFiles("examples")) {
      const text = readFileSync(file, "utf8");
      expect(loadAutomations(text, file, { templates: "lazy" }), file).toEqual(loadAutomations(text, file));
    }
    const bad = withTemplate("{{ x.__class__ }}").replace("expect: x.y", "expect: x.y, posture: Sometimes");
    expect(loadAutomations(bad, "f.yaml", { templates: "lazy" }).problems.map((p) => p.code)).toEqual(["HOOKLINE_INVALID_VALUE"]);
  });
});
