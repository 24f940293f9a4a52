import { describe, expect, it } from 'vitest';
import { computeStandings } from '../../../core/tournament/standings.js';
import { assignBlocks, planNextMatches } from '../../../core/tournament/strategies.js';
import { tournamentConfigSchema } from '../../../core/tournament/tournament-config.js';
import type { MatchRecord } from '../../../core/tournament/types.js';
import { computeBlockTables } from '../../../report/block-tables.js';
import type { ReportMatch, ReportStanding, ReportTrial } from '../../../report/report-data.js';
import { renderReport } from '../../../report/render-report.js';
import { createReportView } from '../../../report/report-view.js';
import { buildSampleSweep, sampleReportData } from '../../support/sample-sweep.js';

describe('computeBlockTables', () => {
  const sample = buildSampleSweep();
  const data = sampleReportData(sample);
  // The report hands the tables its tournament matches, without the tuned-vs-default confirmation.
  const { tournamentMatches } = createReportView(data);
  const tables = computeBlockTables(data.trials, tournamentMatches, data.standings);

  it('makes one table per block with every planned trial, failed ones unranked', () => {
    expect(tables.map((t) => t.block)).toEqual([0, 1]);
    expect(tables.map((t) => t.rows.length)).toEqual([4, 4]);
    const failed = tables[1]!.rows.find((r) => r.status === 'failed')!;
    expect(failed.rank).toBeNull();
    expect(failed.blockScore).toBeNull();
    expect(failed.wins + failed.losses + failed.draws).toBe(0);
  });

  it('counts each live trial in every block match it played and marks the finalists', () => {
    for (const t of tables) {
      const live = t.rows.filter((r) => r.status === 'done');
      for (const r of live) expect(r.wins + r.losses + r.draws).toBe(live.length - 1);
      expect(t.rows[0]!.blockScore).toBeGreaterThanOrEqual(t.rows.at(-1)!.blockScore ?? 0);
    }
    const final = sample.matches.find((m) => m.stage === 'final')!;
    const advanced = tables.flatMap((t) => t.rows.filter((r) => r.advanced).map((r) => r.trialKey)).sort();
    expect(advanced).toEqual([final.a, final.b].sort());
  });

  it('returns nothing outside the blocks strategy', () => {
    expect(computeBlockTables(data.trials.map((t) => ({ ...t, block: null })), tournamentMatches, data.standings)).toEqual([]);
  });
});

/** Plays a whole tournament with the real strategy code, as the report reads it back: rows of trials, matches and standings. */
function playTournament(strategy: 'round-robin' | 'adaptive') {
  const keys = ['ta', 'tb', 'tc', 'td', 'te', 'tf', 'tg'];
  const config = tournamentConfigSchema.parse({ strategy, bootstrap: 0 });
  const blocks = assignBlocks(keys.map((key) => ({ key, params: {} })), config);
  const results: MatchRecord[] = [];
  const rounds = new Map<string, number>();
  for (let next = planNextMatches({ config, blocks, results }); !next.done; next = planNextMatches({ config, blocks, results })) {
    for (const p of next.pairings) {
      // The later key wins 6-2, except that tb and tc draw: every kind of result occurs.
      const draw = p.a === 'tb' && p.b === 'tc';
      const aWins = draw ? 4 : p.a > p.b ? 6 : 2;
      results.push({ id: p.id, a: p.a, b: p.b, stage: p.stage, block: p.block, aWins, bWins: 8 - aWins, ties: 0, perInstruction: [] });
      rounds.set(p.id, p.round);
    }
  }
  const trials: ReportTrial[] = keys.map((key, index) => ({
    key, baseModelId: 'm', index, block: blocks.findIndex((b) => b.includes(key)), isBaseline: false, params: { index }, status: 'done',
    failureType: null, failureMessage: null, checkpointPath: null, workflowId: key, lastJob: null,
  }));
  const matches: ReportMatch[] = results.map((r) => ({ id: r.id, baseModelId: 'm', stage: r.stage, block: r.block, round: rounds.get(r.id)!, a: r.a, b: r.b, status: 'done', aWins: r.aWins, bWins: r.bWins, ties: r.ties }));
  const standings: ReportStanding[] = computeStandings({ entrants: keys, matches: results, seed: 1, bootstrap: 0 }).standings.map((s) => ({
    baseModelId: 'm', trialKey: s.trial, epoch: null, entrant: s.trial, rank: s.rank, matches: s.matches, wins: s.wins, losses: s.losses, ties: s.ties, points: s.points, score: s.score, rating: s.rating, ciLow: s.ciLow, ciHigh: s.ciHigh,
  }));
  return { trials, matches, standings };
}

describe('computeBlockTables outside the blocks strategy', () => {
  it('gives a round robin\'s one block each entrant\'s real record, the leaderboard\'s, and no later stage', () => {
    const { trials, matches, standings } = playTournament('round-robin');
    const [table, ...others] = computeBlockTables(trials, matches, standings);
    expect(others).toEqual([]);
    expect(table!.rows).toHaveLength(trials.length);
    for (const row of table!.rows) {
      const s = standings.find((x) => x.trialKey === row.trialKey)!;
      expect([row.wins, row.losses, row.draws], row.trialKey).toEqual([s.wins, s.losses, s.ties]);
      expect(row.wins + row.losses + row.draws).toBe(trials.length - 1);
      expect(row.blockScore).toBeCloseTo(s.score);
      expect(row.advanced).toBe(false);
    }
    expect(table!.rows.find((r) => r.trialKey === 'tb')!.draws).toBe(1);
    expect(table!.stage).toBe('round-robin');
    expect(table!.hasLaterStage).toBe(false);
  });

  it('renders a round robin\'s block with its W-L-D and without an "advanced" column', () => {
    const { trials, matches, standings } = playTournament('round-robin');
    const html = renderReport({ ...sampleReportData(), trials, matches, standings, best: [], curves: [], judgments: [], examples: [] });
    const blocks = html.match(/<section id="blocks">[\s\S]*?<\/section>/)![0];
    expect(blocks).not.toContain('>0-0-0<');
    const top = standings.find((s) => s.rank === 1)!;
    expect(blocks).toContain(`>${top.wins}-${top.losses}-${top.ties}<`);
    expect(blocks).not.toContain('advanced');
    expect(blocks).toContain('block 0 (round-robin stage)');
  });

  it('marks as advanced only the trials of an adaptive tournament that reached its final', () => {
    const { trials, matches, standings } = playTournament('adaptive');
    const [table] = computeBlockTables(trials, matches, standings);
    const finalists = new Set(matches.filter((m) => m.stage === 'final').flatMap((m) => [m.a, m.b]));
    expect(finalists.size).toBeGreaterThan(1);
    expect(new Set(table!.rows.filter((r) => r.advanced).map((r) => r.trialKey))).toEqual(finalists);
    // Its record is the first stage's only: the final is a later stage.
    const firstStage = matches.filter((m) => m.stage === 'adaptive');
    for (const row of table!.rows) expect(row.wins + row.losses + row.draws).toBe(firstStage.filter((m) => m.a === row.trialKey || m.b === row.trialKey).length);
    expect(table!.stage).toBe('adaptive');
    expect(table!.hasLaterStage).toBe(true);
  });
});
