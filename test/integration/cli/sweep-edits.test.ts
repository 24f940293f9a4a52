/**
 * Editing a sweep file between runs never mixes old results with new ones: a change that makes recorded
 * results stale (the evaluation texts, the judge, the train command) is refused with what differs, and
 * `--redo-stale` redoes exactly what it made stale; new parameter values only add trials; a running
 * sweep is never joined with another definition. Toy trainer and simulated judges (machinery only),
 * through the real CLI on the real Temporal dev server and PostgreSQL.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { terminateLeftoverSweeps } from '../../support/worker-process.js';

const toy = path.join(repoRoot, 'toy/trainer.mjs');

function sweepYaml(options: { name: string; rates?: string; steps?: number; judge?: string }): string {
  return [
    `name: ${options.name}`,
    'baseModels: [{id: m}]',
    `parameters: {learning_rate: {values: [${options.rates ?? '2e-5, 1e-4'}]}}`,
    `train: {command: [node, ${toy}, train, --output-dir, "{{trial.checkpoint}}", --steps, "${options.steps ?? 2}", "{{args}}"], gpus: 0}`,
    `generate: {command: [node, ${toy}, generate, --checkpoint, "{{trial.checkpoint}}", --eval, "{{eval.file}}", --output, "{{trial.dir}}/responses.jsonl"], gpus: 0}`,
    'eval: {file: eval.jsonl}',
    `judge: {config: ${options.judge ?? 'demo'}}`,
    'tournament: {strategy: round-robin}',
  ].join('\n');
}

describe('reruns of an edited sweep', () => {
  let db: TestDatabase;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-edits-'));
    env = { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: db.url, PANDASWEEP_HOME: path.join(dir, 'home') };
    await terminateLeftoverSweeps(env.TEMPORAL_ADDRESS!, ['live']);
    const demo = (await readFile(path.join(repoRoot, 'sweeps/data/demo-eval.jsonl'), 'utf8')).trim().split('\n').slice(0, 2);
    await writeFile(path.join(dir, 'eval.jsonl'), `${demo.join('\n')}\n`);
    await writeFile(path.join(dir, 'other-judge.yaml'), 'backend: simulated\nseed: 99\nscale: 10\n');
  });
  afterAll(async () => {
    await db?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = (file: string, ...flags: string[]) => runCli(['run', file, '--json', '--worker', ...flags], { env });
  const jobCount = () => db.prisma.job.count({ where: { trial: { sweepId: 'edits' } } });

  it('refuses stale results with what differs, and --redo-stale redoes exactly them', async () => {
    const file = path.join(dir, 'edits.yaml');
    await writeFile(file, sweepYaml({ name: 'edits' }));
    const first = await run(file);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(await jobCount()).toBe(4);

    // 1. The evaluation file: one instruction reworded, one added.
    const evalFile = path.join(dir, 'eval.jsonl');
    const lines = (await readFile(evalFile, 'utf8')).trim().split('\n');
    const reworded: Record<string, string> = { ...(JSON.parse(lines[0]!) as Record<string, string>), instruction: 'Say it in one sentence.' };
    await writeFile(evalFile, `${JSON.stringify(reworded)}\n${lines[1]}\n${JSON.stringify({ id: 'new-1', instruction: 'Name a colour.' })}\n`);
    const judgmentsBefore = await db.prisma.judgment.count({ where: { match: { sweepId: 'edits' } } });
    const refused = await run(file);
    expect(refused.exitCode, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('changed since sweep edits was last run, so some of its recorded results are stale; nothing was started');
    expect(refused.stderr).toContain('the evaluation instructions changed (1 changed, 1 new): the trials of every base model would be trained, answered and judged again');
    expect(refused.stderr).toContain('--redo-stale');
    expect(await db.prisma.judgment.count({ where: { match: { sweepId: 'edits' } } })).toBe(judgmentsBefore);

    const redone = await run(file, '--redo-stale');
    expect(redone.exitCode, redone.stderr).toBe(0);
    expect(redone.stderr).toMatch(/Redoing stale results \(the evaluation instructions changed \(1 changed, 1 new\)\): discarded 2 trials and 1 matches/);
    const instructions = await db.prisma.evalInstruction.findMany({ where: { sweepId: 'edits' }, orderBy: { position: 'asc' } });
    expect(instructions.map((i) => [i.instructionId, i.instruction])).toEqual([
      [reworded.id, 'Say it in one sentence.'],
      [JSON.parse(lines[1]!).id, JSON.parse(lines[1]!).instruction],
      ['new-1', 'Name a colour.'],
    ]);
    // Every trial answered the new set, and the match judged it, both orders.
    for (const trial of await db.prisma.trial.findMany({ where: { sweepId: 'edits' }, include: { responses: true } })) {
      expect(trial.responses.map((r) => r.instructionId).sort()).toEqual(instructions.map((i) => i.instructionId).sort());
    }
    expect(await db.prisma.judgment.count({ where: { match: { sweepId: 'edits' } } })).toBe(3 * 2);
    expect(await jobCount()).toBe(4);

    // 2. The judge: only the matches are stale; no job runs again.
    await writeFile(file, sweepYaml({ name: 'edits', judge: 'other-judge.yaml' }));
    const judgeRefused = await run(file);
    expect(judgeRefused.exitCode).toBe(2);
    expect(judgeRefused.stderr).toMatch(/the judge changed \(demo -> .*other-judge\.yaml\): every match would be judged again \(trained models and answers are kept\)/);
    const rejudged = await run(file, '--redo-stale');
    expect(rejudged.exitCode, rejudged.stderr).toBe(0);
    const jobsAfterRejudge = await jobCount();
    expect(jobsAfterRejudge).toBe(4);
    const judgments = await db.prisma.judgment.findMany({ where: { match: { sweepId: 'edits' } } });
    expect(judgments).toHaveLength(6);
    expect(new Set(judgments.map((j) => j.judgeId))).toEqual(new Set(['simulated:seed=99,scale=10']));
    const matches = await db.prisma.match.findMany({ where: { sweepId: 'edits' } });
    expect(matches.map((m) => m.judgeId)).toEqual(['simulated:seed=99,scale=10']);

    // 3. The train command: every trial is stale.
    await writeFile(file, sweepYaml({ name: 'edits', judge: 'other-judge.yaml', steps: 3 }));
    const trainRefused = await run(file);
    expect(trainRefused.exitCode).toBe(2);
    expect(trainRefused.stderr).toContain('the train job changed (its command, env or workdir): the trials of every base model would be trained, answered and judged again');
    expect(await jobCount()).toBe(4);

    // A new parameter value only adds a trial: nothing is refused, the two done trials are reused.
    await writeFile(file, sweepYaml({ name: 'edits', judge: 'other-judge.yaml', rates: '2e-5, 1e-4, 3e-4' }));
    const widened = await run(file);
    expect(widened.exitCode, widened.stderr).toBe(0);
    expect(widened.stderr).toContain('2 of 3 trials are recorded as done and are reused; 1 to run.');
    expect(await jobCount()).toBe(6);
  });

  it('never joins a running sweep with another definition', async () => {
    const file = path.join(dir, 'live.yaml');
    await writeFile(file, sweepYaml({ name: 'live' }));
    // No worker polls this run's task queue, so the sweep stays running.
    const started = await runCli(['run', file, '--detach'], { env });
    expect(started.exitCode, started.stderr).toBe(0);
    try {
      // The same file joins it.
      const same = await runCli(['run', file, '--detach'], { env });
      expect(same.exitCode, same.stderr).toBe(0);
      expect(same.stderr).toContain('Joining the running sweep live.');
      // An edited copy (one more learning rate) is refused, though the sweep has not even registered yet.
      await writeFile(file, sweepYaml({ name: 'live', rates: '2e-5, 1e-4, 3e-4' }));
      const edited = await runCli(['run', file, '--json', '--no-worker'], { env });
      expect(edited.exitCode, edited.stderr).toBe(2);
      expect(edited.stderr).toContain(`Sweep live is running with another definition than ${file}, and would not take the change:\n  - its trials differ (1 new)`);
      expect(edited.stderr).toContain('pandasweep cancel live');
    } finally {
      // `cancel` would wait for a worker to run the cancellation; none polls this queue.
      await terminateLeftoverSweeps(env.TEMPORAL_ADDRESS!, ['live']);
    }
  });
});
