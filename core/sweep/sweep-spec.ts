import { z } from 'zod';
import { earlyTerminateSchema } from '../early-termination/early-terminate-config.js';
import { tournamentConfigSchema } from '../tournament/tournament-config.js';
import { checkSweepSpec } from './check-sweep-spec.js';
import { defaultJobHeartbeatTimeoutSeconds, defaultJudgeHeartbeatTimeoutSeconds, minHeartbeatTimeoutSeconds } from './heartbeat-timeouts.js';
import { parseDuration } from './parse-duration.js';

/** The W&B distributions a `random` sweep can sample from (min/max of `log_uniform` are exponents). */
export const parameterDistributions = [
  'uniform',
  'q_uniform',
  'int_uniform',
  'log_uniform',
  'q_log_uniform',
  'log_uniform_values',
  'q_log_uniform_values',
] as const;

/** One distribution name from `parameterDistributions`. */
export type ParameterDistribution = (typeof parameterDistributions)[number];

/** Default GPU count of a training job. */
export const defaultTrainGpus = 1;
/**
 * Default GPU count of a generation job: 1, because answering 170 instructions with a 7B model on a
 * CPU takes hours; CPU-only commands (the toy trainer) set `gpus: 0`.
 */
export const defaultGenerateGpus = 1;
/** Default training timeout in seconds (24 h: a 7B full fine-tune for several epochs). */
export const defaultTrainTimeoutSeconds = 24 * 3600;
/** Default generation timeout in seconds (2 h). */
export const defaultGenerateTimeoutSeconds = 2 * 3600;
/** Default retries of a job after its first failed attempt. */
export const defaultJobRetries = 2;

/** A hyperparameter value as it appears in a trial and on a command line. */
export const paramValueSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected a string, number or boolean',
});

/** A resolved hyperparameter value. */
export type ParamValue = z.infer<typeof paramValueSchema>;

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const slugPattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Longest base model id and sweep name: both name folders (a file name holds 255 bytes) and workflow ids. */
export const maxIdLength = 63;

/**
 * One entry of `parameters`, W&B style: exactly one of `value` (a constant), `values` (a list; with
 * `probabilities` for weighted random choice) or a `distribution` with `min`/`max` (and `q` for the
 * `q_*` variants). `min`/`max` without `distribution` mean `int_uniform` when both are integers and
 * `uniform` otherwise, as in W&B.
 */
export const parameterSchema = z
  .strictObject({
    value: paramValueSchema.optional(),
    values: z.array(paramValueSchema).min(1, { error: 'empty grid: `values` needs at least one value' }).optional(),
    probabilities: z.array(z.number().min(0)).optional(),
    distribution: z.enum(parameterDistributions).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    q: z.number().positive().optional(),
  })
  .superRefine((parameter, ctx) => {
    const forms = [
      parameter.value !== undefined ? 'value' : undefined,
      parameter.values !== undefined ? 'values' : undefined,
      parameter.distribution !== undefined || parameter.min !== undefined || parameter.max !== undefined
        ? 'distribution'
        : undefined,
    ].filter((form) => form !== undefined);
    if (forms.length === 0) {
      ctx.addIssue({ code: 'custom', path: [], message: 'expected one of `values: [...]`, `value: x` or `distribution` with `min`/`max`' });
      return;
    }
    if (forms.length > 1) {
      ctx.addIssue({ code: 'custom', path: [forms[1] === 'distribution' ? distributionKey(parameter) : (forms[1] ?? '')], message: `give only one of \`value\`, \`values\` or a distribution (found ${forms.join(' and ')})` });
      return;
    }
    if (parameter.probabilities !== undefined) {
      if (parameter.values === undefined) {
        ctx.addIssue({ code: 'custom', path: ['probabilities'], message: '`probabilities` only goes with `values`' });
      } else if (parameter.probabilities.length !== parameter.values.length) {
        ctx.addIssue({ code: 'custom', path: ['probabilities'], message: `expected ${parameter.values.length} probabilities (one per value), got ${parameter.probabilities.length}` });
      } else if (parameter.probabilities.reduce((sum, p) => sum + p, 0) <= 0) {
        ctx.addIssue({ code: 'custom', path: ['probabilities'], message: 'probabilities must not all be 0' });
      }
    }
    if (forms[0] === 'distribution') checkDistribution(parameter, ctx);
  });

