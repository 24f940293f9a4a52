/**
 * Axes for the report's build-time SVG charts, drawn from a d3 linear scale's ticks.
 */
import type { ScaleLinear } from 'd3-scale';
import { escapeHtml } from '../escape-html.js';

/** Options of `renderLinearAxis`. */
export interface LinearAxisOptions {
  /** Which side of the plot the axis sits on. */
  readonly orient: 'bottom' | 'left';
  /** Position of the axis line: the y (px) of a bottom axis, the x (px) of a left axis. */
  readonly at: number;
  /** Length of the grid lines across the plot (px); 0 draws none. Defaults to `0`. */
  readonly gridLength?: number;
  /** Approximate number of ticks. Defaults to `6`. */
  readonly ticks?: number;
  /** Axis title. Defaults to none. */
  readonly label?: string;
}

/**
 * Pixels per character of a tick label. Charts are laid out at build time with no font to measure, so
 * widths are estimated: digits are about 0.56em wide in the report's sans-serif fonts, and 0.6em of the
 * charts' 11px keeps the estimate on the safe (wide) side.
 */
const charWidth = 0.6 * 11;
/** Gap between the axis line and a left tick label's right end (the tick is 4px long). */
const tickLabelGap = 6;
/** Gap between the widest left tick label and the rotated title's baseline (the title's ~3px descent hangs into it). */
const titleGap = 8;
/** Height above the baseline of the rotated 11px title: it reaches this far left of its anchor. */
const titleAscent = 10;
/** The title's distance left of the axis line when the tick labels are short: the charts' usual look. */
const minTitleOffset = 44;

/** Estimated width (px) of `text` drawn as a tick label. */
export function estimateTextWidth(text: string): number {
  return text.length * charWidth;
}

/**
 * The room (px) a left axis needs left of its line for its tick labels and title, so a chart can make
 * its left margin at least this wide. Depends only on the scale's domain, not its range.
 */
export function leftAxisWidth(scale: ScaleLinear<number, number>, options: Pick<LinearAxisOptions, 'ticks' | 'label'>): number {
  const count = options.ticks ?? 6;
  const width = options.label ? leftTitleOffset(scale, count) + titleAscent : tickLabelGap + widestTickLabel(scale, count);
  return Math.ceil(width) + 2;
}

/** How far left of a left axis's line its title's anchor sits: clear of the widest tick label. */
function leftTitleOffset(scale: ScaleLinear<number, number>, count: number): number {
  return Math.max(minTitleOffset, tickLabelGap + widestTickLabel(scale, count) + titleGap);
}

function widestTickLabel(scale: ScaleLinear<number, number>, count: number): number {
  const format = scale.tickFormat(count);
  return Math.max(0, ...scale.ticks(count).map((t) => estimateTextWidth(format(t))));
}

/** Renders a linear axis (line, ticks, tick labels, optional grid and title) as an SVG `<g>`. */
export function renderLinearAxis(scale: ScaleLinear<number, number>, options: LinearAxisOptions): string {
  const count = options.ticks ?? 6;
  const format = scale.tickFormat(count);
  const grid = options.gridLength ?? 0;
  const [r0, r1] = scale.range() as [number, number];
  const parts: string[] = [];
  if (options.orient === 'bottom') {
    parts.push(`<line class="axis-line" x1="${r0}" x2="${r1}" y1="${options.at}" y2="${options.at}"/>`);
    for (const t of scale.ticks(count)) {
      const x = round(scale(t));
      if (grid > 0) parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${options.at - grid}" y2="${options.at}"/>`);
      parts.push(`<line class="tick" x1="${x}" x2="${x}" y1="${options.at}" y2="${options.at + 4}"/>`);
      parts.push(`<text class="tick-label" x="${x}" y="${options.at + 15}" text-anchor="middle">${escapeHtml(format(t))}</text>`);
    }
    if (options.label) parts.push(`<text class="axis-title" x="${round((r0 + r1) / 2)}" y="${options.at + 30}" text-anchor="middle">${escapeHtml(options.label)}</text>`);
  } else {
    parts.push(`<line class="axis-line" x1="${options.at}" x2="${options.at}" y1="${r0}" y2="${r1}"/>`);
    for (const t of scale.ticks(count)) {
      const y = round(scale(t));
      if (grid > 0) parts.push(`<line class="grid" x1="${options.at}" x2="${options.at + grid}" y1="${y}" y2="${y}"/>`);
      parts.push(`<line class="tick" x1="${options.at - 4}" x2="${options.at}" y1="${y}" y2="${y}"/>`);
      parts.push(`<text class="tick-label" x="${options.at - tickLabelGap}" y="${y + 4}" text-anchor="end">${escapeHtml(format(t))}</text>`);
    }
    if (options.label) {
      const y = round((r0 + r1) / 2);
      const x = round(options.at - leftTitleOffset(scale, count));
      parts.push(`<text class="axis-title" transform="translate(${x},${y}) rotate(-90)" text-anchor="middle">${escapeHtml(options.label)}</text>`);
    }
  }
  return `<g class="axis axis-${options.orient}">${parts.join('')}</g>`;
}

/** Rounds a pixel coordinate to two decimals so the SVG stays small. */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}
