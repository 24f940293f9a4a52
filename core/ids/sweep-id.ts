/**
 * Returns the sweep id for a name: lowercase letters, digits and single dashes, at most 63 characters.
 * Two names can share one id ("Sweep A!" and "sweep-a"); registration refuses the second.
 */
export function sweepIdOf(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
  return slug === '' ? 'sweep' : slug;
}
