import { z } from 'zod';

/**
 * The early-termination types a sweep can name. Both run the one schedule pandasweep has, asynchronous
 * successive halving over epoch rungs: `asha` is Ray Tune's name for it (`ASHAScheduler`), `hyperband`
 * W&B Sweeps' (`early_terminate: {type: hyperband}`, which also plays one bracket of successive halving).
 */
export const earlyTerminateTypes = ['asha', 'hyperband'] as const;

/** Default epochs before the first rung (W&B's `min_iter`, Ray's `grace_period`). */
export const defaultMinEpochs = 1;
/** Default reduction factor: the better third of a rung goes on (W&B's and Ray's default). */
export const defaultEta = 3;
/** Default matches each checkpoint plays at its rung. */
export const defaultRungMatches = 6;
/** Default instructions a rung match judges at most (bench/early-termination.bench.ts: fewer lost the best trial at the first rung too often). */
export const defaultRungInstructions = 64;
/** Parameters taken, in this order, as the trials' epoch counts when `epochs` is not given. */
export const epochParameterNames = ['num_train_epochs', 'epochs'] as const;

/**
 * The `earlyTerminate` section: judge-driven early termination of losing fine-tunes, shaped after W&B's
 * `early_terminate` and Ray Tune's ASHA. Every trial trains to the first rung (`minEpochs`), answers the
 * evaluation instructions from that checkpoint, and is judged against the other trials at that rung;
 * the better `1/eta` are promoted to the next rung (`minEpochs x eta^k` epochs, or their own last epoch),
 * the rest end as stopped early. A trial keeps its full learning-rate schedule: its epochs are its
 * `epochs` parameter, and a rung only stops it early.
 */
export const earlyTerminateSchema = z.strictObject({
  /** `asha` or `hyperband`: two names of one schedule (see `earlyTerminateTypes`). */
  type: z.enum(earlyTerminateTypes),
  /** Epochs every trial trains before it is first judged (W&B `min_iter`, Ray `grace_period`); fractions allowed. Defaults to `1`. */
  minEpochs: z.number().positive().default(defaultMinEpochs),
  /** Reduction factor: the better `1/eta` of each rung go on (W&B `eta`, Ray `reduction_factor`). Defaults to `3`. */
  eta: z.number().gt(1).default(defaultEta),
  /**
   * The parameter that holds each trial's number of epochs (W&B `max_iter`, Ray `max_t`, per trial).
   * Defaults to `num_train_epochs`, or `epochs` when the sweep has no `num_train_epochs`.
   */
  epochs: z.string().min(1).optional(),
  /** Matches each checkpoint plays against the others at its rung. Defaults to `6`. */
  matches: z.int().min(1).default(defaultRungMatches),
  /** Instructions a rung match judges at most; it stops earlier on a clear lead. Defaults to `64`. */
  instructions: z.int().min(1).default(defaultRungInstructions),
});

/** A validated `earlyTerminate` section, defaults applied. */
export type EarlyTerminateSpec = z.infer<typeof earlyTerminateSchema>;

/** What W&B and Ray users write for the fields of `earlyTerminate`, and what pandasweep calls them. */
export const foreignEarlyTerminateKeys: Readonly<Record<string, string>> = {
  min_iter: 'minEpochs',
  grace_period: 'minEpochs',
  reduction_factor: 'eta',
  max_iter: 'epochs (the parameter holding each trial\'s epochs)',
  max_t: 'epochs (the parameter holding each trial\'s epochs)',
  time_attr: 'nothing: rungs are always in epochs',
};

/** The parameter a sweep's trials take their epochs from: `spec.epochs`, or the first of `epochParameterNames` it declares. */
export function epochParameterOf(spec: Pick<EarlyTerminateSpec, 'epochs'>, parameterNames: readonly string[]): string | undefined {
  if (spec.epochs !== undefined) return spec.epochs;
  return epochParameterNames.find((name) => parameterNames.includes(name));
}
