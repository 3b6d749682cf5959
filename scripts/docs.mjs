// Regenerates the README's configuration reference from the JSON Schema (run `npm run docs` after a schema change).
import { readFileSync, writeFileSync } from "node:fs";
import { automationsJsonSchema } from "../build/src/automations/index.js";
import { configReferenceMarkdown } from "../build/src/automations/reference-doc.js";

const START = "<!-- config-reference:start -->";
const END = "<!-- config-reference:end -->";
const readme = new URL("../README.md", import.meta.url);
const text = readFileSync(readme, "utf8");
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < a) throw new Error(`README.md needs the markers ${START} and ${END}`);
const next = `${text.slice(0, a + START.length)}\n${configReferenceMarkdown(automationsJsonSchema())}\n${text.slice(b)}`;
writeFileSync(readme, next);
console.log(next === text ? "README.md reference is up to date" : "README.md reference regenerated");
