/**
 * The builtin generator (`generate: {builtin: llama}`): answers every evaluation instruction with
 * node-llama-cpp from a GGUF checkpoint, greedily, with the Alpaca prompt the PandaLM paper's candidate
 * models were tuned and sampled with, and writes `responses.jsonl`. It runs as the generate job's own
 * process (activities/jobs/generate-llama-entry.mjs), so GPU slots, logs, timeouts and cancellation work
 * as for any command.
 */
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getLlama, LlamaCompletion } from 'node-llama-cpp';
import { z } from 'zod';
import { parseEvalSet } from '../../core/sweep/eval-set.js';
import { defaultBuiltinMaxTokens } from '../../core/sweep/sweep-spec.js';

/** Options of {@link generateResponsesWithLlama}. */
export interface GenerateWithLlamaOptions {
  /** The GGUF model file. */
  readonly modelPath: string;
  /** The evaluation instructions (PandaLM JSON array or JSONL with ids). */
  readonly evalFile: string;
  /** Where `responses.jsonl` is written. */
  readonly outputFile: string;
  /** Longest answer, in tokens. Defaults to `defaultBuiltinMaxTokens` (512). */
  readonly maxTokens?: number;
  /** Context size in tokens. Defaults to the model's trained size, at most 4096. */
  readonly contextSize?: number;
  /** CPU threads. Defaults to llama.cpp's choice. */
  readonly threads?: number;
  /** Whether llama.cpp may use a GPU (`auto`) or not (`false`). Defaults to `auto`. */
  readonly gpu?: 'auto' | false;
  /** Called with the backend llama.cpp loaded, then one progress line per answer. Defaults to none. */
  readonly onProgress?: (line: string) => void;
  /** Stops between tokens. */
  readonly signal?: AbortSignal;
}

const defaultContextCap = 4096;

/** Alpaca's two prompts, from the file the Python jobs read too (trainers/alpaca-prompt.json). */
const alpacaPrompts = z
  .object({ promptInput: z.string(), promptNoInput: z.string() })
  .parse(JSON.parse(readFileSync(fileURLToPath(new URL('../../trainers/alpaca-prompt.json', import.meta.url)), 'utf8')));

/**
 * Builds the Alpaca prompt (Taori et al., 2023) that the PandaLM paper's candidate models used: the
 * "paired with an input" variant when there is an input, the shorter one otherwise. The same text as the
 * Python jobs' `build_prompt` (trainers/alpaca.py), filled in one pass as Python's `str.format` does.
 */
export function buildAlpacaPrompt(instruction: string, input: string): string {
  const values = { instruction, input };
  const template = input.trim() === '' ? alpacaPrompts.promptNoInput : alpacaPrompts.promptInput;
  return template.replace(/\{(instruction|input)\}/g, (_, name: keyof typeof values) => values[name]);
}

/** Answers every instruction of `evalFile` greedily and writes `{"id", "response"}` lines to `outputFile`; returns the count. */
export async function generateResponsesWithLlama(options: GenerateWithLlamaOptions): Promise<number> {
  const { modelPath, evalFile, outputFile, maxTokens = defaultBuiltinMaxTokens, threads, gpu = 'auto', onProgress, signal } = options;
  const instructions = parseEvalSet(await readFile(evalFile, 'utf8'), evalFile);
  const llama = await getLlama({ gpu, build: 'never', logLevel: 'error' as never, ...(threads === undefined ? {} : { maxThreads: threads }) });
  const model = await llama.loadModel({ modelPath, ...(signal === undefined ? {} : { loadSignal: signal }) });
  // Which backend llama.cpp loaded, in the job log: a GPU slot whose job ran on the CPU shows at once.
  const offloaded = model.gpuLayers > 0 ? `, ${model.gpuLayers} layers on the GPU` : '';
  onProgress?.(`llama.cpp backend ${llama.gpu === false ? 'CPU' : llama.gpu}${offloaded} (gpu: ${String(gpu)})`);
  try {
    const contextSize = options.contextSize ?? Math.min(model.trainContextSize, defaultContextCap);
    const context = await model.createContext({ contextSize, ...(threads === undefined ? {} : { threads }) });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const lines: string[] = [];
      for (const [index, item] of instructions.entries()) {
        signal?.throwIfAborted();
        const started = performance.now();
        // temperature 0 is greedy decoding; the answer ends at the model's end-of-text token or maxTokens.
        const response = await completion.generateCompletion(buildAlpacaPrompt(item.instruction, item.input), {
          maxTokens,
          temperature: 0,
          ...(signal === undefined ? {} : { signal }),
        });
        lines.push(JSON.stringify({ id: item.id, response: response.trim() }));
        onProgress?.(`answered ${index + 1}/${instructions.length} (${item.id}) in ${Math.round(performance.now() - started)} ms`);
      }
      // Written at the end in one go: a killed run leaves no half file for the validator to accept.
      await writeFile(outputFile, lines.length > 0 ? `${lines.join('\n')}\n` : '');
      return lines.length;
    } finally {
      await context.dispose();
    }
  } finally {
    await model.dispose();
  }
}

/**
 * Command-line entry of the builtin generator: `--model FILE --eval FILE --output FILE [--max-tokens N]
 * [--context-size N] [--threads N]`, as `builtinGenerateSchema` renders it. Uses a GPU only when the job
 * was given one (`CUDA_VISIBLE_DEVICES` non-empty). Returns the exit code.
 */
export async function runGenerateLlamaCli(argv: readonly string[], env: NodeJS.ProcessEnv, stderr: NodeJS.WritableStream): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      model: { type: 'string' },
      eval: { type: 'string' },
      output: { type: 'string' },
      'max-tokens': { type: 'string' },
      'context-size': { type: 'string' },
      threads: { type: 'string' },
    },
  });
  if (!values.model || !values.eval || !values.output) {
    stderr.write('generate-llama: needs --model FILE --eval FILE --output FILE\n');
    return 2;
  }
  const count = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`--${name} must be a positive integer, got "${raw}"`);
    return n;
  };
  const maxTokens = count('max-tokens', values['max-tokens']);
  const contextSize = count('context-size', values['context-size']);
  const threads = count('threads', values.threads);
  const written = await generateResponsesWithLlama({
    modelPath: values.model,
    evalFile: values.eval,
    outputFile: values.output,
    gpu: (env.CUDA_VISIBLE_DEVICES ?? '') === '' ? false : 'auto',
    onProgress: (line) => stderr.write(`generate-llama: ${line}\n`),
    ...(maxTokens === undefined ? {} : { maxTokens }),
    ...(contextSize === undefined ? {} : { contextSize }),
    ...(threads === undefined ? {} : { threads }),
  });
  stderr.write(`generate-llama: wrote ${written} answers to ${values.output}\n`);
  return 0;
}
