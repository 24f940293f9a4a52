/**
 * The `llama` judge backend: a GGUF model run in-process by node-llama-cpp, serving any judge format
 * (PandaLM's by default). One model per process (cached by path); each judge owns one context with
 * `sequences` parallel sequences, so concurrent `judge` calls are evaluated in the same batches.
 */
import { getLlama, TokenBias } from 'node-llama-cpp';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { verdictModeProblem, type JudgeFormat } from '../core/judge-formats/judge-format.js';
import { pandaLMFormat } from '../core/judge-formats/pandalm.js';
import type { JudgeRequest, JudgeResult, PromptTokenCount, VerdictProbabilities } from '../core/judging/judge-types.js';
import { mostLikelyVerdict } from '../core/judging/resolve-orders.js';
import { JudgeModelError } from './errors/judge-model-error.js';
import { fullResult } from './full-result.js';
import { labelTokenFinder, type LabelTokens } from './find-label-tokens.js';
import { LlamaBackendError } from './errors/llama-backend-error.js';
import { promptTokens as llamaPromptTokens } from './llama-prompt-tokens.js';
import type { Judge, JudgeCallOptions } from './judge.js';
import { defaultJudgeMaxTokens, defaultJudgeRepetitionPenalty } from './judge-config.js';
import { checkJudgeModelMemory, validateJudgeModel, type JudgeMemoryState } from './validate-judge-model.js';

/** Options of {@link createLlamaJudge}. */
export interface LlamaJudgeOptions {
  /** Path to the GGUF model. */
  readonly modelPath: string;
  /** How prompts are built and answers read. Defaults to PandaLM's. */
  readonly format?: JudgeFormat;
  /** `auto` (CUDA when present, else CPU), `cuda`, or `false` for CPU. Defaults to `auto`. */
  readonly gpu?: 'auto' | 'cuda' | false;
  /** CPU threads. Defaults to node-llama-cpp's choice (all cores). */
  readonly threads?: number;
  /** Parallel sequences (concurrent judgments). Defaults to `1`. */
  readonly sequences?: number;
  /** Context size per sequence, in tokens. Defaults to the model's trained size, capped at 4096. */
  readonly contextSize?: number;
  /**
   * Flash attention: `auto` lets llama.cpp decide (it turns it on where supported, CPU included), `true` or
   * `false`. Defaults to `auto`. On CPU with very small heads (the tiny test model) it is slower.
   */
  readonly flashAttention?: 'auto' | boolean;
  /** New tokens in `full` mode. Defaults to `512`. */
  readonly maxTokens?: number;
  /** Repetition penalty in `full` mode, applied to every prompt and generated token as in PandaLM. Defaults to `1.2`. */
  readonly repetitionPenalty?: number;
  /** Validate the model in a child process before loading it here. Defaults to `true`. */
  readonly probe?: boolean;
  /** Receives one-line progress messages (which backend, model loaded). Defaults to none. */
  readonly logger?: (line: string) => void;
  /** Aborts loading. Defaults to none. */
  readonly signal?: AbortSignal;
  /** Reads the free memory the model must fit in. Defaults to the llama.cpp backend's RAM and VRAM state. */
  readonly memoryState?: () => Promise<JudgeMemoryState>;
}

const defaultContextCap = 4096;

const llamas = new Map<string, Promise<Llama>>();
const models = new Map<string, { model: Promise<LlamaModel>; users: number }>();

async function loadLlama(gpu: 'auto' | 'cuda' | false, threads: number | undefined, logger?: (line: string) => void): Promise<Llama> {
  const key = `${String(gpu)}/${threads ?? 'default'}`;
  let llama = llamas.get(key);
  if (llama === undefined) {
    // build: 'never' so a missing binary is an error now rather than a long compile on a worker.
    llama = getLlama({ gpu, build: 'never', logLevel: 'error' as never, ...(threads === undefined ? {} : { maxThreads: threads }) }).catch(
      (error: unknown) => {
        llamas.delete(key);
        throw new LlamaBackendError(gpu, { cause: error });
      },
    );
    llamas.set(key, llama);
    const loaded = await llama;
    logger?.(`llama.cpp backend: ${loaded.gpu === false ? 'CPU' : loaded.gpu} (requested gpu: ${String(gpu)})`);
  }
  return llama;
}

