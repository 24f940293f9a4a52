/**
 * A small, realistic sweep for the report tests: one base model, a 2x2x2 grid (learning rate, epochs,
 * optimizer), one failed trial, a blocks tournament (two blocks and a final), six instructions judged
 * in both orders with probabilities, reasons on some judgments, loss curves, standings computed by the
 * real tournament code, and the best trial's confirmation match against the baseline (trial 0, which it
 * never met in the tournament). Deterministic, so tests can check numbers against it.
 */
import type { Verdict } from '../../core/judging/judge-types.js';
import { resolveMatch } from '../../core/judging/resolve-match.js';
import { summarizeConfirmation, type ConfirmationSummary } from '../../core/tournament/confirmation.js';
import { computeStandings } from '../../core/tournament/standings.js';
import type { MatchRecord } from '../../core/tournament/types.js';
import type { ReportData, ReportJudgment } from '../../report/report-data.js';

export const sampleSweepId = 'paper-mini';
export const sampleBase = 'llama-7b';

export interface SampleTrial {
  key: string;
  index: number;
  block: number;
  params: { learning_rate: number; epochs: number; optimizer: string };
  status: 'done' | 'failed';
  failureType: string | null;
  /** As the trial workflow records it: one line of cause, then the job's last output lines. */
  failureMessage: string | null;
  checkpointPath: string | null;
  /** The trial's last job attempt. */
  lastJob: { kind: string; attempt: number; stdoutPath: string; stderrPath: string };
  quality: number;
}

export interface SampleJudgment extends ReportJudgment {
  reason: string | null;
  reference: string | null;
}

export interface SampleSweep {
  trials: SampleTrial[];
  instructions: { instructionId: string; instruction: string; input: string }[];
  matches: { id: string; pairingId: string; stage: string; block: number | null; round: number; a: string; b: string; aWins: number; bWins: number; ties: number }[];
  judgments: SampleJudgment[];
  metrics: { trialKey: string; step: number; name: string; value: number }[];
  standings: { trialKey: string; rank: number; matches: number; wins: number; losses: number; ties: number; points: number; score: number; rating: number; ciLow: number; ciHigh: number }[];
  best: { trialKey: string; checkpointPath: string | null };
  /** The best trial against the baseline (`summarizeConfirmation` over the confirm match). */
  confirmation: ConfirmationSummary & { matchId: string; best: string; baseline: string };
}

