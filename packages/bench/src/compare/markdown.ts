// The comparison's markdown: which checkouts, in what order, the verdict, and per benchmark a
// table of each figure's median on both sides, head/base, the rounds' spread and the flag.
import { fmtFixed, fmtInt, markdownTable } from '../cli';
import type { Checkout } from './checkout';
import type { BenchName } from './figures';
import type { FigureComparison } from './summary';

export interface BenchComparison {
  bench: BenchName;
  /** The arguments each run got besides --out. */
  args: string[];
  /** Median wall time of one run of this benchmark, per side. */
  runMs: { base: number | null; head: number | null };
  figures: FigureComparison[];
}

/** Three significant digits (all the integer digits from 1,000 up). */
export function fmtValue(value: number | null): string {
  if (value === null) return '—';
  const size = Math.abs(value);
  if (size >= 1000) return fmtInt(value);
  return fmtFixed(value, size >= 100 ? 0 : size >= 10 ? 1 : size >= 1 ? 2 : 3);
}

const fmtSeconds = (ms: number | null) => (ms === null ? '—' : `${fmtFixed(ms / 1000, 1)} s`);
const fmtPercent = (value: number | null) => (value === null ? '—' : `${fmtFixed(value, 1)}%`);

function checkoutLine(checkout: Checkout): string {
  const commit = checkout.commit === null ? 'not a git checkout' : checkout.commit.slice(0, 10);
  const state = checkout.dirty === null ? '' : checkout.dirty ? ', with uncommitted changes' : ', clean';
  return `- ${checkout.side}: \`${checkout.dir}\` (${commit}${state})`;
}

function flag(figure: FigureComparison): string {
  if (figure.baseMedian === null) return 'only in head';
  if (figure.headMedian === null) return 'only in base';
  const change = `${figure.worsePercent! >= 0 ? '+' : ''}${fmtFixed(figure.worsePercent!, 1)}%`;
  return figure.worse ? `**WORSE** ${change}` : change;
}

export function renderMarkdown(
  comparisons: readonly BenchComparison[],
  checkouts: readonly Checkout[],
  rounds: number,
  thresholdPercent: number,
  machine: string,
  warnings: readonly string[],
): string {
  const worse = comparisons.flatMap((c) => c.figures.filter((f) => f.worse).map((f) => `${c.bench}: ${f.key} (${flag(f)})`));
  const verdict =
    worse.length === 0
      ? `every figure of head within ${thresholdPercent}% of base.`
      : `${worse.length} figure${worse.length === 1 ? '' : 's'} of head more than ${thresholdPercent}% worse than base:\n${worse.map((w) => `  - ${w}`).join('\n')}`;
  const sections = comparisons.flatMap((c) => [
    `### ${c.bench} (one run: base ${fmtSeconds(c.runMs.base)}, head ${fmtSeconds(c.runMs.head)}; median)`,
    '',
    ...(c.args.length > 0 ? [`Arguments: \`${c.args.join(' ')}\``, ''] : []),
    markdownTable(
      ['figure', 'unit', 'better', 'base', 'head', 'head/base', 'spread base', 'spread head', 'head worse by'],
      c.figures.map((f) => [
        f.key,
        f.unit,
        f.better,
        fmtValue(f.baseMedian),
        fmtValue(f.headMedian),
        f.ratio === null ? '—' : fmtFixed(f.ratio, 3),
        fmtPercent(f.baseSpreadPercent),
        fmtPercent(f.headSpreadPercent),
        flag(f),
      ]),
      'lllrrrrrr',
    ),
    '',
  ]);
  return [
    `## A/B comparison: base vs head, ${rounds} round${rounds === 1 ? '' : 's'}, interleaved`,
    '',
    `Machine: ${machine}`,
    '',
    ...checkouts.map(checkoutLine),
    '',
    `Each round runs every benchmark once per side, base then head, each run a fresh \`node\` child in its checkout;`,
    `base and head columns are the medians over the rounds. "head worse by" is head's change against base in % of base,`,
    `signed so that + is worse (lower is better: head/base − 1; higher is better: 1 − head/base); **WORSE** marks more`,
    `than ${thresholdPercent}%. Spread = (max − min) / median over one side's rounds: a figure whose spread is near the`,
    'threshold needs more rounds before its verdict means anything.',
    '',
    `**Verdict:** ${verdict}`,
    ...(warnings.length > 0 ? ['', ...warnings.map((w) => `**Warning:** ${w}`)] : []),
    '',
    ...sections,
  ].join('\n');
}
