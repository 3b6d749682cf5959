import { describe, expect, it } from "vitest";
import { buildTemplateContext, checkTemplate, renderString, renderValue, uiUrl } from "../../src/templates/index.js";
import { firingFor, githubEvent, sampleContext } from "./fixtures.js";

describe("context", () => {
  const ctx = sampleContext();
  it("event, automation, firing and events are available", () => {
    expect(
      renderString("{{ event.event }}|{{ automation.name }}|{{ automation.description }}|{{ firing.id }}|{{ events | length }}", ctx),
    ).toBe("github.workflow-run.Failed|notify|tell the team|firing-1|1");
  });

  it("GitHub payload objects are at the top level, never overriding the reserved names", () => {
    expect(renderString("{{ workflow_run.conclusion }} {{ repository.full_name }} {{ sender.login }}", ctx)).toBe(
      "failure acme/app octocat",
    );
    expect(renderString("{{ event.spoofed }}|{{ labels.spoofed }}|{{ action }}", ctx)).toBe("||");
  });

  it("non-GitHub events do not put payload objects at the top level", () => {
    const event = githubEvent({ event: "slack.message.posted" });
    const c = buildTemplateContext({ event, automation: { name: "a" }, firing: firingFor(event) });
    expect(renderString("[{{ workflow_run.name }}]", c)).toBe("[]");
  });

  it("firings lists the firing first, then child firings newest first", () => {
    const old = firingFor(null, { id: "old", at: "2024-05-01T10:00:00Z" });
    const newer = firingFor(null, { id: "newer", at: "2024-05-01T11:00:00Z" });
    const parent = firingFor(null, { id: "parent", child_firings: [old, newer] });
    const c = buildTemplateContext({ event: null, automation: { name: "a" }, firing: parent });
    expect(renderString("{{ firings | join(',', 'id') }}", c)).toBe("parent,newer,old");
    expect(renderValue("{{ event }}", c)).toBeNull();
  });

  it("labels work by exact dotted key and by nested access", () => {
    expect(renderString("{{ labels['github.branch'] }} {{ labels.github.branch }} {{ labels.github.repository }}", ctx)).toBe(
      "main main acme/app",
    );
  });

  it("the nested label view is invisible to iteration, length and tojson", () => {
    expect(renderString("{{ labels | length }}", ctx)).toBe("3");
    expect(JSON.parse(renderString("{{ labels | tojson }}", ctx))).toEqual({
      "github.branch": "main",
      "github.repository": "acme/app",
      "prefect.resource.id": "github.workflow-run.123",
    });
    expect(renderString("{% for k in labels %}{{ k }};{% endfor %}", ctx)).toBe("github.branch;github.repository;prefect.resource.id;");
  });

  it("an exact label key wins over a nested view of the same name", () => {
    const event = githubEvent();
    const c = buildTemplateContext({
      event,
      automation: { name: "a" },
      firing: firingFor(event, { labels: { a: "flat", "a.b": "dotted", "x.y": "1", "x.y.z": "2" } }),
    });
    expect(
      renderString("{{ labels.a }}|{{ labels['a.b'] }}|{{ labels.a.b }}|{{ labels.x.y }}|{{ labels['x.y.z'] }}|{{ labels.x.y.z }}", c),
    ).toBe("flat|dotted||1|2|");
  });
});

