/**
 * The automations.yaml format as written by users (before defaults and normalization), in zod 4. It is both
 * the validator (issues are mapped back to YAML positions) and the source of the JSON Schema for editors,
 * so it holds no transforms. Cross-field rules live in validate-*.ts.
 */
import { z } from "zod";
import { DURATION_HELP, DURATION_PATTERN, parseDuration } from "./duration.js";
import { ACTION_TYPES, STATE_NAMES } from "./types.js";

const durationError = `expected ${DURATION_HELP}; negative durations are not allowed`;
export const Duration = z
  .union(
    [
      z.number().min(0, durationError),
      z
        .string()
        .regex(new RegExp(DURATION_PATTERN), durationError)
        .refine((s) => parseDuration(s) !== null, durationError),
    ],
    { error: durationError },
  )
  .meta({ id: "Duration", description: `${DURATION_HELP}` });

const wholeNumber = (what: string) => z.int({ error: `${what} must be a whole number` });

const Pattern = z.string({ error: "expected a pattern string" });
/** one glob pattern or a list of them (OR); a leading `!` negates */
export const PatternSet = z
  .union([Pattern, z.array(Pattern).min(1, "an empty list matches nothing: remove the key or add a pattern")], {
    error: "expected a pattern or a list of patterns",
  })
  .meta({ id: "PatternSet", description: "a glob (`*`, `?`, `[abc]`; leading `!` negates) or a list of them (OR)" });

export const ResourceMatch = z
  .record(z.string(), PatternSet)
  .meta({ id: "ResourceMatch", description: "label → pattern(s); every label must match (AND)" });

const StringOrList = (what: string) => z.union([z.string(), z.array(z.string())], { error: `expected ${what} or a list of them` });

export const eventTriggerFields = {
  match: ResourceMatch.optional().describe("labels of the event's primary resource"),
  match_related: z
    .union([ResourceMatch, z.array(ResourceMatch)], { error: "expected a label → pattern mapping or a list of them" })
    .optional()
    .describe("each mapping must be satisfied by some related resource"),
  after: StringOrList("an event-name pattern").optional().describe("event names that arm the trigger"),
  expect: StringOrList("an event-name pattern").optional().describe("event names that count (empty: any event)"),
  for_each: StringOrList("a label name").optional().describe("labels whose values key separate buckets"),
  posture: z.enum(["Reactive", "Proactive"]).default("Reactive"),
  threshold: wholeNumber("threshold").min(0, "threshold must be ≥ 0").default(1),
  within: Duration.optional().describe("window length; Reactive default 0 (no limit), Proactive default 10 s (≥ 10 s)"),
  repeat: Duration.optional().describe("Proactive only: fire again every `repeat` while in alarm"),
};

export const EventTrigger = z.strictObject({ type: z.literal("event").optional(), ...eventTriggerFields }).meta({ id: "EventTrigger" });

const Require = z.union([z.enum(["all", "any"]), wholeNumber("require").min(1, "require must be at least 1")], {
  error: "require must be `all`, `any` or a number of triggers",
});

export const CompoundTrigger = z
  .strictObject({
    type: z.literal("compound"),
    get triggers() {
      return z.array(Trigger).min(1, "a compound trigger needs at least one trigger");
    },
    require: Require.default("all"),
    within: Duration.nullable().optional().describe("null or 0: unlimited"),
  })
  .meta({ id: "CompoundTrigger" });

export const SequenceTrigger = z
  .strictObject({
    type: z.literal("sequence"),
    get triggers() {
      return z.array(Trigger).min(1, "a sequence trigger needs at least one trigger");
    },
    within: Duration.nullable().optional().describe("null or 0: unlimited"),
  })
  .meta({ id: "SequenceTrigger" });

export const Trigger: z.ZodType<unknown> = z
  .discriminatedUnion("type", [EventTrigger, CompoundTrigger, SequenceTrigger])
  .meta({ id: "Trigger" });

const State = z.enum(STATE_NAMES);
const States = z.union([State, z.array(State)]);

export const COMMON_ACTION_FIELDS = ["type", "only_states", "ignore_states", "max_retries", "retry_interval", "timeout"];

const common = {
  only_states: States.optional().describe("run only when the triggering event's state is one of these"),
  ignore_states: States.optional().describe("skip when the triggering event's state is one of these"),
  max_retries: wholeNumber("max_retries").min(0).max(100).optional(),
  retry_interval: Duration.optional(),
  timeout: Duration.optional(),
};

const text = z.string();
const json = z.unknown();
const Source = z.enum(["inferred", "selected"]);
const RunId = z.union([z.int().min(1), z.string().min(1)], { error: "run_id must be a number or a template" });

