// ESLint (typescript-eslint's recommended rules) for the code; Prettier owns the layout. The purity of the core
// is checked twice: dependency-cruiser (.dependency-cruiser.cjs) for what it imports, the rules below for the
// clock, the environment and timers it may not reach without importing anything.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const CORE = [
  "src/events/**",
  "src/github/**",
  "src/automations/**",
  "src/engine/**",
  "src/templates/**",
  "src/webhooks/**",
  "src/database/**",
];

export default tseslint.config(
  { ignores: ["dist/**", "console/dist/**", "build/**", "node_modules/**", "coverage/**", "bench/**/tmp/**", ".hookline/**"] },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        setImmediate: "readonly",
        clearImmediate: "readonly",
        queueMicrotask: "readonly",
        structuredClone: "readonly",
        fetch: "readonly",
        Response: "readonly",
        Request: "readonly",
        Headers: "readonly",
        AbortController: "readonly",
        AbortSignal: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        performance: "readonly",
        globalThis: "readonly",
        NodeJS: "readonly",
        crypto: "readonly",
        WebAssembly: "readonly",
        document: "readonly",
        window: "readonly",
        navigator: "readonly",
        location: "readonly",
        EventSource: "readonly",
        HTMLElement: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/no-explicit-any": "error",
      "no-constant-condition": ["error", { checkLoops: false }],
      // sanitizers match control characters on purpose (log lines, headers, labels)
      "no-control-regex": "off",
    },
  },
  {
    files: CORE,
    rules: {
      "no-restricted-globals": [
        "error",
        ...["process", "fetch", "setTimeout", "setInterval", "setImmediate", "performance", "console"].map((name) => ({
          name,
          message: "the core is pure (DESIGN.md): no environment, clock, timers, network or logging; take it as a parameter",
        })),
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: "the core has no clock: take `now` as a parameter",
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "the core has no clock: take `now` as a parameter" },
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: "the core is deterministic: take randomness as a parameter",
        },
      ],
    },
  },
  { files: ["**/*.cjs"], languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } } },
  {
    files: ["test/**", "bench/**", "scripts/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-non-null-assertion": "off" },
  },
);
