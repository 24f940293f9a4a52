// Generates the Prisma client into generated/prisma (run by `npm install` as the package's postinstall).
// Prisma 7 downloads its schema engine before generating even though generating does not use it; on a
// machine without internet that download fails, so we retry with PRISMA_SCHEMA_ENGINE_BINARY pointing
// at a stand-in for this one command only. `prisma migrate` elsewhere still gets the real engine.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (env) => spawnSync('npx', ['prisma', 'generate'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, encoding: 'utf8' });

let result = run({});
if (result.status !== 0 && process.env.PRISMA_SCHEMA_ENGINE_BINARY === undefined) {
  const standIn = ['/bin/true', '/usr/bin/true'].find((p) => existsSync(p));
  if (standIn !== undefined) {
    process.stderr.write('prisma generate could not download its engines (offline?); generating without them.\n');
    result = run({ PRISMA_SCHEMA_ENGINE_BINARY: standIn });
  }
}
process.stdout.write(result.stdout ?? '');
if (result.status !== 0) {
  process.stderr.write(result.stderr ?? '');
  process.exit(result.status ?? 1);
}
