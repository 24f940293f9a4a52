/**
 * The OpenAI-compatible backend serves every judge format: it sends the format's prompt, reads verdict
 * mode from the log-probabilities of the format's own labels, and parses full answers with the format.
 * Against a local HTTP server on 127.0.0.1 that records each request and answers as a completions
 * endpoint would (a stand-in for llama.cpp's server or vLLM, which cannot run a judge model here fast).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customFormat } from '../../../core/judge-formats/custom.js';
import { buildJudgeLMPrompt, judgeLMFormat } from '../../../core/judge-formats/judgelm.js';
import { JudgeConfigError } from '../../../judges/errors/judge-config-error.js';
import { createOpenAIJudge, verdictProbabilitiesFromLogprobs } from '../../../judges/openai-judge.js';

const request = { instruction: 'Name a colour.', input: '', response1: 'Blue.', response2: 'Seven.' };
const options = { baseUrl: '', model: 'judge', maxTokens: 64, topLogprobs: 5, timeoutMs: 5_000 };
const abc = customFormat({ prompt: 'Q: {{instruction}}\nA: {{response1}}\nB: {{response2}}\nBetter (A, B, or C for a tie):', labels: { one: 'A', two: 'B', tie: 'C' } });

describe('the openai backend with other formats', () => {
  let server: Server;
  const bodies: Record<string, unknown>[] = [];
  let answer: unknown;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      req.on('end', () => {
        bodies.push(JSON.parse(text) as Record<string, unknown>);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    options.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('full mode sends JudgeLM\'s prompt and reads its scores', async () => {
    answer = { choices: [{ text: '3 8\nAssistant 2 names a number, not a colour.' }] };
    const judge = createOpenAIJudge(options, {}, judgeLMFormat);
    const result = await judge.judge(request, { mode: 'full' });
    expect(bodies.at(-1)).toMatchObject({ prompt: buildJudgeLMPrompt(request), max_tokens: 64 });
    expect(result).toMatchObject({ verdict: 2, scores: [3, 8], reason: 'Assistant 2 names a number, not a colour.' });
    expect(judge.id).toBe(`openai:judgelm:${options.baseUrl}#judge`);
  });

  it('verdict mode on a format without labels is refused before any request', async () => {
    const judge = createOpenAIJudge(options, {}, judgeLMFormat);
    const before = bodies.length;
    await expect(judge.judge(request, { mode: 'verdict' })).rejects.toThrow(JudgeConfigError);
    await expect(judge.judge(request, { mode: 'verdict' })).rejects.toThrow(/judge it in full mode/);
    expect(bodies.length).toBe(before);
  });

  it('verdict mode reads the custom labels\' log-probabilities', async () => {
    answer = { choices: [{ text: ' A', logprobs: { top_logprobs: [{ ' A': Math.log(0.6), ' B': Math.log(0.2), ' C': Math.log(0.1), ' D': Math.log(0.1) }] } }] };
    const result = await createOpenAIJudge(options, {}, abc).judge(request, { mode: 'verdict' });
    expect(bodies.at(-1)).toMatchObject({ prompt: 'Q: Name a colour.\nA: Blue.\nB: Seven.\nBetter (A, B, or C for a tie):', max_tokens: 1 });
    expect(result.verdict).toBe(1);
    expect(result.probabilities!.one).toBeCloseTo(0.6 / 0.9, 10);
    expect(result.probabilities!.two).toBeCloseTo(0.2 / 0.9, 10);
    expect(result.probabilities!.tie).toBeCloseTo(0.1 / 0.9, 10);
  });

  it('without log-probabilities, verdict mode parses the one token with the format', async () => {
    answer = { choices: [{ text: ' B' }] };
    expect(await createOpenAIJudge(options, {}, abc).judge(request, { mode: 'verdict' })).toMatchObject({ verdict: 2 });
    expect((await createOpenAIJudge(options, {}, abc).judge(request, { mode: 'verdict' })).probabilities).toBeUndefined();
  });
});

describe('verdictProbabilitiesFromLogprobs', () => {
  it('counts a token toward the one label it starts, and none that starts two or none', () => {
    // PandaLM's labels: "T" starts only "Tie"; "Ti" too.
    const pandalm = verdictProbabilitiesFromLogprobs({ '1': Math.log(0.5), T: Math.log(0.2), Ti: Math.log(0.1), x: Math.log(0.2) })!;
    expect(pandalm.one).toBeCloseTo(0.5 / 0.8, 10);
    expect(pandalm.tie).toBeCloseTo(0.3 / 0.8, 10);
    // "Response" starts both labels: it tells them apart no better than nothing.
    expect(verdictProbabilitiesFromLogprobs({ ' Response': 0 }, { one: 'Response 1', two: 'Response 2' })).toBeUndefined();
    const ab = verdictProbabilitiesFromLogprobs({ ' A': Math.log(0.3), '▁B': Math.log(0.3) }, { one: 'A', two: 'B' })!;
    expect(ab).toEqual({ one: 0.5, two: 0.5, tie: 0 });
  });
});
