import { describe, expect, it } from "vitest";
import { TemplateError, checkTemplate, renderString, renderValue } from "../../src/templates/index.js";
import { renderUnchecked } from "../../src/templates/render.js";
import { sampleContext } from "./fixtures.js";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return (err as TemplateError).code;
  }
  return "no error";
}
const ctx = sampleContext();
const loops = (n: number) => Array.from({ length: n }, (_, i) => `{% for a${i} in [1] %}{% endfor %}`).join("");

describe("range", () => {
  it("range() up to 100 items renders", () => {
    expect(renderString("{{ range(100) | length }} {{ range(1, 201, 2) | length }} {{ range(5, 0, -1) | join(',') }}", ctx)).toBe(
      "100 100 5,4,3,2,1",
    );
  });
  it("range() of more than 100 items fails, counted before anything is built", () => {
    expect(codeOf(() => renderString("{{ range(101) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(codeOf(() => renderString("{{ range(0, 1000000000000000) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(codeOf(() => renderString("{{ range(-1000, 0) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
  });
  it("range() with a zero step or non-numbers fails", () => {
    expect(codeOf(() => renderString("{{ range(0, 5, 0) }}", ctx))).toBe("HOOKLINE_TEMPLATE_RENDER_FAILED");
    expect(codeOf(() => renderString("{{ range('x') }}", ctx))).toBe("HOOKLINE_TEMPLATE_RENDER_FAILED");
  });
});

describe("loops", () => {
  it("10 loops are allowed, 11 are refused by the check and by the compiler", () => {
    expect(checkTemplate(loops(10))).toEqual([]);
    expect(renderString(loops(10), ctx)).toBe("");
    const problems = checkTemplate(loops(11));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "HOOKLINE_TEMPLATE_LIMIT", line: 1 });
    expect(codeOf(() => renderUnchecked(loops(11), ctx))).toBe("HOOKLINE_TEMPLATE_FORBIDDEN");
  });

  it("nesting 2 is allowed, nesting 3 is refused by the check and by the compiler", () => {
    const two = "{% for a in [1, 2] %}{% for b in [3] %}{{ a }}{{ b }}{% endfor %}{% endfor %}";
    expect(checkTemplate(two)).toEqual([]);
    expect(renderString(two, ctx)).toBe("1323");
    const three = "{% for a in [1] %}{% for b in [1] %}\n  {% for c in [1] %}{% endfor %}{% endfor %}{% endfor %}";
    expect(checkTemplate(three)[0]).toMatchObject({ code: "HOOKLINE_TEMPLATE_LIMIT", line: 2, col: 6 });
    expect(codeOf(() => renderUnchecked(three, ctx))).toBe("HOOKLINE_TEMPLATE_FORBIDDEN");
  });

  it("loop iterations over large data are capped per render", () => {
    const big = { items: Array.from({ length: 25_000 }, (_, i) => i) };
    expect(codeOf(() => renderString("{% for i in items %}{% endfor %}", big))).toBe("HOOKLINE_TEMPLATE_LIMIT");
    const nested = "{% for a in items %}{% for b in items %}{% endfor %}{% endfor %}";
    expect(codeOf(() => renderString(nested, { items: Array.from({ length: 200 }, (_, i) => i) }))).toBe("HOOKLINE_TEMPLATE_LIMIT");
  });
});

describe("output size", () => {
  it("output up to 64 KB renders; beyond fails with HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE", () => {
    expect(renderString("{{ s }}", { s: "x".repeat(65_536) })).toHaveLength(65_536);
    expect(codeOf(() => renderString("{{ s }}", { s: "x".repeat(65_537) }))).toBe("HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE");
  });
  it("the limit counts UTF-8 bytes", () => {
    expect(codeOf(() => renderString("{{ s }}", { s: "é".repeat(40_000) }))).toBe("HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE");
  });
  it("literal text repeated by loops counts too", () => {
    const src = `{% for a in range(100) %}{% for b in range(100) %}${"y".repeat(100)}{% endfor %}{% endfor %}`;
    expect(codeOf(() => renderString(src, ctx))).toBe("HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE");
  });
  it("a single-expression string value is capped too", () => {
    expect(codeOf(() => renderValue("{{ s ~ s }}", { s: "x".repeat(40_000) }))).toBe("HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE");
  });
  it("doubling a string in a loop stops at the string limit instead of exhausting memory (runtime wall; validation refuses it too)", () => {
    const src = "{% set s = 'xxxxxxxxxxxxxxxx' %}{% for i in range(100) %}{% set s = s ~ s %}{% endfor %}{{ s | length }}";
    expect(codeOf(() => renderUnchecked(src, ctx))).toBe("HOOKLINE_TEMPLATE_OUTPUT_TOO_LARGE");
    const lists = "{% set l = [1, 2] %}{% for i in range(100) %}{% set l = l + l %}{% endfor %}{{ l | length }}";
    expect(codeOf(() => renderUnchecked(lists, ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
  });
  it("filters that could blow up a string are capped before they run", () => {
    const s = { s: "a".repeat(60_000) };
    expect(codeOf(() => renderString("{{ s | replace('', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx') | length }}", s))).toBe(
      "HOOKLINE_TEMPLATE_LIMIT",
    );
    expect(codeOf(() => renderString("{{ 'x' | center(1000000000) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(codeOf(() => renderString("{{ [1] | batch(1000000000, 0) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(codeOf(() => renderString("{{ [1] | slice(1000000000) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(codeOf(() => renderString("{{ 'a\\nb' | indent(1000000) }}", ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
  });
});

describe("template and parameter size", () => {
  it("a template longer than 64 KB is refused", () => {
    const src = `{{ x }}${"a".repeat(70_000)}`;
    expect(checkTemplate(src)[0]?.code).toBe("HOOKLINE_TEMPLATE_LIMIT");
    expect(codeOf(() => renderString(src, ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
  });
  it("absurdly deep template nesting is an error, not a crash", () => {
    const src = `{{ ${"(".repeat(5000)}1${")".repeat(5000)} }}`;
    expect(checkTemplate(src).length).toBeGreaterThan(0);
    expect(codeOf(() => renderString(src, ctx))).toMatch(/^HOOKLINE_TEMPLATE_/);
  });
  it("renderValue refuses parameter structures nested deeper than 64 levels", () => {
    let v: unknown = "{{ 1 }}";
    for (let i = 0; i < 100; i++) v = [v];
    expect(codeOf(() => renderValue(v, ctx))).toBe("HOOKLINE_TEMPLATE_LIMIT");
  });
});
