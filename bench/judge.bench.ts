/**
 * Judge throughput on a real model, side by side with PandaLM's own pipeline and llama.cpp's limit, all
 * on the same weights. In one run:
 *
 * - `limit`: llama.cpp's raw prompt throughput on a shuffled sample of PandaLM test-set prompts, evaluated
 *   from an empty cache with no sampling, at the best of several batch sizes and 1 or N sequences (the
 *   physical limit on this machine);
 * - `verdict`: pandasweep's verdict mode on the same sample (little prefix to reuse), with 1 and with N
 *   sequences, on contiguous lanes as the judge activity runs them;
 * - `tournament`: verdict mode over one simulated block round robin (16 trials whose answers are test-set
 *   responses, every pair in both orders) in the judge activity's prefix order, on 1 and on N lanes, with
 *   the prompt tokens evaluated per judgment against the full prompt length;
 * - `full`: full mode (generation up to --max-tokens with PandaLM's repetition penalty) on the sample;
 * - `reference`: PandaLM's pipeline in transformers (bench/pandalm-reference.py: 4 beams, penalty 1.2,
 *   512 new tokens, one prompt at a time) on a shuffled sample of the round robin's own prompts.
 *
 * The verdict and tournament runs on 1 and N sequences take turns chunk by chunk (`timePaired`), and the
 * limit's runs are repeated `--repeats` times (the median counts), so background load on a shared machine
 * falls on both sides of a ratio. Prints one JSON document with judgments/s, prompt tokens/s, the ratios
 * and the goals.
 *
 * Usage: tsx bench/judge.bench.ts [--model file.gguf|tiny] [--threads 2] [--sequences 2] [--gpu auto|cuda|false]
 *        [--trials 16] [--instructions 1] [--sample 16] [--full-prompts 4] [--reference-prompts 3]
 *        [--max-tokens 512] [--batch-sizes 128,512] [--flash-attention auto|true|false] [--repeats 3]
 * `--model tiny` generates the random-weight test model (8,000 BPE merges learned from held-out test items,
 * so prompts have about LLaMA's token counts): a fast check of the machinery, not a judge.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { getLlama } from 'node-llama-cpp';
import { pandaLMFormat } from '../core/judge-formats/pandalm.js';
import type { JudgeRequest, PromptTokenCount } from '../core/judging/judge-types.js';
import type { Judge } from '../judges/judge.js';
import { judgeInLanes, laneRanges } from '../judges/judge-in-lanes.js';
import { createLlamaJudge, type LlamaJudgeOptions } from '../judges/llama-judge.js';
import { promptTokens } from '../judges/llama-prompt-tokens.js';
import { writeTinyGguf } from '../test/support/write-tiny-gguf.js';
import { benchRequests, blockRoundRobin, heldOutPieces } from './pandalm-bench-text.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const defaultModel = join(repoRoot, 'models/SmolLM2-135M-Instruct.Q4_1.gguf');

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: defaultModel },
    threads: { type: 'string', default: '2' },
    sequences: { type: 'string', default: '2' },
    gpu: { type: 'string', default: 'auto' },
    trials: { type: 'string', default: '16' },
    instructions: { type: 'string', default: '1' },
    sample: { type: 'string', default: '16' },
    'full-prompts': { type: 'string', default: '4' },
    'reference-prompts': { type: 'string', default: '3' },
    'max-tokens': { type: 'string', default: '512' },
    'batch-sizes': { type: 'string', default: '128,512' },
    'flash-attention': { type: 'string', default: 'auto' },
    repeats: { type: 'string', default: '3' },
  },
});

const int = (name: keyof typeof values): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number, got ${String(values[name])}`);
  return value;
};
if (!['auto', 'true', 'false'].includes(values['flash-attention'])) throw new Error('--flash-attention is auto, true or false');
if (!['auto', 'cuda', 'false'].includes(values.gpu)) throw new Error('--gpu is auto, cuda or false');
const threads = int('threads');
const sequences = Math.max(1, int('sequences'));
const gpu: 'auto' | 'cuda' | false = values.gpu === 'false' ? false : values.gpu === 'cuda' ? 'cuda' : 'auto';
const flashAttention: 'auto' | boolean = values['flash-attention'] === 'auto' ? 'auto' : values['flash-attention'] === 'true';
const maxTokens = int('max-tokens');
const batchSizes = values['batch-sizes'].split(',').map(Number);

/** A deterministic shuffle (so the sample's neighbours share little more than the header). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** What `timeJudge` and `timePaired` measure. */
type Timing = ReturnType<typeof timing>;

