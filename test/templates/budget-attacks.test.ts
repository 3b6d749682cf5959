/**
 * Every filter's work counts against the render budget (SEMANTICS.md §7, issue 12 item 4): one hostile template
 * per attack family (nested loops × a filter over large data, amplification, sorting, serialization, coercion)
 * is aborted with a stable code, and a legitimate template of the same shape still renders. Rendered with the
 * static check (renderString), as automations and webhooks are; the runtime wall alone is pinned by limits.test.ts.
 */
import { describe, expect, it } from "vitest";
import { TemplateError, checkTemplate, renderString } from "../../src/templates/index.js";

function outcome(src: string, context: Record<string, unknown>): string {
  try {
    return renderString(src, context);
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return (err as TemplateError).code;
  }
}

const mapping = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `value ${n - i}`]));
let deep: unknown = { leaf: "x" };
for (let i = 0; i < 60; i++) deep = { a: deep, b: [1, 2, 3] };

/** large data a pusher can make an event carry (a 64 KB body, a 1,000-item list), and its small counterpart */
const big = {
  s: "lorem ipsum\n".repeat(5_461),
  tags: "<a".repeat(30_000),
  spaces: `a${" ".repeat(60_000)}a`,
  list: Array.from({ length: 1_000 }, (_, i) => ({ name: `n${i % 37}`, v: i })),
  strings: Array.from({ length: 1_000 }, (_, i) => `string number ${(i * 7919) % 1000}`),
  map: mapping(1_000),
  deep,
};
const small = {
  s: "lorem ipsum\n",
  tags: "<b>bold</b>",
  spaces: "a  b",
  list: [
    { name: "b", v: 2 },
    { name: "a", v: 1 },
  ],
  strings: ["b", "a"],
  map: mapping(2),
  deep: { a: { leaf: "x" } },
};

/** the body runs 10,000 times (the loop limits allow 100 × 100) */
const hostile = (body: string) => `{% for a in range(100) %}{% for b in range(100) %}${body}{% endfor %}{% endfor %}`;
/** the same body, a few times */
const legit = (body: string) => `{% for a in range(2) %}${body}{% endfor %}`;

const BUDGET = "HOOKLINE_TEMPLATE_BUDGET_EXCEEDED";
/** what the filter produces counts towards the 8 M characters one render may produce, which can stop it first */
const TOO_LARGE = "HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE";

/** family → [loop body, what the legitimate template renders, the hostile one's code when not the budget's] */
const FAMILIES: Record<string, [string, string, string?]> = {
  "upper/lower": ["{{ s | upper | length }}", "1212"],
  "capitalize/title": ["{{ s | title | length }}", "1212"],
  "escape/forceescape": ["{{ tags | forceescape | length }}", "2323"],
  selectattr: ['{{ list | selectattr("v") | length }}', "22"],
  "select (a test per item)": ['{{ list | select("defined") | length }}', "22"],
  "rejectattr/reject": ['{{ strings | reject("eq", "a") | length }}', "11"],
  sort: ["{{ strings | sort | first }}", "aa"],
  "sort(attribute)": ['{{ (list | sort(attribute="name") | first).v }}', "11"],
  dictsort: ['{{ map | dictsort(false, "value") | length }}', "22"],
  groupby: ['{{ list | groupby("name") | length }}', "22"],
  join: ['{{ strings | join(",") | length }}', "33"],
  "join(attribute)": ['{{ list | join(",", "name") | length }}', "33"],
  "tojson/dump": ["{{ list | tojson | length }}", "3939"],
  "tojson(indent) of deep data": ["{{ deep | tojson(10) | length }}", "6464"],
  batch: ["{{ strings | batch(1) | length }}", "22"],
  slice: ["{{ strings | slice(1000) | length }}", "10001000"],
  "list of a mapping": ["{{ map | list | length }}", "22"],
  reverse: ["{{ s | reverse | length }}", "1212"],
  "length of a mapping": ["{{ map | length }}", "22"],
  center: ["{{ s | center(10000) | length }}", "1000010000"],
  indent: ["{{ s | indent(100) | length }}", "112112"],
  "replace('', …)": ["{{ s | replace('', 'yy') | length }}", "3838"],
  "striptags (no >)": ["{{ tags | striptags | length }}", "44"],
  "striptags(true) (spaces)": ["{{ spaces | striptags(true) | length }}", "33"],
  trim: ["{{ spaces | trim | length }}", "44", TOO_LARGE],
  urlize: ["{{ s | urlize | length }}", "1212"],
  wordcount: ["{{ s | wordcount }}", "22"],
  truncate: ["{{ s | truncate(100000, true) | length }}", "1212", TOO_LARGE],
  urlencode: ["{{ map | urlencode | length }}", "2929"],
  "sum of strings": ["{{ strings | sum(start='') | length }}", "22", TOO_LARGE],
  "int of a list (coercion)": ["{{ strings | int(0) }}", "00"],
  "comparison of a list (coercion)": ["{% if strings < 1 %}y{% endif %}", ""],
  "arithmetic on a list (coercion)": ["{% if strings - 1 %}y{% endif %}", ""],
  "== on a list": ["{% if strings == 'x' %}y{% endif %}", ""],
  "in (substring)": ["{% if 'zz' in s %}y{% endif %}", ""],
  "in (list)": ["{% if 'x' in strings %}y{% endif %}", ""],
  "is lower": ["{% if s is lower %}y{% endif %}", "yy"],
  "is ge on a list": ["{% if strings is ge(1) %}y{% endif %}", ""],
  "~ concatenation": ["{{ (s ~ s) | length }}", "2424", TOO_LARGE],
  "range() calls": ["{{ range(100) | length }}", "100100"],
};

