/**
 * What the Action writes to the runner's log is untrusted text more often than not: job, workflow and branch
 * names, pull request titles, reasons from servers, problems quoting the automations file. The runner acts on a
 * workflow command at the start of a line (`::name::`, after leading spaces) and on the older `##[name]` form
 * ANYWHERE in a line, so a job named `x ##[add-mask]y` or a branch `main\n::error::pwned` would run commands.
 * Text that holds either form is written between `::stop-commands::<token>` and `::<token>::` (the runner's own
 * mechanism, a fresh random token each time): the runner prints it verbatim and acts on none of it. Annotations,
 * outputs and secrets go through @actions/core, which escapes their data the way the runner expects.
 */
import { randomUUID } from "node:crypto";

const COMMAND_FORMS = /::|##\[/;

/** The lines that print `text` as it is, with no workflow command in it taking effect. */
export function commandSafeLines(text: string, token: () => string = () => `hookline-${randomUUID()}`): string[] {
  if (!COMMAND_FORMS.test(text)) return [text];
  let end = token();
  while (text.includes(end)) end = token();
  return [`::stop-commands::${end}`, text, `::${end}::`];
}
