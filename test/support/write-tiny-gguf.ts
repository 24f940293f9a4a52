/**
 * Writes a small random-weight LLaMA-architecture GGUF (v3) model, so tests, the demo and benchmarks can
 * run the real llama.cpp path without downloading a model. The vocabulary is SentencePiece-style with
 * byte-fallback tokens, so any text tokenizes. Weights are seeded; `bias` makes chosen tokens win.
 */
import { open } from 'node:fs/promises';

/** One token to favour: its vocabulary piece (e.g. `"2"`, `"Tie"`, `"<0x0A>"`) and the logit it gets. */
export interface TinyGgufBias {
  readonly token: string;
  /** Logit added for this token at every position, in nats. Random logits are within about ±0.5. */
  readonly logit: number;
}

/** How to shape the generated model. */
export interface WriteTinyGgufOptions {
  /** Seed of the weight generator. Defaults to `1`. */
  readonly seed?: number;
  /** Number of transformer blocks. Defaults to `2`. */
  readonly layers?: number;
  /** Hidden size; a multiple of `heads` (and of 32 for `q4_0`). Defaults to `32`. */
  readonly embedding?: number;
  /** Attention heads. Defaults to `4`. */
  readonly heads?: number;
  /** Feed-forward size. Defaults to `2 * embedding`. */
  readonly feedForward?: number;
  /** Trained context length written to the metadata, in tokens. Defaults to `8192`. */
  readonly contextLength?: number;
  /** Pads the vocabulary with unused tokens up to this size (e.g. 32000 for a LLaMA-shaped model). Defaults to none. */
  readonly vocabSize?: number;
  /**
   * More pieces, in merge order as a BPE learner emits them (each the join of two earlier pieces or
   * characters; earlier ones merge first), so text tokenizes about as compactly as with LLaMA's vocabulary.
   * Benchmarks use it for realistic prompt lengths. Defaults to none: about one token per character.
   */
  readonly pieces?: readonly string[];
  /** Tensor type of the 2-D weights (`q4_0` makes 7B-shaped models fit on one GPU). Defaults to `f32`. */
  readonly tensorType?: 'f32' | 'q4_0';
  /** Tokens to favour at every position (needs `tensorType` `f32`). Defaults to none. */
  readonly bias?: readonly TinyGgufBias[];
  /**
   * `tokenizer.ggml.add_bos_token`: `true` or `false` as written, `null` to leave the key out (llama.cpp
   * then applies its default for the `llama` SentencePiece tokenizer, which is to add BOS). Defaults to
   * `true`, as LLaMA's own GGUFs say.
   */
  readonly addBosToken?: boolean | null;
}

const ggufTypeUint32 = 4;
const ggufTypeInt32 = 5;
const ggufTypeFloat32 = 6;
const ggufTypeBool = 7;
const ggufTypeString = 8;
const ggufTypeArray = 9;
const ggmlTypeF32 = 0;
const ggmlTypeQ4_0 = 2;
const alignment = 32;
const tokenTypeNormal = 1;
const tokenTypeUnknown = 2;
const tokenTypeControl = 3;
const tokenTypeByte = 6;

/** Builds the vocabulary: special tokens, the 256 byte tokens, printable ASCII, the verdict pieces, then `learned`. */
export function tinyGgufVocabulary(vocabSize?: number, learned: readonly string[] = []): { tokens: string[]; types: number[]; scores: number[] } {
  const tokens = ['<unk>', '<s>', '</s>'];
  const types = [tokenTypeUnknown, tokenTypeControl, tokenTypeControl];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(tokenTypeByte);
  }
  const pieces = ['▁'];
  for (let code = 0x21; code <= 0x7e; code++) pieces.push(String.fromCharCode(code));
  // Multi-character pieces make "Tie" and the section headers single tokens, as in LLaMA's vocabulary.
  pieces.push('▁1', '▁2', 'Ti', 'Tie', '▁T', '▁Ti', '▁Tie', '##', '###', '▁#', '▁##', '▁###');
  for (const piece of pieces) {
    tokens.push(piece);
    types.push(tokenTypeNormal);
  }
  const builtIn = new Set(tokens);
  const learnedScores = new Map<string, number>();
  for (const [index, piece] of learned.entries()) {
    if (builtIn.has(piece) || learnedScores.has(piece)) continue;
    // Above every built-in piece, earlier merges higher: llama.cpp's SentencePiece merges the best score first.
    learnedScores.set(piece, 3 + learned.length - index);
    tokens.push(piece);
    types.push(tokenTypeNormal);
  }
  for (let extra = 0; vocabSize !== undefined && tokens.length < vocabSize; extra++) {
    tokens.push(`<extra_${extra}>`);
    types.push(tokenTypeNormal);
  }
  // SentencePiece merges the highest-scoring pair first; longer pieces win, so they score higher.
  const scores = tokens.map((token, index) => learnedScores.get(token) ?? (types[index] === tokenTypeNormal ? [...token].length - 1 : 0));
  return { tokens, types, scores };
}

