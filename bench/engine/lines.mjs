/** Reads a JSONL file of any size (a single JS string cannot hold 700 MB) into an array of its lines. */
import { readFileSync } from "node:fs";

export function readLines(file) {
  const buf = readFileSync(file);
  const lines = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    if (end > start) lines.push(buf.toString("utf8", start, end));
    start = end + 1;
  }
  return lines;
}
