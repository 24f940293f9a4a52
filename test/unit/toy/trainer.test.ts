import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { readResponses } from '../../../activities/jobs/read-responses.js';
import { failureTypes } from '../../../core/failure-types.js';
import { parseJobOutputLine } from '../../../core/jobs/parse-job-output.js';

const trainer = resolve('toy/trainer.mjs');
const work = mkdtempSync(join(tmpdir(), 'pandasweep-toy-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const evalItems = [
  { instruction: 'Summarize the meeting notes into a short paragraph.', input: 'Rose: analyze data\nJohn: propose idea' },
  { instruction: 'List three adjectives for a creative startup.', input: '' },
  { instruction: 'Explain why the sky is blue.', input: '' },
];
const evalFile = join(work, 'eval.json');
writeFileSync(evalFile, JSON.stringify(evalItems));
const evalIds = evalItems.map((_, i) => String(i));

let n = 0;
async function train(...params: string[]) {
  n += 1;
  const out = join(work, `run-${n}`);
  const { stdout } = await execa('node', [trainer, 'train', '--output-dir', out, '--steps', '4', ...params]);
  const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { quality: number; final_loss: number };
  return { out, stdout, ...metrics };
}

describe('toy trainer', () => {
  it('stops after --stop-at-epoch with its schedule unchanged, and resumes from its own checkpoint', async () => {
    const out = join(work, 'stops');
    const run = async (epoch: string) => (await execa('node', [trainer, 'train', '--output-dir', out, '--steps', '12', '--stop-at-epoch', epoch, '--epochs=3', '--learning_rate=2e-5'])).stdout;
    const steps = (stdout: string) => stdout.split('\n').map(parseJobOutputLine).flatMap((p) => (p.kind === 'metric' ? [p.metric.step] : []));
    const first = await run('1');
    expect(steps(first)).toEqual([1, 2, 3, 4]);
    const rung = JSON.parse(readFileSync(join(out, 'step-4', 'checkpoint.json'), 'utf8')) as { quality: number; epochs: number };
    expect(rung.epochs).toBe(1);
    const second = await run('3');
    expect(steps(second)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    const last = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as { quality: number; epoch: number };
    expect(last.epoch).toBe(3);
    // Trained less is a little worse; the last epoch is the trial's full quality.
    expect(rung.quality).toBeLessThan(last.quality);
    expect(last.quality).toBe(1);
  });

  it('prints one parseable metric per step and announces checkpoints', async () => {
    const { stdout, out } = await train('--checkpoint-every', '2');
    const parsed = stdout.split('\n').map(parseJobOutputLine);
    expect(parsed.filter((p) => p.kind === 'metric').map((p) => p.kind === 'metric' && p.metric.step)).toEqual([1, 2, 3, 4]);
    expect(parsed.filter((p) => p.kind === 'checkpoint').map((p) => p.kind === 'checkpoint' && p.checkpoint.path)).toEqual([
      join(out, 'step-2'),
      join(out, 'step-4'),
    ]);
    expect(parsed.some((p) => p.kind === 'invalid')).toBe(false);
  });

  it('scores hyperparameters as documented: the paper-like defaults win', async () => {
    const best = await train('--learning-rate=2e-5', '--epochs=3', '--lr-scheduler=cosine', '--optimizer=adamw');
    const comparisons = [
      await train('--learning-rate=2e-4'),
      await train('--epochs=1'),
      await train('--lr-scheduler=linear'),
      await train('--optimizer=sgd'),
    ];
    expect(best.quality).toBe(1);
    for (const worse of comparisons) {
      expect(worse.quality).toBeLessThan(best.quality);
      expect(worse.final_loss).toBeGreaterThan(best.final_loss);
    }
    expect((await train('--learning-rate=2e-5', '--unknown-knob=7')).quality).toBe(best.quality);
    expect((await train('--lr-scheduler=linear')).quality).toBeGreaterThan((await train('--lr-scheduler=constant')).quality);
  });

  it('fails at the requested step and resumes past it from its last checkpoint', async () => {
    const out = join(work, 'resume');
    const args = [trainer, 'train', '--output-dir', out, '--steps', '8', '--checkpoint-every', '3'];
    const failed = await execa('node', [...args, '--fail-at-step', '5'], { reject: false });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toContain('simulated failure at step 5');
    const resumed = await execa('node', [...args, '--fail-at-step', '2', '--resume-from', out]);
    const steps = resumed.stdout.split('\n').flatMap((l) => {
      const p = parseJobOutputLine(l);
      return p.kind === 'metric' ? [p.metric.step] : [];
    });
    expect(steps).toEqual([4, 5, 6, 7, 8]);
  });

  it('generates valid, deterministic answers that get longer and more on-topic with quality', async () => {
    const good = await train();
    const poor = await train('--learning-rate=1e-3', '--epochs=9', '--optimizer=sgd');
    const answers = async (checkpoint: string, name: string) => {
      const output = join(work, `${name}.jsonl`);
      await execa('node', [trainer, 'generate', '--checkpoint', checkpoint, '--eval', evalFile, '--output', output]);
      return readResponses(output, evalIds);
    };
    const goodAnswers = await answers(good.out, 'good');
    expect(await answers(good.out, 'good-again')).toEqual(goodAnswers);
    const poorAnswers = await answers(poor.out, 'poor');
    for (const [i, item] of evalItems.entries()) {
      const goodText = goodAnswers[i]?.response ?? '';
      const poorText = poorAnswers[i]?.response ?? '';
      expect(goodText.length).toBeGreaterThan(poorText.length);
      const words = item.instruction.split(' ');
      expect(goodText).toContain(words.slice(0, -1).join(' '));
    }
  });

  it.each([
    ['not-json', 2, /not a JSON object/],
    ['duplicate', 4, /duplicate id "0"/],
    ['extra', 4, /unknown id/],
    ['missing', null, /1 of 3 evaluation ids have no response: "2"/],
    ['empty', null, /empty/],
  ])('a --corrupt %s file fails as InvalidResponses naming line %s', async (mode, line, problem) => {
    const ckpt = (await train()).out;
    const output = join(work, `corrupt-${mode}.jsonl`);
    await execa('node', [trainer, 'generate', '--checkpoint', ckpt, '--eval', evalFile, '--output', output, '--corrupt', mode]);
    const error = await readResponses(output, evalIds).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApplicationFailure);
    const failure = error as ApplicationFailure;
    expect(failure.type).toBe(failureTypes.InvalidResponses);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(problem);
    expect(failure.message.startsWith(line === null ? `${output}: ` : `${output}:${line}: `)).toBe(true);
  });

  it('a missing responses file is InvalidResponses too', async () => {
    const error = await readResponses(join(work, 'never-written.jsonl'), evalIds).catch((e: unknown) => e);
    expect((error as ApplicationFailure).type).toBe(failureTypes.InvalidResponses);
  });
});
