/**
 * Who may change what from Slack: `slack.yaml` in the server's configuration folder.
 *
 * ```yaml
 * rules:
 *   - allow: [pause, resume, rerun, cancel]
 *     scopes: ["repo:acme/*", "server"]   # globs over scopes (default: every scope)
 *     automations: ["*"]                  # globs over automation names (default: every automation)
 *     users: [U012ABCDEF]                 # Slack user ids
 *     user_groups: [S012ABCDEF]           # members of these user groups (usergroups.users.list)
 *     channels: [C012ABCDEF]              # only when asked from these channels
 * ```
 *
 * A rule allows a request when its `allow` lists the verb, the scope and the automation match, the user is
 * one of `users` or a member of one of `user_groups` (when either is given), and the request comes from one
 * of `channels` (when given). A rule must name at least one of users, user_groups or channels. Changes are
 * denied unless a rule allows them (no file = nobody may change anything); reads (list, status, history,
 * help) need no rule. Loaded like automations.yaml: every problem has a file, line and column.
 */
import { HooklineError } from "../../src/errors/index.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { formatProblem, type Problem } from "../../src/automations/problems.js";
import { SourceLocator } from "../../src/automations/source-locator.js";
import { readYaml } from "../../src/automations/yaml-source.js";
import { issuesToProblems } from "../../src/automations/zod-issues.js";
import { matchesAny } from "../../src/events/glob.js";

export const SLACK_VERBS = ["pause", "resume", "rerun", "cancel"] as const;
export type SlackVerb = (typeof SLACK_VERBS)[number];
export const SLACK_POLICY_FILE = "slack.yaml";

const USER = /^[UW][A-Z0-9]{1,30}$/;
const GROUP = /^S[A-Z0-9]{1,30}$/;
const CHANNEL = /^[CGD][A-Z0-9]{1,30}$/;
const SCOPE = /^(\*|server|repo:[^\s]{1,200})$/;

const ids = (re: RegExp, what: string, example: string) =>
  z.array(z.string().regex(re, { message: `not a Slack ${what} id (like ${example}): use the id, not a name` })).max(1000);

const Rule = z.strictObject({
  allow: z
    .array(z.enum(SLACK_VERBS))
    .min(1, { message: "list at least one of pause, resume, rerun, cancel" })
    .describe("what the rule allows: `pause`, `resume` (automations), `rerun`, `cancel` (runs)"),
  scopes: z
    .array(z.string().regex(SCOPE, { message: "a scope is `server`, `repo:<owner>/<name>` (globs allowed: `repo:acme/*`) or `*`" }))
    .min(1)
    .max(1000)
    .optional()
    .describe("where: `server`, `repo:<owner>/<name>` (globs allowed) or `*` (default: every scope)"),
  automations: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(1000)
    .optional()
    .describe("which automations, by name (globs allowed; default: all)"),
  users: ids(USER, "user", "U012ABCDEF").optional().describe("Slack user ids (`U…`/`W…`, not names) the rule applies to"),
  user_groups: ids(GROUP, "user group", "S012ABCDEF")
    .optional()
    .describe("Slack user group ids (`S…`): their members (read with usergroups.users.list, cached 60 s)"),
  channels: ids(CHANNEL, "channel", "C012ABCDEF")
    .optional()
    .describe("Slack channel ids (`C…`/`G…`/`D…`): the request must come from one of them"),
});
const PolicyFile = z.strictObject({
  rules: z.array(Rule).max(1000).describe("who may change what from Slack; a request is allowed when some rule allows it"),
});

/** The JSON Schema (draft 2020-12) of slack.yaml: the source of its reference in docs/configuration.md. */
export function slackPolicyJsonSchema(): object {
  return z.toJSONSchema(PolicyFile, { target: "draft-2020-12", io: "input", unrepresentable: "any" });
}

export interface SlackRule {
  allow: SlackVerb[];
  scopes: string[];
  automations: string[];
  users: string[];
  user_groups: string[];
  channels: string[];
  /** `slack.yaml:7` (where the rule starts), for answers that name it */
  where: string;
}

export interface SlackPolicy {
  rules: SlackRule[];
  /** the file it came from; null when there is none (every change is denied) */
  file: string | null;
}

export class SlackPolicyError extends HooklineError {
  declare readonly code: "HOOKLINE_SLACK_POLICY_INVALID";
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super("HOOKLINE_SLACK_POLICY_INVALID", message);
    this.name = "SlackPolicyError";
  }
}

