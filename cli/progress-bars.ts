import cliProgress from 'cli-progress';
import type { ProgressCounts } from '../report/read-sweep.js';

/** Options for `watchProgress`. */
export interface WatchProgressOptions {
  /** Reads the sweep's counts (`readProgressCounts` on its database). */
  readonly read: () => Promise<ProgressCounts>;
  readonly totals: { readonly trials: number; readonly matches: number };
  readonly stream: NodeJS.WritableStream;
  /** Poll interval in ms. Defaults to `1000`. */
  readonly intervalMs?: number;
}

/**
 * Shows two progress bars (trials trained, matches judged) fed from the database, so they are right even
 * after the CLI is restarted. Off a TTY it prints one line when the counts change. The counts never go
 * backwards (a rerun resets a reused trial's row for a moment). Returns a stop function that shows the
 * final counts once more before it settles.
 */
export function watchProgress(options: WatchProgressOptions): () => Promise<void> {
  const tty = (options.stream as NodeJS.WriteStream).isTTY === true;
  const multibar = tty
    ? new cliProgress.MultiBar(
        { stream: options.stream as NodeJS.WriteStream, format: ' {label} [{bar}] {value}/{total} {extra}| ETA {eta}', barsize: 30, hideCursor: true, clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      )
    : null;
  const trialsBar = multibar?.create(options.totals.trials, 0, { label: 'trials  ', extra: '', eta: '…' });
  const matchesBar = multibar?.create(Math.max(1, options.totals.matches), 0, { label: 'matches ', extra: '', eta: '…' });
  const started = { trials: Date.now(), matches: 0 };
  let last = '';
  let stopped = false;
  const high = { finished: 0, judged: 0 };
  const poll = async (): Promise<void> => {
    const { trials, matches, trainingSteps } = await options.read();
    if (stopped) return;
    const count = (status: string): number => trials[status] ?? 0;
    // A trial stopped early is finished too: it trains no more.
    high.finished = Math.max(high.finished, count('done') + count('failed') + count('stopped'));
    high.judged = Math.max(high.judged, matches.done);
    const { finished, judged } = high;
    const failed = count('failed');
    const training = count('training');
    const generating = count('generating');
    const planned = matches.planned;
    const matchTotal = Math.max(planned, options.totals.matches, 1);
    const waiting = count('waiting');
    const stoppedEarly = count('stopped');
    const trialExtra =
      describeRunning(training, generating, trainingSteps) +
      (waiting > 0 ? `, ${waiting} at a rung` : '') +
      (stoppedEarly > 0 ? `, ${stoppedEarly} stopped early` : '') +
      (failed > 0 ? `, ${failed} failed` : '');
    if (multibar) {
      if (judged > 0 && started.matches === 0) started.matches = Date.now();
      trialsBar?.update(finished, { extra: `${trialExtra} `, eta: eta(started.trials, finished, options.totals.trials) });
      matchesBar?.setTotal(matchTotal);
      matchesBar?.update(judged, { extra: '', eta: started.matches === 0 ? '…' : eta(started.matches, judged, matchTotal) });
    } else {
      const line = `trials ${finished}/${options.totals.trials}: ${trialExtra}; matches ${judged}/${matchTotal}`;
      if (line !== last) options.stream.write(`${line}\n`);
      last = line;
    }
  };
  // One poll at a time: a slow database must not interleave two updates.
  let polling: Promise<void> = Promise.resolve();
  const tick = (): Promise<void> => (polling = polling.then(poll).catch(() => undefined));
  const timer = setInterval(() => void tick(), options.intervalMs ?? 1000);
  return async () => {
    clearInterval(timer);
    await tick();
    stopped = true;
    multibar?.stop();
  };
}

/** `2 training (steps 12, 9), 1 generating`: what the running trials are doing, in a few words. */
export function describeRunning(training: number, generating: number, trainingSteps: readonly number[]): string {
  if (training + generating === 0) return '0 running';
  const shown = [...trainingSteps].sort((a, b) => b - a);
  const stepText = shown.length === 0 ? '' : ` (step${shown.length > 1 ? 's' : ''} ${shown.slice(0, 4).join(', ')}${shown.length > 4 ? ', …' : ''})`;
  const parts = [...(training > 0 ? [`${training} training${stepText}`] : []), ...(generating > 0 ? [`${generating} generating`] : [])];
  return parts.join(', ');
}

// cli-progress's own ETA reads "NFs" until the first unit finishes; ours says "…" until there is a rate.
function eta(since: number, done: number, total: number): string {
  if (done <= 0) return '…';
  if (done >= total) return '0s';
  const seconds = Math.round((((Date.now() - since) / done) * (total - done)) / 1000);
  return seconds < 90 ? `${seconds}s` : seconds < 5400 ? `${Math.round(seconds / 60)}m` : `${(seconds / 3600).toFixed(1)}h`;
}
