/** Node options for a worker thread that runs the TypeScript sources in tests (see ts-hooks.mjs). */
const hooks = new URL("./ts-hooks.mjs", import.meta.url).href;
const register = `import { register } from "node:module"; register(${JSON.stringify(hooks)});`;

export const TS_WORKER_EXEC_ARGV: string[] = ["--import", `data:text/javascript,${encodeURIComponent(register)}`];
