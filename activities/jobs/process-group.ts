import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

/** Sends a signal to every process of a group; a group that is already gone is fine. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** Pids of the running (not zombie) processes whose process group is `pgid`; `null` without `/proc`. */
function liveMembers(pgid: number): number[] | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // Fields after the parenthesised command name: state ppid pgrp ...
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') pids.push(Number(entry));
  }
  return pids;
}

/**
 * Whether any non-zombie process is in the group. Orphans are re-parented to PID 1, which in a
 * container may never reap them, so a zombie must not count as alive; `/proc` tells them apart.
 */
export function groupHasLiveMembers(pgid: number): boolean {
  const members = liveMembers(pgid);
  if (members !== null) return members.length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a live process of the group has `name=value` in its environment. Guards against pid reuse:
 * a stale job is recognised by the `PANDASWEEP_JOB_ID` its launcher gave it, not by its number.
 */
export function groupCarriesEnv(pgid: number, name: string, value: string): boolean {
  const needle = `${name}=${value}`;
  return (liveMembers(pgid) ?? []).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(needle);
    } catch {
      return false;
    }
  });
}

/**
 * Stops a process group and waits until none of its processes runs: SIGTERM now (unless
 * `alreadyTerminated`), SIGKILL to whatever is left after `graceMs`, then up to 5 s for the kernel.
 */
export async function terminateGroup(pgid: number, graceMs: number, alreadyTerminated = false): Promise<void> {
  if (!groupHasLiveMembers(pgid)) return;
  if (!alreadyTerminated) signalGroup(pgid, 'SIGTERM');
  // Processes of another group cannot be awaited, so their exit is watched by polling.
  const deadline = performance.now() + graceMs;
  while (performance.now() < deadline) {
    await delay(50);
    if (!groupHasLiveMembers(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
  const killDeadline = performance.now() + 5_000;
  while (groupHasLiveMembers(pgid) && performance.now() < killDeadline) await delay(50);
}

/**
 * The process groups of the live processes that carry `name=value` in their environment (a job's
 * `PANDASWEEP_JOB_ID`): how a job is found when its launcher died before anyone learnt its group.
 */
export function groupsCarryingEnv(name: string, value: string): number[] {
  const needle = `${name}=${value}`;
  const groups = new Set<number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(needle)) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after its ")".
      const pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (Number.isInteger(pgid) && pgid > 1) groups.add(pgid);
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
  return [...groups];
}
