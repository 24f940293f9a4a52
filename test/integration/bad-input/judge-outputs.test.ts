/**
 * Judge outputs that are empty or unparseable (issue 7, bad input), through the real system: a sweep
 * whose judge is the `openai` backend in `full` mode, pointed at a fake OpenAI-compatible server in this
 * process that answers with canned texts. Each judgment keeps the raw text exactly, counts as a tie
 * when its first line is not exactly "1" or "2" (PandaLM's rule), and the match combines both orders
 * by the paper's rule (any disagreement is a tie).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const faultJob = path.join(repoRoot, 'test/fixtures/faults/fault-job.mjs');
const sweepId = 'faults-judge-outputs';

/**
 * The judge's raw text per instruction and order. "ok first" is the prompt whose Response 1 is the
 * `ok` trial's answer. `verdicts` is the verdict each text must be recorded with (PandaLM: first line
 * after trimming, "1" -> 1, "2" -> 2, anything else -> tie), `ok` the expected match outcome for the
 * `ok` trial after the paper's order resolution.
 */
const cases = {
  e1: { okFirst: '', fineFirst: '', verdicts: [0, 0], ok: 'tie' },
  e2: { okFirst: 'I cannot decide ### garbage }{', fineFirst: '\n\n   \n', verdicts: [0, 0], ok: 'tie' },
  e3: { okFirst: '1\n\n### Reason: the first is better\n\n### Reference: x', fineFirst: '', verdicts: [1, 0], ok: 'tie' },
  e4: { okFirst: '1\n\n### Reason: r', fineFirst: '2', verdicts: [1, 2], ok: 'win' },
  e5: { okFirst: '  Tie  \n\n### Reason: equal', fineFirst: 'Tie', verdicts: [0, 0], ok: 'tie' },
  e6: { okFirst: '\u0001\ufffd binary \u00ff junk', fineFirst: '2 is better\n### Reason: no', verdicts: [0, 0], ok: 'tie' },
  e7: { okFirst: '### Reason: missing verdict line', fineFirst: '1', verdicts: [0, 1], ok: 'tie' },
} as const;
type CaseId = keyof typeof cases;

describe('empty and unparseable judge outputs', () => {
  let db: TestDatabase;
  let tmp: string;
  let server: Server;
  let baseUrl: string;
  let requests = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-judge-'));
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      req.on('end', () => {
        requests++;
        const { prompt } = JSON.parse(data) as { prompt: string };
        const id = /### Instruction:\nDo (e\d+)\./.exec(prompt)?.[1] as CaseId | undefined;
        const okFirst = /### Response 1:\nanswer to e\d+ \(ok\)/.test(prompt);
        const text = id === undefined ? 'unexpected prompt' : okFirst ? cases[id].okFirst : cases[id].fineFirst;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ choices: [{ text, logprobs: null }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('are recorded with their raw text and counted as ties, per instruction and order', async () => {
    const folder = path.join(tmp, 'sweep');
    await mkdir(folder, { recursive: true });
    const ids = Object.keys(cases) as CaseId[];
    await writeFile(path.join(folder, 'eval.jsonl'), ids.map((id) => JSON.stringify({ id, instruction: `Do ${id}.`, input: '' })).join('\n'));
    await writeFile(path.join(folder, 'judge.yaml'), stringify({ backend: 'openai', baseUrl, model: 'fake-pandalm', maxTokens: 64 }));
    await writeFile(
      path.join(folder, 'sweep.yaml'),
      stringify({
        name: sweepId,
        baseModels: [{ id: 'm', path: 'toy://m' }],
        parameters: { mode: { values: ['ok', 'fine'] } },
        train: { command: ['node', faultJob, 'train', '{{trial.checkpoint}}', '{{args}}'], gpus: 0, timeout: '2m', retries: 0 },
        generate: { command: ['node', faultJob, 'generate', '{{eval.file}}', '{{trial.dir}}/responses.jsonl', '{{params.mode}}'], gpus: 0, timeout: '2m', retries: 0 },
        eval: { file: 'eval.jsonl' },
        judge: { config: path.join(folder, 'judge.yaml'), mode: 'full', swap: true, resolution: 'paper' },
        tournament: { strategy: 'round-robin', bootstrap: 0 },
      }),
    );
    const run = await runCli(['run', 'sweep.yaml', '--json', '--worker'], {
      cwd: folder,
      env: { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(tmp, 'home') },
    });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(requests).toBe(ids.length * 2);

    const trials = await db.prisma.trial.findMany({ where: { sweepId } });
    const okTrial = trials.find((t) => (t.params as { mode: string }).mode === 'ok')!;
    const [match, ...others] = await db.prisma.match.findMany({ where: { sweepId }, include: { judgments: true } });
    expect(others).toEqual([]);
    expect(match!.status).toBe('done');
    expect(match!.judgments).toHaveLength(ids.length * 2);
    const okIsA = match!.trialAId === okTrial.id;
    for (const id of ids) {
      for (const order of [1, 2] as const) {
        // Order 1 puts trial A's answer first.
        const okFirst = (order === 1) === okIsA;
        const judgment = match!.judgments.find((j) => j.instructionId === id && j.order === order)!;
        const expectedRaw = okFirst ? cases[id].okFirst : cases[id].fineFirst;
        expect(judgment.raw, `${id} order ${order}`).toBe(expectedRaw);
        expect(judgment.verdict, `${id} order ${order}: ${JSON.stringify(expectedRaw)}`).toBe(cases[id].verdicts[okFirst ? 0 : 1]);
      }
    }
    const okWins = ids.filter((id) => cases[id].ok === 'win').length;
    const ties = ids.length - okWins;
    expect({ okWins: okIsA ? match!.aWins : match!.bWins, fineWins: okIsA ? match!.bWins : match!.aWins, ties: match!.ties }).toEqual({ okWins, fineWins: 0, ties });
    const best = await db.prisma.bestTrial.findFirstOrThrow({ where: { sweepId } });
    expect(best.trialId).toBe(okTrial.id);
  });
});
