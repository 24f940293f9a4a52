import type { LlamaModel, Token } from 'node-llama-cpp';
import { pandaLMEvaluationHeader } from '../core/pandalm/build-prompt.js';

/** The first tokens of PandaLM's three verdict labels in one model's vocabulary. */
export interface VerdictTokens {
  readonly one: Token;
  readonly two: Token;
  readonly tie: Token;
}

/**
 * Finds the tokens that start "1", "2" and "Tie" right after PandaLM's `### Evaluation:\n`, as the model
 * itself tokenizes the whole prompt: a BPE vocabulary may merge the label with what precedes it, so each
 * label is tokenized after the header and the first token past the header's own tokens is taken. Throws
 * when two labels start with the same token, since their probabilities could not be told apart.
 */
export function findVerdictTokens(model: Pick<LlamaModel, 'tokenize'>): VerdictTokens {
  const headerTokens = model.tokenize(pandaLMEvaluationHeader, false);
  const first = (label: string): Token => {
    const tokens = model.tokenize(pandaLMEvaluationHeader + label, false);
    let index = 0;
    while (index < headerTokens.length && tokens[index] === headerTokens[index]) index++;
    const token = tokens[index];
    if (token === undefined) throw new Error(`The model's tokenizer gives no token for ${JSON.stringify(label)}`);
    return token;
  };
  const tokens = { one: first('1'), two: first('2'), tie: first('Tie') };
  if (new Set([tokens.one, tokens.two, tokens.tie]).size !== 3) {
    throw new Error(`The model's tokenizer starts two of PandaLM's labels "1", "2", "Tie" with one token (${tokens.one}, ${tokens.two}, ${tokens.tie})`);
  }
  return tokens;
}