/** A tiny deterministic generator (LCG) so the sample never changes. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function buildSampleSweep(): SampleSweep {
  const random = rng(42);
  const trials: SampleTrial[] = [];
  let index = 0;
  for (const learning_rate of [2e-5, 1e-4]) {
    for (const epochs of [1, 3]) {
      for (const optimizer of ['adamw', 'sgd']) {
        const key = `t${String(index).padStart(2, '0')}${optimizer.slice(0, 1)}${epochs}${learning_rate === 2e-5 ? 'lo' : 'hi'}`;
        const failed = index === 5;
        const logs = `/runs/${sampleSweepId}/${sampleBase}/${key}/logs`;
        const lastJob = failed
          ? { kind: 'train', attempt: 2, stdoutPath: `${logs}/train-attempt-2.stdout.log`, stderrPath: `${logs}/train-attempt-2.stderr.log` }
          : { kind: 'generate', attempt: 1, stdoutPath: `${logs}/generate-attempt-1.stdout.log`, stderrPath: `${logs}/generate-attempt-1.stderr.log` };
        trials.push({
          key,
          index,
          block: index < 4 ? 0 : 1,
          params: { learning_rate, epochs, optimizer },
          status: failed ? 'failed' : 'done',
          failureType: failed ? 'OutOfMemory' : null,
          failureMessage: failed ? `train job for ${key} ran out of GPU memory <allocating 2 GiB> (attempt 2, logs: ${logs})\n--- last output ---\ntorch.OutOfMemoryError: CUDA out of memory` : null,
          lastJob,
          checkpointPath: failed ? null : `/runs/${sampleSweepId}/${sampleBase}/${key}/checkpoint-final`,
          quality: (learning_rate === 1e-4 ? 1 : 0) + (epochs === 3 ? 0.6 : 0) + (optimizer === 'adamw' ? 0.8 : 0),
        });
        index++;
      }
    }
  }
  const instructions = Array.from({ length: 6 }, (_, i) => ({
    instructionId: `i${i}`,
    instruction: `Explain idea number ${i} to a <beginner> & keep it short.`,
    input: i % 2 === 0 ? '' : `Context for idea ${i}.`,
  }));
  const live = trials.filter((t) => t.status === 'done');
  const pairings: { stage: string; block: number | null; round: number; a: SampleTrial; b: SampleTrial }[] = [];
  for (const block of [0, 1]) {
    const members = live.filter((t) => t.block === block);
    for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) pairings.push({ stage: 'block', block, round: 1, a: members[i]!, b: members[j]! });
  }
  const matches: SampleSweep['matches'] = [];
  const judgments: SampleJudgment[] = [];
  const records: MatchRecord[] = [];
  const play = (p: (typeof pairings)[number]): void => {
    const pairingId = `${p.stage}-${p.block ?? 'f'}-${p.a.key}-${p.b.key}`;
    const id = `${sampleSweepId}/${sampleBase}/${pairingId}`;
    const own: SampleJudgment[] = [];
    for (const ins of instructions) {
      const diff = p.a.quality - p.b.quality + (random() - 0.5) * 1.5;
      for (const order of [1, 2] as const) {
        // Position bias: the first shown response gets a small bonus.
        const shownDiff = (order === 1 ? diff : -diff) + 0.3;
        const verdict: Verdict = Math.abs(shownDiff) < 0.35 ? 0 : shownDiff > 0 ? 1 : 2;
        const probOne = verdict === 1 ? 0.7 : verdict === 2 ? 0.15 : 0.25;
        const probTwo = verdict === 2 ? 0.7 : verdict === 1 ? 0.15 : 0.25;
        const withReason = ins.instructionId === 'i1';
        own.push({
          matchId: id,
          instructionId: ins.instructionId,
          order,
          verdict,
          probOne,
          probTwo,
          probTie: 1 - probOne - probTwo,
          // As a prefix-caching judge counts them: the second order reuses the shared instruction.
          promptTokens: 230,
          evaluatedTokens: order === 1 ? 150 : 90,
          judgeId: 'pandalm-7b',
          latencyMs: 40 + Math.round(random() * 20),
          reason: withReason ? `Response ${verdict === 0 ? 'both' : verdict} follows the instruction more closely.` : null,
          reference: withReason ? `A short reference answer for idea 1.` : null,
        });
      }
    }
    const resolved = resolveMatch(own, 'paper');
    judgments.push(...own);
    matches.push({ id, pairingId, stage: p.stage, block: p.block, round: p.round, a: p.a.key, b: p.b.key, aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties });
    records.push({ id: pairingId, a: p.a.key, b: p.b.key, stage: p.stage, block: p.block, aWins: resolved.aWins, bWins: resolved.bWins, ties: resolved.ties, perInstruction: resolved.perInstruction });
  };
  pairings.forEach(play);
  const blockWinner = (block: number): SampleTrial => {
    const points = new Map<string, number>();
    for (const m of matches.filter((x) => x.block === block)) {
      points.set(m.a, (points.get(m.a) ?? 0) + m.aWins + m.ties / 2);
      points.set(m.b, (points.get(m.b) ?? 0) + m.bWins + m.ties / 2);
    }
    const top = [...points].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]![0];
    return live.find((t) => t.key === top)!;
  };
  play({ stage: 'final', block: null, round: 2, a: blockWinner(0), b: blockWinner(1) });
  const { standings } = computeStandings({
    entrants: trials.map((t) => t.key),
    matches: records,
    seed: 7,
    bootstrap: 200,
    excluded: trials.filter((t) => t.status === 'failed').map((t) => ({ trial: t.key, reason: 'OutOfMemory' })),
  });
  const metrics: SampleSweep['metrics'] = [];
  for (const t of trials) {
    const steps = t.status === 'failed' ? 2 : 6;
    for (let s = 0; s < steps; s++) {
      metrics.push({ trialKey: t.key, step: s * 10, name: 'loss', value: 2.5 / (1 + s * (0.2 + t.quality / 5)) });
      if (s % 2 === 1) metrics.push({ trialKey: t.key, step: s * 10, name: 'eval_loss', value: 2.7 / (1 + s * (0.15 + t.quality / 6)) });
    }
  }
  const winner = standings.find((s) => s.rank === 1)!;
  const baseline = trials.find((t) => t.index === 0)!;
  play({ stage: 'confirm', block: null, round: 0, a: live.find((t) => t.key === winner.trial)!, b: baseline });
  const confirmMatch = matches.at(-1)!;
  const confirmation = {
    matchId: confirmMatch.id,
    best: winner.trial,
    baseline: baseline.key,
    ...summarizeConfirmation(records.at(-1)!.perInstruction, { seed: 7, resamples: 200 }),
  };
  return {
    trials,
    instructions,
    matches,
    judgments,
    metrics,
    standings: standings.map((s) => ({ trialKey: s.trial, rank: s.rank, matches: s.matches, wins: s.wins, losses: s.losses, ties: s.ties, points: s.points, score: s.score, rating: s.rating, ciLow: s.ciLow, ciHigh: s.ciHigh })),
    best: { trialKey: winner.trial, checkpointPath: trials.find((t) => t.key === winner.trial)!.checkpointPath },
    confirmation,
  };
}

/** Responses of a trial, of quality-dependent length, with characters that need escaping. */
export function sampleResponse(trial: SampleTrial, instructionId: string): string {
  return `Answer of ${trial.key} to ${instructionId}: <b>${'detail '.repeat(1 + Math.round(trial.quality * 3))}</b>`;
}

