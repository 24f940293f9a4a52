/**
 * Where the Temporal CLI is found: TEMPORAL_CLI_PATH, then `temporal` on PATH, then the binary the
 * Temporal SDK caches in the temp folder. The SDK's download itself needs internet, which the test
 * machines lack: only its cache is exercised here, with fake executables.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../../services/temporal-cli.js';

let root: string;
let bin: string;
let cache: string;
let emptyCache: string;

async function executable(file: string, mode = 0o755): Promise<string> {
  await writeFile(file, '#!/bin/sh\n');
  await chmod(file, mode);
  return file;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'pandasweep-cli-'));
  bin = path.join(root, 'bin');
  cache = path.join(root, 'cache');
  emptyCache = path.join(root, 'empty');
  await Promise.all([mkdir(bin), mkdir(cache), mkdir(emptyCache)]);
  await executable(path.join(bin, 'temporal'));
  await executable(path.join(cache, 'temporal-sdk-typescript-1.11.0'));
  await executable(path.join(cache, 'temporal-sdk-typescript-1.24.0'));
  await executable(path.join(cache, 'temporal-sdk-typescript-1.30.0.downloading'));
  await executable(path.join(cache, 'temporal-sdk-typescript-9.9.9'), 0o644);
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('findTemporalCli', () => {
  it('takes TEMPORAL_CLI_PATH first, and only if it is executable', async () => {
    const explicit = await executable(path.join(root, 'my-temporal'));
    expect(await findTemporalCli({ TEMPORAL_CLI_PATH: explicit, PATH: bin }, { sdkCacheDir: cache })).toBe(explicit);
    expect(await findTemporalCli({ TEMPORAL_CLI_PATH: path.join(root, 'missing'), PATH: bin }, { sdkCacheDir: cache })).toBeNull();
  });

  it('then `temporal` on PATH', async () => {
    expect(await findTemporalCli({ PATH: `/nonexistent${path.delimiter}${bin}` }, { sdkCacheDir: cache })).toBe(path.join(bin, 'temporal'));
  });

  it("then the SDK's cached download: this SDK version's, never a partial download or a file that cannot run", async () => {
    expect(await findTemporalCli({ PATH: '' }, { sdkCacheDir: cache })).toBe(path.join(cache, 'temporal-sdk-typescript-1.24.0'));
  });

  it('and null when there is none and downloading was not asked for', async () => {
    expect(await findTemporalCli({ PATH: '' }, { sdkCacheDir: emptyCache })).toBeNull();
  });
});
