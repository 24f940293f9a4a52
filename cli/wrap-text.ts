/** Wraps `text` at spaces into lines of at most `width`, breaking longer words (paths) where they must. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (candidate.length <= width) {
      current = candidate;
      continue;
    }
    if (current !== '') lines.push(current);
    current = word;
    while (current.length > width) {
      lines.push(current.slice(0, width));
      current = current.slice(width);
    }
  }
  if (current !== '') lines.push(current);
  return lines;
}

/**
 * `text` wrapped to `width` with every line after the first indented by `indent` spaces (the first keeps
 * its own leading spaces): a status line whose cause (a program's name, a file, a line number) must stay
 * readable in full.
 */
export function wrapHanging(text: string, width: number, indent: number): string[] {
  const body = text.trimStart();
  const lead = text.slice(0, text.length - body.length);
  const [first = '', ...wrapped] = wrapText(body, width - lead.length);
  if (wrapped.length === 0) return [`${lead}${first}`];
  const rest = body.slice(first.length).trimStart();
  return [`${lead}${first}`, ...wrapText(rest, width - indent).map((line) => `${' '.repeat(indent)}${line}`)];
}
