import { describe, expect, it } from 'vitest';
import { renderReport } from '../../../report/render-report.js';
import type { ReportTrial } from '../../../report/report-data.js';
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
    for (const id of ['best', 'tuned-vs-default', 'evaluation', 'leaderboard', 'failures', 'win-rates', 'blocks', 'effects', 'curves', 'judge', 'examples', 'workflows']) expect(html).toContain(`<section id="${id}">`);
  });

  it("shows the judge's prompt tokens per judgment, evaluated against the full prompt", () => {
    // The sample's judgments evaluate 150 and 90 of 230 tokens: a mean of 120, 52.2%.
    expect(html).toMatch(/prompt tokens per judgment: evaluated \/ full prompt<\/th><td>120 \/ 230 \(52\.2%; the rest was a cached prefix\)/);
  });

  it('compares the best trial with the baseline: counts, win rate with its interval, and what changed', () => {
    const section = html.match(/<section id="tuned-vs-default">[\s\S]*?<\/section>/)![0];
    const c = data.confirmations[0]!;
    // The sample's confirmation is summarized from its own confirm match by the real code.
    const judged = sample.judgments.filter((j) => j.matchId === sample.confirmation.matchId);
    expect(judged).toHaveLength(2 * 6);
    expect(c.wins + c.ties + c.losses).toBe(6);
    const row = section.match(/<table class="tuned-vs-default">[\s\S]*?<\/table>/)![0];
    expect(row).toContain(`<td class="num">${c.wins}</td><td class="num">${c.ties}</td><td class="num">${c.losses}</td>`);
    expect(row).toContain(`${c.winRate.toFixed(2)} (${c.ciLow.toFixed(2)}–${c.ciHigh.toFixed(2)})`);
    expect(row).toContain('(baseline)');
    // The baseline is trial 0 (2e-5, 1 epoch, adamw); the sample's best trains at 1e-4 for 3 epochs.
    expect(section).toContain('<code>learning_rate</code> 2e-5 → 1e-4');
    expect(section).toContain('<code>epochs</code> 1 → 3');
    expect(section).not.toContain('<code>optimizer</code>');
  });

  it('shows the downstream evaluation of the best two and the baseline, the best value of each metric in bold, and why the baseline failed', () => {
    const section = html.match(/<section id="evaluation">[\s\S]*?<\/section>/)![0];
    const [first, second] = data.evaluations;
    const rows = section.match(/<tr><td><code>[\s\S]*?<\/tr>/g)!;
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(`<td class="num top">${first!.metrics['arc_easy/acc']!.toFixed(4)}</td><td class="num">${second!.metrics['arc_easy/acc']!.toFixed(4)}</td><td class="num">–</td>`);
    expect(section).toContain('#1:');
    expect(section).toContain('baseline');
    expect(section).toContain('evaluation failed — JobFailed: evaluate job exited with code 1');
  });

  it('draws the charts with one mark per trial or pair', () => {
    const ranked = data.standings.length;
    const ratings = html.match(/<svg[^>]*data-chart="ratings"[\s\S]*?<\/svg>/)![0];
    expect(count(ratings, /class="rating-dot"/g)).toBe(ranked);
    const heatmap = html.match(/<svg[^>]*data-chart="win-rates"[\s\S]*?<\/svg>/)![0];
    expect(count(heatmap, /<rect class="cell/g)).toBe(ranked * (ranked - 1));
    // The heatmap shows the tournament: the confirmation against the baseline is reported on its own.
    const tournament = data.matches.filter((m) => m.stage !== 'confirm');
    expect(tournament).toHaveLength(data.matches.length - 1);
    expect(count(heatmap, /class="cell unplayed"/g)).toBe(ranked * (ranked - 1) - 2 * tournament.length);
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

  it('says why each failed trial failed, with the logs of its last job attempt, escaped', () => {
    const failed = sample.trials.find((t) => t.status === 'failed')!;
    const section = html.match(/<section id="failures">[\s\S]*?<\/section>/)![0];
    expect(html).toContain('<a href="#failures">Failed trials</a>');
    const rows = [...section.matchAll(/<tbody>([\s\S]*?)<\/tbody>/g)].map((m) => m[1]!);
    expect(rows).toHaveLength(1);
    expect(count(rows[0]!, /<tr>/g)).toBe(1);
    expect(rows[0]).toContain('<td>OutOfMemory</td>');
    expect(rows[0]).toContain('train job for &lt;trial&gt; ran out of GPU memory &lt;allocating 2 GiB&gt;');
    expect(rows[0]).toContain('<td class="num">1</td>');
    expect(rows[0]).toContain(failed.lastJob.stderrPath);
    expect(rows[0]).toContain(failed.lastJob.stdoutPath);
    expect(rows[0]).toContain('train attempt 2');
    // The cause only: the job's output lines stay in its logs.
    expect(section).not.toContain('torch.OutOfMemoryError');
    expect(section).not.toContain('<allocating');
  });

  it('groups trials that failed alike under one cause and says when no job started', () => {
    const [done, other] = data.trials.filter((t) => t.status === 'done');
    // The same failure as the sample's failed trial, in this trial's own words (its key, its log folder).
    const original = data.trials.find((t) => t.status === 'failed')!;
    const failedAlike = (t: ReportTrial): ReportTrial => ({ ...t, status: 'failed', failureType: original.failureType, failureMessage: original.failureMessage!.replaceAll(original.key, t.key) });
    const trials = data.trials.map((t) => (t.key === done!.key ? failedAlike(t) : t.key === other!.key ? { ...t, status: 'failed', failureType: 'SecretMissing', failureMessage: 'HF_TOKEN is not set on worker w1', lastJob: null } : t));
    const section = renderReport({ ...data, trials }).match(/<section id="failures">[\s\S]*?<\/section>/)![0];
    const rows = [...section.matchAll(/<tr><td>([^<]*)<\/td>[\s\S]*?<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['OutOfMemory', 'SecretMissing']);
    expect(rows[0]![0]).toContain('<td class="num">2</td>');
    expect(count(rows[0]![0], /<li>/g)).toBe(2);
    expect(rows[0]![0]).toContain(done!.lastJob!.stderrPath);
    expect(rows[1]![0]).toContain('HF_TOKEN is not set on worker w1');
    expect(rows[1]![0]).toContain('no job started');
  });

  it('has no failed-trials section when no trial failed', () => {
    const clean = renderReport({ ...data, trials: data.trials.map((t) => ({ ...t, status: 'done', failureType: null, failureMessage: null })) });
    expect(clean).not.toContain('id="failures"');
    expect(clean).not.toContain('Failed trials');
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
