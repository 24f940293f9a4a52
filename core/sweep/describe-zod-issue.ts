import { z } from 'zod';
import type { SweepFileIssue } from '../errors/sweep-file-error.js';
import { foreignEarlyTerminateKeys } from '../early-termination/early-terminate-config.js';
import { didYouMeanSuffix } from './did-you-mean.js';
import { locateYamlNode, type LocateYamlNodeOptions, type YamlSource } from './locate-yaml-node.js';

/** A zod issue restated for a person: the key path, a message, and where in the YAML to point. */
export interface DescribedIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Options for `locateYamlNode`, plus `parent` to point at the mapping that lacks a key. */
  readonly locate: LocateYamlNodeOptions & { readonly parent?: boolean };
}

/**
 * Turns one zod issue into messages that say what was expected and what was found, with a "did you
 * mean" for misspelt keys and enum values. `schema` is the schema that produced the issue; it supplies
 * the known keys of an object that received unknown ones. An issue about several unknown keys becomes
 * one message per key, each pointing at its key.
 */
export function describeZodIssue(issue: z.core.$ZodIssue, schema: z.ZodType): DescribedIssue[] {
  const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  const input: unknown = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, path, input);
      const variant = variantAt(schema, path, input);
      return issue.keys.map((key) => {
        const expected = known.length > 0 ? `; expected one of: ${known.join(', ')}` : '';
        if (variant === undefined) {
          const foreign = path[path.length - 1] === 'earlyTerminate' ? foreignEarlyTerminateKeys[key] : undefined;
          const hint = foreign === undefined ? didYouMeanSuffix(key, known) : ` (W&B's and Ray's name; pandasweep calls it ${foreign})`;
          return { path: [...path, key], message: `unknown key "${key}"${hint}${expected}`, locate: { atKey: true } };
        }
        // A key of another member (another strategy's option, say) is named as such, not corrected.
        const owners = variant.others.filter((other) => other.keys.includes(key)).map((other) => JSON.stringify(other.value));
        const hint = owners.length > 0 ? `: "${key}" only applies to ${variant.discriminator} ${owners.join(', ')}` : didYouMeanSuffix(key, known);
        return { path: [...path, key], message: `unknown key "${key}" for ${variant.discriminator} ${JSON.stringify(variant.value)}${hint}${expected}`, locate: { atKey: true } };
      });
    }
    case 'invalid_union': {
      const discriminator = (issue as { discriminator?: unknown }).discriminator;
      const union = typeof discriminator === 'string' ? unwrap(schemaAt(schema, path.slice(0, -1))) : undefined;
      if (typeof discriminator !== 'string' || !(union instanceof z.ZodUnion)) break;
      const values = members(union, discriminator).flatMap((member) => member.values);
      const got: unknown = isRecord(input) ? input[discriminator] : undefined;
      const suggestion = typeof got === 'string' ? didYouMeanSuffix(got, values.map(String)) : '';
      const found = got === undefined ? '' : `, got ${describeValue(got)}${suggestion}`;
      return [{ path, message: `expected one of ${values.map((value) => JSON.stringify(value)).join(', ')}${found}`, locate: {} }];
    }
    case 'invalid_type': {
      const expected = describeExpected(issue.expected);
      if (!('input' in issue) || input === undefined) {
        const key = path[path.length - 1];
        return [{ path, message: `missing required key "${String(key)}" (expected ${expected})`, locate: { parent: true } }];
      }
      return [{ path, message: `expected ${expected}, got ${describeValue(input)}`, locate: {} }];
    }
    case 'invalid_value': {
      const values = issue.values.map((value) => JSON.stringify(value));
      const suggestion = typeof input === 'string' ? didYouMeanSuffix(input, issue.values.map(String)) : '';
      return [{ path, message: `expected ${values.length === 1 ? values[0] : `one of ${values.join(', ')}`}, got ${describeValue(input)}${suggestion}`, locate: {} }];
    }
    case 'too_small':
    case 'too_big': {
      if (issue.origin === 'number' || issue.origin === 'int') {
        const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
        const op = issue.code === 'too_small' ? (issue.inclusive === true ? '>=' : '>') : issue.inclusive === true ? '<=' : '<';
        return [{ path, message: `expected a number ${op} ${String(bound)}, got ${describeValue(input)}`, locate: {} }];
      }
      if (issue.origin === 'string' && issue.code === 'too_small' && issue.minimum === 1) {
        return [{ path, message: 'expected a non-empty string', locate: {} }];
      }
      return [{ path, message: issue.message, locate: {} }];
    }
    case 'invalid_key': {
      const reasons = issue.issues.map((inner) => inner.message).join('; ');
      return [{ path, message: `invalid key ${describeValue(input)}: ${reasons}`, locate: { atKey: true } }];
    }
    case 'invalid_format':
      return [{ path, message: `${issue.message}, got ${describeValue(input)}`, locate: {} }];
    case 'custom': {
      const params = (issue.params ?? {}) as { needle?: unknown; key?: unknown };
      return [
        {
          path,
          message: issue.message,
          locate: {
            ...(typeof params.needle === 'string' ? { needle: params.needle } : {}),
            ...(params.key === true ? { atKey: true } : {}),
          },
        },
      ];
    }
    default:
      break;
  }
  return [{ path, message: input === undefined ? issue.message : `${issue.message}, got ${describeValue(input)}`, locate: {} }];
}

