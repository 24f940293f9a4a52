import type { LlamaModel, Token } from 'node-llama-cpp';
import type { VerdictLabels } from '../core/judge-formats/judge-format.js';

/** The first tokens of a format's verdict labels in one model's vocabulary; `tie` absent without a tie label. */
export interface LabelTokens {
  readonly one: Token;
  readonly two: Token;
  readonly tie?: Token;
}

/**
 * Finds the tokens that start each verdict label right after `prefix` (the end of the prompt), as the
 * model itself tokenizes the whole prompt: a BPE vocabulary may merge a label with what precedes it, so
 * each label is tokenized after the prefix and the first token past the prefix's own tokens is taken.
 * Throws when two labels start with the same token, since their probabilities could not be told apart.
 */
export function findLabelTokens(model: Pick<LlamaModel, 'tokenize'>, prefix: string, labels: VerdictLabels): LabelTokens {
  const prefixTokens = model.tokenize(prefix, false);
  const first = (label: string): Token => {
    const tokens = model.tokenize(prefix + label, false);
    let index = 0;
    while (index < prefixTokens.length && tokens[index] === prefixTokens[index]) index++;
    const token = tokens[index];
    if (token === undefined) throw new Error(`The model's tokenizer gives no token for ${JSON.stringify(label)}`);
    return token;
  };
  const tokens = { one: first(labels.one), two: first(labels.two), ...(labels.tie === undefined ? {} : { tie: first(labels.tie) }) };
  const distinct = new Set([tokens.one, tokens.two, ...(tokens.tie === undefined ? [] : [tokens.tie])]);
  if (distinct.size !== (labels.tie === undefined ? 2 : 3)) {
    const shown = [labels.one, labels.two, ...(labels.tie === undefined ? [] : [labels.tie])].map((label) => JSON.stringify(label)).join(', ');
    throw new Error(`The model's tokenizer starts two of the labels ${shown} with one token (${tokens.one}, ${tokens.two}, ${tokens.tie ?? '-'}); pick labels that start differently`);
  }
  return tokens;
}

// Characters of the prompt's end that decide how a label right after it tokenizes: merges reach back a
// few characters at most, and every prompt of one format ends the same way, so the tokens are cached by it.
const prefixChars = 48;

/** {@link findLabelTokens} for many prompts, cached by each prompt's last characters. */
export function labelTokenFinder(model: Pick<LlamaModel, 'tokenize'>, labels: VerdictLabels): (prompt: string) => LabelTokens {
  const cache = new Map<string, LabelTokens>();
  return (prompt) => {
    const prefix = prompt.slice(-prefixChars);
    let tokens = cache.get(prefix);
    if (tokens === undefined) {
      tokens = findLabelTokens(model, prefix, labels);
      // A custom template that ends in a placeholder has a new tail per prompt: keep the cache bounded.
      if (cache.size >= 1_000) cache.clear();
      cache.set(prefix, tokens);
    }
    return tokens;
  };
}
