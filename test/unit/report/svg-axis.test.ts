import { scaleLinear } from 'd3-scale';
import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../../report/charts/bar-chart.js';
import { renderLineChart } from '../../../report/charts/line-chart.js';
import { renderStripChart } from '../../../report/charts/strip-chart.js';
import { renderLinearAxis } from '../../../report/charts/svg-axis.js';

// Digits of the charts' 11px sans-serif are at most 0.6em wide; the rotated title reaches about 10px
// (its ascent) left of its anchor and 3px (its descent) right of it.
const digitWidth = 0.6 * 11;
const titleDescent = 3;
const titleAscent = 10;

/** The left axis's tick labels' left edge and its title's anchor x, read from the SVG. */
function leftAxisLayout(svg: string): { labelsLeft: number; titleX: number } {
  const axis = svg.match(/<g class="axis axis-left">[\s\S]*?<\/g>/)![0];
  const labels = [...axis.matchAll(/<text class="tick-label" x="([\d.]+)"[^>]*text-anchor="end">([^<]*)<\/text>/g)];
  expect(labels.length).toBeGreaterThan(1);
  const labelsLeft = Math.min(...labels.map(([, x, text]) => Number(x) - text!.length * digitWidth));
  const titleX = Number(axis.match(/class="axis-title" transform="translate\(([\d.-]+),/)![1]);
  return { labelsLeft, titleX };
}

const tiny = [0.000123, 0.000456];

describe('the left axis of the report charts', () => {
  it.each([
    ['line chart', renderLineChart([{ label: 'lr', points: tiny.map((v, i) => [i * 10, v] as const), highlight: false }], { id: 'curve-lr', xLabel: 'step', yLabel: 'learning_rate' })],
    ['bar chart', renderBarChart([{ label: 'a', value: tiny[0]! }, { label: 'b', value: tiny[1]! }], { id: 'bars', xLabel: 'x', yLabel: 'share' })],
    ['strip chart', renderStripChart([{ label: 'a', values: tiny, mean: 0.0003 }], { id: 'strip', xLabel: 'x', yLabel: 'rating' })],
  ])('%s: puts the y title left of long tick labels (0.000123) and inside the chart', (_, svg) => {
    const { labelsLeft, titleX } = leftAxisLayout(svg);
    expect(titleX + titleDescent).toBeLessThan(labelsLeft);
    expect(titleX - titleAscent).toBeGreaterThanOrEqual(0);
  });

  it('keeps the usual place for short tick labels', () => {
    const y = scaleLinear().domain([0, 1]).range([200, 10]);
    const { labelsLeft, titleX } = leftAxisLayout(renderLinearAxis(y, { orient: 'left', at: 60, label: 'share' }));
    expect(titleX).toBe(16);
    expect(titleX + titleDescent).toBeLessThan(labelsLeft);
  });
});