/** A small seeded generator (mulberry32), so the same seed always writes the same model. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface TensorPlan {
  readonly name: string;
  /** ggml order: `dims[0]` is the row length. */
  readonly dims: readonly number[];
  readonly type: number;
  readonly fill: (random: () => number, row: number, column: number) => number;
}

class ByteWriter {
  private readonly chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  i32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  f32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(value);
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type MetadataValue =
  | { type: 'u32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: readonly string[] }
  | { type: 'f32s'; value: readonly number[] }
  | { type: 'i32s'; value: readonly number[] };

function writeMetadata(out: ByteWriter, key: string, entry: MetadataValue): void {
  out.string(key);
  switch (entry.type) {
    case 'u32':
      out.u32(ggufTypeUint32);
      out.u32(entry.value);
      return;
    case 'f32':
      out.u32(ggufTypeFloat32);
      out.f32(entry.value);
      return;
    case 'bool':
      out.u32(ggufTypeBool);
      out.push(Buffer.from([entry.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(ggufTypeString);
      out.string(entry.value);
      return;
    case 'strings':
      out.u32(ggufTypeArray);
      out.u32(ggufTypeString);
      out.u64(entry.value.length);
      for (const value of entry.value) out.string(value);
      return;
    case 'f32s':
      out.u32(ggufTypeArray);
      out.u32(ggufTypeFloat32);
      out.u64(entry.value.length);
      for (const value of entry.value) out.f32(value);
      return;
    case 'i32s':
      out.u32(ggufTypeArray);
      out.u32(ggufTypeInt32);
      out.u64(entry.value.length);
      for (const value of entry.value) out.i32(value);
      return;
  }
}

function tensorBytes(plan: TensorPlan): number {
  const count = plan.dims.reduce((a, b) => a * b, 1);
  return plan.type === ggmlTypeF32 ? count * 4 : (count / 32) * 18;
}

const padTo = (value: number): number => Math.ceil(value / alignment) * alignment;

/** Encodes rows of a tensor; Q4_0 blocks get a small fp16 scale and random nibbles (speed tests only). */
function encodeRows(plan: TensorPlan, random: () => number, firstRow: number, rowCount: number): Buffer {
  const rowLength = plan.dims[0] ?? 1;
  if (plan.type === ggmlTypeF32) {
    const buffer = Buffer.alloc(rowCount * rowLength * 4);
    for (let r = 0; r < rowCount; r++) {
      for (let c = 0; c < rowLength; c++) buffer.writeFloatLE(plan.fill(random, firstRow + r, c), (r * rowLength + c) * 4);
    }
    return buffer;
  }
  const blocks = (rowCount * rowLength) / 32;
  const buffer = Buffer.alloc(blocks * 18);
  for (let block = 0; block < blocks; block++) {
    // 0x1419 is fp16 0.0012: with nibbles in [-8, 7] the weights stay within about ±0.01.
    buffer.writeUInt16LE(0x1419, block * 18);
    for (let i = 0; i < 16; i++) buffer[block * 18 + 2 + i] = Math.floor(random() * 256);
  }
  return buffer;
}

/**
 * Writes the model to `path`. Hidden dimension 0 is a constant channel (every token embeds it as 1 and no
 * layer writes to it), so each `bias` entry becomes an exact extra logit for its token.
 */
export async function writeTinyGguf(path: string, options: WriteTinyGgufOptions = {}): Promise<void> {
  const {
    seed = 1,
    layers = 2,
    embedding = 32,
    heads = 4,
    contextLength = 8192,
    vocabSize,
    pieces,
    tensorType = 'f32',
    bias = [],
    addBosToken = true,
  } = options;
  const feedForward = options.feedForward ?? 2 * embedding;
  if (embedding % heads !== 0) throw new Error(`writeTinyGguf: embedding ${embedding} is not a multiple of heads ${heads}`);
  if (tensorType === 'q4_0' && (embedding % 32 !== 0 || feedForward % 32 !== 0)) {
    throw new Error('writeTinyGguf: q4_0 needs embedding and feedForward to be multiples of 32');
  }
  if (tensorType === 'q4_0' && bias.length > 0) throw new Error('writeTinyGguf: bias needs tensorType f32');
  const vocabulary = tinyGgufVocabulary(vocabSize, pieces);
  const nVocab = vocabulary.tokens.length;
  const biasByToken = new Map<number, number>();
  for (const entry of bias) {
    const id = vocabulary.tokens.indexOf(entry.token);
    if (id === -1) throw new Error(`writeTinyGguf: bias token ${JSON.stringify(entry.token)} is not in the vocabulary`);
    biasByToken.set(id, entry.logit);
  }

  const weightType = tensorType === 'q4_0' ? ggmlTypeQ4_0 : ggmlTypeF32;
  const scale = 0.5 / Math.sqrt(embedding);
  const noise = (random: () => number): number => (random() * 2 - 1) * scale;
  const ones = (): number => 1;
  // The normalised constant channel is about sqrt(embedding) at the output; divide so the bias is exact.
  const constantAtOutput = Math.sqrt(embedding);
  const tensors: TensorPlan[] = [
    { name: 'token_embd.weight', dims: [embedding, nVocab], type: weightType, fill: (random, _row, column) => (column === 0 ? 1 : noise(random) * 0.1) },
  ];
  // Projections that write into the residual stream leave row 0 zero so the constant channel stays put.
  const intoResidual = (random: () => number, row: number): number => (row === 0 ? (random(), 0) : noise(random));
  for (let layer = 0; layer < layers; layer++) {
    const block = `blk.${layer}`;
    tensors.push(
      { name: `${block}.attn_norm.weight`, dims: [embedding], type: ggmlTypeF32, fill: ones },
      { name: `${block}.attn_q.weight`, dims: [embedding, embedding], type: weightType, fill: noise },
      { name: `${block}.attn_k.weight`, dims: [embedding, embedding], type: weightType, fill: noise },
      { name: `${block}.attn_v.weight`, dims: [embedding, embedding], type: weightType, fill: noise },
      { name: `${block}.attn_output.weight`, dims: [embedding, embedding], type: weightType, fill: intoResidual },
      { name: `${block}.ffn_norm.weight`, dims: [embedding], type: ggmlTypeF32, fill: ones },
      { name: `${block}.ffn_gate.weight`, dims: [embedding, feedForward], type: weightType, fill: noise },
      { name: `${block}.ffn_up.weight`, dims: [embedding, feedForward], type: weightType, fill: noise },
      { name: `${block}.ffn_down.weight`, dims: [feedForward, embedding], type: weightType, fill: intoResidual },
    );
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [embedding], type: ggmlTypeF32, fill: ones },
    {
      name: 'output.weight',
      dims: [embedding, nVocab],
      type: weightType,
      fill: (random, row, column) => {
        const value = noise(random);
        if (column !== 0) return value;
        return (biasByToken.get(row) ?? 0) / constantAtOutput;
      },
    },
  );

  const header = new ByteWriter();
  header.push(Buffer.from('GGUF', 'ascii'));
  header.u32(3);
  header.u64(tensors.length);
  const metadata: [string, MetadataValue][] = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: `pandasweep-tiny-${seed}` }],
    ['general.alignment', { type: 'u32', value: alignment }],
    ['general.file_type', { type: 'u32', value: tensorType === 'q4_0' ? 2 : 0 }],
    ['llama.context_length', { type: 'u32', value: contextLength }],
    ['llama.embedding_length', { type: 'u32', value: embedding }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: feedForward }],
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: heads }],
    ['llama.rope.dimension_count', { type: 'u32', value: embedding / heads }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', { type: 'u32', value: nVocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'strings', value: vocabulary.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32s', value: vocabulary.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: vocabulary.types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ...(addBosToken === null ? [] : [['tokenizer.ggml.add_bos_token', { type: 'bool', value: addBosToken }] satisfies [string, MetadataValue]]),
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  header.u64(metadata.length);
  for (const [key, value] of metadata) writeMetadata(header, key, value);
  let offset = 0;
  for (const tensor of tensors) {
    header.string(tensor.name);
    header.u32(tensor.dims.length);
    for (const dim of tensor.dims) header.u64(dim);
    header.u32(tensor.type);
    header.u64(offset);
    offset = padTo(offset + tensorBytes(tensor));
  }
  const headerBytes = header.bytes();

  const random = seededRandom(seed);
  const file = await open(path, 'w');
  try {
    await file.write(Buffer.concat([headerBytes, Buffer.alloc(padTo(headerBytes.length) - headerBytes.length)]));
    for (const tensor of tensors) {
      const rows = tensor.dims[1] ?? 1;
      const rowBytes = tensorBytes(tensor) / rows;
      // Chunks of ~8 MiB keep memory flat for 7B-shaped models.
      const rowsPerChunk = Math.max(1, Math.floor((8 << 20) / rowBytes));
      let written = 0;
      for (let row = 0; row < rows; row += rowsPerChunk) {
        const chunk = encodeRows(tensor, random, row, Math.min(rowsPerChunk, rows - row));
        await file.write(chunk);
        written += chunk.length;
      }
      await file.write(Buffer.alloc(padTo(written) - written));
    }
  } finally {
    await file.close();
  }
}
