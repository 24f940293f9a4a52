/**
 * The `openai` judge backend: a judge format's prompt (PandaLM's by default) sent to an OpenAI-compatible
 * completions endpoint (llama.cpp server, vLLM) serving the judge model, for judging on a separate
 * inference cluster.
 */
import { z } from 'zod';
import { verdictModeProblem, type JudgeFormat, type VerdictLabels } from '../core/judge-formats/judge-format.js';
import { pandaLMFormat } from '../core/judge-formats/pandalm.js';
import type { JudgeRequest, JudgeResult, VerdictProbabilities } from '../core/judging/judge-types.js';
import { mostLikelyVerdict } from '../core/judging/resolve-orders.js';
import { JudgeConfigError } from './errors/judge-config-error.js';
import { JudgeRequestError } from './errors/judge-request-error.js';
import { fullResult } from './full-result.js';
import type { Judge, JudgeCallOptions } from './judge.js';
import type { OpenAIJudgeConfig } from './judge-config.js';

const completionSchema = z.object({
  choices: z
    .array(
      z.object({
        text: z.string(),
        logprobs: z
          .object({ top_logprobs: z.array(z.record(z.string(), z.number()).nullable()).nullable().optional() })
          .nullable()
          .optional(),
      }),
    )
    .min(1),
});

/**
 * Sums the probabilities of the candidate first tokens of each label (a token text, leading space
 * removed, that is a non-empty prefix of exactly one label: servers return token texts, and "Tie" may
 * be one token or "T" + "ie") and renormalises over the labels. Returns undefined when none of them is
 * among the top tokens.
 */
export function verdictProbabilitiesFromLogprobs(top: Record<string, number>, labels: VerdictLabels = pandaLMFormat.labels!): VerdictProbabilities | undefined {
  let one = 0;
  let two = 0;
  let tie = 0;
  for (const [token, logprob] of Object.entries(top)) {
    const text = token.replace(/^[\s▁]+/, '');
    if (text === '') continue;
    const starts = (label: string | undefined): boolean => label !== undefined && label.trimStart().startsWith(text);
    const matches = [starts(labels.one), starts(labels.two), starts(labels.tie)];
    if (matches.filter(Boolean).length !== 1) continue;
    if (matches[0]) one += Math.exp(logprob);
    else if (matches[1]) two += Math.exp(logprob);
    else tie += Math.exp(logprob);
  }
  const sum = one + two + tie;
  return sum === 0 ? undefined : { one: one / sum, two: two / sum, tie: tie / sum };
}

/** Creates a judge that calls `<baseUrl>/completions`; `verdict` mode asks for one token with log-probabilities. */
export function createOpenAIJudge(config: Omit<OpenAIJudgeConfig, 'backend' | 'format'>, env: NodeJS.ProcessEnv = process.env, format: JudgeFormat = pandaLMFormat): Judge {
  const id = `openai:${format.name}:${config.baseUrl}#${config.model}`;
  const apiKey = config.apiKeyEnv === undefined ? undefined : env[config.apiKeyEnv];
  if (config.apiKeyEnv !== undefined && (apiKey === undefined || apiKey === '')) {
    throw new JudgeConfigError(id, `environment variable ${config.apiKeyEnv} (apiKeyEnv) is not set on this worker; export it, or drop apiKeyEnv for a server without keys`);
  }
  const url = `${config.baseUrl.replace(/\/+$/, '')}/completions`;

  const complete = async (body: Record<string, unknown>, signal?: AbortSignal): Promise<z.infer<typeof completionSchema>> => {
    const timeout = AbortSignal.timeout(config.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }) },
        body: JSON.stringify({ model: config.model, temperature: 0, ...body }),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (error) {
      throw new JudgeRequestError(id, `request to ${url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) throw new JudgeRequestError(id, `HTTP ${response.status} from ${url}: ${text.slice(0, 300)}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new JudgeRequestError(id, `HTTP ${response.status} from ${url} is not JSON (is baseUrl the server's /v1 address?): ${text.slice(0, 200)}`);
    }
    const parsed = completionSchema.safeParse(json);
    if (!parsed.success) throw new JudgeRequestError(id, `unexpected response from ${url}: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  };

  return {
    id,
    async judge(request: JudgeRequest, options: JudgeCallOptions): Promise<JudgeResult> {
      const started = performance.now();
      const prompt = format.buildPrompt(request);
      if (options.mode === 'verdict') {
        if (format.labels === undefined) throw new JudgeConfigError(id, verdictModeProblem(format)!);
        const data = await complete({ prompt, max_tokens: 1, logprobs: config.topLogprobs }, options.signal);
        const choice = data.choices[0];
        const top = choice?.logprobs?.top_logprobs?.[0] ?? undefined;
        const probabilities = top === undefined || top === null ? undefined : verdictProbabilitiesFromLogprobs(top, format.labels);
        // A server without logprobs (or a first token outside the labels) still gives a verdict from its text.
        const verdict = probabilities === undefined ? format.parse(choice?.text ?? '').verdict : mostLikelyVerdict(probabilities);
        return { verdict, ...(probabilities === undefined ? {} : { probabilities }), latencyMs: performance.now() - started };
      }
      const penalty = config.repetitionPenalty === undefined ? {} : { repetition_penalty: config.repetitionPenalty, repeat_penalty: config.repetitionPenalty };
      const data = await complete({ prompt, max_tokens: config.maxTokens, ...penalty }, options.signal);
      return fullResult(format, data.choices[0]?.text ?? '', performance.now() - started);
    },
    async dispose(): Promise<void> {},
  };
}