/** A validated `parameters` entry. */
export type Parameter = z.infer<typeof parameterSchema>;

function distributionKey(parameter: Parameter): string {
  if (parameter.distribution !== undefined) return 'distribution';
  return parameter.min !== undefined ? 'min' : 'max';
}

function checkDistribution(parameter: Parameter, ctx: z.RefinementCtx): void {
  const { min, max, q, distribution } = parameter;
  if (min === undefined || max === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: `distribution needs both \`min\` and \`max\` (missing \`${min === undefined ? 'min' : 'max'}\`)` });
    return;
  }
  if (min > max) ctx.addIssue({ code: 'custom', path: ['max'], message: `expected max >= min (${min}), got ${max}` });
  if ((distribution === 'log_uniform_values' || distribution === 'q_log_uniform_values') && min <= 0) {
    ctx.addIssue({ code: 'custom', path: ['min'], message: `${distribution} needs min > 0, got ${min}` });
  }
  if (distribution === 'int_uniform' && (!Number.isInteger(min) || !Number.isInteger(max))) {
    ctx.addIssue({ code: 'custom', path: [Number.isInteger(min) ? 'max' : 'min'], message: 'int_uniform needs integer `min` and `max`' });
  }
  if (q !== undefined && !(distribution ?? '').startsWith('q_')) {
    ctx.addIssue({ code: 'custom', path: ['q'], message: `\`q\` only applies to the q_* distributions, not ${distribution ?? 'an implied uniform'}` });
  }
}

/** A base model: an `id` (used in paths and trial keys) plus free fields usable as `{{baseModel.<field>}}`. */
export const baseModelSchema = z
  .object({
    id: z
      .string()
      .regex(slugPattern, { error: 'expected an id of letters, digits, ".", "_" or "-" (it names folders)' })
      .max(maxIdLength, { error: `expected an id of at most ${maxIdLength} characters (it names folders and Temporal workflow ids)` }),
  })
  .catchall(paramValueSchema);

/** A validated base model. */
export type BaseModel = z.infer<typeof baseModelSchema>;

/** An environment value: a plain string, or `{secret: true}` to take it from the user's environment at run time. */
export const envValueSchema = z.union(
  [
    z.union([z.string(), z.number(), z.boolean()]).transform(String),
    z.strictObject({ secret: z.literal(true) }),
  ],
  { error: 'expected a string, or `{secret: true}` to read the value from your environment at run time' },
);

/** A validated environment value. Secret values are never stored; only their names are. */
export type EnvValue = z.infer<typeof envValueSchema>;

