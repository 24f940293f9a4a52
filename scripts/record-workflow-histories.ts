/**
 * Saves the histories of a finished sweep's workflows (the sweep, its first trial and first evaluation,
 * each tournament) as JSON under test/fixtures/histories/, for the replay test that keeps workflow changes deterministic
 * (a change to the order of a workflow's commands must ship behind `patched()`).
 *
 * Usage: TEMPORAL_ADDRESS=127.0.0.1:7233 tsx scripts/record-workflow-histories.ts <sweepId> [<out-dir>]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { execa } from 'execa';

const [sweepId, outArg] = process.argv.slice(2);
if (sweepId === undefined) {
  process.stderr.write('Usage: tsx scripts/record-workflow-histories.ts <sweepId> [<out-dir>]\n');
  process.exit(2);
}
const out = outArg ?? fileURLToPath(new URL('../test/fixtures/histories', import.meta.url));
const address = process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
const connection = await Connection.connect({ address });
const client = new Client({ connection });
try {
  const ids = [sweepId];
  const seen = new Set<string>();
  for await (const wf of client.workflow.list({ query: `SweepId = "${sweepId}"` })) {
    const firstOfItsType = (type: string) => !seen.has(type) && seen.add(type) !== undefined;
    if (wf.type === 'tournamentWorkflow' || ((wf.type === 'trialWorkflow' || wf.type === 'evaluationWorkflow') && firstOfItsType(wf.type))) ids.push(wf.workflowId);
  }
  await mkdir(out, { recursive: true });
  for (const id of ids) {
    // The CLI writes proto3 JSON, which `historyFromJSON` reads back (the SDK's own historyToJSON trips over
    // two copies of protobufjs here).
    const { stdout } = await execa('temporal', ['workflow', 'show', '--workflow-id', id, '--address', address, '--output', 'json']);
    const file = path.join(out, `${id.replaceAll('/', '__')}.json`);
    await writeFile(file, `${stdout.trim()}\n`);
    process.stdout.write(`${file}\n`);
  }
} finally {
  await connection.close();
}
