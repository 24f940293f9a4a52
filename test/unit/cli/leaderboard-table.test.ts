import { describe, expect, it } from 'vitest';
import { leaderboardToJson, renderLeaderboard, renderLeaderboardMarkdown, type Leaderboard, type LeaderboardRow } from '../../../cli/leaderboard-table.js';

function row(rank: number, overrides: Partial<LeaderboardRow> = {}): LeaderboardRow {
  return {
    baseModelId: 'llama-7b',
    trialKey: `k${rank}abcdef0123456789`,
    epoch: null,
    rank,
    block: rank % 3,
    isBaseline: rank === 2,
    params: { learning_rate: 2e-5 * rank, epochs: rank, optimizer: 'adamw', lr_scheduler_type: 'cosine', warmup_ratio: 0.03, weight_decay: 0.01 },
    wins: 10 - rank,
    losses: rank,
    ties: 1,
    points: 10.5 - rank,
    score: 1 - rank / 20,
    rating: 1200 - rank * 37.4,
    ciLow: 1100 - rank * 40,
    ciHigh: 1300 - rank * 35,
    checkpointPath: `/very/long/path/to/checkpoints/of/the/sweep/llama-7b/trial-${rank}/checkpoint-final`,
    ...overrides,
    entrant: overrides.entrant ?? overrides.trialKey ?? `k${rank}abcdef0123456789`,
  };
}

const board: Leaderboard = {
  sweepId: 'pandalm-paper',
  status: 'done',
  rows: [...[1, 2, 3, 4, 12].map((r) => row(r)), row(1, { baseModelId: 'bloom-7b', trialKey: 'bloomkey1', params: { learning_rate: 1e-4 } })],
  best: [
    { baseModelId: 'llama-7b', trialKey: 'k1abcdef0123456789', epoch: null, checkpointPath: `/${'deep/'.repeat(30)}checkpoint-final` },
    { baseModelId: 'bloom-7b', trialKey: 'bloomkey1', epoch: null, checkpointPath: null },
  ],
  trials: new Map([
    ['k1abcdef0123456789', { params: {}, status: 'done', failureType: null }],
    ['failedkey1', { params: {}, status: 'failed', failureType: 'OutOfMemory', failureMessage: 'train job ran out of memory\n--- last output ---\nKilled' }],
    ['failedkey2', { params: {}, status: 'failed', failureType: 'OutOfMemory', failureMessage: 'train job ran out of memory' }],
  ]),
  earlyTermination: [],
  evaluations: [
    {
      baseModelId: 'llama-7b',
      metricNames: ['arc_easy/acc,none', 'hellaswag/acc_norm,none'],
      trials: [
        { baseModelId: 'llama-7b', trialKey: 'k1abcdef0123456789', role: '#1', status: 'done', error: null, metrics: { 'arc_easy/acc,none': 0.7123, 'hellaswag/acc_norm,none': 0.5 } },
        { baseModelId: 'llama-7b', trialKey: 'k2abcdef0123456789', role: '#2 baseline', status: 'done', error: null, metrics: { 'arc_easy/acc,none': 0.6911 } },
        { baseModelId: 'llama-7b', trialKey: 'k3abcdef0123456789', role: '#3', status: 'failed', error: 'JobFailed: evaluate job for k3 exited with code 1\n--- last output ---\nTraceback', metrics: {} },
      ],
    },
  ],
  tunedVsDefault: [
    { baseModelId: 'bloom-7b', state: 'no-baseline' },
    {
      baseModelId: 'llama-7b',
      state: 'confirmed',
      confirmation: {
        baseModelId: 'llama-7b', judge: 'tournament', judgeId: 'pandalm-7b', bestTrialKey: 'k1abcdef0123456789', baselineTrialKey: 'k2abcdef0123456789',
        wins: 100, ties: 40, losses: 30, winRate: 120 / 170, ciLow: 0.64, ciHigh: 0.77, agreed: null, shared: null,
      },
      secondOpinions: [
        {
          baseModelId: 'llama-7b', judge: 'gpt-4o', judgeId: 'openai:gpt-4o', bestTrialKey: 'k1abcdef0123456789', baselineTrialKey: 'k2abcdef0123456789',
          wins: 90, ties: 30, losses: 50, winRate: 105 / 170, ciLow: 0.55, ciHigh: 0.69, agreed: 120, shared: 170,
        },
      ],
    },
  ],
};

