/**
 * Checks a GGUF judge model before the worker loads it in-process: llama.cpp aborts the whole process on
 * some malformed files, and a worker must answer with an error instead.
 */
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { GgufInsights, readGgufFileInfo, type Llama } from 'node-llama-cpp';
import { JudgeModelError } from './errors/judge-model-error.js';

/** Metadata keys llama.cpp needs for a `llama` model; some missing ones abort rather than throw. */
const requiredLlamaKeys = [
  'context_length',
  'embedding_length',
  'block_count',
  'feed_forward_length',
  'attention.head_count',
  'attention.layer_norm_rms_epsilon',
] as const;
const requiredBlockTensors = ['attn_norm', 'attn_q', 'attn_k', 'attn_v', 'attn_output', 'ffn_norm', 'ffn_up', 'ffn_down'];

/** Options of {@link validateJudgeModel}. */
export interface ValidateJudgeModelOptions {
  /** Also load the model once in a child process, so an abort there becomes an error here. Defaults to `true`. */
  readonly probe?: boolean;
  /** Aborts the validation. Defaults to none. */
  readonly signal?: AbortSignal;
}

function readKey(record: unknown, dotted: string): unknown {
  let value: unknown = record;
  for (const part of dotted.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const probeScript = fileURLToPath(new URL('./probe-judge-model.mjs', import.meta.url));

/**
 * Validates a GGUF judge model: the file exists, has a GGUF header, names a supported architecture with the
 * metadata and tensors llama.cpp needs, and (with `probe`) loads in a child process. Throws
 * `JudgeModelError` naming the path and the problem.
 */
export async function validateJudgeModel(modelPath: string, options: ValidateJudgeModelOptions = {}): Promise<void> {
  const { probe = true, signal } = options;
  try {
    const info = await stat(modelPath);
    if (!info.isFile()) throw new JudgeModelError(modelPath, 'not a file');
  } catch (error) {
    if (error instanceof JudgeModelError) throw error;
    throw new JudgeModelError(modelPath, 'the file does not exist or cannot be read', { cause: error });
  }
  let info: Awaited<ReturnType<typeof readGgufFileInfo>>;
  try {
    info = await readGgufFileInfo(modelPath, { sourceType: 'filesystem', logWarnings: false, signal });
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new JudgeModelError(modelPath, `not a readable GGUF file (${detail})`, { cause: error });
  }
  const metadata: unknown = info.metadata;
  const architecture = readKey(metadata, 'general.architecture');
  if (typeof architecture !== 'string') throw new JudgeModelError(modelPath, 'metadata has no general.architecture');
  if (architecture === 'llama') {
    const missing = requiredLlamaKeys.filter((key) => readKey(metadata, `llama.${key}`) === undefined).map((key) => `llama.${key}`);
    if (readKey(metadata, 'tokenizer.ggml.model') === undefined) missing.push('tokenizer.ggml.model');
    if (!Array.isArray(readKey(metadata, 'tokenizer.ggml.tokens'))) missing.push('tokenizer.ggml.tokens');
    if (missing.length > 0) throw new JudgeModelError(modelPath, `missing metadata ${missing.join(', ')}`);
    const names = new Set((info.tensorInfo ?? []).map((tensor) => tensor.name));
    const blocks = Number(readKey(metadata, 'llama.block_count'));
    const expected = ['token_embd.weight', 'output_norm.weight'];
    for (let block = 0; block < blocks; block++) {
      for (const tensor of requiredBlockTensors) expected.push(`blk.${block}.${tensor}.weight`);
    }
    const absent = expected.filter((name) => !names.has(name));
    if (absent.length > 0) {
      const shown = absent.slice(0, 5).join(', ') + (absent.length > 5 ? `, ... (${absent.length} in all)` : '');
      throw new JudgeModelError(modelPath, `missing tensors ${shown}`);
    }
  }
  if (!probe) return;
  const result = await execa(process.execPath, [probeScript, modelPath, import.meta.resolve('node-llama-cpp')], {
    reject: false,
    timeout: 10 * 60_000,
    ...(signal === undefined ? {} : { cancelSignal: signal }),
  });
  if (result.exitCode !== 0 || result.stdout !== 'ok') {
    const how = result.signal ? `the loader process was killed by ${result.signal}` : `loading failed (exit ${String(result.exitCode)})`;
    const lastLine = result.stderr.trim().split('\n').filter((line) => line.trim() !== '').slice(-3).join(' | ');
    throw new JudgeModelError(modelPath, `${how}${lastLine === '' ? '' : `: ${lastLine}`}`);
  }
}

/** Free memory a judge model may use, in bytes. */
export interface JudgeMemoryState {
  /** Free system RAM, in bytes. */
  readonly freeRam: number;
  /** Free GPU memory, in bytes (0 on the CPU backend). */
  readonly freeVram: number;
}

/** Options of {@link checkJudgeModelMemory}. */
export interface CheckJudgeModelMemoryOptions {
  /** The llama.cpp backend the model would load on (its GPU setting decides where the layers go). */
  readonly llama: Llama;
  /** Context size per sequence, in tokens. Defaults to the model's trained size, capped at 4096. */
  readonly contextSize?: number;
  /** Parallel sequences. Defaults to `1`. */
  readonly sequences?: number;
  /** Reads the free memory. Defaults to the backend's RAM state and, with a GPU, its VRAM state. */
  readonly memoryState?: () => Promise<JudgeMemoryState>;
}

/** What a judge model needs and what is free, in bytes. */
export interface JudgeModelMemoryEstimate {
  readonly requiredBytes: number;
  readonly freeBytes: number;
}

const gib = 1024 ** 3;

/**
 * Compares what a GGUF judge model needs (its weights, at least the file size, plus the context's KV
 * cache, as node-llama-cpp estimates them) with the free RAM and VRAM, and throws `JudgeModelError`
 * when it cannot fit. Reads only the file's header: a model too big for the machine is refused before
 * anything, a probe process included, tries to load it and gets killed by the kernel.
 */
export async function checkJudgeModelMemory(modelPath: string, options: CheckJudgeModelMemoryOptions): Promise<JudgeModelMemoryEstimate> {
  const { llama, sequences = 1 } = options;
  const memoryState = options.memoryState ?? (async () => ({
    freeRam: (await llama.getRamState()).free,
    freeVram: llama.gpu === false ? 0 : (await llama.getVramState()).free,
  }));
  let fileSize: number;
  try {
    fileSize = (await stat(modelPath)).size;
  } catch (error) {
    throw new JudgeModelError(modelPath, 'the file does not exist or cannot be read', { cause: error });
  }
  let insights: GgufInsights;
  try {
    insights = await GgufInsights.from(await readGgufFileInfo(modelPath, { sourceType: 'filesystem', logWarnings: false }), llama);
  } catch (error) {
    throw new JudgeModelError(modelPath, `not a readable GGUF file (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const gpuLayers = llama.gpu === false ? 0 : insights.totalLayers;
  const contextSize = options.contextSize ?? Math.min(insights.trainContextSize ?? 4096, 4096);
  let weights: { cpuRam: number; gpuVram: number };
  let context: { cpuRam: number; gpuVram: number };
  try {
    // Without mmap: the estimate must hold the weights in memory, not count on paging them from disk.
    weights = await insights.estimateModelResourceRequirementsV2({ gpuLayers, useMmap: false });
    context = await insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: gpuLayers, sequences, useMmap: false });
  } catch (error) {
    throw new JudgeModelError(modelPath, `its memory needs cannot be estimated from its metadata (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  const requiredBytes = Math.max(weights.cpuRam + weights.gpuVram, insights.modelSize, fileSize) + context.cpuRam + context.gpuVram;
  const { freeRam, freeVram } = await memoryState();
  const freeBytes = freeRam + freeVram;
  if (requiredBytes > freeBytes) {
    const where = llama.gpu === false ? 'free RAM' : `free RAM + ${llama.gpu} VRAM`;
    throw new JudgeModelError(
      modelPath,
      `it needs about ${(requiredBytes / gib).toFixed(1)} GiB (weights ${(Math.max(weights.cpuRam + weights.gpuVram, insights.modelSize) / gib).toFixed(1)} GiB, context of ${contextSize} tokens x ${sequences} ${(((context.cpuRam + context.gpuVram) / gib)).toFixed(1)} GiB) but only ${(freeBytes / gib).toFixed(1)} GiB is ${where}; use a smaller quantization, a smaller context, or a machine with more memory`,
    );
  }
  return { requiredBytes, freeBytes };
}
