import { createReadStream, readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { UsageError } from "./errors.js";

/** Reads a whole file (or stdin for "-") as UTF-8; a missing or unreadable file is a usage error. */
export function readText(path: string): string {
  try {
    if (path === "-") return readFileSync(0, "utf8");
    if (statSync(path).isDirectory()) throw new UsageError(`${path} is a directory, not a file`);
    return readFileSync(path, "utf8");
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Opens a file (or stdin for "-") for line-by-line reading; checks readability up front (usage error). */
export function openLines(path: string): AsyncIterable<string> {
  if (path === "-") return createInterface({ input: process.stdin, crlfDelay: Infinity });
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`${path} is a directory, not a file`);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
}

/** Buffered writer for stdout: one write syscall per ~64 KB instead of one per line. */
export class LineWriter {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly sink: (text: string) => void = (t) => process.stdout.write(t)) {}

  line(text: string): void {
    this.chunks.push(text, "\n");
    this.size += text.length + 1;
    if (this.size >= 65536) this.flush();
  }

  flush(): void {
    if (this.chunks.length === 0) return;
    this.sink(this.chunks.join(""));
    this.chunks = [];
    this.size = 0;
  }
}

/** Waits until stdout has drained (so exit codes are set after all output is handed to the OS). */
export function drainStdout(): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.writableNeedDrain) process.stdout.once("drain", () => resolve());
    else resolve();
  });
}