describe("every filter, test and operator charges the render budget", () => {
  for (const [family, [body, expected, code]] of Object.entries(FAMILIES)) {
    it(`${family}: 10,000 runs over large data are aborted; the same template over small data renders`, () => {
      expect(outcome(hostile(body), big)).toBe(code ?? BUDGET);
      expect(outcome(legit(body), small)).toBe(expected);
    });
  }

  it("the brief's template: validation refuses the doubling (file:line:col); over a 64 KB value, the same loops hit the budget", () => {
    const brief =
      '{% set s = "xxxxxxxxxxxxxxxx" %}{% for i in range(16) %}{% set s = s ~ s %}{% endfor %}{% for a in range(30) %}{% for b in range(30) %}{{ s | selectattr("q") | length }}{% endfor %}{% endfor %}';
    const problems = checkTemplate(brief);
    expect(problems[0]).toMatchObject({ code: "HOOKLINE_TEMPLATE_LIMIT", line: 1 });
    expect(problems[0]!.message).toContain("doubles");
    const loops = '{% for a in range(30) %}{% for b in range(30) %}{{ s | selectattr("q") | length }}{% endfor %}{% endfor %}';
    expect(outcome(loops, { s: "x".repeat(65_536) })).toBe(BUDGET);
    expect(outcome(loops, { s: "xyz" })).toBe("0".repeat(900));
  });

  it("a string of a million characters cannot be turned into a list (the list limit, before it is built)", () => {
    expect(outcome('{{ s | selectattr("q") | length }}', { s: "x".repeat(1_000_000) })).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(outcome('{{ s | selectattr("q") | length }}', { s: "x".repeat(1_000) })).toBe("0");
  });

  it("a huge loop body (many statements run 10,000 times) is charged per syntax node", () => {
    expect(outcome(hostile("{% set x = 1 %}".repeat(3_000)), {})).toBe(BUDGET);
    expect(outcome(legit("{% set x = 1 %}".repeat(3_000)), {})).toBe("");
  });

  it("a list of references to one large string is measured before it is printed (no gigabyte is built)", () => {
    const src = "{% set l = [s, s, s, s, s, s, s, s] %}{% set m = [l, l, l, l, l, l, l, l] %}{{ [m, m, m, m] | tojson | length }}";
    expect(outcome(src, { s: "x".repeat(100_000) })).toBe("HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE");
    expect(outcome(src, { s: "x" })).toBe(String(JSON.stringify(Array(4).fill(Array(8).fill(Array(8).fill("x")))).length));
  });

  it("the budget is deterministic: a template needs the same work units on every run (it renders at N, fails at N - 1)", () => {
    const src = legit("{{ list | selectattr('v') | join(',', 'name') }} {{ s | upper | length }}");
    const fits = (units: number) => {
      try {
        renderString(src, small, { workBudget: units });
        return true;
      } catch (err) {
        expect((err as TemplateError).code).toBe(BUDGET);
        return false;
      }
    };
    let lo = 1;
    let hi = 1_000_000;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (fits(mid)) hi = mid;
      else lo = mid + 1;
    }
    for (let run = 0; run < 3; run++) {
      expect(fits(lo)).toBe(true);
      expect(fits(lo - 1)).toBe(false);
    }
  });
});