describe("hostile or oversized context values", () => {
  it("functions are dropped, getters never run, cycles and excessive depth become null", () => {
    let getterRan = false;
    const cyclic: Record<string, unknown> = { name: "c" };
    cyclic.self = cyclic;
    let deep: unknown = "bottom";
    for (let i = 0; i < 200; i++) deep = { d: deep };
    const hostile = {
      fn: () => "called",
      obj: {
        get trap() {
          getterRan = true;
          return "x";
        },
        ok: 1,
      },
      cyclic,
      deep,
      big: 10n,
      when: new Date(Date.UTC(2024, 0, 1)),
      nan: Number.NaN,
    };
    const out = renderString(
      "{{ fn }}|{{ obj.trap }}|{{ obj.ok }}|{{ cyclic.name }}|{{ cyclic.self }}|{{ big }}|{{ when }}|{{ nan }}",
      hostile,
    );
    expect(out).toBe("||1|c||10|2024-01-01T00:00:00.000Z|");
    expect(getterRan).toBe(false);
    expect(renderString("{{ deep | tojson | length > 0 }}", { deep })).toBe("true");
  });

  it("a '__proto__' key in data stays data and pollutes nothing", () => {
    const payload = JSON.parse('{"__proto__": {"polluted": "yes"}, "a": 1}') as Record<string, unknown>;
    const event = githubEvent({ payload });
    const c = buildTemplateContext({ event, automation: { name: "a" }, firing: firingFor(event) });
    expect(renderString("{{ event.payload.a }}{{ event.payload.polluted }}", c)).toBe("1");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("the context is frozen: a render cannot change what the next render sees", () => {
    const ctx = sampleContext();
    expect(() => ((ctx as Record<string, unknown>).event = null)).toThrow();
    renderString("{% set event = 1 %}{{ event.payload.list | sort(true) | join }}", ctx);
    expect(renderString("{{ event.payload.list | join(',') }}", ctx)).toBe("1,2,3");
  });

  it("large context strings are fine as long as the output fits", () => {
    const c = { s: "x".repeat(1_000_000) };
    expect(renderString("{{ s | length }} {{ s | truncate(5, true, '') }}", c)).toBe("1000000 xxxxx");
  });
});

describe("filters", () => {
  const ctx = sampleContext();
  it("tojson writes JSON, with an optional indent", () => {
    expect(renderString("{{ event.payload.sender | tojson }}", ctx)).toBe('{"login":"octocat"}');
    expect(renderString("{{ 'a\"b' | tojson }}", ctx)).toBe('"a\\"b"');
    expect(renderString("{{ [1] | tojson(2) }}", ctx)).toBe("[\n  1\n]");
    expect(renderValue("{{ event.payload | tojson }}", ctx)).toBe(JSON.stringify(githubEvent().payload));
  });

  it("ui_url finds the GitHub page of an event, a resource, a payload object or a firing", () => {
    expect(renderString("{{ event | ui_url }}", ctx)).toBe("https://github.com/acme/app/actions/runs/123");
    expect(renderString("{{ event.resource | ui_url }}", ctx)).toBe("https://github.com/acme/app/actions/runs/123");
    expect(renderString("{{ repository | ui_url }}", ctx)).toBe("https://github.com/acme/app");
    expect(renderString("{{ firing | ui_url }}", ctx)).toBe("https://github.com/acme/app/actions/runs/123");
    expect(renderString("[{{ sender | ui_url }}][{{ 'x' | ui_url }}][{{ nope | ui_url }}]", ctx)).toBe("[][][]");
    expect(uiUrl({ html_url: 5 })).toBe("");
  });

  it("Jinja built-ins behave", () => {
    const cases: [string, string][] = [
      ["{{ 'ab' | upper }}{{ 'AB' | lower }}{{ 'hello world' | title }}{{ 'x' | capitalize }}", "ABabHello WorldX"],
      ["{{ nope | default('d') }}|{{ nope | d('e') }}", "d|e"],
      ["{{ [3, 1, 2] | sort | join('-') }}|{{ [3, 1, 2] | first }}|{{ [3, 1, 2] | last }}", "1-2-3|3|2"],
      ["{{ event.related | map_missing | length }}", "unused"],
      ["{{ '  x  ' | trim }}|{{ 'abcdef' | truncate(3, true) }}|{{ 'a-b' | replace('-', '+') }}", "x|abc...|a+b"],
      ["{{ 2.567 | round(1) }}|{{ '42' | int + 1 }}|{{ '1.5' | float }}|{{ -3 | abs }}", "2.6|43|1.5|3"],
      ["{{ event.related | join(', ', 'prefect.resource.role') }}", "repository"],
      ["{{ [{'n': 2}, {'n': 1}] | sort(attribute='n') | join(',', 'n') }}", "1,2"],
      ["{{ [{'a': 1}, {'a': 0}] | selectattr('a') | length }}{{ [1, 0, 2] | select('truthy') | length }}", "12"],
      ["{{ {'b': 1, 'a': 2} | dictsort | first | first }}", "a"],
      ["{{ 'a b' | urlencode }}|{{ '<b>' | escape }}|{{ 'x' | safe }}|{{ 5 | string }}", "a%20b|&lt;b&gt;|x|5"],
      ["{{ [1, 2, 3] | sum }}|{{ 'abc' | list | join(',') }}|{{ 'abc' | reverse }}|{{ 'one two' | wordcount }}", "6|a,b,c|cba|2"],
      ["{{ 5 | upper }}|{{ event.payload.n | center(4) }}|{{ [1, 2, 3, 4] | batch(2) | length }}", "5| 42 |2"],
      ["{{ [{'k': 'x'}, {'k': 'y'}, {'k': 'x'}] | groupby('k') | tojson }}", '{"x":[{"k":"x"},{"k":"x"}],"y":[{"k":"y"}]}'],
    ];
    for (const [src, want] of cases) {
      if (want === "unused") {
        expect(checkTemplate(src)[0]?.message).toContain("map_missing");
        continue;
      }
      expect(checkTemplate(src)).toEqual([]);
      expect(renderString(src, ctx)).toBe(want);
    }
  });

  it("random is not available (templates are deterministic)", () => {
    expect(checkTemplate("{{ [1, 2] | random }}")[0]?.message).toContain("random");
  });
});
