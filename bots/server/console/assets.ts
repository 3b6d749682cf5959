/**
 * The console's files (console/dist, built by `npm run build` with Vite), served at `/` and `/assets/*` from
 * memory: read once on first use, never from a path the request names (only files the build wrote are served).
 * Every answer carries the console's security headers (security-headers.ts); hashed assets are immutable.
 * When the bundle was not built, `/` says how to build it instead of a blank page.
 */
import { readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Handler } from "../http/context.js";
import { sendError } from "../../../src/adapters/http-server/respond.js";
import { CONSOLE_HEADERS } from "./security-headers.js";

/** console/dist of this checkout (this file is bots/server/console/ or build/bots/server/console/) */
export const CONSOLE_DIST = fileURLToPath(
  new URL(import.meta.url.includes("/build/bots/") ? "../../../../console/dist/" : "../../../console/dist/", import.meta.url),
);

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

interface Asset {
  body: Buffer;
  type: string;
}

export interface ConsoleAssets {
  /** `/` → index.html; `/assets/<name>`; null: not a file of the bundle */
  get(path: string): Asset | null;
  built(): boolean;
}

export function loadConsoleAssets(dir = CONSOLE_DIST): ConsoleAssets {
  let files: Map<string, Asset> | null = null;
  const load = () => {
    if (files) return files;
    const found = new Map<string, Asset>();
    const add = (rel: string) => {
      const type = TYPES[extname(rel)];
      if (type) found.set(`/${rel}`, { body: readFileSync(join(dir, rel)), type });
    };
    try {
      add("index.html");
      for (const name of readdirSync(join(dir, "assets"))) add(`assets/${name}`);
    } catch {
      /* not built: `/` explains */
    }
    // an unbuilt checkout is looked at again on the next request (npm run build may run meanwhile)
    if (found.has("/index.html")) files = found;
    return found;
  };
  return {
    get: (path) => load().get(path === "/" ? "/index.html" : path) ?? null,
    built: () => load().has("/index.html"),
  };
}

export const consoleFile: Handler = ({ req, res, url, deps }) => {
  const asset = deps.console.assets.get(url.pathname);
  if (!asset) {
    if (url.pathname === "/")
      return sendError(
        res,
        503,
        "HOOKLINE_CONSOLE_NOT_BUILT",
        "the web console is not built in this checkout: run `npm run build` (npm ci runs it), then reload",
        {},
        CONSOLE_HEADERS,
      );
    return sendError(res, 404, "HOOKLINE_NOT_FOUND", `no console file ${url.pathname.slice(0, 200)}`, {}, CONSOLE_HEADERS);
  }
  res.writeHead(200, {
    ...CONSOLE_HEADERS,
    "content-type": asset.type,
    "content-length": asset.body.length,
    "cache-control": url.pathname.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : asset.body);
};
