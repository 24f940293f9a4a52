/**
 * The win-rate matrix of one base model's tournament: how often each trial beat each other trial,
 * per evaluation instruction (ties count half), over every match they played.
 */
import type { ReportMatch } from './report-data.js';

/** A square matrix over `trials`; `rates[i][j]` is trial i's win rate against trial j, `null` if they never met. */
export interface WinRateMatrix {
  readonly trials: readonly string[];
  readonly rates: readonly (readonly (number | null)[])[];
  /** Instructions judged behind each cell (0 where they never met). */
  readonly games: readonly (readonly number[])[];
}

/** Computes the win-rate matrix of `matches` over `trials` (in that order, usually by rank). */
export function computeWinRateMatrix(trials: readonly string[], matches: readonly ReportMatch[]): WinRateMatrix {
  const index = new Map(trials.map((t, i) => [t, i]));
  const score = trials.map(() => trials.map(() => 0));
  const games = trials.map(() => trials.map(() => 0));
  for (const m of matches) {
    const i = index.get(m.a);
    const j = index.get(m.b);
    const played = m.aWins + m.bWins + m.ties;
    if (i === undefined || j === undefined || i === j || played === 0) continue;
    score[i]![j]! += m.aWins + m.ties / 2;
    score[j]![i]! += m.bWins + m.ties / 2;
    games[i]![j]! += played;
    games[j]![i]! += played;
  }
  return {
    trials,
    rates: score.map((row, i) => row.map((s, j) => (games[i]![j]! === 0 ? null : s / games[i]![j]!))),
    games,
  };
}
