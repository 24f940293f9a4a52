/**
 * Determinism guard: the histories recorded from real runs (test/fixtures/histories/, written by
 * scripts/record-workflow-histories.ts) must replay against the current workflow code. A change that
 * reorders a workflow's commands fails here and must ship behind `patched()` or a recorded option.
 * They are the demo's sweep, trial and tournament, the early-terminated demo's sweep and one of its trial stops
 * (sweeps/demo-early-stop.yaml), a downstream evaluation of test/fixtures/sweeps/paper-small.yaml, and
 * the tournament of test/fixtures/sweeps/adaptive-small.yaml recorded before `tournament.schedule`
 * existed (it replays with the `halving` schedule).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { loadWorkflowBundle } from '../../../worker.js';
import { repoRoot } from '../../support/run-cli.js';

const historiesDir = path.join(repoRoot, 'test/fixtures/histories');

describe('workflow replay', () => {
  it('replays every recorded history (sweep, trial, tournament, evaluation) without a determinism violation', async () => {
    const files = (await readdir(historiesDir)).filter((f) => f.endsWith('.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-replay-'));
    try {
      const workflowBundle = await loadWorkflowBundle(stateDir);
      const types = new Set<string>();
      for (const file of files) {
        const json = JSON.parse(await readFile(path.join(historiesDir, file), 'utf8')) as { events: { workflowExecutionStartedEventAttributes?: { workflowType: { name: string } } }[] };
        types.add(json.events[0]!.workflowExecutionStartedEventAttributes!.workflowType.name);
        const workflowId = path.basename(file, '.json').replaceAll('__', '/');
        await Worker.runReplayHistory({ workflowBundle }, historyFromJSON(json), workflowId);
      }
      expect([...types].sort()).toEqual(['evaluationWorkflow', 'sweepWorkflow', 'tournamentWorkflow', 'trialWorkflow']);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });
});
