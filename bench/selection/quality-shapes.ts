import { seededRandom } from '../../core/tournament/seeded-random.js';
import { releasedQualitySpread } from './released-quality-spread.js';

/** A way latent qualities (Bradley–Terry logits per instruction) of a sweep's trials can be spread. */
export interface QualityShape {
  readonly name: string;
  readonly description: string;
  /** Draws `n` qualities from `seed`; the best one sits at a random position. */
  draw(n: number, seed: number): number[];
}

/** Standard normal draw (Box–Muller) from a uniform source. */
function normal(random: () => number): number {
  const u = Math.max(random(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * Rounds to 4 decimals: the simulated judge hashes the qualities' text, and short text hashes faster
 * without changing anything the judge can tell apart.
 */
function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Draws a normal field of spread `sd`, then lifts the top entries so they lead the rest by `leads`. */
function field(n: number, seed: number, sd: number, leads: readonly number[]): number[] {
  const random = seededRandom(seed);
  const rest = Array.from({ length: n - leads.length }, () => sd * normal(random));
  const top = Math.max(...rest);
  const all = [...rest, ...leads.map((lead) => top + lead)];
  // Shuffle so the best trial's key says nothing about its quality.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j] as number, all[i] as number];
  }
  return all.map(round4);
}

/**
 * The benchmark's shapes. Spreads are in logits per instruction: 0.3 logits is a 57:43 preference
 * between two typical configurations, about what hyperparameter variants of one base model show.
 */
export const qualityShapes: readonly QualityShape[] = [
  {
    name: 'clear-winner',
    description: 'normal field (sd 0.3 logits); the best leads the next by 0.4',
    draw: (n, seed) => field(n, seed, 0.3, [0.4]),
  },
  {
    name: 'close-top-three',
    description: 'normal field (sd 0.3); three lead it by 0.3, 0.2 and 0.15 (the best 0.1 ahead of the second)',
    draw: (n, seed) => field(n, seed, 0.3, [0.3, 0.2, 0.15]),
  },
  {
    name: 'flat',
    description: 'all trials from one narrow normal (sd 0.1 logits): the best is barely better',
    draw: (n, seed) => field(n, seed, 0.1, []),
  },
  {
    name: 'pandalm-released',
    description: `normal field with the spread of the five test-set models' Bradley–Terry logits fitted to PandaLM-7B's released verdicts (sd ${releasedQualitySpread.sd.toFixed(3)})`,
    draw: (n, seed) => field(n, seed, releasedQualitySpread.sd, []),
  },
];
