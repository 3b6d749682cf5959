import { afterEach, describe, expect, it } from "vitest";
import { TemplateError, checkTemplate } from "../../src/templates/index.js";
import { renderUnchecked } from "../../src/templates/render.js";
import { sampleContext } from "./fixtures.js";

/** Each payload would set globalThis.__hooklinePwned (or leak a function) if it reached code. */
const SET = `globalThis.__hooklinePwned=1`;
const ATTEMPTS: string[] = [
  // constructor chains from every global / helper nunjucks knows
  `{{ range.constructor("${SET}")() }}`,
  `{{ cycler.constructor("${SET}")() }}`,
  `{{ joiner.constructor("${SET}")() }}`,
  `{{ lipsum.constructor("${SET}")() }}`,
  `{{ caller.constructor("${SET}")() }}`,
  `{% for i in [1] %}{{ loop.constructor.constructor("${SET}")() }}{% endfor %}`,
  `{{ [].constructor.constructor("${SET}")() }}`,
  `{{ "".constructor.constructor("${SET}")() }}`,
  `{{ {}.constructor.constructor("${SET}")() }}`,
  `{{ (1).constructor.constructor("${SET}")() }}`,
  `{{ event.constructor.constructor("${SET}")() }}`,
  `{{ event.constructor }}`,
  `{{ event["constructor"] }}`,
  `{{ event.payload.list.constructor }}`,
  `{{ (event.payload | list | first).constructor }}`,
  `{{ (event | upper).constructor }}`,
  `{{ r/a/.constructor }}`,
  // prototypes
  `{{ event.__proto__ }}`,
  `{{ event["__proto__"]["constructor"]["constructor"]("${SET}")() }}`,
  `{{ event.__proto__.__defineGetter__ }}`,
  `{{ event.prototype }}`,
  `{{ [].prototype }}`,
  `{{ event.__lookupGetter__ }}`,
  `{{ "".__class__.__mro__[1].__subclasses__() }}`,
  `{{ self._TemplateReference__context }}`,
  `{{ config.__class__.__init__.__globals__ }}`,
  // method calls on values (nunjucks lets "a".toUpperCase() through)
  `{{ "a".toUpperCase() }}`,
  `{{ event.toString() }}`,
  `{{ event.hasOwnProperty("id") }}`,
  `{{ event.payload.list.map("${SET}") }}`,
  `{{ "a".constructor.fromCharCode(97) }}`,
  `{{ range(3).join.call(1) }}`,
  `{{ range.call(null, 3) }}`,
  `{{ cycler(1, 2).next() }}`,
  `{{ joiner()() }}`,
  `{{ lipsum() }}`,
  `{{ caller() }}`,
  `{{ process.exit(1) }}`,
  `{{ require("child_process") }}`,
  `{{ globalThis }}`,
  // functions as values
  `{% set f = range %}{{ f.constructor("${SET}")() }}`,
  `{% set f = range %}{{ f(3) }}`,
  `{{ range }}`,
  // dynamic keys that evaluate to "constructor"
  `{% set k = "constructor" %}{{ range[k][k]("${SET}")() }}`,
  `{% set k = "con" ~ "structor" %}{{ event[k][k]("${SET}")() }}`,
  `{% set k = "con" + "structor" %}{{ event[k] }}`,
  `{% set k = "CONSTRUCTOR" | lower %}{{ event[k][k] }}`,
  `{% set k = "rotcurtsnoc" | reverse %}{{ event[k][k] }}`,
  `{% set k = " constructor " | trim %}{{ event[k] }}`,
  `{% set k %}constructor{% endset %}{{ event[k][k] }}`,
  `{% for k in ["con" ~ "structor"] %}{{ event[k] }}{% endfor %}`,
  `{% for k in ["constructor"] %}{{ event[k] }}{% endfor %}`,
  `{{ event["con" ~ "structor"] }}`,
  `{{ event[("constructor")] }}`,
  `{% set k = "__proto__" %}{{ event[k] }}`,
  // filters that read attributes
  `{{ event.payload.list | join(",", "constructor") }}`,
  `{{ event.related | sort(attribute="__proto__") }}`,
  `{{ event.related | groupby("constructor") }}`,
  `{{ event.related | selectattr("__proto__") }}`,
  `{{ event.related | sum("constructor") }}`,
  `{{ event | attr("constructor") }}`,
  `{{ event | unknownfilter }}`,
  `{{ event | random }}`,
  `{{ 1 is '",${SET},"' }}`,
  `{{ 1 is constructor }}`,
  // breaking out of nunjucks' generated code (compile-time injection on 3.2.4)
  '{{ x"&&Function`globalThis\\x2e__hooklinePwned\\x3d1```&&" }}',
  '{{ x"];globalThis.__hooklinePwned=1;[" }}',
  `{{ a['\\\\",${SET},//']() }}`,
  '{{ event | x"&&Function`globalThis\\x2e__hooklinePwned\\x3d1```&&" }}',
  // prototype pollution through literals and assignments
  `{{ { "__proto__": { "polluted": 1 } } }}`,
  `{{ { __proto__: { "polluted": 1 } } | tojson }}`,
  `{% set d = { "__proto__": { "polluted": 1 } } %}{{ d.polluted }}`,
  `{% set __proto__ = 1 %}`,
  `{% set constructor = 1 %}`,
  `{% set event.__proto__ = 1 %}`,
  `{% for __proto__ in [1] %}{% endfor %}`,
  `{% set loop = 1 %}`,
  // template loading and code-defining tags
  `{% include "/etc/passwd" %}`,
  `{% import "x.njk" as x %}`,
  `{% from "x.njk" import y %}`,
  `{% extends "base.njk" %}`,
  `{% block b %}x{% endblock %}`,
  `{% macro m() %}x{% endmacro %}{{ m.constructor.constructor("${SET}")() }}`,
  `{% call range(1) %}x{% endcall %}`,
  `{% filter upper %}x{% endfilter %}`,
  `{% asyncEach x in [1] %}{{ x }}{% endeach %}`,
  `{% asyncAll x in [1] %}{{ x }}{% endall %}`,
  `{% ifAsync true %}x{% endif %}`,
  `{% switch 1 %}{% case 1 %}x{% endswitch %}`,
  // regular expressions (ReDoS)
  `{{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" | replace(r/(a+)+$/, "") }}`,
];

