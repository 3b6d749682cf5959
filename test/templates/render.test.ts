import { describe, expect, it } from "vitest";
import { TemplateError, isTemplate, renderString, renderValue } from "../../src/templates/index.js";
import { cachedTemplateCount } from "../../src/templates/render.js";
import { sampleContext } from "./fixtures.js";

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(TemplateError);
    return err as TemplateError;
  }
  throw new Error("expected a TemplateError");
}

describe("isTemplate", () => {
  it("a string is a template when it holds {{ or {%", () => {
    expect(isTemplate("hi {{ x }}")).toBe(true);
    expect(isTemplate("{% if x %}y{% endif %}")).toBe(true);
    expect(isTemplate("plain { text } with braces")).toBe(false);
  });
});

describe("single-expression parameters keep their JSON type", () => {
  const ctx = sampleContext();
  it("an object stays an object, a number a number, a boolean a boolean, null null", () => {
    const out = renderValue(
      {
        e: "{{ event }}",
        n: "{{ event.payload.n }}",
        b: "{{ event.payload.flag }}",
        z: "{{ event.payload.nothing }}",
        l: "{{ event.payload.list }}",
      },
      ctx,
    ) as Record<string, unknown>;
    expect(out.e).toMatchObject({ id: "3f1c2b9e-5d4a-4c3b-9a8f-0e1d2c3b4a59", payload: { n: 42 } });
    expect(out.n).toBe(42);
    expect(out.b).toBe(true);
    expect(out.z).toBeNull();
    expect(out.l).toEqual([1, 2, 3]);
  });

  it("whitespace inside the braces is allowed; filters apply", () => {
    expect(renderValue("{{   event.payload.n   }}", ctx)).toBe(42);
    expect(renderValue("{{ event.payload.n + 1 }}", ctx)).toBe(43);
    expect(renderValue("{{ event.payload.list | length }}", ctx)).toBe(3);
  });

  it("returned objects are plain mutable copies, not the shared context", () => {
    const out = renderValue("{{ event.payload }}", ctx) as Record<string, unknown>;
    out.n = 1;
    expect(renderValue("{{ event.payload.n }}", ctx)).toBe(42);
  });

  it("a missing value in a single expression fails with HOOKLINE_TEMPLATE_MISSING_VALUE", () => {
    const e = errorOf(() => renderValue({ x: "{{ event.payload.nope }}" }, ctx));
    expect(e.code).toBe("HOOKLINE_TEMPLATE_MISSING_VALUE");
    expect(errorOf(() => renderValue("{{ nothing_here }}", ctx)).code).toBe("HOOKLINE_TEMPLATE_MISSING_VALUE");
  });

  it("a default makes a missing single expression render", () => {
    expect(renderValue("{{ event.payload.nope | default('n/a') }}", ctx)).toBe("n/a");
  });

  it("text around the expression makes it a text template", () => {
    expect(renderValue("n={{ event.payload.n }}", ctx)).toBe("n=42");
    expect(renderValue(" {{ event.payload.n }}", ctx)).toBe(" 42");
    expect(renderValue("{{ event.payload.n }}{{ event.payload.n }}", ctx)).toBe("4242");
  });
});

describe("text rendering", () => {
  const ctx = sampleContext();
  it("missing values render as an empty string, never 'undefined'", () => {
    expect(renderString("[{{ nope }}][{{ event.nope.deeper }}][{{ 'a' ~ nope ~ 'b' }}][{{ nope + 'x' }}]", ctx)).toBe("[][][ab][x]");
    expect(renderValue({ a: "x {{ nope }} y", b: ["{{ nope }} "] }, ctx)).toEqual({ a: "x  y", b: [" "] });
  });

  it("objects print as JSON, not [object Object]", () => {
    expect(renderString("{{ event.payload.sender }} {{ event.payload.list }}", ctx)).toBe('{"login":"octocat"} [1,2,3]');
  });

  it("autoescape is off: text is not HTML-escaped", () => {
    expect(renderString("{{ '<b>&' }}", ctx)).toBe("<b>&");
  });

  it("control flow, comparisons, tests and loops work", () => {
    const src =
      "{% if event.payload.n > 40 and 'CI' in workflow_run.name %}big{% else %}small{% endif %}" +
      "|{% for x in event.payload.list %}{{ loop.index }}:{{ x }}{% if not loop.last %},{% endif %}{% endfor %}" +
      "|{{ 4 is divisibleby(2) }}|{{ nope is defined }}|{{ event.payload.n if event.payload.flag else 0 }}" +
      "|{{ event.payload.nothing is none }}{{ event.payload.n is not none }}";
    expect(renderString(src, ctx)).toBe("big|1:1,2:2,3:3|true|false|42|truetrue");
  });

  it("for over a mapping gives keys with one name and (key, value) with two, own properties only", () => {
    expect(renderString("{% for k in event.payload.sender %}{{ k }}{% endfor %}", ctx)).toBe("login");
    expect(renderString("{% for k, v in workflow_run %}{{ k }}={{ v }};{% endfor %}", ctx)).toContain("name=CI;");
  });

  it("a mapping with a huge 'length' key is not iterated as an array", () => {
    expect(renderString("{% for x in m %}.{% endfor %}", { m: { length: 1e12 } })).toBe(".");
  });

  it("set and block set assign variables", () => {
    expect(renderString("{% set a = 2 %}{% set b %}x{{ a }}{% endset %}{{ a * 3 }}{{ b }}", ctx)).toBe("6x2");
  });

  it("renderValue leaves non-template strings and other values untouched", () => {
    const input = { s: "no template", n: 1, b: false, z: null, nested: { arr: ["a", 2] } };
    expect(renderValue(input, ctx)).toEqual(input);
  });

  it("renderString also applies the static check", () => {
    const e = errorOf(() => renderString("{{ event.constructor }}", ctx));
    expect(e.code).toBe("HOOKLINE_TEMPLATE_FORBIDDEN");
    expect(e.line).toBe(1);
  });

  it("a syntax error at render time carries line and column", () => {
    const e = errorOf(() => renderString("ok\n{% if %}", ctx));
    expect(e.code).toBe("HOOKLINE_TEMPLATE_SYNTAX");
    expect(e.line).toBe(2);
    expect(e.col).toBeGreaterThan(0);
  });

  it("a runtime error is a TemplateError with a stable code", () => {
    const e = errorOf(() => renderString("{{ event | dictsort }}{{ 5 | dictsort }}", ctx));
    expect(e.code).toBe("HOOKLINE_TEMPLATE_RENDER_FAILED");
  });
});

describe("compile cache", () => {
  it("each distinct template is compiled once", () => {
    const ctx = sampleContext();
    const src = `cache-probe {{ event.payload.n }} ${Math.PI}`;
    renderString(src, ctx);
    const after = cachedTemplateCount();
    for (let i = 0; i < 20; i++) expect(renderString(src, ctx)).toBe(`cache-probe 42 ${Math.PI}`);
    expect(cachedTemplateCount()).toBe(after);
  });

  it("the cache is bounded", () => {
    const ctx = sampleContext();
    for (let i = 0; i < 700; i++) renderString(`bounded {{ ${i} }}`, ctx);
    expect(cachedTemplateCount()).toBeLessThanOrEqual(500);
  });
});
