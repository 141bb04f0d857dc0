// The site in a real browser: every page loads without an error, the charts render, and the
// playground loads files (the example cargo, and a 200 MB NDJSON no tab could hold as objects),
// shows what memstore in Node computes for the same file, and states its true page weight.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { where } from '@memstore/cli/filter';
import { formatSchema, Store } from '@memstore/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launchChromium, REPO, serveSite, sitePages } from './site';

let browser: Browser;
let site: { origin: string; close: () => Promise<void> };
const withBrowser = browserAvailable();

beforeAll(async () => {
  if (!withBrowser) return;
  site = await serveSite();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

/** A page that records its console errors and uncaught exceptions. */
async function watchedPage(): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  // The console says only "Failed to load resource"; the response names what failed.
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()}: ${new URL(response.url()).pathname}`);
  });
  page.on('crash', () => errors.push('the tab crashed'));
  return { page, errors };
}

describe.runIf(withBrowser)('the built site', () => {
  it('loads every page without console errors', async () => {
    // 404.html is what a host serves, with status 404, for an address it lacks: the browser logs that status.
    const pages = sitePages().filter((path) => path !== '404.html');
    expect(pages).toContain('playground.html');
    expect(pages).toContain('guide/choosing.html');
    // Four tabs at a time: the API reference alone is ~100 pages, each waited on until the network is idle.
    const failures: Array<[string, string[]]> = [];
    const queue = [...pages];
    const visit = async () => {
      for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
        const { page, errors } = await watchedPage();
        await page.goto(`${site.origin}/${path}`, { waitUntil: 'networkidle' });
        if (errors.length > 0) failures.push([path, errors]);
        await page.close();
      }
    };
    await Promise.all([visit(), visit(), visit(), visit()]);
    expect(failures).toEqual([]);
  });

  it('renders every chart of the guide from the results files', async () => {
    const { page, errors } = await watchedPage();
    await page.goto(`${site.origin}/guide/choosing.html`, { waitUntil: 'networkidle' });
    const charts = page.locator('figure.ms-chart');
    const count = await charts.count();
    expect(count).toBeGreaterThanOrEqual(3);
    for (let i = 0; i < count; i++) {
      const chart = charts.nth(i);
      expect(await chart.getAttribute('data-source')).toMatch(/^results\/[\w-]+\.json$/);
      // A rendered Plot chart: an svg with marks in it, and the machine and date in its caption.
      expect(await chart.locator('svg').first().locator('rect, path, circle, line').count()).toBeGreaterThan(0);
      expect(await chart.locator('figcaption').textContent()).toMatch(/\d{4}-\d{2}-\d{2}/);
    }
    expect(errors).toEqual([]);
  });
});

describe.runIf(withBrowser)('the playground', () => {
  it('loads examples/cargo.json and shows its record count, schema, memory and a query answer', async () => {
    const file = join(REPO, 'examples', 'cargo.json');
    const expected = await Store.fromFile(file);
    const query = `product.name == "Elec'sOil" and quantity.value > 2000`;
    const { page, errors } = await watchedPage();
    await page.goto(`${site.origin}/playground.html`, { waitUntil: 'networkidle' });
    await page.getByTestId('file').setInputFiles(file);
    await expect.poll(() => page.getByTestId('records').getAttribute('data-records'), { timeout: 60_000 }).toBe(String(expected.length));
    expect(await page.getByTestId('schema').textContent()).toBe(formatSchema(expected.schema));
    // JSON.parse objects, measured in their own worker by measureUserAgentSpecificMemory (the test server isolates the page).
    await expect.poll(() => page.getByTestId('memory-plain').textContent(), { timeout: 60_000 }).toMatch(/B\/record/);
    await page.getByTestId('where').fill(query);
    await page.getByTestId('run-query').click();
    await expect.poll(() => page.getByTestId('query-count').getAttribute('data-count'), { timeout: 30_000 }).toBe(String(where(expected, query).count()));
    expected.dispose();
    expect(errors).toEqual([]);
  });

  it('loads the same records saved as .msx, Arrow IPC and Parquet', async () => {
    const source = await Store.fromFile(join(REPO, 'examples', 'cargo.json'));
    const dir = mkdtempSync(join(tmpdir(), 'memstore-docs-formats-'));
    try {
      await source.save(join(dir, 'cargo.msx'));
      await source.writeArrow(join(dir, 'cargo.arrow'));
      await source.toParquet(join(dir, 'cargo.parquet'));
      for (const name of ['cargo.msx', 'cargo.arrow', 'cargo.parquet']) {
        const { page, errors } = await watchedPage();
        await page.goto(`${site.origin}/playground.html`, { waitUntil: 'networkidle' });
        await page.getByTestId('file').setInputFiles(join(dir, name));
        await page.getByTestId('records').or(page.getByTestId('load-error')).waitFor({ timeout: 120_000 });
        const failed = (await page.getByTestId('load-error').count()) > 0 ? await page.getByTestId('load-error').textContent() : null;
        expect(failed, name).toBeNull();
        expect(await page.getByTestId('records').getAttribute('data-records'), name).toBe(String(source.length));
        expect(await page.getByTestId('schema').textContent(), name).toBe(formatSchema((await Store.fromFile(join(dir, name))).schema));
        expect(errors, name).toEqual([]);
        await page.close();
      }
    } finally {
      source.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the column of a mistake in the query', async () => {
    const { page } = await watchedPage();
    await page.goto(`${site.origin}/playground.html`, { waitUntil: 'networkidle' });
    await page.getByTestId('file').setInputFiles(join(REPO, 'examples', 'cargo.json'));
    await page.getByTestId('records').waitFor({ timeout: 60_000 });
    await page.getByTestId('where').fill('quantity.value >');
    await page.getByTestId('run-query').click();
    await expect.poll(() => page.getByTestId('query-error').textContent(), { timeout: 30_000 }).toMatch(/column \d+/);
  });

  it('runs a snippet given in the address, with the store in scope', async () => {
    const { page, errors } = await watchedPage();
    const code = 'const s = await Store.fromJSON(\'[{"a": 1}, {"a": 2.5}]\'); console.log(s.length); return s.sum("a")';
    await page.goto(`${site.origin}/playground.html?code=${encodeURIComponent(code)}`, { waitUntil: 'networkidle' });
    await expect.poll(() => page.getByTestId('run-output').textContent(), { timeout: 30_000 }).toBe('2\n→ 3.5');
    expect(errors).toEqual([]);
  });

  it("runs every lesson's snippet from its link", async () => {
    const links: string[] = [];
    for (const lesson of sitePages().filter((path) => path.startsWith('lessons/'))) {
      const { page } = await watchedPage();
      await page.goto(`${site.origin}/${lesson}`, { waitUntil: 'networkidle' });
      for (const link of await page.getByTestId('run-in-playground').all()) links.push((await link.getAttribute('href'))!);
      await page.close();
    }
    expect(links.length).toBeGreaterThanOrEqual(3);
    for (const href of links) {
      const { page, errors } = await watchedPage();
      await page.goto(`${site.origin}${href}`, { waitUntil: 'networkidle' });
      await page.getByTestId('run-output').or(page.getByTestId('run-error')).waitFor({ timeout: 60_000 });
      const failed = (await page.getByTestId('run-error').count()) > 0 ? await page.getByTestId('run-error').textContent() : null;
      expect(failed, href).toBeNull();
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('loads a 200 MB NDJSON file without the tab running out of memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'memstore-docs-'));
    try {
      const file = join(dir, 'big.ndjson');
      const records = await writeCargo(file, 200 * 2 ** 20);
      const { page, errors } = await watchedPage();
      await page.goto(`${site.origin}/playground.html`, { waitUntil: 'networkidle' });
      await page.getByTestId('file').setInputFiles(file);
      // The page keeps drawing while the worker loads: the progress bar moves past its start.
      await expect.poll(() => page.getByTestId('progress').evaluate((bar: HTMLProgressElement) => bar.value), { timeout: 60_000, interval: 50 }).toBeGreaterThan(0);
      await expect.poll(() => page.getByTestId('records').getAttribute('data-records'), { timeout: 240_000, interval: 1000 }).toBe(String(records));
      await expect.poll(() => page.getByTestId('memory-plain').textContent()).toMatch(/not measured here: the file is over/);
      expect(errors).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('states its page weight truly, under 300 KB of gzip', async () => {
    const { page } = await watchedPage();
    const loaded: string[] = [];
    page.on('response', (response) => {
      const url = new URL(response.url());
      // Link prefetches of other pages (VitePress prefetches links in view) are not this page's weight.
      if (/\.(js|wasm)$/.test(url.pathname) && response.request().headers().purpose !== 'prefetch' && response.request().headers()['sec-purpose'] !== 'prefetch') loaded.push(url.pathname);
    });
    await page.goto(`${site.origin}/playground.html`, { waitUntil: 'networkidle' });
    const stated = Number(await page.getByTestId('page-weight-bytes').getAttribute('data-bytes'));
    let recomputed = 0;
    for (const path of new Set(loaded)) recomputed += gzipSync(await readFile(join(REPO, 'apps', 'docs', 'dist', path))).length;
    expect(loaded.length).toBeGreaterThan(0);
    expect(recomputed).toBe(stated);
    expect(stated).toBeLessThan(300_000);
  });
});

/** Cargo-like NDJSON records (varied ids, names, quantities, dates) until `bytes`; the record count. */
async function writeCargo(path: string, bytes: number): Promise<number> {
  const out = createWriteStream(path);
  const names = ['Duper', "Elec'sOil", 'Gas', 'Coal', 'Ore', 'Grain', 'Wood', 'Steel'];
  let written = 0;
  let records = 0;
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  while (written < bytes) {
    let chunk = '';
    for (let i = 0; i < 2000; i++, records++) {
      const day = 1 + (next() % 28);
      chunk += `${JSON.stringify({ id: next(), product: { name: names[next() % names.length], uid: `u${next() % 5000}` }, quantity: { value: next() % 5000, id: 'mt' }, dates: { start: `2200-10-${String(day).padStart(2, '0')}T00:00:00`, end: `2200-11-${String(day).padStart(2, '0')}T00:00:00` } })}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return records;
}
