/**
 * The win-rate matrix as a heatmap: row trial's instruction win rate against the column trial,
 * red (lost) through white (even) to blue (won); grey where the two never met.
 */
import { scaleLinear } from 'd3-scale';
import { escapeHtml } from '../escape-html.js';
import type { WinRateMatrix } from '../win-rate-matrix.js';
import { round } from './svg-axis.js';

/** Options of `renderWinRateHeatmap`. */
export interface WinRateHeatmapOptions {
  /** Largest side of the square grid (px). Defaults to `560`. */
  readonly maxSize?: number;
  /** Short axis labels, one per trial of the matrix (e.g. ranks). Defaults to `1..n`. */
  readonly shortLabels?: readonly string[];
  /** Long labels for the tooltips. Defaults to the matrix's trial keys. */
  readonly longLabels?: readonly string[];
}

const margin = { top: 24, left: 44, right: 90, bottom: 10 };

/** Renders `matrix` as an SVG heatmap with a colour legend. */
export function renderWinRateHeatmap(matrix: WinRateMatrix, options: WinRateHeatmapOptions = {}): string {
  const n = matrix.trials.length;
  const cell = Math.max(6, Math.min(28, Math.floor((options.maxSize ?? 560) / Math.max(1, n))));
  const grid = cell * n;
  const width = margin.left + grid + margin.right;
  const height = margin.top + grid + margin.bottom;
  const colour = scaleLinear<string>().domain([0, 0.5, 1]).range(['#c0392b', '#f7f7f7', '#2166ac']).clamp(true);
  const short = options.shortLabels ?? matrix.trials.map((_, i) => String(i + 1));
  const long = options.longLabels ?? matrix.trials;
  const showLabels = cell >= 12;
  const cells: string[] = [];
  matrix.rates.forEach((row, i) => {
    row.forEach((rate, j) => {
      if (i === j) return;
      const x = margin.left + j * cell;
      const y = margin.top + i * cell;
      const games = matrix.games[i]![j]!;
      const title = rate === null ? `${long[i]} vs ${long[j]}: not played` : `${long[i]} vs ${long[j]}: ${(rate * 100).toFixed(1)}% over ${games} instructions`;
      cells.push(
        `<rect class="cell${rate === null ? ' unplayed' : ''}" x="${x}" y="${y}" width="${cell}" height="${cell}" fill="${rate === null ? '#e3e3e3' : colour(rate)}"><title>${escapeHtml(title)}</title></rect>`,
      );
    });
  });
  const labels: string[] = [];
  if (showLabels) {
    short.forEach((label, i) => {
      const c = round(i * cell + cell / 2);
      labels.push(`<text class="tick-label" x="${margin.left - 4}" y="${margin.top + c + 4}" text-anchor="end">${escapeHtml(label)}</text>`);
      labels.push(`<text class="tick-label" x="${margin.left + c}" y="${margin.top - 6}" text-anchor="middle">${escapeHtml(label)}</text>`);
    });
  }
  const legendX = margin.left + grid + 24;
  const legendH = Math.min(grid, 160);
  const stops = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<stop offset="${t * 100}%" stop-color="${colour(1 - t)}"/>`)
    .join('');
  const legend =
    `<defs><linearGradient id="winrate-gradient" x1="0" x2="0" y1="0" y2="1">${stops}</linearGradient></defs>` +
    `<rect class="legend" x="${legendX}" y="${margin.top}" width="12" height="${legendH}" fill="url(#winrate-gradient)"/>` +
    `<text class="tick-label" x="${legendX + 16}" y="${margin.top + 8}">100%</text>` +
    `<text class="tick-label" x="${legendX + 16}" y="${round(margin.top + legendH / 2 + 4)}">50%</text>` +
    `<text class="tick-label" x="${legendX + 16}" y="${margin.top + legendH}">0%</text>`;
  return (
    `<svg class="chart heatmap" data-chart="win-rates" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="Win-rate matrix: row trial against column trial">` +
    cells.join('') +
    labels.join('') +
    legend +
    '</svg>'
  );
}
