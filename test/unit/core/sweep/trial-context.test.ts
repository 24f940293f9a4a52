import { describe, expect, it } from 'vitest';
import { renderArgv } from '../../../../core/sweep/render-command.js';
import type { JobSpec } from '../../../../core/sweep/sweep-spec.js';
import { jobEvalFile, trialPaths, trialRenderContext } from '../../../../core/sweep/trial-context.js';

const job: JobSpec = {
  command: ['train', '--out={{trial.checkpoint}}', '--eval={{eval.file}}', '--token={{env.HF_TOKEN}}', '--mode={{env.MODE}}', '{{args}}'],
  env: { HF_TOKEN: { secret: true }, MODE: 'fast' },
  gpus: 0,
  timeout: 60,
  retries: 0,
  heartbeatTimeout: 60,
  workdir: '.',
};

describe('trial context', () => {
  it('lays out a trial under <runs>/<sweep>/<base model>/<trial>', () => {
    expect(trialPaths('/state/runs/', 'demo', 'toy-7b', 'abc')).toEqual({
      dir: '/state/runs/demo/toy-7b/abc',
      checkpoint: '/state/runs/demo/toy-7b/abc/checkpoint',
      responsesFile: '/state/runs/demo/toy-7b/abc/responses.jsonl',
      evaluationFile: '/state/runs/demo/toy-7b/abc/evaluation.json',
      logDir: '/state/runs/demo/toy-7b/abc/logs',
    });
  });

  it('names the evaluation file itself, or the copy of its first `limit` items when the limit cuts it', () => {
    const base = { runsDir: '/r', sweepId: 's', file: '/d/eval.json' };
    expect(jobEvalFile({ ...base, limit: undefined, count: 10 })).toBe('/d/eval.json');
    expect(jobEvalFile({ ...base, limit: 10, count: 10 })).toBe('/d/eval.json');
    expect(jobEvalFile({ ...base, limit: 3, count: 10 })).toBe('/r/s/eval-first-3.json');
    expect(jobEvalFile({ ...base, file: '/d.x/eval', limit: 3, count: 10 })).toBe('/r/s/eval-first-3.jsonl');
  });

  it('renders the same command for the run (secret left for the worker) and for a preview (secret labelled)', () => {
    const input = { baseModel: { id: 'm' }, trialKey: 't', params: { lr: 0.00002 }, paths: trialPaths('/r', 's', 'm', 't'), evalFile: '/e.jsonl', job };
    const run = renderArgv(job.command, trialRenderContext({ ...input, secret: (name) => `{{env.${name}}}` }));
    expect(run).toEqual(['train', '--out=/r/s/m/t/checkpoint', '--eval=/e.jsonl', '--token={{env.HF_TOKEN}}', '--mode=fast', '--lr=0.00002']);
    const preview = renderArgv(job.command, trialRenderContext({ ...input, secret: (name) => `<secret ${name}>` }));
    expect(preview[3]).toBe('--token=<secret HF_TOKEN>');
    expect(preview.filter((_, i) => i !== 3)).toEqual(run.filter((_, i) => i !== 3));
  });
});