const action = <T extends z.ZodRawShape>(type: (typeof ACTION_TYPES)[number], shape: T) =>
  z.strictObject({ type: z.literal(type), ...common, ...shape }).meta({ id: `Action:${type}` });

export const Action = z
  .discriminatedUnion("type", [
    action("do-nothing", {}),
    action("run-workflow", {
      workflow: z.string().min(1),
      ref: text.optional(),
      repository: text.optional(),
      inputs: z.record(z.string(), json).optional(),
    }),
    action("repository-dispatch", {
      repository: text.optional(),
      event_type: z.string().min(1),
      client_payload: json.optional(),
    }),
    action("cancel-workflow-run", { source: Source.optional(), run_id: RunId.optional() }),
    action("rerun-workflow-run", {
      source: Source.optional(),
      run_id: RunId.optional(),
      failed_jobs_only: z.boolean().optional(),
    }),
    action("enable-workflow", { workflow: z.string().min(1), repository: text.optional() }),
    action("disable-workflow", { workflow: z.string().min(1), repository: text.optional() }),
    action("pause-automation", { source: Source.optional(), automation: z.string().min(1).optional() }),
    action("resume-automation", { source: Source.optional(), automation: z.string().min(1).optional() }),
    action("send-notification", { notifier: z.string().min(1), subject: text.optional(), body: text }),
    action("call-webhook", {
      url: z.string().min(1),
      method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      body: json.optional(),
    }),
    action("emit-event", {
      event: z.string().min(1),
      resource: z.record(z.string(), z.string()).optional(),
      related: z.array(z.record(z.string(), z.string())).optional(),
      payload: json.optional(),
    }),
    action("create-issue", { title: z.string().min(1), body: text.optional(), labels: z.array(z.string()).optional() }),
    action("comment", { body: z.string().min(1) }),
  ])
  .meta({ id: "Action" });

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected the NAME of an environment variable (letters, digits, _)");

export const Notifier = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("slack"),
      channel: z.string().min(1),
      token_env: EnvName.optional().describe("environment variable holding a bot token"),
      webhook_url_env: EnvName.optional().describe("environment variable holding an incoming-webhook URL"),
      mention_on_failure: z.array(z.string()).optional(),
    }),
    z.strictObject({ type: z.literal("teams"), webhook_url_env: EnvName }),
    z.strictObject({
      type: z.literal("email"),
      to: z.array(z.string().regex(/^[^@\s]+@[^@\s]+$/, "expected an email address")).min(1),
      from: z.string().optional(),
      smtp_url_env: EnvName.optional(),
    }),
    z.strictObject({ type: z.literal("webhook"), url_env: EnvName }),
  ])
  .meta({ id: "Notifier" });

export const Automation = z
  .strictObject({
    name: z.string().trim().min(1, "name must not be empty"),
    description: z.string().default(""),
    enabled: z.boolean().default(true),
    trigger: Trigger,
    actions: z.array(Action).default([]),
    actions_on_trigger: z.array(Action).default([]),
    actions_on_resolve: z.array(Action).default([]),
  })
  .meta({ id: "Automation" });

export const WorkflowTrigger = z
  .strictObject({
    name: z.string().trim().min(1).optional().describe("default: `<workflow>#<n>`"),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    inputs: z.record(z.string(), json).optional().describe("workflow_dispatch inputs"),
    ref: z.string().optional(),
    type: z.literal("event").optional(),
    ...eventTriggerFields,
  })
  .meta({ id: "WorkflowTrigger" });

export const AutomationsFile = z
  .strictObject({
    automations: z.array(Automation).optional(),
    notifiers: z.record(z.string().min(1), Notifier).optional(),
    workflows: z
      .record(z.string().min(1), z.strictObject({ triggers: z.array(WorkflowTrigger).min(1) }))
      .optional()
      .describe("workflow file → triggers that run it (like Prefect deployment triggers)"),
  })
  .meta({
    title: "hookline automations",
    description: "hookline automations file (.github/automations.yaml)",
  });

export type RawFile = z.output<typeof AutomationsFile>;
export type RawAutomation = z.output<typeof Automation>;
export type RawAction = z.output<typeof Action>;
export type RawEventTrigger = z.output<typeof EventTrigger>;
export type RawCompound = z.output<typeof CompoundTrigger>;
export type RawSequence = z.output<typeof SequenceTrigger>;
export type RawTrigger = RawEventTrigger | RawCompound | RawSequence;
export type RawWorkflowTrigger = z.output<typeof WorkflowTrigger>;
