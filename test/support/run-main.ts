/**
 * Runs the CLI's `main` in-process, as `bin/pandasweep.js` does but with captured output, and hands
 * back the commander program it built, so tests can read the registered commands and options.
 */
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Command } from 'commander';
import { vi } from 'vitest';

type Main = typeof import('../../cli/main.js').main;

/** What one `pandasweep <argv>` run produced. */
export interface MainRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The top-level program `main` built and parsed with. */
  readonly program: Command;
}

let loaded: Promise<Main> | undefined;

/** Imports `cli/main.ts` without letting it run on `process.argv` (it does unless PANDASWEEP_NO_MAIN=1). */
function loadMain(): Promise<Main> {
  loaded ??= (async () => {
    const saved = process.env.PANDASWEEP_NO_MAIN;
    process.env.PANDASWEEP_NO_MAIN = '1';
    try {
      return (await import('../../cli/main.js')).main;
    } finally {
      if (saved === undefined) delete process.env.PANDASWEEP_NO_MAIN;
      else process.env.PANDASWEEP_NO_MAIN = saved;
    }
  })();
  return loaded;
}

function collect(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

/** Runs `pandasweep <argv>` with an empty environment (no TEMPORAL_ADDRESS, no DATABASE_URL). */
export async function runMain(argv: readonly string[], cwd = process.cwd()): Promise<MainRun> {
  const main = await loadMain();
  const out = collect();
  const err = collect();
  const parse = vi.spyOn(Command.prototype, 'parseAsync');
  try {
    const code = await main(argv, { stdout: out.stream, stderr: err.stream, env: {}, cwd });
    await nextTurn();
    const program = parse.mock.contexts[0] as Command | undefined;
    if (program === undefined) throw new Error('main() did not parse with a commander program');
    return { code, stdout: out.text(), stderr: err.text(), program };
  } finally {
    parse.mockRestore();
  }
}
