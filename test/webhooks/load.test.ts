import { describe, expect, it } from "vitest";
import { loadWebhooks } from "../../src/webhooks/index.js";

const T = `template:\n      event: acme.order.created\n      resource: { prefect.resource.id: "acme.order.{{ body.id }}" }`;

/** the problems of a file, leaving out "no authentication" (pinned by the authentication tests below) */
function problems(yaml: string) {
  return loadWebhooks(yaml, "webhooks.yaml")
    .problems.filter((p) => p.code !== "HOOKLINE_WEBHOOK_UNAUTHENTICATED")
    .map((p) => ({
      code: p.code,
      line: p.line,
      col: p.col,
      message: p.message,
      hint: p.hint,
    }));
}

describe("loadWebhooks", () => {
  it("loads every mode with defaults, and records where each webhook is", () => {
    const r = loadWebhooks(
      `webhooks:\n  - slug: orders\n    description: Orders from the shop\n    ${T}\n    secret_env: ORDERS\n  - slug: ce\n    methods: [POST]\n    cloudevents: true\n    auth: none\n  - slug: static\n    template: '{"event": "a.b.c", "resource": {"prefect.resource.id": "x"}}'\n    auth: none\n`,
      "conf/webhooks.yaml",
    );
    expect(r.problems).toEqual([]);
    expect(r.webhooks.map((w) => [w.slug, w.mode, w.methods.length, w.usesBody, w.isStatic, w.auth.kind])).toEqual([
      ["orders", "template", 5, true, false, "secret"],
      ["ce", "cloudevents", 1, true, false, "none"],
      ["static", "template", 5, false, true, "none"],
    ]);
    expect(r.webhooks[0]!.source).toEqual({ file: "conf/webhooks.yaml", line: 2, col: 5 });
    expect(r.webhooks[0]!.description).toBe("Orders from the shop");
  });

  it("a duplicated slug is an error at the second one, naming the first line", () => {
    expect(problems(`webhooks:\n  - slug: a\n    ${T}\n  - slug: a\n    ${T}\n`)).toContainEqual(
      expect.objectContaining({ code: "HOOKLINE_DUPLICATE_SLUG", line: 6, col: 11, message: "webhook slug `a` is already used (line 2)" }),
    );
  });

  it("a slug that is not url-safe is an error at the slug", () => {
    for (const slug of ['"a b"', "Orders", '"../x"', '"-a"', '"a%2f"']) {
      const p = problems(`webhooks:\n  - slug: ${slug}\n    ${T}\n`);
      expect(p[0], slug).toMatchObject({ code: "HOOKLINE_INVALID_VALUE", line: 2, col: 11 });
    }
  });

  it("an unknown field gets a did-you-mean; an inline secret is refused with a hint to name a variable", () => {
    expect(problems(`webhooks:\n  - slug: a\n    methdos: [POST]\n    ${T}\n`)[0]).toMatchObject({
      code: "HOOKLINE_UNKNOWN_FIELD",
      line: 3,
      col: 5,
      hint: "did you mean `methods`?",
    });
    expect(problems(`webhooks:\n  - slug: a\n    secret: hunter2\n    ${T}\n`)[0]).toMatchObject({
      code: "HOOKLINE_INLINE_SECRET",
      line: 3,
      col: 5,
    });
    expect(problems(`webhooks:\n  - slug: a\n    signature: { header: X-Sig, secret: k }\n    ${T}\n`)).toContainEqual(
      expect.objectContaining({ code: "HOOKLINE_INLINE_SECRET" }),
    );
  });

  it("a wrong method or algorithm gets a did-you-mean", () => {
    expect(problems(`webhooks:\n  - slug: a\n    methods: [POTS]\n    ${T}\n`)[0]).toMatchObject({
      code: "HOOKLINE_INVALID_VALUE",
      line: 3,
      col: 15,
      hint: "did you mean `POST`?",
    });
    expect(
      problems(`webhooks:\n  - slug: a\n    signature: { header: X-Sig, secret_env: K, algorithm: sha265 }\n    ${T}\n`)[0],
    ).toMatchObject({ hint: "did you mean `sha256`?" });
  });

  it("a webhook needs exactly one of template and cloudevents, and at most one kind of auth", () => {
    expect(problems(`webhooks:\n  - slug: a\n`)[0]).toMatchObject({ code: "HOOKLINE_WEBHOOK_NO_TEMPLATE", line: 2, col: 5 });
    expect(problems(`webhooks:\n  - slug: a\n    cloudevents: true\n    ${T}\n`)[0]).toMatchObject({
      code: "HOOKLINE_WEBHOOK_TEMPLATE_AND_CLOUDEVENTS",
      line: 4,
      col: 5,
    });
    expect(problems(`webhooks:\n  - slug: a\n    secret_env: S\n    signature: { header: X, secret_env: K }\n    ${T}\n`)[0]).toMatchObject(
      { code: "HOOKLINE_WEBHOOK_AUTH_CONFLICT", line: 4 },
    );
  });

  it("template escape attempts are rejected at load by the static check, at their position", () => {
    const attempts = [
      "{{ body.constructor.constructor('return process')() }}",
      "{{ body['__proto__'] }}",
      "{{ range.constructor('return 1')() }}",
      "{% include 'x' %}",
      "{{ cycler() }}",
      "{% set k = 'constr' ~ 'uctor' %}{{ body[k] }}",
    ];
    for (const a of attempts) {
      const p = problems(
        `webhooks:\n  - slug: a\n    template:\n      event: acme.order.created\n      resource: { prefect.resource.id: x }\n      payload: { v: "${a}" }\n`,
      );
      expect(p.length, a).toBeGreaterThan(0);
      expect(p[0]!.code, a).toMatch(/^HOOKLINE_TEMPLATE_(FORBIDDEN|SYNTAX)$/);
      expect(p[0]!.line, a).toBe(6);
    }
  });

  it("a static string template must be a JSON event (checked at load)", () => {
    expect(problems(`webhooks:\n  - slug: a\n    template: '{"event": "a.b.c",'\n`)[0]).toMatchObject({
      code: "HOOKLINE_WEBHOOK_TEMPLATE_NOT_JSON",
      line: 3,
    });
    expect(problems(`webhooks:\n  - slug: a\n    template: '{"event": "", "resource": {"prefect.resource.id": "x"}}'\n`)[0]).toMatchObject({
      code: "HOOKLINE_WEBHOOK_TEMPLATE_NOT_EVENT",
      message: expect.stringContaining("event: must not be empty"),
    });
    expect(problems(`webhooks:\n  - slug: a\n    template: '[1]'\n`)[0]).toMatchObject({ code: "HOOKLINE_WEBHOOK_TEMPLATE_NOT_EVENT" });
  });

  it("a mapping template needs event and resource", () => {
    expect(problems(`webhooks:\n  - slug: a\n    template:\n      event: "a.b.{{ body.x }}"\n`)[0]).toMatchObject({
      code: "HOOKLINE_MISSING_FIELD",
      message: expect.stringContaining("`resource`"),
    });
  });

  it("malformed, empty, hostile and oversized files are problems, never exceptions", () => {
    expect(problems("")[0]).toMatchObject({ code: "HOOKLINE_EMPTY_FILE", message: "the webhooks file is empty" });
    expect(problems("webhooks: [")[0]!.code).toBe("HOOKLINE_YAML_SYNTAX");
    expect(problems("- slug: a")[0]!.code).toBe("HOOKLINE_NOT_A_MAPPING");
    expect(problems("webhoks: []")).toContainEqual(
      expect.objectContaining({ code: "HOOKLINE_UNKNOWN_FIELD", hint: "did you mean `webhooks`?" }),
    );
    expect(problems("webhooks:\n  - __proto__: {}\n")[0]!.code).toBe("HOOKLINE_FORBIDDEN_KEY");
    expect(problems("webhooks:\n  - slug: a\n    slug: b\n")[0]!.code).toBe("HOOKLINE_DUPLICATE_KEY");
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nwebhooks: []\n`;
    expect(problems(bomb)[0]!.code).toBe("HOOKLINE_YAML_ALIAS_LIMIT");
    expect(problems(`webhooks: ${"[".repeat(200)}${"]".repeat(200)}`)[0]!.code).toBe("HOOKLINE_YAML_TOO_DEEP");
    expect(problems(`webhooks: []\n#${"x".repeat(1_100_000)}`)[0]).toMatchObject({
      code: "HOOKLINE_FILE_TOO_LARGE",
      hint: "split it or remove unused webhooks",
    });
    expect(loadWebhooks(42 as unknown as string, "f").problems[0]!.code).toBe("HOOKLINE_NOT_TEXT");
  });

  it("any error means no webhooks at all (a server must not serve half a file)", () => {
    const r = loadWebhooks(`webhooks:\n  - slug: good\n    ${T}\n    auth: none\n  - slug: Bad\n    ${T}\n    auth: none\n`, "f");
    expect(r.webhooks).toEqual([]);
    expect(r.problems).toHaveLength(1);
  });

  it("an empty list is a warning, not an error", () => {
    const r = loadWebhooks("webhooks: []\n", "f");
    expect(r.problems).toEqual([expect.objectContaining({ severity: "warning", code: "HOOKLINE_NO_WEBHOOKS" })]);
  });
});

