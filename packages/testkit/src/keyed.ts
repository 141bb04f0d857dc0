// Documents whose objects are keyed by ids or names (issue 11, item 7), the same for the tests
// and the benchmarks: one object of many entries of one shape, as registries and indexes ship.
import { prng } from './prng';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'render', 'image', 'sitemap', 'feed', 'remark', 'sharp', 'manifest', 'offline', 'typography', 'styled', 'source', 'filesystem', 'transformer', 'json', 'yaml', 'csv', 'react', 'helmet', 'analytics', 'google', 'tag', 'mdx', 'emotion', 'sass', 'less', 'postcss'];
const LANGUAGES = ['TypeScript', 'JavaScript', 'Rust', 'Go', 'Python', null];

/** `count` entries keyed "0", "1", … whose values are objects of one shape (ints, strings, a bool, a list, a nested object). */
export function idKeyedEntries(count: number, seed = 1): Record<string, unknown> {
  const random = prng(seed);
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    entries[String(i)] = {
      id: i,
      name: `item-${Math.floor(random() * 1e9).toString(36)}`,
      score: Math.round(random() * 10000) / 100,
      active: random() < 0.7,
      rank: Math.floor(random() * 500),
      tags: Array.from({ length: Math.floor(random() * 3) }, () => WORDS[Math.floor(random() * WORDS.length)]),
      owner: { login: `user${Math.floor(random() * 300)}`, id: Math.floor(random() * 1e6) },
    };
  }
  return entries;
}

/** A project registry as one document: `count` (1,264) projects keyed "0"…, some fields null or absent. */
export function projectRegistry(count = 1264, seed = 2): Record<string, unknown> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const projects: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const name = `${pick(WORDS)}-${pick(WORDS)}-${i}`;
    const project: Record<string, unknown> = {
      name,
      full_name: `org${Math.floor(random() * 90)}/${name}`,
      description: random() < 0.15 ? null : `${pick(WORDS)} ${pick(WORDS)} for ${pick(WORDS)} ${i}`,
      stars: Math.floor(random() ** 3 * 50000),
      forks: Math.floor(random() ** 3 * 5000),
      language: pick(LANGUAGES),
      topics: Array.from({ length: Math.floor(random() * 5) }, () => pick(WORDS)),
      license: random() < 0.2 ? null : { key: pick(['mit', 'apache-2.0', 'bsd-3-clause']), spdx: pick(['MIT', 'Apache-2.0', 'BSD-3-Clause']) },
      archived: random() < 0.05,
      created_at: new Date(Date.UTC(2010, 0, 1) + Math.floor(random() * 4e11)).toISOString(),
      owner: { login: `org${Math.floor(random() * 90)}`, id: Math.floor(random() * 1e7), type: random() < 0.8 ? 'Organization' : 'User' },
    };
    if (random() < 0.6) project.homepage = `https://${name}.example.org`;
    projects[String(i)] = project;
  }
  return projects;
}

/** A plugin index keyed by name: `count` (654) plugins sharing most fields, some optional. */
export function pluginIndex(count = 654, seed = 3): Record<string, unknown> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const plugins: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const name = `${pick(['gatsby-plugin', 'gatsby-source', 'gatsby-transformer', '@scope/gatsby-plugin'])}-${pick(WORDS)}${random() < 0.5 ? `-${pick(WORDS)}` : ''}-${i.toString(36)}`;
    const plugin: Record<string, unknown> = {
      name,
      description: `${pick(WORDS)} ${pick(WORDS)} plugin`,
      version: `${Math.floor(random() * 6)}.${Math.floor(random() * 20)}.${Math.floor(random() * 30)}`,
      license: pick(['MIT', 'MIT', 'Apache-2.0', 'ISC']),
      downloads: Math.floor(random() ** 4 * 2e6),
      created: new Date(Date.UTC(2016, 0, 1) + Math.floor(random() * 2e11)).toISOString(),
      keywords: Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(WORDS)),
    };
    if (random() < 0.8) plugin.author = `author${Math.floor(random() * 200)}`;
    if (random() < 0.6) plugin.homepage = `https://github.com/someone/${name}`;
    if (random() < 0.7) plugin.repository = { type: 'git', url: `git+https://github.com/someone/${name}.git` };
    if (random() < 0.1) plugin.deprecated = true;
    if (random() < 0.3) plugin.peerDependencies = { gatsby: `^${2 + Math.floor(random() * 4)}.0.0` };
    plugins[name] = plugin;
  }
  return plugins;
}
