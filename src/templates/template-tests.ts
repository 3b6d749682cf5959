/**
 * The tests templates may use after `is` (and in `select` / `reject`): nunjucks' built-ins, each charged
 * before it runs. Type tests cost a step; `lower` / `upper` read the whole string; `eq`-style tests compare
 * strings; `<`-style and divisibility tests convert both sides as JavaScript does (a list by joining itself).
 */
import { table } from "./filters.js";
import { builtinTests } from "./nunjucks-internals.js";
import { ALLOWED_TESTS, WORK_COSTS } from "./policy.js";
import type { RenderState } from "./render-state.js";

type Test = (this: { state?: RenderState } | undefined, ...args: unknown[]) => boolean;

const STRICT = new Set(["eq", "equalto", "sameas", "ne"]);
const CONVERTING = new Set(["ge", "gt", "le", "lt", "greaterthan", "lessthan", "divisibleby", "even", "odd"]);
const CASE_TESTS = new Set(["lower", "upper"]);

function cost(state: RenderState, name: string, args: unknown[]): number {
  if (STRICT.has(name)) {
    const [a, b] = args;
    return typeof a === "string" && typeof b === "string" ? Math.min(a.length, b.length) : 0;
  }
  // lower / upper write a lower-cased (upper-cased) copy to compare
  if (CASE_TESTS.has(name)) return 4 * state.coercion(args[0]);
  if (CONVERTING.has(name)) return args.reduce<number>((n, v) => n + state.coercion(v), 0);
  return 0;
}

export const TESTS = table(
  [...ALLOWED_TESTS].map((name) => {
    const impl = builtinTests[name === "none" ? "null" : name];
    if (!impl) throw new Error(`test ${name} is allowed but nunjucks lacks it`);
    const test: Test = function (...args) {
      const state = this?.state;
      // compiled code and select/reject always call tests with the render's context; anything else is refused
      if (!state) return false;
      state.spend(WORK_COSTS.step + cost(state, name, args) * WORK_COSTS.char, `the test "${name}"`);
      return impl(...args) === true;
    };
    return [name, test] as [string, Test];
  }),
);
