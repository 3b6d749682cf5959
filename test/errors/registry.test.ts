/**
 * One registry of error codes (issue 14 item 5): every `HOOKLINE_*` code written anywhere in src/ and bots/ (a
 * thrown error, a validation problem, a JSON answer, an outcome, a message naming another code) is registered,
 * and every registered code is used. Names that look like codes but are not (environment variables, constants)
 * are listed here, and each of them must still be used too.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ERROR_AREAS, ERROR_CODES, errorAnchor, errorInfo } from "../../src/errors/index.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** the registry itself does not count as a use */
const REGISTRY_DIR = "src/errors/";

/** `HOOKLINE_*` names that are not error codes: environment variables and exported constants. */
const NOT_CODES = new Set([
  "HOOKLINE_ACTION_REPOSITORIES",
  "HOOKLINE_API_TOKEN",
  "HOOKLINE_API_TOKEN_FILE",
  "HOOKLINE_BODY_BUDGET_MB",
  "HOOKLINE_BODY_CLIENT_MB",
  "HOOKLINE_BODY_CLIENT_READS",
  "HOOKLINE_CLAIM_SECONDS",
  "HOOKLINE_CONFIG_DIR",
  "HOOKLINE_DATA_DIR",
  "HOOKLINE_EGRESS_ALLOW",
  "HOOKLINE_EGRESS_SCOPES",
  "HOOKLINE_EVENT_NAMES",
  "HOOKLINE_GITHUB_APP_FILE",
  "HOOKLINE_GITHUB_REPOSITORY",
  "HOOKLINE_GITHUB_TOKEN",
  "HOOKLINE_INSTANCE_ID",
  "HOOKLINE_NAMESPACE",
  "HOOKLINE_PUBLIC_URL",
  "HOOKLINE_REPO_ENV_ALLOW",
  "HOOKLINE_RETENTION_DAYS",
  "HOOKLINE_SLACK_TOKEN",
  "HOOKLINE_SMTP_URL",
  "HOOKLINE_TEMPLATE_TIMEOUT_MS",
  "HOOKLINE_TEMPLATE_WORKERS",
  "HOOKLINE_TEST_DATABASE_URL",
  "HOOKLINE_UPDATE_GOLDEN",
]);
/** organisation variables (`HOOKLINE_ORG_<OWNER>__<NAME>`) are environment variables too */
const ORG_VARIABLE = /^HOOKLINE_ORG_/;

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : /\.(ts|js|mjs|md|ya?ml|json)$/.test(d.name) ? [join(dir, d.name)] : [],
  );
}

interface Use {
  name: string;
  at: string;
}

function uses(): Use[] {
  const out: Use[] = [];
  for (const file of [...files("src"), ...files("bots")]) {
    const rel = relative(ROOT, join(ROOT, file)).split("\\").join("/");
    if (rel.startsWith(REGISTRY_DIR)) continue;
    readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        // a name ending in `_` is a wildcard or a prefix in prose (`HOOKLINE_DB_*`, `HOOKLINE_ORG_<OWNER>`)
        for (const m of line.matchAll(/HOOKLINE_[A-Z0-9_]*[A-Z0-9]\b(?!_)/g)) out.push({ name: m[0], at: `${rel}:${i + 1}` });
      });
  }
  return out;
}

const USES = uses();
const CODE_USES = USES.filter((u) => !NOT_CODES.has(u.name) && !ORG_VARIABLE.test(u.name));

describe("the error registry", () => {
  it("finds the codes of src/ and bots/ (the scan works)", () => {
    expect(CODE_USES.length).toBeGreaterThan(200);
    expect(CODE_USES.map((u) => u.name)).toContain("HOOKLINE_SECRET_MISSING");
  });

  it("every HOOKLINE_* code in src/ and bots/ is registered (file:line of any that is not)", () => {
    const unregistered = CODE_USES.filter((u) => errorInfo(u.name) === undefined).map((u) => `${u.at} ${u.name}`);
    expect(unregistered).toEqual([]);
  });

  it("every registered code is used somewhere in src/ or bots/ (no dead entries)", () => {
    const used = new Set(CODE_USES.map((u) => u.name));
    expect(Object.keys(ERROR_CODES).filter((c) => !used.has(c))).toEqual([]);
  });

  it("the names that are not codes are still used, and none of them is registered", () => {
    const used = new Set(USES.map((u) => u.name));
    expect([...NOT_CODES].filter((n) => !used.has(n))).toEqual([]);
    expect([...NOT_CODES].filter((n) => errorInfo(n) !== undefined)).toEqual([]);
  });

  it("each code belongs to one area, says what happened and how to fix it, and has its own anchor", () => {
    const perArea = ERROR_AREAS.reduce((n, a) => n + Object.keys(a.codes).length, 0);
    expect(perArea).toBe(Object.keys(ERROR_CODES).length);
    const anchors = new Set<string>();
    for (const area of ERROR_AREAS)
      for (const code of Object.keys(area.codes)) {
        const info = errorInfo(code)!;
        expect(info.area, code).toBe(area.id);
        expect(info.summary, code).toMatch(/^\S.{9,}[.)]$/s);
        expect(info.fix, code).toMatch(/^\S.{4,}[.)]$/s);
        expect(info.docs).toBe(`docs/errors.md#${errorAnchor(info.code)}`);
        anchors.add(info.anchor);
      }
    expect(anchors.size).toBe(Object.keys(ERROR_CODES).length);
  });

  it("a string that is not a registered code has no entry (errorInfo is total on strings)", () => {
    expect(errorInfo("HOOKLINE_NO_SUCH_CODE")).toBeUndefined();
    expect(errorInfo("toString")).toBeUndefined();
    expect(errorInfo("__proto__")).toBeUndefined();
  });
});
