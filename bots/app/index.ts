/**
 * The GitHub App (Probot 14 for its identity: JWT, installation tokens, Octokit), mounted as a middleware of the
 * server (no HTTP server of its own): verified deliveries (X-Hub-Signature-256, receive-delivery.ts) →
 * translateWebhook → durable ingest for the scopes
 * `["server", "repo:<full name>"]` (`["server"]` without a repository), awaited before the middleware answers
 * (2xx = stored) → wake the evaluator. Repository records (installation, default branch) follow the
 * deliveries; a push to the default branch marks the config stale and re-reads it in the background. Pull
 * requests that touch automations or workflows get the `hookline / automations` check, also in the background.
 */
import { pino } from "pino";
import { createFetchHttpPort, createMailPort, gitHubPortFrom, type OctokitLike } from "../../src/adapters/index.js";
import { translateWebhookSerialized } from "../../src/github/index.js";
import type { Origin } from "../../src/events/origin.js";
import { HooklineError } from "../../src/errors/index.js";
import type { IngestItem } from "../../src/store/server-types.js";
import { statusOf } from "./contents.js";
import { createProbot, type GitHubClient } from "./octokit.js";
import { checkRequestOf, runCheck } from "./pr-check.js";
import { createRepoConfigs } from "./repo-configs.js";
import { receiveDelivery } from "./receive-delivery.js";
import { createRepositories, FULL_NAME, repositoryNotes } from "./repositories.js";
import { MAX_DELIVERY_BYTES, WEBHOOKS_PATH, type GitHubApp, type GitHubAppOptions } from "./types.js";

export * from "./types.js";
export { HooklineOctokit, createProbot, tokenOctokit, type GitHubClient } from "./octokit.js";
export { ANNOTATIONS_PER_REQUEST, MAX_ANNOTATIONS } from "./check-output.js";
export { APP_EVENTS, APP_PERMISSIONS, ORG_LOGIN, appManifest, newAppUrl, type AppManifest } from "./manifest.js";
export { MANIFEST_CODE, ManifestConversionError, convertManifestCode, type ManifestConversion } from "./manifest-conversion.js";

type Level = NonNullable<GitHubAppOptions["logLevel"]>;
const LEVELS = new Set(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);

/** `repo:<owner>/<name>` → `<owner>/<name>`; throws for any other scope (the server composes those). */
export function repositoryOfScope(scope: string): string {
  const fullName = scope.startsWith("repo:") ? scope.slice(5) : "";
  if (!FULL_NAME.test(fullName)) {
    throw new HooklineError(
      "HOOKLINE_APP_SCOPE",
      `scope ${JSON.stringify(scope)} is not a repository scope (repo:<owner>/<name>): the GitHub App only serves those`,
    );
  }
  return fullName;
}

