// Renders the README's pictures into docs/images/ (run `npm run pictures` after changing the Slack notifier,
// the Action's summary or annotations, or the README's first automation). The HTML comes from the product
// itself (scripts/picture-inputs.mjs); Debian's Chromium takes the screenshots through playwright-core, which
// drives an installed browser and downloads none. Set CHROMIUM_PATH to use another binary (scripts/chromium.mjs).
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM_FLAGS as FLAGS, chromiumPath } from "./chromium.mjs";
import { pictures, ROOT } from "./picture-inputs.mjs";

const out = join(ROOT, "docs/images");
mkdirSync(out, { recursive: true });
const shots = await pictures();
// launch() gives every run a fresh, temporary user-data-dir
const browser = await chromium.launch({ executablePath: chromiumPath(), args: FLAGS });
try {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 }, deviceScaleFactor: 2 });
  // the pages are self-contained: refuse anything else, so no screenshot can reach the network
  await page.route("**/*", (route) => (route.request().url().startsWith("data:") ? route.continue() : route.abort()));
  for (const { file, html } of shots) {
    await page.setContent(html);
    await page.locator("#shot").screenshot({ path: join(out, file) });
    console.log(`docs/images/${file}`);
  }
} finally {
  await browser.close();
}
