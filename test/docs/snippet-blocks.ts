/**
 * The fenced blocks of the README and docs/*.md, with where they start, for test/docs/snippets.test.ts: the docs
 * cannot drift from the code when every block they show is read by the code it describes.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface Block {
  /** `README.md:24`: the file and the line of the opening fence */
  at: string;
  file: string;
  /** the info string's first word (`yaml`, `sh`, `text`, ...), "" when there is none */
  info: string;
  /** the content, with the fence's indentation removed */
  text: string;
}

/** README.md, then every page of docs/, by name: pages written by anyone are covered. */
export function documentationFiles(): string[] {
  const docs = readdirSync(join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`);
  return ["README.md", ...docs];
}

export function blocksOf(file: string): Block[] {
  const lines = readFileSync(join(ROOT, file), "utf8").split("\n");
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.trimStart().startsWith(fence!); j++) body.push(lines[j]!);
    out.push({
      at: `${file}:${i + 1}`,
      file,
      info: info!.toLowerCase(),
      text: body.map((l) => (l.startsWith(indent!) ? l.slice(indent!.length) : l.trimStart())).join("\n") + "\n",
    });
    i = j;
  }
  return out;
}

/** `console` is a transcript (prompts and output), so it is not parsed as a script */
export const SHELL = new Set(["sh", "bash", "shell", "zsh", "env", "dotenv"]);
export const YAML = new Set(["yaml", "yml"]);
/** blocks the test does not read: output and other languages are marked as such */
export const NOT_CHECKED = new Set([
  "text",
  "console",
  "mermaid",
  "ts",
  "typescript",
  "js",
  "javascript",
  "sql",
  "diff",
  "http",
  "html",
  "ini",
]);
