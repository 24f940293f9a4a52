// pandasweep server [--port 7233] [--ui-port 8233]
import type { Command } from 'commander';
import { resolveStateDir } from '../../services/state-dir.js';
import { startTemporalDevServer } from '../../services/temporal-server.js';
import { exitCodes, type CliCommand, type CliContext } from '../command.js';
import { port } from '../parse-options.js';

/** `pandasweep server`: the Temporal dev server with its Web UI, for users who run workers themselves. */
export const serverCommand: CliCommand = {
  register(program: Command, ctx: CliContext) {
    program
      .command('server')
      .description('Run the local Temporal dev server with its Web UI and pandasweep\'s search attributes, until Ctrl-C.')
      .option('--port <port>', 'gRPC port (default: 7233, or the next one no other folder\'s server holds)', port)
      .option('--ui-port <port>', 'Web UI port (default: the gRPC port + 1000)', port)
      .addHelpText('after', `
The server keeps its history in <state>/temporal/dev.db, so sweeps survive a restart. It belongs to
this folder: commands run here join it (they start none of their own), commands of other folders
start their own servers on other ports.

Examples:
  $ pandasweep server
  $ TEMPORAL_ADDRESS=127.0.0.1:7233 pandasweep worker`)
      .action(async (options: { port?: number; uiPort?: number }) => {
        const server = await startTemporalDevServer({
          stateDir: resolveStateDir(ctx.env, ctx.cwd),
          env: ctx.env,
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.uiPort === undefined ? {} : { uiPort: options.uiPort }),
          log: (line) => ctx.stderr.write(`${line}\n`),
        });
        if (!server.started) {
          ctx.stderr.write(`A Temporal server already listens on ${server.address}${server.joinedPid === undefined ? '' : ` (this folder's, pid ${server.joinedPid})`}.\n`);
          ctx.setExitCode(exitCodes.failed);
          return;
        }
        ctx.stdout.write(`Temporal dev server on ${server.address}; Web UI at ${server.uiUrl}. Ctrl-C to stop.\n`);
        await new Promise<void>((resolve) => {
          process.once('SIGINT', resolve);
          process.once('SIGTERM', resolve);
        });
        await server.stop();
        ctx.setExitCode(exitCodes.ok);
      });
  },
};
