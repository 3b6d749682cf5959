/**
 * Turns zod issues into positioned problems: unknown fields and types with a did-you-mean hint, inline
 * secrets with a hint to name an environment variable, missing fields at their parent mapping.
 */
import type { z } from "zod";
import { didYouMean } from "./did-you-mean.js";
import { show, type Problem } from "./problems.js";
import type { Locator, Path } from "./source-locator.js";
import { STATE_NAMES } from "./types.js";

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

const SECRET_LIKE = /(token|password|passwd|secret|api_?key|webhook_url|smtp_url|^url$)/i;

export function issuesToProblems(issues: readonly Issue[], root: AnySchema, data: unknown, locator: Locator): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) mapIssue(issue, [], root, data, locator, out);
  return out;
}

function mapIssue(issue: Issue, prefix: Path, root: AnySchema, data: unknown, loc: Locator, out: Problem[]): void {
  const path: Path = [...prefix, ...(issue.path as (string | number)[])];
  const field = fieldName(path);
  const input = valueAt(data, path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const known = knownKeysAt(root, path, data) ?? [];
      for (const key of issue.keys) out.push(unknownKey(key, [...path, key], known, loc));
      return;
    }
    case "invalid_union": {
      if ("note" in issue && issue.note === "No matching discriminator") {
        const options = ((issue as { options?: unknown[] }).options ?? []).filter((o): o is string => typeof o === "string");
        const kind = kindOf(path.slice(0, -1));
        if (input === undefined) {
          out.push(loc.problem("error", "HOOKLINE_MISSING_FIELD", path, `${kind} needs a \`type\``, `one of: ${options.join(", ")}`));
        } else {
          const hint = typeof input === "string" ? didYouMean(input, options) : undefined;
          out.push(
            loc.problem(
              "error",
              "HOOKLINE_UNKNOWN_TYPE",
              path,
              `unknown ${kind} type ${show(input)}`,
              hint ?? `one of: ${options.join(", ")}`,
            ),
          );
        }
        return;
      }
      // when exactly one alternative matched the value's shape, its own issues are the precise ones
      const chosen = preciseAlternative(issue.errors ?? []);
      if (chosen) {
        for (const e of chosen) mapIssue(e, path, root, data, loc, out);
        return;
      }
      out.push(loc.problem("error", "HOOKLINE_INVALID_VALUE", path, prefixed(field, issue.message)));
      return;
    }
    case "invalid_type": {
      if (input === undefined) {
        out.push(
          loc.problem(
            "error",
            "HOOKLINE_MISSING_FIELD",
            path.slice(0, -1),
            `missing required field \`${field}\`${kindSuffix(path.slice(0, -1), data)}`,
          ),
        );
      } else {
        const message = issue.message.startsWith("Invalid input")
          ? `${field} must be ${article(issue.expected)}, not ${describe(input)}`
          : prefixed(field, issue.message);
        out.push(loc.problem("error", "HOOKLINE_INVALID_TYPE", path, message));
      }
      return;
    }
    case "invalid_value": {
      const values = issue.values.filter((v): v is string => typeof v === "string");
      const isState = values.length === STATE_NAMES.length && values.every((v) => (STATE_NAMES as readonly string[]).includes(v));
      const hint = typeof input === "string" ? didYouMean(input, values) : undefined;
      out.push(
        loc.problem(
          "error",
          isState ? "HOOKLINE_UNKNOWN_STATE" : "HOOKLINE_INVALID_VALUE",
          path,
          `${isState ? "unknown state" : `${field}: unknown value`} ${show(input)}`,
          hint ?? `one of: ${values.join(", ")}`,
        ),
      );
      return;
    }
    default: {
      const message = issue.message.startsWith("Too small: expected string")
        ? `${field} must not be empty`
        : prefixed(field, issue.message);
      out.push(loc.problem("error", "HOOKLINE_INVALID_VALUE", path, message));
    }
  }
}

function unknownKey(key: string, path: Path, known: readonly string[], loc: Locator): Problem {
  const envKeys = known.filter((k) => k.endsWith("_env"));
  if (!key.endsWith("_env") && (known.includes(`${key}_env`) || (envKeys.length > 0 && SECRET_LIKE.test(key)))) {
    const suggestion = known.includes(`${key}_env`) ? [`${key}_env`] : envKeys;
    return loc.problem(
      "error",
      "HOOKLINE_INLINE_SECRET",
      path,
      `\`${key}\` would put a secret in the file: secrets are only named by environment variable`,
      `use ${suggestion.map((k) => `\`${k}: NAME_OF_ENV_VAR\``).join(" or ")}`,
      "key",
    );
  }
  let hint = didYouMean(key, known);
  if (!hint && key === "triggers" && known.includes("expect")) hint = "add `type: compound` or `type: sequence`";
  if (!hint && known.length > 0) hint = `allowed fields: ${known.join(", ")}`;
  return loc.problem("error", "HOOKLINE_UNKNOWN_FIELD", path, `unknown field \`${key}\``, hint, "key");
}

