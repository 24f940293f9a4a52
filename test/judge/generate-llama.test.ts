/**
 * The builtin generator (`generate: {builtin: llama}`) on a tiny random-weight GGUF: the sweep section it
 * validates to, the Alpaca prompt, and answers written by the real job path (runJob -> child process ->
 * node-llama-cpp) that pass the responses validator.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateResponsesWithLlama } from '../../activities/jobs/generate-llama.js';
import { createJobActivities, type RunJobInput, type RunJobResult } from '../../activities/jobs/run-job.js';
import { GpuSlotPool } from '../../activities/jobs/gpu-slots.js';
import { LocalLauncher } from '../../activities/jobs/local-launcher.js';
import { validateResponses } from '../../core/jobs/validate-responses.js';
import { renderArgv } from '../../core/sweep/render-command.js';
import { builtinLlamaProgram, generateSpecSchema } from '../../core/sweep/sweep-spec.js';
import { writeTinyGguf } from '../support/write-tiny-gguf.js';
import { MemoryJobStore } from '../support/memory-job-store.js';

// One thread: the test machine has 2 cores and the default oversubscribes them.
const threads = 1;
const instructions = [
  { id: 'a', instruction: 'Name a colour.', input: '' },
  { id: 'b', instruction: 'Translate to French.', input: 'Good morning' },
];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-generate-llama-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('builtin llama generator', () => {
  it('`generate: {builtin: llama}` validates to a generate job running the builtin program', () => {
    const job = generateSpecSchema.parse({ builtin: 'llama', model: '{{trial.checkpoint}}/model.gguf', maxTokens: 64, threads: 2, gpus: 0 });
    expect(job.command).toEqual([builtinLlamaProgram, '--model', '{{trial.checkpoint}}/model.gguf', '--eval', '{{eval.file}}', '--output', '{{trial.dir}}/responses.jsonl', '--max-tokens', '64', '--threads', '2']);
    expect(job).toMatchObject({ gpus: 0, retries: 2, timeout: 7200, env: {}, workdir: '.' });
    expect(generateSpecSchema.parse({ builtin: 'llama' }).command).toContain('{{trial.checkpoint}}');
    expect(generateSpecSchema.safeParse({ builtin: 'llama', command: ['x'] }).success).toBe(false);
    expect(generateSpecSchema.safeParse({ builtin: 'gpt' }).error?.issues[0]?.path).toEqual(['builtin']);
    // A plain command is unchanged.
    expect(generateSpecSchema.parse({ command: ['node', 'gen.mjs'] }).command).toEqual(['node', 'gen.mjs']);
  });

  it('answers every instruction greedily through the job activity, in a valid responses.jsonl', async () => {
    const modelPath = join(dir, 'checkpoint.gguf');
    // The biased token wins every greedy step, so each answer is that token maxTokens times.
    await writeTinyGguf(modelPath, { seed: 5, bias: [{ token: 'A', logit: 9 }] });
    const evalFile = join(dir, 'eval.jsonl');
    await writeFile(evalFile, instructions.map((i) => JSON.stringify(i)).join('\n') + '\n');
    const job = generateSpecSchema.parse({ builtin: 'llama', maxTokens: 4, threads, gpus: 0 });
    const trialDir = join(dir, 'trial');
    const argv = renderArgv(job.command, { baseModel: { id: 'tiny' }, params: {}, trial: { id: 't', dir: trialDir, checkpoint: modelPath, evaluation: join(trialDir, 'evaluation.json') }, eval: { file: evalFile }, env: {} });

    const store = new MemoryJobStore();
    const { runJob } = createJobActivities({ store, slots: new GpuSlotPool([]), hostname: 'test-host', launcher: new LocalLauncher({ killGraceMs: 500 }), heartbeatIntervalMs: 200 });
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const input: RunJobInput = { sweepId: 's', trialKey: 't', kind: 'generate', argv, cwd: dir, env: {}, secretEnvNames: [], gpus: 0, timeoutMs: 120_000, logDir: join(trialDir, 'logs') };
    const result = (await env.run(runJob, input)) as RunJobResult;
    expect(result.exitCode).toBe(0);
    const file = join(trialDir, 'responses.jsonl');
    const text = await readFile(file, 'utf8');
    const responses = validateResponses(text, file, instructions.map((i) => i.id));
    expect(responses.map((r) => r.response)).toEqual(['AAAA', 'AAAA']);
    const log = await readFile(join(trialDir, 'logs', 'generate-attempt-1.stderr.log'), 'utf8');
    expect(log).toContain('wrote 2 answers');
    // The log names the backend llama.cpp loaded (no GPU here: the CPU).
    expect(log).toMatch(/generate-llama: llama\.cpp backend (CPU|cuda|vulkan|metal)/);

    // Greedy decoding is deterministic: in-process generation from the same model gives the same file.
    const again = join(dir, 'again.jsonl');
    expect(await generateResponsesWithLlama({ modelPath, evalFile, outputFile: again, maxTokens: 4, threads, gpu: false })).toBe(2);
    expect(await readFile(again, 'utf8')).toBe(text);
  });

  it('a missing model fails the job with the reason in its log tail', async () => {
    const evalFile = join(dir, 'eval.jsonl');
    const { runJob } = createJobActivities({ store: new MemoryJobStore(), slots: new GpuSlotPool([]), hostname: 'test-host', launcher: new LocalLauncher({ killGraceMs: 500 }), heartbeatIntervalMs: 200 });
    const env = new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const argv = [builtinLlamaProgram, '--model', join(dir, 'missing.gguf'), '--eval', evalFile, '--output', join(dir, 'out.jsonl'), '--threads', '1'];
    const input: RunJobInput = { sweepId: 's', trialKey: 'm', kind: 'generate', argv, cwd: dir, env: {}, secretEnvNames: [], gpus: 0, timeoutMs: 60_000, logDir: join(dir, 'logs-missing') };
    const failure = await env.run(runJob, input).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/exited with code 1/);
    expect(failure?.message).toContain('missing.gguf');
  });
});
