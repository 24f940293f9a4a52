/**
 * PandaLM's data as the repository ships it (sweeps/data, see its NOTICE.md): every test reads it from
 * here, so none depends on a checkout's ../shared.
 */
import path from 'node:path';
import { repoRoot } from './run-cli.js';

/** Where the shipped PandaLM files live. */
export const pandalmDataDir = path.join(repoRoot, 'sweeps', 'data');

/** The shipped PandaLM files, by role. */
export const pandalmData = {
  /** The 999 human-annotated pairs (PandaLM's `data/testset-v1.json`). */
  testset: path.join(pandalmDataDir, 'pandalm-testset-v1.json'),
  /** PandaLM-7B's released verdicts on the test set. */
  pandalm7b: path.join(pandalmDataDir, 'pandalm-7b-testset-v1.json'),
  /** GPT-3.5's released verdicts on the test set. */
  gpt35: path.join(pandalmDataDir, 'gpt-3.5-turbo-testset-v1.json'),
  /** The 170 evaluation instructions (PandaLM's `data/testset-inference-v1.json`). */
  inference: path.join(pandalmDataDir, 'pandalm-testset-inference-v1.json'),
  /** PandaLM's 10-instruction pipeline demo. */
  pipelineSanityCheck: path.join(pandalmDataDir, 'pandalm-pipeline-sanity-check.json'),
  /** Golden prompts of PandaLM's prompt builder. */
  promptFixtures: path.join(pandalmDataDir, 'pandalm-prompt-fixtures.jsonl'),
  /** Golden outputs and labels of PandaLM's parser. */
  parseFixtures: path.join(pandalmDataDir, 'pandalm-parse-fixtures.jsonl'),
} as const;
