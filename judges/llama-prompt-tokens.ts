/**
 * The tokens a llama.cpp judge evaluates for one prompt: the beginning-of-sequence token when the model
 * asks for one, then the prompt, cut in the middle when it does not fit.
 */
import type { LlamaModel, Token } from 'node-llama-cpp';

// Tokens kept from the start of an over-long prompt (the task description); the rest is kept from the end,
// which holds the responses' tails and the `### Evaluation:` header the verdict depends on.
const truncatedHeadTokens = 64;

/**
 * Returns the BOS token to put before a prompt, or `null` when the model wants none. It follows the model's
 * own tokenizer settings as llama.cpp reads them (`llama_vocab_get_add_bos`, which node-llama-cpp exposes as
 * `tokens.shouldPrependBosToken`): GGUF's `tokenizer.ggml.add_bos_token` when present (LLaMA's say true,
 * SmolLM2's false, its BOS being the chat template's `<|im_start|>`), otherwise llama.cpp's default for the
 * tokenizer model (yes for LLaMA's SentencePiece `llama`). A prompt given a BOS its model was not trained
 * with shifts every first-token probability the verdict is read from.
 */
export function beginningToken(model: Pick<LlamaModel, 'tokens'>): Token | null {
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}

/**
 * Tokenizes `prompt` as plain text (special-token strings in responses stay text), puts the BOS token
 * first when {@link beginningToken} says so, and keeps at most `room` tokens: the first 64 and the end.
 */
export function promptTokens(model: Pick<LlamaModel, 'tokens' | 'tokenize'>, prompt: string, room: number): Token[] {
  const bos = beginningToken(model);
  const text = model.tokenize(prompt, false);
  const tokens = bos === null ? text : [bos, ...text];
  if (tokens.length <= room) return tokens;
  return [...tokens.slice(0, truncatedHeadTokens), ...tokens.slice(tokens.length - (room - truncatedHeadTokens))];
}
