/**
 * The plain data an HTML report is rendered from. `readReportData` fills it from the database; the
 * renderers take it as their only input, so they stay pure and testable without a database.
 */
import type { Verdict } from '../core/judging/judge-types.js';
import type { ConfirmationSummary } from '../core/tournament/confirmation.js';

/** One trial (configuration) of the sweep. */
export interface ReportTrial {
  /** The trial's stable key (hash of its base model and parameters). */
  readonly key: string;
  readonly baseModelId: string;
  readonly index: number;
  /** Tournament block, `null` outside the blocks strategy. */
  readonly block: number | null;
  readonly isBaseline: boolean;
  readonly params: Readonly<Record<string, unknown>>;
  readonly status: string;
  readonly failureType: string | null;
  /** Why it failed, as recorded (the job's message with its last output lines), `null` unless failed. */
  readonly failureMessage: string | null;
  readonly checkpointPath: string | null;
  /** The trial workflow's id in Temporal. */
  readonly workflowId: string;
  /** The trial's most recently started job attempt, `null` before its first job. */
  readonly lastJob: ReportJobAttempt | null;
  /** Under early termination: its epochs, how far it trained, its highest rung, its checkpoints; absent otherwise. */
  readonly earlyTermination?: ReportTrialRungs;
}

/** An early-terminated trial's rungs. */
export interface ReportTrialRungs {
  /** Epochs of its full schedule. */
  readonly epochs: number;
  /** Epochs of its last checkpoint that answered (0 before the first). */
  readonly epochsTrained: number;
  /** Its highest rung (0-based), `null` before the first. */
  readonly rung: number | null;
  /** Its checkpoints that answered the instructions, by epoch. */
  readonly checkpoints: readonly { readonly epoch: number; readonly rung: number | null; readonly path: string }[];
}

/** One attempt of a trial's training or generation job, and where its output went. */
export interface ReportJobAttempt {
  /** `train` or `generate`. */
  readonly kind: string;
  readonly attempt: number;
  readonly stdoutPath: string;
  readonly stderrPath: string;
}

/** One trial's place in its base model's tournament. */
export interface ReportStanding {
  readonly baseModelId: string;
  readonly trialKey: string;
  /** The ranked checkpoint's epoch under early termination; `null` for the trial's trained model. */
  readonly epoch: number | null;
  /** The tournament entrant: `trialKey`, or `trialKey@epoch` for a checkpoint. */
  readonly entrant: string;
  readonly rank: number;
  readonly matches: number;
  readonly wins: number;
  readonly losses: number;
  readonly ties: number;
  readonly points: number;
  /** Instruction-level win rate in [0, 1]. */
  readonly score: number;
  /** Bradley–Terry rating on the Elo scale (1000 = average entrant). */
  readonly rating: number;
  readonly ciLow: number;
  readonly ciHigh: number;
}

/** One played (or planned) match: A and B are trial keys; wins and ties count instructions. */
export interface ReportMatch {
  readonly id: string;
  readonly baseModelId: string;
  readonly stage: string;
  readonly block: number | null;
  readonly round: number;
  readonly a: string;
  readonly b: string;
  readonly status: string;
  readonly aWins: number;
  readonly bWins: number;
  readonly ties: number;
}

/** The best trial of one base model. */
export interface ReportBest {
  readonly baseModelId: string;
  readonly trialKey: string;
  /** The best checkpoint's epoch under early termination; `null` otherwise. */
  readonly epoch: number | null;
  /** The tournament entrant picked: `trialKey`, or `trialKey@epoch`. */
  readonly entrant: string;
  readonly checkpointPath: string | null;
}

/** Tuned vs default: a base model's best trial against the sweep's baseline, by one judge (counts and win rate as `ConfirmationSummary`). */
export interface ReportConfirmation extends ConfirmationSummary {
  readonly baseModelId: string;
  /** `tournament` for the sweep's own judge. */
  readonly judge: string;
  readonly judgeId: string;
  readonly bestTrialKey: string;
  readonly baselineTrialKey: string;
  /** A second-opinion judge's instructions resolved as the tournament judge resolved them, of those both judged; `null` for the tournament judge. */
  readonly agreed: number | null;
  readonly shared: number | null;
}

/** One trial's downstream evaluation (the sweep's `evaluate` job), picked after its tournament. */
export interface ReportEvaluation {
  readonly baseModelId: string;
  readonly trialKey: string;
  /** running, done, failed or cancelled. */
  readonly status: string;
  /** Why it failed (type: message), `null` unless failed. */
  readonly error: string | null;
  /** Results by name (`toy_task/acc`, `arc_easy/acc,none`), in name order. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** One training curve: a metric of one trial over steps. */
export interface ReportCurve {
  readonly baseModelId: string;
  readonly trialKey: string;
  readonly name: string;
  /** `[step, value]` pairs in step order. */
  readonly points: readonly (readonly [number, number])[];
}

/** One judgment as the statistics need it (no texts). */
export interface ReportJudgment {
  readonly matchId: string;
  readonly instructionId: string;
  /** 1: trial A shown first; 2: trial B shown first. */
  readonly order: 1 | 2;
  /** In the shown order's labels. */
  readonly verdict: Verdict;
  readonly probOne: number | null;
  readonly probTwo: number | null;
  readonly probTie: number | null;
  /** The prompt's length in tokens and how many the judge evaluated, where the backend counts them. */
  readonly promptTokens: number | null;
  readonly evaluatedTokens: number | null;
  readonly judgeId: string;
  readonly latencyMs: number;
}

/** A judgment shown in full, with the judge's reason. */
export interface ReportExample {
  readonly matchId: string;
  readonly baseModelId: string;
  readonly trialA: string;
  readonly trialB: string;
  readonly instruction: string;
  readonly input: string;
  /** The response shown first and second, in this judgment's order. */
  readonly response1: string;
  readonly response2: string;
  readonly order: 1 | 2;
  readonly verdict: Verdict;
  readonly reason: string | null;
  readonly reference: string | null;
}

/** Everything a report shows. */
export interface ReportData {
  readonly sweep: {
    readonly id: string;
    readonly name: string;
    readonly file: string;
    readonly status: string;
    readonly workflowId: string;
    /** ISO timestamps. */
    readonly createdAt: string;
    readonly finishedAt: string | null;
  };
  /** When the report was made (ISO timestamp). */
  readonly generatedAt: string;
  /** Base URL of the Temporal Web UI the workflow links point at (no trailing slash). */
  readonly temporalUiUrl: string;
  /** Temporal namespace of the workflows. */
  readonly temporalNamespace: string;
  readonly trials: readonly ReportTrial[];
  readonly standings: readonly ReportStanding[];
  readonly best: readonly ReportBest[];
  readonly confirmations: readonly ReportConfirmation[];
  readonly evaluations: readonly ReportEvaluation[];
  readonly matches: readonly ReportMatch[];
  readonly curves: readonly ReportCurve[];
  readonly judgments: readonly ReportJudgment[];
  readonly examples: readonly ReportExample[];
}
