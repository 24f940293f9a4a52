/**
 * The first SIGINT or SIGTERM asks a long command to stop cleanly (its jobs, worker, database and local
 * server); a second one forces the process out at once. Node's default would kill the process on the
 * first signal, but the Temporal runtime installs its own handlers, so without these a command waiting
 * on a workflow would wait on forever.
 */
import { exitCodes } from './command.js';

/** A settled-once promise of the first stop signal; `dispose` removes the handlers. */
export interface InterruptSignal extends Disposable {
  /** Resolves with the signal's name on the first SIGINT or SIGTERM. */
  readonly received: Promise<NodeJS.Signals>;
}

/** Listens for SIGINT and SIGTERM; `onFirst` is told at once (to say what happens next). */
export function listenForInterrupt(onFirst: (signal: NodeJS.Signals) => void): InterruptSignal {
  let first: NodeJS.Signals | undefined;
  let resolve!: (signal: NodeJS.Signals) => void;
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handler = (signal: NodeJS.Signals): void => {
    if (first !== undefined) process.exit(exitCodes.interrupted);
    first = signal;
    onFirst(signal);
    resolve(signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const signal of signals) process.on(signal, handler);
  return { received, [Symbol.dispose]: () => signals.forEach((signal) => process.off(signal, handler)) };
}
