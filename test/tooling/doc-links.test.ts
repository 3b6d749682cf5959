/**
 * Error messages point somewhere real (issue 13): every documentation path a message, hint or log line names
 * (`docs/templates.md`, `bots/slack/README.md`, ...) exists in the repository. Comments are not messages: only
 * text inside string literals counts.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}

/** string literals of a line that is not a comment */
const LITERAL = /(["'`])((?:\\.|(?!\1).)*)\1/g;
const DOC = /(?:^|[\s(])((?:[\w.-]+\/)*[\w.-]+\.md)(?:#[\w-]+)?|\b(SEMANTICS|DESIGN|STYLE)(?:\.md)?\s*§/g;

function docRefs(): { at: string; ref: string }[] {
  const out: { at: string; ref: string }[] = [];
  for (const file of [...sources("src"), ...sources("bots")]) {
    readFileSync(join(ROOT, file), "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (/^\s*(\*|\/\/|\/\*)/.test(line) || /^\s*import\b/.test(line)) return;
        for (const lit of line.matchAll(LITERAL))
          for (const m of lit[2]!.matchAll(DOC))
            out.push({ at: `${relative(ROOT, join(ROOT, file))}:${i + 1}`, ref: m[1] ?? `${m[2]}.md` });
      });
  }
  return out;
}

describe("documentation named by messages", () => {
  it("every path a message names exists in the repository (the specification files outside it are never named)", () => {
    const refs = docRefs();
    expect(refs.length).toBeGreaterThan(0);
    const missing = refs.filter((r) => !existsSync(join(ROOT, r.ref)));
    expect(missing).toEqual([]);
  });
});
