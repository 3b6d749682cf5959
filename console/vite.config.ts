/**
 * The console's bundle: Preact (4 KB, React's API, no runtime dependencies) built by Vite, which is already in the
 * tree through vitest. Output: console/dist, served by the server at `/` (bots/server/console/assets.ts). No inline
 * script or style is emitted (the server's CSP forbids them) and nothing is loaded from another origin.
 */
import { defineConfig } from "vite";

export default defineConfig({
  root: new URL(".", import.meta.url).pathname,
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // the polyfill would be an inline script; every browser the console supports has modulepreload
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  logLevel: "warn",
});
