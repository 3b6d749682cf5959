/**
 * The process floor for `simulate`: start node, read the events file line by line the way the CLI does
 * (readline over a UTF-8 stream) and JSON.parse each line, touching one field. Prints the count.
 *   node bench/engine/floor-process.mjs FILE.jsonl
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

let n = 0;
let touched = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2], { encoding: "utf8" }), crlfDelay: Infinity })) {
  if (line.trim() === "") continue;
  touched += JSON.parse(line).id.length;
  n++;
}
process.stdout.write(`${n} ${touched}\n`);
