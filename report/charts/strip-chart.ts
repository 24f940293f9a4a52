/**
 * Strip charts for hyperparameter effects: for each value of a parameter, every trial's rating as a dot
 * and the mean as a bar, the means joined by a line.
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { escapeHtml } from '../escape-html.js';
import { leftAxisWidth, renderLinearAxis, round } from './svg-axis.js';

/** One category of a strip chart. */
export interface StripCategory {
  readonly label: string;
  readonly values: readonly number[];
  readonly mean: number;
}

/** Options of `renderStripChart`. */
export interface StripChartOptions {
  /** Chart id used in `data-chart`. */
  readonly id: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Chart width (px). Defaults to `360`. */
  readonly width?: number;
  /** Chart height (px). Defaults to `220`. */
  readonly height?: number;
}

const margin = { top: 12, right: 12, bottom: 42, left: 60 };
const ticks = 5;

/** Renders `categories` as an SVG strip chart. Dots are spread sideways by their index, not at random, so the output is reproducible. */
export function renderStripChart(categories: readonly StripCategory[], options: StripChartOptions): string {
  const width = options.width ?? 360;
  const height = options.height ?? 220;
  const all = categories.flatMap((c) => c.values);
  const y = scaleLinear().domain(all.length === 0 ? [0, 1] : [Math.min(...all), Math.max(...all)]).range([height - margin.bottom, margin.top]).nice();
  const left = Math.max(margin.left, leftAxisWidth(y, { label: options.yLabel, ticks }));
  const x = scaleBand().domain(categories.map((c) => c.label)).range([left, width - margin.right]).padding(0.3);
  const band = x.bandwidth();
  const parts: string[] = [];
  const means: string[] = [];
  for (const c of categories) {
    const left = x(c.label)!;
    const centre = left + band / 2;
    c.values.forEach((v, i) => {
      const offset = c.values.length === 1 ? 0 : ((i / (c.values.length - 1)) - 0.5) * band * 0.6;
      parts.push(`<circle class="dot" cx="${round(centre + offset)}" cy="${round(y(v))}" r="3"><title>${escapeHtml(`${c.label}: ${v.toFixed(0)}`)}</title></circle>`);
    });
    const my = round(y(c.mean));
    parts.push(`<line class="mean" x1="${round(left)}" x2="${round(left + band)}" y1="${my}" y2="${my}"><title>${escapeHtml(`${c.label}: mean ${c.mean.toFixed(0)} over ${c.values.length}`)}</title></line>`);
    parts.push(`<text class="tick-label" x="${round(centre)}" y="${height - margin.bottom + 15}" text-anchor="middle">${escapeHtml(c.label)}</text>`);
    means.push(`${round(centre)},${my}`);
  }
  return (
    `<svg class="chart strip-chart" data-chart="${escapeHtml(options.id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${options.yLabel} by ${options.xLabel}`)}">` +
    renderLinearAxis(y, { orient: 'left', at: left, gridLength: width - left - margin.right, label: options.yLabel, ticks }) +
    `<line class="axis-line" x1="${left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}"/>` +
    `<text class="axis-title" x="${round((left + width - margin.right) / 2)}" y="${height - margin.bottom + 30}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>` +
    `<polyline class="mean-line" points="${means.join(' ')}"/>` +
    parts.join('') +
    '</svg>'
  );
}