/** Describes every zod issue of a YAML file's validation (see {@link describeZodIssue}), each at its line and column. */
export function locateZodIssues(issues: readonly z.core.$ZodIssue[], schema: z.ZodType, source: YamlSource): SweepFileIssue[] {
  return issues.flatMap((issue) =>
    describeZodIssue(issue, schema).map((described) => {
      const locatePath = described.locate.parent === true ? described.path.slice(0, -1) : described.path;
      return { path: described.path, ...(locateYamlNode(source, locatePath, described.locate) ?? {}), message: described.message };
    }),
  );
}

/** Describes a value the way a message quotes it: strings in quotes, lists and mappings by kind. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

const expectedNames: Readonly<Record<string, string>> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function describeExpected(expected: string): string {
  return expectedNames[expected] ?? expected;
}

/**
 * Returns the keys an object schema accepts at `path` inside `schema`, or `[]` when it is not an
 * object. Where that is a discriminated union, `value` (the mapping found there) picks the member,
 * whose discriminator is listed first.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[], value?: unknown): string[] {
  const current = unwrap(schemaAt(schema, path));
  if (current instanceof z.ZodObject) return Object.keys(current.shape);
  const variant = variantAt(schema, path, value);
  return variant === undefined ? [] : [variant.discriminator, ...variant.keys.filter((key) => key !== variant.discriminator)];
}

/** A member of a discriminated union: the discriminator values that select it and the keys it accepts. */
interface UnionMember {
  readonly values: readonly unknown[];
  readonly keys: readonly string[];
}

/** The member of a discriminated union that a mapping selected, and the other members. */
interface SelectedVariant {
  readonly discriminator: string;
  /** The discriminator's value in the mapping. */
  readonly value: unknown;
  readonly keys: readonly string[];
  readonly others: readonly (UnionMember & { readonly value: unknown })[];
}

/** Where `path` leads to a discriminated union of objects and `value` selects one of its members, returns that member. */
function variantAt(schema: z.ZodType, path: readonly (string | number)[], value: unknown): SelectedVariant | undefined {
  const union = unwrap(schemaAt(schema, path));
  if (!(union instanceof z.ZodDiscriminatedUnion) || !isRecord(value)) return undefined;
  const discriminator = union.def.discriminator;
  const selected = value[discriminator];
  const all = members(union, discriminator);
  const member = all.find((m) => m.values.includes(selected));
  if (member === undefined) return undefined;
  const others = all.filter((m) => m !== member).map((m) => ({ ...m, value: m.values[0] }));
  return { discriminator, value: selected, keys: member.keys, others };
}

/** Lists the object members of a union with the literal values of their `discriminator`. */
function members(union: z.ZodUnion, discriminator: string): UnionMember[] {
  return (union.options as readonly z.ZodType[]).flatMap((option) => {
    const member = unwrap(option);
    if (!(member instanceof z.ZodObject)) return [];
    const shape = member.shape as Record<string, z.ZodType>;
    const literal = unwrap(shape[discriminator]);
    return literal instanceof z.ZodLiteral ? [{ values: [...literal.values], keys: Object.keys(shape) }] : [];
  });
}

/** Returns the schema at `path` inside `schema` (a union answers for the first member that has the key). */
function schemaAt(schema: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    if (current === undefined) return undefined;
    current = unwrap(childSchema(current, segment));
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function childSchema(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return Object.hasOwn(shape, segment) ? shape[segment] : undefined;
  }
  if (schema instanceof z.ZodArray) return schema.element as z.ZodType;
  if (schema instanceof z.ZodRecord) return schema.valueType as z.ZodType;
  if (schema instanceof z.ZodUnion) {
    for (const option of schema.options as readonly z.ZodType[]) {
      const inner = unwrap(option);
      const found = inner === undefined ? undefined : childSchema(inner, segment);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
      current = current.unwrap() as z.ZodType;
    } else if (current instanceof z.ZodPipe) {
      // A preprocess (transform, then schema) is described by its schema; anything else by its input.
      current = (current.in instanceof z.ZodTransform ? current.out : current.in) as z.ZodType;
    } else {
      return current;
    }
  }
}
