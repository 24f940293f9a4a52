import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePandaLMOutput } from '../../../../core/judge-formats/pandalm.js';
import { pandalmData } from '../../../support/pandalm-data.js';

interface ParseFixture {
  source: string;
  raw_output: string;
  expected_label: 0 | 1 | 2;
}

const fixtures: ParseFixture[] = readFileSync(pandalmData.parseFixtures, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as ParseFixture);

describe('parsePandaLMOutput golden cases (sweeps/data/pandalm-parse-fixtures.jsonl)', () => {
  it('has fixtures to check', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });
  it.each(fixtures.map((f, i) => [i, f.source, f] as const))('case %i (%s)', (_i, _source, f) => {
    expect(parsePandaLMOutput(f.raw_output).verdict).toBe(f.expected_label);
  });
});

describe('parsePandaLMOutput sections', () => {
  it('extracts reason and reference', () => {
    const parsed = parsePandaLMOutput('2\n\n### Reason: shorter and right.\n\n### Reference: Hi there.\n');
    expect(parsed).toEqual({ verdict: 2, reason: 'shorter and right.', reference: 'Hi there.' });
  });
  it('returns null for missing sections', () => {
    expect(parsePandaLMOutput('Tie\n\n### Reason: both fine\n')).toEqual({ verdict: 0, reason: 'both fine', reference: null });
    expect(parsePandaLMOutput('1')).toEqual({ verdict: 1, reason: null, reference: null });
  });
  it('keeps multi-line references', () => {
    expect(parsePandaLMOutput('1\n\n### Reason: r\n\n### Reference: a\nb\n').reference).toBe('a\nb');
  });
});
