/**
 * Judge outputs that are empty or unparseable (issue 7, bad input), through the real system: a sweep
 * whose judge is the `openai` backend in `full` mode, pointed at a fake OpenAI-compatible server in this
 * process that answers with canned texts. Each judgment keeps the raw text exactly, counts as a tie
 * when its first line is not exactly "1" or "2" (PandaLM's rule), and the match combines both orders
 * by the paper's rule (any disagreement is a tie). The same through JudgeLM's format: its prompt goes to
 * the server, its scores decide (an unreadable score line is a tie) and are stored with the judgment.
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

function pandaLMAnswer(prompt: string): string {
  const id = /### Instruction:\nDo (e\d+)\./.exec(prompt)?.[1] as CaseId | undefined;
  const okFirst = /### Response 1:\nanswer to e\d+ \(ok\)/.test(prompt);
  return id === undefined ? 'unexpected prompt' : okFirst ? cases[id].okFirst : cases[id].fineFirst;
}

/** JudgeLM answers (scores first) per instruction, for the one shown first being `ok`'s; the verdicts they mean. */
const judgeLMCases = {
  j1: { okFirst: '8 3\nThe first answers the task.', fineFirst: '3 8\nThe second answers the task.', verdicts: [1, 2] },
  j2: { okFirst: '7.5 7.5\nEqually good.', fineFirst: '6 6', verdicts: [0, 0] },
  // JudgeLM's parser splits on single spaces: "8, 3" is three fields, unreadable, a tie.
  j3: { okFirst: '8, 3\nComma and space.', fineFirst: 'Assistant 1 is better.', verdicts: [0, 0] },
} as const;
type JudgeLMCaseId = keyof typeof judgeLMCases;

function judgeLMAnswer(prompt: string): string {
  if (!prompt.startsWith('You are a helpful and precise assistant for checking the quality of the answer.')) return 'not a JudgeLM prompt';
  const id = /\[Question\]\nDo (j\d+)\./.exec(prompt)?.[1] as JudgeLMCaseId | undefined;
  const okFirst = /\[The Start of Assistant 1's Answer\]\nanswer to j\d+ \(ok\)/.test(prompt);
  return id === undefined ? 'unexpected prompt' : okFirst ? judgeLMCases[id].okFirst : judgeLMCases[id].fineFirst;
}

describe('empty and unparseable judge outputs', () => {
  let db: TestDatabase;
  let tmp: string;
  let server: Server;
  let baseUrl: string;
  let requests = 0;
  let answer: (prompt: string) => string = pandaLMAnswer;

  beforeAll(async () => {
    db = await createTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-judge-'));
    server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString('utf8')));
      req.on('end', () => {
        requests++;
        const { prompt } = JSON.parse(data) as { prompt: string };
        const text = answer(prompt);
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

  /** Runs a two-trial sweep (the fault job's `ok` and `fine` answers) over `ids`, judged in full mode by `judge`. */
  async function runSweep(name: string, ids: readonly string[], judge: Record<string, unknown>) {
    const folder = path.join(tmp, name);
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'eval.jsonl'), ids.map((item) => JSON.stringify({ id: item, instruction: `Do ${item}.`, input: '' })).join('\n'));
    await writeFile(path.join(folder, 'judge.yaml'), stringify(judge));
    await writeFile(
      path.join(folder, 'sweep.yaml'),
      stringify({
        name,
        baseModels: [{ id: 'm', path: 'toy://m' }],
        parameters: { mode: { values: ['ok', 'fine'] } },
        train: { command: ['node', faultJob, 'train', '{{trial.checkpoint}}', '{{args}}'], gpus: 0, timeout: '2m', retries: 0 },
        generate: { command: ['node', faultJob, 'generate', '{{eval.file}}', '{{trial.dir}}/responses.jsonl', '{{params.mode}}'], gpus: 0, timeout: '2m', retries: 0 },
        eval: { file: 'eval.jsonl' },
        judge: { config: path.join(folder, 'judge.yaml'), mode: 'full', swap: true, resolution: 'paper' },
        tournament: { strategy: 'round-robin', bootstrap: 0 },
      }),
    );
    return runCli(['run', 'sweep.yaml', '--json', '--worker'], {
      cwd: folder,
      env: { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(tmp, 'home') },
    });
  }

  it('are recorded with their raw text and counted as ties, per instruction and order', async () => {
    const ids = Object.keys(cases) as CaseId[];
    const run = await runSweep(sweepId, ids, { backend: 'openai', baseUrl, model: 'fake-pandalm', maxTokens: 64 });
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

  it('in JudgeLM\'s format: its prompt is sent, its scores decide and are stored with each judgment', async () => {
    answer = judgeLMAnswer;
    requests = 0;
    const id = `${sweepId}-judgelm`;
    const ids = Object.keys(judgeLMCases) as JudgeLMCaseId[];
    const run = await runSweep(id, ids, { backend: 'openai', baseUrl, model: 'fake-judgelm', format: 'judgelm', maxTokens: 64 });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(requests).toBe(ids.length * 2);
    const okTrial = (await db.prisma.trial.findMany({ where: { sweepId: id } })).find((t) => (t.params as { mode: string }).mode === 'ok')!;
    const match = await db.prisma.match.findFirstOrThrow({ where: { sweepId: id }, include: { judgments: true } });
    const okIsA = match.trialAId === okTrial.id;
    for (const item of ids) {
      for (const order of [1, 2] as const) {
        const okFirst = (order === 1) === okIsA;
        const judgment = match.judgments.find((j) => j.instructionId === item && j.order === order)!;
        const raw = okFirst ? judgeLMCases[item].okFirst : judgeLMCases[item].fineFirst;
        expect(judgment.raw).toBe(raw);
        expect(judgment.verdict, `${item} order ${order}: ${raw}`).toBe(judgeLMCases[item].verdicts[okFirst ? 0 : 1]);
        expect(judgment.judgeId).toBe(`openai:judgelm:${baseUrl}#fake-judgelm`);
      }
    }
    const scored = match.judgments.find((j) => j.instructionId === 'j1' && (j.order === 1) === okIsA)!;
    expect([scored.scoreOne, scored.scoreTwo]).toEqual([8, 3]);
    const unreadable = match.judgments.find((j) => j.instructionId === 'j3' && (j.order === 1) === okIsA)!;
    expect([unreadable.scoreOne, unreadable.scoreTwo]).toEqual([null, null]);
    // j1: ok wins both orders; j2 ties; j3 unreadable both ways.
    expect({ okWins: okIsA ? match.aWins : match.bWins, ties: match.ties }).toEqual({ okWins: 1, ties: 2 });
  });
});

