// The built site served on 127.0.0.1 (scripts/serve.mjs: sirv, with the cross-origin isolation
// headers the playground's memory measurement needs), Debian's Chromium driven by playwright-core,
// and the site's pages.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { DIST } from '../scripts/serve.mjs';

export { DIST, serveSite } from '../scripts/serve.mjs';
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether the browser test can run: Chromium is installed (Debian's `chromium`; `.ci/run` installs
 * it). Without it the test is skipped with the reason printed — unless MEMSTORE_REQUIRE_BROWSER=1
 * (set by `.ci/run`), which makes a missing browser a failure, so CI never skips it silently.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.MEMSTORE_REQUIRE_BROWSER === '1') throw new Error(`No Chromium at ${CHROMIUM}, and MEMSTORE_REQUIRE_BROWSER=1: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  console.warn(`apps/docs: the browser test is skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH; .ci/run installs it).`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // measureUserAgentSpecificMemory answers at once instead of at the next GC (up to ~20 s).
      '--enable-blink-features=ForceEagerMeasureMemory',
    ],
  });
}

/** Every page of the built site, as a path from its root (`guide/choosing.html`). */
export function sitePages(dir = DIST): string[] {
  const pages: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) pages.push(...sitePages(path));
    else if (name.endsWith('.html')) pages.push(relative(DIST, path));
  }
  return pages.sort();
}
