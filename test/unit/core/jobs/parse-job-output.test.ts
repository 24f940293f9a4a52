import { describe, expect, it } from 'vitest';
import { parseJobOutputLine } from '../../../../core/jobs/parse-job-output.js';

describe('parseJobOutputLine', () => {
  it('reads a metric line, keeping only finite numeric values', () => {
    const line = 'PANDASWEEP_METRIC {"step":3,"loss":0.25,"learning_rate":2e-5,"note":"warmup","eval":null}';
    expect(parseJobOutputLine(line)).toEqual({
      kind: 'metric',
      metric: { step: 3, values: { loss: 0.25, learning_rate: 2e-5 } },
    });
  });

  it('tolerates surrounding whitespace and a CRLF ending', () => {
    const parsed = parseJobOutputLine('  PANDASWEEP_METRIC {"step":0,"loss":1}\r');
    expect(parsed.kind).toBe('metric');
  });

  it('reads a checkpoint line', () => {
    expect(parseJobOutputLine('PANDASWEEP_CHECKPOINT {"step":5,"path":"/out/step-5"}')).toEqual({
      kind: 'checkpoint',
      checkpoint: { step: 5, path: '/out/step-5' },
    });
  });

  it.each([
    ['PANDASWEEP_METRIC {"step":', 'not JSON'],
    ['PANDASWEEP_METRIC {"loss":1}', 'step'],
    ['PANDASWEEP_METRIC {"step":-1,"loss":1}', 'step'],
    ['PANDASWEEP_METRIC {"step":1.5}', 'step'],
    ['PANDASWEEP_CHECKPOINT {"step":1}', 'path'],
    ['PANDASWEEP_CHECKPOINT {"step":1,"path":""}', 'path'],
  ])('reports a malformed marker line %j', (line, mentions) => {
    const parsed = parseJobOutputLine(line);
    expect(parsed.kind).toBe('invalid');
    if (parsed.kind === 'invalid') expect(parsed.message).toContain(mentions);
  });

  it.each(['epoch 1 loss 0.3', 'INFO PANDASWEEP_METRIC {"step":1}', 'PANDASWEEP_METRICS {"step":1}', ''])(
    'treats %j as plain text',
    (line) => {
      expect(parseJobOutputLine(line)).toEqual({ kind: 'text' });
    },
  );
});
