#!/usr/bin/env node
// Process entry of the builtin generator (`generate: {builtin: llama}`): the job activity runs this file
// with the worker's own node in place of `pandasweep:generate-llama`. Plain JS that loads the TypeScript
// through tsx, resolved from this file rather than from the job's working folder.
import { register } from 'tsx/esm/api';

register();
const { runGenerateLlamaCli } = await import('./generate-llama.ts');
try {
  process.exitCode = await runGenerateLlamaCli(process.argv.slice(2), process.env, process.stderr);
} catch (error) {
  process.stderr.write(`generate-llama: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
