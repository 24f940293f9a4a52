import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { judgeCommand } from '../../../cli/commands/judge.js';

/** Runs `pandasweep judge … --json` with the shipped simulated `demo` judge and returns the parsed output. */
async function judgeJson(extra: string[]): Promise<{ mode: string; resolution: string; swapped: unknown; first: { reason?: string } }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const program = new Command().exitOverride();
  judgeCommand.register(program, { stdout, stderr: new PassThrough(), env: {}, cwd: process.cwd(), setExitCode: () => undefined });
  await program.parseAsync(['judge', '--instruction', 'Say hi.', '--response1', 'hi', '--response2', 'go away', '--judge', 'demo', '--json', ...extra], { from: 'user' });
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

describe('judge', () => {
  it("uses a sweep's defaults: verdict mode, both orders, the paper's resolution", async () => {
    const result = await judgeJson([]);
    expect(result).toMatchObject({ mode: 'verdict', resolution: 'paper' });
    expect(result.swapped).not.toBeNull();
  });

  it('takes the mode, orders and resolution from --full, --one-order and --resolution', async () => {
    const result = await judgeJson(['--full', '--one-order', '--resolution', 'first']);
    expect(result).toMatchObject({ mode: 'full', resolution: 'first', swapped: null });
    expect(result.first.reason).toMatch(/Simulated/);
  });
});
