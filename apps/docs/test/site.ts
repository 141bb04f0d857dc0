// The built site served on 127.0.0.1 (sirv, with the cross-origin isolation headers the
// playground's memory measurement needs and application/wasm), and Debian's Chromium driven by
// playwright-core.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import sirv from 'sirv';

export const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export async function serveSite(): Promise<{ origin: string; close: () => Promise<void> }> {
  const files = sirv(DIST, {
    dev: false,
    setHeaders: (response) => {
      response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    },
  });
  const server: Server = createServer((request, response) =>
    files(request, response, () => {
      response.statusCode = 404;
      response.end('not found');
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
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