/** Seconds and prompt tokens (full and evaluated) of `requests` judged on `lanes` lanes, as the judge activity runs them. */
async function judgeTimed(judge: Judge, requests: readonly JudgeRequest[], mode: 'verdict' | 'full', lanes: number) {
  return judgeRangesTimed(judge, laneRanges(requests, lanes), mode);
}

/** Seconds and prompt tokens of each lane's own requests, the lanes judged at once. */
async function judgeRangesTimed(judge: Judge, ranges: readonly (readonly JudgeRequest[])[], mode: 'verdict' | 'full') {
  const counts: PromptTokenCount[] = [];
  const started = performance.now();
  await Promise.all(
    ranges.map((range) =>
      judgeInLanes(range, async (request) => (await judge.judge(request, { mode })).promptTokens, {
        lanes: 1,
        batchSize: 1,
        store: async (results) => void counts.push(...results.filter((c) => c !== undefined)),
      }),
    ),
  );
  return { seconds: (performance.now() - started) / 1000, counts };
}

function timing(judgments: number, lanes: number, seconds: number, counts: readonly PromptTokenCount[]) {
  const total = counts.reduce((sum, c) => sum + c.total, 0);
  const evaluated = counts.reduce((sum, c) => sum + c.evaluated, 0);
  return {
    judgments,
    lanes,
    seconds: round(seconds),
    judgmentsPerSecond: round(judgments / seconds),
    meanPromptTokens: round(total / judgments),
    meanEvaluatedTokens: round(evaluated / judgments),
    evaluatedTokensPerSecond: round(evaluated / seconds),
  };
}

/** Judgments per second and prompt tokens (full and evaluated) of `requests` judged on `lanes` lanes. */
async function timeJudge(judge: Judge, requests: readonly JudgeRequest[], mode: 'verdict' | 'full', lanes: number) {
  const { seconds, counts } = await judgeTimed(judge, requests, mode, lanes);
  return timing(requests.length, lanes, seconds, counts);
}

/**
 * The same requests on two judges (lanes each), verdict mode, in `chunks` chunks that the two take in
 * turns (ABBA, so neither always goes first): on a shared CPU a background burst lasting seconds would
 * otherwise land on one side of a 1.0x comparison; paired chunks share it. Each lane keeps the contiguous
 * range of the requests that the judge activity would give it (`laneRanges`) and judges the next part of
 * it in each chunk, so chunking adds no cold starts of its own. The per-chunk ratios of evaluated tokens/s
 * (B over A) show how far background load moved the comparison.
 */
async function timePaired(a: { judge: Judge; lanes: number }, b: { judge: Judge; lanes: number }, requests: readonly JudgeRequest[], chunks: number) {
  const sides = [a, b].map((side) => ({ ...side, ranges: laneRanges(requests, side.lanes), seconds: 0, counts: [] as PromptTokenCount[], rates: [] as number[] }));
  for (let chunk = 0; chunk < chunks; chunk++) {
    for (const side of chunk % 2 === 0 ? sides : [...sides].reverse()) {
      const parts = side.ranges.map((range) => {
        const step = Math.ceil(range.length / chunks);
        return range.slice(chunk * step, (chunk + 1) * step);
      });
      const { seconds, counts } = await judgeRangesTimed(side.judge, parts, 'verdict');
      side.seconds += seconds;
      side.counts.push(...counts);
      side.rates.push(counts.reduce((sum, c) => sum + c.evaluated, 0) / seconds);
    }
  }
  const [first, second] = sides.map((side) => timing(requests.length, side.lanes, side.seconds, side.counts)) as [Timing, Timing];
  const chunkRatios = sides[1]!.rates.map((rate, chunk) => round(rate / sides[0]!.rates[chunk]!));
  return { first, second, chunkRatios };
}