/** the one alternative whose issues are all inside the value, else the one that got the type right */
function preciseAlternative(alternatives: readonly (readonly Issue[])[]): readonly Issue[] | undefined {
  const deeper = alternatives.filter((errs) => errs.length > 0 && errs.every((e) => e.path.length > 0));
  if (deeper.length === 1) return deeper[0];
  if (deeper.length > 1) return undefined;
  const typed = alternatives.filter((errs) => errs.length > 0 && errs.every((e) => !(e.path.length === 0 && e.code === "invalid_type")));
  return typed.length === 1 ? typed[0] : undefined;
}

function prefixed(field: string, message: string): string {
  return message.startsWith(field) ? message : `${field}: ${message}`;
}

function fieldName(path: Path): string {
  for (let i = path.length - 1; i >= 0; i--) if (typeof path[i] === "string") return String(path[i]);
  return "the file";
}

/** what the mapping at `path` is, in the user's words */
function kindOf(path: Path): string {
  const names = path.filter((s): s is string => typeof s === "string");
  const last = names[names.length - 1];
  if (last === "notifiers") return "notifier";
  if (last === "trigger" || last === "triggers") return "trigger";
  if (last?.startsWith("actions")) return "action";
  return "item";
}

function kindSuffix(path: Path, data: unknown): string {
  const type = (valueAt(data, path) as { type?: unknown } | undefined)?.type;
  return typeof type === "string" ? ` for \`${type}\`` : "";
}

function article(expected: string): string {
  const word = expected === "record" || expected === "object" ? "mapping" : expected === "array" ? "list" : expected;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${show(value)}`;
}

export function valueAt(data: unknown, path: Path): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

type Def = {
  type: string;
  shape?: Record<string, AnySchema>;
  element?: AnySchema;
  valueType?: AnySchema;
  innerType?: AnySchema;
  in?: AnySchema;
  getter?: () => AnySchema;
  options?: AnySchema[];
  discriminator?: string;
};
const defOf = (s: AnySchema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The field names the schema allows for the mapping at `path` (choosing union options by the data). */
export function knownKeysAt(root: AnySchema, path: Path, data: unknown): string[] | undefined {
  let schema: AnySchema | undefined = root;
  let value: unknown = data;
  for (const seg of path) {
    schema = pick(schema, value);
    if (!schema) return undefined;
    const def = defOf(schema);
    if (def.type === "object") schema = def.shape?.[String(seg)];
    else if (def.type === "array") schema = def.element;
    else if (def.type === "record") schema = def.valueType;
    else return undefined;
    value = valueAt(value, [seg]);
  }
  schema = pick(schema, value);
  if (!schema || defOf(schema).type !== "object") return undefined;
  return Object.keys(defOf(schema).shape ?? {});
}

function pick(schema: AnySchema | undefined, value: unknown): AnySchema | undefined {
  for (let i = 0; schema && i < 20; i++) {
    const def = defOf(schema);
    if (["optional", "nullable", "default", "prefault", "readonly", "catch", "nonoptional"].includes(def.type)) {
      schema = def.innerType;
    } else if (def.type === "pipe") schema = def.in;
    else if (def.type === "lazy") schema = def.getter?.();
    else if (def.type === "union") {
      const options = def.options ?? [];
      if (def.discriminator) {
        const d = (value as Record<string, unknown> | undefined)?.[def.discriminator];
        schema = options.find((o) => {
          const prop = defOf(o).shape?.[def.discriminator!];
          return prop ? (prop as unknown as z.ZodType).safeParse(d).success : false;
        });
      } else {
        const wanted = Array.isArray(value) ? "array" : value !== null && typeof value === "object" ? "object" : "other";
        schema = options.find((o) => {
          const t = defOf(pick(o, undefined) ?? o).type;
          return wanted === "array" ? t === "array" : wanted === "object" ? t === "object" || t === "record" : true;
        });
      }
    } else return schema;
  }
  return schema;
}
