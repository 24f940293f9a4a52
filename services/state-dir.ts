import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/** Name of the state folder created in the working directory, like MLflow's `mlruns/`. */
export const defaultStateDirName = '.pandasweep';

/**
 * Returns the folder that holds everything pandasweep keeps on this machine (the embedded database,
 * the dev server's history, trial folders, logs): `PANDASWEEP_HOME`, else `./.pandasweep`.
 */
export function resolveStateDir(env: NodeJS.ProcessEnv, cwd: string): string {
  const fromEnv = env.PANDASWEEP_HOME;
  return path.resolve(cwd, fromEnv !== undefined && fromEnv !== '' ? fromEnv : defaultStateDirName);
}

/** Creates the state folder (and `sub`, when given) and returns the resulting path. */
export async function ensureStateSubdir(stateDir: string, ...sub: string[]): Promise<string> {
  const dir = path.join(stateDir, ...sub);
  await mkdir(dir, { recursive: true });
  return dir;
}
