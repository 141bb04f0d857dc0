// The site's one configuration: navigation for every page, built for the base path `/`.
import { defineConfig } from 'vitepress';

export default defineConfig({
  title: 'memstore',
  description: 'Millions of nested JSON records in Node or the browser, without millions of JS objects.',
  base: '/',
  srcDir: 'src',
  outDir: 'dist',
  cleanUrls: false,
  lastUpdated: false,
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
      ] },
      { text: "The talk's lessons", items: [
        { text: 'Overview', link: '/lessons/' },
      ] },
    ],
    search: { provider: 'local' },
  },
});
