/**
 * The replay backend reads the file `judge-eval --save` writes: each order is answered as the judge
 * answered it (probabilities included), so resolving them again reproduces the saved verdict.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pandaLMVerdictRecord } from '../../../core/judge-eval/judge-eval-files.js';
import { swapResponses } from '../../../core/judging/resolve-orders.js';
import { createReplayJudge } from '../../../judges/replay-judge.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'pandasweep-replay-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const item = { idx: 4, instruction: 'Pick one.', input: '', response1: 'A', response2: 'B', annotator1: 1, annotator2: 1, annotator3: 2 };
const request = { instruction: item.instruction, input: item.input, response1: item.response1, response2: item.response2 };
const testset = path.join(scratch, 'testset.json');
writeFileSync(testset, JSON.stringify([item]));

describe('replay of a saved verdict file', () => {
  it('answers both orders as stored, with their probabilities', async () => {
    const file = path.join(scratch, 'saved.json');
    const first = { verdict: 1 as const, probabilities: { one: 0.8, two: 0.15, tie: 0.05 }, latencyMs: 5 };
    const swapped = { verdict: 1 as const, probabilities: { one: 0.7, two: 0.2, tie: 0.1 }, latencyMs: 5 };
    writeFileSync(file, JSON.stringify([pandaLMVerdictRecord(4, 0, first, swapped)], null, 4));
    const judge = await createReplayJudge({ file, records: 'auto', testset });
    expect(await judge.judge(request, { mode: 'verdict' })).toEqual({ verdict: 1, probabilities: first.probabilities, latencyMs: 0 });
    // The judge said "1" in both orders (position bias): replay keeps that instead of unswapping the resolved Tie.
    expect(await judge.judge(swapResponses(request), { mode: 'verdict' })).toEqual({ verdict: 1, probabilities: swapped.probabilities, latencyMs: 0 });
  });

  it('answers the swapped order of a one-order record by mapping it back, probabilities too', async () => {
    const file = path.join(scratch, 'one-order.json');
    writeFileSync(file, JSON.stringify([pandaLMVerdictRecord(4, 2, { verdict: 2, probabilities: { one: 0.1, two: 0.8, tie: 0.1 }, latencyMs: 1 })]));
    const judge = await createReplayJudge({ file, records: 'auto', testset });
    expect(await judge.judge(swapResponses(request), { mode: 'verdict' })).toEqual({ verdict: 1, probabilities: { one: 0.8, two: 0.1, tie: 0.1 }, latencyMs: 0 });
  });

  it('answers released PandaLM records (no orders) as before', async () => {
    const file = path.join(scratch, 'released.json');
    writeFileSync(file, JSON.stringify([{ idx: 4, pandalm_result: 2, pandalm_reason: 'r', pandalm_reference: 'x' }]));
    const judge = await createReplayJudge({ file, records: 'auto', testset });
    expect(await judge.judge(request, { mode: 'verdict' })).toEqual({ verdict: 2, latencyMs: 0 });
    expect(await judge.judge(swapResponses(request), { mode: 'verdict' })).toEqual({ verdict: 1, latencyMs: 0 });
  });
});
