import { describe, expect, it } from 'vitest';
import { canonicalParamsJson, fnv1a64Hex, trialKey } from '../../../../core/ids/trial-key.js';

describe('fnv1a64Hex', () => {
  it('matches the published FNV-1a 64-bit test vectors', () => {
    expect(fnv1a64Hex('')).toBe('cbf29ce484222325');
    expect(fnv1a64Hex('a')).toBe('af63dc4c8601ec8c');
    expect(fnv1a64Hex('foobar')).toBe('85944171f73967e8');
  });
});

describe('trialKey', () => {
  it('ignores the order parameters are listed in', () => {
    expect(canonicalParamsJson({ b: 1, a: 'x' })).toBe('{"a":"x","b":1}');
    expect(trialKey('m', { lr: 0.1, epochs: 3 })).toBe(trialKey('m', { epochs: 3, lr: 0.1 }));
  });

  it('changes with the base model, any value, and the value type', () => {
    const key = trialKey('m', { lr: 0.1, epochs: 3 });
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(trialKey('n', { lr: 0.1, epochs: 3 })).not.toBe(key);
    expect(trialKey('m', { lr: 0.2, epochs: 3 })).not.toBe(key);
    expect(trialKey('m', { lr: 0.1, epochs: '3' })).not.toBe(key);
    expect(trialKey('m', { lr: 0.1, epochs: 3, extra: true })).not.toBe(key);
  });

  it('treats 2e-5 and 0.00002 as the same value', () => {
    expect(trialKey('m', { lr: 2e-5 })).toBe(trialKey('m', { lr: 0.00002 }));
  });
});
