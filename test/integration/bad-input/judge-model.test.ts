/**
 * Bad judge models (issue 7): corrupt or truncated GGUF files and a model larger than the machine's
 * memory are refused with a `JudgeModelError` that says why, and this process (a worker, in real life)
 * survives: llama.cpp aborts the whole process on some malformed files, and the kernel kills one that
 * allocates more than there is. Uses tiny random-weight GGUF models written here.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { getLlama, type Llama } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeJudgments } from '../../../activities/write-judgments.js';
import { hashSeed, seededRandom } from '../../../core/tournament/seeded-random.js';
import { JudgeModelError } from '../../../judges/errors/judge-model-error.js';
import { createLlamaJudge } from '../../../judges/llama-judge.js';
import { writeTinyGguf } from '../../support/write-tiny-gguf.js';
import { checkJudgeModelMemory } from '../../../judges/validate-judge-model.js';
import { createTestDatabase } from '../../support/test-database.js';

const threads = 1;
let dir: string;
let tinyPath: string;
let tiny: Buffer;
let llama: Llama;

/**
 * A copy of the tiny model whose header declares a vocabulary of `rows` tokens for `token_embd.weight`
 * (the file stays small): what a huge model looks like to anything that reads its header.
 */
async function withHugeEmbedding(name: string, rows: bigint): Promise<string> {
  const bytes = Buffer.from(tiny);
  const tensorName = Buffer.from('token_embd.weight');
  // Tensor info: name (u64 length + bytes), n_dims (u32), dims (u64 each): ne[0] = embedding, ne[1] = vocabulary.
  const at = bytes.lastIndexOf(tensorName) + tensorName.length;
  expect(bytes.readUInt32LE(at)).toBe(2);
  bytes.writeBigUInt64LE(rows, at + 4 + 8);
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-gguf-'));
  tinyPath = path.join(dir, 'tiny.gguf');
  await writeTinyGguf(tinyPath, { seed: 3 });
  tiny = await readFile(tinyPath);
  llama = await getLlama({ gpu: false, build: 'never', maxThreads: threads });
});
afterAll(async () => {
  await llama?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a judge model larger than memory', () => {
  it('the tiny model fits: its estimate covers the file and is below the free memory', async () => {
    const estimate = await checkJudgeModelMemory(tinyPath, { llama });
    expect(estimate.requiredBytes).toBeGreaterThan((await stat(tinyPath)).size);
    expect(estimate.freeBytes).toBeGreaterThan(estimate.requiredBytes);
  });

  it('is refused when the free memory is below its needs, naming both', async () => {
    const { requiredBytes } = await checkJudgeModelMemory(tinyPath, { llama });
    const tight = async () => ({ freeRam: requiredBytes - 1, freeVram: 0 });
    const error = await checkJudgeModelMemory(tinyPath, { llama, memoryState: tight }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeModelError);
    expect((error as JudgeModelError).reason).toMatch(/^it needs about \d+\.\d GiB .* but only \d+\.\d GiB is free RAM; use a smaller quantization/);
    // A longer context needs more: the context is part of the estimate.
    const longer = await checkJudgeModelMemory(tinyPath, { llama, contextSize: 8192, sequences: 4 });
    expect(longer.requiredBytes).toBeGreaterThan(requiredBytes);
  });

  it('a model whose header declares a terabyte is refused before anything loads it, with the real free memory', async () => {
    const huge = await withHugeEmbedding('huge.gguf', 2n ** 33n);
    const started = performance.now();
    const error = await createLlamaJudge({ modelPath: huge, gpu: false, threads }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JudgeModelError);
    expect((error as JudgeModelError).modelPath).toBe(huge);
    expect((error as JudgeModelError).reason).toMatch(/^it needs about (\d{4,})\.\d GiB/);
    // Refused from the header alone: no probe process was started (that takes seconds) and nothing aborted.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('corrupt and truncated GGUF files', () => {
  type Mutation = { name: string; bytes: Buffer };
  const mutations = (): Mutation[] => {
    const out: Mutation[] = [];
    for (let i = 0; i < 4; i++) {
      const random = seededRandom(hashSeed('gguf-flip', i));
      const bytes = Buffer.from(tiny);
      // The header (metadata and tensor infos) is where a flip changes meaning; the weights are just numbers.
      const headerEnd = Math.min(bytes.length, 8192);
      for (let f = 0; f < 8; f++) {
        const at = Math.floor(random() * headerEnd);
        bytes[at] = bytes[at]! ^ (1 << Math.floor(random() * 8));
      }
      out.push({ name: `flip-${i}`, bytes });
    }
    for (const fraction of [0.001, 0.02, 0.5, 0.99]) out.push({ name: `truncated-${fraction}`, bytes: tiny.subarray(0, Math.floor(tiny.length * fraction)) });
    out.push({ name: 'empty', bytes: Buffer.alloc(0) });
    out.push({ name: 'garbage', bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 2654435761) & 0xff)) });
    return out;
  };

  it('each is a JudgeModelError (or, if the damage is harmless, a working judge), never a crash', async () => {
    const outcomes: Record<string, string> = {};
    for (const { name, bytes } of mutations()) {
      const file = path.join(dir, `${name}.gguf`);
      await writeFile(file, bytes);
      const result = await createLlamaJudge({ modelPath: file, gpu: false, threads }).then(
        async (judge) => {
          await judge.dispose();
          return 'loaded';
        },
        (error: unknown) => {
          expect(error, `${name}: ${String(error)}`).toBeInstanceOf(JudgeModelError);
          expect((error as JudgeModelError).message).toContain(file);
          return (error as JudgeModelError).reason;
        },
      );
      outcomes[name] = result;
    }
    // The clearly broken ones are refused.
    for (const name of ['truncated-0.001', 'truncated-0.02', 'truncated-0.5', 'empty', 'garbage']) expect(outcomes[name], name).not.toBe('loaded');
    // And this process is still here to say so, with a judge that still works on the intact model.
    const judge = await createLlamaJudge({ modelPath: tinyPath, gpu: false, threads, probe: false });
    const result = await judge.judge({ instruction: 'Say hi.', input: '', response1: 'hi', response2: 'hello' }, { mode: 'verdict' });
    expect([0, 1, 2]).toContain(result.verdict);
    await judge.dispose();
  }, 240_000);
});

