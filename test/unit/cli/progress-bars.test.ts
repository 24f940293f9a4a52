import { describe, expect, it } from 'vitest';
import { describeRunning } from '../../../cli/progress-bars.js';

describe('describeRunning', () => {
  it('says what the running trials do, with the steps training has reached, highest first', () => {
    expect(describeRunning(2, 1, [9, 12])).toBe('2 training (steps 12, 9), 1 generating');
    expect(describeRunning(1, 0, [3])).toBe('1 training (step 3)');
    expect(describeRunning(0, 2, [])).toBe('2 generating');
  });

  it('leaves steps out before the first metric, and shortens a long list', () => {
    expect(describeRunning(3, 0, [])).toBe('3 training');
    expect(describeRunning(6, 0, [1, 2, 3, 4, 5, 6])).toBe('6 training (steps 6, 5, 4, 3, …)');
  });

  it('says nothing runs when nothing does', () => {
    expect(describeRunning(0, 0, [])).toBe('0 running');
  });
});
