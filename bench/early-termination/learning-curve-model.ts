/**
 * A learning-curve model for the early-termination simulation, calibrated from real SmolLM2 runs
 * (bench/learning-curves.bench.ts, saved in smollm2-learning-curves.json): what a trial's checkpoint
 * after a fraction f of its epochs looks like to a judge, given the quality its last checkpoint has.
 *
 * From the measured held-out losses, pooled by fraction of each configuration's own epochs, three
 * curves are read (each 1 at f = 1):
 * - `rho(f)`: Spearman correlation of the loss at f with the final loss, across configurations;
 * - `spread(f)`: the spread (sd) of the losses at f over the spread of the final losses: early
 *   checkpoints are closer to the base model and to each other;
 * - `lag(f)`: how far behind the final checkpoint they are on average, in final spreads;
 * and `persistence`: how much of a configuration's deviation from its final rank carries over from one
 * checkpoint to the next. The model assumes a judge's preference between checkpoints scales like their
 * held-out loss (both in units of the final field's spread), the one assumption that ties a loss
 * measurement to pairwise verdicts.
 *
 * A checkpoint's quality: `mean - lag(f) sd + spread(f) sd (rho(f) z + sqrt(1 - rho(f)^2) e(f))`, with z
 * the trial's standardised final quality and e an AR(1) series over the trial's checkpoints.
 */
import { readFileSync } from 'node:fs';
import { spearman } from '../../core/early-termination/rank-correlation.js';

/** The calibration file's shape (bench/learning-curves.bench.ts). */
export interface LearningCurveFile {
  readonly measuredAt: string;
  readonly curves: readonly { readonly learningRate: string; readonly epochs: number; readonly checkpoints: readonly number[]; readonly losses: readonly number[] }[];
}

/** One fraction bin's calibration. */
export interface CurvePoint {
  readonly fraction: number;
  readonly points: number;
  readonly rho: number;
  readonly spread: number;
  readonly lag: number;
}

/** The calibrated model. */
export interface LearningCurveModel {
  readonly bins: readonly CurvePoint[];
  readonly persistence: number;
  /** The Spearman correlations as measured, one per fraction bin, for the report. */
  rho(fraction: number): number;
  spread(fraction: number): number;
  lag(fraction: number): number;
}

/** Bins of the fraction of a trial's epochs; measured points are pooled inside each. */
const binEdges = [0, 0.3, 0.45, 0.6, 0.8, 1];

/** Builds the model from the calibration file. */
export function readLearningCurveModel(file: string): LearningCurveModel {
  return fitLearningCurveModel(JSON.parse(readFileSync(file, 'utf8')) as LearningCurveFile);
}

/** Fits the model's curves to measured learning curves (see the file comment). */
export function fitLearningCurveModel(data: LearningCurveFile): LearningCurveModel {
  const curves = data.curves.filter((c) => c.losses.length > 0);
  const final = (c: (typeof curves)[number]) => c.losses[c.losses.length - 1]!;
  const points = curves.flatMap((c) => c.checkpoints.flatMap((epoch, i) => (epoch < c.epochs ? [{ curve: c, fraction: epoch / c.epochs, loss: c.losses[i]! }] : [])));
  const sd = (xs: readonly number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  };
  const bins: CurvePoint[] = [];
  for (let b = 0; b + 1 < binEdges.length; b++) {
    const inside = points.filter((p) => p.fraction >= binEdges[b]! && p.fraction < binEdges[b + 1]!);
    if (inside.length < 4) continue;
    const finals = inside.map((p) => final(p.curve));
    const finalSd = sd(finals);
    bins.push({
      fraction: inside.reduce((s, p) => s + p.fraction, 0) / inside.length,
      points: inside.length,
      rho: Math.max(0, spearman(inside.map((p) => p.loss), finals)),
      spread: finalSd === 0 ? 1 : sd(inside.map((p) => p.loss)) / finalSd,
      lag: finalSd === 0 ? 0 : inside.reduce((s, p) => s + (p.loss - final(p.curve)), 0) / inside.length / finalSd,
    });
  }
  const anchor: CurvePoint = { fraction: 1, points: curves.length, rho: 1, spread: 1, lag: 0 };
  const knots = [...bins, anchor];
  const at = (key: 'rho' | 'spread' | 'lag') => (fraction: number) => interpolate(knots, fraction, key);
  const model = { bins, persistence: 0, rho: at('rho'), spread: at('spread'), lag: at('lag') };
  return { ...model, persistence: measurePersistence(curves, model) };
}