describe('unstorable judge output', () => {
  it('a model that generates NUL bytes: its judgment is stored with U+FFFD in place of U+0000 (PostgreSQL cannot store it), verdict tie', async () => {
    const nulModel = path.join(dir, 'nul.gguf');
    await writeTinyGguf(nulModel, { seed: 5, bias: [{ token: '<0x00>', logit: 12 }] });
    const judge = await createLlamaJudge({ modelPath: nulModel, gpu: false, threads, probe: false, maxTokens: 6 });
    let raw: string | undefined;
    try {
      const result = await judge.judge({ instruction: 'Say hi.', input: '', response1: 'hi', response2: 'hello' }, { mode: 'full' });
      raw = result.raw;
      expect(raw).toContain('\u0000');
      expect(result.verdict).toBe(0);
    } finally {
      await judge.dispose();
    }
    await using db = await createTestDatabase();
    const { prisma } = db;
    await prisma.sweep.create({ data: { id: 'nul', name: 'nul', file: 'nul.yaml', plan: {}, workflowId: 'nul' } });
    const trial = (key: string) => ({ id: `nul/${key}`, sweepId: 'nul', baseModelId: 'tiny', key, params: {}, index: 0, workflowId: `nul/tiny/${key}` });
    await prisma.trial.createMany({ data: [trial('a'), trial('b')] });
    await prisma.match.create({ data: { id: 'nul/m', sweepId: 'nul', baseModelId: 'tiny', stage: 'round-robin', trialAId: 'nul/a', trialBId: 'nul/b' } });
    const row = { matchId: 'nul/m', instructionId: 'i1', order: 1, verdict: 0, probOne: null, probTwo: null, probTie: null, scoreOne: null, scoreTwo: null, promptTokens: null, evaluatedTokens: null, judgeId: 'nul', latencyMs: 1 };
    expect(await writeJudgments(prisma, [{ ...row, reason: 'a\u0000b', reference: null, raw: raw ?? null }])).toBe(1);
    const stored = await prisma.judgment.findFirstOrThrow({ where: { matchId: 'nul/m' } });
    expect(stored.raw).toBe(raw?.replaceAll('\u0000', '\uFFFD'));
    expect(stored.reason).toBe('a\uFFFDb');
  });
});
