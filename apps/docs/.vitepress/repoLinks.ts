// The repository's documents are included into the site as they are (reference/*.md), and they
// link to one another by their paths in the repository (`packages/core/ARROW.md`). This
// markdown-it rule points such a link at the site's page for that document, so the site keeps no
// edited copy and the links work in both places.
import type { MarkdownRenderer } from 'vitepress';

/** A repository document (by the end of its path) → its page on the site. */
const PAGES: ReadonlyArray<[RegExp, string]> = [
  [/(^|\/)packages\/core\/ARROW(\.md)?$/, '/reference/arrow'],
  [/(^|\/)packages\/core\/MSX(\.md)?$/, '/reference/msx'],
  [/(^|\/)packages\/core\/PARQUET(\.md)?$/, '/reference/parquet'],
  [/(^|\/)packages\/cli\/README(\.md)?$/, '/reference/cli'],
  [/(^|\/)ARCHITECTURE(\.md)?$/, '/reference/architecture'],
];

export function repoLinks(md: MarkdownRenderer): void {
  md.core.ruler.push('memstore-repo-links', (state) => {
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue;
        const href = token.attrGet('href');
        if (href === null || /^[a-z]+:/i.test(href)) continue;
        const [path, hash] = href.split('#');
        const page = PAGES.find(([pattern]) => pattern.test(path))?.[1];
        if (page !== undefined) token.attrSet('href', hash === undefined ? page : `${page}#${hash}`);
      }
    }
  });
}
