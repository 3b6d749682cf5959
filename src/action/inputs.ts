/**
 * The Action's inputs (action.yml), validated here with messages that say what to write instead. `get` is
 * `core.getInput` on the runner (trimmed, "" when unset).
 */
import { STATE_NAMES, type StateName } from "../automations/types.js";
import { ActionInputError, quote } from "./errors.js";
import { JOB_STATUSES, NOTIFY_STATES, type JobStatus } from "./job-state.js";

export const MODES = ["evaluate", "validate", "notify", "emit"] as const;
export type Mode = (typeof MODES)[number];

export interface ActionInputs {
  mode: Mode;
  /** relative to the workspace, no `..` */
  automations: string;
  githubToken: string;
  slackToken: string;
  slackApiUrl: string;
  dryRun: boolean;
  /** validate: never-fires problems are errors */
  strict: boolean;
  emit: { event: string; resource: string; related: string; payload: string };
  notify: {
    onlyStates: StateName[] | null;
    ignoreStates: StateName[] | null;
    channel: string;
    /** an incoming webhook URL (from a secret): the alternative to slack-token + channel */
    webhookUrl: string;
    /** the message, a template (docs/action.md "Message template"); "" = the default message */
    template: string;
    /** true: a Slack failure (after the retries) fails the step; false (default): a warning annotation */
    failOnError: boolean;
    mention: string[];
    /** `${{ job.status }}` when passed */
    jobStatus: JobStatus | null;
    timeoutMinutes: number;
  };
}

const bad = (message: string) => new ActionInputError("HOOKLINE_ACTION_INPUT", message);

export function parseBoolean(name: string, value: string): boolean {
  if (value === "") return false;
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^(false|no|off)$/i.test(value)) return false;
  throw bad(`input \`${name}\` must be true or false, got ${quote(value)}`);
}

/** A path inside the workspace: relative, no `..` segments, no NUL. */
export function parseWorkspacePath(name: string, value: string): string {
  const path = value === "" ? ".github/automations.yaml" : value.replace(/\\/g, "/");
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path))
    throw bad(`input \`${name}\` must be a path relative to the repository root, got ${quote(value)}`);
  if (path.split("/").includes("..") || path.includes("\0"))
    throw bad(`input \`${name}\` must stay inside the repository (no \`..\`), got ${quote(value)}`);
  if (path.length > 512) throw bad(`input \`${name}\` is longer than 512 characters`);
  return path.replace(/^(\.\/)+/, "");
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function parseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad(`input \`${name}\` must be an http(s) URL, got ${quote(value)}`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw bad(`input \`${name}\` must be an http(s) URL, got ${quote(value)}`);
  return url.href.endsWith("/") ? url.href : `${url.href}/`;
}

/**
 * `Failed, TimedOut`, `[Failed, TimedOut]` or one name a line; case-insensitive, answered in canonical case.
 * Only states notify can report: a filter naming one it never produces (Running, Skipped, ...) would never match.
 */
export function parseStates(name: string, value: string): StateName[] | null {
  if (value === "") return null;
  const items = value
    .replace(/^\s*\[|\]\s*$/g, "")
    .split(/[,\n]/)
    .map((s) =>
      s
        .trim()
        .replace(/^- /, "")
        .replace(/^["']|["']$/g, ""),
    )
    .filter(Boolean);
  return items.map((item) => {
    const found = STATE_NAMES.find((s) => s.toLowerCase() === item.toLowerCase());
    if (!found || !(NOTIFY_STATES as readonly string[]).includes(found))
      throw bad(
        `input \`${name}\`: ${found ? `notify never reports ${found} (a job's last step sees its job end one of four ways)` : `unknown state ${quote(item)}`}; use one or more of ${NOTIFY_STATES.join(", ")} (Failed also matches TimedOut)`,
      );
    return found;
  });
}

function parseJobStatus(value: string): JobStatus | null {
  if (value === "") return null;
  const v = value.toLowerCase();
  if (!(JOB_STATUSES as readonly string[]).includes(v))
    throw bad(`input \`job-status\` must be \`\${{ job.status }}\` (success, failure or cancelled), got ${quote(value)}`);
  return v as JobStatus;
}

function parseMinutes(name: string, value: string): number {
  if (value === "") return 360;
  if (!/^\d{1,5}$/.test(value) || Number(value) < 1)
    throw bad(`input \`${name}\` must be a whole number of minutes (the job's timeout-minutes, default 360), got ${quote(value)}`);
  return Number(value);
}

export function readInputs(get: (name: string) => string): ActionInputs {
  const mode = get("mode") || "evaluate";
  if (!(MODES as readonly string[]).includes(mode)) throw bad(`input \`mode\` must be one of ${MODES.join(", ")}, got ${quote(mode)}`);
  const notify = {
    onlyStates: parseStates("only_states", get("only_states")),
    ignoreStates: parseStates("ignore_states", get("ignore_states")),
    channel: get("channel"),
    webhookUrl: get("slack-webhook-url"),
    template: get("template"),
    failOnError: parseBoolean("fail-on-error", get("fail-on-error")),
    mention: get("mention")
      .split(/[\s,]+/)
      .filter(Boolean),
    jobStatus: parseJobStatus(get("job-status")),
    timeoutMinutes: parseMinutes("timeout-minutes", get("timeout-minutes")),
  };
  if (notify.webhookUrl !== "" && !isHttpUrl(notify.webhookUrl))
    throw bad("input `slack-webhook-url` must be an https URL, e.g. `${{ secrets.SLACK_WEBHOOK_URL }}` (the value is a secret: not shown)");
  const inputs: ActionInputs = {
    mode: mode as Mode,
    automations: parseWorkspacePath("automations", get("automations")),
    githubToken: get("github-token"),
    slackToken: get("slack-token"),
    slackApiUrl: parseUrl("slack-api-url", get("slack-api-url") || "https://slack.com/api/"),
    dryRun: parseBoolean("dry-run", get("dry-run")),
    strict: parseBoolean("strict", get("strict")),
    emit: { event: get("event"), resource: get("resource"), related: get("related"), payload: get("payload") },
    notify,
  };
  if (inputs.mode === "emit" && (inputs.emit.event === "" || inputs.emit.resource === "")) {
    throw bad(
      "mode `emit` needs the inputs `event` (e.g. deploy.release.finished) and `resource` (e.g. {prefect.resource.id: deploy.release.42})",
    );
  }
  return inputs;
}
