/**
 * The normalized automation model: what the loader produces and the engine, templates and runtimes consume.
 * All durations are in SECONDS. Field names of action parameters stay as the user wrote them (snake_case).
 */
import type { ResourceMatch } from "../events/match.js";

export const STATE_NAMES = [
  "Pending",
  "Running",
  "Waiting",
  "Completed",
  "Failed",
  "Cancelled",
  "TimedOut",
  "Skipped",
  "Neutral",
  "Stale",
  "Crashed",
] as const;
export type StateName = (typeof STATE_NAMES)[number];

export interface SourcePosition {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export type Posture = "Reactive" | "Proactive";

export interface EventTriggerSpec {
  type: "event";
  match: ResourceMatch;
  match_related: ResourceMatch[];
  after: string[];
  expect: string[];
  for_each: string[]; // kept sorted (bucket key order is the sorted label order)
  posture: Posture;
  threshold: number;
  /** seconds; 0 = no time limit (Reactive). Proactive defaults to 10 and is >= 10. */
  within: number;
  /** seconds between repeated Triggered firings while in alarm; null = never */
  repeat: number | null;
}

export interface CompoundTriggerSpec {
  type: "compound";
  triggers: TriggerSpec[];
  require: "all" | "any" | number;
  /** seconds; null or 0 = unlimited */
  within: number | null;
}

export interface SequenceTriggerSpec {
  type: "sequence";
  triggers: TriggerSpec[];
  within: number | null;
}

export type TriggerSpec = EventTriggerSpec | CompoundTriggerSpec | SequenceTriggerSpec;

export const ACTION_TYPES = [
  "do-nothing",
  "run-workflow",
  "repository-dispatch",
  "cancel-workflow-run",
  "rerun-workflow-run",
  "enable-workflow",
  "disable-workflow",
  "pause-automation",
  "resume-automation",
  "send-notification",
  "call-webhook",
  "emit-event",
  "create-issue",
  "comment",
] as const;
export type ActionType = (typeof ACTION_TYPES)[number];

export interface ActionSpec {
  type: ActionType;
  /** action-specific fields exactly as written (may hold template strings), without the common fields below */
  params: Record<string, unknown>;
  only_states: StateName[] | null;
  ignore_states: StateName[] | null;
  max_retries: number;
  /** seconds */
  retry_interval: number;
  /** seconds */
  timeout: number;
  position?: SourcePosition;
}

export const ACTION_DEFAULTS = { max_retries: 3, retry_interval: 10, timeout: 30 } as const;

export interface Automation {
  name: string;
  description: string;
  enabled: boolean;
  trigger: TriggerSpec;
  actions: ActionSpec[];
  actions_on_trigger: ActionSpec[];
  actions_on_resolve: ActionSpec[];
  position?: SourcePosition;
  /**
   * set when expanded from the top-level `workflows:` section; `trigger_index` is 0-based (the generated name
   * `<workflow>#<n>` is 1-based)
   */
  generated_from?: { workflow: string; trigger_index: number };
}

export type Notifier =
  | { type: "slack"; channel: string; token_env?: string; webhook_url_env?: string; mention_on_failure?: string[] }
  | { type: "teams"; webhook_url_env: string }
  | { type: "email"; to: string[]; from?: string; smtp_url_env?: string }
  | { type: "webhook"; url_env: string };

export interface AutomationsConfig {
  automations: Automation[];
  notifiers: Record<string, Notifier>;
}
