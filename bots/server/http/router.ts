/** A small router: `/hooks/:slug`-style patterns, 404 for unknown paths, 405 (with Allow) for known paths. */
import type { Handler } from "./context.js";

export interface Route {
  /** metric/log label, e.g. "/hooks/:slug" */
  name: string;
  methods: readonly string[];
  handler: Handler;
}

interface Compiled extends Route {
  segments: string[];
}

export type Match = { route: Route; params: Record<string, string> } | { allow: string[] } | null;

export class Router {
  private readonly routes: Compiled[] = [];

  add(methods: readonly string[], pattern: string, handler: Handler): this {
    this.routes.push({ name: pattern, methods, handler, segments: pattern.split("/").slice(1) });
    return this;
  }

  match(method: string, path: string): Match {
    const parts = path.split("/").slice(1);
    const allow = new Set<string>();
    for (const r of this.routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.methods.includes(method)) return { route: r, params };
      r.methods.forEach((m) => allow.add(m));
    }
    return allow.size > 0 ? { allow: [...allow] } : null;
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const v = parts[i]!;
    if (p.startsWith(":")) {
      if (v === "") return null;
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return null;
      }
    } else if (p !== v) return null;
  }
  return params;
}