const LEAKS = /native code|function|=>|\[object|process|globalThis/i;

afterEach(() => {
  expect((globalThis as Record<string, unknown>).__hooklinePwned).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
});

describe("escape attempts are refused by the static check", () => {
  it.each(ATTEMPTS)("checkTemplate rejects %s", (source) => {
    const problems = checkTemplate(source);
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p.code).toMatch(/^HOOKLINE_TEMPLATE_/);
  });
});

describe("escape attempts fail or render harmlessly even without the static check", () => {
  it.each(ATTEMPTS)("the runtime path holds for %s", (source) => {
    const context = sampleContext();
    let out: unknown;
    try {
      out = renderUnchecked(source, context);
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      expect((err as TemplateError).code).toMatch(/^HOOKLINE_TEMPLATE_/);
      return;
    }
    expect(typeof out).toBe("string");
    expect(out as string).not.toMatch(LEAKS);
  });

  it.each(ATTEMPTS.filter((s) => s.startsWith("{{") && s.endsWith("}}")))("the value (single-expression) path holds for %s", (source) => {
    let out: unknown;
    try {
      out = renderUnchecked(source, sampleContext(), "auto");
    } catch (err) {
      expect(err).toBeInstanceOf(TemplateError);
      return;
    }
    expect(typeof out).not.toBe("function");
    expect(JSON.stringify(out) ?? "").not.toMatch(LEAKS);
  });
});

describe("inert text", () => {
  it("raw blocks print their content as text and never evaluate it", () => {
    expect(checkTemplate(`{% raw %}{{ range.constructor("${SET}")() }}{% endraw %}`)).toEqual([]);
    expect(renderUnchecked(`{% raw %}{{ x.constructor }}{% endraw %}`, sampleContext())).toBe("{{ x.constructor }}");
  });

  it("a context value holding template syntax is data, not a template", () => {
    const out = renderUnchecked("{{ event.payload.s }}", { event: { payload: { s: `{{ range.constructor("${SET}")() }}` } } });
    expect(out).toBe(`{{ range.constructor("${SET}")() }}`);
  });

  it("data keys named like prototype members are readable only as own data", () => {
    const ctx = { d: { constructor: "c", __proto__x: 1, toString: "own", valueOf: 5 } };
    expect(renderUnchecked("{{ d.toString }}|{{ d.valueOf }}|{{ d.hasOwnProperty }}", ctx)).toBe("own|5|");
  });
});
