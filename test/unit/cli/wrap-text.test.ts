import { describe, expect, it } from 'vitest';
import { wrapHanging, wrapText } from '../../../cli/wrap-text.js';

describe('wrapText and wrapHanging', () => {
  it('wraps at spaces and breaks only a word longer than the width', () => {
    expect(wrapText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrapText('x /a/very/long/path', 8)).toEqual(['x', '/a/very/', 'long/pat', 'h']);
  });

  it('keeps the first line\'s indent and hangs the rest, every line within the width', () => {
    const text = '  failed   m/abcd1234  JobBadInput: train job rejected its input (exit 2): finetune: error: /data/train.json: no such file';
    const lines = wrapHanging(text, 60, 11);
    expect(lines[0]).toBe('  failed   m/abcd1234  JobBadInput: train job rejected its');
    for (const line of lines.slice(1)) expect(line.startsWith(' '.repeat(11))).toBe(true);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(60);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(text.trim());
  });
});
