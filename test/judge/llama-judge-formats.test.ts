/**
 * The llama backend serves every judge format. On a tiny GGUF (write-tiny-gguf, a toy: its weights are
 * seeded noise with chosen tokens favoured) verdict mode reads a custom format's own labels; on the real
 * SmolLM2-135M-Instruct, full mode generates for JudgeLM, Prometheus and Auto-J prompts and each answer
 * is parsed by its format. SmolLM2 is no judge, so the test checks the plumbing, not the verdicts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoJFormat } from '../../core/judge-formats/auto-j.js';
import { customFormat } from '../../core/judge-formats/custom.js';
import { judgeLMFormat } from '../../core/judge-formats/judgelm.js';
import { prometheusFormat } from '../../core/judge-formats/prometheus.js';
import type { JudgeRequest } from '../../core/judging/judge-types.js';
import { createLlamaJudge } from '../../judges/llama-judge.js';
import { realModelMissing, smolLM2Path } from '../support/real-model.js';
import { writeTinyGguf } from '../support/write-tiny-gguf.js';

const threads = 1;
const request: JudgeRequest = { instruction: 'Name a colour.', input: '', response1: 'Blue.', response2: 'Seven.' };
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-judge-formats-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a custom format in verdict mode on a tiny model', () => {
  it('reads the probabilities of the format\'s own labels, with none for a tie it does not have', async () => {
    const path = join(dir, 'b.gguf');
    await writeTinyGguf(path, { seed: 4, bias: [{ token: 'B', logit: 9 }] });
    const withTie = customFormat({ prompt: 'Q: {{instruction}}\nA: {{response1}}\nB: {{response2}}\nBetter:', labels: { one: 'A', two: 'B', tie: 'C' } });
    const noTie = customFormat({ prompt: 'Q: {{instruction}}\nA: {{response1}}\nB: {{response2}}\nBetter:', labels: { one: 'A', two: 'B' } });
    for (const format of [withTie, noTie]) {
      const judge = await createLlamaJudge({ modelPath: path, threads, probe: false, format });
      try {
        const result = await judge.judge(request, { mode: 'verdict' });
        expect(result.verdict).toBe(2);
        const p = result.probabilities!;
        expect(p.one + p.two + p.tie).toBeCloseTo(1, 6);
        expect(p.two).toBeGreaterThan(0.99);
        if (format === noTie) expect(p.tie).toBe(0);
        expect(judge.id).toBe(`llama:custom:${path}`);
      } finally {
        await judge.dispose();
      }
    }
  });

  it('a format without labels is refused in verdict mode, with what to do', async () => {
    const path = join(dir, 'plain.gguf');
    await writeTinyGguf(path, { seed: 5 });
    const judge = await createLlamaJudge({ modelPath: path, threads, probe: false, format: autoJFormat });
    try {
      await expect(judge.judge(request, { mode: 'verdict' })).rejects.toThrow(/auto-j format's answer does not start with a verdict label.*full mode/);
    } finally {
      await judge.dispose();
    }
  });
});

describe.skipIf(realModelMissing({ python: false }) !== null)('full mode in every generating format on SmolLM2', () => {
  it.each([
    ['judgelm', judgeLMFormat],
    ['prometheus', prometheusFormat()],
    ['auto-j', autoJFormat],
  ] as const)('%s: generates from its own prompt and parses the answer with its own rule', async (name, format) => {
    const judge = await createLlamaJudge({ modelPath: smolLM2Path, threads: 2, probe: false, format, maxTokens: 12 });
    try {
      const result = await judge.judge(request, { mode: 'full' });
      expect(judge.id).toBe(`llama:${name}:${smolLM2Path}`);
      // SmolLM2 may end at once on a prompt it was not trained for: an empty answer, which parses to a tie.
      expect(typeof result.raw).toBe('string');
      expect(result.probabilities).toBeUndefined();
      expect(result).toMatchObject(format.parse(result.raw!));
    } finally {
      await judge.dispose();
    }
  });
});
