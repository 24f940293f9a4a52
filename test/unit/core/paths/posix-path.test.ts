import { describe, expect, it } from 'vitest';
import { folderOf, isAbsolutePath, joinPath, resolveAgainst } from '../../../../core/paths/posix-path.js';

describe('posix-path', () => {
  it('joins, finds folders and absolute paths', () => {
    expect(joinPath('/runs/', '/s', 'm//t')).toBe('/runs/s/m/t');
    expect([folderOf('/home/u/sweep.yaml'), folderOf('sweep.yaml'), folderOf('/sweep.yaml'), folderOf('C:\\s\\x.yaml')]).toEqual(['/home/u', '.', '/', 'C:\\s']);
    expect([isAbsolutePath('/a'), isAbsolutePath('C:\\a'), isAbsolutePath('a/b'), isAbsolutePath('./a')]).toEqual([true, true, false, false]);
  });

  it('resolves a relative file against a folder, taking out . and ..', () => {
    expect(resolveAgainst('/home/u/sweeps', '../data/./e.jsonl')).toBe('/home/u/data/e.jsonl');
    expect(resolveAgainst('/home/u', '/abs/e.json')).toBe('/abs/e.json');
    expect(resolveAgainst('.', '../e.json')).toBe('../e.json');
  });
});
