import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../../workflows/concurrency-limit.js';

/** A task that stays open until the test settles it, and records how many ran beside it. */
function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => (open = resolve));
  return { open, closed };
}

describe('ConcurrencyLimit', () => {
  it('never runs more than its limit, however many wait, and serves them first in, first out', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = Array.from({ length: 6 }, gate);
    const started: number[] = [];
    let peak = 0;
    const all = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        peak = Math.max(peak, limit.running);
        await g.closed;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    for (const [i, g] of gates.entries()) {
      g.open();
      await new Promise((resolve) => setImmediate(resolve));
      expect(limit.running).toBeLessThanOrEqual(2);
      expect(started).toEqual([0, 1, 2, 3, 4, 5].slice(0, Math.min(6, i + 3)));
    }
    await Promise.all(all);
    expect(peak).toBe(2);
    expect(limit.running).toBe(0);
  });

  it('frees the slot of a task that throws, and passes the error on', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(limit.running).toBe(0);
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });

  it('counts a limit below 1 as 1', async () => {
    const limit = new ConcurrencyLimit(0);
    const g = gate();
    const first = limit.run(() => g.closed);
    let second = false;
    const next = limit.run(async () => void (second = true));
    await Promise.resolve();
    expect(second).toBe(false);
    g.open();
    await Promise.all([first, next]);
    expect(second).toBe(true);
  });
});
