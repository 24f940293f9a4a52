/**
 * Bad input reaching jobs, through the real system (`pandasweep run --worker` as a child process, the
 * Temporal dev server, PostgreSQL, real child processes; issue 7):
 * - parameter values full of shell metacharacters, newlines, `$(...)`, backticks, `; rm -rf`, and a
 *   100 KB string reach the training program verbatim as argv and never run anything else;
 * - damaged `responses.jsonl` files fail their own trial with the reason and line, while the other
 *   trials' responses stay recorded and the sweep still picks a best trial.
 * The job program is test/fixtures/faults/fault-job.mjs.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const faultJob = path.join(repoRoot, 'test/fixtures/faults/fault-job.mjs');
const evalIds = ['e1', 'e2', 'e3'];

// What a shell would run if anything put these through one; the canaries below say whether it did.
const longValue = '$(touch pwned-long); `touch pwned-long` ; rm -rf keep-me ; \n'.repeat(2_000).slice(0, 100 * 1024);
const hostileValues = [
  'a b; rm -rf keep-me; touch pwned-semicolon',
  '$(touch pwned-dollar)',
  '`touch pwned-backtick`',
  'line one\nline two\r\n\ttabbed\n',
  `' " \\ * ? ~ | & > pwned-redirect < /dev/null # %s %n`,
  '{{trial.dir}} {{env.HOME}} {{args}}',
  '-rf',
  'café ☕ 日本語 😀',
  longValue,
];
const canaries = ['pwned-semicolon', 'pwned-dollar', 'pwned-backtick', 'pwned-redirect', 'pwned-long'];

interface SweepOptions {
  readonly name: string;
  readonly parameters: Record<string, { values: unknown[] }>;
  readonly trainArgs: string[];
  readonly generateMode: string;
}

function sweepYaml(options: SweepOptions): string {
  return stringify({
    name: options.name,
    baseModels: [{ id: 'm', path: 'toy://m' }],
    parameters: options.parameters,
    train: { command: ['node', faultJob, 'train', '{{trial.checkpoint}}', ...options.trainArgs], gpus: 0, timeout: '2m', retries: 0 },
    generate: { command: ['node', faultJob, 'generate', '{{eval.file}}', '{{trial.dir}}/responses.jsonl', options.generateMode], gpus: 0, timeout: '2m', retries: 0 },
    eval: { file: 'eval.jsonl' },
    judge: { config: 'demo', swap: true },
    tournament: { strategy: 'knockout', bootstrap: 0 },
    concurrency: { trials: 4, matches: 4 },
  });
}

describe('bad input reaching jobs', () => {
  let db: TestDatabase;
  let tmp: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-jobs-'));
    env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(tmp, 'home') };
  });
  afterAll(async () => {
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  async function sweepFolder(name: string, yaml: string): Promise<string> {
    const folder = path.join(tmp, name);
    await mkdir(path.join(folder, 'keep-me'), { recursive: true });
    await writeFile(path.join(folder, 'keep-me', 'precious.txt'), 'still here');
    await writeFile(path.join(folder, 'eval.jsonl'), evalIds.map((id) => JSON.stringify({ id, instruction: `Do ${id}.`, input: '' })).join('\n'));
    await writeFile(path.join(folder, 'sweep.yaml'), yaml);
    return folder;
  }

  it('parameter values reach the training program verbatim as argv and run nothing else', async () => {
    const folder = await sweepFolder(
      'argv',
      sweepYaml({
        name: 'faults-argv',
        parameters: { text: { values: hostileValues } },
        trainArgs: ['{{params.text}}', 'pre-{{params.text}}-post', '{{args}}'],
        generateMode: 'ok',
      }),
    );
    const run = await runCli(['run', 'sweep.yaml', '--json', '--worker'], { cwd: folder, env });
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.exitCode, run.stderr).toBe(0);

    const trials = await db.prisma.trial.findMany({ where: { sweepId: 'faults-argv' }, include: { jobs: true } });
    expect(trials).toHaveLength(hostileValues.length);
    const seen = new Set<string>();
    for (const trial of trials) {
      expect(trial.status, trial.failureMessage ?? '').toBe('done');
      const value = (trial.params as { text: string }).text;
      seen.add(value);
      const expected = ['train', trial.checkpointPath!, value, `pre-${value}-post`, `--text=${value}`];
      // Byte for byte: what the program found in its process.argv.
      const received = JSON.parse(await readFile(path.join(trial.checkpointPath!, 'argv.json'), 'utf8')) as string[];
      expect(received).toEqual(expected);
      expect(Buffer.from(JSON.stringify(received))).toEqual(Buffer.from(JSON.stringify(expected)));
      // The job row records the same argv (after the program path).
      const trainJob = trial.jobs.find((j) => j.kind === 'train')!;
      expect((trainJob.argv as string[]).slice(2)).toEqual(expected);
    }
    expect([...seen].sort()).toEqual([...hostileValues].sort());

    // Nothing ran through a shell: no canary file anywhere under the sweep folder or the runs, and
    // the folder `; rm -rf keep-me` names is intact.
    const everything = await readdir(folder, { recursive: true });
    const home = await readdir(env.PANDASWEEP_HOME!, { recursive: true }).catch(() => [] as string[]);
    for (const canary of canaries) {
      expect(everything.filter((f) => path.basename(f) === canary)).toEqual([]);
      expect(home.filter((f) => path.basename(f) === canary)).toEqual([]);
      expect(existsSync(path.join(os.tmpdir(), canary))).toBe(false);
    }
    expect(await readFile(path.join(folder, 'keep-me', 'precious.txt'), 'utf8')).toBe('still here');
  });

  it('a damaged responses.jsonl fails its own trial with the reason and line; the others stay recorded', async () => {
    const modes = ['ok', 'fine', 'truncated', 'invalid-utf8', 'duplicate', 'missing', 'oversize', 'nul'];
    const expectedFailure: Record<string, RegExp> = {
      truncated: /responses\.jsonl:3: not a JSON object/,
      'invalid-utf8': /responses\.jsonl:2: not valid UTF-8/,
      duplicate: /responses\.jsonl:3: duplicate id "e1" \(first on line 1\)/,
      missing: /responses\.jsonl: 1 of 3 evaluation ids have no response: "e3"/,
      oversize: /responses\.jsonl:2: response for id "e2" is \d+ bytes, over the 65536-byte limit/,
      // PostgreSQL text cannot hold U+0000: without this check the store activity failed on every retry.
      nul: /responses\.jsonl:2: response for id "e2" contains a NUL character/,
    };
    const yaml = sweepYaml({ name: 'faults-responses', parameters: { mode: { values: modes } }, trainArgs: ['{{args}}'], generateMode: '{{params.mode}}' });
    const folder = await sweepFolder('responses', yaml);
    const before = { argvTrials: await db.prisma.trial.count({ where: { sweepId: 'faults-argv' } }), argvResponses: await db.prisma.response.count({ where: { trial: { sweepId: 'faults-argv' } } }) };

    const run = await runCli(['run', 'sweep.yaml', '--json', '--worker'], { cwd: folder, env });
    // No stack-trace assertion here: the in-process worker's SDK logger prints each failed activity
    // (these InvalidResponses failures are expected) with its stack at WARN.
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { best: { params: Record<string, unknown> }[] };
    expect(['ok', 'fine']).toContain(summary.best[0]?.params.mode);

    const trials = await db.prisma.trial.findMany({ where: { sweepId: 'faults-responses' }, include: { responses: true } });
    expect(trials).toHaveLength(modes.length);
    for (const trial of trials) {
      const mode = (trial.params as { mode: string }).mode;
      const pattern = expectedFailure[mode];
      if (pattern === undefined) {
        expect(trial.status, `${mode}: ${trial.failureMessage ?? ''}`).toBe('done');
        expect(trial.responses.map((r) => [r.instructionId, r.text]).sort()).toEqual(evalIds.map((id) => [id, `answer to ${id} (${mode})`]));
      } else {
        expect(trial.status, mode).toBe('failed');
        expect(trial.failureType, mode).toBe('InvalidResponses');
        expect(trial.failureMessage, mode).toMatch(pattern);
        expect(trial.failureMessage, mode).toContain(path.join(trial.key, 'responses.jsonl'));
        // All or nothing: none of a damaged file's answers are recorded.
        expect(trial.responses, mode).toEqual([]);
      }
    }
    // Only the good trials played.
    const matches = await db.prisma.match.findMany({ where: { sweepId: 'faults-responses' } });
    const good = new Set(trials.filter((t) => t.status === 'done').map((t) => t.id));
    expect(matches.length).toBeGreaterThan(0);
    for (const match of matches) expect(good.has(match.trialAId) && good.has(match.trialBId)).toBe(true);
    // The earlier sweep's records are untouched.
    expect(await db.prisma.trial.count({ where: { sweepId: 'faults-argv' } })).toBe(before.argvTrials);
    expect(await db.prisma.response.count({ where: { trial: { sweepId: 'faults-argv' } } })).toBe(before.argvResponses);
  });
});
