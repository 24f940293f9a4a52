/**
 * Line charts for training curves: one line per trial over training steps, the best trial drawn on top.
 */
import { scaleLinear } from 'd3-scale';
import { line } from 'd3-shape';
import { escapeHtml } from '../escape-html.js';
import { leftAxisWidth, renderLinearAxis, round } from './svg-axis.js';

/** One line of a line chart. */
export interface LineSeries {
  readonly label: string;
  /** `[x, y]` pairs in x order. */
  readonly points: readonly (readonly [number, number])[];
  /** Drawn thicker, in the highlight colour, above the others. */
  readonly highlight: boolean;
}

/** Options of `renderLineChart`. */
export interface LineChartOptions {
  /** Chart id used in `data-chart` (e.g. `curve-loss`). */
  readonly id: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Chart width (px). Defaults to `560`. */
  readonly width?: number;
  /** Chart height (px). Defaults to `260`. */
  readonly height?: number;
}

const palette = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac', '#e15759', '#ff9da7'];
const margin = { top: 12, right: 16, bottom: 42, left: 60 };

/** Renders `series` as an SVG line chart with axes and per-line tooltips. */
export function renderLineChart(series: readonly LineSeries[], options: LineChartOptions): string {
  const width = options.width ?? 560;
  const height = options.height ?? 260;
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const y = scaleLinear().domain(ys.length === 0 ? [0, 1] : [Math.min(...ys), Math.max(...ys)]).range([height - margin.bottom, margin.top]).nice();
  // Long tick labels (a learning rate of 0.000123) widen the left margin, so the y title clears them.
  const left = Math.max(margin.left, leftAxisWidth(y, { label: options.yLabel }));
  const x = scaleLinear().domain(xs.length === 0 ? [0, 1] : [Math.min(...xs), Math.max(...xs)]).range([left, width - margin.right]).nice();
  const path = line<readonly [number, number]>()
    .x((p) => round(x(p[0])))
    .y((p) => round(y(p[1])));
  // Highlighted lines last so they are painted on top.
  const ordered = series.map((s, i) => ({ s, i })).sort((a, b) => Number(a.s.highlight) - Number(b.s.highlight));
  const lines = ordered.map(({ s, i }) => {
    const colour = s.highlight ? '#d62728' : palette[i % palette.length]!;
    const d = s.points.length === 1 ? `M${round(x(s.points[0]![0]))},${round(y(s.points[0]![1]))}h1` : (path(s.points) ?? '');
    return `<path class="series${s.highlight ? ' highlight' : ''}" d="${d}" stroke="${colour}"><title>${escapeHtml(s.label)}</title></path>`;
  });
  const plotHeight = height - margin.bottom - margin.top;
  const plotWidth = width - left - margin.right;
  return (
    `<svg class="chart line-chart" data-chart="${escapeHtml(options.id)}" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`${options.yLabel} by ${options.xLabel}`)}">` +
    renderLinearAxis(x, { orient: 'bottom', at: height - margin.bottom, gridLength: plotHeight, label: options.xLabel }) +
    renderLinearAxis(y, { orient: 'left', at: left, gridLength: plotWidth, label: options.yLabel }) +
    lines.join('') +
    '</svg>'
  );
}
