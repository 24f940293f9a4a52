/**
 * The leaderboard chart: each trial's Bradley–Terry rating as a dot with its bootstrap confidence
 * interval as a bar (a forest plot), best trial first.
 */
import { scaleLinear } from 'd3-scale';
import { escapeHtml } from '../escape-html.js';
import { renderLinearAxis, round } from './svg-axis.js';

/** One trial's row in the rating chart. */
export interface RatingChartRow {
  readonly label: string;
  readonly rating: number;
  readonly ciLow: number;
  readonly ciHigh: number;
  /** Drawn in the highlight colour. */
  readonly best: boolean;
  readonly baseline: boolean;
}

/** Options of `renderRatingChart`. */
export interface RatingChartOptions {
  /** Chart width (px). Defaults to `860`. */
  readonly width?: number;
  /** Height of one row (px). Defaults to `18`. */
  readonly rowHeight?: number;
  /** Rating of an average entrant, drawn as a reference line. Defaults to `1000`. */
  readonly centre?: number;
}

const labelWidth = 320;
const margin = { top: 10, right: 20, bottom: 42 };

/** Renders the ratings and intervals of `rows` (in display order) as an SVG forest plot. */
export function renderRatingChart(rows: readonly RatingChartRow[], options: RatingChartOptions = {}): string {
  const width = options.width ?? 860;
  const rowHeight = options.rowHeight ?? 18;
  const centre = options.centre ?? 1000;
  const height = margin.top + rows.length * rowHeight + margin.bottom;
  const low = Math.min(centre, ...rows.map((r) => r.ciLow), ...rows.map((r) => r.rating));
  const high = Math.max(centre, ...rows.map((r) => r.ciHigh), ...rows.map((r) => r.rating));
  const pad = Math.max(10, (high - low) * 0.05);
  const x = scaleLinear().domain([low - pad, high + pad]).range([labelWidth, width - margin.right]).nice();
  const plotBottom = margin.top + rows.length * rowHeight;
  const marks = rows.map((row, i) => {
    const y = round(margin.top + i * rowHeight + rowHeight / 2);
    const cls = `rating-row${row.best ? ' best' : ''}${row.baseline ? ' baseline' : ''}`;
    const title = `${row.label}: rating ${row.rating.toFixed(0)}, 95% CI ${row.ciLow.toFixed(0)}–${row.ciHigh.toFixed(0)}`;
    return (
      `<g class="${cls}"><title>${escapeHtml(title)}</title>` +
      `<text class="row-label" x="${labelWidth - 8}" y="${y + 4}" text-anchor="end">${escapeHtml(truncate(row.label, 46))}</text>` +
      `<line class="ci" x1="${round(x(row.ciLow))}" x2="${round(x(row.ciHigh))}" y1="${y}" y2="${y}"/>` +
      `<circle class="rating-dot" cx="${round(x(row.rating))}" cy="${y}" r="4"/></g>`
    );
  });
  return (
    `<svg class="chart rating-chart" data-chart="ratings" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Bradley–Terry ratings with 95% confidence intervals">` +
    renderLinearAxis(x, { orient: 'bottom', at: plotBottom, gridLength: plotBottom - margin.top, label: 'Bradley–Terry rating (Elo scale)' }) +
    `<line class="reference" x1="${round(x(centre))}" x2="${round(x(centre))}" y1="${margin.top}" y2="${plotBottom}"/>` +
    marks.join('') +
    '</svg>'
  );
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
