import { z } from 'zod';
import { SweepFileError, type SweepFileIssue } from '../errors/sweep-file-error.js';
import { locateYamlNode } from './locate-yaml-node.js';
import { parseYamlWithLines } from './parse-yaml-with-lines.js';

/** One evaluation instruction that every trial answers. */
export interface EvalInstruction {
  readonly id: string;
  readonly instruction: string;
  /** Further context; empty when the instruction has none. */
  readonly input: string;
}

// PostgreSQL text cannot hold U+0000; finding it now beats a store activity that fails on every retry.
const noNul = [(text: string) => !text.includes('\u0000'), { error: 'contains a NUL character (\\u0000), which cannot be stored' }] as const;

/** An item of PandaLM's `testset-inference-v1.json` array; other fields (`motivation_app`) are ignored. */
export const pandalmEvalItemSchema = z.object({
  id: z.union([z.string().min(1).refine(...noNul), z.int()]).optional(),
  instruction: z.string().min(1, { error: 'expected a non-empty instruction' }).refine(...noNul),
  input: z.string().refine(...noNul).default(''),
});

/** A line of a JSONL instruction file; other fields are ignored. */
export const jsonlEvalItemSchema = z.object({
  id: z.union([z.string().min(1).refine(...noNul), z.int()], { error: 'expected an `id` (string or integer)' }),
  instruction: z.string().min(1, { error: 'expected a non-empty instruction' }).refine(...noNul),
  input: z.string().refine(...noNul).default(''),
});

/**
 * Parses an evaluation instruction file. Two formats are accepted: PandaLM's JSON array
 * (`testset-inference-v1.json`: objects with `instruction`, `input`, `motivation_app`; the id is the
 * item's index unless it has an `id`) and JSONL with `id`, `instruction` and `input` (`input` may be
 * left out). A missing `input` is an empty one. Throws `SweepFileError` naming `file` with the line of
 * every malformed item, every duplicate id and an empty set.
 */
export function parseEvalSet(text: string, file: string): EvalInstruction[] {
  const items = text.trimStart().startsWith('[') ? parseJsonArray(text, file) : parseJsonLines(text, file);
  const issues: SweepFileIssue[] = [];
  const firstLine = new Map<string, number | undefined>();
  for (const item of items) {
    if (!firstLine.has(item.value.id)) {
      firstLine.set(item.value.id, item.line);
      continue;
    }
    const first = firstLine.get(item.value.id);
    issues.push({ path: ['id'], ...position(item.line), message: `duplicate id "${item.value.id}"${first === undefined ? '' : ` (first on line ${first})`}` });
  }
  if (items.length === 0) issues.push({ path: [], line: 1, column: 1, message: 'no instructions: expected a JSON array of objects or JSONL lines with id, instruction, input' });
  if (issues.length > 0) throw new SweepFileError(file, issues, 'evaluation file');
  return items.map((item) => item.value);
}

interface LocatedInstruction {
  readonly value: EvalInstruction;
  readonly line: number | undefined;
}

function position(line: number | undefined): { line?: number; column?: number } {
  return line === undefined ? {} : { line, column: 1 };
}

function parseJsonArray(text: string, file: string): LocatedInstruction[] {
  // yaml parses JSON (a YAML 1.2 subset) and keeps node positions, which JSON.parse does not.
  const { source, syntaxErrors } = parseYamlWithLines(text, { json: true });
  if (syntaxErrors.length > 0) {
    throw new SweepFileError(file, syntaxErrors.map(({ line, column, message }) => ({ path: [], line, column, message: `invalid JSON: ${message}` })), 'evaluation file');
  }
  const data: unknown = source.doc.toJS();
  if (!Array.isArray(data)) throw new SweepFileError(file, [{ path: [], line: 1, column: 1, message: 'expected a JSON array of instruction objects' }], 'evaluation file');
  const issues: SweepFileIssue[] = [];
  const items: LocatedInstruction[] = [];
  data.forEach((raw: unknown, index) => {
    const where = locateYamlNode(source, [index]);
    const result = pandalmEvalItemSchema.safeParse(raw);
    if (!result.success) {
      issues.push(...result.error.issues.map((issue) => itemIssue(index, issue, where?.line)));
      return;
    }
    const { id, instruction, input } = result.data;
    items.push({ value: { id: id === undefined ? String(index) : String(id), instruction, input }, line: where?.line });
  });
  if (issues.length > 0) throw new SweepFileError(file, issues, 'evaluation file');
  return items;
}

function parseJsonLines(text: string, file: string): LocatedInstruction[] {
  const issues: SweepFileIssue[] = [];
  const items: LocatedInstruction[] = [];
  text.split(/\r?\n/).forEach((lineText, lineIndex) => {
    const line = lineIndex + 1;
    if (lineText.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(lineText);
    } catch (error) {
      issues.push({ path: [], line, column: 1, message: `invalid JSON: ${(error as Error).message}` });
      return;
    }
    const result = jsonlEvalItemSchema.safeParse(raw);
    if (!result.success) {
      issues.push(...result.error.issues.map((issue) => itemIssue(undefined, issue, line)));
      return;
    }
    items.push({ value: { id: String(result.data.id), instruction: result.data.instruction, input: result.data.input }, line });
  });
  if (issues.length > 0) throw new SweepFileError(file, issues, 'evaluation file');
  return items;
}

function itemIssue(index: number | undefined, issue: z.core.$ZodIssue, line: number | undefined): SweepFileIssue {
  const path = [...(index === undefined ? [] : [index]), ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const field = issue.path.length === 0 ? 'item' : issue.path.map(String).join('.');
  const message =
    issue.code === 'invalid_type' && issue.path.length === 0
      ? `expected an object with instruction and input, got ${issue.message.replace(/^.*received /, '')}`
      : issue.code === 'invalid_type'
        ? `${field}: expected ${issue.expected}, got ${issue.message.replace(/^.*received /, '')}`
        : `${field}: ${issue.message}`;
  return { path, ...position(line), message };
}
