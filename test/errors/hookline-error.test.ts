/**
 * Every error class hookline's user can meet extends HooklineError: `instanceof` still tells them apart, their
 * names and messages are unchanged, and each carries its registered code, the fix (`hint`) and the link to the
 * code's section of docs/errors.md (`docs`). An unregistered code literal does not compile.
 */
import { describe, expect, it } from "vitest";
import { HooklineError, errorInfo } from "../../src/errors/index.js";
import { UnsafeNameError } from "../../src/database/identifiers.js";
import { EngineError } from "../../src/engine/errors.js";
import { ActionError } from "../../src/executors/errors.js";
import { TemplateError } from "../../src/templates/errors.js";
import { EventValidationError } from "../../src/events/event-schema.js";
import { PauseError } from "../../src/scopes/pause.js";
import { UsageError } from "../../src/cli/errors.js";
import { SqlStoreError } from "../../src/store/sql/errors.js";
import { StateStoreError } from "../../src/store/errors.js";
import { ActionInputError } from "../../src/action/errors.js";
import { PayloadShapeError } from "../../src/github/json-value.js";
import { DatabaseSourceError } from "../../src/adapters/database/errors.js";
import { ServerConfigError } from "../../bots/server/errors.js";
import { SlackPolicyError } from "../../bots/slack/policy.js";

const ERRORS: [Error & { code: string }, string, string][] = [
  [new UnsafeNameError("bad name"), "Error", "HOOKLINE_DB_BAD_NAME"],
  [new EngineError("HOOKLINE_ENGINE_BAD_TIME", "bad time"), "EngineError", "HOOKLINE_ENGINE_BAD_TIME"],
  [new ActionError("HOOKLINE_SECRET_MISSING", "no secret", false), "ActionError", "HOOKLINE_SECRET_MISSING"],
  [new TemplateError("HOOKLINE_TEMPLATE_SYNTAX", "bad", 1, 2), "TemplateError", "HOOKLINE_TEMPLATE_SYNTAX"],
  [new EventValidationError(["no event"]), "Error", "HOOKLINE_INVALID_EVENT"],
  [new PauseError("no name"), "PauseError", "HOOKLINE_PAUSE_INVALID"],
  [new UsageError("bad flag"), "Error", "HOOKLINE_USAGE"],
  [new SqlStoreError("HOOKLINE_STORE_BAD_QUERY", "bad limit"), "SqlStoreError", "HOOKLINE_STORE_BAD_QUERY"],
  [new StateStoreError("HOOKLINE_STATE_CORRUPT", "corrupt"), "StateStoreError", "HOOKLINE_STATE_CORRUPT"],
  [new ActionInputError("HOOKLINE_ACTION_INPUT", "bad input"), "ActionInputError", "HOOKLINE_ACTION_INPUT"],
  [new PayloadShapeError("cycle"), "Error", "HOOKLINE_GITHUB_BAD_PAYLOAD"],
  [new DatabaseSourceError("HOOKLINE_DB_AUTH", "refused"), "DatabaseSourceError", "HOOKLINE_DB_AUTH"],
  [new ServerConfigError("HOOKLINE_CONFIG_BAD_PORT", "bad port"), "Error", "HOOKLINE_CONFIG_BAD_PORT"],
  [new SlackPolicyError("bad policy", []), "SlackPolicyError", "HOOKLINE_SLACK_POLICY_INVALID"],
];

describe("HooklineError", () => {
  it("every error class extends it and keeps its own name, class and code", () => {
    for (const [err, name, code] of ERRORS) {
      expect(err).toBeInstanceOf(HooklineError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(name);
      expect(err.code).toBe(code);
      expect(Object.keys(err)).toContain("code");
    }
    expect(new TemplateError("HOOKLINE_TEMPLATE_SYNTAX", "x")).not.toBeInstanceOf(ActionError);
  });

  it("carries the registry's fix as `hint` and the docs anchor as `docs`", () => {
    for (const [err, , code] of ERRORS) {
      const e = err as HooklineError;
      expect(e.hint).toBe(errorInfo(code)!.fix);
      expect(e.docs).toBe(`docs/errors.md#${code.toLowerCase()}`);
    }
  });

  it("keeps the message and the cause it was given", () => {
    const cause = new Error("socket closed");
    const e = new SqlStoreError("HOOKLINE_DB_UNREACHABLE", "cannot reach PostgreSQL", { cause });
    expect(e.message).toBe("cannot reach PostgreSQL");
    expect(e.cause).toBe(cause);
  });

  it("refuses an unregistered code literal at compile time", () => {
    // @ts-expect-error HOOKLINE_NOT_A_REGISTERED_CODE is not in src/errors/registry.ts
    const e = new HooklineError("HOOKLINE_NOT_A_REGISTERED_CODE", "x");
    expect(e.hint).toBe("");
  });
});
