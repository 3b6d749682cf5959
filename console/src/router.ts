/**
 * Hash routing (`#/events/<id>`): the server serves one page at `/`, so every console address works on reload
 * and in a bookmark without server routes. `match` returns the page and its decoded parameters.
 */
import { useEffect, useState } from "preact/hooks";
import type { Page } from "./routes.js";

export function currentPath(): string {
  const h = location.hash.replace(/^#/, "");
  return h.startsWith("/") ? h : "/events";
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const on = () => setPath(currentPath());
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return path;
}

export function match(pages: readonly Page[], path: string): { page: Page; params: Record<string, string> } | null {
  const parts = path.split("?")[0]!.split("/").slice(1);
  for (const page of pages) {
    const pat = page.path.split("/").slice(1);
    if (pat.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    pat.forEach((p, i) => {
      if (p.startsWith(":")) {
        try {
          params[p.slice(1)] = decodeURIComponent(parts[i]!);
        } catch {
          ok = false;
        }
      } else if (p !== parts[i]) ok = false;
    });
    if (ok) return { page, params };
  }
  return null;
}

export const href = (path: string) => `#${path}`;
export const enc = encodeURIComponent;
