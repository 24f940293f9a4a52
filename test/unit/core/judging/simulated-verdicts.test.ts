import { describe, expect, it } from 'vitest';
import { simulateVerdict } from '../../../../core/judging/simulated-verdicts.js';
import type { Verdict } from '../../../../core/judging/judge-types.js';
import { seededRandom } from '../../../../core/tournament/seeded-random.js';

/** Maps a swapped-order verdict back to A/B labels. */
const unswap = (v: Verdict): Verdict => (v === 1 ? 2 : v === 2 ? 1 : 0);

/** Judges `count` instructions in both orders for qualities drawn from a normal-ish spread. */
function measure(count: number, extra: { positionBias?: number; tieRate?: number } = {}) {
  const random = seededRandom(42);
  let flips = 0;
  let ties = 0;
  let response1 = 0;
  for (let i = 0; i < count; i++) {
    const qualityA = (random() + random() + random() - 1.5) * 2;
    const qualityB = (random() + random() + random() - 1.5) * 2;
    const common = { qualityA, qualityB, instructionId: `i${i}`, seed: 7, ...extra };
    const first = simulateVerdict({ ...common, order: 1 });
    const second = simulateVerdict({ ...common, order: 2 });
    if (first !== unswap(second)) flips++;
    ties += Number(first === 0) + Number(second === 0);
    response1 += Number(first === 1) + Number(second === 1);
  }
  return { flipRate: flips / count, tieRate: ties / (2 * count), response1Rate: response1 / (2 * count) };
}

describe('simulateVerdict', () => {
  it('is calibrated to PandaLM by default: ~17% flips under swapping, ~10% ties', () => {
    const { flipRate, tieRate, response1Rate } = measure(20_000);
    expect(flipRate).toBeGreaterThan(0.16);
    expect(flipRate).toBeLessThan(0.18);
    expect(tieRate).toBeGreaterThan(0.093);
    expect(tieRate).toBeLessThan(0.107);
    // The position bias favours response 1.
    expect(response1Rate).toBeGreaterThan((1 - tieRate) / 2 + 0.05);
  });

  it('follows the configured bias and tie rate', () => {
    const { flipRate, tieRate } = measure(20_000, { positionBias: 0.3, tieRate: 0.2 });
    expect(flipRate).toBeCloseTo(0.3 * 1.2, 1);
    expect(tieRate).toBeCloseTo(0.2, 1);
    const clean = measure(5_000, { positionBias: 0, tieRate: 0 });
    expect(clean).toMatchObject({ flipRate: 0, tieRate: 0 });
  });

  it('follows Bradley–Terry without bias and ties', () => {
    for (const diff of [0.5, 1.5]) {
      let wins = 0;
      const n = 20_000;
      for (let i = 0; i < n; i++) {
        wins += Number(simulateVerdict({ qualityA: diff, qualityB: 0, instructionId: `x${i}`, order: 1, seed: 3, positionBias: 0, tieRate: 0 }) === 1);
      }
      expect(wins / n).toBeCloseTo(1 / (1 + Math.exp(-diff)), 1.6);
    }
  });

  it('is deterministic and depends only on what is shown in each position', () => {
    const base = { instructionId: 'q', seed: 11 } as const;
    for (let k = 0; k < 200; k++) {
      const qualityA = k / 37;
      const qualityB = 2 - k / 53;
      const a = simulateVerdict({ ...base, instructionId: `q${k}`, qualityA, qualityB, order: 2 });
      expect(simulateVerdict({ ...base, instructionId: `q${k}`, qualityA, qualityB, order: 2 })).toBe(a);
      expect(simulateVerdict({ ...base, instructionId: `q${k}`, qualityA: qualityB, qualityB: qualityA, order: 1 })).toBe(a);
    }
    const seeds = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => [0, 1, 2, 3, 4].map((i) => simulateVerdict({ qualityA: 0, qualityB: 0, instructionId: `${i}`, order: 1, seed })).join()));
    expect(seeds.size).toBeGreaterThan(1);
  });
});

// The backend lives in judges/; its test sits here with the function it wraps.
describe('createSimulatedJudge', () => {
  it('judges requests from their subjects like simulateVerdict and disposes idempotently', async () => {
    const { createSimulatedJudge } = await import('../../../../judges/simulated-judge.js');
    const judge = createSimulatedJudge({ seed: 5, positionBias: 0.1, tieRate: 0.05 });
    const request = { instruction: 'Say hi', input: '', response1: 'hi', response2: 'hello' };
    for (let i = 0; i < 50; i++) {
      const subjects = { quality1: i / 10, quality2: 2 - i / 20, instructionId: `i${i}` };
      const result = await judge.judge({ ...request, subjects }, { mode: 'verdict' });
      const expected = simulateVerdict({ qualityA: subjects.quality1, qualityB: subjects.quality2, instructionId: `i${i}`, order: 1, seed: 5, positionBias: 0.1, tieRate: 0.05 });
      expect(result.verdict).toBe(expected);
    }
    const full = await judge.judge({ ...request, subjects: { quality1: 1, quality2: 0, instructionId: 'z' } }, { mode: 'full' });
    expect(full.raw).toMatch(/^(1|2|Tie)\n\n### Reason: /);
    const controller = new AbortController();
    controller.abort();
    await expect(judge.judge(request, { mode: 'verdict', signal: controller.signal })).rejects.toThrow();
    await judge.dispose();
    await judge.dispose();
    await expect(judge.judge(request, { mode: 'verdict' })).rejects.toThrow(/disposed/);
  });
});
