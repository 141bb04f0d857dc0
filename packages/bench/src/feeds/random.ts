// The feeds' random choices: one seeded stream (@memstore/testkit's prng) with the draws the
// generators need (ints, picks, weighted picks, chances, lengths, hex, timestamps), so a feed is
// a pure function of its seed and the same records come out on every machine and in every child.
import { prng } from '@memstore/testkit/prng';

export class Random {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = prng(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [min, max], both inclusive (exact for ranges up to 2^52). */
  int(min: number, max: number): number {
    // Two draws for ranges wider than 2^32: one 32-bit draw cannot reach every integer.
    const span = max - min + 1;
    if (span <= 2 ** 32) return min + Math.floor(this.next() * span);
    const high = Math.floor(this.next() * 2 ** 20);
    const low = Math.floor(this.next() * 2 ** 32);
    return min + ((high * 2 ** 32 + low) % span);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.next() * values.length)];
  }

  /**
   * An index drawn with a skew towards the front: index k has weight 1 / (k + 1)^skew (a Zipf law),
   * as a few users and repositories make most of the events. `table` is from zipfTable.
   */
  zipf(table: Float64Array): number {
    const target = this.next() * table[table.length - 1];
    let low = 0;
    let high = table.length - 1;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (table[mid] > target) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  /** A length with mean about `mean`, at least `min`, at most `max` (geometric: many short, a few long). */
  length(mean: number, min: number, max: number): number {
    const extra = mean - min;
    if (extra <= 0) return min;
    const value = min + Math.floor(-Math.log(1 - this.next()) * extra);
    return Math.min(value, max);
  }

  /** `digits` lowercase hex digits (a sha is 40, a gravatar id 32). */
  hex(digits: number): string {
    let text = '';
    while (text.length < digits) text += Math.floor(this.next() * 2 ** 32).toString(16).padStart(8, '0');
    return text.slice(0, digits);
  }

  /** `count` characters of [A-Za-z0-9_-] (GitHub node ids, URL slugs). */
  token(count: number): string {
    let text = '';
    for (let i = 0; i < count; i++) text += TOKEN_ALPHABET[Math.floor(this.next() * TOKEN_ALPHABET.length)];
    return text;
  }
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** Cumulative Zipf weights over `size` ranks: rank k weighs 1 / (k + 1)^skew. */
export function zipfTable(size: number, skew: number): Float64Array {
  const table = new Float64Array(size);
  let sum = 0;
  for (let k = 0; k < size; k++) table[k] = sum += 1 / (k + 1) ** skew;
  return table;
}

/** A weighted choice among `entries` ([value, weight]), drawn by `pickWeighted`. */
export interface Weighted<T> {
  values: readonly T[];
  cumulative: Float64Array;
}

export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const cumulative = new Float64Array(entries.length);
  let sum = 0;
  for (let i = 0; i < entries.length; i++) cumulative[i] = sum += entries[i][1];
  return { values: entries.map(([value]) => value), cumulative };
}

export function pickWeighted<T>(random: Random, choice: Weighted<T>): T {
  const target = random.float() * choice.cumulative[choice.cumulative.length - 1];
  let i = 0;
  while (choice.cumulative[i] <= target) i++;
  return choice.values[i];
}

/** ISO 8601 in seconds, as GitHub writes it: 2013-01-10T07:58:30Z. */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Twitter's created_at: Wed Oct 10 20:19:24 +0000 2018. */
export function twitterDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`;
}