// A waiter passed over this many times for others with a longer cached prefix is served next.
const maxTimesPassedOver = 4;

interface Waiter {
  readonly tokens: readonly Token[];
  readonly resolve: (sequence: LlamaContextSequence) => void;
  passedOver: number;
}

/**
 * Hands out the context's sequences to concurrent calls, one call per sequence at a time, each to the
 * sequence whose cached tokens share the longest prefix with its prompt: callers that judge prompts in
 * prefix order on parallel lanes (the judge activity) each keep their own instruction and first response
 * cached instead of overwriting one another's.
 */
class SequencePool {
  private readonly free: LlamaContextSequence[];
  private readonly waiting: Waiter[] = [];
  constructor(context: LlamaContext) {
    this.free = Array.from({ length: context.totalSequences }, () => context.getSequence());
  }
  async use<T>(tokens: readonly Token[], work: (sequence: LlamaContextSequence) => Promise<T>): Promise<T> {
    const sequence = this.takeFree(tokens) ?? (await new Promise<LlamaContextSequence>((resolve) => this.waiting.push({ tokens, resolve, passedOver: 0 })));
    try {
      return await work(sequence);
    } finally {
      this.release(sequence);
    }
  }
  private takeFree(tokens: readonly Token[]): LlamaContextSequence | undefined {
    const best = longestSharedPrefix(this.free, (sequence) => sharedPrefixLength(sequence, tokens));
    return best === -1 ? undefined : this.free.splice(best, 1)[0];
  }
  private release(sequence: LlamaContextSequence): void {
    if (this.waiting.length === 0) {
      this.free.push(sequence);
      return;
    }
    const starved = this.waiting.findIndex((waiter) => waiter.passedOver >= maxTimesPassedOver);
    const chosen = starved !== -1 ? starved : longestSharedPrefix(this.waiting, (waiter) => sharedPrefixLength(sequence, waiter.tokens));
    const [waiter] = this.waiting.splice(chosen, 1);
    for (let i = 0; i < chosen; i++) this.waiting[i]!.passedOver++;
    waiter!.resolve(sequence);
  }
}

function sharedPrefixLength(sequence: LlamaContextSequence, tokens: readonly Token[]): number {
  return sequence.compareContextTokens(tokens as Token[]).firstDifferentIndex;
}

/** Index of the first item with the longest shared prefix, or -1 for no items. */
function longestSharedPrefix<T>(items: readonly T[], length: (item: T) => number): number {
  let best = -1;
  let bestLength = -1;
  items.forEach((item, index) => {
    const shared = length(item);
    if (shared > bestLength) [best, bestLength] = [index, shared];
  });
  return best;
}

/**
 * Loads (or reuses) the model and creates a judge of `format` on it. Throws `JudgeModelError` for a
 * missing or malformed model and `LlamaBackendError` when no llama.cpp binary fits the GPU setting.
 */
