/**
 * The runner's protocol, written directly instead of importing `@actions/core` (which pulls in
 * `@actions/http-client` and a bundled undici for OIDC, ~1 MB the Action never uses). Byte-compatible with
 * `@actions/core` 3 for what hookline calls: `getInput`, `info`, `error` / `warning` annotations, `setOutput`
 * (the GITHUB_OUTPUT file, heredoc with a random delimiter), the job summary (GITHUB_STEP_SUMMARY) and
 * `setFailed`. See https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
 */
import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import { access, appendFile, constants } from "node:fs/promises";
import { EOL } from "node:os";

type Env = Readonly<Record<string, string | undefined>>;

export interface AnnotationProps {
  title?: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
}

/** `core.getInput`: INPUT_<NAME> (spaces to `_`, upper case; dashes kept), trimmed, "" when unset. */
export function getInput(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "").trim();
}

function escapeData(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** `::name key=value,...::message`: empty properties are left out, values and message escaped. */
export function formatCommand(name: string, properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "" && v !== 0)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}`;
}

/** The annotation properties in @actions/core's order and names. */
export function annotationProperties(p: AnnotationProps): Record<string, string | number | undefined> {
  return { title: p.title, file: p.file, line: p.startLine, col: p.startColumn };
}

/** `name<<delimiter` heredoc for GITHUB_OUTPUT; the delimiter is random and must not occur in name or value. */
export function keyValueMessage(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  if (value.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`;
}

/** What `core.summary.addHeading(heading, 3)`, then `.addRaw(block, true)` per block, appends. */
export function summaryText(heading: string, blocks: readonly string[]): string {
  return `<h3>${heading}</h3>${EOL}${blocks.map((b) => `${b}${EOL}`).join("")}`;
}

export interface RunnerCommands {
  info(line: string): void;
  error(message: string, props?: AnnotationProps): void;
  warning(message: string, props?: AnnotationProps): void;
  setOutput(name: string, value: string): void;
  /** appends to the job summary; a no-op when GITHUB_STEP_SUMMARY is unset */
  appendSummary(text: string): Promise<void>;
  /** an error annotation and exit code 1 */
  setFailed(message: string): void;
}

export function runnerCommands(env: Env, write: (text: string) => void = (t) => void process.stdout.write(t)): RunnerCommands {
  const command = (name: string, props: AnnotationProps | undefined, message: string) =>
    write(formatCommand(name, props ? annotationProperties(props) : {}, message) + EOL);
  const commands: RunnerCommands = {
    info: (line) => write(line + EOL),
    error: (message, props) => command("error", props, message),
    warning: (message, props) => command("warning", props, message),
    setOutput(name, value) {
      const file = env.GITHUB_OUTPUT || "";
      if (!file) {
        write(EOL);
        write(formatCommand("set-output", { name }, value) + EOL);
        return;
      }
      if (!existsSync(file)) throw new Error(`Missing file at path: ${file}`);
      appendFileSync(file, `${keyValueMessage(name, value)}${EOL}`, { encoding: "utf8" });
    },
    async appendSummary(text) {
      const file = env.GITHUB_STEP_SUMMARY;
      if (!file) return;
      try {
        await access(file, constants.R_OK | constants.W_OK);
      } catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
      }
      await appendFile(file, text, { encoding: "utf8" });
    },
    setFailed(message) {
      process.exitCode = 1;
      commands.error(message);
    },
  };
  return commands;
}