describe("every webhook authenticates (issue 12)", () => {
  const SECRET_SLUG = "7f3a9c2e51d84b06a1e5c9d2f0b47a83";

  it("a webhook without secret_env, signature or a secret slug is refused at load, with the ways to fix it", () => {
    const r = loadWebhooks(`webhooks:\n  - slug: orders\n    ${T}\n`, "webhooks.yaml");
    expect(r.webhooks).toEqual([]);
    expect(r.problems).toEqual([expect.objectContaining({ severity: "error", code: "HOOKLINE_WEBHOOK_UNAUTHENTICATED", line: 2, col: 5 })]);
    expect(r.problems[0]!.hint).toMatch(/secret_env.*signature.*auth: slug.*auth: none/s);
  });

  it("`auth: none` written out loads (the server warns at start); secret_env and signature need no `auth`", () => {
    const r = loadWebhooks(
      `webhooks:\n  - slug: open\n    ${T}\n    auth: none\n  - slug: s\n    secret_env: S\n    ${T}\n  - slug: h\n    signature: { header: X-Sig, secret_env: K }\n    ${T}\n`,
      "f",
    );
    expect(r.problems).toEqual([]);
    expect(r.webhooks.map((w) => w.auth.kind)).toEqual(["none", "secret", "signature"]);
  });

  it("a random slug of 128 bits or more is its own secret (with or without `auth: slug`); a guessable one with `auth: slug` is refused", () => {
    for (const slug of [SECRET_SLUG, `orders-${SECRET_SLUG}`, "k3x9m2q8w7z1r5t4y6u0p2a8s3"]) {
      const r = loadWebhooks(`webhooks:\n  - slug: ${slug}\n    ${T}\n`, "f");
      expect(r.problems, slug).toEqual([]);
      expect(r.webhooks[0]!.auth.kind).toBe("slug");
      expect(loadWebhooks(`webhooks:\n  - slug: ${slug}\n    auth: slug\n    ${T}\n`, "f").problems).toEqual([]);
    }
    for (const slug of [
      "orders",
      "orders-from-the-shop-every-day-of-the-week",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      "abcdefabcdefabcdefabcdefabcdefab",
    ]) {
      expect(loadWebhooks(`webhooks:\n  - slug: ${slug}\n    auth: slug\n    ${T}\n`, "f").problems[0], slug).toMatchObject({
        code: "HOOKLINE_WEBHOOK_SLUG_GUESSABLE",
        line: 2,
      });
    }
  });

  it("`auth` beside secret_env or signature is a conflict", () => {
    expect(loadWebhooks(`webhooks:\n  - slug: a\n    secret_env: S\n    auth: none\n    ${T}\n`, "f").problems[0]).toMatchObject({
      code: "HOOKLINE_WEBHOOK_AUTH_CONFLICT",
      line: 4,
    });
  });

  it("`scopes` routes a webhook's events (default: the server's automations); a scope must be server or repo:<owner>/<name>", () => {
    const r = loadWebhooks(
      `webhooks:\n  - slug: a\n    auth: none\n    scopes: [server, "repo:acme/api"]\n    ${T}\n  - slug: b\n    auth: none\n    ${T}\n`,
      "f",
    );
    expect(r.webhooks.map((w) => w.scopes)).toEqual([["server", "repo:acme/api"], ["server"]]);
    expect(problems(`webhooks:\n  - slug: a\n    auth: none\n    scopes: [everything]\n    ${T}\n`)[0]).toMatchObject({
      code: "HOOKLINE_INVALID_VALUE",
      line: 4,
    });
  });
});
