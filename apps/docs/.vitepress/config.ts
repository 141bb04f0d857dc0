// The site's one configuration: navigation for every page, built for the base path `/`.
import { defineConfig } from 'vitepress';
import { repoLinks } from './repoLinks';

const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  title: 'memstore',
  description: 'Millions of nested JSON records in Node or the browser, without millions of JS objects.',
  base: '/',
  srcDir: 'src',
  outDir: 'dist',
  cleanUrls: false,
  lastUpdated: false,
  markdown: { config: (md) => md.use(repoLinks) },
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  vite: {
    // The playground's workers import further chunks (Arrow, Parquet on first use): ES module workers.
    worker: { format: 'es' },
    // Cross-origin isolation lets the playground measure JSON.parse objects
    // (performance.measureUserAgentSpecificMemory): the dev server sends it (the built site: scripts/serve.mjs).
    server: { headers: ISOLATION },
  },
  themeConfig: {
    nav: [
      { text: 'Getting started', link: '/guide/getting-started' },
      { text: 'Choosing', link: '/guide/choosing' },
      { text: 'Playground', link: '/playground' },
      { text: 'Reference', link: '/reference/' },
      { text: 'Lessons', link: '/lessons/' },
    ],
    sidebar: [
      { text: 'Guide', items: [
        { text: 'Getting started', link: '/guide/getting-started' },
        { text: 'Choosing a representation', link: '/guide/choosing' },
        { text: 'Playground', link: '/playground' },
      ] },
      { text: 'Reference', items: [
        { text: 'Overview', link: '/reference/' },
        { text: 'API (@memstore/core)', link: '/reference/api/' },
        { text: 'The CLI', link: '/reference/cli' },
        { text: 'Paths', link: '/reference/paths' },
        { text: 'The .msx format', link: '/reference/msx' },
        { text: 'Apache Arrow', link: '/reference/arrow' },
        { text: 'Parquet', link: '/reference/parquet' },
        { text: 'Architecture', link: '/reference/architecture' },
      ] },
      { text: "The talk's lessons", items: [
        { text: 'Overview', link: '/lessons/' },
        { text: 'Identity and interning', link: '/lessons/interning' },
        { text: 'What sizeof misses', link: '/lessons/sizeof' },
        { text: 'Check one profiler with another', link: '/lessons/profilers' },
      ] },
    ],
    search: { provider: 'local' },
  },
});
