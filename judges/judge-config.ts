/**
 * Judge configuration files (`configs/judges/*.yaml`): which backend runs which model, and in which format
 * (the prompt and how answers are read; `core/judge-formats/`). Validated with zod;
 * relative paths inside resolve against the file's folder. How a judge is used (its mode, both orders or
 * one, how the orders combine) is not the config's: a sweep sets it in its `judge:` section, `judge` and
 * `judge-eval` by their flags, and a config that carries it is an error.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap } from 'yaml';
import { z } from 'zod';
import { SweepFileError } from '../core/errors/sweep-file-error.js';
import { verdictModeProblem } from '../core/judge-formats/judge-format.js';
import { createJudgeFormat, judgeFormatOptionsShape, judgeFormatProblems } from '../core/judge-formats/judge-formats.js';
import { UsageError } from '../core/errors/usage-error.js';
import type { SweepFileIssue } from '../core/errors/sweep-file-error.js';
import { locateZodIssues } from '../core/sweep/describe-zod-issue.js';
import { didYouMean } from '../core/sweep/did-you-mean.js';
import { locateYamlNode, type YamlSource } from '../core/sweep/locate-yaml-node.js';
import { parseYamlWithLines } from '../core/sweep/parse-yaml-with-lines.js';

/** PandaLM's own generation limit, in new tokens. */
export const defaultJudgeMaxTokens = 512;
/** PandaLM's own repetition penalty. */
export const defaultJudgeRepetitionPenalty = 1.2;

/**
 * Keys that say how a judge is used, which belong to the sweep's `judge:` section (and to the flags of
 * `judge` and `judge-eval`), not to a judge config: each with the sweep key it is and the flag. `bothOrders`
 * is what judge configs used to call the sweep's `swap`.
 */
const usageKeys: Readonly<Record<string, { readonly sweepKey: string; readonly flag: string }>> = {
  mode: { sweepKey: 'mode', flag: '--full' },
  swap: { sweepKey: 'swap', flag: '--one-order' },
  bothOrders: { sweepKey: 'swap', flag: '--one-order' },
  resolution: { sweepKey: 'resolution', flag: '--resolution <rule>' },
};

/** Reports a config's format keys that do not fit its format, each at its key. */
const checkFormat = (options: z.infer<z.ZodObject<typeof judgeFormatOptionsShape>>, ctx: z.core.$RefinementCtx): void => {
  for (const problem of judgeFormatProblems(options)) ctx.addIssue({ code: 'custom', path: [problem.key], message: problem.message });
};

/** The `llama` backend: a GGUF model run in-process by node-llama-cpp. */
export const llamaJudgeConfigSchema = z
  .strictObject({
  backend: z.literal('llama'),
  /** Path to the GGUF file. */
  model: z.string().min(1),
  ...judgeFormatOptionsShape,
  /** `auto` (CUDA when present, else CPU), `cuda`, or `false` for CPU only. Defaults to `auto`. */
  gpu: z.union([z.literal('auto'), z.literal('cuda'), z.literal(false)], { error: 'expected "auto", "cuda" or false' }).default('auto'),
  /** CPU threads for evaluation. Defaults to node-llama-cpp's choice (all cores). */
  threads: z.number().int().positive().optional(),
  /** Parallel sequences in the one context: concurrent judgments on a GPU, and on a CPU one cached prefix per concurrent activity. Defaults to `1`. */
  sequences: z.number().int().positive().default(1),
  /** Context size per sequence, in tokens. Defaults to the model's, capped at 4096. */
  contextSize: z.number().int().positive().optional(),
  /** Flash attention: `auto` (llama.cpp decides), `true` or `false`. Defaults to `auto`. */
  flashAttention: z.union([z.literal('auto'), z.boolean()], { error: 'expected "auto", true or false' }).default('auto'),
  /** New tokens in `full` mode. Defaults to `512`. */
  maxTokens: z.number().int().positive().default(defaultJudgeMaxTokens),
  /** Repetition penalty in `full` mode. Defaults to `1.2`. */
  repetitionPenalty: z.number().positive().default(defaultJudgeRepetitionPenalty),
  /** Load the model once in a child process first, so a file that makes llama.cpp abort fails cleanly. Defaults to `true`. */
  probe: z.boolean().default(true),
  })
  .superRefine(checkFormat);

