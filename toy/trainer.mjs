#!/usr/bin/env node
/**
 * Toy trainer: a fast, deterministic stand-in for a real fine-tuning program, so the demo sweep and the
 * tests exercise pandasweep's job machinery (metrics, checkpoints, failures, retries, generation
 * output) without a GPU. Plain Node ESM JavaScript so it starts in milliseconds.
 *
 * ## train
 *
 *   node toy/trainer.mjs train --output-dir DIR [--steps N] [--sleep SECONDS] [--checkpoint-every N]
 *                              [--fail-at-step N] [--resume-from DIR] [--stop-at-epoch E] [--<param>=<value> ...]
 *
 * - `--steps` number of steps. Defaults to `20`.
 * - `--sleep` seconds slept per step (fractions allowed). Defaults to `0`.
 * - `--checkpoint-every` a checkpoint is written every N steps and after the last one. Defaults to `5`.
 * - `--fail-at-step` prints an error to stderr and exits 1 when step N is reached (not when a resumed
 *   run starts past it, so a retry that resumes from a later checkpoint succeeds).
 * - `--resume-from` a checkpoint folder (`DIR/step-<s>`) or an output folder (its highest `step-<s>`);
 *   training continues at the next step.
 * - `--stop-at-epoch` stops after epoch E of the trial's `epochs` (alias `num_train_epochs`) with its
 *   schedule unchanged, as trainers/finetune.py's `--stop_at_epoch` does: `steps` spread over all the
 *   epochs, a checkpoint at the stop, and a run that finds checkpoints in DIR resumes from the newest.
 *   The checkpoint's quality is `quality x (0.8 + 0.2 x E / epochs)`: less trained is a little worse.
 * - any other `--name=value` flag is a hyperparameter (write them as `--name=value`; `-` and `_` are the
 *   same). Unknown hyperparameters are accepted and ignored by the quality function.
 *
 * Every step prints `PANDASWEEP_METRIC {"step":s,"loss":l,"learning_rate":lr}` to stdout. Every
 * checkpoint is a folder `DIR/step-<s>/` holding `state.json`, announced with
 * `PANDASWEEP_CHECKPOINT {"step":s,"path":"<absolute folder>"}`. At the end it writes
 * `DIR/checkpoint.json` (`{params, quality, steps}`) and `DIR/metrics.json` (`{quality, final_loss}`),
 * and appends one line to `DIR/runs.jsonl`: `{pid, cudaVisibleDevices, startedAt, finishedAt}` (wall-clock
 * ms), so tests can check which GPUs a run held and when.
 *
 * ### Quality (deterministic; the expected winner of a sweep is known in advance)
 *
 *   quality = 0.40 * lrScore + 0.30 * epochScore + 0.15 * schedulerScore + 0.15 * optimizerScore
 *
 * - lrScore = exp(-(log10(learning_rate / 2e-5))^2): 1 at 2e-5, 0.37 at 2e-4 or 2e-6.
 *   `learning_rate` (alias `lr`) defaults to `2e-5`.
 * - epochScore = exp(-((epochs - 3) / 2)^2): 1 at 3 epochs. `epochs` (alias `num_train_epochs`)
 *   defaults to `3`.
 * - schedulerScore: cosine 1.0, linear 0.85, constant 0.7, anything else 0.6. `lr_scheduler` (aliases
 *   `lr_scheduler_type`, `scheduler`) defaults to `cosine`.
 * - optimizerScore: adamw 1.0, adam 0.9, adafactor 0.85, sgd 0.6, anything else 0.5. `optimizer`
 *   (alias `optim`) defaults to `adamw`.
 *
 * quality is rounded to 6 decimals and lies in (0, 1]. The loss at step s of n is
 * `(1.2 - quality) * (0.3 + 1.7 * exp(-3 * s / n))`, rounded to 6 decimals; the logged learning rate
 * follows the scheduler (cosine or linear decay to 0 over n steps, constant otherwise).
 *
 * ## generate
 *
 *   node toy/trainer.mjs generate --checkpoint DIR --eval FILE --output FILE [--sleep SECONDS]
 *                                 [--corrupt MODE]
 *
 * Reads `DIR/checkpoint.json` (or `DIR` itself when it is that file) and the evaluation file: either a
 * JSON array in PandaLM's format (`[{instruction, input}]`, id = String(index)) or JSONL with
 * `{id, instruction, input}` per line. Writes one line `{"id": ..., "response": "..."}` per
 * instruction to `--output`. `--sleep` is seconds per instruction (default `0`).
 *
 * ### Responses (deterministic; a better model gives longer, more on-topic answers)
 *
 * With k = ceil(quality * number of instruction words) and j = ceil(quality * number of input words):
 * - quality < 0.2: `I am not sure.`
 * - otherwise: `Answer: <first k instruction words>.` then, when there is an input,
 *   ` Given: <first j input words>.` then `floor(quality * 4)` copies of ` This addresses the task
 *   step by step.`
 *
 * `--corrupt` deliberately writes a malformed file for tests: `missing` (drops the last answer),
 * `extra` (adds an unknown id), `duplicate` (repeats the first answer), `not-json` (second line is not
 * JSON), `empty` (writes nothing).
 *
 * ## evaluate
 *
 *   node toy/trainer.mjs evaluate --checkpoint DIR --output FILE [--sleep SECONDS]
 *
 * A stand-in for a downstream benchmark (the lm-evaluation-harness): prints
 * `PANDASWEEP_METRIC {"step":0,"toy_loss":1.2 - quality}` and writes FILE in the harness's shape,
 * `{"results": {"toy_task": {"acc": quality, "acc_stderr": 0.01}}, "config": {"num_fewshot": 0}}`, so a
 * better checkpoint scores higher and the expected figures are known in advance. `--sleep` is seconds
 * waited before scoring (default `0`).
 */
import { appendFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

const [command, ...rest] = process.argv.slice(2);

/** Exits with a message on stderr; code 2 for usage errors, 1 for (simulated) failures. */
function die(message, code = 2) {
  process.stderr.write(`toy trainer: ${message}\n`);
  process.exit(code);
}

function sleep(seconds) {
  return seconds > 0 ? new Promise((r) => setTimeout(r, seconds * 1000)) : Promise.resolve();
}

function round6(x) {
  return Math.round(x * 1e6) / 1e6;
}

function toNumber(name, raw, fallback) {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n)) die(`--${name} must be a number, got ${JSON.stringify(raw)}`);
  return n;
}

/** Picks the first present alias from the hyperparameters. */
function param(params, names, fallback) {
  for (const n of names) if (params[n] !== undefined) return params[n];
  return fallback;
}

/** The documented quality function (see the file header). */
export function quality(params) {
  const lr = Number(param(params, ['learning_rate', 'lr'], 2e-5));
  const epochs = Number(param(params, ['epochs', 'num_train_epochs'], 3));
  const scheduler = String(param(params, ['lr_scheduler', 'lr_scheduler_type', 'scheduler'], 'cosine')).toLowerCase();
  const optimizer = String(param(params, ['optimizer', 'optim'], 'adamw')).toLowerCase();
  const lrScore = lr > 0 && Number.isFinite(lr) ? Math.exp(-(Math.log10(lr / 2e-5) ** 2)) : 0;
  const epochScore = Number.isFinite(epochs) ? Math.exp(-(((epochs - 3) / 2) ** 2)) : 0;
  const schedulerScore = { cosine: 1, linear: 0.85, constant: 0.7 }[scheduler] ?? 0.6;
  const optimizerScore = { adamw: 1, adam: 0.9, adafactor: 0.85, sgd: 0.6 }[optimizer] ?? 0.5;
  return round6(0.4 * lrScore + 0.3 * epochScore + 0.15 * schedulerScore + 0.15 * optimizerScore);
}

function scheduledLr(params, step, steps) {
  const lr = Number(param(params, ['learning_rate', 'lr'], 2e-5));
  const scheduler = String(param(params, ['lr_scheduler', 'lr_scheduler_type', 'scheduler'], 'cosine')).toLowerCase();
  const t = step / steps;
  if (scheduler === 'cosine') return lr * 0.5 * (1 + Math.cos(Math.PI * t));
  if (scheduler === 'linear') return lr * (1 - t);
  return lr;
}

/** Finds the step to resume from: a `step-<s>` folder, or the highest one inside an output folder. */
function resumeStep(dir) {
  const statePath = join(dir, 'state.json');
  if (existsSync(statePath)) return JSON.parse(readFileSync(statePath, 'utf8')).step;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) die(`--resume-from ${dir}: no such checkpoint`);
  const steps = readdirSync(dir)
    .map((n) => /^step-(\d+)$/.exec(n))
    .filter((m) => m && existsSync(join(dir, m[0], 'state.json')))
    .map((m) => Number(m[1]));
  if (steps.length === 0) die(`--resume-from ${dir}: no step-<n> checkpoint inside`);
  return Math.max(...steps);
}

