/** Logits to the Elo-like rating scale: 400 rating points per factor of ten in odds. */
export const ratingPerLogit = 400 / Math.LN10;

/** Rating of an average entrant. */
export const ratingCentre = 1000;

/** Aggregated results of one pair: A's score (wins plus half the ties) out of `games`. */
export interface PairResult {
  readonly a: string;
  readonly b: string;
  readonly scoreA: number;
  readonly games: number;
}

/** Options of `fitBradleyTerry`. */
export interface FitBradleyTerryOptions {
  /**
   * Pseudo-games each entrant plays against a virtual average opponent, scoring half of them. Keeps
   * ratings finite for entrants that won or lost everything; a few games hardly move the others.
   * Defaults to `1`.
   */
  readonly prior?: number;
  /** Stop when no log-strength moves more than this. Defaults to `1e-9`. */
  readonly tolerance?: number;
  /** Newton iteration cap. Defaults to `100`. */
  readonly maxIterations?: number;
  /** Starting log-strengths (a warm start for bootstrap refits). Defaults to all zero. */
  readonly start?: ReadonlyMap<string, number>;
}

/** Default prior pseudo-games of `fitBradleyTerry`. */
export const defaultBradleyTerryPrior = 1;

/**
 * Fits Bradley–Terry strengths to pairwise results (ties count as half a win for each side) by
 * Newton's method on the log-likelihood (with step halving), and returns each entrant's log-strength
 * (logit), centred so the mean is 0. P(i beats j) = 1 / (1 + exp(-(logit_i - logit_j))). Newton
 * rather than the classic MM iteration because MM crawls when blocks are linked by only a few final
 * matches; convert to the reported scale with `toRating`.
 */
export function fitBradleyTerry(
  entrants: readonly string[],
  results: readonly PairResult[],
  options: FitBradleyTerryOptions = {},
): Map<string, number> {
  const { prior = defaultBradleyTerryPrior, tolerance = 1e-9, maxIterations = 100, start } = options;
  const index = new Map(entrants.map((e, i) => [e, i]));
  const n = entrants.length;
  // Aggregate repeated meetings: per unordered pair, i's score and the games played.
  const pairTotals = new Map<number, { i: number; j: number; scoreI: number; games: number }>();
  const score = new Float64Array(n);
  for (const r of results) {
    const a = index.get(r.a);
    const b = index.get(r.b);
    if (a === undefined || b === undefined || a === b || r.games <= 0) continue;
    const [i, j, scoreI] = a < b ? [a, b, r.scoreA] : [b, a, r.games - r.scoreA];
    const key = i * n + j;
    const entry = pairTotals.get(key) ?? { i, j, scoreI: 0, games: 0 };
    entry.scoreI += scoreI;
    entry.games += r.games;
    pairTotals.set(key, entry);
    score[a] = (score[a] ?? 0) + r.scoreA;
    score[b] = (score[b] ?? 0) + (r.games - r.scoreA);
  }
  const pairs = [...pairTotals.values()];
  const logLikelihood = (theta: Float64Array): number => {
    let ll = 0;
    for (const { i, j, scoreI, games } of pairs) {
      const d = (theta[i] ?? 0) - (theta[j] ?? 0);
      ll += scoreI * d - games * softplus(d);
    }
    for (let i = 0; i < n; i++) ll += prior * (0.5 * (theta[i] ?? 0) - softplus(theta[i] ?? 0));
    return ll;
  };

  let theta = new Float64Array(n).map((_, i) => start?.get(entrants[i] ?? '') ?? 0);
  let current = logLikelihood(theta);
  const gradient = new Float64Array(n);
  // Negative Hessian, row-major; a tiny ridge keeps it invertible without a prior (the scale is free).
  const hessian = new Float64Array(n * n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    hessian.fill(0);
    for (let i = 0; i < n; i++) {
      const s = sigmoid(theta[i] ?? 0);
      gradient[i] = (score[i] ?? 0) + prior * (0.5 - s);
      hessian[i * n + i] = prior * s * (1 - s) + 1e-9;
    }
    for (const { i, j, games } of pairs) {
      const p = sigmoid((theta[i] ?? 0) - (theta[j] ?? 0));
      const w = games * p * (1 - p);
      gradient[i] = (gradient[i] ?? 0) - games * p;
      gradient[j] = (gradient[j] ?? 0) - games * (1 - p);
      hessian[i * n + i] = (hessian[i * n + i] ?? 0) + w;
      hessian[j * n + j] = (hessian[j * n + j] ?? 0) + w;
      hessian[i * n + j] = (hessian[i * n + j] ?? 0) - w;
      hessian[j * n + i] = (hessian[j * n + i] ?? 0) - w;
    }
    const step = solveSymmetric(hessian, gradient, n);
    let scale = 1;
    let candidate = theta;
    let value = current;
    for (let halvings = 0; halvings < 30; halvings++) {
      candidate = theta.map((t, i) => t + scale * (step[i] ?? 0));
      value = logLikelihood(candidate);
      if (value >= current - 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    const moved = step.reduce((m, v) => Math.max(m, Math.abs(v * scale)), 0);
    theta = candidate;
    current = value;
    if (moved < tolerance) break;
  }
  const mean = theta.reduce((s, v) => s + v, 0) / Math.max(n, 1);
  return new Map(entrants.map((e, i) => [e, (theta[i] ?? 0) - mean]));
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Solves A x = b for a symmetric positive definite A (row-major, n x n) by Cholesky; A is overwritten. */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j] ?? 0;
    for (let k = 0; k < j; k++) d -= (a[j * n + k] ?? 0) ** 2;
    const diag = Math.sqrt(Math.max(d, 1e-300));
    a[j * n + j] = diag;
    for (let i = j + 1; i < n; i++) {
      let v = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) v -= (a[i * n + k] ?? 0) * (a[j * n + k] ?? 0);
      a[i * n + j] = v / diag;
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v = b[i] ?? 0;
    for (let k = 0; k < i; k++) v -= (a[i * n + k] ?? 0) * (y[k] ?? 0);
    y[i] = v / (a[i * n + i] ?? 1);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let v = y[i] ?? 0;
    for (let k = i + 1; k < n; k++) v -= (a[k * n + i] ?? 0) * (x[k] ?? 0);
    x[i] = v / (a[i * n + i] ?? 1);
  }
  return x;
}

/** Converts a logit to the reported rating: 1000 + logit x 400 / ln 10 (Elo's scale). */
export function toRating(logit: number): number {
  return ratingCentre + logit * ratingPerLogit;
}
