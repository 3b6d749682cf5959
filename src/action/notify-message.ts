/**
 * `mode: notify`'s message: the default text (today's message, with the state's icon, the workflow, the job, the
 * branch, a link to the run and its attempt, the failed steps), or the user's `template` rendered by the same
 * hardened renderer as `send-notification` (src/templates). Every value from the run (job, workflow, branch and
 * step names: a job name can carry a pull request's title) is escaped for Slack mrkdwn before it reaches the
 * text or the template, so none can mention `@channel` or forge a link. Mentions are prepended on failures.
 */
import type { StateName } from "../automations/types.js";
import { renderString } from "../templates/index.js";

/** Slack mrkdwn: `&`, `<`, `>` are the only control characters (links, mentions, `<!channel>`). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function slackMention(user: string): string {
  const u = user.replace(/^@/, "");
  if (u === "here" || u === "channel" || u === "everyone") return `<!${u}>`;
  if (/^S[A-Z0-9]+$/.test(u)) return `<!subteam^${u}>`;
  if (/^[UW][A-Z0-9]+$/.test(u)) return `<@${u}>`;
  return `@${slackEscape(u)}`;
}

const ICON: Partial<Record<StateName, string>> = {
  Completed: ":white_check_mark:",
  Failed: ":x:",
  Cancelled: ":no_entry_sign:",
  TimedOut: ":hourglass:",
};
/** the states whose message mentions the `mention` users */
export const MENTION_ON: readonly StateName[] = ["Failed", "TimedOut"];

export interface NotifyFacts {
  state: StateName;
  /** why notify says so (`job.status is failure`) */
  why: string;
  job: { name: string; id: number | null };
  workflow: string;
  /** GITHUB_REF_NAME */
  ref: string;
  repository: string;
  run: { id: string; attempt: number };
  /** the job's page (or the run's, when the job id is unknown) */
  url: string;
  /** names of the failed (or cancelled) steps */
  steps: string[];
}

/** What a template sees: every string escaped for Slack; `failed_steps` at most 10. */
export function templateContext(f: NotifyFacts): Record<string, unknown> {
  const e = slackEscape;
  return {
    state: f.state,
    why: e(f.why),
    job: { name: e(f.job.name), id: f.job.id, url: f.url },
    workflow: e(f.workflow),
    ref: e(f.ref),
    repository: e(f.repository),
    run: { id: f.run.id, attempt: f.run.attempt, url: f.url },
    attempt: f.run.attempt,
    url: f.url,
    icon: ICON[f.state] ?? ":information_source:",
    failed_steps: f.steps.slice(0, 10).map(e),
  };
}

function defaultText(f: NotifyFacts): string {
  const code = (s: string) => `\`${slackEscape(s.replace(/`/g, "'"))}\``;
  const steps = f.steps.length ? `\nSteps: ${f.steps.slice(0, 5).map(code).join(", ")}` : "";
  const attempt = f.run.attempt > 1 ? `, attempt ${f.run.attempt}` : "";
  return (
    `${ICON[f.state] ?? ":information_source:"} *${slackEscape(f.workflow || "workflow")}* / *${slackEscape(f.job.name)}*: ${f.state}` +
    `${f.ref ? ` on ${code(f.ref)}` : ""} (<${f.url}|run ${f.run.id}${attempt}>)${steps}`
  );
}

/** The message text: mentions (on Failed / TimedOut), then the template's text or the default. Throws TemplateError. */
export function messageText(f: NotifyFacts, template: string, mention: readonly string[]): string {
  const mentions = MENTION_ON.includes(f.state) && mention.length ? `${mention.map(slackMention).join(" ")} ` : "";
  return mentions + (template === "" ? defaultText(f) : renderString(template, templateContext(f)));
}

/** Block Kit: the text as one mrkdwn section (Slack's limit is 3,000 characters), with `text` as the fallback. */
export function messageBlocks(text: string): unknown[] {
  const section = text.length > 3000 ? `${text.slice(0, 2999)}…` : text;
  return [{ type: "section", text: { type: "mrkdwn", text: section === "" ? " " : section } }];
}