/** Text of a slack.yaml → the policy, or positioned problems (never throws). */
export function parseSlackPolicy(text: string, file: string): { policy: SlackPolicy | null; problems: Problem[] } {
  const read = readYaml(text, file);
  if (!read.ok) return { policy: null, problems: read.problems };
  const problems: Problem[] = [...read.problems];
  const loc = new SourceLocator(read.source.doc, read.source.lineCounter, text, file);
  const parsed = PolicyFile.safeParse(read.source.data);
  if (!parsed.success) {
    problems.push(...issuesToProblems(parsed.error.issues, PolicyFile, read.source.data, loc));
    return { policy: null, problems };
  }
  const rules: SlackRule[] = [];
  parsed.data.rules.forEach((r, i) => {
    const { line, col } = loc.position(["rules", i]);
    if (!r.users?.length && !r.user_groups?.length && !r.channels?.length) {
      problems.push(
        loc.problem(
          "error",
          "HOOKLINE_SLACK_RULE_TOO_BROAD",
          ["rules", i],
          "this rule names nobody: it would let anyone in the workspace change automations",
          "add `users`, `user_groups` or `channels`",
        ),
      );
    }
    const base = file.split(/[\\/]/).pop() ?? file;
    rules.push({
      allow: [...new Set(r.allow)],
      scopes: r.scopes ?? ["*"],
      automations: r.automations ?? ["*"],
      users: r.users ?? [],
      user_groups: r.user_groups ?? [],
      channels: r.channels ?? [],
      where: `${base}:${line}:${col}`,
    });
  });
  if (problems.some((p) => p.severity === "error")) return { policy: null, problems };
  return { policy: { rules, file }, problems };
}

/** `<configDir>/slack.yaml`; a missing file is the empty policy (reads only). Errors throw SlackPolicyError. */
export function loadSlackPolicy(configDir: string): SlackPolicy {
  const file = join(configDir, SLACK_POLICY_FILE);
  if (!existsSync(file)) return { rules: [], file: null };
  const { policy, problems } = parseSlackPolicy(readFileSync(file, "utf8"), file);
  const errors = problems.filter((p) => p.severity === "error").map(formatProblem);
  if (!policy)
    throw new SlackPolicyError(
      `${file} has ${errors.length} error${errors.length === 1 ? "" : "s"}: fix them before starting the Slack bot`,
      errors,
    );
  return policy;
}

export interface AuthRequest {
  verb: SlackVerb;
  scope: string;
  automation: string;
  user: string;
  /** the channel the command or click came from (null: unknown, e.g. a DM-less button) */
  channel: string | null;
}

export type Decision = { allowed: true; rule: SlackRule } | { allowed: false; reason: string };

/** Members of a user group (cached by the caller); rejects when Slack cannot tell. */
export type GroupMembers = (group: string) => Promise<ReadonlySet<string>>;

function describeRule(r: SlackRule): string {
  const who = [
    r.users.length ? `users ${r.users.join(", ")}` : "",
    r.user_groups.length ? `members of ${r.user_groups.join(", ")}` : "",
  ].filter(Boolean);
  const where = r.channels.length ? ` in channels ${r.channels.join(", ")}` : "";
  return `rule at ${r.where} allows ${r.allow.join("/")} on ${r.scopes.join(", ")} : ${r.automations.join(", ")} for ${who.length ? who.join(" or ") : "anyone"}${where}`;
}

/** Default deny: the first rule that allows the request, else why not and which rule would. */
export async function authorize(policy: SlackPolicy, req: AuthRequest, members: GroupMembers): Promise<Decision> {
  const covering = policy.rules.filter(
    (r) => r.allow.includes(req.verb) && matchesAny(req.scope, r.scopes) && matchesAny(req.automation, r.automations),
  );
  const unreadable: string[] = [];
  for (const r of covering) {
    if (r.channels.length && (req.channel === null || !r.channels.includes(req.channel))) continue;
    if (!r.users.length && !r.user_groups.length) return { allowed: true, rule: r };
    if (r.users.includes(req.user)) return { allowed: true, rule: r };
    for (const g of r.user_groups) {
      try {
        if ((await members(g)).has(req.user)) return { allowed: true, rule: r };
      } catch {
        unreadable.push(g);
      }
    }
  }
  const what = `${req.verb} \`${req.automation}\` in ${req.scope}`;
  if (policy.file === null) {
    return {
      allowed: false,
      reason: `you may not ${what}: this server has no ${SLACK_POLICY_FILE}, so nobody may change automations from Slack (ask an admin to add a rule for you)`,
    };
  }
  if (covering.length === 0) {
    return {
      allowed: false,
      reason: `you may not ${what}: no rule in ${SLACK_POLICY_FILE} allows \`${req.verb}\` there; an admin can add one with \`allow: [${req.verb}]\`, \`scopes: ["${req.scope}"]\` and \`users: [${req.user}]\``,
    };
  }
  const lines = covering.slice(0, 3).map((r) => `• ${describeRule(r)}`);
  const more = covering.length > 3 ? `\n• …and ${covering.length - 3} more` : "";
  const groups = unreadable.length
    ? `\n(the members of ${[...new Set(unreadable)].join(", ")} could not be read from Slack: the app needs the usergroups:read scope)`
    : "";
  return {
    allowed: false,
    reason: `you may not ${what}: you are not named by a rule that allows it. It would be allowed by:\n${lines.join("\n")}${more}${groups}`,
  };
}
