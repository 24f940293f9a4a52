/**
 * The shipped instruction-tuning data (sweeps/data/tuning-*.json*, built by scripts/build-tuning-data.py
 * from PandaLM's test set): held-out instructions never appear in training, and together they cover
 * PandaLM's 170 evaluation instructions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvalSet } from '../../../core/sweep/eval-set.js';
import { repoRoot } from '../../support/run-cli.js';

const data = (name: string) => readFileSync(path.join(repoRoot, 'sweeps/data', name), 'utf8');
const key = (item: { instruction: string; input: string }) => `${item.instruction}\n${item.input}`;

describe('shipped tuning data', () => {
  const train = JSON.parse(data('tuning-train.json')) as { instruction: string; input: string; output: string }[];
  const heldOut = parseEvalSet(data('tuning-eval.jsonl'), 'tuning-eval.jsonl');
  const all = parseEvalSet(data('pandalm-testset-inference-v1.json'), 'pandalm-testset-inference-v1.json');

  it('keeps every held-out instruction out of the training set', () => {
    const trained = new Set(train.map(key));
    expect(heldOut.filter((item) => trained.has(key(item)))).toEqual([]);
  });

  it('splits PandaLM\'s 170 evaluation instructions between the two, each example with an answer', () => {
    expect(train.length + heldOut.length).toBe(170);
    expect(new Set([...train.map(key), ...heldOut.map(key)])).toEqual(new Set(all.map(key)));
    expect(train.every((example) => example.output.trim().length > 0)).toBe(true);
  });
});
