/**
 * A slow OpenAI-compatible `/v1/completions` server standing in for a PandaLM judge behind llama.cpp's or
 * vLLM's server: every request waits `latencyMs` (the time a real judge takes to read a prompt), so a
 * test can kill a worker in the middle of a match, and it costs no CPU on a 2-core machine, unlike a
 * model. Its verdict prefers the longer response (the toy trainer's better models answer at greater
 * length), so a tournament's winner is known in advance. It counts every request it answered.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFile } from 'node:fs/promises';

/** Options for {@link startSlowJudgeServer}. */
export interface SlowJudgeServerOptions {
  /** Delay before each answer, in ms. Defaults to `150`. */
  readonly latencyMs?: number;
}

/** A running slow judge server. */
export interface SlowJudgeServer extends AsyncDisposable {
  /** Base URL including `/v1`. */
  readonly baseUrl: string;
  /** Completions answered so far (a request whose client went away before the answer is not counted). */
  answered(): number;
  /** Writes an `openai` judge config pointing at this server and returns its path. */
  writeJudgeConfig(file: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function startSlowJudgeServer(options: SlowJudgeServerOptions = {}): Promise<SlowJudgeServer> {
  const { latencyMs = 150 } = options;
  let answered = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const timer = setTimeout(() => {
        if (res.destroyed) return;
        let prompt = '';
        try {
          prompt = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { prompt?: unknown }).prompt ?? '');
        } catch {
          res.writeHead(400).end('{"error":"invalid JSON"}');
          return;
        }
        answered++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completionFor(prompt)));
      }, latencyMs);
      res.on('close', () => clearTimeout(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    baseUrl,
    answered: () => answered,
    async writeJudgeConfig(file: string): Promise<string> {
      await writeFile(file, `backend: openai\nbaseUrl: ${baseUrl}\nmodel: slow-judge\ntimeoutMs: 30000\n`);
      return file;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function completionFor(prompt: string): unknown {
  const first = between(prompt, '### Response 1:\n', '\n\n### Response 2:');
  const second = between(prompt, '### Response 2:\n', '\n\n### Evaluation:');
  const label = first.length > second.length ? '1' : second.length > first.length ? '2' : 'Tie';
  const logprob = (candidate: string) => (candidate === label ? Math.log(0.8) : Math.log(0.1));
  return {
    choices: [{ text: label, logprobs: { top_logprobs: [{ '1': logprob('1'), '2': logprob('2'), Tie: logprob('Tie') }] } }],
  };
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  if (from < 0) return '';
  const to = text.indexOf(end, from + start.length);
  return to < 0 ? '' : text.slice(from + start.length, to);
}
