import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalInstruction } from '../../../../core/sweep/eval-set.js';
import { definitionChanges, readRecordedDefinition, sweepDefinition } from '../../../../core/sweep/sweep-definition.js';
import { parseSweepSpec } from '../../../../core/sweep/parse-sweep-spec.js';
import { buildSweepPlan } from '../../../../core/sweep/sweep-plan.js';
import { shippedSweeps, specWith } from '../../../support/spec-fixtures.js';

// A sweep file path for the plan; the spec itself comes from `specWith` (judge: pandalm-7b by default).
const file = path.join(shippedSweeps, 'test.yaml');
const instructions: EvalInstruction[] = [
  { id: 'a', instruction: 'Say hi.', input: '' },
  { id: 'b', instruction: 'Add 2 and 2.', input: '' },
];
const judge = { backend: 'simulated', seed: 7, scale: 10 };
const definitionOf = (overrides: Record<string, unknown> = {}, items = instructions, judgeConfig: unknown = judge) => {
  const spec = specWith(overrides);
  return sweepDefinition(buildSweepPlan(spec, { file, evalCount: items.length }), items, judgeConfig);
};

describe('sweep definitions', () => {
  it('are equal for the same file, whatever the key order of the judge config, and read back from JSON', () => {
    const recorded = definitionOf();
    const again = definitionOf({}, instructions, { scale: 10, seed: 7, backend: 'simulated' });
    expect(definitionChanges(recorded, again)).toEqual([]);
    expect(readRecordedDefinition(JSON.parse(JSON.stringify(recorded)))).toEqual(recorded);
    expect(readRecordedDefinition({ version: 2 })).toBeNull();
    expect(readRecordedDefinition(null)).toBeNull();
  });

  it('name what an edit of the evaluation texts or the judge makes stale', () => {
    const recorded = definitionOf();
    const edited = [{ ...instructions[0]!, instruction: 'Say hello.' }, { id: 'c', instruction: 'New.', input: '' }];
    expect(definitionChanges(recorded, definitionOf({}, edited))).toEqual([
      { what: 'the evaluation instructions changed (1 changed, 1 new, 1 gone)', stale: 'trials', baseModelIds: null },
    ]);
    expect(definitionChanges(recorded, definitionOf({}, instructions, { ...judge, seed: 8 }))).toEqual([
      { what: 'the judge config pandalm-7b changed', stale: 'matches', baseModelIds: null },
    ]);
  });

  it('name a changed job or base model field, and not a changed concurrency or tournament', () => {
    const base = specWith({ baseModels: [{ id: 'm', path: 'org/m' }] });
    const recorded = definitionOf({ baseModels: base.baseModels });
    const train = { ...base.train, command: [...base.train.command, '--steps', '3'] };
    expect(definitionChanges(recorded, definitionOf({ baseModels: base.baseModels, train })).map((c) => c.what)).toEqual(['the train job changed (its command, env or workdir)']);
    const baseModels = base.baseModels.map((b, i) => (i === 0 ? { ...b, path: 'other/path' } : b));
    expect(definitionChanges(recorded, definitionOf({ baseModels }))).toEqual([
      { what: `the fields of base model ${base.baseModels[0]!.id} changed`, stale: 'trials', baseModelIds: [base.baseModels[0]!.id] },
    ]);
    expect(definitionChanges(recorded, definitionOf({ baseModels: base.baseModels, concurrency: { trials: 7, matches: 3 } }))).toEqual([]);
  });
});

describe('sweep definitions under early termination', () => {
  const demo = readFileSync(path.join(shippedSweeps, 'demo-early-stop.yaml'), 'utf8');
  const definitionOfText = (text: string) => sweepDefinition(buildSweepPlan(parseSweepSpec(text, file), { file, evalCount: instructions.length }), instructions, judge);

  it('make every trial stale when the rungs move or early termination is turned on or off', () => {
    const recorded = definitionOfText(demo);
    expect(definitionChanges(recorded, definitionOfText(demo))).toEqual([]);
    // More matches per checkpoint leave the checkpoints where they are.
    expect(definitionChanges(recorded, definitionOfText(demo.replace('minEpochs: 1', 'minEpochs: 1\n  matches: 8')))).toEqual([]);
    expect(definitionChanges(recorded, definitionOfText(demo.replace('minEpochs: 1', 'minEpochs: 1\n  eta: 2'))).map((c) => [c.what, c.stale])).toEqual([
      ['the early-termination rungs changed (minEpochs, eta or the epochs parameter): checkpoints are taken at other epochs', 'trials'],
    ]);
    const { earlyTerminate: _early, ...without } = recorded;
    expect(definitionChanges(without, recorded).map((c) => c.what)).toEqual(['early termination was turned on: checkpoints are taken at other epochs']);
    expect(readRecordedDefinition(JSON.parse(JSON.stringify(recorded)))).toEqual(recorded);
  });
});
