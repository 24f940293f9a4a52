import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { choiceList, gpuIds, integer, integerAtLeast, nonNegativeInteger, port, positiveInteger, positiveNumber } from '../../../cli/parse-options.js';

function refusal(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
  throw new Error('expected the value to be refused');
}

describe('integer parsers', () => {
  it('take whole numbers in decimal digits, spaces around them allowed', () => {
    expect(positiveInteger('1')).toBe(1);
    expect(positiveInteger(' 12 ')).toBe(12);
    expect(nonNegativeInteger('0')).toBe(0);
    expect(integer('-7')).toBe(-7);
    expect(integer('+3')).toBe(3);
    expect(integerAtLeast(40, 'columns')('120')).toBe(120);
  });

  it('refuse fractions, other notations, empty text and numbers too large to be exact', () => {
    for (const text of ['', ' ', 'abc', '1.5', '2.0', '1e3', '0x10', '1_000', '3 4', '9007199254740993']) {
      expect(refusal(() => integer(text)), text).toBe('Expected a whole number, e.g. 0, 42 or -1.');
    }
  });

  it('say the least value allowed, and the unit when there is one', () => {
    expect(refusal(() => positiveInteger('0'))).toBe('Expected a whole number, at least 1.');
    expect(refusal(() => positiveInteger('-2'))).toBe('Expected a whole number, at least 1.');
    expect(refusal(() => nonNegativeInteger('-1'))).toBe('Expected a whole number, at least 0.');
    expect(refusal(() => integerAtLeast(40, 'columns')('39'))).toBe('Expected a whole number of columns, at least 40.');
  });
});

describe('positiveNumber', () => {
  const seconds = positiveNumber('seconds');

  it('takes numbers above 0, fractions and exponents included', () => {
    expect(seconds('5')).toBe(5);
    expect(seconds('0.5')).toBe(0.5);
    expect(seconds('.25')).toBe(0.25);
    expect(seconds('1e-1')).toBe(0.1);
  });

  it('refuses 0, negatives, non-numbers and infinity', () => {
    for (const text of ['0', '0.0', '-1', 'abc', '', 'Infinity', '1e999', '0x10', 'NaN']) {
      expect(refusal(() => seconds(text)), text).toBe('Expected a number greater than 0 (seconds), e.g. 0.5 or 30.');
    }
  });
});

describe('port', () => {
  it('takes 1 to 65535 and refuses the rest', () => {
    expect(port('7233')).toBe(7233);
    expect(port('65535')).toBe(65535);
    for (const text of ['0', '65536', '-1', 'http', '80.5']) expect(refusal(() => port(text)), text).toBe('Expected a TCP port, a whole number from 1 to 65535.');
  });
});

describe('gpuIds', () => {
  it('reads distinct ids separated by commas, in order', () => {
    expect(gpuIds('0,1,2,3')).toEqual([0, 1, 2, 3]);
    expect(gpuIds(' 3, 1 ')).toEqual([3, 1]);
    expect(gpuIds('7')).toEqual([7]);
  });

  it('reads an empty value as no GPUs, as before', () => {
    expect(gpuIds('')).toEqual([]);
    expect(gpuIds('0,,1,')).toEqual([0, 1]);
  });

  it('names the entry that is not a GPU id', () => {
    expect(refusal(() => gpuIds('0,x'))).toBe("'x' is not a GPU id; expected distinct GPU ids (0, 1, 2, …) separated by commas, e.g. 0,1,2,3.");
    expect(refusal(() => gpuIds('-1'))).toContain("'-1' is not a GPU id");
    expect(refusal(() => gpuIds('1.5'))).toContain("'1.5' is not a GPU id");
    expect(refusal(() => gpuIds('0 1'))).toContain("'0 1' is not a GPU id");
  });

  it('refuses an id listed twice: a GPU is never shared', () => {
    expect(refusal(() => gpuIds('0,1,0'))).toBe('GPU 0 is listed twice; expected distinct GPU ids separated by commas, e.g. 0,1,2,3.');
  });
});

describe('choiceList', () => {
  const queues = choiceList(['control', 'train', 'judge'] as const, 'queue');

  it('reads choices separated by commas, in order, repeats dropped', () => {
    expect(queues('train')).toEqual(['train']);
    expect(queues('judge, control')).toEqual(['judge', 'control']);
    expect(queues('train,train,judge')).toEqual(['train', 'judge']);
  });

  it('names every unknown choice and lists the known ones', () => {
    expect(refusal(() => queues('train,gpu'))).toBe("Unknown queue 'gpu'; expected one or more of control, train, judge, separated by commas.");
    expect(refusal(() => queues('a,b'))).toBe("Unknown queues 'a', 'b'; expected one or more of control, train, judge, separated by commas.");
  });

  it('refuses an empty list', () => {
    expect(refusal(() => queues(' , '))).toBe('No queue given; expected one or more of control, train, judge, separated by commas.');
  });
});
