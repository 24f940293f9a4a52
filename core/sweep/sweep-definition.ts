/**
 * A sweep's definition as far as its recorded results depend on it: what makes a trained model and its
 * answers (the jobs, each base model's fields), what the answers answer (the evaluation instructions'
 * texts) and what judged them (the judge config, mode and orders). Recorded with the sweep; a rerun
 * compares it with the file's to know which recorded results are still true. Pure: the CLI and
 * registration share it.
 */
import { z } from 'zod';
import type { EvalInstruction } from './eval-set.js';
import type { SweepPlan } from './sweep-plan.js';
import type { JobSpec } from './sweep-spec.js';
import { fnv1a64Hex } from '../ids/trial-key.js';

/** Digests of everything recorded results depend on. */
export interface SweepDefinition {
  readonly version: 1;
  /** The train and generate jobs: command, non-secret env values (secret names only), workdir. */
  readonly jobs: { readonly train: string; readonly generate: string };
  /** Per base model id, its fields (`{{baseModel.<field>}}`). */
  readonly baseModels: Readonly<Record<string, string>>;
  /** Per instruction id judged (after `eval.limit`), its instruction and input. */
  readonly eval: Readonly<Record<string, string>>;
  readonly judge: { readonly config: string; readonly digest: string; readonly mode: string; readonly swap: boolean };
  /**
   * Early termination's rungs (epochs, reduction factor, epochs parameter): checkpoints are taken at them,
   * so other rungs make the recorded ones stale. Absent: no early termination (and in older records).
   */
  readonly earlyTerminate?: string;
}

/** One difference between a recorded definition and the file's, and which results it makes stale. */
export interface DefinitionChange {
  readonly what: string;
  /** `trials`: trained models and answers (and so their matches); `matches`: only the judgments. */
  readonly stale: 'trials' | 'matches';
  /** The base models whose results it touches; `null` for all. */
  readonly baseModelIds: readonly string[] | null;
}

/** Builds the definition of a plan, its judged instructions and its judge config (as read, paths absolute). */
export function sweepDefinition(plan: SweepPlan, instructions: readonly EvalInstruction[], judgeConfig: unknown): SweepDefinition {
  return {
    version: 1,
    jobs: { train: jobDigest(plan.train), generate: jobDigest(plan.generate) },
    baseModels: Object.fromEntries(plan.baseModels.map((b) => [b.id, digest(b.fields)])),
    eval: Object.fromEntries(instructions.slice(0, plan.eval.count).map((item) => [item.id, digest({ instruction: item.instruction, input: item.input })])),
    judge: { config: plan.judge.config, digest: digest(judgeConfig), mode: plan.judge.mode, swap: plan.judge.swap },
    ...(plan.earlyTerminate === undefined ? {} : { earlyTerminate: digest({ rungs: plan.earlyTerminate.rungs, eta: plan.earlyTerminate.eta, epochs: plan.earlyTerminate.epochsParameter }) }),
  };
}

/** Lists what differs between the recorded definition and the current one; empty when nothing recorded is stale. */
export function definitionChanges(recorded: SweepDefinition, current: SweepDefinition): DefinitionChange[] {
  const changes: DefinitionChange[] = [];
  for (const job of ['train', 'generate'] as const) {
    if (recorded.jobs[job] !== current.jobs[job]) changes.push({ what: `the ${job} job changed (its command, env or workdir)`, stale: 'trials', baseModelIds: null });
  }
  const changedModels = Object.keys(current.baseModels).filter((id) => id in recorded.baseModels && recorded.baseModels[id] !== current.baseModels[id]);
  if (changedModels.length > 0) changes.push({ what: `the fields of base model${changedModels.length === 1 ? '' : 's'} ${changedModels.join(', ')} changed`, stale: 'trials', baseModelIds: changedModels });
  if (recorded.earlyTerminate !== current.earlyTerminate) {
    const what = recorded.earlyTerminate === undefined ? 'early termination was turned on' : current.earlyTerminate === undefined ? 'early termination was turned off' : 'the early-termination rungs changed (minEpochs, eta or the epochs parameter)';
    changes.push({ what: `${what}: checkpoints are taken at other epochs`, stale: 'trials', baseModelIds: null });
  }
  const evalChange = describeEvalChange(recorded.eval, current.eval);
  if (evalChange !== undefined) changes.push({ what: evalChange, stale: 'trials', baseModelIds: null });
  const judge = describeJudgeChange(recorded.judge, current.judge);
  if (judge !== undefined) changes.push({ what: judge, stale: 'matches', baseModelIds: null });
  return changes;
}

function describeEvalChange(recorded: Readonly<Record<string, string>>, current: Readonly<Record<string, string>>): string | undefined {
  const ids = Object.keys(current);
  const changed = ids.filter((id) => id in recorded && recorded[id] !== current[id]).length;
  const added = ids.filter((id) => !(id in recorded)).length;
  const removed = Object.keys(recorded).filter((id) => !(id in current)).length;
  if (changed + added + removed === 0) return undefined;
  const parts = [[changed, 'changed'], [added, 'new'], [removed, 'gone']].filter(([count]) => count !== 0).map(([count, word]) => `${count} ${word}`);
  return `the evaluation instructions changed (${parts.join(', ')})`;
}

function describeJudgeChange(recorded: SweepDefinition['judge'], current: SweepDefinition['judge']): string | undefined {
  if (recorded.config !== current.config) return `the judge changed (${recorded.config} -> ${current.config})`;
  if (recorded.digest !== current.digest) return `the judge config ${current.config} changed`;
  if (recorded.mode !== current.mode) return `the judge mode changed (${recorded.mode} -> ${current.mode})`;
  if (recorded.swap !== current.swap) return `judge.swap changed (${recorded.swap} -> ${current.swap})`;
  return undefined;
}

/** The digest of what a job's results depend on: its command, non-secret env values (secret names only) and workdir. */
export function jobDigest(job: JobSpec): string {
  return digest(jobIdentity(job));
}

function jobIdentity(job: JobSpec): unknown {
  return { command: job.command, workdir: job.workdir, env: Object.fromEntries(Object.entries(job.env).map(([name, value]) => [name, typeof value === 'string' ? value : '<secret>'])) };
}

function digest(value: unknown): string {
  return fnv1a64Hex(canonicalJson(value));
}

// Object keys sorted, so equal values written in another key order have one digest.
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const digests = z.record(z.string(), z.string());
const definitionSchema = z.object({
  version: z.literal(1),
  jobs: z.object({ train: z.string(), generate: z.string() }),
  baseModels: digests,
  eval: digests,
  judge: z.object({ config: z.string(), digest: z.string(), mode: z.string(), swap: z.boolean() }),
  earlyTerminate: z.string().optional(),
});

/** Reads a recorded definition back, or `null` for a sweep recorded before definitions were (or in another version). */
export function readRecordedDefinition(value: unknown): SweepDefinition | null {
  const parsed = definitionSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
