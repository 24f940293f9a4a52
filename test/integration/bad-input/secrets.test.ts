/**
 * Secrets (issue 7): `env: {HF_TOKEN: {secret: true}}` reaches the job (as its environment and through
 * `{{env.HF_TOKEN}}` in its argv) but is never written to workflow history, logs, files pandasweep
 * writes, CLI output or the database. The job program (test/fixtures/faults/fault-job.mjs
 * `train-secret`) fails unless it received the value, so a sweep that passes proves it was delivered;
 * then every place is searched for the value.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

const faultJob = path.join(repoRoot, 'test/fixtures/faults/fault-job.mjs');
const sweepId = 'faults-secret';

/** Every string and byte array inside `value` (payload data is bytes: decoded as UTF-8 text). */
function textsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'), Buffer.from(value).toString('latin1'));
  else if (Array.isArray(value)) for (const item of value) textsIn(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) textsIn(item, out);
  return out;
}

/** Every file under `roots`, recursively. */
async function listFiles(roots: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const root of roots) {
    for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
    }
  }
  return files;
}

/**
 * Asserts that no history event of the sweep's workflows (all runs: the sweep, each of `trials`, and the
 * tournament when `tournament`) holds `secret`, while `plainValue` (a plain env value) is found in the
 * trials' histories, which shows the search reads payloads.
 */
async function expectNotInHistory(secret: string, sweep: string, trials: readonly { workflowId: string }[], options: { plainValue: string; tournament: boolean }): Promise<void> {
  const connection = await Connection.connect({ address: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS! });
  try {
    const client = new Client({ connection });
    const executions: { workflowId: string; runId: string }[] = [];
    for await (const execution of client.workflow.list()) {
      if (execution.workflowId === sweep || execution.workflowId.startsWith(`${sweep}/`)) executions.push(execution);
    }
    const ids = new Set(executions.map((e) => e.workflowId));
    expect(ids.has(sweep)).toBe(true);
    if (options.tournament) expect(ids.has(`${sweep}/m/tournament`)).toBe(true);
    for (const trial of trials) expect(ids.has(trial.workflowId)).toBe(true);
    const base64 = Buffer.from(secret).toString('base64').slice(0, 24);
    let events = 0;
    for (const execution of executions) {
      const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
      events += history.events?.length ?? 0;
      const texts = textsIn(history);
      if (trials.some((t) => t.workflowId === execution.workflowId)) expect(texts.some((t) => t.includes(options.plainValue)), execution.workflowId).toBe(true);
      expect(texts.filter((t) => t.includes(secret)), execution.workflowId).toEqual([]);
      expect(texts.filter((t) => t.includes(base64)), execution.workflowId).toEqual([]);
    }
    expect(events).toBeGreaterThan(10);
  } finally {
    await connection.close();
  }
}

