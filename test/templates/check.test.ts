import { describe, expect, it } from "vitest";
import { checkTemplate } from "../../src/templates/index.js";

describe("checkTemplate", () => {
  it("ordinary automation templates pass", () => {
    const ok = [
      "Run {{ workflow_run.name }} on {{ labels['github.branch'] }} failed: {{ event | ui_url }}",
      "{% if event.payload.n > 1 %}many{% elif event.payload.n == 1 %}one{% else %}none{% endif %}",
      "{% for e in events %}{{ loop.index }}. {{ e.event }}{% if not loop.last %}\n{% endif %}{% endfor %}",
      "{% for k, v in labels | dictsort %}{{ k }}={{ labels[k] }} {% endfor %}",
      "{% set n = events | length %}{{ n }} event{{ '' if n == 1 else 's' }}",
      "{{ event.payload['some-key'][0].x | default('?') | truncate(20) }}",
      "{% for i in range(1, 4) %}{{ event.payload.list[i - 1] }}{% endfor %}",
      "{# a comment #}{{ automation.name ~ ': ' ~ (firing.at | string) }}",
      "{{ event.payload.x is defined and event.payload.x is not none }}",
      "{{ (events | first).resource['prefect.resource.id'] }}",
    ];
    for (const src of ok) expect(checkTemplate(src), src).toEqual([]);
  });

  it("a syntax error is one problem with a 1-based line and column", () => {
    const problems = checkTemplate("hello\n\n  {{ event.payload. }}");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "HOOKLINE_TEMPLATE_SYNTAX", line: 3 });
    expect(problems[0]!.col).toBeGreaterThan(0);
    expect(checkTemplate("{% for x in y %}no end")[0]?.code).toBe("HOOKLINE_TEMPLATE_SYNTAX");
    expect(checkTemplate("{{ 'unterminated }}")[0]?.code).toBe("HOOKLINE_TEMPLATE_SYNTAX");
  });

  it("every problem is reported with its position inside the template", () => {
    const problems = checkTemplate("a {{ x.constructor }}\nb {{ y | nope }}\n   {% include 'z' %}");
    expect(problems.map((p) => [p.line, p.col])).toEqual([
      [1, 8],
      [2, 10],
      [3, 7],
    ]);
    for (const p of problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it("the number of problems reported is bounded", () => {
    expect(checkTemplate("{{ a.constructor }}".repeat(100))).toHaveLength(20);
  });

  it("a non-string template is a problem, not a crash", () => {
    expect(checkTemplate(42 as unknown as string)).toHaveLength(1);
  });

  it("computed lookup keys are refused, plain variables and loop variables are fine", () => {
    expect(checkTemplate("{{ a[b] }}{% for k in x %}{{ a[k] }}{{ a[loop.index0] }}{% endfor %}")).toEqual([]);
    expect(checkTemplate("{{ a[b ~ c] }}")[0]?.message).toContain("computed lookup key");
    expect(checkTemplate("{% set b = x | upper %}{{ a[b] }}")[0]?.message).toContain("computed lookup key");
  });
});

describe("checkTemplate results are kept by template text", () => {
  it("a repeated template gets the same problems, and a caller changing them does not change the next answer", () => {
    const bad = "{{ x.__proto__ }} {{ y | nosuchfilter }}";
    const first = checkTemplate(bad);
    expect(first.length).toBeGreaterThan(0);
    first[0]!.message = "changed";
    first.push({ code: "HOOKLINE_TEMPLATE", message: "extra" } as never);
    const again = checkTemplate(bad);
    expect(again).not.toBe(first);
    expect(again.map((p) => p.message)).not.toContain("changed");
    expect(again).toHaveLength(first.length - 1);
    expect(checkTemplate("{{ repository.full_name }}")).toEqual([]);
  });
});
