/**
 * Who may import what (DESIGN.md "Layout", "Rules of the house"), checked by `npm run lint:imports` in `npm test`.
 * test/tooling/import-rules.test.ts shows that each rule refuses a deliberately bad import.
 */
const CORE = "^src/(errors|events|github|automations|engine|templates|webhooks|database)/";

module.exports = {
  forbidden: [
    {
      name: "core-is-pure",
      comment:
        "The core (errors, events, github, automations, engine, templates, webhooks, database) imports only itself, zod, yaml, nunjucks and node:crypto's hashes: no I/O, no runtime, no adapter.",
      severity: "error",
      from: { path: CORE },
      to: { pathNot: [CORE, "node_modules/(zod|yaml|nunjucks)/", "^crypto$", "^node:crypto$"] },
    },
    {
      name: "core-imports-no-node-io",
      comment: "Node's built-in modules other than crypto are I/O (fs, net, http, child_process, worker_threads, ...): not in the core.",
      severity: "error",
      from: { path: CORE },
      to: { dependencyTypes: ["core"], pathNot: ["^crypto$", "^node:crypto$"] },
    },
    {
      name: "executors-behind-ports",
      comment: "Executors run behind ports: they never import an adapter (the I/O) or a runtime; runtimes wire adapters in.",
      severity: "error",
      from: { path: "^src/executors/" },
      to: { path: ["^src/adapters/", "^src/(action|cli)/", "^bots/"] },
    },
    {
      name: "store-imports-no-runtime",
      comment: "The store ports and their SQL do not know the runtimes or the adapters that open their databases.",
      severity: "error",
      from: { path: "^src/(store|scopes|report)/" },
      to: { path: ["^src/adapters/", "^src/(action|cli)/", "^bots/"] },
    },
    {
      name: "adapters-import-no-runtime",
      comment: "Adapters depend on the core and the ports, never on a runtime.",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: ["^src/(action|cli)/", "^bots/"] },
    },
    {
      name: "src-reaches-bots-through-entries",
      comment: "src/ may start a bots/ runtime only through its entry (bots/<runtime>/index.ts).",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^bots/", pathNot: "^bots/[^/]+/index\\.ts$" },
    },
    {
      name: "runtimes-meet-at-entries",
      comment: "A runtime imports another runtime only through that runtime's entry (bots/<runtime>/index.ts).",
      severity: "error",
      from: { path: "^bots/([^/]+)/" },
      to: { path: "^bots/", pathNot: ["^bots/$1/", "^bots/[^/]+/index\\.ts$"] },
    },
    {
      name: "action-and-cli-apart",
      comment: "The Action (src/action) and the CLI (src/cli) are runtimes: neither imports the other.",
      severity: "error",
      from: { path: "^src/(action|cli)/" },
      to: { path: "^src/(action|cli)/", pathNot: "^src/$1/" },
    },
    {
      name: "action-bundle-stays-lean",
      comment: "dist/index.js bundles what src/action imports: never the adapters' barrel or the databases (PGlite alone is 10 MB).",
      severity: "error",
      from: { path: "^src/action/" },
      to: { path: "^src/adapters/(index|open-database|pglite-db|postgres-db)\\.ts$" },
    },
    {
      name: "no-runtime-imports-tests",
      severity: "error",
      from: { path: "^(src|bots)/" },
      to: { path: "^(test|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".js", ".mjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
