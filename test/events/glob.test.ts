import { describe, expect, it } from "vitest";
import { compilePattern, matchesAny, mixesNegation } from "../../src/events/glob.js";

const m = (pattern: string, value: string | undefined) => compilePattern(pattern).test(value);

describe("anchored glob matching (SEMANTICS §2)", () => {
  it("is anchored at both ends", () => {
    expect(m("github.push", "github.push")).toBe(true);
    expect(m("github.push", "github.push.created")).toBe(false);
    expect(m("push", "github.push")).toBe(false);
  });

  it("is case-sensitive", () => {
    expect(m("github.workflow-run.Failed", "github.workflow-run.failed")).toBe(false);
  });

  it("* matches any run including '.', '/', ':' and the empty string", () => {
    expect(m("github.*", "github.workflow-run.Failed")).toBe(true);
    expect(m("a*b", "a/x:y.z b".replace(" ", ""))).toBe(true);
    expect(m("a*b", "ab")).toBe(true);
    expect(m("refs/*", "refs/heads/main")).toBe(true);
  });

  it("? matches exactly one character", () => {
    expect(m("v?", "v1")).toBe(true);
    expect(m("v?", "v")).toBe(false);
    expect(m("v?", "v12")).toBe(false);
  });

  it("[abc] and [!abc] classes match one character in or out of the set", () => {
    expect(m("run-[abc]", "run-b")).toBe(true);
    expect(m("run-[abc]", "run-d")).toBe(false);
    expect(m("run-[!abc]", "run-d")).toBe(true);
    expect(m("run-[!abc]", "run-a")).toBe(false);
    expect(m("v[0-9]", "v7")).toBe(true);
  });

  it("regular-expression characters in a pattern are literal", () => {
    expect(m("a.b", "axb")).toBe(false);
    expect(m("(x)+", "(x)+")).toBe(true);
    expect(m("^x$", "^x$")).toBe(true);
    expect(m("a\\d", "a\\d")).toBe(true);
  });

  it("an unclosed [ is a literal character", () => {
    expect(m("a[b", "a[b")).toBe(true);
  });

  it("a leading ! negates the pattern", () => {
    expect(m("!main", "dev")).toBe(true);
    expect(m("!main", "main")).toBe(false);
    expect(m("!release/*", "release/1.0")).toBe(false);
  });

  it("a missing label matches nothing, not even a negated pattern", () => {
    expect(m("*", undefined)).toBe(false);
    expect(m("!main", undefined)).toBe(false);
  });

  it("a list of patterns holds when any element holds (OR)", () => {
    expect(matchesAny("b", ["a", "b"])).toBe(true);
    expect(matchesAny("c", ["a", "b"])).toBe(false);
    expect(matchesAny(undefined, ["!a"])).toBe(false);
  });

  it("detects lists that mix positive and negated patterns", () => {
    expect(mixesNegation(["a", "!b"])).toBe(true);
    expect(mixesNegation(["!a", "!b"])).toBe(false);
    expect(mixesNegation(["a", "b"])).toBe(false);
  });

  it("stays linear on pathological patterns", () => {
    const value = "a".repeat(5000);
    expect(m("*a*a*a*a*a*a*a*a*b", value)).toBe(false);
  });
});

describe("glob matching cost is bounded (patterns and values come from users)", () => {
  it("patterns with many stars against long non-matching values finish (no exponential backtracking)", () => {
    const value = "a".repeat(100_000);
    expect(m(`${"*a".repeat(50)}*b`, value)).toBe(false);
    expect(m(`${"*a".repeat(50)}*`, value)).toBe(true);
    expect(m("*?*?*?*?*?*b", value)).toBe(false);
  });

  it("agrees with a reference regular-expression translation on generated cases", () => {
    // reference: the obvious regex translation, safe here because the inputs are tiny
    const toRegex = (glob: string) =>
      new RegExp(
        `^${glob
          .replace(/[.+^${}()|\\/]/g, "\\$&")
          .replace(/\*/g, ".*")
          .replace(/\?/g, ".")
          .replace(/\[!/g, "[^")}$`,
        "s",
      );
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const atoms = ["a", "b", ".", "*", "?", "[ab]", "[!a]", "[a-c]"];
    for (let k = 0; k < 3000; k++) {
      const pattern = Array.from({ length: 1 + rand(6) }, () => atoms[rand(atoms.length)]).join("");
      const value = Array.from({ length: rand(7) }, () => "abc."[rand(4)]).join("");
      expect({ pattern, value, ok: m(pattern, value) }).toEqual({ pattern, value, ok: toRegex(pattern).test(value) });
    }
  });
});