/** Asserts that no row of any table holds `secret` (each row compared as text: every column). */
async function expectNotInDatabase(db: TestDatabase, secret: string): Promise<void> {
  const tables = await db.prisma.$queryRawUnsafe<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
  );
  expect(tables.length).toBeGreaterThan(5);
  let rows = 0;
  for (const { table_name: table } of tables) {
    const found = await db.prisma.$queryRawUnsafe<{ total: bigint; leaks: bigint }[]>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE strpos(t::text, $1) > 0) AS leaks FROM "${table}" t`,
      secret,
    );
    rows += Number(found[0]!.total);
    expect(Number(found[0]!.leaks), table).toBe(0);
  }
  expect(rows).toBeGreaterThan(3);
}

describe('secret environment values', () => {
  let db: TestDatabase;
  let tmp: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-faults-secrets-'));
  });
  afterAll(async () => {
    await db?.drop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('reach the job but never workflow history, logs, files or the database', async () => {
    const secret = `hf_${randomBytes(18).toString('hex')}`;
    const folder = path.join(tmp, 'sweep');
    const home = path.join(tmp, 'home');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'eval.jsonl'), ['e1', 'e2'].map((id) => JSON.stringify({ id, instruction: `Do ${id}.`, input: '' })).join('\n'));
    await writeFile(
      path.join(folder, 'sweep.yaml'),
      stringify({
        name: sweepId,
        baseModels: [{ id: 'm', path: 'toy://m' }],
        parameters: { lr: { values: [1, 2] } },
        train: {
          command: ['node', faultJob, 'train-secret', '{{trial.checkpoint}}', '--token={{env.HF_TOKEN}}'],
          env: { HF_TOKEN: { secret: true }, PLAIN: 'not-a-secret' },
          gpus: 0,
          timeout: '2m',
          retries: 0,
        },
        generate: { command: ['node', faultJob, 'generate', '{{eval.file}}', '{{trial.dir}}/responses.jsonl', 'ok'], env: { HF_TOKEN: { secret: true } }, gpus: 0, timeout: '2m', retries: 0 },
        eval: { file: 'eval.jsonl' },
        judge: { config: 'demo' },
        tournament: { strategy: 'round-robin', bootstrap: 0 },
      }),
    );
    const address = process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!;
    const run = await runCli(['run', 'sweep.yaml', '--json', '--worker'], { cwd: folder, env: { TEMPORAL_ADDRESS: address, DATABASE_URL: db.url, PANDASWEEP_HOME: home, HF_TOKEN: secret } });
    expect(run.exitCode, run.stderr).toBe(0);

    // Delivered: each trial's program saw the value in its environment and its argv.
    const trials = await db.prisma.trial.findMany({ where: { sweepId }, include: { jobs: true } });
    expect(trials).toHaveLength(2);
    for (const trial of trials) {
      expect(trial.status, trial.failureMessage ?? '').toBe('done');
      expect(await readFile(path.join(trial.checkpointPath!, 'secret.sha256'), 'utf8')).toBe(createHash('sha256').update(secret).digest('hex'));
      // The job row keeps the placeholder, not the value.
      expect(trial.jobs.find((j) => j.kind === 'train')!.argv).toContain('--token={{env.HF_TOKEN}}');
    }

    // CLI output.
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);

    await expectNotInHistory(secret, sweepId, trials, { plainValue: 'not-a-secret', tournament: true });

    // Every file pandasweep or the jobs wrote (job logs, checkpoints, responses) under its home and the sweep folder.
    const files = await listFiles([home, folder]);
    const jobLogs = trials.flatMap((t) => t.jobs.flatMap((j) => [j.stdoutPath, j.stderrPath]));
    for (const log of jobLogs) expect(files).toContain(log);
    expect((await Promise.all(jobLogs.map((log) => readFile(log, 'utf8')))).join('\n')).toContain('received a secret of');
    for (const file of files) expect((await readFile(file)).includes(secret), file).toBe(false);

    await expectNotInDatabase(db, secret);
  });

  it('printed by a failing program: redacted in the failure, heartbeats, job rows and history (its own log files are its output)', async () => {
    const secret = `hf_${randomBytes(18).toString('hex')}`;
    const leakySweep = 'faults-secret-leak';
    const folder = path.join(tmp, 'leak');
    await mkdir(folder, { recursive: true });
    await writeFile(path.join(folder, 'eval.jsonl'), JSON.stringify({ id: 'e1', instruction: 'Do e1.', input: '' }));
    await writeFile(
      path.join(folder, 'sweep.yaml'),
      stringify({
        name: leakySweep,
        baseModels: [{ id: 'm', path: 'toy://m' }],
        parameters: { lr: { values: [1] } },
        train: { command: ['node', faultJob, 'train-leak-secret', '{{trial.checkpoint}}'], env: { HF_TOKEN: { secret: true }, PLAIN: 'plain-leak-test' }, gpus: 0, timeout: '2m', retries: 1 },
        generate: { command: ['node', faultJob, 'generate', '{{eval.file}}', '{{trial.dir}}/responses.jsonl', 'ok'], gpus: 0, timeout: '2m', retries: 0 },
        eval: { file: 'eval.jsonl' },
        judge: { config: 'demo' },
      }),
    );
    const run = await runCli(['run', 'sweep.yaml', '--json', '--worker'], {
      cwd: folder,
      env: { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(tmp, 'leak-home'), HF_TOKEN: secret },
    });
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);

    const trials = await db.prisma.trial.findMany({ where: { sweepId: leakySweep }, include: { jobs: true } });
    expect(trials).toHaveLength(1);
    const [trial] = trials;
    expect(trial!.status).toBe('failed');
    // Both attempts ran and printed the secret; what pandasweep kept of it is redacted.
    expect(trial!.jobs).toHaveLength(2);
    expect(trial!.failureMessage).toContain('could not log in with token ***');
    for (const job of trial!.jobs) {
      expect(job.logTail).toContain('HF_TOKEN=***');
      expect(await readFile(job.stderrPath, 'utf8')).toContain(secret);
    }
    await expectNotInHistory(secret, leakySweep, trials, { plainValue: 'plain-leak-test', tournament: false });
    await expectNotInDatabase(db, secret);
  });
});
