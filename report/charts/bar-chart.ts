/**
 * Vertical bar charts for the judge statistics (verdict shares, confidence histogram).
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { escapeHtml } from '../escape-html.js';
import { leftAxisWidth, renderLinearAxis, round } from './svg-axis.js';

/** One bar. */
export interface Bar {
  readonly label: string;
  readonly value: number;
}

/** Options of `renderBarChart`. */
export interface BarChartOptions {
  /** Chart id used in `data-chart`. */
  readonly id: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Formats a value for its tooltip. Defaults to `String`. */
  readonly format?: (value: number) => string;
  /** Chart width (px). Defaults to `360`. */
  readonly width?: number;
  /** Chart height (px). Defaults to `220`. */
  readonly height?: number;
}

const margin = { top: 12, right: 12, bottom: 42, left: 60 };
const ticks = 5;

/** Renders `bars` as an SVG bar chart starting at zero. */
export function renderBarChart(bars: readonly Bar[], options: BarChartOptions): string {
  const width = options.width ?? 360;
  const height = options.height ?? 220;
  const format = options.format ?? String;
  const y = scaleLinear().domain([0, Math.max(0, ...bars.map((b) => b.value)) || 1]).range([height - margin.bottom, margin.top]).nice();
  const left = Math.max(margin.left, leftAxisWidth(y, { label: options.yLabel, ticks }));
  const x = scaleBand().domain(bars.map((b) => b.label)).range([left, width - margin.right]).padding(0.15);
  const base = height - margin.bottom;
  const rects = bars.map((b) => {
    const top = round(y(b.value));
    const left = round(x(b.label)!);
    return (
      `<rect class="bar" x="${left}" y="${top}" width="${round(x.bandwidth())}" height="${round(base - top)}"><title>${escapeHtml(`${b.label}: ${format(b.value)}`)}</title></rect>` +
      `<text class="tick-label" x="${round(left + x.bandwidth() / 2)}" y="${base + 15}" text-anchor="middle">${escapeHtml(b.label)}</text>`
    );
  });
  return (
    `<svg class="chart bar-chart" data-chart="${escapeHtml(options.id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${options.yLabel} by ${options.xLabel}`)}">` +
    renderLinearAxis(y, { orient: 'left', at: left, gridLength: width - left - margin.right, label: options.yLabel, ticks }) +
    `<line class="axis-line" x1="${left}" x2="${width - margin.right}" y1="${base}" y2="${base}"/>` +
    `<text class="axis-title" x="${round((left + width - margin.right) / 2)}" y="${base + 30}" text-anchor="middle">${escapeHtml(options.xLabel)}</text>` +
    rects.join('') +
    '</svg>'
  );
}
