/**
 * What the Actions runner would act on in a step's output, for tests: it reads each line of stdout and stderr
 * as a workflow command when the line (after leading white space) starts `::name props::data`, or when it holds
 * the older `##[name props]data` form ANYWHERE; after `::stop-commands::TOKEN` it acts on nothing until a line
 * `::TOKEN::`. Modelled on actions/runner's ActionCommandManager (TryParseV2, then TryParse).
 */
export interface RunnerCommand {
  name: string;
  data: string;
  form: "::" | "##[";
  line: string;
}

export function runnerCommands(output: string): RunnerCommand[] {
  const found: RunnerCommand[] = [];
  let stopToken: string | null = null;
  for (const raw of output.split(/\r?\n/)) {
    const line = raw.trimStart();
    if (stopToken !== null) {
      if (line.trimEnd() === `::${stopToken}::`) stopToken = null;
      continue;
    }
    if (line.startsWith("::")) {
      const end = line.indexOf("::", 2);
      if (end > 2) {
        const info = line.slice(2, end);
        const name = info.split(" ")[0]!;
        const data = line.slice(end + 2);
        found.push({ name, data, form: "::", line: raw });
        if (name === "stop-commands") stopToken = data;
        continue;
      }
    }
    const start = line.indexOf("##[");
    if (start >= 0) {
      const close = line.indexOf("]", start + 3);
      if (close > start + 3)
        found.push({ name: line.slice(start + 3, close).split(" ")[0]!, data: line.slice(close + 1), form: "##[", line: raw });
    }
  }
  return found;
}
