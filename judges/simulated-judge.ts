/**
 * The `simulated` judge backend: verdicts drawn from the latent qualities the toy trainer reports, so
 * whole sweeps and tournament strategies can be exercised in seconds without a model.
 */
import { simulateVerdict } from '../core/judging/simulated-verdicts.js';
import type { JudgeRequest, JudgeResult } from '../core/judging/judge-types.js';
import { hashSeed } from '../core/tournament/seeded-random.js';
import type { Judge, JudgeCallOptions } from './judge.js';
import type { SimulatedJudgeConfig } from './judge-config.js';

/** Options of `createSimulatedJudge`; the `simulated` judge configuration's fields. */
export type SimulatedJudgeOptions = Partial<Pick<SimulatedJudgeConfig, 'positionBias' | 'tieRate' | 'seed' | 'scale'>>;

/**
 * Creates a simulated judge. Each request's verdict comes from `simulateVerdict` with the request's
 * `subjects.quality1` / `quality2` (0 when absent) and `subjects.instructionId` (a hash of the
 * instruction and input when absent); the seed defaults to `0`. In `full` mode it adds a short
 * reason in PandaLM's output layout.
 */
export function createSimulatedJudge(options: SimulatedJudgeOptions = {}): Judge {
  const { seed = 0, positionBias, tieRate, scale = 1 } = options;
  let disposed = false;
  return {
    id: `simulated:seed=${seed}${scale === 1 ? '' : `,scale=${scale}`}${positionBias === undefined ? '' : `,bias=${positionBias}`}${tieRate === undefined ? '' : `,ties=${tieRate}`}`,
    async judge(request: JudgeRequest, callOptions: JudgeCallOptions): Promise<JudgeResult> {
      if (disposed) throw new Error('The simulated judge was disposed.');
      callOptions.signal?.throwIfAborted();
      const quality1 = request.subjects?.quality1 ?? 0;
      const quality2 = request.subjects?.quality2 ?? 0;
      const instructionId = request.subjects?.instructionId ?? String(hashSeed(request.instruction, request.input));
      const verdict = simulateVerdict({
        qualityA: quality1 * scale,
        qualityB: quality2 * scale,
        instructionId,
        order: 1,
        seed,
        ...(positionBias === undefined ? {} : { positionBias }),
        ...(tieRate === undefined ? {} : { tieRate }),
      });
      // No probabilities: a one-hot triple would pretend to a confidence the simulation does not have.
      if (callOptions.mode === 'verdict') return { verdict, latencyMs: 0 };
      const label = verdict === 0 ? 'Tie' : String(verdict);
      const reason = `Simulated: response qualities ${quality1} and ${quality2}.`;
      return { verdict, reason, reference: '', raw: `${label}\n\n### Reason: ${reason}\n\n### Reference: \n`, latencyMs: 0 };
    },
    async dispose() {
      disposed = true;
    },
  };
}

/** The latent quality the toy trainer writes in its metrics (`quality`), or `undefined` for any other trainer's. */
export function toyQualityOf(metrics: unknown): number | undefined {
  if (typeof metrics !== 'object' || metrics === null) return undefined;
  const q = (metrics as { quality?: unknown }).quality;
  return typeof q === 'number' ? q : undefined;
}

/** The request `subjects` this judge reads its two responses' qualities from (left out when unknown). */
export function simulatedQualitySubjects(quality1: number | undefined, quality2: number | undefined): { quality1?: number; quality2?: number } {
  return { ...(quality1 === undefined ? {} : { quality1 }), ...(quality2 === undefined ? {} : { quality2 }) };
}
