// Free text for the feeds: commit messages, issue and comment bodies, release notes, tweets.
// Words come from a fixed vocabulary with a few percent of non-ASCII words (accents, Cyrillic,
// CJK, emoji: 2-, 3- and 4-byte UTF-8, surrogate pairs in JS), so texts are unique in practice
// yet compress like prose, and their lengths vary from a few words to several kilobytes.
import type { Random } from './random';

export const WORDS = (
  'the a an of to in for on with from by at as is are was be this that it its add fix remove update ' +
  'refactor improve support handle allow use make change move rename clean up bump merge revert test ' +
  'tests docs readme build release version config option default error errors warning bug issue crash ' +
  'memory leak speed fast slow performance cache buffer stream file files path paths parser parse ' +
  'schema column columns record records query queries index table row rows value values key keys type ' +
  'types string strings number numbers date time timezone user users account login session token api ' +
  'client server request response header headers body status code json yaml csv xml html css script ' +
  'module package dependency dependencies import export function method class interface struct enum ' +
  'field fields list array map set queue stack tree node graph edge vertex loop branch commit push pull ' +
  'fork clone tag label milestone review comment thread reply mention link image video audio icon ' +
  'button menu page view layout theme color font size width height scroll click event handler callback ' +
  'promise async await thread worker process signal timeout retry limit rate quota backoff network ' +
  'socket port host domain proxy route router middleware plugin extension hook filter sort search ' +
  'first last next previous new old small large empty null missing invalid valid broken works working ' +
  'should would could might now when after before while because since still again also only just not ' +
  'linux windows macos android ios browser chrome firefox safari node deno rust go python java kotlin ' +
  'swift ruby php docker kubernetes postgres mysql sqlite redis kafka nginx webpack vite rollup esbuild'
).split(' ');

/** Non-ASCII words, mixed in at a few percent: every UTF-8 length and some surrogate pairs. */
export const UNICODE_WORDS = [
  'naïve', 'café', 'über', 'Straße', 'façade', 'résumé', 'niño', 'Ångström', 'Zürich', 'São Paulo',
  'Ελληνικά', 'русский', 'привет', 'спасибо', 'עברית', 'العربية', 'हिन्दी', 'ไทย',
  '日本語', '東京', 'ありがとう', 'テスト', '中文', '北京', '谢谢', '한국어', '감사합니다',
  '😀', '😂', '🎉', '🚀', '✨', '👍', '🔥', '❤️', '🐛', '✅', '⚠️', '🙏', '👀', '💯',
  '—', '…', '→', '€', '£', '°C', '½', '™', '•',
];

/** One word: mostly from WORDS, `unicodeShare` of the time a non-ASCII one. */
export function word(random: Random, unicodeShare = 0.03): string {
  return random.chance(unicodeShare) ? random.pick(UNICODE_WORDS) : random.pick(WORDS);
}

/** `count` words joined by spaces, the first capitalised. */
export function words(random: Random, count: number, unicodeShare = 0.03): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const next = word(random, unicodeShare);
    text += i === 0 ? next.charAt(0).toUpperCase() + next.slice(1) : ' ' + next;
  }
  return text;
}

/** A sentence of about `meanWords` words with its full stop. */
export function sentence(random: Random, meanWords = 10): string {
  return words(random, random.length(meanWords, 3, 60)) + random.pick(['.', '.', '.', '!', '?', ':']);
}

/** A paragraph of about `meanSentences` sentences. */
export function paragraph(random: Random, meanSentences = 3): string {
  const count = random.length(meanSentences, 1, 12);
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(sentence(random));
  return parts.join(' ');
}

const CODE_LINES = [
  'const value = await store.get(key);',
  'if (err != nil) { return err }',
  'Traceback (most recent call last):',
  '  File "main.py", line 42, in <module>',
  'TypeError: Cannot read properties of undefined (reading \'length\')',
  '    at Object.<anonymous> (/app/index.js:12:5)',
  'npm ERR! code ERESOLVE',
  'error[E0382]: borrow of moved value: `buffer`',
  'SELECT id, name FROM users WHERE created_at > now() - interval \'1 day\';',
  '$ cargo build --release',
];

/**
 * An issue, comment or release body of about `meanChars` characters: paragraphs separated by
 * blank lines (GitHub keeps the browser's \r\n), now and then a list or a fenced code block;
 * `emptyShare` of bodies are "".
 */
export function body(random: Random, meanChars: number, emptyShare = 0.1): string {
  if (random.chance(emptyShare)) return '';
  const target = random.length(meanChars, 20, meanChars * 12);
  const parts: string[] = [];
  let size = 0;
  while (size < target) {
    let part: string;
    const roll = random.float();
    if (roll < 0.12) {
      const lines: string[] = [];
      for (let i = random.length(4, 1, 30); i > 0; i--) lines.push(random.pick(CODE_LINES));
      part = '```\r\n' + lines.join('\r\n') + '\r\n```';
    } else if (roll < 0.22) {
      const items: string[] = [];
      for (let i = random.length(3, 2, 10); i > 0; i--) items.push(`- ${words(random, random.length(6, 2, 14))}`);
      part = items.join('\r\n');
    } else {
      part = paragraph(random);
    }
    parts.push(part);
    size += part.length + 4;
  }
  return parts.join('\r\n\r\n');
}

/** A commit message: a subject line, and for some commits a blank line and a body. */
export function commitMessage(random: Random): string {
  const roll = random.float();
  let subject: string;
  if (roll < 0.08) subject = `Merge pull request #${random.int(1, 9000)} from ${random.pick(WORDS)}/${random.pick(WORDS)}-${random.pick(WORDS)}`;
  else if (roll < 0.14) subject = `Merge branch '${random.pick(WORDS)}' into ${random.pick(['main', 'master', 'develop'])}`;
  else if (roll < 0.24) subject = `${random.pick(['feat', 'fix', 'chore', 'docs', 'refactor', 'test', 'perf'])}(${random.pick(WORDS)}): ${words(random, random.length(6, 2, 14)).toLowerCase()}`;
  else subject = words(random, random.length(7, 1, 20));
  if (random.chance(0.35)) return subject;
  const lines: string[] = [];
  for (let i = random.length(2, 1, 12); i > 0; i--) lines.push(random.chance(0.4) ? `- ${words(random, random.length(8, 2, 20))}` : sentence(random));
  return `${subject}\n\n${lines.join('\n')}`;
}

/** A title (issue, pull request, release): a few words. */
export function title(random: Random): string {
  return words(random, random.length(6, 2, 16));
}
