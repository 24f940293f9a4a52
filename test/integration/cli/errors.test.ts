/**
 * What a user sees when something outside pandasweep is wrong: a one-paragraph error that says what to
 * do, no stack trace, and the documented exit code.
 */
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { binPath, repoRoot, runCli } from '../../support/run-cli.js';

const demo = path.join(repoRoot, 'sweeps/demo.yaml');
const stackLine = /\n\s+at .+\(.*:\d+:\d+\)/;

describe('CLI errors', () => {
  it('a reader that closes the pipe early (`--help | head -1`) ends the CLI quietly with exit 0', async () => {
    const child = execa('node', [binPath, 'judge-eval', '--help'], { cwd: repoRoot, reject: false, buffer: { stdout: false } });
    // Read one chunk, then close our end, as `head -1` does.
    child.stdout!.once('data', () => child.stdout!.destroy());
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('EPIPE');
    expect(result.stderr).not.toMatch(stackLine);
  });

  it('a missing sweep file is a usage error naming the file (exit 2)', async () => {
    const run = await runCli(['run', 'sweeps/nope.yaml']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Cannot read the sweep file sweeps/nope.yaml: no such file');
    expect(run.stderr).toContain('Check the path');
    expect(run.stderr).not.toMatch(stackLine);
  });

  it('an unreachable Temporal says which address and what to do (exit 1)', async () => {
    const run = await runCli(['run', demo], { env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Cannot reach Temporal at 127.0.0.1:1');
    expect(run.stderr).toContain('unset TEMPORAL_ADDRESS');
    expect(run.stderr).not.toMatch(stackLine);
  });

  it('a wrong DATABASE_URL says so, hides the password, and does not start the sweep (exit 1)', async () => {
    const run = await runCli(['run', demo], {
      env: { TEMPORAL_ADDRESS: process.env.PANDASWEEP_TEST_TEMPORAL_ADDRESS!, DATABASE_URL: 'postgresql://pandasweep:hunter2@127.0.0.1:1/nowhere' },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('Cannot connect to PostgreSQL at postgresql://pandasweep:***@127.0.0.1:1/nowhere');
    expect(run.stderr).toContain('DATABASE_URL');
    expect(run.stderr).not.toContain('hunter2');
    expect(run.stderr).not.toMatch(stackLine);
  });

  it('--verbose shows the stack of an operational error', async () => {
    const run = await runCli(['run', demo, '--verbose'], { env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