export function createGitHubApp(opts: GitHubAppOptions): GitHubApp {
  const now = opts.now ?? Date.now;
  const baseUrl = (opts.baseUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const envLevel = process.env.LOG_LEVEL;
  const level: Level = opts.logLevel ?? (envLevel && LEVELS.has(envLevel) ? (envLevel as Level) : "warn");
  // Probot's Octokit without retry/throttling plugins (octokit.ts); probot.auth(id) caches installation tokens
  const probot = createProbot({
    appId: opts.appId,
    privateKey: opts.privateKey,
    secret: opts.webhookSecret,
    baseUrl,
    log: pino({ level, name: "probot" }),
  });
  const installation = (installationId: number) => probot.auth(installationId) as Promise<GitHubClient>;
  const repositories = createRepositories(opts.store, now);
  const lookupInstallation = async (fullName: string): Promise<number | undefined> => {
    const [owner, repo] = fullName.split("/") as [string, string];
    try {
      const app = await probot.auth();
      const { data } = await app.request("GET /repos/{owner}/{repo}/installation", { owner, repo });
      const id = (data as { id?: unknown }).id;
      return typeof id === "number" ? id : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  };
  const configs = createRepoConfigs({ store: opts.store, installation, log: opts.log, now, lookupInstallation });

  const background = new Set<Promise<unknown>>();
  function inBackground(what: string, context: object, task: () => Promise<unknown>): void {
    const p = task()
      .catch((err) =>
        opts.log.warn({ ...context, err: err instanceof Error ? err.message : String(err), status: statusOf(err) }, `${what} failed`),
      )
      .finally(() => background.delete(p));
    background.add(p);
  }

  async function onDelivery(
    name: string,
    delivery: string,
    payload: unknown,
    payloadText: string,
    report?: (fields: Record<string, unknown>) => void,
  ): Promise<void> {
    // what became of the delivery: on the server's request log line when it gave `report`, else a line of its own
    const tell = (fields: Record<string, unknown>, msg: string) => (report ? report(fields) : opts.log.info(fields, msg));
    const notes = repositoryNotes(name, payload);
    for (const note of notes) await repositories.note(note);
    // each delivery's body is parsed once for this one handler (receive-delivery.ts): no deep copy needed (parsedJson)
    const fullName = (payload as { repository?: { full_name?: unknown } }).repository?.full_name;
    const repository = typeof fullName === "string" && FULL_NAME.test(fullName) ? fullName : null;
    const origin: Origin = { kind: "github", name: repository ?? "app" };
    const translated = translateWebhookSerialized({
      name,
      delivery,
      payload,
      payloadText,
      received: new Date(now()).toISOString(),
      parsedJson: true,
      // a repository_dispatch payload that is an event was written by the repository's pushers: their origin
      origins: { delivery: origin, dispatch: { kind: "repo", name: repository ?? "unknown" } },
    });
    if ("skipped" in translated) {
      tell({ delivery, event: name, skipped: translated.skipped }, "delivery not turned into events");
      return;
    }
    // GitHub's own deliveries: the server's automations and the repository's; an event a repository's pushers wrote
    // into a repository_dispatch: that repository's automations alone (scopes are walls)
    const scopes = translated.embedded
      ? repository
        ? [`repo:${repository}`]
        : []
      : repository
        ? ["server", `repo:${repository}`]
        : ["server"];
    const itemOrigin = translated.embedded ? { kind: "repo" as const, name: repository ?? "unknown" } : origin;
    // each event with the JSON text translation already made (a store that knows `json` does not serialize again)
    const items = translated.events.map((event, i): IngestItem => {
      const json = translated.json[i];
      return json === undefined ? { event, scopes, origin: itemOrigin } : { event, scopes, origin: itemOrigin, json };
    });
    const stored = await opts.ingest(items);
    tell(
      {
        delivery,
        event: name,
        ids: translated.events.map((e) => e.id),
        inserted: stored.inserted.length,
        duplicates: stored.duplicates.length,
      },
      "delivery stored",
    );
    if (stored.inserted.length === 0) return; // a redelivery: its work was done the first time
    opts.wake?.();
    for (const note of notes) {
      if (note.stale) inBackground("automations config refresh", { repository: note.fullName }, () => configs.refresh(note.fullName));
    }
    const check = checkRequestOf(name, payload);
    if (check) {
      inBackground("PR check", { repository: check.fullName, sha: check.headSha }, async () => {
        const backtest = opts.backtest
          ? { replays: opts.backtest, live: async (fullName: string) => (await configs.configOf(fullName))?.config ?? null }
          : undefined;
        const ran = await runCheck(await installation(check.installationId), check, now, backtest);
        if (ran) opts.log.info({ repository: check.fullName, sha: check.headSha }, "PR check published");
      });
    }
  }

  const maxBodyBytes = opts.maxBodyBytes ?? MAX_DELIVERY_BYTES;
  return {
    async middleware(req, res, report) {
      const path = (req.url ?? "").split("?")[0]!.replace(/\/+$/, "");
      if (path !== WEBHOOKS_PATH) return false;
      await receiveDelivery(req, res, {
        secret: opts.webhookSecret,
        maxBodyBytes,
        handle: (d) => onDelivery(d.name, d.id, d.payload, d.text, report),
        onError: (err, d) =>
          opts.log.error(
            { delivery: d.id, event: d.name, err: err instanceof Error ? err.message : String(err) },
            "delivery not stored: answered 500, GitHub can redeliver it",
          ),
      });
      return true;
    },
    runtime: {
      async configOf(scope) {
        return configs.configOf(repositoryOfScope(scope));
      },
      async portsOf(scope) {
        const fullName = repositoryOfScope(scope);
        const [owner, repo] = fullName.split("/") as [string, string];
        const installationId =
          repositories.cachedInstallation(fullName) ??
          (await opts.store.getRepository(fullName))?.installationId ??
          (await lookupInstallation(fullName));
        if (installationId === undefined) {
          throw new HooklineError(
            "HOOKLINE_APP_NOT_INSTALLED",
            `the GitHub App is not installed on ${fullName}: install it there (or remove the automations that act on it)`,
          );
        }
        // the installation token is fetched (or taken from Probot's cache) at the first GitHub call, not here
        const github = gitHubPortFrom(
          { request: async (route, params) => (await installation(installationId)).request(route, params) },
          now,
        );
        return {
          github,
          http: createFetchHttpPort(),
          mail: createMailPort(),
          env: opts.env ?? process.env,
          repository: { owner, repo },
        };
      },
    },
    async octokitFor(fullName) {
      const installationId =
        repositories.cachedInstallation(fullName) ??
        (await opts.store.getRepository(fullName))?.installationId ??
        (await lookupInstallation(fullName));
      return installationId === undefined ? null : ((await installation(installationId)) as OctokitLike);
    },
    async idle() {
      while (background.size) await Promise.allSettled([...background]);
    },
  };
}
