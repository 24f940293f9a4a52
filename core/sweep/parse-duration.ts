const unitSeconds: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Matches durations such as `90s`, `30m`, `12h`, `1d` and compounds like `1h30m`. */
export const durationPattern = /^(?:\d+(?:\.\d+)?[smhd])+$/;

/**
 * Returns the number of seconds in a duration string such as `12h`, `30m`, `90s` or `1h30m`, or
 * `undefined` when the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!durationPattern.test(compact)) return undefined;
  let seconds = 0;
  for (const match of compact.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) {
    seconds += Number(match[1]) * (unitSeconds[match[2] ?? 's'] ?? 1);
  }
  return seconds;
}