/** The sample as the renderers see it (what `readReportData` should return for the seeded database). */
export function sampleReportData(sample: SampleSweep = buildSampleSweep()): ReportData {
  const byKey = new Map(sample.trials.map((t) => [t.key, t]));
  const withReasons = sample.judgments.filter((j) => j.reason !== null);
  return {
    sweep: { id: sampleSweepId, name: 'PandaLM paper (mini)', file: '/sweeps/paper-mini.yaml', status: 'done', workflowId: sampleSweepId, createdAt: '2025-01-01T00:00:00.000Z', finishedAt: '2025-01-01T01:00:00.000Z' },
    generatedAt: '2025-01-02T00:00:00.000Z',
    temporalUiUrl: 'http://127.0.0.1:8233',
    temporalNamespace: 'default',
    trials: sample.trials.map((t) => ({
      key: t.key,
      baseModelId: sampleBase,
      index: t.index,
      block: t.block,
      isBaseline: t.index === 0,
      params: t.params,
      status: t.status,
      failureType: t.failureType,
      failureMessage: t.failureMessage,
      checkpointPath: t.checkpointPath,
      workflowId: `${sampleSweepId}/${sampleBase}/${t.key}`,
      lastJob: t.lastJob,
    })),
    standings: sample.standings.map((s) => ({ baseModelId: sampleBase, epoch: null, entrant: s.trialKey, ...s })),
    best: [{ baseModelId: sampleBase, epoch: null, entrant: sample.best.trialKey, ...sample.best }],
    // The best two trials and the baseline, evaluated downstream; the baseline's evaluation failed.
    evaluations: sampleEvaluations(sample),
    confirmations: [
      {
        baseModelId: sampleBase,
        judge: 'tournament',
        judgeId: 'pandalm-7b',
        bestTrialKey: sample.confirmation.best,
        baselineTrialKey: sample.confirmation.baseline,
        wins: sample.confirmation.wins,
        ties: sample.confirmation.ties,
        losses: sample.confirmation.losses,
        winRate: sample.confirmation.winRate,
        ciLow: sample.confirmation.ciLow,
        ciHigh: sample.confirmation.ciHigh,
        agreed: null,
        shared: null,
      },
    ],
    matches: sample.matches.map((m) => ({ id: m.id, baseModelId: sampleBase, stage: m.stage, block: m.block, round: m.round, a: m.a, b: m.b, status: 'done', aWins: m.aWins, bWins: m.bWins, ties: m.ties })),
    curves: sample.trials.flatMap((t) =>
      ['eval_loss', 'loss'].map((name) => ({
        baseModelId: sampleBase,
        trialKey: t.key,
        name,
        points: sample.metrics.filter((m) => m.trialKey === t.key && m.name === name).map((m) => [m.step, m.value] as const),
      })),
    ),
    judgments: sample.judgments.map(({ reason: _r, reference: _f, ...j }) => j),
    examples: withReasons.slice(0, 2).map((j) => {
      const m = sample.matches.find((x) => x.id === j.matchId)!;
      const [first, second] = j.order === 1 ? [m.a, m.b] : [m.b, m.a];
      const ins = sample.instructions.find((i) => i.instructionId === j.instructionId)!;
      return {
        matchId: j.matchId,
        baseModelId: sampleBase,
        trialA: m.a,
        trialB: m.b,
        instruction: ins.instruction,
        input: ins.input,
        response1: sampleResponse(byKey.get(first)!, j.instructionId),
        response2: sampleResponse(byKey.get(second)!, j.instructionId),
        order: j.order,
        verdict: j.verdict,
        reason: j.reason,
        reference: j.reference,
      };
    }),
  };
}

/** The sample's downstream evaluations: scores that follow quality for the top two, and a failed baseline. */
export function sampleEvaluations(sample: SampleSweep): ReportData['evaluations'] {
  const ranked = [...sample.standings].sort((a, b) => a.rank - b.rank).slice(0, 2);
  const quality = (key: string) => sample.trials.find((t) => t.key === key)!.quality;
  return [
    ...ranked.map((s) => ({ baseModelId: sampleBase, trialKey: s.trialKey, status: 'done', error: null, metrics: { 'arc_easy/acc': 0.4 + quality(s.trialKey) / 10, 'hellaswag/acc_norm': 0.3 + quality(s.trialKey) / 20 } })),
    { baseModelId: sampleBase, trialKey: sample.confirmation.baseline, status: 'failed', error: 'JobFailed: evaluate job exited with code 1', metrics: {} },
  ];
}