function interpolate(knots: readonly CurvePoint[], fraction: number, key: 'rho' | 'spread' | 'lag'): number {
  const first = knots[0]!;
  if (fraction <= first.fraction) return first[key];
  for (let i = 1; i < knots.length; i++) {
    const lo = knots[i - 1]!;
    const hi = knots[i]!;
    if (fraction <= hi.fraction) return lo[key] + ((hi[key] - lo[key]) * (fraction - lo.fraction)) / (hi.fraction - lo.fraction);
  }
  return knots[knots.length - 1]![key];
}

/**
 * The lag-one correlation of configurations' standardised deviations from what their final rank
 * predicts, between consecutive checkpoints: how persistent an early misjudgement of a configuration is.
 */
function measurePersistence(curves: LearningCurveFile['curves'], model: Pick<LearningCurveModel, 'rho'>): number {
  const finals = curves.map((c) => c.losses[c.losses.length - 1]!);
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = (xs: readonly number[]) => Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
  const fm = mean(finals);
  const fs = sd(finals) || 1;
  // Standardise each checkpoint's loss among the checkpoints at the same epoch count of the same schedule length.
  const pairs: [number, number][] = [];
  for (const c of curves) {
    const peers = curves.filter((d) => d.epochs === c.epochs);
    const residuals = c.checkpoints.map((epoch, i) => {
      if (epoch >= c.epochs) return undefined;
      const at = peers.map((d) => d.losses[d.checkpoints.indexOf(epoch)]).filter((x): x is number => x !== undefined);
      const s = sd(at);
      if (at.length < 3 || s === 0) return undefined;
      const rho = model.rho(epoch / c.epochs);
      const z = -(c.losses[c.losses.length - 1]! - fm) / fs;
      const y = -(c.losses[i]! - mean(at)) / s;
      return rho >= 1 ? undefined : (y - rho * z) / Math.sqrt(1 - rho * rho);
    });
    for (let i = 1; i < residuals.length; i++) {
      const [x, y] = [residuals[i - 1], residuals[i]];
      if (x !== undefined && y !== undefined) pairs.push([x, y]);
    }
  }
  if (pairs.length < 3) return 0;
  const xs = pairs.map((p) => p[0]);
  const ys = pairs.map((p) => p[1]);
  const mx = mean(xs);
  const my = mean(ys);
  const cov = pairs.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const denominator = Math.sqrt(xs.reduce((s, x) => s + (x - mx) ** 2, 0) * ys.reduce((s, y) => s + (y - my) ** 2, 0));
  return denominator === 0 ? 0 : Math.max(0, Math.min(0.95, cov / denominator));
}

/**
 * Draws the qualities of one trial's checkpoints at `stops` (epochs, ascending, the last being its final
 * epoch `epochs`) from its final quality `z`, in a field of mean `mean` and spread `sd`.
 */
export function checkpointQualities(model: LearningCurveModel, options: { z: number; mean: number; sd: number; epochs: number; stops: readonly number[]; normal: () => number }): number[] {
  const { z, mean, sd, epochs, stops, normal } = options;
  const standard = sd === 0 ? 0 : (z - mean) / sd;
  let e = normal();
  const c = model.persistence;
  return stops.map((epoch, i) => {
    if (i > 0) e = c * e + Math.sqrt(1 - c * c) * normal();
    if (epoch >= epochs) return z;
    const f = epoch / epochs;
    const rho = model.rho(f);
    return mean - model.lag(f) * sd + model.spread(f) * sd * (rho * standard + Math.sqrt(Math.max(0, 1 - rho * rho)) * e);
  });
}
