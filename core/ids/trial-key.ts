import type { ParamValue } from '../sweep/sweep-spec.js';

const fnvOffset64 = 0xcbf29ce484222325n;
const fnvPrime64 = 0x100000001b3n;
const mask64 = 0xffffffffffffffffn;

/**
 * Returns a JSON text of `params` with keys sorted, so two equal configurations serialise
 * identically whatever order their parameters were declared in.
 */
export function canonicalParamsJson(params: Readonly<Record<string, ParamValue>>): string {
  const sorted = Object.keys(params)
    .sort()
    .map((name) => `${JSON.stringify(name)}:${JSON.stringify(params[name])}`);
  return `{${sorted.join(',')}}`;
}

/** Returns the 64-bit FNV-1a hash of the UTF-8 bytes of `text`, as 16 lowercase hex digits. */
export function fnv1a64Hex(text: string): string {
  let hash = fnvOffset64;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * fnvPrime64) & mask64;
  }
  return hash.toString(16).padStart(16, '0');
}

/**
 * Returns a trial's stable identity: a hash of the base model id and the fully resolved parameters.
 * Editing a sweep (adding values, reordering keys, renaming it) keeps the key of every configuration
 * that still exists, so finished trials are reused; changing any value, constants included, makes a
 * new trial. Base model fields other than `id` are not hashed: renaming a path or chat template does
 * not invalidate finished work.
 */
export function trialKey(baseModelId: string, params: Readonly<Record<string, ParamValue>>): string {
  return fnv1a64Hex(`${baseModelId}\n${canonicalParamsJson(params)}`);
}