/** The `replay` backend: verdicts read from a file (PandaLM's released verdicts or human labels). */
export const replayJudgeConfigSchema = z.strictObject({
  backend: z.literal('replay'),
  /** JSON array (or JSON lines) of verdicts: `pandalm_result`, `gpt_result`, `verdict` or `annotator1..3`. */
  file: z.string().min(1),
  /** How to read the records of `file`. Defaults to `auto` (by their fields). */
  records: z.enum(['auto', 'pandalm', 'gpt', 'human', 'verdicts']).default('auto'),
  /** Test set giving the texts of items that the verdict file names only by `idx`. Defaults to none. */
  testset: z.string().min(1).optional(),
});

/** The `openai` backend: any OpenAI-compatible completions endpoint (llama.cpp server, vLLM). */
export const openAIJudgeConfigSchema = z
  .strictObject({
  backend: z.literal('openai'),
  ...judgeFormatOptionsShape,
  /** Base URL including `/v1`, e.g. `http://judge-host:8000/v1`. */
  baseUrl: z.url(),
  /** Model name sent with each request. */
  model: z.string().min(1),
  /** Environment variable holding the API key. Defaults to none (no Authorization header). */
  apiKeyEnv: z.string().min(1).optional(),
  /** New tokens in `full` mode. Defaults to `512`. */
  maxTokens: z.number().int().positive().default(defaultJudgeMaxTokens),
  /** Sent as `repetition_penalty` (vLLM) and `repeat_penalty` (llama.cpp). Defaults to not sent. */
  repetitionPenalty: z.number().positive().optional(),
  /** Top log-probabilities requested in `verdict` mode. Defaults to `20`. */
  topLogprobs: z.number().int().positive().max(20).default(20),
  /** Per-request timeout, in ms. Defaults to `120000`. */
  timeoutMs: z.number().int().positive().default(120_000),
  })
  .superRefine(checkFormat);

/** The `simulated` backend: a seeded toy judge that reads the toy trainer's latent qualities. */
export const simulatedJudgeConfigSchema = z.strictObject({
  backend: z.literal('simulated'),
  /** Extra chance of preferring response 1, in [0, 1]. */
  positionBias: z.number().min(0).max(1).optional(),
  /** Chance of a tie, in [0, 1]. */
  tieRate: z.number().min(0).max(1).optional(),
  /** Seed of the judge's randomness. */
  seed: z.number().int().optional(),
  /**
   * Multiplies the latent qualities before the Bradley–Terry draw: how decisive a quality difference is.
   * The toy trainer's qualities lie in (0, 1], so 10 makes a 0.2 gap an 88% preference. Defaults to `1`.
   */
  scale: z.number().positive().optional(),
});

const backendSchemas = [llamaJudgeConfigSchema, replayJudgeConfigSchema, openAIJudgeConfigSchema, simulatedJudgeConfigSchema] as const;
/** A judge configuration, discriminated on `backend`; unknown keys are errors. */
export const judgeConfigSchema = z.discriminatedUnion('backend', backendSchemas);
/** A validated judge configuration with defaults applied. */
export type JudgeConfig = z.infer<typeof judgeConfigSchema>;
/** A validated `llama` judge configuration. */
export type LlamaJudgeConfig = z.infer<typeof llamaJudgeConfigSchema>;
/** A validated `replay` judge configuration. */
export type ReplayJudgeConfig = z.infer<typeof replayJudgeConfigSchema>;
/** A validated `openai` judge configuration. */
export type OpenAIJudgeConfig = z.infer<typeof openAIJudgeConfigSchema>;
/** A validated `simulated` judge configuration. */
export type SimulatedJudgeConfig = z.infer<typeof simulatedJudgeConfigSchema>;

/**
 * Why this judge cannot be used in verdict mode (its format's answer does not start with a label), or
 * `undefined` when it can. Replayed and simulated judges have no format and always can.
 */
export function verdictModeProblemOf(config: JudgeConfig): string | undefined {
  return config.backend === 'llama' || config.backend === 'openai' ? verdictModeProblem(createJudgeFormat(config)) : undefined;
}

/** Where {@link readJudgeConfig} looks. */
export interface ReadJudgeConfigOptions {
  /** Folder of named configs: a bare name `x` means `<configDir>/x.yaml`. */
  readonly configDir: string;
  /** Folder that relative config paths (with a `/` or a `.yaml` suffix) resolve against, usually the cwd. */
  readonly baseDir: string;
}

/**
 * Reads and validates a judge configuration by name (`<configDir>/<name>.yaml`) or path, resolving the
 * paths inside it (`model`, `file`, `testset`) against the config file's folder. Throws `UsageError` when
 * the file does not exist and `SweepFileError` (file, line, field) when it is invalid.
 */
