import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../report/render-report.js';
import { temporalWorkflowUrl } from '../../../report/report-view.js';
import { buildSampleSweep, sampleReportData } from '../../support/sample-sweep.js';

const count = (html: string, pattern: RegExp): number => [...html.matchAll(pattern)].length;

describe('renderReport', () => {
  const sample = buildSampleSweep();
  const data = sampleReportData(sample);
  const html = renderReport(data);

  it('is one self-contained document: no scripts, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|<img|@import|src=/i);
    // The only absolute URLs are links to the Temporal UI.
    const urls = [...html.matchAll(/(?:href|url)\s*=?\s*"?(https?:[^"\s)]+)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    expect(urls.every((u) => u.startsWith('http://127.0.0.1:8233/namespaces/default/workflows/'))).toBe(true);
  });

  it('shows the best trial with its checkpoint path and every section', () => {
    expect(html).toContain(sample.best.checkpointPath!);
    for (const id of ['best', 'leaderboard', 'win-rates', 'blocks', 'effects', 'curves', 'judge', 'examples', 'workflows']) expect(html).toContain(`<section id="${id}">`);
  });

  it('draws the charts with one mark per trial or pair', () => {
    const ranked = data.standings.length;
    const ratings = html.match(/<svg[^>]*data-chart="ratings"[\s\S]*?<\/svg>/)![0];
    expect(count(ratings, /class="rating-dot"/g)).toBe(ranked);
    const heatmap = html.match(/<svg[^>]*data-chart="win-rates"[\s\S]*?<\/svg>/)![0];
    expect(count(heatmap, /<rect class="cell/g)).toBe(ranked * (ranked - 1));
    expect(count(heatmap, /class="cell unplayed"/g)).toBe(ranked * (ranked - 1) - 2 * data.matches.length);
    const loss = html.match(/<svg[^>]*data-chart="curve-loss"[\s\S]*?<\/svg>/)![0];
    expect(count(loss, /<path class="series/g)).toBe(data.trials.length);
    expect(count(loss, /class="series highlight"/g)).toBe(1);
    for (const p of ['learning_rate', 'epochs', 'optimizer']) expect(html).toContain(`data-chart="effect-${p}"`);
    expect(html).toContain('data-chart="verdict-shares"');
    expect(html).toContain('data-chart="verdict-confidence"');
  });

  it('tables one row per ranked trial and per block member', () => {
    const leaderboard = html.match(/<table class="leaderboard">[\s\S]*?<\/table>/)![0];
    expect(count(leaderboard, /<tr/g) - 1).toBe(data.standings.length);
    const blocks = [...html.matchAll(/<table class="block-table">([\s\S]*?)<\/table>/g)];
    expect(blocks.map((b) => count(b[1]!, /<tr/g) - 1)).toEqual([4, 4]);
  });

  it('escapes user text', () => {
    expect(html).toContain('to a &lt;beginner&gt; &amp; keep it short');
    expect(html).not.toContain('<beginner>');
    expect(html).toContain('&lt;b&gt;detail');
  });

  it('says why there are no examples in verdict mode and renders an empty sweep', () => {
    expect(renderReport({ ...data, examples: [] })).toContain('verdict mode');
    const empty = renderReport({ ...data, trials: [], standings: [], best: [], matches: [], curves: [], judgments: [], examples: [] });
    expect(empty).toContain('No standings recorded yet');
    expect(empty).toContain('No judgments recorded yet');
    expect(empty).not.toContain('<svg');
  });
});

describe('temporalWorkflowUrl', () => {
  it('encodes the workflow id (which contains slashes)', () => {
    expect(temporalWorkflowUrl('http://ui:8233/', 'default', 'demo/toy-7b/abc')).toBe('http://ui:8233/namespaces/default/workflows/demo%2Ftoy-7b%2Fabc');
  });
});
