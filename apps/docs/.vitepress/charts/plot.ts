// Observable Plot rendered to SVG text at build time, in a jsdom document: the pages ship the
// charts as markup, with no charting code for the browser to download.
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';

const { document } = new JSDOM('').window;

/** Plot's chart as markup: `options` are Plot.plot's, the document is jsdom's. */
export function renderPlot(options: Plot.PlotOptions): string {
  const chart = Plot.plot({ ...options, document, style: { fontSize: '12px', background: 'transparent', overflow: 'visible' } });
  chart.setAttribute('role', 'img');
  return chart.outerHTML;
}

export { Plot };