/** llama.cpp's prompt evaluation with no sampling, from an empty cache, per batch size and sequence count (the median of `--repeats` runs). */
async function measureLimit(modelPath: string, prompts: readonly JudgeRequest[]) {
  const llama = await getLlama({ build: 'never', gpu, ...(threads === 0 ? {} : { maxThreads: threads }) });
  const model = await llama.loadModel({ modelPath });
  const tokens = prompts.map((request) => promptTokens(model, pandaLMFormat.buildPrompt(request), 4096));
  const total = tokens.reduce((sum, t) => sum + t.length, 0);
  const runs = [];
  for (const batchSize of batchSizes) {
    for (const count of [...new Set([1, sequences])]) {
      const context = await model.createContext({ sequences: count, batchSize, flashAttention, contextSize: 4096, ...(threads === 0 ? {} : { threads }) });
      const lanes = Array.from({ length: count }, () => context.getSequence());
      const evaluate = async (sequence: (typeof lanes)[number], prompt: (typeof tokens)[number]) => {
        await sequence.clearHistory();
        await sequence.evaluateWithoutGeneratingNewTokens(prompt);
      };
      await evaluate(lanes[0]!, tokens[0]!); // warm-up
      // The median of `--repeats` runs: the best of several would pick a quiet moment of a shared machine
      // and set a limit the judge, measured at other moments, could never be held to.
      const rates: number[] = [];
      for (let turn = 0; turn < Math.max(1, int('repeats')); turn++) {
        const started = performance.now();
        let next = 0;
        await Promise.all(lanes.map(async (sequence) => { for (let i = next++; i < tokens.length; i = next++) await evaluate(sequence, tokens[i]!); }));
        rates.push(total / ((performance.now() - started) / 1000));
      }
      rates.sort((x, y) => x - y);
      runs.push({ batchSize, sequences: count, tokensPerSecond: round(rates[Math.floor(rates.length / 2)]!), runs: rates.map(round) });
      await context.dispose();
    }
  }
  await model.dispose();
  const best = runs.reduce((a, b) => (b.tokensPerSecond > a.tokensPerSecond ? b : a));
  return { prompts: prompts.length, meanPromptTokens: round(total / prompts.length), tokensPerSecond: best.tokensPerSecond, best, runs };
}

