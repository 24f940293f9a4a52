/**
 * Every sweep file shipped in sweeps/ is valid and plans trials for every base model, so a newcomer's
 * `validate` of any of them succeeds; a sweep added there is covered without touching this test.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSweepPlan } from '../../../cli/load-sweep-plan.js';
import { repoRoot } from '../../support/run-cli.js';

const shipped = readdirSync(path.join(repoRoot, 'sweeps')).filter((name) => name.endsWith('.yaml')).sort();

describe('the shipped sweeps', () => {
  it('are all found', () => {
    expect(shipped).toEqual(expect.arrayContaining(['demo.yaml', 'demo-early-stop.yaml', 'pandalm-paper.yaml', 'smollm2-lora.yaml']));
  });

  it.each(shipped)('%s validates and plans trials for every base model', async (name) => {
    const loaded = await loadSweepPlan(path.join('sweeps', name), repoRoot);
    expect(loaded.plan.baseModels.length).toBeGreaterThan(0);
    for (const base of loaded.plan.baseModels) expect(base.trials.length).toBeGreaterThan(0);
    expect(loaded.instructions.length).toBeGreaterThan(0);
  });
});
