/**
 * Writes a random-weight GGUF with LLaMA-7B's shape (32 layers, hidden 4096, 32 heads, feed-forward 11008,
 * vocabulary 32000, context 2048), Q4_0-quantized (~3.9 GB), for measuring judge throughput on a GPU
 * machine without downloading PandaLM-7B. Its outputs are noise; only its speed is meaningful. Its vocabulary
 * holds common words (see bench/pandalm-bench-text.ts), so prompts tokenize to about as many tokens as with
 * LLaMA's.
 *
 * Usage: tsx bench/gpu/make-llama7b-shaped-model.ts <out.gguf>
 */
import { writeTinyGguf } from '../../test/support/write-tiny-gguf.js';
import { heldOutPieces } from '../pandalm-bench-text.js';

const out = process.argv[2];
if (out === undefined) throw new Error('usage: tsx bench/gpu/make-llama7b-shaped-model.ts <out.gguf>');
const started = performance.now();
await writeTinyGguf(out, {
  seed: 7,
  layers: 32,
  embedding: 4096,
  heads: 32,
  feedForward: 11008,
  vocabSize: 32000,
  // Words from held-out PandaLM test items fill part of the vocabulary, so prompts have about LLaMA's token counts.
  pieces: heldOutPieces(8000),
  contextLength: 2048,
  tensorType: 'q4_0',
});
process.stderr.write(`wrote ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
