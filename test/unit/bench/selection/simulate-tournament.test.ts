import { describe, expect, it } from 'vitest';
import { qualityShapes } from '../../../../bench/selection/quality-shapes.js';
import { releasedQualitySpread } from '../../../../bench/selection/released-quality-spread.js';
import { SimulatedField, simulateTournament } from '../../../../bench/selection/simulate-tournament.js';
import { tournamentConfigSchema } from '../../../../core/tournament/tournament-config.js';

const instructions = Array.from({ length: 40 }, (_, i) => `i${i}`);
const cfg = (input: object) => tournamentConfigSchema.parse({ bootstrap: 0, ...input });

describe('quality shapes', () => {
  it('draw n qualities whose leaders are as far ahead as the shape says', () => {
    const [clear, close] = qualityShapes;
    const q = clear?.draw(80, 5) ?? [];
    expect(q).toHaveLength(80);
    const sorted = [...q].sort((a, b) => b - a);
    expect((sorted[0] ?? 0) - (sorted[1] ?? 0)).toBeCloseTo(0.4, 3);
    const top = [...(close?.draw(80, 5) ?? [])].sort((a, b) => b - a);
    expect((top[0] ?? 0) - (top[1] ?? 0)).toBeCloseTo(0.1, 3);
    expect((top[0] ?? 0) - (top[2] ?? 0)).toBeCloseTo(0.15, 3);
    // The best trial's position varies with the seed.
    const positions = new Set([1, 2, 3, 4, 5, 6].map((seed) => { const d = clear?.draw(80, seed) ?? []; return d.indexOf(Math.max(...d)); }));
    expect(positions.size).toBeGreaterThan(1);
  });
});

describe('the shape calibrated from PandaLM-7B\'s released verdicts', () => {
  it('fits the five test-set models, llama-7b strongest, and draws fields with their spread', () => {
    const { logits, sd } = releasedQualitySpread;
    expect([...logits.keys()].sort()).toEqual(['bloom-7b', 'cerebras-gpt-6.7B', 'llama-7b', 'opt-7b', 'pythia-6.9b']);
    expect([...logits.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]).toBe('llama-7b');
    expect(sd).toBeGreaterThan(0.1);
    expect(sd).toBeLessThan(1);
    const released = qualityShapes.find((shape) => shape.name === 'pandalm-released')!;
    const q = released.draw(2000, 3);
    const m = q.reduce((a, b) => a + b, 0) / q.length;
    const drawnSd = Math.sqrt(q.reduce((a, b) => a + (b - m) ** 2, 0) / (q.length - 1));
    expect(drawnSd).toBeGreaterThan(sd * 0.9);
    expect(drawnSd).toBeLessThan(sd * 1.1);
  });
});

describe('simulateTournament', () => {
  const qualities = [0, 0.2, 0.4, 0.6, 0.8, 1, 1.2, 1.4, 1.6, 1.8, 2.0, 3.5];
  const field = new SimulatedField(qualities, 11, instructions);

  it('knows the true best and ranks by quality', () => {
    expect(field.trueBest()).toBe('t11');
    expect(field.rankOf('t11')).toBe(1);
    expect(field.rankOf('t00')).toBe(12);
    expect(field.qualityOf('t11')).toBe(3.5);
  });

  it('counts two judge calls per instruction of every full match', () => {
    const out = simulateTournament(field, cfg({ strategy: 'round-robin' }), 40);
    expect(out.matches).toBe(66);
    expect(out.judgeCalls).toBe(66 * 40 * 2);
    expect(out.stoppedEarly).toBe(0);
    expect(out.standingsWinner).toBe(out.winner);
  });

  it('counts only the instructions judged when the adaptive strategy stops matches early', () => {
    const out = simulateTournament(new SimulatedField(qualities.map((q) => q * 3), 11, instructions), cfg({ strategy: 'adaptive' }), 40);
    expect(out.stoppedEarly).toBeGreaterThan(0);
    expect(out.judgeCalls).toBeLessThan(out.matches * 40 * 2);
    expect(out.judgeCalls % 2).toBe(0);
    expect(out.winner).toBe('t11');
    expect(out.standingsWinner).toBe(out.winner);
  });

  it('shares judgments between strategies on one field (a deterministic judge)', () => {
    const a = field.scoresA('t01', 't02', 40);
    const again = field.scoresA('t01', 't02', 10);
    expect(again.slice(0, 10)).toEqual(a.slice(0, 10));
  });
});
