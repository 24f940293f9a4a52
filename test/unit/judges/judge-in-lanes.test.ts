import { describe, expect, it } from 'vitest';
import { judgeInLanes, laneRanges } from '../../../judges/judge-in-lanes.js';

describe('laneRanges', () => {
  it('splits items into contiguous runs, one per lane, never more lanes than items', () => {
    expect(laneRanges([1, 2, 3, 4, 5], 2)).toEqual([[1, 2, 3], [4, 5]]);
    expect(laneRanges([1, 2], 4)).toEqual([[1], [2]]);
    expect(laneRanges([1, 2, 3], 0)).toEqual([[1, 2, 3]]);
    expect(laneRanges([], 3)).toEqual([]);
  });
});

describe('judgeInLanes', () => {
  it('judges each lane in its own order, at once, and stores every result in batches', async () => {
    const started: number[] = [];
    const stored: number[][] = [];
    let running = 0;
    let mostAtOnce = 0;
    await judgeInLanes(
      [1, 2, 3, 4, 5, 6],
      async (item) => {
        started.push(item);
        mostAtOnce = Math.max(mostAtOnce, ++running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return item * 10;
      },
      { lanes: 2, batchSize: 4, store: async (results) => void stored.push([...results]) },
    );
    expect(mostAtOnce).toBe(2);
    expect(started.filter((item) => item <= 3)).toEqual([1, 2, 3]);
    expect(started.filter((item) => item > 3)).toEqual([4, 5, 6]);
    expect(stored.map((batch) => batch.length)).toEqual([4, 2]);
    expect(stored.flat().sort((x, y) => x - y)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('on a failure stops the other lanes, stores what was judged, and throws the failure', async () => {
    const stored: number[] = [];
    const judged: number[] = [];
    const failure = new Error('judge failed');
    await expect(
      judgeInLanes(
        [1, 2, 3, 4, 5, 6, 7, 8],
        async (item, signal) => {
          // The second lane's first judgment only ends when the lanes are stopped.
          if (item > 4) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error)));
          await new Promise((resolve) => setTimeout(resolve, 2));
          if (item === 2) throw failure;
          judged.push(item);
          return item;
        },
        { lanes: 2, batchSize: 100, store: async (results) => void stored.push(...results) },
      ),
    ).rejects.toBe(failure);
    expect(judged).toEqual([1]);
    expect(stored).toEqual([1]);
  });
});
