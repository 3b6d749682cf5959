/**
 * The installed Chromium (Debian's `chromium`, .ci/chromium.sh) driven by playwright-core, which downloads no
 * browser. CHROMIUM_PATH overrides /usr/bin/chromium. Each launch gets a fresh profile folder and no network
 * beyond what the page asks of the test server on 127.0.0.1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from "playwright-core";
import { CHROMIUM_FLAGS, chromiumPath } from "../../scripts/chromium.mjs";
import { TEST_API_TOKEN } from "../server/http/helpers.js";

export async function launchChromium(): Promise<{ browser: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "hookline-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
  });
  return {
    browser: context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** collects what the page logs as an error or warning, and its uncaught errors (CSP violations are errors) */
export function recordProblems(page: Page, into: string[]): void {
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error" || m.type() === "warning") into.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => into.push(`pageerror: ${e.message}`));
}

/** a browser with one page whose problems go to `into` */
export async function launchPage(into: string[]): Promise<{ chrome: Awaited<ReturnType<typeof launchChromium>>; page: Page }> {
  const chrome = await launchChromium();
  const page = await chrome.browser.newPage();
  recordProblems(page, into);
  return { chrome, page };
}

/** opens the console at `url`, signs in with the API token and waits for the first page (Events) */
export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel("API token").fill(TEST_API_TOKEN);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Events", level: 1 }).waitFor();
}

export type { Browser };
