/**
 * PandaLM's data ships in sweeps/data (issue 17): the copies are PandaLM's files byte for byte (the
 * SHA-256 sums of PandaLM's `data/` at commit 3871806, as sweeps/data/NOTICE.md lists them), and the
 * derived demo set is what the notice says it is.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvalSet } from '../../../core/sweep/eval-set.js';
import { pandalmData, pandalmDataDir } from '../../support/pandalm-data.js';

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('shipped PandaLM data', () => {
  it.each([
    [pandalmData.testset, 'cc154f9067c7382d7ea86f8f246511a5e1ac87e1fddd845c5938d789505b07a4'],
    [pandalmData.pandalm7b, '9a40b62a7bb2aa87ca77eb8bfcb51539b5a62f974ce91678d30e834d65ed0a7e'],
    [pandalmData.gpt35, '4c00aa7b3eeae504050a037422ba6f5b0a2ee041680f47bb77b8a4b549b128e3'],
    [pandalmData.inference, '170fef9eb10de404cdb3e2d9c6e3fab5cf656d47bd199cd6b368509e5bfc2967'],
    [pandalmData.pipelineSanityCheck, '6df174849d024d720ed1f717a4b1388c9997e111b735525ea26c77c20ec32aec'],
    [pandalmData.promptFixtures, 'a50cc91dc0691aece103ddea3bce97576ecd46cabe6df2fc699c093b92cb99a3'],
    [pandalmData.parseFixtures, '33bd57a11e26843a82a4d0319c61dfba68fd3b7ecede1092a6766675978f89dc'],
    [path.join(pandalmDataDir, 'LICENSE-PandaLM.txt'), '4670bc86a291c1bf35e91e20da0cb534fc255c9f20c2ed6380e7538e8b421ba3'],
  ])('%s is the upstream file', (file, expected) => {
    expect(sha256(file)).toBe(expected);
    // The notice names every file with its sum, so a reader can check a copy without this test.
    expect(readFileSync(path.join(pandalmDataDir, 'NOTICE.md'), 'utf8')).toContain(expected);
  });

  it("holds the demo's 10 instructions: PandaLM's pipeline sanity check, in order", () => {
    const original = parseEvalSet(readFileSync(pandalmData.pipelineSanityCheck, 'utf8'), 'pipeline-sanity-check');
    const demo = parseEvalSet(readFileSync(path.join(pandalmDataDir, 'demo-eval.jsonl'), 'utf8'), 'demo-eval');
    expect(demo.map(({ instruction, input }) => ({ instruction, input }))).toEqual(original.map(({ instruction, input }) => ({ instruction, input })));
  });
});
