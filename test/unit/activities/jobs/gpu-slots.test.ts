import { describe, expect, it } from 'vitest';
import { GpuSlotPool, detectGpus } from '../../../../activities/jobs/gpu-slots.js';

/** Resolves on the next macrotask, after every ready promise callback has run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('GpuSlotPool', () => {
  it('leases distinct GPUs and makes later requests wait until one is released', async () => {
    const pool = new GpuSlotPool([1, 0]);
    const a = await pool.acquire(1);
    const b = await pool.acquire(1);
    expect([...a.gpuIds, ...b.gpuIds].sort()).toEqual([0, 1]);
    let third: number[] | null = null;
    const pending = pool.acquire(1).then((lease) => (third = [...lease.gpuIds]));
    await settle();
    expect(third).toBeNull();
    expect(pool.waiting).toBe(1);
    b.release();
    await pending;
    expect(third).toEqual(b.gpuIds);
  });

  it('serves waiters first-in first-out, so a large request is not starved by small ones', async () => {
    const pool = new GpuSlotPool([0, 1]);
    const first = await pool.acquire(1);
    const order: string[] = [];
    const big = pool.acquire(2).then((lease) => {
      order.push('big');
      return lease;
    });
    const small = pool.acquire(1).then((lease) => {
      order.push('small');
      return lease;
    });
    await settle();
    // One GPU is free, but the big request is ahead and the small one must not jump the queue.
    expect(order).toEqual([]);
    first.release();
    (await big).release();
    await small;
    expect(order).toEqual(['big', 'small']);
  });

  it('releases on dispose, once only', async () => {
    const pool = new GpuSlotPool([0, 1, 2]);
    {
      await using lease = await pool.acquire(2);
      expect(pool.available).toBe(1);
      lease.release();
    }
    expect(pool.available).toBe(3);
  });

  it('releases when the holder throws', async () => {
    const pool = new GpuSlotPool([0]);
    const job = async () => {
      await using _lease = await pool.acquire(1);
      throw new Error('job crashed');
    };
    await expect(job()).rejects.toThrow('job crashed');
    expect(pool.available).toBe(1);
  });

  it('removes an aborted waiter and lets those behind it proceed', async () => {
    const pool = new GpuSlotPool([0, 1]);
    const held = await pool.acquire(1);
    const controller = new AbortController();
    const big = pool.acquire(2, controller.signal);
    const small = pool.acquire(1);
    controller.abort(new Error('cancelled'));
    await expect(big).rejects.toThrow('cancelled');
    expect((await small).gpuIds).toHaveLength(1);
    expect(pool.waiting).toBe(0);
    held.release();
  });

  it('gives CPU jobs an empty lease at once and rejects impossible requests', async () => {
    const pool = new GpuSlotPool([]);
    expect((await pool.acquire(0)).gpuIds).toEqual([]);
    await expect(pool.acquire(1)).rejects.toThrow('needs 1 GPUs but this worker has 0');
    await expect(pool.acquire(-1)).rejects.toThrow(RangeError);
    const aborted = AbortSignal.abort(new Error('gone'));
    await expect(new GpuSlotPool([0]).acquire(1, aborted)).rejects.toThrow('gone');
  });

  it('detectGpus returns indices or an empty list, never throws', async () => {
    const gpus = await detectGpus();
    expect(Array.isArray(gpus)).toBe(true);
    for (const id of gpus) expect(Number.isInteger(id)).toBe(true);
  });
});
