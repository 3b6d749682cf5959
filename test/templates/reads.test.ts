/**
 * templateReads and the partial context it allows (src/templates/reads.ts): what a template can read is found in
 * its AST, and a context built with only those paths renders every template exactly as the whole context does.
 */
import { describe, expect, it } from "vitest";
import { buildTemplateContext, contextReads, renderValue, templateReads, TemplateError } from "../../src/templates/index.js";
import { READ_WHOLE } from "../../src/templates/reads.js";
import { firingFor, githubEvent } from "./fixtures.js";

const W = READ_WHOLE;

describe("templateReads", () => {
  it("follows literal member paths from a context name, `.a` and `['a.b']` alike", () => {
    expect(templateReads({ x: "{{ event.resource['github.state'] | lower }} {{ workflow_run.name }}" })).toEqual(
      new Map<string, unknown>([
        ["event", new Map([["resource", new Map([["github.state", W]])]])],
        ["workflow_run", new Map([["name", W]])],
      ]),
    );
  });

  it("reads a path whole where a computed key follows it, and the names the key is computed from", () => {
    expect(templateReads(["{{ event.payload[key].x }}"])).toEqual(
      new Map<string, unknown>([
        ["event", new Map([["payload", W]])],
        ["key", W],
      ]),
    );
    expect(templateReads(["{{ events[-1].id }}"])).toEqual(new Map([["events", W]]));
  });

  it("reads a name whole when it is printed, filtered, iterated or tested, and a whole read wins over paths below it", () => {
    for (const t of ["{{ event }}", "{{ event | tojson }}", "{% for k, v in event %}{{ k }}{% endfor %}", "{{ 'x' in event }}"])
      expect(templateReads([t, "{{ event.id }}"])?.get("event")).toBe(W);
    expect(templateReads(["{{ firing.events | length }}"])).toEqual(new Map([["firing", new Map([["events", W]])]]));
  });

  it("gives null (build the whole context) for a template that does not parse, and an empty tree without templates", () => {
    expect(templateReads({ a: "{{ event. }}" })).toBeNull();
    expect(templateReads({ a: "plain", n: 1, list: ["no template"] })).toEqual(new Map());
  });
});

describe("a context built from templateReads", () => {
  const event = githubEvent();
  const whole = buildTemplateContext({ event, automation: { name: "notify", description: "d" }, firing: firingFor(event) });
  const render = (t: string, ctx: object): unknown => {
    try {
      return renderValue({ t }, ctx as never);
    } catch (err) {
      return err instanceof TemplateError ? `${err.code}: ${err.message}` : err;
    }
  };
  const templates = [
    "{{ event.resource['github.branch'] }} {{ workflow_run.conclusion }} {{ repository.full_name }}",
    "{{ workflow_run }}",
    "{{ event.payload.workflow_run.missing | default('none') }} {{ event.payload.nothing }}",
    "{{ event.payload.list }} {{ event.payload.list[1] }} {{ event.payload.n + 1 }}",
    "{{ event.resource | length }} {{ event.related[0]['prefect.resource.role'] }}",
    "{{ firing.events | length }} {{ firing.at }} {{ firing.triggering_event.payload.sender.login }}",
    "{{ firings[0].id }} {{ events[0].resource['prefect.resource.name'] }} {{ labels.github.branch }}",
    "{% set p = event.payload %}{{ p.repository.html_url }} {{ automation.description }}",
    "{{ event.spoofed }}|{{ labels.spoofed }}|{{ action }}|{{ event.payload.event.spoofed }}",
    "{{ sender.login.length }} {{ workflow_run['name'] }} {{ event.payload.workflow_run | dictsort | first }}",
    "{{ event.missing.deeper }}",
  ];

  it("renders every template as the whole context does, seeing the same value at every path it reads", () => {
    for (const t of templates) {
      const reads = templateReads({ t });
      expect(reads).not.toBeNull();
      const partial = buildTemplateContext({
        event,
        automation: { name: "notify", description: "d" },
        firing: firingFor(event),
        reads: contextReads(reads!),
      });
      expect(render(t, partial), t).toEqual(render(t, whole));
    }
  });

  it("copies only the paths read: other payload objects are not in the template data", () => {
    const reads = contextReads(templateReads(["{{ workflow_run.name }}"])!);
    const ctx = buildTemplateContext({ event, automation: { name: "a" }, firing: firingFor(event), reads });
    expect(Object.keys(ctx)).toEqual(["workflow_run"]);
    expect(ctx.workflow_run).toEqual({ name: "CI" });
    expect(Object.isFrozen(ctx.workflow_run)).toBe(true);
  });
});
