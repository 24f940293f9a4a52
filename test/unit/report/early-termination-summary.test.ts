import { describe, expect, it } from 'vitest';
import { describeEarlyTermination, summarizeEarlyTermination } from '../../../report/early-termination-summary.js';
import type { ReportTrial } from '../../../report/report-data.js';

/** A trial of 3 epochs that reached `rungs` (epochs 1, then 3) and ended as `status`. */
function trial(key: string, status: string, rungs: readonly number[]): ReportTrial {
  const epochOf = [1, 3];
  const checkpoints = rungs.map((rung) => ({ epoch: epochOf[rung]!, rung, path: `/ckpt/${key}/${rung}` }));
  return {
    key,
    baseModelId: 'base',
    index: 0,
    block: null,
    isBaseline: false,
    params: {},
    status,
    failureType: null,
    failureMessage: null,
    checkpointPath: null,
    workflowId: `s/base/${key}`,
    lastJob: null,
    earlyTermination: { epochs: 3, epochsTrained: checkpoints.at(-1)?.epoch ?? 0, rung: rungs.at(-1) ?? null, checkpoints },
  };
}

describe('summarizeEarlyTermination and describeEarlyTermination', () => {
  const stopped = Array.from({ length: 10 }, (_, i) => trial(`s${String(i).padStart(2, '0')}aaaaaaaaaaaaa`, 'stopped', [0]));
  const trials = [...stopped, trial('finalistbbbbbbbb', 'done', [0, 1]), trial('laststopcccccccc', 'stopped', [0, 1])];

  it('counts each rung and lists the trials it stopped', () => {
    const [summary] = summarizeEarlyTermination(trials);
    expect(summary!.rungs.map((r) => [r.epoch, r.checkpoints, r.stopped])).toEqual([[1, 12, 10], [3, 2, 1]]);
    expect(summary!.rungs[1]!.stoppedTrials).toEqual(['laststopcccccccc']);
    expect(summary).toMatchObject({ finalists: 1, stopped: 11, epochsTrained: 16, epochsPlanned: 36 });
  });

  it('prints the stopped trials per rung, short keys, at most eight a line', () => {
    const lines = describeEarlyTermination(summarizeEarlyTermination(trials)[0]!, { finished: true });
    expect(lines[0]).toBe('Early termination (base): rungs 12 at epoch 1 (10 stopped) -> 2 at epoch 3 (1 stopped)');
    expect(lines[1]).toBe("  1 finalist, 11 stopped early; 16 of the full grid's 36 training epochs trained (44%), 20 saved");
    expect(lines[2]).toBe('  stopped at rung 1 (epoch 1): s00aaaaa s01aaaaa s02aaaaa s03aaaaa s04aaaaa s05aaaaa s06aaaaa s07aaaaa (+2 more)');
    expect(lines[3]).toBe('  stopped at rung 2 (epoch 3): laststop');
    expect(lines).toHaveLength(4);
  });
});
