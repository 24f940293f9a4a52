import { describe, expect, it } from 'vitest';
import { sweepIdOf } from '../../../../core/ids/sweep-id.js';

describe('sweepIdOf', () => {
  it('slugs names for workflow ids', () => {
    expect(sweepIdOf('Minimal Sweep')).toBe('minimal-sweep');
    expect(sweepIdOf('  PandaLM / paper (v2) ')).toBe('pandalm-paper-v2');
    expect(sweepIdOf('x'.repeat(80))).toHaveLength(63);
  });
});