export async function readJudgeConfig(nameOrPath: string, options: ReadJudgeConfigOptions): Promise<JudgeConfig> {
  const looksLikePath = nameOrPath.includes('/') || nameOrPath.includes('\\') || /\.ya?ml$/.test(nameOrPath);
  const file = looksLikePath ? resolve(options.baseDir, nameOrPath) : resolve(options.configDir, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(
      `Judge config ${nameOrPath} not found (looked for ${file})`,
      `Pass a name from ${options.configDir} (without .yaml) or a path to a judge YAML file.`,
    );
  }
  const { source, syntaxErrors } = parseYamlWithLines(text);
  if (syntaxErrors.length > 0) throw new SweepFileError(file, syntaxErrors.map((error) => ({ path: [], ...error })), 'judge config');
  if (!isMap(source.doc.contents)) throw new SweepFileError(file, [{ path: [], message: 'expected a mapping with a `backend` key' }], 'judge config');
  const input = source.doc.toJS() as Record<string, unknown>;
  if (input.backend === 'pandalm') {
    // The backend that ran PandaLM in process is now `llama`, and PandaLM its default format.
    const at = locateYamlNode(source, ['backend']) ?? {};
    throw new SweepFileError(file, [{ path: ['backend'], ...at, message: 'backend "pandalm" is now "llama" (llama.cpp in process), with PandaLM as its default format: write `backend: llama` (and `format: pandalm` to say so)' }], 'judge config');
  }
  // With a known backend, that backend's keys are the ones to suggest for a misspelt key.
  const backendSchema = backendSchemas.find((candidate) => candidate.shape.backend.value === input.backend);
  const schema = backendSchema ?? judgeConfigSchema;
  const misplaced = misplacedUsageKeys(input, backendSchema === undefined ? [] : Object.keys(backendSchema.shape), nameOrPath, source);
  // The misplaced keys are reported once, as such, not again as unknown keys.
  const rest = Object.fromEntries(Object.entries(input).filter(([key]) => !misplaced.some((issue) => issue.path[0] === key)));
  const parsed = judgeConfigSchema.safeParse(rest, { reportInput: true });
  if (!parsed.success || misplaced.length > 0) {
    const issues = [...misplaced, ...(parsed.success ? [] : locateZodIssues(parsed.error.issues, schema, source))];
    throw new SweepFileError(file, issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), 'judge config');
  }
  const folder = dirname(file);
  const at = (path: string): string => (isAbsolute(path) ? path : resolve(folder, path));
  const config = parsed.data;
  switch (config.backend) {
    case 'llama':
      return { ...config, model: at(config.model) };
    case 'replay':
      return { ...config, file: at(config.file), ...(config.testset === undefined ? {} : { testset: at(config.testset) }) };
    default:
      return config;
  }
}

/**
 * The issues for keys of a judge config that say how the judge is used (`mode`, `swap`/`bothOrders`,
 * `resolution`), or are closer to one of those than to any key the backend has (`mdoe`): each says where
 * the setting goes instead, at the key's line.
 */
function misplacedUsageKeys(input: Record<string, unknown>, backendKeys: readonly string[], name: string, source: YamlSource): SweepFileIssue[] {
  const issues: SweepFileIssue[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (backendKeys.includes(key)) continue;
    // Backend keys first, so a slip that is as close to one of them (`mod`: `model`) is not moved.
    const meant = Object.hasOwn(usageKeys, key) ? key : didYouMean(key, [...backendKeys, ...Object.keys(usageKeys)]);
    const usage = meant === undefined ? undefined : usageKeys[meant];
    if (meant === undefined || usage === undefined) continue;
    const shown = typeof value === 'string' || typeof value === 'boolean' ? String(value) : '…';
    const example = `${usage.sweepKey}: ${shown}`;
    const slip = meant === key ? '' : `unknown key "${key}"; did you mean "${meant}"? `;
    issues.push({
      path: [key],
      ...(locateYamlNode(source, [key], { atKey: true }) ?? {}),
      message:
        `${slip}\`${meant}\`${usage.sweepKey === meant ? '' : ` (the sweep's \`${usage.sweepKey}\`)`} belongs in the sweep file's \`judge:\` section (judge: {config: ${name}, ${example}}), not in a judge config, ` +
        `which names a backend, a model and a format only; \`pandasweep judge\` and \`judge-eval\` take ${usage.flag}`,
    });
  }
  return issues;
}
