/**
 * How the OpenAI-compatible judge fails on a misconfigured worker or a server that is not a completions
 * endpoint, against a local HTTP server on 127.0.0.1 that answers a web page instead of JSON.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JudgeConfigError } from '../../../judges/errors/judge-config-error.js';
import { JudgeRequestError } from '../../../judges/errors/judge-request-error.js';
import { createOpenAIJudge } from '../../../judges/openai-judge.js';

const request = { instruction: 'Say hi.', input: '', response1: 'Hi!', response2: 'Go away.' };
const options = { model: 'pandalm', maxTokens: 8, topLogprobs: 5, timeoutMs: 5_000 };

describe('OpenAI-compatible judge errors', () => {
  let server: Server;
  let baseUrl: string;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>Welcome to nginx!</body></html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('an unset API key variable is a JudgeConfigError naming the variable', () => {
    expect(() => createOpenAIJudge({ ...options, baseUrl, apiKeyEnv: 'JUDGE_KEY' }, {})).toThrow(JudgeConfigError);
    expect(() => createOpenAIJudge({ ...options, baseUrl, apiKeyEnv: 'JUDGE_KEY' }, {})).toThrow(/JUDGE_KEY \(apiKeyEnv\) is not set/);
  });

  it('a 200 that is not JSON is a JudgeRequestError that quotes the answer, not a SyntaxError', async () => {
    const judge = createOpenAIJudge({ ...options, baseUrl });
    const failure = await judge.judge(request, { mode: 'verdict' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(JudgeRequestError);
    expect((failure as Error).message).toMatch(/HTTP 200 from .*\/v1\/completions is not JSON \(is baseUrl the server's \/v1 address\?\): <html><body>Welcome to nginx!/);
  });
});