export async function createLlamaJudge(options: LlamaJudgeOptions): Promise<Judge> {
  const {
    modelPath,
    format = pandaLMFormat,
    gpu = 'auto',
    threads,
    sequences = 1,
    maxTokens = defaultJudgeMaxTokens,
    repetitionPenalty = defaultJudgeRepetitionPenalty,
    probe = true,
    flashAttention = 'auto',
    logger,
    signal,
  } = options;
  const llama = await loadLlama(gpu, threads, logger);
  let entry = models.get(modelPath);
  if (entry === undefined) {
    const model = (async () => {
      // Before the probe: a model too big for the machine would get the probe, or this worker, killed.
      await checkJudgeModelMemory(modelPath, {
        llama,
        sequences,
        ...(options.contextSize === undefined ? {} : { contextSize: options.contextSize }),
        ...(options.memoryState === undefined ? {} : { memoryState: options.memoryState }),
      });
      await validateJudgeModel(modelPath, { probe, ...(signal === undefined ? {} : { signal }) });
      try {
        const loaded = await llama.loadModel({ modelPath, ...(signal === undefined ? {} : { loadSignal: signal }) });
        logger?.(`judge model loaded: ${modelPath} (${loaded.fileInsights.totalLayers} layers on ${llama.gpu === false ? 'CPU' : llama.gpu})`);
        return loaded;
      } catch (error) {
        throw new JudgeModelError(modelPath, `llama.cpp could not load it (${error instanceof Error ? error.message : String(error)})`, { cause: error });
      }
    })();
    entry = { model, users: 0 };
    models.set(modelPath, entry);
    model.catch(() => models.delete(modelPath));
  }
  const model = await entry.model;
  entry.users++;
  const trained = model.trainContextSize;
  const contextSize = options.contextSize ?? Math.min(trained, defaultContextCap);
  let context: LlamaContext;
  try {
    context = await model.createContext({ contextSize, sequences, flashAttention, ...(threads === undefined ? {} : { threads }) });
  } catch (error) {
    entry.users--;
    throw error;
  }
  const labels = format.labels;
  const labelTokens = labels === undefined ? undefined : labelTokenFinder(model, labels);
  const pool = new SequencePool(context);
  // On a CPU one evaluation at a time: there llama.cpp's own batches of two sequences measured 0.89-0.94x
  // the prompt tokens/s of one (bench/judge.bench.ts's limit runs, SmolLM2, 2 shared cores), and a second
  // lane's tokenizing takes a core from its threads mid-batch. Concurrent calls still keep their own
  // sequences, and so their own cached prefixes; on a GPU they batch together.
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    if (llama.gpu !== false) return work();
    const run = turn.then(work, work);
    turn = run.catch(() => undefined);
    return run;
  };
  // BOS only where the model's own metadata asks for it (PandaLM-7B's LLaMA tokenizer: yes; SmolLM2: no).
  const promptTokens = (prompt: string, reserve: number): Token[] => llamaPromptTokens(model, prompt, context.contextSize - reserve);

  // Keeps the cached prefix (the shared instruction of both orders) and returns the tokens still to evaluate.
  const alignState = async (sequence: LlamaContextSequence, tokens: Token[]): Promise<Token[]> => {
    const keep = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
    if (keep < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: keep, end: sequence.nextTokenIndex }]);
    return tokens.slice(keep);
  };

  // Label probabilities without the whole vocabulary's: asked for probabilities, node-llama-cpp sorts and
  // copies every token's (SmolLM2: 49,152; about 25 ms a judgment on 2 cores). Banning every other token
  // (a bias of -infinity; llama.cpp's end-of-generation tokens cannot be banned) and keeping the top k of
  // what is left at temperature 1 leaves the labels and those few tokens, with their logits untouched:
  // the labels' probabilities renormalised among themselves are exactly the same.
  const vocabulary = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
  let endTokens = 0;
  for (let token = 0; token < vocabulary; token++) if (model.isEogToken(token as Token)) endTokens++;
  const labelSamplings = new Map<string, { temperature: number; topK: number; topP: number; minP: number; tokenBias: TokenBias }>();
  const labelSampling = (ids: LabelTokens) => {
    const labels = new Set([ids.one, ids.two, ...(ids.tie === undefined ? [] : [ids.tie])]);
    const key = [...labels].join(',');
    let sampling = labelSamplings.get(key);
    if (sampling === undefined) {
      const tokenBias = new TokenBias(model.tokenizer);
      for (let token = 0; token < vocabulary; token++) if (!labels.has(token as Token)) tokenBias.set(token as Token, 'never');
      sampling = { temperature: 1, topK: labels.size + endTokens, topP: 1, minP: 0, tokenBias };
      // One label set per prompt ending; a custom template ending in a placeholder could make many.
      if (labelSamplings.size >= 8) labelSamplings.clear();
      labelSamplings.set(key, sampling);
    }
    return sampling;
  };

  const judgeVerdict = (request: JudgeRequest): Promise<{ probabilities: VerdictProbabilities; promptTokens: PromptTokenCount }> => {
    if (labelTokens === undefined) throw new Error(verdictModeProblem(format));
    const prompt = format.buildPrompt(request);
    const ids = labelTokens(prompt);
    const tokens = promptTokens(prompt, 1);
    const options = labelSampling(ids);
    return pool.use(tokens, (sequence) => inTurn(async () => {
      const rest = await alignState(sequence, tokens);
      const last = rest.length - 1;
      const output = await sequence.controlledEvaluate(
        rest.map((token, index) => (index === last ? [token, { generateNext: { probabilities: true, options } }] : token)),
      );
      const probabilities = output[last]?.next.probabilities;
      if (probabilities === undefined) throw new Error('node-llama-cpp returned no next-token probabilities');
      const one = probabilities.get(ids.one) ?? 0;
      const two = probabilities.get(ids.two) ?? 0;
      const tie = ids.tie === undefined ? 0 : (probabilities.get(ids.tie) ?? 0);
      const sum = one + two + tie;
      // Every label underflowing to 0 means the model has no opinion among them: report a uniform split.
      const even = ids.tie === undefined ? { one: 1 / 2, two: 1 / 2, tie: 0 } : { one: 1 / 3, two: 1 / 3, tie: 1 / 3 };
      return {
        probabilities: sum === 0 ? even : { one: one / sum, two: two / sum, tie: tie / sum },
        promptTokens: { total: tokens.length, evaluated: rest.length },
      };
    }));
  };

  const judgeFull = (request: JudgeRequest, callSignal?: AbortSignal): Promise<{ raw: string; promptTokens: PromptTokenCount }> => {
    const prompt = promptTokens(format.buildPrompt(request), maxTokens);
    return pool.use(prompt, (sequence) => inTurn(async () => {
      const rest = await alignState(sequence, prompt);
      const punished = new Set<Token>(prompt);
      const generated: Token[] = [];
      const eos = model.tokens.eos;
      for await (const token of sequence.evaluate(rest, {
        // Greedy decoding with the penalty over prompt and output, as Hugging Face's generate() does for PandaLM.
        temperature: 0,
        repeatPenalty: { punishTokens: () => [...punished], maxPunishTokens: contextSize, penalty: repetitionPenalty },
      })) {
        if (token === eos || callSignal?.aborted) break;
        generated.push(token);
        punished.add(token);
        if (generated.length >= maxTokens) break;
      }
      callSignal?.throwIfAborted();
      // A byte-fallback token can decode to U+0000; writeJudgments makes it storable.
      return { raw: model.detokenize(generated), promptTokens: { total: prompt.length, evaluated: rest.length } };
    }));
  };

  let disposed = false;
  return {
    id: `llama:${format.name}:${modelPath}`,
    // On a CPU one lane's batch already fills the cores and evaluations take turns (`inTurn`): a second lane
    // evaluates tokens at the same rate and adds its cold start, 0.996x one lane's judgments/s
    // (bench/judge.bench.ts, SmolLM2, 2 shared cores), no gain for a split prefix order. There the extra sequences serve concurrent activities, each keeping its own
    // prefix cached; on a GPU every lane adds to the batch.
    parallelism: llama.gpu === false ? 1 : sequences,
    async judge(request: JudgeRequest, callOptions: JudgeCallOptions): Promise<JudgeResult> {
      if (disposed) throw new Error('This judge has been disposed');
      callOptions.signal?.throwIfAborted();
      const started = performance.now();
      if (callOptions.mode === 'verdict') {
        const { probabilities, promptTokens: counted } = await judgeVerdict(request);
        return { verdict: mostLikelyVerdict(probabilities), probabilities, latencyMs: performance.now() - started, promptTokens: counted };
      }
      const { raw, promptTokens: counted } = await judgeFull(request, callOptions.signal);
      return { ...fullResult(format, raw, performance.now() - started), promptTokens: counted };
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      await context.dispose();
      const current = models.get(modelPath);
      if (current !== undefined && --current.users === 0) {
        models.delete(modelPath);
        await model.dispose();
      }
    },
  };
}