describe('renderLeaderboard', () => {
  it.each([100, 80, 60])('keeps every line within %i columns', (width) => {
    const text = renderLeaderboard(board, { width });
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(width);
    // Wrapped, not cut: the whole checkpoint path is still there.
    expect(text.replace(/\n/g, '')).toContain(board.best[0]!.checkpointPath!);
  });

  it('says once why trials that failed alike failed, without their log tails', () => {
    const text = renderLeaderboard(board);
    expect(text).toContain('2 trial(s) failed and were left out: failedke (OutOfMemory), failedke (OutOfMemory)');
    expect(text).toContain('  2 trials  OutOfMemory: train job ran out of memory\n');
    expect(text).not.toContain('Killed');
  });

  it('shows the parameters that tell trials apart in the table and the shared ones once below it', () => {
    const text = renderLeaderboard(board);
    const table = text.split('Leaderboard — pandalm-paper / llama-7b')[1]!.split('Leaderboard —')[0]!;
    const rank1 = table.split('\n').find((l) => l.trimStart().startsWith('1 '))!;
    expect(rank1).toContain('learning_rate=2e-5 epochs=1');
    expect(rank1).not.toContain('optimizer');
    expect(table).toContain('Same in every trial: optimizer=adamw lr_scheduler_type=cosine warmup_ratio=0.03 weight_decay=0.01');
    // A base model with one trial has nothing to compare: its parameters stay in the table.
    expect(text.split('/ bloom-7b')[1]).toContain('learning_rate=1e-4');
    expect(text.split('/ bloom-7b')[1]).not.toContain('Same in every trial');
  });

  it('shows ratings, intervals, blocks and the failed trials', () => {
    const text = renderLeaderboard(board);
    const line = text.split('\n').find((l) => l.trimStart().startsWith('12 '))!;
    expect(line).toContain(String((1200 - 12 * 37.4).toFixed(0)));
    expect(line).toContain(`${(1100 - 480).toFixed(0)}..${(1300 - 420).toFixed(0)}`);
    expect(line.split(/\s+/)).toContain('0');
    expect(text).toContain('Leaderboard — pandalm-paper / bloom-7b');
    expect(text).toContain('failedke (OutOfMemory)');
    expect(text).toContain('k2abcdef*');
  });

  it('says so when nothing is ranked', () => {
    expect(renderLeaderboard({ ...board, rows: [], best: [], trials: new Map(), tunedVsDefault: [], evaluations: [] })).toContain('No standings recorded');
  });

  it('shows the downstream evaluation side by side, and why one failed, without its log tail', () => {
    const lines = renderLeaderboard(board).split('\n');
    const at = lines.indexOf('Downstream evaluation (llama-7b):');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^  metric\s+#1 k1abcdef\s+#2 baseline k2abcdef\s+#3 k3abcdef$/);
    expect(lines[at + 2]).toMatch(/^  arc_easy\/acc,none\s+0\.7123\s+0\.6911\s+–$/);
    expect(lines[at + 3]).toMatch(/^  hellaswag\/acc_norm,none\s+0\.5000\s+–\s+–$/);
    expect(lines[at + 4]).toBe('  #3 k3abcdef: evaluation failed: JobFailed: evaluate job for k3 exited with code 1');
    const md = renderLeaderboardMarkdown(board);
    expect(md).toContain('| arc_easy/acc,none | 0.7123 | 0.6911 | – |');
  });

  it('ends each base model with the best trial against the baseline, or says how to get that comparison', () => {
    const text = renderLeaderboard(board).replace(/\n/g, ' ');
    expect(text).toContain('Tuned vs default (llama-7b): best k1abcdef vs baseline k2abcdef over 170 instructions: 100 wins, 40 ties, 30 losses; win rate 0.71 (95% CI 0.64–0.77): tuned better');
    expect(text).toContain('Tuned vs default (bloom-7b): no baseline in the sweep; add a `baseline:` section');
    expect(text).toContain('Second opinion by gpt-4o: 90 wins, 30 ties, 50 losses; win rate 0.62 (95% CI 0.55–0.69): tuned better; agrees with the tournament judge on 120 of 170 instructions (71%)');
  });
});

describe('renderLeaderboardMarkdown', () => {
  it('writes one table row per standing with full keys and escaped cells', () => {
    const md = renderLeaderboardMarkdown({ ...board, rows: [...board.rows, row(5, { params: { template: 'a|b' } })] });
    const rows = md.split('\n').filter((l) => /^\| \d+ \|/.test(l));
    expect(rows).toHaveLength(board.rows.length + 1);
    expect(md).toContain('`k12abcdef0123456789`');
    expect(md).toContain('template=a\\|b');
    expect(md).toContain('## bloom-7b');
  });
});

describe('leaderboardToJson', () => {
  it('groups rows per base model with the best trial and lists failures', () => {
    const json = leaderboardToJson(board);
    expect(json.baseModels.map((b) => [b.id, b.rows.length])).toEqual([['bloom-7b', 1], ['llama-7b', 5]]);
    expect(json.baseModels[1]!.best!.trialKey).toBe('k1abcdef0123456789');
    expect(json.failed).toEqual([
      { trialKey: 'failedkey1', failureType: 'OutOfMemory', cause: 'train job ran out of memory' },
      { trialKey: 'failedkey2', failureType: 'OutOfMemory', cause: 'train job ran out of memory' },
    ]);
    expect(json.baseModels[1]!.tunedVsDefault).toEqual({
      baseModel: 'llama-7b', state: 'confirmed', best: 'k1abcdef0123456789', baseline: 'k2abcdef0123456789',
      wins: 100, ties: 40, losses: 30, winRate: 120 / 170, ciLow: 0.64, ciHigh: 0.77, verdict: 'tuned better',
      secondOpinions: [{ judge: 'gpt-4o', judgeId: 'openai:gpt-4o', wins: 90, ties: 30, losses: 50, winRate: 105 / 170, ciLow: 0.55, ciHigh: 0.69, verdict: 'tuned better', agreed: 120, shared: 170 }],
    });
    expect(json.baseModels[0]!.tunedVsDefault).toMatchObject({ state: 'no-baseline', best: null, winRate: null });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
