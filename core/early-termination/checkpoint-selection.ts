/**
 * How the final of an early-terminated sweep ranks a finalist's earlier checkpoints. Every checkpoint
 * that answered plays in the final, so each finalist brings several correlated entrants and more
 * evidence; but two checkpoints of one trial are often too close for a judge to tell apart, and a
 * checkpoint trained less is rarely better. So an earlier checkpoint ranks ahead of its own trial's last
 * checkpoint only when it beat it clearly: led their match by the sequential test's margin, the lead at
 * which a match counts as decided. Otherwise it moves to just behind it. Pure: the store's standings
 * and the simulation share it.
 */
import { parseEntrantKey } from '../ids/checkpoint-keys.js';
import { defaultEarlyStopMargin } from '../tournament/sequential-test.js';
import type { MatchSummary } from '../tournament/types.js';

/**
 * Reorders entrants ranked best first (see the file comment). Plain trial keys, and checkpoints of
 * trials whose last checkpoint is not among the entrants, keep their places.
 */
export function preferLastCheckpoints(order: readonly string[], matches: readonly Pick<MatchSummary, 'a' | 'b' | 'aWins' | 'bWins'>[]): string[] {
  const refs = order.map((entrant) => ({ entrant, ...parseEntrantKey(entrant) }));
  const last = new Map<string, string>();
  const lastEpoch = new Map<string, number>();
  for (const r of refs) {
    if (r.epoch === 0) continue;
    if ((lastEpoch.get(r.trialKey) ?? -1) < r.epoch) {
      lastEpoch.set(r.trialKey, r.epoch);
      last.set(r.trialKey, r.entrant);
    }
  }
  const lead = (x: string, y: string) => {
    let total = 0;
    for (const m of matches) {
      if (m.a === x && m.b === y) total += m.aWins - m.bWins;
      else if (m.a === y && m.b === x) total += m.bWins - m.aWins;
    }
    return total;
  };
  const out: string[] = [];
  const held = new Map<string, string[]>();
  for (const r of refs) {
    const own = last.get(r.trialKey);
    const placed = own !== undefined && out.includes(own);
    if (own !== undefined && own !== r.entrant && !placed && lead(r.entrant, own) < defaultEarlyStopMargin) {
      held.set(r.trialKey, [...(held.get(r.trialKey) ?? []), r.entrant]);
      continue;
    }
    out.push(r.entrant);
    if (own === r.entrant) out.push(...(held.get(r.trialKey) ?? []));
    if (own === r.entrant) held.delete(r.trialKey);
  }
  for (const rest of held.values()) out.push(...rest);
  return out;
}
