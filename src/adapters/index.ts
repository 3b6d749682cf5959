/**
 * The ports' I/O (DESIGN.md "Layout"): HTTP, GitHub, Slack, mail (each also under the egress policy: egress/), the databases under the SQL store and the
 * Git ref state store. The core never imports these; runtimes wire them into the executors and stores.
 */
export { createFetchHttpPort } from "./fetch-http-port.js";
export { gitHubPortFrom } from "./github-port.js";
export { createSlackClient, createSlackPort, slackPortFrom, slackError, type SlackClientOptions } from "./slack-port.js";
export { openDatabase, type OpenDatabaseOptions } from "./open-database.js";
export { openPglite } from "./pglite-db.js";
export { openPostgres } from "./postgres-db.js";
export * from "./git-ref-store.js";
export { createMailPort, type MailPortOptions } from "./mail-port.js";
export { addressRule, EGRESS_CODES, type AddressRule, type EgressCode } from "./egress/address-rules.js";
export { egressAllowProblem, parseEgressAllow, type EgressAllowList } from "./egress/allow-list.js";
export { createEgressPolicy, type EgressPolicy, type Resolver } from "./egress/egress-policy.js";
export { createPolicedHttpPort } from "./egress/policed-http-port.js";
export { createPolicedMailPort } from "./egress/policed-mail-port.js";
export {
  createTemplatePool,
  TEMPLATE_POOL_DEFAULTS,
  type TemplatePool,
  type TemplatePoolOptions,
  type TemplatePoolStats,
} from "./template-pool.js";
