import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeRunning, watchProgress } from '../../../cli/progress-bars.js';
import type { ProgressCounts } from '../../../report/read-sweep.js';

describe('describeRunning', () => {
  it('says what the running trials do, with the steps training has reached, highest first', () => {
    expect(describeRunning(2, 1, [9, 12])).toBe('2 training (steps 12, 9), 1 generating');
    expect(describeRunning(1, 0, [3])).toBe('1 training (step 3)');
    expect(describeRunning(0, 2, [])).toBe('2 generating');
  });

  it('leaves steps out before the first metric, and shortens a long list', () => {
    expect(describeRunning(3, 0, [])).toBe('3 training');
    expect(describeRunning(6, 0, [1, 2, 3, 4, 5, 6])).toBe('6 training (steps 6, 5, 4, 3, …)');
  });

  it('says nothing runs when nothing does', () => {
    expect(describeRunning(0, 0, [])).toBe('0 running');
  });
});

describe('watchProgress (off a TTY, counts from a scripted reader instead of the database)', () => {
  const counts = (done: number, judged: number): ProgressCounts => ({
    trials: { done, pending: 4 - done },
    matches: { byStatus: { done: judged }, done: judged, planned: 6 },
    trainingSteps: [],
  });

  it('never goes backwards, and its stop prints the final counts before it settles', async () => {
    // A rerun: the first read sees the last run's rows, then the workflow resets them for a moment.
    const script = [counts(4, 6), counts(1, 0), counts(2, 3)];
    let final = counts(2, 3);
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const stop = watchProgress({ read: async () => script.shift() ?? final, totals: { trials: 4, matches: 6 }, stream, intervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 60));
    final = counts(4, 6);
    await stop();
    const lines = text.trim().split('\n');
    expect(lines.every((line) => line === 'trials 4/4: 0 running; matches 6/6')).toBe(true);
    expect(lines).toHaveLength(1);
  });

  it('shows the counts of the last read on stop, though the interval never fired', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const stop = watchProgress({ read: async () => counts(3, 5), totals: { trials: 4, matches: 6 }, stream, intervalMs: 60_000 });
    await stop();
    expect(text).toBe('trials 3/4: 0 running; matches 5/6\n');
  });
});
