/**
 * Option-argument parsers for commander's `Option#argParser` (or the parser argument of
 * `Command#option`). Each throws commander's `InvalidArgumentError`, so a bad value is refused while
 * parsing, before any command runs, and commander prints the option, the value and what was expected:
 *
 *   error: option '--width <columns>' argument '20' is invalid. Expected a whole number of columns, at least 40.
 *
 * `cli/main.ts` turns that (a `CommanderError`) into the usage exit code, as it does every other
 * parse error.
 */
import { InvalidArgumentError } from 'commander';

const integerPattern = /^[+-]?\d+$/;
const decimalPattern = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses `text` as a safe integer written in decimal digits (no `1e3`, `0x10` or `2.0`); `undefined` otherwise. */
function toInteger(text: string): number | undefined {
  const trimmed = text.trim();
  if (!integerPattern.test(trimmed)) return undefined;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A parser of whole numbers of at least `min`; `unit` names what is counted in the message ("columns"). */
export function integerAtLeast(min: number, unit?: string): (value: string) => number {
  return (value) => {
    const n = toInteger(value);
    if (n === undefined || n < min) throw new InvalidArgumentError(`Expected a whole number${unit === undefined ? '' : ` of ${unit}`}, at least ${min}.`);
    return n;
  };
}

/** Whole numbers 1, 2, 3, … (a count of things done at once, a limit). */
export const positiveInteger = integerAtLeast(1);

/** Whole numbers 0, 1, 2, … (how many of something to include, where none is fine). */
export const nonNegativeInteger = integerAtLeast(0);

/** Any whole number, negative included (a seed). */
export function integer(value: string): number {
  const n = toInteger(value);
  if (n === undefined) throw new InvalidArgumentError(`Expected a whole number, e.g. 0, 42 or -1.`);
  return n;
}

/** A parser of numbers greater than 0, fractions allowed (`0.5` seconds); `unit` is named in the message. */
export function positiveNumber(unit?: string): (value: string) => number {
  return (value) => {
    const trimmed = value.trim();
    const n = decimalPattern.test(trimmed) ? Number(trimmed) : Number.NaN;
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`Expected a number greater than 0${unit === undefined ? '' : ` (${unit})`}, e.g. 0.5 or 30.`);
    return n;
  };
}

/** A TCP port, 1 to 65535. */
export function port(value: string): number {
  const n = toInteger(value);
  if (n === undefined || n < 1 || n > 65535) throw new InvalidArgumentError('Expected a TCP port, a whole number from 1 to 65535.');
  return n;
}

/**
 * Distinct GPU ids separated by commas (`0,1,2,3`), as `CUDA_VISIBLE_DEVICES` takes them. Spaces and
 * empty entries are ignored, so an empty value is an empty list: a worker that hands out no GPU.
 */
export function gpuIds(value: string): number[] {
  const ids: number[] = [];
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const id = /^\d+$/.test(entry) ? Number(entry) : Number.NaN;
    if (!Number.isSafeInteger(id)) throw new InvalidArgumentError(`'${entry}' is not a GPU id; expected distinct GPU ids (0, 1, 2, …) separated by commas, e.g. 0,1,2,3.`);
    if (ids.includes(id)) throw new InvalidArgumentError(`GPU ${id} is listed twice; expected distinct GPU ids separated by commas, e.g. 0,1,2,3.`);
    ids.push(id);
  }
  return ids;
}

/**
 * A parser of a comma-separated list of `choices` (`control,judge`): at least one, each a choice,
 * repeats dropped, in the order given. `noun` names one item in the messages ("queue").
 */
export function choiceList<T extends string>(choices: readonly T[], noun: string): (value: string) => T[] {
  const expected = `expected one or more of ${choices.join(', ')}, separated by commas`;
  return (value) => {
    const items = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(`No ${noun} given; ${expected}.`);
    const unknown = items.filter((item) => !(choices as readonly string[]).includes(item));
    if (unknown.length > 0) throw new InvalidArgumentError(`Unknown ${noun}${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `'${u}'`).join(', ')}; ${expected}.`);
    return [...new Set(items as T[])];
  };
}
