/**
 * No usable llama.cpp binary for the requested GPU setting (for example `gpu: cuda` without the CUDA
 * prebuilt binary or driver). Building from source is disabled on purpose, so this is reported instead.
 */
export class LlamaBackendError extends Error {
  override readonly name = 'LlamaBackendError';
  /** The GPU setting that was requested: `auto`, `cuda` or `false` (CPU). */
  readonly gpu: 'auto' | 'cuda' | false;

  constructor(gpu: 'auto' | 'cuda' | false, options?: { cause?: unknown }) {
    const detail = options?.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(
      `No usable llama.cpp binary for gpu: ${String(gpu)}${detail}. ` +
        "Install node-llama-cpp's prebuilt binaries (npm install with scripts allowed) or set gpu: auto / false.",
      options,
    );
    this.gpu = gpu;
  }
}