/** A duration: seconds as a number, or text such as `12h`, `30m`, `90s`, `1h30m`; parsed to seconds. */
export const durationSchema = z.union([z.number().positive(), z.string()], { error: 'expected a duration such as "12h", "30m", "90s" or a number of seconds' }).transform((value, ctx) => {
  if (typeof value === 'number') return value;
  const seconds = parseDuration(value);
  if (seconds === undefined || seconds <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration such as "12h", "30m", "90s" or a number of seconds, got "${value}"` });
    return z.NEVER;
  }
  return seconds;
});

const heartbeatTimeoutSchema = durationSchema.refine((seconds) => seconds >= minHeartbeatTimeoutSeconds, {
  error: `expected a heartbeat timeout of at least ${minHeartbeatTimeoutSeconds}s (jobs heartbeat every 5 s)`,
});

interface JobDefaults {
  readonly gpus: number;
  readonly timeout: number;
}

function jobSchema(defaults: JobDefaults) {
  return z.strictObject({
    /** The argv, with `{{placeholders}}`; run without a shell. Numbers are turned into strings. */
    command: z
      .array(z.union([z.string(), z.number()], { error: 'expected a string (one argv element)' }).transform(String))
      .min(1, { error: 'expected a non-empty argv list, e.g. ["python", "train.py", "{{args}}"]' }),
    /** Extra environment variables for the job. Defaults to none. */
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name' }), envValueSchema).default({}),
    /** GPUs the job needs (each gets its own `CUDA_VISIBLE_DEVICES`). */
    gpus: z.int().min(0).default(defaults.gpus),
    /** Wall-clock limit per attempt, in seconds after parsing. */
    timeout: durationSchema.default(defaults.timeout),
    /** Attempts after the first failed one. Defaults to `2`. */
    retries: z.int().min(0).default(defaultJobRetries),
    /** How long without a heartbeat before the worker counts as dead and the job is retried. Defaults to 1 min. */
    heartbeatTimeout: heartbeatTimeoutSchema.default(defaultJobHeartbeatTimeoutSeconds),
    /** Working folder, relative to the sweep file's folder. Defaults to `.` (the sweep file's folder). */
    workdir: z.string().min(1).default('.'),
  });
}

/** The `train` job. `gpus` defaults to `1`, `timeout` to 24 h, `retries` to `2`. */
export const trainJobSchema = jobSchema({ gpus: defaultTrainGpus, timeout: defaultTrainTimeoutSeconds });
/** The `generate` job. `gpus` defaults to `1`, `timeout` to 2 h, `retries` to `2`. */
export const generateJobSchema = jobSchema({ gpus: defaultGenerateGpus, timeout: defaultGenerateTimeoutSeconds });

/** The jobs a sweep runs per trial: training, answering the evaluation instructions, downstream evaluation. */
export type JobKind = 'train' | 'generate' | 'evaluate';

/** A validated job section (`train`, `generate` or `evaluate`); `timeout` is in seconds. */
export type JobSpec = z.infer<typeof trainJobSchema>;

/**
 * The `evaluate` job: a downstream evaluation (the lm-evaluation-harness, say) run after each base model's
 * tournament on its best trials and the baseline, with the placeholders, GPUs, timeouts, retries and
 * secrets of `train`. Its `PANDASWEEP_METRIC` lines and the numbers of the JSON file it may write at
 * `{{trial.evaluation}}` are stored per trial and shown side by side. `gpus` defaults to `1`, `timeout` to
 * 2 h, `retries` to `2`.
 */
export const evaluateJobSchema = jobSchema({ gpus: defaultGenerateGpus, timeout: defaultGenerateTimeoutSeconds }).extend({
  /** How many of the best trials to evaluate, by tournament rank (the baseline is evaluated too). Defaults to `1`. */
  top: z.int().min(1).default(1),
});

/** A validated `evaluate` section. */
export type EvaluateSpec = z.infer<typeof evaluateJobSchema>;

/**
 * Program name standing for pandasweep's builtin llama.cpp generator in a rendered `generate` command;
 * the job activity runs it as a child process like any other command (GPU slots, logs, timeout, cancel).
 */
export const builtinLlamaProgram = 'pandasweep:generate-llama';
/** Default answer length of the builtin generator, in tokens (the Alpaca candidates' 512). */
export const defaultBuiltinMaxTokens = 512;

/**
 * `generate: {builtin: llama, ...}`: pandasweep answers the instructions itself with node-llama-cpp from a
 * GGUF checkpoint, greedily, with the Alpaca prompt the PandaLM paper's candidates used. Validated to an
 * ordinary generate job whose command is `builtinLlamaProgram` with its options.
 */
export const builtinGenerateSchema = z
  .strictObject({
    builtin: z.literal('llama', { error: 'expected `builtin: llama` (the only builtin generator)' }),
    /** The GGUF file, with placeholders. Defaults to `{{trial.checkpoint}}` (the checkpoint is the GGUF file). */
    model: z.string().min(1).default('{{trial.checkpoint}}'),
    /** Longest answer, in tokens. Defaults to `512`. */
    maxTokens: z.int().positive().default(defaultBuiltinMaxTokens),
    /** Context size in tokens. Defaults to the model's trained size, at most 4096. */
    contextSize: z.int().positive().optional(),
    /** CPU threads of llama.cpp. Defaults to llama.cpp's choice. */
    threads: z.int().positive().optional(),
  })
  .extend(generateJobSchema.omit({ command: true }).shape)
  .transform(({ builtin: _builtin, model, maxTokens, contextSize, threads, ...job }): JobSpec => ({
    ...job,
    command: [
      builtinLlamaProgram,
      '--model', model,
      '--eval', '{{eval.file}}',
      '--output', '{{trial.dir}}/responses.jsonl',
      '--max-tokens', String(maxTokens),
      ...(contextSize === undefined ? [] : ['--context-size', String(contextSize)]),
      ...(threads === undefined ? [] : ['--threads', String(threads)]),
    ],
  }));

/**
 * The `generate` section: a command (`generateJobSchema`) or, with a `builtin` key, the builtin generator
 * (`builtinGenerateSchema`). Dispatched on the key rather than a union so errors name the right fields.
 */
export const generateSpecSchema = z.unknown().transform((value, ctx): JobSpec => {
  const schema = typeof value === 'object' && value !== null && Object.hasOwn(value, 'builtin') ? builtinGenerateSchema : generateJobSchema;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  // Re-raised with the offending value as `input` (zod would put the whole section there), for "got …" messages.
  for (const issue of result.error.issues) ctx.addIssue({ ...issue, input: valueAt(value, issue.path) } as z.core.$ZodRawIssue);
  return z.NEVER;
});

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) current = typeof current === 'object' && current !== null ? (current as Record<PropertyKey, unknown>)[key] : undefined;
  return current;
}

/** The evaluation instructions: a file (relative to the sweep file's folder) and an optional limit. */
export const evalSpecSchema = z.strictObject({
  file: z.string().min(1),
  /** Use only the first `limit` instructions. Defaults to all. */
  limit: z.int().positive().optional(),
});

/** A validated `eval` section. */
export type EvalSpec = z.infer<typeof evalSpecSchema>;

/**
 * How two orders of one comparison combine: `paper` turns a verdict that flips when the responses are
 * swapped into a tie (the PandaLM paper's rule); `first` is the PandaLM maintainers' rule (the same raw
 * label in both orders is a tie, otherwise the first order's verdict); `probability` averages the
 * first-token probabilities of both orders and takes the most likely verdict.
 */
export const judgeResolutions = ['paper', 'first', 'probability'] as const;

/** The judge: a config under `configs/judges/<name>.yaml` (or a path), its mode and order handling. */
export const judgeSpecSchema = z.strictObject({
  /** Judge config name or path. Defaults to `pandalm-7b`. */
  config: z.string().min(1).default('pandalm-7b'),
  /** `verdict` (first-token probabilities only) or `full` (reason and reference too). Defaults to `verdict`. */
  mode: z.enum(['verdict', 'full']).default('verdict'),
  /** Judge each instruction in both orders to cancel position bias. Defaults to `true`. */
  swap: z.boolean().default(true),
  /** How the two orders combine. Defaults to `paper`. */
  resolution: z.enum(judgeResolutions).default('paper'),
  /**
   * How long a match may go without a heartbeat (one per batch of judge calls) before its worker counts as
   * dead and the match resumes elsewhere. Defaults to 2 min; raise it for a 7B judge on a CPU.
   */
  heartbeatTimeout: heartbeatTimeoutSchema.default(defaultJudgeHeartbeatTimeoutSeconds),
});

/** A validated `judge` section. */
export type JudgeSpec = z.infer<typeof judgeSpecSchema>;

/** How much runs at once. */
export const concurrencySpecSchema = z.strictObject({
  /** Trials training or generating at once. Defaults to `2`. */
  trials: z.int().min(1).default(2),
  /**
   * Judge activities at once: each judges one match, or a stage's matches of one block together (in
   * prefix order, on the judge's parallel sequences). Defaults to `2`.
   */
  matches: z.int().min(1).default(2),
});

/** What follows each tournament besides the tournament judge's own tuned-vs-default match. */
export const confirmSpecSchema = z.strictObject({
  /**
   * More judges (each like the `judge` section: a local model, an OpenAI-compatible GPT-4-class endpoint)
   * that judge only the best trial against the baseline, for a second opinion stored apart from the
   * tournament judge's and shown beside it with how often the two agree. Needs a `baseline`. Defaults to none.
   */
  judges: z.array(judgeSpecSchema).default([]),
});

/** A validated `confirm` section. */
export type ConfirmSpec = z.infer<typeof confirmSpecSchema>;

/** The reference configuration trained and judged alongside the sweep (the paper's Alpaca defaults). */
export const baselineSpecSchema = z.strictObject({
  name: z.string().min(1),
  /** Values for the sweep's parameters; parameters with a single `value` may be left out. */
  params: z.record(z.string(), paramValueSchema),
});

/** A validated `baseline` section. */
export type BaselineSpec = z.infer<typeof baselineSpecSchema>;

const sweepSpecObjectSchema = z.strictObject({
  name: z
    .string()
    .regex(/[A-Za-z0-9]/, { error: 'expected a name with at least one letter or digit' })
    .max(maxIdLength, { error: `expected a name of at most ${maxIdLength} characters (its id names folders and workflows)` }),
  description: z.string().optional(),
  baseModels: z.array(baseModelSchema).min(1, { error: 'expected at least one base model' }),
  /** `grid` (cartesian product) or `random` (`count` samples). Defaults to `grid`. */
  method: z.enum(['grid', 'random']).default('grid'),
  /** Configurations to sample (`random` only). */
  count: z.int().positive().optional(),
  /** Seed of the random search. Defaults to `0`. */
  seed: z.int().default(0),
  parameters: z.record(z.string().regex(identifierPattern, { error: 'expected a parameter name of letters, digits, "_" or "-"' }), parameterSchema),
  baseline: baselineSpecSchema.optional(),
  train: trainJobSchema,
  generate: generateSpecSchema,
  eval: evalSpecSchema,
  judge: judgeSpecSchema.prefault({}),
  confirm: confirmSpecSchema.prefault({}),
  evaluate: evaluateJobSchema.optional(),
  /** Judge-driven early termination over epoch rungs (see `earlyTerminateSchema`). Defaults to none: every trial trains to its last epoch. */
  earlyTerminate: earlyTerminateSchema.optional(),
  /** Defaults to the paper's scheme: 4 blocks, the winner of each advancing. */
  tournament: tournamentConfigSchema.prefault({}),
  concurrency: concurrencySpecSchema.prefault({}),
});

/** A validated sweep, defaults applied; job timeouts are in seconds. */
export type SweepSpec = z.infer<typeof sweepSpecObjectSchema>;

/**
 * Validates a whole sweep file, shaped after W&B Sweeps: base models, `method` and `parameters`, an
 * optional `baseline`, the `train` and `generate` commands, the `eval` instructions, the `judge`, the
 * `tournament`, `earlyTerminate` and `concurrency`. Unknown keys are errors; cross-field rules (placeholders, duplicate
 * ids, baseline parameters, method-specific keys) are checked by `checkSweepSpec`.
 */
export const sweepSpecSchema = sweepSpecObjectSchema.superRefine(checkSweepSpec);
