/**
 * The judge formats a config can name (`format:` in `configs/judges/*.yaml`), their options, and the one
 * place that turns a config's choice into a {@link JudgeFormat}. The options are flat keys beside
 * `format` (a `rubric` for Prometheus; `prompt`, `labels`, `parse` for a custom format), each an error
 * with any other format.
 */
import { z } from 'zod';
import { autoJFormat } from './auto-j.js';
import { customFormat, customFormatProblems } from './custom.js';
import type { JudgeFormat } from './judge-format.js';
import { judgeLMFormat } from './judgelm.js';
import { pandaLMFormat } from './pandalm.js';
import { prometheusFormat } from './prometheus.js';

/** The formats by name; `pandalm` is the default. */
export const judgeFormatNames = ['pandalm', 'judgelm', 'prometheus', 'auto-j', 'custom'] as const;
/** A format's name. */
export type JudgeFormatName = (typeof judgeFormatNames)[number];

/** The keys of a judge config that choose and shape its format, for the backends that build prompts. */
export const judgeFormatOptionsShape = {
  /** How prompts are built and answers read. Defaults to `pandalm`. */
  format: z.enum(judgeFormatNames).default('pandalm'),
  /** `prometheus` only: the evaluation criterion. Defaults to the library's helpfulness criterion. */
  rubric: z.string().min(1).optional(),
  /** `custom` only: the prompt, with `{{instruction}}`, `{{input}}`, `{{response1}}`, `{{response2}}`. */
  prompt: z.string().min(1).optional(),
  /** `custom` only: the prompt for an instruction with an input. Defaults to `prompt`. */
  promptWithInput: z.string().min(1).optional(),
  /** `custom` only: what the answer calls each verdict. */
  labels: z.strictObject({ one: z.string().min(1), two: z.string().min(1), tie: z.string().min(1).optional() }).optional(),
  /** `custom` only: a regular expression whose first group is a label. Defaults to the answer starting with one. */
  parse: z.string().min(1).optional(),
};

/** The format keys of a parsed judge config. */
export type JudgeFormatOptions = z.infer<z.ZodObject<typeof judgeFormatOptionsShape>>;

const optionOwners: Readonly<Record<string, JudgeFormatName>> = { rubric: 'prometheus', prompt: 'custom', promptWithInput: 'custom', labels: 'custom', parse: 'custom' };

/** A problem with a config's format keys, at the key it concerns (for a located error). */
export interface JudgeFormatProblem {
  readonly key: string;
  readonly message: string;
}

/** Checks that each format key belongs to the chosen format and that a custom format is complete and compiles. */
export function judgeFormatProblems(options: JudgeFormatOptions): JudgeFormatProblem[] {
  const problems: JudgeFormatProblem[] = [];
  for (const [key, owner] of Object.entries(optionOwners)) {
    if (options[key as keyof JudgeFormatOptions] !== undefined && owner !== options.format) {
      problems.push({ key, message: `\`${key}\` applies to format ${owner} only, and this config's format is ${options.format}` });
    }
  }
  if (options.format === 'custom') {
    if (options.prompt === undefined) problems.push({ key: 'format', message: 'format custom needs `prompt` (with {{instruction}}, {{input}}, {{response1}}, {{response2}}) and `labels` ({one, two, tie})' });
    else if (options.labels === undefined) problems.push({ key: 'format', message: 'format custom needs `labels`: what the answer calls each verdict, e.g. {one: A, two: B, tie: C}' });
    else problems.push(...customFormatProblems({ ...options, prompt: options.prompt, labels: options.labels }));
  }
  return problems;
}

/** The format a checked config names (see {@link judgeFormatProblems}). */
export function createJudgeFormat(options: JudgeFormatOptions): JudgeFormat {
  switch (options.format) {
    case 'pandalm':
      return pandaLMFormat;
    case 'judgelm':
      return judgeLMFormat;
    case 'prometheus':
      return prometheusFormat(options.rubric);
    case 'auto-j':
      return autoJFormat;
    case 'custom': {
      const problems = judgeFormatProblems(options);
      if (options.prompt === undefined || options.labels === undefined || problems.length > 0) throw new Error(`invalid custom format: ${problems.map((problem) => problem.message).join('; ')}`);
      return customFormat({ ...options, prompt: options.prompt, labels: options.labels });
    }
  }
}