async function train(argv) {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: false,
    tokens: true,
    options: {
      'output-dir': { type: 'string' },
      steps: { type: 'string' },
      sleep: { type: 'string' },
      'checkpoint-every': { type: 'string' },
      'fail-at-step': { type: 'string' },
      'resume-from': { type: 'string' },
      'stop-at-epoch': { type: 'string' },
    },
  });
  const known = new Set(['output-dir', 'steps', 'sleep', 'checkpoint-every', 'fail-at-step', 'resume-from', 'stop-at-epoch']);
  const params = {};
  for (const t of tokens) {
    if (t.kind !== 'option' || known.has(t.name)) continue;
    // Unknown flags are hyperparameters; `--x=y` carries its value inline.
    const raw = t.value ?? true;
    params[t.name.replaceAll('-', '_')] = typeof raw === 'string' && raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  const outputDir = values['output-dir'];
  if (typeof outputDir !== 'string') die('train needs --output-dir DIR');
  const steps = toNumber('steps', values.steps, 20);
  const sleepSeconds = toNumber('sleep', values.sleep, 0);
  const every = Math.max(1, toNumber('checkpoint-every', values['checkpoint-every'], 5));
  const failAt = toNumber('fail-at-step', values['fail-at-step'], null);
  const out = resolve(outputDir);
  mkdirSync(out, { recursive: true });

  const epochs = Number(param(params, ['epochs', 'num_train_epochs'], 3));
  const stopEpoch = toNumber('stop-at-epoch', values['stop-at-epoch'], null);
  const lastStep = stopEpoch === null ? steps : Math.min(steps, Math.max(1, Math.round((stopEpoch / epochs) * steps)));
  let start = 1;
  if (typeof values['resume-from'] === 'string') {
    start = resumeStep(resolve(values['resume-from'])) + 1;
    process.stderr.write(`toy trainer: resuming at step ${start}\n`);
  } else if (stopEpoch !== null && readdirSync(out).some((n) => /^step-\d+$/.test(n))) {
    start = Math.min(resumeStep(out), lastStep) + 1;
    process.stderr.write(`toy trainer: resuming at step ${start}\n`);
  }
  if (start > lastStep && existsSync(join(out, `step-${lastStep}`))) {
    // This stop was reached before (an interrupted job ran again): its checkpoint is the result again.
    process.stdout.write(`PANDASWEEP_CHECKPOINT ${JSON.stringify({ step: lastStep, path: join(out, `step-${lastStep}`) })}\n`);
  }
  const startedAt = Date.now();
  const trainedEpochs = stopEpoch === null ? epochs : Math.min(stopEpoch, epochs);
  const q = stopEpoch === null ? quality(params) : round6(quality(params) * (0.8 + 0.2 * (trainedEpochs / epochs)));
  let loss = null;
  for (let s = start; s <= lastStep; s++) {
    await sleep(sleepSeconds);
    if (failAt !== null && s === failAt) die(`simulated failure at step ${s}`, 1);
    loss = round6((1.2 - q) * (0.3 + 1.7 * Math.exp((-3 * s) / steps)));
    const lr = scheduledLr(params, s, steps);
    process.stdout.write(`PANDASWEEP_METRIC ${JSON.stringify({ step: s, loss, learning_rate: lr })}\n`);
    if (s % every === 0 || s === lastStep) {
      const dir = join(out, `step-${s}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'state.json'), JSON.stringify({ step: s, params, loss }) + '\n');
      // A stop's checkpoint is a model of its own: generate can answer from it.
      if (s === lastStep && stopEpoch !== null) writeFileSync(join(dir, 'checkpoint.json'), JSON.stringify({ params, quality: q, steps, epochs: trainedEpochs }, null, 2) + '\n');
      process.stdout.write(`PANDASWEEP_CHECKPOINT ${JSON.stringify({ step: s, path: dir })}\n`);
    }
  }
  if (loss === null) loss = round6((1.2 - q) * (0.3 + 1.7 * Math.exp((-3 * lastStep) / steps)));
  writeFileSync(join(out, 'checkpoint.json'), JSON.stringify({ params, quality: q, steps, ...(stopEpoch === null ? {} : { epochs: trainedEpochs }) }, null, 2) + '\n');
  writeFileSync(join(out, 'metrics.json'), JSON.stringify({ quality: q, final_loss: loss, ...(stopEpoch === null ? {} : { epoch: trainedEpochs }) }, null, 2) + '\n');
  const run = { pid: process.pid, cudaVisibleDevices: process.env.CUDA_VISIBLE_DEVICES ?? null, startedAt, finishedAt: Date.now() };
  appendFileSync(join(out, 'runs.jsonl'), JSON.stringify(run) + '\n');
  process.stderr.write(`toy trainer: done, quality ${q}\n`);
}

/** Reads a PandaLM JSON array (id = index) or JSONL with explicit ids. */
function readEval(file) {
  const text = readFileSync(file, 'utf8');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    return JSON.parse(trimmed).map((x, i) => ({ id: String(i), instruction: String(x.instruction ?? ''), input: String(x.input ?? '') }));
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const x = JSON.parse(l);
      return { id: String(x.id), instruction: String(x.instruction ?? ''), input: String(x.input ?? '') };
    });
}

function words(text) {
  return text.split(/\s+/).map((w) => w.replace(/[^\p{L}\p{N}'-]/gu, '')).filter((w) => w !== '');
}

/** The documented response function (see the file header). */
export function respond(q, instruction, input) {
  if (q < 0.2) return 'I am not sure.';
  const iw = words(instruction);
  const nw = words(input);
  let r = `Answer: ${iw.slice(0, Math.ceil(q * iw.length)).join(' ')}.`;
  if (nw.length > 0) r += ` Given: ${nw.slice(0, Math.ceil(q * nw.length)).join(' ')}.`;
  r += ' This addresses the task step by step.'.repeat(Math.floor(q * 4));
  return r;
}

async function generate(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      checkpoint: { type: 'string' },
      eval: { type: 'string' },
      output: { type: 'string' },
      sleep: { type: 'string' },
      corrupt: { type: 'string' },
    },
  });
  if (!values.checkpoint || !values.eval || !values.output) die('generate needs --checkpoint DIR --eval FILE --output FILE');
  const ckptPath = values.checkpoint.endsWith('.json') ? values.checkpoint : join(values.checkpoint, 'checkpoint.json');
  if (!existsSync(ckptPath)) die(`no checkpoint at ${ckptPath}`, 1);
  const q = Number(JSON.parse(readFileSync(ckptPath, 'utf8')).quality);
  const sleepSeconds = toNumber('sleep', values.sleep, 0);
  const items = readEval(values.eval);
  let lines = [];
  for (const item of items) {
    await sleep(sleepSeconds);
    lines.push(JSON.stringify({ id: item.id, response: respond(q, item.instruction, item.input) }));
  }
  switch (values.corrupt) {
    case undefined: break;
    case 'missing': lines.pop(); break;
    case 'extra': lines.push(JSON.stringify({ id: 'not-an-eval-id', response: 'extra' })); break;
    case 'duplicate': if (lines[0]) lines.push(lines[0]); break;
    case 'not-json': lines.splice(1, 0, 'this is not json'); break;
    case 'empty': lines = []; break;
    default: die(`unknown --corrupt mode ${values.corrupt}`);
  }
  writeFileSync(values.output, lines.length ? lines.join('\n') + '\n' : '');
  process.stderr.write(`toy trainer: wrote ${lines.length} responses to ${values.output}\n`);
}

async function evaluate(argv) {
  const { values } = parseArgs({ args: argv, strict: true, options: { checkpoint: { type: 'string' }, output: { type: 'string' }, sleep: { type: 'string' } } });
  if (!values.checkpoint || !values.output) die('evaluate needs --checkpoint DIR --output FILE');
  const ckptPath = join(values.checkpoint, 'checkpoint.json');
  if (!existsSync(ckptPath)) die(`no checkpoint at ${ckptPath}`, 1);
  const q = Number(JSON.parse(readFileSync(ckptPath, 'utf8')).quality);
  process.stderr.write(`toy trainer: evaluating ${values.checkpoint}\n`);
  await sleep(toNumber('sleep', values.sleep, 0));
  process.stdout.write(`PANDASWEEP_METRIC ${JSON.stringify({ step: 0, toy_loss: Math.round((1.2 - q) * 1e6) / 1e6 })}\n`);
  writeFileSync(values.output, JSON.stringify({ results: { toy_task: { acc: q, acc_stderr: 0.01 } }, config: { num_fewshot: 0 } }, null, 2) + '\n');
  process.stderr.write(`toy trainer: evaluated ${values.checkpoint}: acc ${q}\n`);
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  if (command === 'train') await train(rest);
  else if (command === 'generate') await generate(rest);
  else if (command === 'evaluate') await evaluate(rest);
  else die('usage: trainer.mjs train --output-dir DIR [...] | generate --checkpoint DIR --eval FILE --output FILE | evaluate --checkpoint DIR --output FILE');
}