/** PandaLM's pipeline in transformers on the same prompts, or why it could not run. */
async function measureReference(modelPath: string, prompts: readonly JudgeRequest[], dir: string) {
  const file = join(dir, 'reference-prompts.json');
  await writeFile(file, JSON.stringify(prompts.map((request) => pandaLMFormat.buildPrompt(request))));
  const run = await execa(join(repoRoot, 'trainers/python'), [join(repoRoot, 'bench/pandalm-reference.py'), '--model', modelPath, '--prompts', file, ...(threads === 0 ? [] : ['--threads', String(threads)]), '--max_new_tokens', String(maxTokens)], {
    reject: false,
    stderr: 'inherit',
  });
  if (run.exitCode !== 0) return { failed: true, exitCode: run.exitCode, output: String(run.stdout).slice(-1000) };
  const result = JSON.parse(String(run.stdout)) as { judgmentsPerSecond: number; promptTokensPerSecond: number; seconds: number; meanNewTokens: number };
  return { ...result, verdicts: undefined };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const dir = await mkdtemp(join(tmpdir(), 'pandasweep-bench-'));
try {
  const modelPath = values.model === 'tiny' ? join(dir, 'tiny.gguf') : values.model;
  if (values.model === 'tiny') await writeTinyGguf(modelPath, { seed: 11, pieces: heldOutPieces(8000) });
  const roundRobin = blockRoundRobin(int('trials'), int('instructions')).map((j) => j.request);
  const sample = shuffled(benchRequests(int('sample')), 7);
  const log = (line: string): void => void process.stderr.write(`judge bench: ${line}\n`);

  log(`limit: ${sample.length} prompts, batch sizes ${batchSizes.join(', ')}`);
  const limit = await measureLimit(modelPath, sample);

  const common: LlamaJudgeOptions = { modelPath, gpu, flashAttention, maxTokens, probe: false, ...(threads === 0 ? {} : { threads }) };
  const judge1 = await createLlamaJudge({ ...common, sequences: 1 });
  const judgeN = await createLlamaJudge({ ...common, sequences });
  await judge1.judge(sample[0]!, { mode: 'verdict' }); // warm-up
  await judgeN.judge(sample[0]!, { mode: 'verdict' });
  log(`full, 1 sequence: ${int('full-prompts')} prompts`);
  const full = await timeJudge(judge1, sample.slice(0, int('full-prompts')), 'full', 1);
  log(`verdict, 1 and ${sequences} sequences in turns: ${sample.length} prompts`);
  const { first: verdict1, second: verdictN } = await timePaired({ judge: judge1, lanes: 1 }, { judge: judgeN, lanes: sequences }, sample, 2);
  log(`tournament, 1 and ${sequences} lanes in turns: ${roundRobin.length} judgments in prefix order`);
  const { first: tournament1, second: tournamentN, chunkRatios } = await timePaired({ judge: judge1, lanes: 1 }, { judge: judgeN, lanes: sequences }, roundRobin, 6);
  await judge1.dispose();
  await judgeN.dispose();

  const referencePrompts = int('reference-prompts');
  log(referencePrompts === 0 ? 'reference: skipped' : `reference (PandaLM's pipeline in transformers): ${referencePrompts} prompts`);
  const reference = referencePrompts === 0 ? null : await measureReference(modelPath, shuffled(roundRobin, 7).slice(0, referencePrompts), dir);
  const referenceRate = reference !== null && 'judgmentsPerSecond' in reference ? reference.judgmentsPerSecond : null;

  const bestVerdict = verdictN.evaluatedTokensPerSecond > verdict1.evaluatedTokensPerSecond ? verdictN : verdict1;
  const tournament = tournamentN.judgmentsPerSecond >= tournament1.judgmentsPerSecond ? tournamentN : tournament1;
  const ratios = {
    tournamentOverReference: referenceRate === null ? null : round(tournament.judgmentsPerSecond / referenceRate),
    verdictOverReference: referenceRate === null ? null : round(verdict1.judgmentsPerSecond / referenceRate),
    verdictTokensOverLimit: round(bestVerdict.evaluatedTokensPerSecond / limit.tokensPerSecond),
    tournamentTokensOverLimit: round(tournament.evaluatedTokensPerSecond / limit.tokensPerSecond),
    evaluatedShareInTournament: round(tournament.meanEvaluatedTokens / tournament.meanPromptTokens),
    parallelOverSingle: round(tournamentN.judgmentsPerSecond / tournament1.judgmentsPerSecond),
    parallelOverSingleTokens: round(verdictN.evaluatedTokensPerSecond / verdict1.evaluatedTokensPerSecond),
    verdictOverFull: round(verdict1.judgmentsPerSecond / full.judgmentsPerSecond),
  };
  const goals = {
    'tournamentOverReference >= 100': ratios.tournamentOverReference === null ? null : ratios.tournamentOverReference >= 100,
    'verdictTokensOverLimit >= 0.7': ratios.verdictTokensOverLimit >= 0.7,
    'evaluatedShareInTournament <= 0.6': ratios.evaluatedShareInTournament <= 0.6,
    'parallelOverSingle >= 1.0': ratios.parallelOverSingle >= 1,
  };
  process.stdout.write(
    `${JSON.stringify(
      {
        bench: 'judge',
        model: values.model === 'tiny' ? 'tiny (generated, random weights, BPE vocabulary)' : values.model,
        threads: threads === 0 ? 'default' : threads,
        sequences,
        gpu: String(gpu),
        flashAttention,
        prompts: { roundRobin: roundRobin.length, trials: int('trials'), instructions: int('instructions'), sample: sample.length },
        limit,
        verdict: { sequences1: verdict1, [`sequences${sequences}`]: verdictN },
        tournament: { lanes1: tournament1, [`lanes${sequences}`]: tournamentN, parallelTokensOverSingleByChunk: chunkRatios },
        full: { ...full, maxTokens },
        reference,
        ratios,
        goals,
      },
      null,
      2,
    )}\n`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
