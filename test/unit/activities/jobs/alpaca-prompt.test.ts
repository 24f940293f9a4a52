/**
 * The Alpaca prompt is the same text in both languages: the builtin llama generator (TypeScript) and the
 * Python jobs that train and answer (trainers/alpaca.py) read it from trainers/alpaca-prompt.json, and a
 * model tuned on one must be asked with exactly the prompt it was tuned on.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildAlpacaPrompt } from '../../../../activities/jobs/generate-llama.js';
import { repoRoot } from '../../../support/run-cli.js';

const cases: [instruction: string, input: string][] = [
  ['Say hi.', 'to Bob'],
  ['Say hi.', ' '],
  ['Say hi.', ''],
  // Placeholders and replacement patterns inside the text are kept as they are (one pass, as str.format).
  ['Print {input} and $& literally.', 'a {instruction} here'],
];

describe('the Alpaca prompt', () => {
  it('is built the same by the builtin llama generator and the Python jobs, ending right after "### Response:"', async () => {
    const script = 'import json, sys\nfrom alpaca import build_prompt\nprint(json.dumps([build_prompt(i, x) for i, x in json.load(sys.stdin)]))';
    const python = await execa(`${repoRoot}/trainers/python`, ['-c', script], { input: JSON.stringify(cases), cwd: `${repoRoot}/trainers` });
    const fromPython = JSON.parse(python.stdout) as string[];
    expect(cases.map(([instruction, input]) => buildAlpacaPrompt(instruction, input))).toEqual(fromPython);
    expect(fromPython[0]).toBe(
      'Below is an instruction that describes a task, paired with an input that provides further context. Write a response that appropriately completes the request.\n\n### Instruction:\nSay hi.\n\n### Input:\nto Bob\n\n### Response:',
    );
    expect(fromPython[1]).toBe('Below is an instruction that describes a task. Write a response that appropriately completes the request.\n\n### Instruction:\nSay hi.\n\n### Response:');
    expect(fromPython[3]).toContain('### Instruction:\nPrint {input} and $& literally.\n\n### Input:\na {instruction} here\n\n');
  });
});
