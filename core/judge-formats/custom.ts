/**
 * The `custom` format: a prompt template, the verdict labels and a parse pattern, all from the judge
 * config's YAML, for a judge with its own prompt (AlpacaEval's evaluator configs are the model).
 * Placeholders are `{{instruction}}`, `{{input}}`, `{{response1}}` and `{{response2}}`.
 */
import type { JudgeRequest, Verdict } from '../judging/judge-types.js';
import type { JudgeFormat, VerdictLabels } from './judge-format.js';

/** What a judge config says of a custom format. */
export interface CustomFormatOptions {
  /** The prompt, ending where the judge's answer begins. */
  readonly prompt: string;
  /** The prompt for an instruction with an input. Defaults to `prompt`. */
  readonly promptWithInput?: string;
  /** What the answer calls each verdict. */
  readonly labels: VerdictLabels;
  /**
   * A regular expression (JavaScript syntax) whose first capture group is one of the labels. Defaults to
   * the answer starting with a label, which also lets verdict mode read first-token probabilities.
   */
  readonly parse?: string;
}

/** The placeholders a custom prompt may hold. */
export const customPlaceholders = ['instruction', 'input', 'response1', 'response2'] as const;

const placeholderPattern = /\{\{\s*([^}]*?)\s*\}\}/g;

/** A problem with a custom format, at the key it concerns. */
export interface CustomFormatProblem {
  readonly key: 'prompt' | 'promptWithInput' | 'labels' | 'parse';
  readonly message: string;
}

/** Checks a custom format's template, labels and pattern; an empty list means it compiles. */
export function customFormatProblems(options: CustomFormatOptions): CustomFormatProblem[] {
  const problems: CustomFormatProblem[] = [];
  for (const key of ['prompt', 'promptWithInput'] as const) {
    const template = options[key];
    if (template === undefined) continue;
    const names = [...template.matchAll(placeholderPattern)].map((match) => match[1] ?? '');
    for (const name of names.filter((found) => !(customPlaceholders as readonly string[]).includes(found))) {
      problems.push({ key, message: `unknown placeholder {{${name}}}; expected ${customPlaceholders.map((known) => `{{${known}}}`).join(', ')}` });
    }
    for (const needed of ['response1', 'response2'] as const) {
      if (!names.includes(needed)) problems.push({ key, message: `the template never shows {{${needed}}}; a judge must see both responses` });
    }
  }
  const labels = [options.labels.one, options.labels.two, ...(options.labels.tie === undefined ? [] : [options.labels.tie])];
  if (new Set(labels).size !== labels.length) problems.push({ key: 'labels', message: `the labels must differ, got ${labels.map((label) => JSON.stringify(label)).join(', ')}` });
  if (options.parse !== undefined) {
    try {
      const groups = new RegExp(`${options.parse}|`, 'u').exec('')?.length ?? 1;
      if (groups < 2) problems.push({ key: 'parse', message: 'the pattern needs a capture group, (…), around the label, e.g. "\\\\[\\\\[(A|B|C)\\\\]\\\\]"' });
    } catch (error) {
      problems.push({ key: 'parse', message: `not a valid regular expression: ${(error as Error).message}` });
    }
  }
  return problems;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compiles a checked custom format (see {@link customFormatProblems}). */
export function customFormat(options: CustomFormatOptions): JudgeFormat {
  const { labels } = options;
  const byLabel = new Map<string, Verdict>([[labels.one, 1], [labels.two, 2], ...(labels.tie === undefined ? [] : [[labels.tie, 0] as const])]);
  // Longest first, so a label that begins another ("A" and "AB") never shadows it.
  const alternatives = [...byLabel.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const pattern = options.parse === undefined ? new RegExp(`^\\s*(${alternatives})`, 'u') : new RegExp(options.parse, 'u');
  const fill = (template: string, request: JudgeRequest): string =>
    template.replace(placeholderPattern, (_, name: string) => {
      switch (name) {
        case 'instruction':
          return request.instruction;
        case 'input':
          return request.input;
        case 'response1':
          return request.response1.trim();
        default:
          return request.response2.trim();
      }
    });
  return {
    name: 'custom',
    buildPrompt: (request) => fill(request.input.trim() === '' ? options.prompt : (options.promptWithInput ?? options.prompt), request),
    ...(options.parse === undefined ? { labels } : {}),
    parse(raw) {
      const found = pattern.exec(raw)?.[1]?.trim();
      const verdict = found === undefined ? undefined : byLabel.get(found);
      return { verdict: verdict ?? 0, ...(raw.trim() === '' ? {} : { reason: raw.trim() }) };
    },
  };
}
