import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getLlama } from 'node-llama-cpp';
import type { Llama, LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JudgeRequest } from '../../core/judging/judge-types.js';
import { createOpenAIJudge } from '../../judges/openai-judge.js';
import { createLlamaJudge } from '../../judges/llama-judge.js';
import { writeTinyGguf } from '../support/write-tiny-gguf.js';

// A minimal OpenAI-style /v1/completions server over the tiny model, on 127.0.0.1 only: greedy text and,
// with `logprobs`, the top first-token log-probabilities keyed by token text, as llama.cpp server and vLLM do.
let dir: string;
let modelPath: string;
let llama: Llama;
let model: LlamaModel;
let context: LlamaContext;
let server: Server;
let baseUrl: string;
const seenBodies: Record<string, unknown>[] = [];

async function complete(body: { prompt: string; max_tokens: number; logprobs?: number }) {
  const sequence = context.getSequence();
  try {
    const tokens: Token[] = [model.tokens.bos!, ...model.tokenize(body.prompt, false)];
    if (body.logprobs !== undefined) {
      const last = tokens.length - 1;
      const out = await sequence.controlledEvaluate(tokens.map((t, i) => (i === last ? [t, { generateNext: { probabilities: true, token: true } }] : t)));
      const next = out[last]!.next;
      const top = Object.fromEntries([...next.probabilities!.entries()].slice(0, body.logprobs).map(([t, p]) => [model.detokenize([t]), Math.log(p)]));
      return { text: model.detokenize([next.token!]), logprobs: { tokens: [model.detokenize([next.token!])], top_logprobs: [top] } };
    }
    const generated: Token[] = [];
    for await (const token of sequence.evaluate(tokens, { temperature: 0 })) {
      if (token === model.tokens.eos || generated.length >= body.max_tokens) break;
      generated.push(token);
    }
    return { text: model.detokenize(generated), logprobs: null };
  } finally {
    sequence.dispose();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pandasweep-openai-'));
  modelPath = join(dir, 'tiny.gguf');
  await writeTinyGguf(modelPath, { seed: 7, bias: [{ token: '1', logit: 3 }, { token: 'Tie', logit: 2.5 }] });
  llama = await getLlama({ gpu: false, build: 'never', maxThreads: 1 });
  model = await llama.loadModel({ modelPath });
  context = await model.createContext({ contextSize: 2048, threads: 1 });
  server = createServer((req, res) => {
    let data = '';
    req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(data) as { prompt: string; max_tokens: number; logprobs?: number };
      seenBodies.push(body);
      if (req.url !== '/v1/completions') {
        res.writeHead(404).end('not found');
        return;
      }
      complete(body).then(
        (choice) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ index: 0, ...choice }] })),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await context?.dispose();
  await model?.dispose();
  await llama?.dispose();
  await rm(dir, { recursive: true, force: true });
});

const request: JudgeRequest = { instruction: 'Name a colour.', input: '', response1: 'Blue', response2: 'Seven' };
const options = { baseUrl: '', model: 'tiny', maxTokens: 8, topLogprobs: 20, timeoutMs: 60_000 };

describe('openai judge against a local completions server', () => {
  it('verdict mode: log-probabilities give the same verdict and probabilities as the in-process judge', async () => {
    const remote = createOpenAIJudge({ ...options, baseUrl, apiKeyEnv: 'TINY_KEY' }, { TINY_KEY: 'secret' });
    const local = await createLlamaJudge({ modelPath, threads: 1, probe: false });
    try {
      const fromServer = await remote.judge(request, { mode: 'verdict' });
      const inProcess = await local.judge(request, { mode: 'verdict' });
      expect(fromServer.verdict).toBe(inProcess.verdict);
      expect(fromServer.verdict).toBe(1);
      // The server reports token texts, so "T" and "Ti" also count toward Tie there (the in-process judge
      // knows the tokenizer and uses "Tie" alone): close, not equal.
      expect(Math.abs(fromServer.probabilities!.one - inProcess.probabilities!.one)).toBeLessThan(0.05);
      expect(fromServer.probabilities!.tie).toBeGreaterThanOrEqual(inProcess.probabilities!.tie - 1e-6);
      expect(seenBodies.at(-1)).toMatchObject({ model: 'tiny', max_tokens: 1, logprobs: 20, temperature: 0 });
    } finally {
      await local.dispose();
    }
  });

  it('full mode: generated text is parsed', async () => {
    const remote = createOpenAIJudge({ ...options, baseUrl, repetitionPenalty: 1.2 });
    const result = await remote.judge(request, { mode: 'full' });
    expect(result.raw).toBe('11111111');
    expect(result.verdict).toBe(0);
    expect(seenBodies.at(-1)).toMatchObject({ max_tokens: 8, repetition_penalty: 1.2, repeat_penalty: 1.2 });
  });

  it('HTTP errors and a missing API key are clear errors', async () => {
    const wrong = createOpenAIJudge({ ...options, baseUrl: baseUrl.replace(/\/v1$/, '/v2') });
    await expect(wrong.judge(request, { mode: 'verdict' })).rejects.toThrow(/HTTP 404/);
    expect(() => createOpenAIJudge({ ...options, baseUrl, apiKeyEnv: 'NOPE' }, {})).toThrow(/NOPE/);
  });
});
