/**
 * A configuration file that is one mapping holding one list (`webhooks:` in webhooks.yaml, `sources:` in
 * database.yaml), read with the automations file's YAML reader and checked against its schemas: the problems of the
 * file as a whole, and every entry valid on its own (so one run reports as much as possible). The readers speak of
 * "the automations file"; `rewordListProblem` names the file's own kind instead.
 */
import type { z } from "zod";
import type { Problem } from "./problems.js";
import { SourceLocator } from "./source-locator.js";
import { readYaml } from "./yaml-source.js";
import { issuesToProblems } from "./zod-issues.js";

export interface ListFileKind<T> {
  /** "webhooks", "database": as in "the webhooks file" */
  noun: string;
  /** the list's key: `webhooks`, `sources` */
  key: string;
  /** the empty file's hint, e.g. "a list of webhooks" */
  items: string;
  fileSchema: z.ZodType;
  itemSchema: z.ZodType<T>;
}

export type ListFileRead<T> =
  | { ok: false; problems: Problem[] }
  | {
      ok: true;
      problems: Problem[];
      loc: SourceLocator;
      /** the file as a whole passed its schema */
      valid: boolean;
      entries: { raw: T; index: number }[];
    };

export function rewordListProblem(p: Problem, kind: Pick<ListFileKind<unknown>, "noun" | "key" | "items">): Problem {
  const out = { ...p, message: p.message.replace("automations file", `${kind.noun} file`) };
  if (p.code === "HOOKLINE_EMPTY_FILE") out.hint = `start it with \`${kind.key}:\` and ${kind.items}`;
  else if (out.hint) out.hint = out.hint.replace("remove unused automations", `remove unused ${kind.key}`);
  return out;
}

export function readListFile<T>(text: string, file: string, kind: ListFileKind<T>): ListFileRead<T> {
  const read = readYaml(text, file);
  if (!read.ok) return { ok: false, problems: read.problems };
  const { source } = read;
  const problems: Problem[] = [...read.problems];
  const loc = new SourceLocator(source.doc, source.lineCounter, text, file);
  const data = source.data;
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    problems.push(
      loc.problem(
        "error",
        "HOOKLINE_NOT_A_MAPPING",
        [],
        `the ${kind.noun} file must be a mapping with \`${kind.key}:\``,
        `start the file with \`${kind.key}:\``,
      ),
    );
    return { ok: false, problems };
  }
  const parsed = kind.fileSchema.safeParse(data);
  if (!parsed.success) problems.push(...issuesToProblems(parsed.error.issues, kind.fileSchema, data, loc));
  const entries: { raw: T; index: number }[] = [];
  const list = (data as Record<string, unknown>)[kind.key];
  if (Array.isArray(list)) {
    list.forEach((item, index) => {
      const r = kind.itemSchema.safeParse(item);
      if (r.success) entries.push({ raw: r.data, index });
    });
  }
  return { ok: true, problems, loc, valid: parsed.success, entries };
}
